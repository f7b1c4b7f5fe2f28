/* Regularization: sorting, the grid, aggregation of shared steps, gaps, filling, report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <kairos/series.h>

#define contains(haystack, needle) assert_non_null(strstr((haystack), (needle)))
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static kairos_regularize_report report;

static kairos_series *make(const int64_t *t, const double *v, size_t n)
{
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, v, t, n), KAIROS_OK);
    return s;
}

/* Regularize (t, v) with the given step, aggregation and fill; the report lands in `report`. */
static kairos_series *regularize(const int64_t *t, const double *v, size_t n, int64_t step,
                                 kairos_agg agg, kairos_fill fill)
{
    kairos_series *in = make(t, v, n), *out = NULL;
    kairos_regularize_opts o = KAIROS_REGULARIZE_OPTS_INIT;
    o.step_s = step;
    o.agg = agg;
    o.fill = fill;
    memset(&report, 0xAB, sizeof report);
    int rc = kairos_series_regularize(&out, in, &o, &report);
    kairos_series_free(in);
    if (rc != KAIROS_OK)
        fail_msg("regularize failed (%d): %s", rc, kairos_last_error());
    return out;
}

static void assert_values(const kairos_series *s, const double *expected, size_t n)
{
    assert_int_equal(kairos_series_length(s), n);
    const double *v = kairos_series_values(s);
    for (size_t i = 0; i < n; i++) {
        if (isnan(expected[i])) {
            if (!isnan(v[i]))
                fail_msg("value %zu: expected NaN, got %g", i, v[i]);
        } else if (fabs(v[i] - expected[i]) > 1e-12 * fmax(1, fabs(expected[i]))) {
            fail_msg("value %zu: expected %g, got %g", i, expected[i], v[i]);
        }
    }
}

static void assert_grid(const kairos_series *s, int64_t first, int64_t step)
{
    const int64_t *t = kairos_series_timestamps(s);
    assert_non_null(t);
    assert_int_equal(kairos_series_step(s), step);
    for (size_t i = 0; i < kairos_series_length(s); i++)
        assert_int_equal(t[i], first + (int64_t)i * step);
}

static void assert_refused(const int64_t *t, const double *v, size_t n, int64_t step,
                           int status, const char *why)
{
    kairos_series *in = make(t, v, n), *out = (kairos_series *)&report;
    kairos_regularize_opts o = KAIROS_REGULARIZE_OPTS_INIT;
    o.step_s = step;
    assert_int_equal(kairos_series_regularize(&out, in, &o, NULL), status);
    assert_null(out);
    contains(kairos_last_error(), why);
    kairos_series_free(in);
}

/* ---- Sorting and the grid ---------------------------------------------------------- */

static void points_are_sorted_by_time(void **state)
{
    (void)state;
    const int64_t t[] = { 7200, 0, 3600 };
    const double v[] = { 3, 1, 2 };
    kairos_series *s = regularize(t, v, 3, 3600, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 1, 2, 3 }, 3);
    assert_grid(s, 0, 3600);
    assert_int_equal(report.reordered, 2);
    kairos_series_free(s);
}

static void reordered_counts_points_that_arrived_late(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 60, 180, 120, 240 };
    const double v[] = { 1, 2, 4, 3, 5 };
    kairos_series *s = regularize(t, v, 5, 60, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_int_equal(report.reordered, 1);
    assert_values(s, (double[]){ 1, 2, 3, 4, 5 }, 5);
    kairos_series_free(s);
}

