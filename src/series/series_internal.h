/* The series handle, shared by the series module's parsers. */
#ifndef KAIROS_SERIES_INTERNAL_H
#define KAIROS_SERIES_INTERNAL_H

#include <kairos/series.h>
#include "core/internal.h"

struct kairos_series {
    size_t   n;
    double  *values;       /* n values, NaN = missing */
    int64_t *timestamps;   /* n Unix seconds, or NULL */
    int64_t  step_s;       /* fixed step once regular, else 0 */
    char    *name;         /* never NULL; "" when unnamed */
};

struct kairos_series_list {
    size_t          count;
    kairos_series **items;
};

/* A new series that takes ownership of @p values, @p timestamps (may be NULL) and @p name
 * (may be NULL). On failure everything passed in is freed. */
int kairos__series_adopt(kairos_series **out, double *values, int64_t *timestamps, size_t n,
                         char *name);

/* ---- Text helpers shared by the CSV and Prometheus parsers (text.c, timestamp.c) ---- */

/* Outcome of kairos__parse_number(). */
enum { KAIROS__NUMBER_OK = 0, KAIROS__NUMBER_INVALID = 1, KAIROS__NUMBER_OUT_OF_RANGE = 2 };

/* Parse a decimal number (`-1.5`, `2e3`, `.5`), `inf`/`infinity` or `nan` (any case, optional
 * sign) filling the whole of @p s[0..len). Hex floats and other strtod() extensions are not
 * numbers here. @p s[len] must be '\0'. Call inside kairos__c_locale_enter/leave so the
 * decimal point is '.'. Underflow quietly gives zero or a subnormal. */
int kairos__parse_number(const char *s, size_t len, double *out);

/* Copy @p s into @p out (NUL-terminated) for an error message, cut short with "..." when it
 * does not fit in @p size (at least 8; KAIROS__EXCERPT_SIZE keeps about 40 bytes). Control
 * bytes become '?', and a cut never splits a UTF-8 character. */
void kairos__excerpt(const char *s, size_t len, char *out, size_t size);
#define KAIROS__EXCERPT_SIZE 48

/* Unix seconds written as a decimal number (`1714568400`, `-12.5`, `1.7e9`), rounded to the
 * nearest second (halves away from zero) with exact decimal arithmetic, so no precision is
 * lost on long inputs. Returns KAIROS__NUMBER_OK, _INVALID, or _OUT_OF_RANGE (beyond int64). */
int kairos__parse_unix_seconds(const char *s, size_t len, int64_t *out);

/* kairos_parse_timestamp() without touching the thread's error detail: on failure the reason
 * ("timestamp '2024-13-01' is not a valid date (month 13)") goes to @p why. */
int kairos__parse_timestamp(const char *s, size_t len, int64_t *out, char *why, size_t why_size);

#endif /* KAIROS_SERIES_INTERNAL_H */
