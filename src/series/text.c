/* Text helpers shared by the series parsers: strict number recognition and error excerpts. */
#include "series_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

static bool equals_word(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != word[i])
            return false;
    return true;
}

/* [digits][.digits][e[sign]digits] with at least one mantissa digit. strtod() alone would
 * also take hex floats, "nan(...)" and "infinity" prefixes, and stop early without saying. */
static bool is_decimal(const char *s, size_t len)
{
    size_t i = 0, mantissa_digits = 0;
    while (i < len && is_digit(s[i]))
        i++, mantissa_digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && is_digit(s[i]))
            i++, mantissa_digits++;
    }
    if (mantissa_digits == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exponent_digits = 0;
        while (i < len && is_digit(s[i]))
            i++, exponent_digits++;
        if (exponent_digits == 0)
            return false;
    }
    return i == len;
}

int kairos__parse_number(const char *s, size_t len, double *out)
{
    size_t body = (len > 0 && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    const char *word = s + body;
    size_t word_len = len - body;
    if (equals_word(word, word_len, "nan")) {
        *out = NAN;
        return KAIROS__NUMBER_OK;
    }
    if (equals_word(word, word_len, "inf") || equals_word(word, word_len, "infinity")) {
        *out = s[0] == '-' ? -INFINITY : INFINITY;
        return KAIROS__NUMBER_OK;
    }
    if (!is_decimal(word, word_len))
        return KAIROS__NUMBER_INVALID;
    errno = 0;
    char *end = NULL;
    double x = strtod(s, &end);
    if (end != s + len)
        return KAIROS__NUMBER_INVALID;   /* only if the locale's decimal point is not '.' */
    if (errno == ERANGE && isinf(x))
        return KAIROS__NUMBER_OUT_OF_RANGE;
    *out = x;
    return KAIROS__NUMBER_OK;
}

void kairos__excerpt(const char *s, size_t len, char *out, size_t size)
{
    const size_t keep = size - 4;   /* room for "..." and the NUL */
    size_t n = len <= size - 1 ? len : keep;
    while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;   /* cut before a UTF-8 continuation byte, not through a character */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (n < len) {
        memcpy(out + n, "...", 4);
        return;
    }
    out[n] = '\0';
}