static void grid_starts_on_a_multiple_of_the_step(void **state)
{
    (void)state;
    /* 13:30 and 14:30 land in the 13:00 and 14:00 steps. */
    const int64_t t[] = { 1714568400 + 1800, 1714568400 + 5400 };
    const double v[] = { 1, 2 };
    kairos_series *s = regularize(t, v, 2, 3600, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_grid(s, 1714568400, 3600);
    assert_values(s, v, 2);
    kairos_series_free(s);
}

static void negative_times_round_down_toward_minus_infinity(void **state)
{
    (void)state;
    const int64_t t[] = { -5400, -1800 };
    const double v[] = { 1, 2 };
    kairos_series *s = regularize(t, v, 2, 3600, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_grid(s, -7200, 3600);
    assert_values(s, v, 2);
    kairos_series_free(s);
}

static void step_is_inferred_as_the_median_spacing(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 60, 120, 180, 300, 360 };
    const double v[] = { 1, 2, 3, 4, 5, 6 };
    kairos_series *s = regularize(t, v, 6, 0, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_int_equal(report.step_s, 60);
    assert_int_equal(kairos_series_step(s), 60);
    assert_values(s, (double[]){ 1, 2, 3, 4, NAN, 5, 6 }, 7);
    kairos_series_free(s);
}

static void even_number_of_spacings_takes_the_lower_middle(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 60, 180 };
    const double v[] = { 1, 2, 3 };
    kairos_series *s = regularize(t, v, 3, 0, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_int_equal(report.step_s, 60);
    kairos_series_free(s);
}

static void inferred_step_ignores_repeated_timestamps(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 0, 0, 300, 300, 600 };
    const double v[] = { 1, 1, 1, 2, 2, 3 };
    kairos_series *s = regularize(t, v, 6, 0, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_int_equal(report.step_s, 300);
    assert_values(s, (double[]){ 1, 2, 3 }, 3);
    kairos_series_free(s);
}

/* ---- Aggregation ------------------------------------------------------------------- */

/* Step 0 holds (t=0, 1), (t=30, 5), (t=0, 3) in input order; step 1 holds 10. */
static const int64_t shared_t[] = { 0, 30, 0, 60 };
static const double shared_v[] = { 1, 5, 3, 10 };

static void shared_step_mean(void **state)
{
    (void)state;
    kairos_series *s = regularize(shared_t, shared_v, 4, 60, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 3, 10 }, 2);
    assert_int_equal(report.merged, 2);
    kairos_series_free(s);
}

static void shared_step_max(void **state)
{
    (void)state;
    kairos_series *s = regularize(shared_t, shared_v, 4, 60, KAIROS_AGG_MAX, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 5, 10 }, 2);
    kairos_series_free(s);
}

static void shared_step_last_takes_the_latest_timestamp(void **state)
{
    (void)state;
    kairos_series *s = regularize(shared_t, shared_v, 4, 60, KAIROS_AGG_LAST, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 5, 10 }, 2);
    kairos_series_free(s);
}

static void shared_step_sum(void **state)
{
    (void)state;
    kairos_series *s = regularize(shared_t, shared_v, 4, 60, KAIROS_AGG_SUM, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 9, 10 }, 2);
    kairos_series_free(s);
}

static void last_breaks_timestamp_ties_by_input_order(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 0, 0, 0, 60 };
    const double v[] = { 4, 1, 2, NAN, 7 };
    kairos_series *s = regularize(t, v, 5, 60, KAIROS_AGG_LAST, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 2, 7 }, 2);   /* the missing one is skipped */
    assert_int_equal(report.merged, 3);
    kairos_series_free(s);
}

static void aggregation_skips_missing_values(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 0, 0 };
    const double v[] = { NAN, 4, 2 };
    kairos_series *s = regularize(t, v, 3, 60, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 3 }, 1);
    kairos_series_free(s);
    s = regularize(t, v, 3, 60, KAIROS_AGG_SUM, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 6 }, 1);
    kairos_series_free(s);
}

static void mean_of_huge_values_does_not_overflow(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 0 };
    const double v[] = { 1.5e308, 1.7e308 };
    kairos_series *s = regularize(t, v, 2, 60, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 1.6e308 }, 1);
    kairos_series_free(s);
}

/* ---- Gaps and filling -------------------------------------------------------------- */

static void gaps_are_missing_and_counted(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 60, 240, 300, 480 };
    const double v[] = { 1, 2, 5, 6, 9 };
    kairos_series *s = regularize(t, v, 5, 60, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 1, 2, NAN, NAN, 5, 6, NAN, NAN, 9 }, 9);
    assert_int_equal(report.gaps, 4);
    assert_int_equal(report.largest_gap, 2);
    assert_int_equal(report.filled, 0);
    assert_int_equal(report.points_in, 5);
    assert_int_equal(report.points_out, 9);
    kairos_series_free(s);
}

