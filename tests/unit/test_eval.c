/* Evaluation: metrics against hand calculations and the independent M4 scorer of bench/,
 * rolling-origin windows, and split-conformal calibration on heavy-tailed data. Every
 * expected value is worked out here (by hand in the comments, or by a direct loop over the
 * definition), never taken from the library's output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kairos/kairos.h>

/* bench/m4.c scores forecasts the way the M4 competition did and shares no code with
 * libkairos; compiled into this test so the two can be compared on the same inputs. */
#include "../../bench/m4.c"

#define TOL 1e-12

/* |actual − expected| ≤ tol (absolute; 0 asks for the same double). */
static void assert_near(double actual, double expected, double tol)
{
    if (!(fabs(actual - expected) <= tol))
        fail_msg("got %.17g, expected %.17g", actual, expected);
}

/* ---- metrics against hand calculations --------------------------------------------------
 * y = 1 2 3 4, f = 2 2 2 2: errors −1 0 1 2. */
static const double Y4[] = { 1, 2, 3, 4 }, F4[] = { 2, 2, 2, 2 };

static void mae_is_the_mean_absolute_error(void **state)
{
    (void)state;
    double v;
    assert_int_equal(kairos_metric_mae(Y4, F4, 4, &v), KAIROS_OK);
    assert_near(v, 4.0 / 4.0, TOL);                     /* (1+0+1+2)/4 */
}

static void rmse_is_the_root_of_the_mean_square(void **state)
{
    (void)state;
    double v;
    assert_int_equal(kairos_metric_rmse(Y4, F4, 4, &v), KAIROS_OK);
    assert_near(v, sqrt(6.0 / 4.0), TOL);               /* (1+0+1+4)/4 */
}

static void mape_is_in_percent_of_the_actual(void **state)
{
    (void)state;
    double v;
    assert_int_equal(kairos_metric_mape(Y4, F4, 4, &v), KAIROS_OK);
    assert_near(v, 25.0 * (1.0 + 0.0 + 1.0 / 3.0 + 0.5), 1e-10);
}

static void mape_skips_zero_actuals(void **state)
{
    (void)state;
    const double y[] = { 0, 2 }, f[] = { 1, 1 };
    double v;
    assert_int_equal(kairos_metric_mape(y, f, 2, &v), KAIROS_OK);
    assert_near(v, 50.0, TOL);                          /* only |2−1|/2 counts */
    const double zeros[] = { 0, 0 };
    assert_int_equal(kairos_metric_mape(zeros, f, 2, &v), KAIROS_EDATA);
    assert_true(isnan(v));
}

static void smape_follows_the_m4_definition(void **state)
{
    (void)state;
    double v;
    assert_int_equal(kairos_metric_smape(Y4, F4, 4, &v), KAIROS_OK);
    /* 200/4 · (1/3 + 0 + 1/5 + 2/6) */
    assert_near(v, 50.0 * (1.0 / 3.0 + 0.2 + 1.0 / 3.0), 1e-10);
}

static void smape_counts_an_exact_zero_forecast_of_zero_as_perfect(void **state)
{
    (void)state;
    const double y[] = { 0, 1 }, f[] = { 0, 3 };
    double v;
    assert_int_equal(kairos_metric_smape(y, f, 2, &v), KAIROS_OK);
    assert_near(v, 100.0 * (0.0 + 2.0 * 2.0 / 4.0) / 2.0, TOL);   /* 50 */
}

static void missing_actuals_are_skipped(void **state)
{
    (void)state;
    const double y[] = { 1, NAN, 3 }, f[] = { 2, 100, 2 };
    double v;
    assert_int_equal(kairos_metric_mae(y, f, 3, &v), KAIROS_OK);
    assert_near(v, 1.0, TOL);
    assert_int_equal(kairos_metric_rmse(y, f, 3, &v), KAIROS_OK);
    assert_near(v, 1.0, TOL);
}

static void all_missing_actuals_leave_metrics_undefined(void **state)
{
    (void)state;
    const double y[] = { NAN, NAN }, f[] = { 1, 2 };
    double v = 0;
    assert_int_equal(kairos_metric_mae(y, f, 2, &v), KAIROS_EDATA);
    assert_true(isnan(v));
    assert_int_equal(kairos_metric_smape(y, f, 0, &v), KAIROS_EDATA);
    assert_non_null(strstr(kairos_last_error(), "no actual value"));
}

