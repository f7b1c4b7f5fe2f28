/* kairos_buf: growable, NUL-terminated text owned by the library. */
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kairos_buf_dispose(kairos_buf *buf)
{
    if (!buf)
        return;
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

static int reserve(kairos_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return kairos__fail(KAIROS_ENOMEM, "text buffer would exceed the address space");
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return KAIROS_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return kairos__fail(KAIROS_ENOMEM, "out of memory growing a text buffer to %zu bytes", cap);
    b->data = p;
    b->cap = cap;
    return KAIROS_OK;
}

int kairos__buf_append(kairos_buf *b, const char *s, size_t n)
{
    int rc = reserve(b, n);
    if (rc)
        return rc;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return KAIROS_OK;
}

int kairos__buf_puts(kairos_buf *b, const char *s)
{
    return kairos__buf_append(b, s, strlen(s));
}

int kairos__buf_printf(kairos_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    int rc = n < 0 ? kairos__fail(KAIROS_EINVAL, "bad format string") : reserve(b, (size_t)n);
    if (rc == KAIROS_OK) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
    return rc;
}

int kairos__buf_json_string(kairos_buf *b, const char *s)
{
    int rc = kairos__buf_append(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; rc == KAIROS_OK && *p; p++) {
        switch (*p) {
        case '"':  rc = kairos__buf_append(b, "\\\"", 2); break;
        case '\\': rc = kairos__buf_append(b, "\\\\", 2); break;
        case '\n': rc = kairos__buf_append(b, "\\n", 2); break;
        case '\r': rc = kairos__buf_append(b, "\\r", 2); break;
        case '\t': rc = kairos__buf_append(b, "\\t", 2); break;
        default:
            if (*p < 0x20)
                rc = kairos__buf_printf(b, "\\u%04x", *p);
            else
                rc = kairos__buf_append(b, (const char *)p, 1);
        }
    }
    return rc ? rc : kairos__buf_append(b, "\"", 1);
}

void kairos__format_double(double x, char *out, size_t size)
{
    kairos__c_locale loc;
    kairos__c_locale_enter(&loc);
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, size, "%.*g", prec, x);
        if (prec == 17 || strtod(out, NULL) == x)
            break;
    }
    kairos__c_locale_leave(&loc);
}

int kairos__buf_json_number(kairos_buf *b, double x)
{
    if (!isfinite(x))
        return kairos__buf_puts(b, "null");
    char tmp[40];
    kairos__format_double(x, tmp, sizeof tmp);
    return kairos__buf_puts(b, tmp);
}