static void step_with_only_missing_values_is_missing_but_not_a_gap(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 60, 120 };
    const double v[] = { 1, NAN, 3 };
    kairos_series *s = regularize(t, v, 3, 60, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_values(s, v, 3);
    assert_int_equal(report.gaps, 0);
    assert_int_equal(report.largest_gap, 0);
    kairos_series_free(s);
    s = regularize(t, v, 3, 60, KAIROS_AGG_MEAN, KAIROS_FILL_LINEAR);
    assert_values(s, (double[]){ 1, 2, 3 }, 3);
    assert_int_equal(report.filled, 1);   /* missing inputs are filled too */
    kairos_series_free(s);
}

static void linear_fill_interpolates_between_neighbours(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 180, 240 };
    const double v[] = { 0, 3, -1 };
    kairos_series *s = regularize(t, v, 3, 60, KAIROS_AGG_MEAN, KAIROS_FILL_LINEAR);
    assert_values(s, (double[]){ 0, 1, 2, 3, -1 }, 5);
    assert_int_equal(report.gaps, 2);
    assert_int_equal(report.filled, 2);
    kairos_series_free(s);
}

static void previous_fill_carries_values_forward(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 180 };
    const double v[] = { 1, 4 };
    kairos_series *s = regularize(t, v, 2, 60, KAIROS_AGG_MEAN, KAIROS_FILL_PREVIOUS);
    assert_values(s, (double[]){ 1, 1, 1, 4 }, 4);
    assert_int_equal(report.filled, 2);
    kairos_series_free(s);
}

/* Leading missing steps have no value before them; trailing ones none after. */
static const int64_t edge_t[] = { 0, 120, 240 };
static const double edge_v[] = { NAN, 2, NAN };

static void linear_fill_leaves_leading_and_trailing_missing(void **state)
{
    (void)state;
    kairos_series *s = regularize(edge_t, edge_v, 3, 60, KAIROS_AGG_MEAN, KAIROS_FILL_LINEAR);
    assert_values(s, (double[]){ NAN, NAN, 2, NAN, NAN }, 5);
    assert_int_equal(report.filled, 0);
    kairos_series_free(s);
}

static void previous_fill_leaves_leading_but_fills_trailing(void **state)
{
    (void)state;
    kairos_series *s = regularize(edge_t, edge_v, 3, 60, KAIROS_AGG_MEAN, KAIROS_FILL_PREVIOUS);
    assert_values(s, (double[]){ NAN, NAN, 2, 2, 2 }, 5);
    assert_int_equal(report.filled, 2);
    kairos_series_free(s);
}

static void no_fill_leaves_everything_missing(void **state)
{
    (void)state;
    kairos_series *s = regularize(edge_t, edge_v, 3, 60, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ NAN, NAN, 2, NAN, NAN }, 5);
    assert_int_equal(report.gaps, 2);
    kairos_series_free(s);
}

/* ---- Whole-series behaviour -------------------------------------------------------- */