static void bad_arguments_are_refused(void **state)
{
    (void)state;
    double v;
    const double f_nan[] = { 1, NAN };
    assert_int_equal(kairos_metric_mae(Y4, F4, 4, NULL), KAIROS_EINVAL);
    assert_int_equal(kairos_metric_mae(NULL, F4, 4, &v), KAIROS_EINVAL);
    assert_int_equal(kairos_metric_mae(Y4, f_nan, 2, &v), KAIROS_EINVAL);
    assert_int_equal(kairos_metric_pinball(Y4, F4, 4, 1.0, &v), KAIROS_EINVAL);
    assert_int_equal(kairos_metric_naive_scale(Y4, 4, 0, &v), KAIROS_EINVAL);
    assert_int_equal(kairos_metric_msis(Y4, 4, 1, Y4, F4, F4, 4, 0.0, &v), KAIROS_EINVAL);
}

/* train = 1 3 2 5 4 */
static const double TRAIN[] = { 1, 3, 2, 5, 4 };

static void naive_scale_is_the_in_sample_seasonal_naive_mae(void **state)
{
    (void)state;
    double v;
    assert_int_equal(kairos_metric_naive_scale(TRAIN, 5, 1, &v), KAIROS_OK);
    assert_near(v, 7.0 / 4.0, TOL);        /* |2|+|−1|+|3|+|−1| over 4 */
    assert_int_equal(kairos_metric_naive_scale(TRAIN, 5, 2, &v), KAIROS_OK);
    assert_near(v, 5.0 / 3.0, TOL);        /* |2−1|+|5−3|+|4−2| over 3 */
    const double flat[] = { 2, 2, 2 };
    assert_int_equal(kairos_metric_naive_scale(flat, 3, 1, &v), KAIROS_EDATA);
}

static void mase_divides_mae_by_the_naive_scale(void **state)
{
    (void)state;
    const double y[] = { 6, 7 }, f[] = { 5, 5 };
    double v;
    assert_int_equal(kairos_metric_mase(TRAIN, 5, 1, y, f, 2, &v), KAIROS_OK);
    assert_near(v, 1.5 / 1.75, TOL);       /* MAE (1+2)/2 */
}

static void pinball_weights_the_two_sides_by_the_level(void **state)
{
    (void)state;
    const double y[] = { 10, 10 }, q[] = { 8, 11 };
    double v;
    assert_int_equal(kairos_metric_pinball(y, q, 2, 0.9, &v), KAIROS_OK);
    assert_near(v, (0.9 * 2 + 0.1 * 1) / 2, TOL);    /* under by 2, over by 1 */
    assert_int_equal(kairos_metric_pinball(y, q, 2, 0.1, &v), KAIROS_OK);
    assert_near(v, (0.1 * 2 + 0.9 * 1) / 2, TOL);
}

static void coverage_counts_bounds_as_inside(void **state)
{
    (void)state;
    const double y[] = { 1, 5, 10, NAN }, lo[] = { 0, 0, 0, 0 }, hi[] = { 2, 5, 9, 1 };
    double v;
    assert_int_equal(kairos_metric_coverage(y, lo, hi, 4, &v), KAIROS_OK);
    assert_near(v, 2.0 / 3.0, TOL);
}

static void msis_adds_scaled_penalties_outside_the_interval(void **state)
{
    (void)state;
    const double y[] = { 0, 5, 10 }, lo[] = { 1, 1, 1 }, hi[] = { 6, 6, 6 };
    double v;
    assert_int_equal(kairos_metric_msis(TRAIN, 5, 1, y, lo, hi, 3, 0.05, &v), KAIROS_OK);
    /* widths 5+5+5, penalties 40·1 (y=0 below 1) and 40·4 (y=10 above 6): 215/3/1.75 */
    assert_near(v, 215.0 / 3.0 / 1.75, 1e-10);
}

/* ---- agreement with the M4 scorer of bench/m4.c ------------------------------------------ */

