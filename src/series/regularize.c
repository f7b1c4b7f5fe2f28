/* Regularization: sort by time, bin onto a fixed step, aggregate, mark and fill gaps. */
#include "series_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* More steps than this is almost certainly a wrong step or a stray timestamp, and would
 * need gigabytes. */
#define MAX_STEPS UINT64_C(100000000)

int kairos_regularize_opts_init(kairos_regularize_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "kairos_regularize_opts_init: opts is NULL");
    int rc = kairos__check_version(version, KAIROS_REGULARIZE_OPTS_VERSION,
                                   "kairos_regularize_opts");
    if (rc)
        return rc;
    const kairos_regularize_opts defaults = KAIROS_REGULARIZE_OPTS_INIT;
    *opts = defaults;
    return KAIROS_OK;
}

static int resolve_opts(const kairos_regularize_opts *opts, kairos_regularize_opts *o)
{
    const kairos_regularize_opts defaults = KAIROS_REGULARIZE_OPTS_INIT;
    *o = defaults;
    if (!opts)
        return KAIROS_OK;
    int rc = kairos__check_version(opts->version, KAIROS_REGULARIZE_OPTS_VERSION,
                                   "kairos_regularize_opts");
    if (rc)
        return rc;
    *o = *opts;
    if (o->step_s < 0)
        return kairos__fail(KAIROS_EINVAL, "regularize step %lld is negative",
                            (long long)o->step_s);
    if ((unsigned)o->agg > KAIROS_AGG_SUM)
        return kairos__fail(KAIROS_EINVAL, "unknown aggregation %d", (int)o->agg);
    if ((unsigned)o->fill > KAIROS_FILL_PREVIOUS)
        return kairos__fail(KAIROS_EINVAL, "unknown fill method %d", (int)o->fill);
    return KAIROS_OK;
}

/* ---- Sorting ------------------------------------------------------------------------ */

typedef struct timed_index {
    int64_t t;
    size_t i;   /* position in the input */
} timed_index;

/* Ties keep input order, which makes the sort stable and AGG_LAST well defined. */
static int by_time_then_input(const void *pa, const void *pb)
{
    const timed_index *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static timed_index *sort_by_time(const int64_t *timestamps, size_t n)
{
    timed_index *order = kairos__malloc_array(n, sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < n; i++)
        order[i] = (timed_index){ timestamps[i], i };
    qsort(order, n, sizeof *order, by_time_then_input);
    return order;
}

/* Points that arrived after a later one: earlier than some point before them in the input. */
static size_t count_late_points(const int64_t *timestamps, size_t n)
{
    size_t late = 0;
    int64_t latest = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && timestamps[i] < latest)
            late++;
        if (timestamps[i] > latest)
            latest = timestamps[i];
    }
    return late;
}

/* ---- Grid --------------------------------------------------------------------------- */

static uint64_t distance(int64_t from, int64_t to)   /* to >= from; exact in 64 bits */
{
    return (uint64_t)to - (uint64_t)from;
}

static int compare_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/* The median spacing of the distinct timestamps (the lower middle one when there is an even
 * number of spacings, so the step is a spacing that really occurs). */
static int infer_step(const timed_index *order, size_t n, int64_t *step)
{
    uint64_t *spacings = kairos__malloc_array(n, sizeof *spacings);
    if (!spacings)
        return kairos__fail(KAIROS_ENOMEM, "out of memory inferring the step of %zu points", n);
    size_t m = 0;
    for (size_t j = 1; j < n; j++)
        if (order[j].t != order[j - 1].t)
            spacings[m++] = distance(order[j - 1].t, order[j].t);
    if (m == 0) {
        free(spacings);
        return kairos__fail(KAIROS_EDATA, "cannot infer a step from fewer than 2 distinct "
                                          "timestamps; give one");
    }
    qsort(spacings, m, sizeof *spacings, compare_u64);
    uint64_t median = spacings[(m - 1) / 2];
    free(spacings);
    if (median > (uint64_t)INT64_MAX)
        return kairos__fail(KAIROS_EDATA, "timestamps are too far apart to infer a step");
    *step = (int64_t)median;
    return KAIROS_OK;
}