static void regular_series_is_unchanged(void **state)
{
    (void)state;
    int64_t t[48];
    double v[48];
    for (size_t i = 0; i < COUNT(t); i++) {
        t[i] = 1714521600 + (int64_t)i * 3600;
        v[i] = i % 7 == 3 ? NAN : sin((double)i);
    }
    kairos_series *once = regularize(t, v, COUNT(t), 0, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_values(once, v, COUNT(v));
    assert_memory_equal(kairos_series_timestamps(once), t, sizeof t);
    assert_int_equal(report.points_in, 48);
    assert_int_equal(report.points_out, 48);
    assert_int_equal(report.reordered, 0);
    assert_int_equal(report.merged, 0);
    assert_int_equal(report.gaps, 0);
    assert_int_equal(report.filled, 0);
    assert_int_equal(report.largest_gap, 0);
    assert_int_equal(report.step_s, 3600);
    /* and regularizing the result again changes nothing either */
    kairos_series *twice = NULL;
    assert_int_equal(kairos_series_regularize(&twice, once, NULL, NULL), KAIROS_OK);
    assert_values(twice, kairos_series_values(once), 48);
    assert_memory_equal(kairos_series_timestamps(twice), t, sizeof t);
    kairos_series_free(once);
    kairos_series_free(twice);
}

/* The worked example in docs/series.md. */
static void documented_example_holds(void **state)
{
    (void)state;
    const char csv[] = "time,value\n"
                       "2024-05-01 10:00,4\n2024-05-01 10:05,6\n2024-05-01 10:20,12\n"
                       "2024-05-01 10:10,8\n2024-05-01 10:10,10\n2024-05-01 10:30,16\n"
                       "2024-05-01 10:35,NA\n";
    kairos_series *in = NULL, *out = NULL;
    assert_int_equal(kairos_series_parse_csv(&in, csv, strlen(csv), NULL), KAIROS_OK);
    kairos_regularize_opts o = KAIROS_REGULARIZE_OPTS_INIT;
    o.fill = KAIROS_FILL_LINEAR;
    assert_int_equal(kairos_series_regularize(&out, in, &o, &report), KAIROS_OK);
    assert_values(out, (double[]){ 4, 6, 9, 10.5, 12, 14, 16, NAN }, 8);
    assert_grid(out, 1714557600, 300);
    assert_int_equal(report.points_in, 7);
    assert_int_equal(report.points_out, 8);
    assert_int_equal(report.reordered, 2);
    assert_int_equal(report.merged, 1);
    assert_int_equal(report.gaps, 2);
    assert_int_equal(report.largest_gap, 1);
    assert_int_equal(report.filled, 2);
    kairos_series_free(out);
    o.fill = KAIROS_FILL_PREVIOUS;
    assert_int_equal(kairos_series_regularize(&out, in, &o, &report), KAIROS_OK);
    assert_values(out, (double[]){ 4, 6, 9, 9, 12, 12, 16, 16 }, 8);
    assert_int_equal(report.filled, 3);
    kairos_series_free(out);
    kairos_series_free(in);
}

static void name_is_kept(void **state)
{
    (void)state;
    const char csv[] = "time,cpu\n120,2\n0,1\n";
    kairos_series *in = NULL, *out = NULL;
    assert_int_equal(kairos_series_parse_csv(&in, csv, strlen(csv), NULL), KAIROS_OK);
    assert_int_equal(kairos_series_regularize(&out, in, NULL, NULL), KAIROS_OK);
    assert_string_equal(kairos_series_name(out), "cpu");
    assert_int_equal(kairos_series_step(out), 120);
    kairos_series_free(in);
    kairos_series_free(out);
}

static void single_point_with_a_given_step(void **state)
{
    (void)state;
    const int64_t t[] = { 90 };
    const double v[] = { 5 };
    kairos_series *s = regularize(t, v, 1, 60, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_grid(s, 60, 60);
    assert_values(s, v, 1);
    kairos_series_free(s);
}

static void extreme_timestamps_do_not_overflow(void **state)
{
    (void)state;
    const int64_t t[] = { INT64_MIN, 0, INT64_MAX };
    const double v[] = { 1, 2, 3 };
    const int64_t step = INT64_C(1) << 62;
    kairos_series *s = regularize(t, v, 3, step, KAIROS_AGG_MEAN, KAIROS_FILL_NONE);
    assert_values(s, (double[]){ 1, NAN, 2, 3 }, 4);
    assert_int_equal(kairos_series_timestamps(s)[3], step);   /* -2^63 + 3 * 2^62 */
    kairos_series_free(s);
}

/* ---- Refusals ---------------------------------------------------------------------- */

static void untimed_series_is_refused(void **state)
{
    (void)state;
    assert_refused(NULL, (double[]){ 1, 2 }, 2, 60, KAIROS_EDATA, "no timestamps");
}

static void empty_series_is_refused(void **state)
{
    (void)state;
    assert_refused((int64_t[]){ 0 }, (double[]){ 0 }, 0, 60, KAIROS_EDATA, "empty");
}

static void one_distinct_timestamp_needs_a_step(void **state)
{
    (void)state;
    assert_refused((int64_t[]){ 5, 5 }, (double[]){ 1, 2 }, 2, 0, KAIROS_EDATA,
                   "fewer than 2 distinct timestamps");
}

static void more_than_100_million_steps_are_refused(void **state)
{
    (void)state;
    assert_refused((int64_t[]){ 0, 100000000 }, (double[]){ 1, 2 }, 2, 1, KAIROS_EDATA,
                   "would need 100000001 steps");
    assert_refused((int64_t[]){ 0, 1, 2, 4000000000 }, (double[]){ 1, 2, 3, 4 }, 4, 0,
                   KAIROS_EDATA, "limit is 100 million");
}

static void timestamps_at_the_int64_limits_are_refused_cleanly(void **state)
{
    (void)state;
    assert_refused((int64_t[]){ INT64_MIN, INT64_MIN + 7 }, (double[]){ 1, 2 }, 2, 7,
                   KAIROS_EDATA, "too close to the 64-bit limit");
    assert_refused((int64_t[]){ INT64_MIN, INT64_MAX }, (double[]){ 1, 2 }, 2, 0, KAIROS_EDATA,
                   "too far apart");
}

static void bad_options_are_refused(void **state)
{
    (void)state;
    const int64_t t[] = { 0, 60 };
    const double v[] = { 1, 2 };
    kairos_series *in = make(t, v, 2), *out = NULL;
    kairos_regularize_opts o = KAIROS_REGULARIZE_OPTS_INIT;
    o.step_s = -60;
    assert_int_equal(kairos_series_regularize(&out, in, &o, NULL), KAIROS_EINVAL);
    o.step_s = 60;
    o.agg = (kairos_agg)7;
    assert_int_equal(kairos_series_regularize(&out, in, &o, NULL), KAIROS_EINVAL);
    o.agg = KAIROS_AGG_MEAN;
    o.fill = (kairos_fill)9;
    assert_int_equal(kairos_series_regularize(&out, in, &o, NULL), KAIROS_EINVAL);
    o.fill = KAIROS_FILL_NONE;
    o.version = 0;
    assert_int_equal(kairos_series_regularize(&out, in, &o, NULL), KAIROS_EVERSION);
    assert_int_equal(kairos_series_regularize(&out, NULL, NULL, NULL), KAIROS_EINVAL);
    assert_int_equal(kairos_series_regularize(NULL, in, NULL, NULL), KAIROS_EINVAL);
    assert_null(out);
    kairos_series_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_are_sorted_by_time),
        cmocka_unit_test(reordered_counts_points_that_arrived_late),
        cmocka_unit_test(grid_starts_on_a_multiple_of_the_step),
        cmocka_unit_test(negative_times_round_down_toward_minus_infinity),
        cmocka_unit_test(step_is_inferred_as_the_median_spacing),
        cmocka_unit_test(even_number_of_spacings_takes_the_lower_middle),
        cmocka_unit_test(inferred_step_ignores_repeated_timestamps),
        cmocka_unit_test(shared_step_mean),
        cmocka_unit_test(shared_step_max),
        cmocka_unit_test(shared_step_last_takes_the_latest_timestamp),
        cmocka_unit_test(shared_step_sum),
        cmocka_unit_test(last_breaks_timestamp_ties_by_input_order),
        cmocka_unit_test(aggregation_skips_missing_values),
        cmocka_unit_test(mean_of_huge_values_does_not_overflow),
        cmocka_unit_test(gaps_are_missing_and_counted),
        cmocka_unit_test(step_with_only_missing_values_is_missing_but_not_a_gap),
        cmocka_unit_test(linear_fill_interpolates_between_neighbours),
        cmocka_unit_test(previous_fill_carries_values_forward),
        cmocka_unit_test(linear_fill_leaves_leading_and_trailing_missing),
        cmocka_unit_test(previous_fill_leaves_leading_but_fills_trailing),
        cmocka_unit_test(no_fill_leaves_everything_missing),
        cmocka_unit_test(regular_series_is_unchanged),
        cmocka_unit_test(documented_example_holds),
        cmocka_unit_test(name_is_kept),
        cmocka_unit_test(single_point_with_a_given_step),
        cmocka_unit_test(extreme_timestamps_do_not_overflow),
        cmocka_unit_test(untimed_series_is_refused),
        cmocka_unit_test(empty_series_is_refused),
        cmocka_unit_test(one_distinct_timestamp_needs_a_step),
        cmocka_unit_test(more_than_100_million_steps_are_refused),
        cmocka_unit_test(timestamps_at_the_int64_limits_are_refused_cleanly),
        cmocka_unit_test(bad_options_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