static void metrics_agree_with_the_m4_scorer(void **state)
{
    (void)state;
    const double train[] = { 20, 24, 31, 27, 22, 25, 33, 29, 21, 26, 35, 30 };
    const double y[][4] = { { 23, 27, 36, 31 }, { 19, 30, 30, 33 } };
    const double f[][4] = { { 21, 26, 35, 30 }, { 22, 26, 33, 28 } };
    const double lo[][4] = { { 15, 20, 30, 25 }, { 20, 21, 29, 20 } };
    const double hi[][4] = { { 27, 32, 40, 35 }, { 25, 28, 36, 31 } };
    for (size_t s = 0; s < 2; s++)
        for (size_t m = 1; m <= 4; m += 3) {
            double v;
            assert_int_equal(kairos_metric_smape(y[s], f[s], 4, &v), KAIROS_OK);
            assert_near(v, m4_smape(y[s], f[s], 4), 1e-12);
            assert_int_equal(kairos_metric_mase(train, 12, m, y[s], f[s], 4, &v), KAIROS_OK);
            assert_near(v, m4_mase(train, 12, m, y[s], f[s], 4), 1e-12);
            assert_int_equal(kairos_metric_msis(train, 12, m, y[s], lo[s], hi[s], 4, 0.05, &v),
                             KAIROS_OK);
            assert_near(v, m4_msis(train, 12, m, y[s], lo[s], hi[s], 4, 0.05), 1e-12);
        }
}

/* ---- backtest windows ------------------------------------------------------------------ */

/* A deterministic, non-constant series: y_t = (7t mod 11) + t/2. */
static kairos_series *zigzag(size_t n, double *y)
{
    for (size_t t = 0; t < n; t++)
        y[t] = (double)((7 * t) % 11) + 0.5 * (double)t;
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, y, NULL, n), KAIROS_OK);
    return s;
}

static void origins_step_back_from_the_end_of_the_series(void **state)
{
    (void)state;
    double y[30];
    kairos_series *s = zigzag(30, y);
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "naive";
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = 3;
    bt.windows = 4;
    bt.step = 2;
    kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
    assert_int_equal(kairos_backtest(&r, s, &fit, &bt), KAIROS_OK);
    assert_int_equal(r.n_windows, 4);
    const size_t expected[] = { 21, 23, 25, 27 };   /* 30 − 3 − (4 − 1 − k)·2 */
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(r.windows[k].origin, expected[k]);
    assert_int_equal(r.windows[3].origin + r.horizon, 30);
    kairos_backtest_result_dispose(&r);
    kairos_series_free(s);
}

static void defaults_are_five_windows_one_horizon_apart(void **state)
{
    (void)state;
    double y[40];
    kairos_series *s = zigzag(40, y);
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "mean";
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = 3;
    kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
    assert_int_equal(kairos_backtest(&r, s, &fit, &bt), KAIROS_OK);
    assert_int_equal(r.n_windows, 5);
    assert_int_equal(r.step, 3);
    for (size_t k = 0; k < 5; k++)
        assert_int_equal(r.windows[k].origin, 25 + 3 * k);
    assert_near(r.msis_level, 95.0, 0);
    kairos_backtest_result_dispose(&r);
    kairos_series_free(s);
}

static void a_series_too_short_for_the_windows_is_refused_with_the_length_needed(void **state)
{
    (void)state;
    double y[40];
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "naive";
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = 4;
    bt.windows = 3;
    bt.step = 5;
    bt.min_train = 10;             /* needs 10 + 4 + 2·5 = 24 points */
    kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
    kairos_series *s = zigzag(23, y);
    assert_int_equal(kairos_backtest(&r, s, &fit, &bt), KAIROS_EDATA);
    assert_non_null(strstr(kairos_last_error(), "too short for 3 backtest windows"));
    assert_non_null(strstr(kairos_last_error(), "at least 24"));
    assert_null(r.windows);
    kairos_series_free(s);
    s = zigzag(24, y);
    assert_int_equal(kairos_backtest(&r, s, &fit, &bt), KAIROS_OK);
    assert_int_equal(r.windows[0].origin, 10);
    kairos_backtest_result_dispose(&r);
    kairos_series_free(s);
}

static void a_window_the_model_cannot_fit_is_named(void **state)
{
    (void)state;
    double y[40];
    kairos_series *s = zigzag(40, y);
    size_t period = 24;
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "snaive";
    fit.periods = &period;
    fit.n_periods = 1;
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = 5;                /* first origin 40 − 5 − 4·5 = 15 < one season */
    kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
    assert_int_equal(kairos_backtest(&r, s, &fit, &bt), KAIROS_EDATA);
    assert_non_null(strstr(kairos_last_error(), "backtest window 1 of 5"));
    kairos_series_free(s);
}

