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

#endif /* KAIROS_SERIES_INTERNAL_H */
