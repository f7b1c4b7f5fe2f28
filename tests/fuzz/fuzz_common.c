/* What every fuzz target does with a series it managed to parse. */
#include "fuzz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void check(int condition)
{
    if (!condition)
        abort();   /* a broken invariant: let the fuzzer report the input */
}

static int compare_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

/* Regularization refuses more than 100 million steps but may build almost that many, which
 * only wastes fuzzing time: skip inputs whose grid could exceed a million steps. The step is
 * at least the smallest spacing, so span / smallest spacing bounds the step count. */
static int grid_is_small(const int64_t *t, size_t n)
{
    int64_t *sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return 0;
    memcpy(sorted, t, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_i64);
    uint64_t smallest = 0;
    for (size_t i = 1; i < n; i++) {
        uint64_t d = (uint64_t)sorted[i] - (uint64_t)sorted[i - 1];
        if (d && (!smallest || d < smallest))
            smallest = d;
    }
    uint64_t span = (uint64_t)sorted[n - 1] - (uint64_t)sorted[0];
    free(sorted);
    return !smallest || span / smallest < 1000000;
}

static void check_regular(const kairos_series *in, const kairos_series *r,
                          const kairos_regularize_report *rep)
{
    size_t n = kairos_series_length(r);
    int64_t step = kairos_series_step(r);
    const int64_t *t = kairos_series_timestamps(r);
    check(n >= 1 && n == rep->points_out && step > 0 && step == rep->step_s && t != NULL);
    check(rep->points_in == kairos_series_length(in));
    check(rep->gaps < n && rep->largest_gap <= rep->gaps && rep->merged < rep->points_in);
    check(rep->reordered < rep->points_in && rep->filled <= n);
    check(n - rep->gaps + rep->merged == rep->points_in);
    for (size_t i = 1; i < n; i++)
        check((uint64_t)t[i] - (uint64_t)t[i - 1] == (uint64_t)step);
    check(strcmp(kairos_series_name(r), kairos_series_name(in)) == 0);
}

void fuzz_exercise_series(const kairos_series *s, unsigned variant)
{
    size_t n = kairos_series_length(s);
    const int64_t *t = kairos_series_timestamps(s);
    (void)kairos_series_validate(s, 2);
    check(strlen(kairos_last_error()) < 512);
    char text[32];
    if (n > 0 && t)
        (void)kairos_format_timestamp(t[0], text, sizeof text);
    if (!t || n == 0 || !grid_is_small(t, n))
        return;
    kairos_regularize_opts o = KAIROS_REGULARIZE_OPTS_INIT;
    o.agg = (kairos_agg)(variant % 4);
    o.fill = (kairos_fill)(variant / 4 % 3);
    kairos_regularize_report rep;
    kairos_series *r = NULL;
    if (kairos_series_regularize(&r, s, &o, &rep) != KAIROS_OK) {
        check(r == NULL);
        return;
    }
    check_regular(s, r, &rep);
    (void)kairos_series_validate(r, 1);
    size_t periods[2], n_periods = 0;
    check(kairos_series_infer_periods(r, periods, 2, &n_periods) == KAIROS_OK);
    kairos_series_free(r);
}