static void bad_backtest_options_are_refused(void **state)
{
    (void)state;
    double y[40];
    kairos_series *s = zigzag(40, y);
    kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = 0;
    assert_int_equal(kairos_backtest(&r, s, NULL, &bt), KAIROS_EINVAL);
    bt.horizon = 2;
    const double bad_level = 100;
    bt.levels = &bad_level;
    bt.n_levels = 1;
    assert_int_equal(kairos_backtest(&r, s, NULL, &bt), KAIROS_EINVAL);
    bt.n_levels = 0;
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "no-such-model";
    assert_int_equal(kairos_backtest(&r, s, &fit, &bt), KAIROS_EINVAL);
    bt.version = 99;
    assert_int_equal(kairos_backtest(&r, s, NULL, &bt), KAIROS_EVERSION);
    assert_int_equal(kairos_backtest_opts_init(&bt, 1), KAIROS_OK);
    assert_int_equal(bt.horizon, 1);
    kairos_series_free(s);
}

/* The naive forecast of window k is y[o−1] at every step; its sd is σ√h with σ² the mean
 * squared one-step difference of the training part. */
static void naive_windows_score_as_computed_from_the_definitions(void **state)
{
    (void)state;
    enum { N = 30, H = 3, K = 4, S = 2 };
    double y[N];
    kairos_series *s = zigzag(N, y);
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "naive";
    const double q[] = { 0.5, 0.9 }, level = 80, z90 = 1.2815515655446004;
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = H;
    bt.windows = K;
    bt.step = S;
    bt.quantiles = q;
    bt.n_quantiles = 2;
    bt.levels = &level;
    bt.n_levels = 1;
    bt.season = 2;
    kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
    assert_int_equal(kairos_backtest(&r, s, &fit, &bt), KAIROS_OK);
    double abs_sum = 0, sq_sum = 0, mase_sum = 0;
    for (size_t k = 0; k < K; k++) {
        size_t o = N - H - (K - 1 - k) * S;
        double sigma2 = 0, scale = 0, ae = 0, pin9 = 0, inside = 0;
        for (size_t t = 1; t < o; t++)
            sigma2 += (y[t] - y[t - 1]) * (y[t] - y[t - 1]) / (double)(o - 1);
        for (size_t t = 2; t < o; t++)
            scale += fabs(y[t] - y[t - 2]) / (double)(o - 2);
        for (size_t h = 1; h <= H; h++) {
            double e = y[o + h - 1] - y[o - 1], sd = sqrt(sigma2 * (double)h);
            double q9 = y[o - 1] + z90 * sd;
            ae += fabs(e);
            sq_sum += e * e;
            pin9 += y[o + h - 1] >= q9 ? 0.9 * (y[o + h - 1] - q9) : 0.1 * (q9 - y[o + h - 1]);
            inside += fabs(e) <= z90 * sd;
        }
        const kairos_backtest_window *w = &r.windows[k];
        assert_string_equal(w->model, "naive");
        assert_near(w->metrics.mae, ae / H, 1e-12);
        assert_near(w->pinball[0], ae / H / 2, 1e-12);    /* q0.5 is the mean */
        assert_near(w->pinball[1], pin9 / H, 1e-9);
        assert_near(w->coverage[0], inside / H, 0);
        assert_near(w->scale, scale, 1e-12);
        assert_near(w->metrics.mase, ae / H / scale, 1e-12);
        abs_sum += ae;
        mase_sum += ae / H / scale;
    }
    assert_int_equal(r.overall.n, K * H);
    assert_near(r.overall.mae, abs_sum / (K * H), 1e-12);
    assert_near(r.overall.rmse, sqrt(sq_sum / (K * H)), 1e-12);
    assert_near(r.overall.mase, mase_sum / K, 1e-12);
    kairos_backtest_result_dispose(&r);
    kairos_series_free(s);
}

static void missing_actuals_are_not_scored_in_a_window(void **state)
{
    (void)state;
    double y[20];
    for (size_t t = 0; t < 20; t++)
        y[t] = (double)(t % 5);
    y[18] = NAN;
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, y, NULL, 20), KAIROS_OK);
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "mean";
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = 4;
    bt.windows = 2;
    kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
    assert_int_equal(kairos_backtest(&r, s, &fit, &bt), KAIROS_OK);
    assert_int_equal(r.windows[0].metrics.n, 4);
    assert_int_equal(r.windows[1].metrics.n, 3);
    assert_int_equal(r.overall.n, 7);
    kairos_backtest_result_dispose(&r);
    kairos_series_free(s);
}

