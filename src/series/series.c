/* The series handle: construction from arrays, accessors, validation, period inference. */
#include "series_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int kairos__series_adopt(kairos_series **out, double *values, int64_t *timestamps, size_t n,
                         char *name)
{
    kairos_series *s = calloc(1, sizeof *s);
    char *nm = name ? name : calloc(1, 1);
    if (!s || !nm) {
        free(s);
        free(nm);
        free(values);
        free(timestamps);
        return kairos__fail(KAIROS_ENOMEM, "out of memory creating a series of %zu points", n);
    }
    s->n = n;
    s->values = values;
    s->timestamps = timestamps;
    s->name = nm;
    *out = s;
    return KAIROS_OK;
}

int kairos_series_from_arrays(kairos_series **out, const double *values,
                              const int64_t *timestamps, size_t n)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_from_arrays: out is NULL");
    *out = NULL;
    if (!values && n > 0)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_from_arrays: values is NULL");
    double *v = kairos__malloc_array(n, sizeof *v);
    int64_t *t = timestamps ? kairos__malloc_array(n, sizeof *t) : NULL;
    if (!v || (timestamps && !t)) {
        free(v);
        free(t);
        return kairos__fail(KAIROS_ENOMEM, "out of memory copying %zu points", n);
    }
    if (n) {
        memcpy(v, values, n * sizeof *v);
        if (t)
            memcpy(t, timestamps, n * sizeof *t);
    }
    return kairos__series_adopt(out, v, t, n, NULL);
}

void kairos_series_free(kairos_series *s)
{
    if (!s)
        return;
    free(s->values);
    free(s->timestamps);
    free(s->name);
    free(s);
}

size_t kairos_series_length(const kairos_series *s) { return s ? s->n : 0; }
const double *kairos_series_values(const kairos_series *s) { return s ? s->values : NULL; }
const int64_t *kairos_series_timestamps(const kairos_series *s) { return s ? s->timestamps : NULL; }
int64_t kairos_series_step(const kairos_series *s) { return s ? s->step_s : 0; }
const char *kairos_series_name(const kairos_series *s) { return s ? s->name : ""; }

int kairos_series_validate(const kairos_series *s, size_t min_length)
{
    if (!s)
        return kairos__fail(KAIROS_EINVAL, "series is NULL");
    if (s->n < min_length || s->n == 0)
        return kairos__fail(KAIROS_EDATA, "series has %zu points; at least %zu are needed",
                            s->n, min_length ? min_length : 1);
    size_t present = 0;
    for (size_t i = 0; i < s->n; i++) {
        double x = s->values[i];
        if (isinf(x)) {
            char when[40] = "";
            if (s->timestamps)
                kairos_format_timestamp(s->timestamps[i], when, sizeof when);
            return kairos__fail(KAIROS_EDATA, "value %zu%s%s%s is infinite", i + 1,
                                when[0] ? " (" : "", when, when[0] ? ")" : "");
        }
        present += !isnan(x);
    }
    if (present == 0)
        return kairos__fail(KAIROS_EDATA, "every value of the series is missing");
    return KAIROS_OK;
}

int kairos_series_infer_periods(const kairos_series *s, size_t *periods, size_t max,
                                size_t *n_out)
{
    if (!s || !n_out || (max > 0 && !periods))
        return kairos__fail(KAIROS_EINVAL, "kairos_series_infer_periods: NULL argument");
    *n_out = 0;
    const int64_t day = 86400, week = 7 * day;
    int64_t step = s->step_s;
    if (step <= 0 || !s->timestamps || day % step != 0 || day / step < 2)
        return KAIROS_OK;
    int64_t span = (int64_t)s->n * step;
    if (span >= 2 * day && *n_out < max)
        periods[(*n_out)++] = (size_t)(day / step);
    if (span >= 3 * week && *n_out < max)
        periods[(*n_out)++] = (size_t)(week / step);
    return KAIROS_OK;
}
