/* Internal helpers shared by every module. Not installed; never part of the public API. */
#ifndef KAIROS_CORE_INTERNAL_H
#define KAIROS_CORE_INTERNAL_H

#include <kairos/common.h>
#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>

#if defined(__GNUC__)
#  define KAIROS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define KAIROS_PRINTF(f, a)
#endif

/* Record a failure for kairos_last_error() and return @p status, so callers can write
 * `return kairos__fail(KAIROS_EPARSE, "line %zu: ...", line);`. */
int kairos__fail(int status, const char *fmt, ...) KAIROS_PRINTF(2, 3);

/* Check the version field of an options struct: KAIROS_OK for 1..current, else
 * KAIROS_EVERSION with a message naming the struct. */
int kairos__check_version(unsigned version, unsigned current, const char *what);

/* Appending to a kairos_buf. Each returns KAIROS_OK or KAIROS_ENOMEM and keeps data
 * NUL-terminated. */
int kairos__buf_append(kairos_buf *b, const char *s, size_t n);
int kairos__buf_puts(kairos_buf *b, const char *s);
int kairos__buf_printf(kairos_buf *b, const char *fmt, ...) KAIROS_PRINTF(2, 3);
/* A JSON string literal, quotes included, with the escapes JSON requires. */
int kairos__buf_json_string(kairos_buf *b, const char *s);
/* A double in the shortest form that reads back exactly; NaN/Inf as JSON null. */
int kairos__buf_json_number(kairos_buf *b, double x);

/* Shortest "%.Ng" (N = 15..17) that reads back as exactly @p x, independent of the
 * process locale. @p out must hold at least 32 bytes. */
void kairos__format_double(double x, char *out, size_t size);

/* Run number parsing/formatting in the "C" locale on this thread only, whatever the
 * process locale is (a host may have set a locale whose decimal point is ','). */
typedef struct kairos__c_locale {
    locale_t c, previous;
} kairos__c_locale;
void kairos__c_locale_enter(kairos__c_locale *l);
void kairos__c_locale_leave(kairos__c_locale *l);

/* Overflow-checked allocation of n elements of size sz; NULL on overflow or failure. */
void *kairos__calloc(size_t n, size_t sz);
void *kairos__malloc_array(size_t n, size_t sz);

/* Φ⁻¹(p), the standard normal quantile (Wichura's AS 241, normal.c); −Inf/+Inf at 0/1,
 * NaN outside [0,1]. */
double kairos__normal_quantile(double p);

#endif /* KAIROS_CORE_INTERNAL_H */