static void the_season_is_inferred_from_hourly_timestamps(void **state)
{
    (void)state;
    enum { N = 24 * 5 };
    double y[N];
    int64_t t[N];
    for (size_t i = 0; i < N; i++) {
        y[i] = (double)(i % 24) + (double)(i % 7);
        t[i] = 1714521600 + 3600 * (int64_t)i;
    }
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, y, t, N), KAIROS_OK);
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "naive";
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = 6;
    kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
    assert_int_equal(kairos_backtest(&r, s, &fit, &bt), KAIROS_OK);
    assert_int_equal(r.season, 24);
    assert_int_equal(r.timed, 1);
    assert_true(r.windows[4].start_time == t[N - 6]);
    kairos_backtest_result_dispose(&r);
    kairos_series_free(s);
}

static size_t count_occurrences(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static void json_has_every_window_and_is_the_same_on_every_run(void **state)
{
    (void)state;
    double y[40];
    kairos_series *s = zigzag(40, y);
    const double q[] = { 0.1, 0.9 }, levels[] = { 80, 95 };
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = 4;
    bt.windows = 3;
    bt.quantiles = q;
    bt.n_quantiles = 2;
    bt.levels = levels;
    bt.n_levels = 2;
    kairos_buf a = KAIROS_BUF_INIT, b = KAIROS_BUF_INIT;
    for (int run = 0; run < 2; run++) {
        kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
        assert_int_equal(kairos_backtest(&r, s, NULL, &bt), KAIROS_OK);
        assert_int_equal(kairos_backtest_result_json(&r, run ? &b : &a), KAIROS_OK);
        kairos_backtest_result_dispose(&r);
        kairos_backtest_result_dispose(&r);   /* twice is fine */
    }
    assert_string_equal(a.data, b.data);
    assert_int_equal(count_occurrences(a.data, "\"window\":"), 3);
    assert_non_null(strstr(a.data, "\"coverage\":{\"80\":"));
    assert_non_null(strstr(a.data, "\"pinball\":{\"0.1\":"));
    assert_non_null(strstr(a.data, "\"aggregate\":{\"n\":12,"));
    assert_non_null(strstr(a.data, "\"start\":null"));
    kairos_buf_dispose(&a);
    kairos_buf_dispose(&b);
    kairos_series_free(s);
}

/* ---- calibration ----------------------------------------------------------------------- */

/* xorshift64 and Box–Muller: a fixed stream, so the test is deterministic. */
static double uniform01(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return ((double)(*x >> 11) + 0.5) / 9007199254740992.0;
}

static double std_normal(uint64_t *x)
{
    double u = uniform01(x), v = uniform01(x);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Student t with 3 degrees of freedom: Z / sqrt(χ²₃ / 3). */
static double student_t3(uint64_t *x)
{
    double z = std_normal(x), chi2 = 0;
    for (int i = 0; i < 3; i++) {
        double g = std_normal(x);
        chi2 += g * g;
    }
    return z / sqrt(chi2 / 3.0);
}

enum { DAY = 24, DAYS = 90, FIRST_FRESH_DAY = 60 };

/* Coverage of the central @p level % interval on the fresh days after FIRST_FRESH_DAY: at each
 * fresh origin the model (plain, and calibrated with the default windows) is fitted to all data
 * before it and scored on the next day. */
static void fresh_coverage(const double *y, const char *model, double level, double *plain,
                           double *calibrated)
{
    double q[2];
    assert_int_equal(kairos_levels_to_quantiles(&level, 1, q), KAIROS_OK);
    size_t period = DAY, inside_plain = 0, inside_cal = 0, total = 0;
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = model;
    fit.periods = &period;
    fit.n_periods = 1;
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = DAY;                /* windows and step: calibration's defaults */
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = DAY;
    fo.quantiles = q;
    fo.n_quantiles = 2;
    for (size_t o = FIRST_FRESH_DAY * DAY; o + DAY <= DAYS * DAY; o += DAY) {
        kairos_series *s = NULL;
        kairos_model *m = NULL, *c = NULL;
        double mean[DAY], qp[2 * DAY], qc[2 * DAY];
        assert_int_equal(kairos_series_from_arrays(&s, y, NULL, o), KAIROS_OK);
        assert_int_equal(kairos_model_fit(&m, s, &fit), KAIROS_OK);
        assert_int_equal(kairos_model_calibrate(&c, s, &fit, &bt), KAIROS_OK);
        assert_int_equal(kairos_model_forecast(m, &fo, mean, qp), KAIROS_OK);
        assert_int_equal(kairos_model_forecast(c, &fo, mean, qc), KAIROS_OK);
        for (size_t h = 0; h < DAY; h++) {
            double v = y[o + h];
            inside_plain += qp[h] <= v && v <= qp[DAY + h];
            inside_cal += qc[h] <= v && v <= qc[DAY + h];
            total++;
        }
        kairos_model_free(m);
        kairos_model_free(c);
        kairos_series_free(s);
    }
    *plain = (double)inside_plain / (double)total;
    *calibrated = (double)inside_cal / (double)total;
}

/* Growing traffic: the level rises 5-fold, the daily swing and the t(3) noise scale with it.
 * snaive's σ averages the whole history, so its Gaussian intervals are too narrow now. */
static void calibration_widens_intervals_that_under_cover_heavy_tailed_growth(void **state)
{
    (void)state;
    static double y[DAYS * DAY];
    uint64_t seed = 88172645463325252u;
    for (size_t t = 0; t < DAYS * DAY; t++) {
        double level = 10.0 + 0.05 * (double)t;
        y[t] = level * (1.0 + 0.3 * sin(6.283185307179586 * (double)(t % DAY) / DAY)) +
               0.1 * level * student_t3(&seed);
    }
    double plain, cal;
    fresh_coverage(y, "snaive", 80, &plain, &cal);
    assert_true(plain < 0.72);                        /* the Gaussian 80 % under-covers */
    assert_true(fabs(cal - 0.80) < fabs(plain - 0.80) / 2);
    assert_true(fabs(cal - 0.80) < 0.06);
}

/* Stationary t(3) noise around a daily pattern: naive's σ√h grows too fast for a pattern
 * that comes back, so its intervals are too wide; calibration narrows them. */
static void calibration_narrows_intervals_that_over_cover(void **state)
{
    (void)state;
    static double y[DAYS * DAY];
    uint64_t seed = 0x9e3779b97f4a7c15u;
    for (size_t t = 0; t < DAYS * DAY; t++)
        y[t] = 50.0 + 10.0 * sin(6.283185307179586 * (double)(t % DAY) / DAY) +
               3.0 * student_t3(&seed);
    double plain, cal;
    fresh_coverage(y, "naive", 80, &plain, &cal);
    assert_true(plain > 0.88);
    assert_true(fabs(cal - 0.80) < fabs(plain - 0.80) / 2);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The standardized errors (y − ŷ)/s of backtest steps [lo, hi] (0-based), sorted. */
static size_t standardized_errors(const kairos_backtest_result *r, size_t lo, size_t hi,
                                  double *z)
{
    size_t n = 0;
    for (size_t k = 0; k < r->n_windows; k++)
        for (size_t h = lo; h <= hi; h++) {
            const kairos_backtest_window *w = &r->windows[k];
            z[n++] = (w->actual[h] - w->mean[h]) / w->spread[h];
        }
    qsort(z, n, sizeof *z, by_value);
    return n;
}

/* Fit plain and calibrated naive models to y (noisy zigzag), and the plain model's mean and
 * spread (q(Φ(1)) − q(Φ(−1)))/2 for H steps. */
typedef struct calibration_case {
    kairos_series *s;
    kairos_fit_opts fit;
    kairos_backtest_opts bt;
    kairos_backtest_result r;
    kairos_model *calibrated;
    double mean[10], spread[10];
} calibration_case;

static void calibration_case_start(calibration_case *c, double *y, size_t n, size_t H,
                                   size_t windows)
{
    uint64_t seed = 12345;
    for (size_t t = 0; t < n; t++)
        y[t] = (double)((7 * t) % 11) + 0.05 * (double)t + 2.0 * student_t3(&seed);
    assert_int_equal(kairos_series_from_arrays(&c->s, y, NULL, n), KAIROS_OK);
    c->fit = (kairos_fit_opts)KAIROS_FIT_OPTS_INIT;
    c->fit.model = "naive";
    c->bt = (kairos_backtest_opts)KAIROS_BACKTEST_OPTS_INIT;
    c->bt.horizon = H;
    c->bt.windows = windows;
    c->bt.step = 1;
    c->r = (kairos_backtest_result)KAIROS_BACKTEST_RESULT_INIT;
    assert_int_equal(kairos_backtest(&c->r, c->s, &c->fit, &c->bt), KAIROS_OK);
    assert_int_equal(kairos_model_calibrate(&c->calibrated, c->s, &c->fit, &c->bt), KAIROS_OK);
    kairos_model *plain = NULL;
    assert_int_equal(kairos_model_fit(&plain, c->s, &c->fit), KAIROS_OK);
    const double pm[] = { 0.15865525393145707, 0.8413447460685429 };
    double q[20];
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = H;
    fo.quantiles = pm;
    fo.n_quantiles = 2;
    assert_int_equal(kairos_model_forecast(plain, &fo, c->mean, q), KAIROS_OK);
    for (size_t h = 0; h < H; h++)
        c->spread[h] = (q[H + h] - q[h]) / 2;
    kairos_model_free(plain);
}

static void calibration_case_end(calibration_case *c)
{
    kairos_model_free(c->calibrated);
    kairos_backtest_result_dispose(&c->r);
    kairos_series_free(c->s);
}

static void calibrated_quantiles_are_conformal_order_statistics_per_step(void **state)
{
    (void)state;
    enum { H = 4, K = 30 };
    double y[200], z[K], mean[H], q[2 * H];
    calibration_case c;
    calibration_case_start(&c, y, 200, H, K);
    const double levels[] = { 0.1, 0.9 };
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = H;
    fo.quantiles = levels;
    fo.n_quantiles = 2;
    assert_int_equal(kairos_model_forecast(c.calibrated, &fo, mean, q), KAIROS_OK);
    for (size_t h = 0; h < H; h++) {
        assert_int_equal(standardized_errors(&c.r, h, h, z), K);   /* 30 ≥ 20: no pooling */
        /* n = 30: level 0.9 takes the ⌈31·0.9⌉ = 28th smallest, 0.1 the ⌊31·0.1⌋ = 3rd */
        assert_near(q[H + h], c.mean[h] + c.spread[h] * z[27], 1e-9);
        assert_near(q[h], c.mean[h] + c.spread[h] * z[2], 1e-9);
        assert_near(mean[h], c.mean[h], 0);
    }
    calibration_case_end(&c);
}

static void steps_with_few_scores_pool_their_neighbours(void **state)
{
    (void)state;
    enum { H = 10, K = 5 };
    double y[200], z[K * H], mean[H], q[H];
    calibration_case c;
    calibration_case_start(&c, y, 200, H, K);
    const double level = 0.9;
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = H;
    fo.quantiles = &level;
    fo.n_quantiles = 1;
    assert_int_equal(kairos_model_forecast(c.calibrated, &fo, mean, q), KAIROS_OK);
    /* 5 scores a step, 20 needed: step 1 pools steps 1–4 (edge), step 6 steps 4–8 (±2). */
    size_t n = standardized_errors(&c.r, 0, 3, z);
    assert_int_equal(n, 20);
    assert_near(q[0], c.mean[0] + c.spread[0] * z[18], 1e-9);    /* ⌈21·0.9⌉ = 19th */
    n = standardized_errors(&c.r, 3, 7, z);
    assert_int_equal(n, 25);
    assert_near(q[5], c.mean[5] + c.spread[5] * z[23], 1e-9);    /* ⌈26·0.9⌉ = 24th */
    calibration_case_end(&c);
}

/* 5 windows of 2 steps: 10 scores, too few for 0.99 (which needs 99). */
static void a_level_too_extreme_for_the_scores_keeps_the_model_quantile_in_order(void **state)
{
    (void)state;
    enum { H = 2 };
    double y[200], mean[H], qc[3 * H], qp[3 * H];
    calibration_case c;
    calibration_case_start(&c, y, 200, H, 5);
    const double levels[] = { 0.99, 0.5, 0.9 };
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = H;
    fo.quantiles = levels;
    fo.n_quantiles = 3;
    kairos_model *plain = NULL;
    assert_int_equal(kairos_model_fit(&plain, c.s, &c.fit), KAIROS_OK);
    assert_int_equal(kairos_model_forecast(plain, &fo, mean, qp), KAIROS_OK);
    assert_int_equal(kairos_model_forecast(c.calibrated, &fo, mean, qc), KAIROS_OK);
    for (size_t h = 0; h < H; h++) {
        double q50 = qc[H + h], q90 = qc[2 * H + h], q99 = qc[h];
        assert_true(q50 <= q90 && q90 <= q99);
        assert_near(q99, qp[h] > q90 ? qp[h] : q90, 0);
    }
    kairos_model_free(plain);
    calibration_case_end(&c);
}

static void calibrated_model_keeps_the_mean_and_says_it_is_calibrated(void **state)
{
    (void)state;
    double y[60];
    kairos_series *s = zigzag(60, y);
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "drift";
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = 4;
    bt.windows = 6;
    kairos_model *m = NULL, *c = NULL;
    assert_int_equal(kairos_model_fit(&m, s, &fit), KAIROS_OK);
    assert_int_equal(kairos_model_calibrate(&c, s, &fit, &bt), KAIROS_OK);
    const double q[] = { 0.9, 0.1, 0.5 };
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = 7;                                  /* beyond the backtest's 4 steps */
    fo.quantiles = q;
    fo.n_quantiles = 3;
    double mean_m[7], mean_c[7], qc[21];
    assert_int_equal(kairos_model_forecast(m, &fo, mean_m, qc), KAIROS_OK);
    assert_int_equal(kairos_model_forecast(c, &fo, mean_c, qc), KAIROS_OK);
    for (size_t h = 0; h < 7; h++) {
        assert_near(mean_c[h], mean_m[h], 0);
        assert_true(qc[7 + h] <= qc[14 + h] && qc[14 + h] <= qc[h]);   /* q.1 ≤ q.5 ≤ q.9 */
    }
    kairos_model_info info = KAIROS_MODEL_INFO_INIT;
    assert_int_equal(kairos_model_describe(c, &info), KAIROS_OK);
    assert_string_equal(info.name, "drift");
    assert_int_equal(kairos_model_coef_count(c), 1);
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_model_report_json(c, &b), KAIROS_OK);
    assert_non_null(strstr(b.data, "\"name\":\"drift\""));
    assert_non_null(strstr(b.data, "\"calibration\":{\"method\":\"split-conformal\""));
    assert_non_null(strstr(b.data, "\"windows\":6"));
    assert_non_null(strstr(b.data, "\"scores\":24"));
    kairos_buf_dispose(&b);
    kairos_model_free(m);
    kairos_model_free(c);
    kairos_series_free(s);
}

static void calibration_needs_room_for_its_windows(void **state)
{
    (void)state;
    double y[17];
    kairos_series *s = zigzag(17, y);   /* 5 windows 3 apart need 1 + 5 + 4·3 = 18 */
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = 5;
    kairos_model *c = (kairos_model *)1;
    assert_int_equal(kairos_model_calibrate(&c, s, NULL, &bt), KAIROS_EDATA);
    assert_null(c);
    assert_non_null(strstr(kairos_last_error(), "too short"));
    assert_int_equal(kairos_model_calibrate(&c, s, NULL, NULL), KAIROS_EINVAL);
    kairos_series_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mae_is_the_mean_absolute_error),
        cmocka_unit_test(rmse_is_the_root_of_the_mean_square),
        cmocka_unit_test(mape_is_in_percent_of_the_actual),
        cmocka_unit_test(mape_skips_zero_actuals),
        cmocka_unit_test(smape_follows_the_m4_definition),
        cmocka_unit_test(smape_counts_an_exact_zero_forecast_of_zero_as_perfect),
        cmocka_unit_test(missing_actuals_are_skipped),
        cmocka_unit_test(all_missing_actuals_leave_metrics_undefined),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(naive_scale_is_the_in_sample_seasonal_naive_mae),
        cmocka_unit_test(mase_divides_mae_by_the_naive_scale),
        cmocka_unit_test(pinball_weights_the_two_sides_by_the_level),
        cmocka_unit_test(coverage_counts_bounds_as_inside),
        cmocka_unit_test(msis_adds_scaled_penalties_outside_the_interval),
        cmocka_unit_test(metrics_agree_with_the_m4_scorer),
        cmocka_unit_test(origins_step_back_from_the_end_of_the_series),
        cmocka_unit_test(defaults_are_five_windows_one_horizon_apart),
        cmocka_unit_test(a_series_too_short_for_the_windows_is_refused_with_the_length_needed),
        cmocka_unit_test(a_window_the_model_cannot_fit_is_named),
        cmocka_unit_test(bad_backtest_options_are_refused),
        cmocka_unit_test(naive_windows_score_as_computed_from_the_definitions),
        cmocka_unit_test(missing_actuals_are_not_scored_in_a_window),
        cmocka_unit_test(the_season_is_inferred_from_hourly_timestamps),
        cmocka_unit_test(json_has_every_window_and_is_the_same_on_every_run),
        cmocka_unit_test(calibration_widens_intervals_that_under_cover_heavy_tailed_growth),
        cmocka_unit_test(calibration_narrows_intervals_that_over_cover),
        cmocka_unit_test(calibrated_quantiles_are_conformal_order_statistics_per_step),
        cmocka_unit_test(steps_with_few_scores_pool_their_neighbours),
        cmocka_unit_test(a_level_too_extreme_for_the_scores_keeps_the_model_quantile_in_order),
        cmocka_unit_test(calibrated_model_keeps_the_mean_and_says_it_is_calibrated),
        cmocka_unit_test(calibration_needs_room_for_its_windows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