typedef struct grid {
    int64_t anchor;   /* first timestamp rounded down (toward -inf) to a multiple of step */
    int64_t step;
    size_t steps;
} grid;

static int make_grid(int64_t first, int64_t last, int64_t step, grid *g)
{
    int64_t into_step = first % step;
    if (into_step < 0)
        into_step += step;
    if (first < INT64_MIN + into_step)
        return kairos__fail(KAIROS_EDATA, "timestamp %lld is too close to the 64-bit limit to "
                                          "round down to a step of %lld s",
                            (long long)first, (long long)step);
    g->anchor = first - into_step;
    g->step = step;
    uint64_t last_index = distance(g->anchor, last) / (uint64_t)step;
    if (last_index >= MAX_STEPS)
        return kairos__fail(KAIROS_EDATA, "regularizing would need %llu steps of %lld s; the "
                                          "limit is 100 million (is the step right?)",
                            (unsigned long long)last_index + 1, (long long)step);
    g->steps = (size_t)last_index + 1;
    return KAIROS_OK;
}

static size_t step_of(const grid *g, int64_t t)
{
    return (size_t)(distance(g->anchor, t) / (uint64_t)g->step);
}

/* ---- Aggregation -------------------------------------------------------------------- */

/* Combine the non-missing values of one step's points (sorted by time, ties in input order).
 * NaN when every one is missing. */
static double aggregate(const double *values, const timed_index *run, size_t count, kairos_agg agg)
{
    double sum = 0, max = -INFINITY, last = NAN;
    size_t present = 0;
    bool infinite_input = false;
    for (size_t j = 0; j < count; j++) {
        double x = values[run[j].i];
        if (isnan(x))
            continue;
        present++;
        sum += x;
        max = x > max ? x : max;
        last = x;
        infinite_input |= isinf(x);
    }
    if (present == 0)
        return NAN;
    switch (agg) {
    case KAIROS_AGG_MAX:  return max;
    case KAIROS_AGG_LAST: return last;
    case KAIROS_AGG_SUM:  return sum;
    case KAIROS_AGG_MEAN: break;
    }
    if (isfinite(sum) || infinite_input)
        return sum / (double)present;
    double mean = 0;   /* the sum of large finite values overflowed: scale first */
    for (size_t j = 0; j < count; j++)
        if (!isnan(values[run[j].i]))
            mean += values[run[j].i] / (double)present;
    return mean;
}

/* Bin the sorted points onto the grid. Steps without points are gaps (NaN). */
static void bin_points(const kairos_series *in, const timed_index *order, const grid *g,
                       kairos_agg agg, double *out, kairos_regularize_report *rep)
{
    size_t j = 0, gap_run = 0;
    for (size_t k = 0; k < g->steps; k++) {
        size_t start = j;
        while (j < in->n && step_of(g, order[j].t) == k)
            j++;
        if (j == start) {
            out[k] = NAN;
            rep->gaps++;
            if (++gap_run > rep->largest_gap)
                rep->largest_gap = gap_run;
            continue;
        }
        gap_run = 0;
        rep->merged += j - start - 1;
        out[k] = aggregate(in->values, order + start, j - start, agg);
    }
}

/* ---- Filling ------------------------------------------------------------------------ */

/* Carry the last known value forward; leading missing steps have none and stay missing. */
static size_t fill_previous(double *v, size_t n)
{
    size_t filled = 0;
    bool known = false;
    double previous = 0;
    for (size_t k = 0; k < n; k++) {
        if (!isnan(v[k])) {
            previous = v[k];
            known = true;
        } else if (known) {
            v[k] = previous;
            filled++;
        }
    }
    return filled;
}

/* Interpolate only between two known values; leading and trailing missing steps stay. */
static size_t fill_linear(double *v, size_t n)
{
    size_t filled = 0, known = SIZE_MAX;
    for (size_t k = 0; k < n; k++) {
        if (isnan(v[k]))
            continue;
        if (known != SIZE_MAX && k - known > 1) {
            double a = v[known], b = v[k], width = (double)(k - known);
            for (size_t m = known + 1; m < k; m++) {
                double w = (double)(m - known) / width;
                v[m] = (1 - w) * a + w * b;   /* this form cannot overflow for finite a, b */
                filled++;
            }
        }
        known = k;
    }
    return filled;
}

/* ---- Entry point -------------------------------------------------------------------- */

static int build_output(kairos_series **out, const kairos_series *in, const grid *g,
                        double *values)
{
    int64_t *timestamps = kairos__malloc_array(g->steps, sizeof *timestamps);
    size_t name_len = strlen(in->name);
    char *name = malloc(name_len + 1);
    if (!timestamps || !name) {
        free(timestamps);
        free(name);
        free(values);
        return kairos__fail(KAIROS_ENOMEM, "out of memory building a series of %zu steps",
                            g->steps);
    }
    for (size_t k = 0; k < g->steps; k++)
        /* In unsigned arithmetic: k * step may exceed INT64_MAX when anchor is negative. */
        timestamps[k] = (int64_t)((uint64_t)g->anchor + (uint64_t)k * (uint64_t)g->step);
    memcpy(name, in->name, name_len + 1);
    int rc = kairos__series_adopt(out, values, timestamps, g->steps, name);
    if (rc == KAIROS_OK)
        (*out)->step_s = g->step;
    return rc;
}

static int check_input(const kairos_series *in)
{
    if (!in)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_regularize: series is NULL");
    if (!in->timestamps)
        return kairos__fail(KAIROS_EDATA, "the series has no timestamps to regularize");
    if (in->n == 0)
        return kairos__fail(KAIROS_EDATA, "the series is empty");
    return KAIROS_OK;
}

static int regularize_sorted(kairos_series **out, const kairos_series *in,
                             const timed_index *order, const kairos_regularize_opts *o,
                             kairos_regularize_report *rep)
{
    int64_t step = o->step_s;
    int rc = step ? KAIROS_OK : infer_step(order, in->n, &step);
    grid g = { 0, 0, 0 };
    if (rc == KAIROS_OK)
        rc = make_grid(order[0].t, order[in->n - 1].t, step, &g);
    if (rc)
        return rc;
    double *values = kairos__malloc_array(g.steps, sizeof *values);
    if (!values)
        return kairos__fail(KAIROS_ENOMEM, "out of memory building a series of %zu steps", g.steps);
    bin_points(in, order, &g, o->agg, values, rep);
    if (o->fill == KAIROS_FILL_PREVIOUS)
        rep->filled = fill_previous(values, g.steps);
    else if (o->fill == KAIROS_FILL_LINEAR)
        rep->filled = fill_linear(values, g.steps);
    rep->points_out = g.steps;
    rep->step_s = step;
    return build_output(out, in, &g, values);
}

int kairos_series_regularize(kairos_series **out, const kairos_series *in,
                             const kairos_regularize_opts *opts, kairos_regularize_report *report)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_regularize: out is NULL");
    *out = NULL;
    kairos_regularize_opts o;
    int rc = check_input(in);
    if (rc == KAIROS_OK)
        rc = resolve_opts(opts, &o);
    if (rc)
        return rc;
    timed_index *order = sort_by_time(in->timestamps, in->n);
    if (!order)
        return kairos__fail(KAIROS_ENOMEM, "out of memory sorting %zu points", in->n);
    kairos_regularize_report rep = { .points_in = in->n };
    rep.reordered = count_late_points(in->timestamps, in->n);
    rc = regularize_sorted(out, in, order, &o, &rep);
    free(order);
    if (rc == KAIROS_OK && report)
        *report = rep;
    return rc;
}
