/* Forecast module: the model interface, the baselines, "auto", quantiles and reports.
 *
 * Expected numbers are worked out by hand (arithmetic in the comments) or, for Φ⁻¹, taken
 * from published tables; none is copied from the implementation's output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include <kairos/kairos.h>
#include "forecast/model_internal.h"

/* Φ⁻¹ of the levels the tests use, to 17 significant digits (published tables, confirmed by
 * Newton's method on erfcl in extended precision). */
#define Z_0975 1.959963984540054
#define Z_090  1.2815515655446004
#define Z_095  1.6448536269514727
#define Z_080  0.8416212335729142

static const double TWO_PI = 6.283185307179586;

/* The running example of FPP-style hand calculations. */
static const double Y5[] = { 1, 3, 2, 5, 4 };

/* ---------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------- */

static void assert_within(double actual, double expected, double relative)
{
    double tol = relative * (fabs(expected) > 1.0 ? fabs(expected) : 1.0);
    if (!(fabs(actual - expected) <= tol))
        fail_msg("got %.17g, expected %.17g", actual, expected);
}

/* Agreement to rounding error of a short computation. */
static void assert_close(double actual, double expected)
{
    assert_within(actual, expected, 1e-12);
}

/* Fit @p model to y (untimed) with the given period (0 = none). */
static int fit_with(kairos_model **out, const char *model, const double *y, size_t n,
                    size_t period, size_t profile_seasons)
{
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, y, NULL, n), KAIROS_OK);
    kairos_fit_opts opts = KAIROS_FIT_OPTS_INIT;
    opts.model = model;
    opts.periods = period ? &period : NULL;
    opts.n_periods = period ? 1 : 0;
    opts.profile_seasons = profile_seasons;
    int rc = kairos_model_fit(out, s, &opts);
    kairos_series_free(s);
    return rc;
}

static kairos_model *fit_ok(const char *model, const double *y, size_t n, size_t period)
{
    kairos_model *m = NULL;
    int rc = fit_with(&m, model, y, n, period, 0);
    if (rc != KAIROS_OK)
        fail_msg("fitting '%s' failed: %s", model, kairos_last_error());
    return m;
}

/* Mean and the quantiles at @p levels for steps 1..h. */
static void forecast_ok(const kairos_model *m, size_t h, const double *levels, size_t nq,
                        double *mean, double *q)
{
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = h;
    fo.quantiles = levels;
    fo.n_quantiles = nq;
    int rc = kairos_model_forecast(m, &fo, mean, q);
    if (rc != KAIROS_OK)
        fail_msg("forecast failed: %s", kairos_last_error());
}

static void assert_error_mentions(const char *text)
{
    if (!strstr(kairos_last_error(), text))
        fail_msg("error '%s' does not mention '%s'", kairos_last_error(), text);
}

/* ---------------------------------------------------------------------------------------
 * Φ⁻¹
 * ------------------------------------------------------------------------------------- */

static void normal_quantile_matches_published_values(void **state)
{
    (void)state;
    /* AS 241 is accurate to about 1e-16 relative: allow a few units in the last place. */
    const double ulps = 2e-15;
    assert_within(kairos__normal_quantile(0.975), Z_0975, ulps);
    assert_within(kairos__normal_quantile(0.9), Z_090, ulps);
    assert_within(kairos__normal_quantile(0.95), Z_095, ulps);
    assert_within(kairos__normal_quantile(0.8), Z_080, ulps);
    assert_within(kairos__normal_quantile(1e-10), -6.361340902404056, ulps);   /* r ≤ 5 tail */
    assert_within(kairos__normal_quantile(1e-20), -9.262340089798408, ulps);   /* r > 5 tail */
    assert_true(kairos__normal_quantile(0.5) == 0.0);
}

static void normal_quantile_is_symmetric_and_monotone(void **state)
{
    (void)state;
    double previous = -INFINITY;
    /* Dyadic p, so 1 − p is exact and any asymmetry is the function's own. */
    for (int k = 1; k < 2048; k++) {
        double p = k / 2048.0;
        double z = kairos__normal_quantile(p);
        assert_true(z > previous);
        previous = z;
        assert_true(fabs(z + kairos__normal_quantile(1.0 - p)) <= 1e-15 * (1 + fabs(z)));
    }
    assert_true(kairos__normal_quantile(0.0) == -INFINITY);
    assert_true(kairos__normal_quantile(1.0) == INFINITY);
    assert_true(isnan(kairos__normal_quantile(NAN)));
    assert_true(isnan(kairos__normal_quantile(1.5)));
}

static void normal_quantile_inverts_the_normal_cdf(void **state)
{
    (void)state;
    /* Φ(z) = erfc(−z/√2)/2, in extended precision, is an independent route back to p across
     * all three regions. One unit in the last place of z moves p by about (1 + z²)·1.1e-16
     * relative (Φ'(z)/Φ(z) ≈ |z| in the tails), so this allows a few ulps of z. */
    const double ps[] = { 1e-300, 1e-50, 1e-12, 1e-6, 0.001, 0.02, 0.07, 0.3, 0.5, 0.6, 0.92 };
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        double z = kairos__normal_quantile(ps[i]);
        long double p = 0.5L * erfcl(-(long double)z / sqrtl(2.0L));
        assert_true(fabsl(p - ps[i]) <= 8e-16L * (1.0L + z * z) * ps[i]);
    }
}

/* ---------------------------------------------------------------------------------------
 * naive
 * ------------------------------------------------------------------------------------- */

static void naive_forecasts_the_last_value_with_sqrt_h_spread(void **state)
{
    (void)state;
    /* y = 1,3,2,5,4: forecast 4; e = 2,−1,3,−1; σ² = (4+1+9+1)/4 = 3.75; sd_h = σ√h. */
    kairos_model *m = fit_ok("naive", Y5, 5, 0);
    const double levels[] = { 0.9, 0.1 };
    double mean[2], q[4];
    forecast_ok(m, 2, levels, 2, mean, q);
    assert_close(mean[0], 4.0);
    assert_close(mean[1], 4.0);
    assert_close(q[0], 4.0 + Z_090 * sqrt(3.75));            /* q0.9, h=1 */
    assert_close(q[1], 4.0 + Z_090 * sqrt(3.75) * sqrt(2.0)); /* q0.9, h=2 = 7.5096735052741… */
    assert_close(q[2], 4.0 - Z_090 * sqrt(3.75));            /* q0.1, h=1 */
    kairos_model_info info = { .version = KAIROS_MODEL_INFO_VERSION };
    assert_int_equal(kairos_model_describe(m, &info), KAIROS_OK);
    assert_string_equal(info.name, "naive");
    assert_close(info.sigma2, 3.75);
    assert_int_equal(info.nobs, 4);
    assert_int_equal(info.period, 0);
    assert_true(isnan(info.loglik) && isnan(info.aic) && isnan(info.aicc) && isnan(info.bic));
    assert_int_equal(kairos_model_coef_count(m), 0);
    kairos_model_free(m);
}

static void naive_skips_residuals_next_to_missing_values(void **state)
{
    (void)state;
    /* y = 1,3,NaN,5,4: only 3−1 = 2 and 4−5 = −1 have both ends: σ² = (4+1)/2 = 2.5. */
    const double y[] = { 1, 3, NAN, 5, 4 };
    kairos_model *m = fit_ok("naive", y, 5, 0);
    kairos_model_info info = { .version = KAIROS_MODEL_INFO_VERSION };
    kairos_model_describe(m, &info);
    assert_close(info.sigma2, 2.5);
    assert_int_equal(info.nobs, 2);
    kairos_model_free(m);
}

static void naive_counts_the_horizon_from_the_last_observation(void **state)
{
    (void)state;
    /* y = 1,3,2,5,4,NaN: step 1 is two steps after the 4, so sd_1 = √3.75·√2. */
    const double y[] = { 1, 3, 2, 5, 4, NAN };
    kairos_model *m = fit_ok("naive", y, 6, 0);
    const double levels[] = { 0.975 };
    double mean[1], q[1];
    forecast_ok(m, 1, levels, 1, mean, q);
    assert_close(mean[0], 4.0);
    assert_close(q[0], 4.0 + Z_0975 * sqrt(3.75 * 2.0));
    kairos_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * snaive
 * ------------------------------------------------------------------------------------- */

/* Three seasons of m = 4. Residuals y_t − y_{t−4}: 2,2,2,2, −1,−1,1,−1 → σ² = 20/8 = 2.5. */
static const double SEASONAL[] = { 10, 20, 30, 40, 12, 22, 32, 42, 11, 21, 33, 41 };

static void snaive_repeats_the_last_season(void **state)
{
    (void)state;
    kairos_model *m = fit_ok("snaive", SEASONAL, 12, 4);
    const double levels[] = { 0.95 };
    double mean[6], q[6];
    forecast_ok(m, 6, levels, 1, mean, q);
    const double expected[] = { 11, 21, 33, 41, 11, 21 };
    for (int h = 0; h < 6; h++)
        assert_close(mean[h], expected[h]);
    assert_close(q[0], 11 + Z_095 * sqrt(2.5));         /* h=1: one season ahead */
    assert_close(q[3], 41 + Z_095 * sqrt(2.5));
    assert_close(q[4], 11 + Z_095 * sqrt(2.5 * 2.0));   /* h=5: ⌊4/4⌋+1 = 2 seasons */
    kairos_model_info info = { .version = KAIROS_MODEL_INFO_VERSION };
    kairos_model_describe(m, &info);
    assert_close(info.sigma2, 2.5);
    assert_int_equal(info.nobs, 8);
    assert_int_equal(info.period, 4);
    kairos_model_free(m);
}

static void snaive_takes_a_missing_slot_from_an_earlier_season(void **state)
{
    (void)state;
    /* Slot 2 of the last season is missing: use 22 from the season before, two seasons back.
     * Residuals lose the pair at t=9: 2,2,2,2, −1, 1,−1 → σ² = 19/7. */
    double y[12];
    memcpy(y, SEASONAL, sizeof y);
    y[9] = NAN;
    kairos_model *m = fit_ok("snaive", y, 12, 4);
    const double levels[] = { 0.9 };
    double mean[6], q[6];
    forecast_ok(m, 6, levels, 1, mean, q);
    assert_close(mean[1], 22.0);
    assert_close(mean[5], 22.0);
    assert_close(q[0], 11 + Z_090 * sqrt(19.0 / 7.0));
    assert_close(q[1], 22 + Z_090 * sqrt(19.0 / 7.0 * 2.0));   /* source 2 seasons back */
    assert_close(q[5], 22 + Z_090 * sqrt(19.0 / 7.0 * 3.0));   /* and 3 for h = 6 */
    kairos_model_free(m);
}

static void snaive_with_period_one_is_naive(void **state)
{
    (void)state;
    kairos_model *m = fit_ok("snaive", Y5, 5, 1);
    const double levels[] = { 0.9 };
    double mean[3], q[3];
    forecast_ok(m, 3, levels, 1, mean, q);
    for (int h = 0; h < 3; h++) {
        assert_close(mean[h], 4.0);
        assert_close(q[h], 4.0 + Z_090 * sqrt(3.75 * (h + 1)));
    }
    kairos_model_free(m);
}

static void snaive_needs_a_season_and_one_more_point(void **state)
{
    (void)state;
    kairos_model *m = NULL;
    assert_int_equal(fit_with(&m, "snaive", SEASONAL, 4, 4, 0), KAIROS_EDATA);
    assert_null(m);
    assert_error_mentions("at least 5 points");
    assert_int_equal(fit_with(&m, "snaive", SEASONAL, 5, 4, 0), KAIROS_OK);
    kairos_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * drift and mean
 * ------------------------------------------------------------------------------------- */

static void drift_extends_the_line_through_first_and_last(void **state)
{
    (void)state;
    /* b = (4−1)/4 = 0.75; e = diffs − b = 1.25,−1.75,2.25,−1.75; Σe² = 12.75;
     * σ² = 12.75/3 = 4.25; T = 5; sd_h = σ√(h(1+h/5)). */
    kairos_model *m = fit_ok("drift", Y5, 5, 0);
    const double levels[] = { 0.025, 0.975 };
    double mean[3], q[6];
    forecast_ok(m, 3, levels, 2, mean, q);
    for (int h = 1; h <= 3; h++) {
        double sd = sqrt(4.25 * h * (1.0 + h / 5.0));
        assert_close(mean[h - 1], 4.0 + 0.75 * h);
        assert_close(q[h - 1], 4.0 + 0.75 * h - Z_0975 * sd);
        assert_close(q[3 + h - 1], 4.0 + 0.75 * h + Z_0975 * sd);
    }
    assert_close(q[3], 9.176221863569427);   /* h=1: 4.75 + 1.959964·√5.1 */
    kairos_model_info info = { .version = KAIROS_MODEL_INFO_VERSION };
    kairos_model_describe(m, &info);
    assert_close(info.sigma2, 4.25);
    assert_int_equal(info.nobs, 4);
    kairos_model_free(m);
}

static void drift_reports_its_slope_as_coefficient_drift(void **state)
{
    (void)state;
    kairos_model *m = fit_ok("drift", Y5, 5, 0);
    assert_int_equal(kairos_model_coef_count(m), 1);
    const char *name;
    double value;
    assert_int_equal(kairos_model_coef(m, 0, &name, &value), KAIROS_OK);
    assert_string_equal(name, "drift");
    assert_close(value, 0.75);
    assert_int_equal(kairos_model_coef(m, 1, &name, &value), KAIROS_EINVAL);
    assert_int_equal(kairos_model_coef(m, 0, NULL, &value), KAIROS_EINVAL);
    kairos_model_free(m);
}

static void drift_with_missing_values_spans_first_to_last_observation(void **state)
{
    (void)state;
    /* y = 1,NaN,2,5,4: b = (4−1)/4 = 0.75; pairs t=3,4: 5−2−.75 = 2.25, 4−5−.75 = −1.75;
     * σ² = (5.0625+3.0625)/(2−1) = 8.125; T = 4. */
    const double y[] = { 1, NAN, 2, 5, 4 };
    kairos_model *m = fit_ok("drift", y, 5, 0);
    const double levels[] = { 0.9 };
    double mean[2], q[2];
    forecast_ok(m, 2, levels, 1, mean, q);
    assert_close(mean[1], 5.5);
    assert_close(q[1], 5.5 + Z_090 * sqrt(8.125 * 2.0 * (1.0 + 2.0 / 4.0)));
    kairos_model_free(m);
}

static void drift_needs_two_consecutive_differences(void **state)
{
    (void)state;
    kairos_model *m = NULL;
    assert_int_equal(fit_with(&m, "drift", Y5, 2, 0, 0), KAIROS_EDATA);
    assert_error_mentions("drift");
    assert_null(m);
}

static void mean_forecasts_the_sample_mean(void **state)
{
    (void)state;
    /* ȳ = 3; s² = (4+0+1+4+1)/4 = 2.5; sd = √(2.5·(1+1/5)) = √3. */
    kairos_model *m = fit_ok("mean", Y5, 5, 0);
    const double levels[] = { 0.9 };
    double mean[2], q[2];
    forecast_ok(m, 2, levels, 1, mean, q);
    assert_close(mean[0], 3.0);
    assert_close(q[0], 3.0 + Z_090 * sqrt(3.0));
    assert_close(q[1], q[0]);
    kairos_model_info info = { .version = KAIROS_MODEL_INFO_VERSION };
    kairos_model_describe(m, &info);
    assert_close(info.sigma2, 2.5);
    assert_int_equal(info.nobs, 5);
    kairos_model_free(m);
}

static void mean_skips_missing_values(void **state)
{
    (void)state;
    /* Present 1,2,5,4: ȳ = 3, s² = (4+1+4+1)/3 = 10/3, T = 4. */
    const double y[] = { 1, NAN, 2, 5, 4, NAN };
    kairos_model *m = fit_ok("mean", y, 6, 0);
    const double levels[] = { 0.1 };
    double mean[1], q[1];
    forecast_ok(m, 1, levels, 1, mean, q);
    assert_close(mean[0], 3.0);
    assert_close(q[0], 3.0 - Z_090 * sqrt(10.0 / 3.0 * 1.25));
    kairos_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * profile
 * ------------------------------------------------------------------------------------- */

/* m = 4, three seasons. With K = 2 the final profile averages seasons 2 and 3:
 * (3,7,5,7), mean 5.5; last season 3,9,5,7 has mean 6, so the shift is 0.5 and the forecast
 * 3.5, 7.5, 5.5, 7.5. One-step residuals (profile of the ≤ 2 seasons before each point, plus
 * that window's shift):
 *   t=4..7 (one season before: snaive): 3−1, 5−5, 5−3, 7−7 = 2, 0, 2, 0
 *   t=8:  profile (3+1)/2 = 2, window 3,5,5,7 vs (2,5,4,7): shift 0.5 → 3 − 2.5 = 0.5
 *   t=9:  profile (5+5)/2 = 5, window 5,5,7,3 vs (5,4,7,3): shift 0.25 → 9 − 5.25 = 3.75
 *   t=10: profile (5+3)/2 = 4, window 5,7,3,9 vs (4,7,3,7): shift 0.75 → 5 − 4.75 = 0.25
 *   t=11: profile (7+7)/2 = 7, window 7,3,9,5 vs (7,3,7,5): shift 0.5 → 7 − 7.5 = −0.5
 * σ² = (4+0+4+0+0.25+14.0625+0.0625+0.25)/8 = 22.625/8 = 2.828125. */
static const double PROFILE_Y[] = { 1, 5, 3, 7, 3, 5, 5, 7, 3, 9, 5, 7 };

static void profile_averages_seasons_and_moves_to_the_last_level(void **state)
{
    (void)state;
    kairos_model *m = NULL;
    assert_int_equal(fit_with(&m, "profile", PROFILE_Y, 12, 4, 2), KAIROS_OK);
    const double levels[] = { 0.8 };
    double mean[5], q[5];
    forecast_ok(m, 5, levels, 1, mean, q);
    const double expected[] = { 3.5, 7.5, 5.5, 7.5, 3.5 };
    for (int h = 0; h < 5; h++)
        assert_close(mean[h], expected[h]);
    assert_close(q[0], 3.5 + Z_080 * sqrt(2.828125));
    assert_close(q[4], 3.5 + Z_080 * sqrt(2.828125 * 2.0));   /* second season ahead */
    kairos_model_info info = { .version = KAIROS_MODEL_INFO_VERSION };
    kairos_model_describe(m, &info);
    assert_close(info.sigma2, 2.828125);
    assert_int_equal(info.nobs, 8);
    assert_int_equal(info.period, 4);
    kairos_model_free(m);
}

static void profile_of_one_season_is_seasonal_naive(void **state)
{
    (void)state;
    kairos_model *p = NULL, *s = fit_ok("snaive", SEASONAL, 12, 4);
    assert_int_equal(fit_with(&p, "profile", SEASONAL, 12, 4, 1), KAIROS_OK);
    double mp[8], ms[8], qp[8], qs[8];
    const double levels[] = { 0.9 };
    forecast_ok(p, 8, levels, 1, mp, qp);
    forecast_ok(s, 8, levels, 1, ms, qs);
    for (int h = 0; h < 8; h++) {
        assert_close(mp[h], ms[h]);
        assert_close(qp[h], qs[h]);
    }
    kairos_model_free(p);
    kairos_model_free(s);
}

static void profile_skips_missing_values(void **state)
{
    (void)state;
    /* PROFILE_Y with y5 and y10 missing, K = 2. Final slots: (3+3)/2, 9 (y5 missing), 5
     * (y10 missing), (7+7)/2; observed last-season points 3, 9, 7 match their profile: shift 0.
     * Residuals: t=4: 2; t=6: 5−3 = 2; t=7: 0; t=8: profile 2, shift (1+1+0)/3 → 1/3;
     * t=9: profile 5 (y5 missing), shift (1+0+0)/3 → 11/3; t=11: profile 7, shift 0 → 0.
     * σ² = (4 + 4 + 0 + 1/9 + 121/9 + 0)/6 = 97/27. */
    double y[12];
    memcpy(y, PROFILE_Y, sizeof y);
    y[5] = y[10] = NAN;
    kairos_model *m = NULL;
    assert_int_equal(fit_with(&m, "profile", y, 12, 4, 2), KAIROS_OK);
    double mean[4];
    forecast_ok(m, 4, NULL, 0, mean, NULL);
    const double expected[] = { 3, 9, 5, 7 };
    for (int h = 0; h < 4; h++)
        assert_close(mean[h], expected[h]);
    kairos_model_info info = { .version = KAIROS_MODEL_INFO_VERSION };
    kairos_model_describe(m, &info);
    assert_close(info.sigma2, 97.0 / 27.0);
    assert_int_equal(info.nobs, 6);
    kairos_model_free(m);
}

static void profile_caps_seasons_at_those_available(void **state)
{
    (void)state;
    /* Default K = 4, but 12 points of period 4 hold only 3 seasons. */
    kairos_model *m = fit_ok("profile", PROFILE_Y, 12, 4);
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_model_report_json(m, &b), KAIROS_OK);
    assert_non_null(strstr(b.data, "\"profile_seasons\":3"));
    kairos_buf_dispose(&b);
    kairos_model_free(m);
}

static void profile_needs_a_season_and_one_more_point(void **state)
{
    (void)state;
    kairos_model *m = NULL;
    assert_int_equal(fit_with(&m, "profile", PROFILE_Y, 4, 4, 0), KAIROS_EDATA);
    assert_error_mentions("profile");
}

/* ---------------------------------------------------------------------------------------
 * Behaviour common to every model
 * ------------------------------------------------------------------------------------- */

static void constant_series_gives_quantiles_equal_to_the_mean(void **state)
{
    (void)state;
    const double y[] = { 7, 7, 7, 7, 7, 7, 7, 7, 7 };
    const char *models[] = { "naive", "snaive", "drift", "mean", "profile", "auto" };
    const double levels[] = { 0.01, 0.5, 0.99 };
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        kairos_model *m = fit_ok(models[i], y, 9, 3);
        double mean[4], q[12];
        forecast_ok(m, 4, levels, 3, mean, q);
        for (int k = 0; k < 12; k++)
            assert_true(q[k] == 7.0);
        kairos_model_free(m);
    }
}

static void values_too_large_for_doubles_fail_instead_of_giving_inf(void **state)
{
    (void)state;
    const double y[] = { 1e308, -1e308, 1e308, -1e308 };
    kairos_model *m = NULL;
    assert_int_equal(fit_with(&m, "naive", y, 4, 0, 0), KAIROS_EMODEL);
    assert_null(m);
    /* Fits (b = 1e306, σ² = 0), but 1000 steps ahead the line leaves double range. */
    const double big[] = { 0, 1e306, 2e306 };
    assert_int_equal(fit_with(&m, "drift", big, 3, 0, 0), KAIROS_OK);
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    const double levels[] = { 0.95 };
    double mean[1000], q[1000];
    mean[999] = q[999] = 42.0;
    fo.horizon = 1000;
    fo.quantiles = levels;
    fo.n_quantiles = 1;
    assert_int_equal(kairos_model_forecast(m, &fo, mean, q), KAIROS_EMODEL);
    assert_true(mean[999] == 42.0 && q[999] == 42.0);   /* nothing written */
    kairos_model_free(m);
}

static void infinite_value_in_history_is_unusable_data(void **state)
{
    (void)state;
    const double y[] = { 1, INFINITY, 3 };
    kairos_model *m = NULL;
    assert_int_equal(fit_with(&m, "naive", y, 3, 0, 0), KAIROS_EDATA);
    assert_null(m);
}

static void unknown_model_name_is_invalid_and_lists_the_known_ones(void **state)
{
    (void)state;
    kairos_model *m = NULL;
    assert_int_equal(fit_with(&m, "prophet", Y5, 5, 0, 0), KAIROS_EINVAL);
    assert_null(m);
    assert_error_mentions("'prophet'");
    assert_error_mentions("snaive");
}

static void seasonal_period_zero_is_invalid(void **state)
{
    (void)state;
    kairos_model *m = NULL;
    assert_int_equal(fit_with(&m, "naive", Y5, 5, 0, 0), KAIROS_OK);   /* 0 here = none given */
    kairos_model_free(m);
    kairos_series *s = NULL;
    kairos_series_from_arrays(&s, Y5, NULL, 5);
    kairos_fit_opts opts = KAIROS_FIT_OPTS_INIT;
    const size_t zero = 0;
    opts.model = "snaive";
    opts.periods = &zero;
    opts.n_periods = 1;
    assert_int_equal(kairos_model_fit(&m, s, &opts), KAIROS_EINVAL);
    assert_error_mentions("period 0");
    opts.periods = NULL;
    assert_int_equal(kairos_model_fit(&m, s, &opts), KAIROS_EINVAL);
    kairos_series_free(s);
}

static void seasonal_model_without_a_period_says_how_to_give_one(void **state)
{
    (void)state;
    kairos_model *m = NULL;
    assert_int_equal(fit_with(&m, "snaive", SEASONAL, 12, 0, 0), KAIROS_EINVAL);
    assert_error_mentions("needs a seasonal period");
    assert_error_mentions("--season");
}

/* Hourly points from 2024-05-01T00:00:00Z with the given values. */
static kairos_series *hourly(const double *y, size_t n)
{
    int64_t *t = malloc(n * sizeof *t);
    assert_non_null(t);
    for (size_t i = 0; i < n; i++)
        t[i] = 1714521600 + (int64_t)i * 3600;
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, y, t, n), KAIROS_OK);
    free(t);
    return s;
}

static void period_is_inferred_from_evenly_spaced_timestamps(void **state)
{
    (void)state;
    double y[72];
    for (int i = 0; i < 72; i++)
        y[i] = i % 24;
    kairos_series *s = hourly(y, 72);
    kairos_fit_opts opts = KAIROS_FIT_OPTS_INIT;
    opts.model = "snaive";
    kairos_model *m = NULL;
    assert_int_equal(kairos_model_fit(&m, s, &opts), KAIROS_OK);
    kairos_model_info info = { .version = KAIROS_MODEL_INFO_VERSION };
    kairos_model_describe(m, &info);
    assert_int_equal(info.period, 24);   /* three days of hourly data: one day */
    kairos_model_free(m);
    kairos_series_free(s);
}

static void quantile_levels_outside_the_open_unit_interval_are_refused(void **state)
{
    (void)state;
    kairos_model *m = fit_ok("naive", Y5, 5, 0);
    const double bad[] = { 0.0, 1.0, -0.1, 1.5, NAN };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const double levels[] = { 0.5, bad[i] };
        kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
        fo.quantiles = levels;
        fo.n_quantiles = 2;
        double mean[1], q[2];
        assert_int_equal(kairos_model_forecast(m, &fo, mean, q), KAIROS_EINVAL);
        assert_error_mentions("quantile 2");
        assert_error_mentions("not in (0,1)");
    }
    kairos_model_free(m);
}

static void quantile_rows_keep_the_given_order_and_rise_with_the_level(void **state)
{
    (void)state;
    kairos_model *m = fit_ok("snaive", SEASONAL, 12, 4);
    const double levels[] = { 0.9, 0.05, 0.5, 0.975, 0.2 };
    double mean[8], q[40];
    forecast_ok(m, 8, levels, 5, mean, q);
    for (int h = 0; h < 8; h++) {
        assert_close(q[2 * 8 + h], mean[h]);                  /* the median row is the mean */
        assert_true(q[1 * 8 + h] < q[4 * 8 + h]);             /* 0.05 < 0.2  */
        assert_true(q[4 * 8 + h] < q[2 * 8 + h]);             /* 0.2  < 0.5  */
        assert_true(q[2 * 8 + h] < q[0 * 8 + h]);             /* 0.5  < 0.9  */
        assert_true(q[0 * 8 + h] < q[3 * 8 + h]);             /* 0.9  < 0.975 */
    }
    kairos_model_free(m);
}

static void forecast_with_null_options_gives_one_step_and_no_quantiles(void **state)
{
    (void)state;
    kairos_model *m = fit_ok("drift", Y5, 5, 0);
    double mean[2] = { 0, -1 };
    assert_int_equal(kairos_model_forecast(m, NULL, mean, NULL), KAIROS_OK);
    assert_close(mean[0], 4.75);
    assert_true(mean[1] == -1);   /* horizon 1: nothing beyond */
    kairos_model_free(m);
}

static void forecast_refuses_missing_buffers_and_zero_horizon(void **state)
{
    (void)state;
    kairos_model *m = fit_ok("naive", Y5, 5, 0);
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    double mean[2], q[2];
    fo.horizon = 0;
    assert_int_equal(kairos_model_forecast(m, &fo, mean, NULL), KAIROS_EINVAL);
    fo.horizon = 2;
    assert_int_equal(kairos_model_forecast(m, &fo, NULL, NULL), KAIROS_EINVAL);
    assert_int_equal(kairos_model_forecast(NULL, &fo, mean, NULL), KAIROS_EINVAL);
    const double levels[] = { 0.5 };
    fo.quantiles = levels;
    fo.n_quantiles = 1;
    assert_int_equal(kairos_model_forecast(m, &fo, mean, NULL), KAIROS_EINVAL);
    assert_int_equal(kairos_model_forecast(m, &fo, mean, q), KAIROS_OK);
    kairos_model_free(m);
    kairos_model_free(NULL);
}

/* ---------------------------------------------------------------------------------------
 * Options and small conversions
 * ------------------------------------------------------------------------------------- */

static void options_of_unknown_versions_are_refused(void **state)
{
    (void)state;
    kairos_series *s = NULL;
    kairos_series_from_arrays(&s, Y5, NULL, 5);
    kairos_model *m = NULL;
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.version = KAIROS_FIT_OPTS_VERSION + 1;
    assert_int_equal(kairos_model_fit(&m, s, &fit), KAIROS_EVERSION);
    assert_error_mentions("kairos_fit_opts");
    fit.version = 0;
    assert_int_equal(kairos_model_fit(&m, s, &fit), KAIROS_EVERSION);
    assert_int_equal(kairos_model_fit(&m, s, NULL), KAIROS_OK);   /* NULL = defaults */

    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.version = 99;
    double mean[1];
    assert_int_equal(kairos_model_forecast(m, &fo, mean, NULL), KAIROS_EVERSION);
    assert_error_mentions("kairos_forecast_opts");
    kairos_model_info info = { .version = 0 };
    assert_int_equal(kairos_model_describe(m, &info), KAIROS_EVERSION);
    kairos_model_free(m);
    kairos_series_free(s);
}

static void opts_init_gives_the_defaults_or_refuses_the_version(void **state)
{
    (void)state;
    kairos_fit_opts fit;
    memset(&fit, 0xff, sizeof fit);
    assert_int_equal(kairos_fit_opts_init(&fit, KAIROS_FIT_OPTS_VERSION), KAIROS_OK);
    assert_int_equal(fit.version, KAIROS_FIT_OPTS_VERSION);
    assert_null(fit.model);
    assert_int_equal(fit.n_periods, 0);
    assert_int_equal(fit.profile_seasons, 0);
    kairos_forecast_opts fo;
    assert_int_equal(kairos_forecast_opts_init(&fo, KAIROS_FORECAST_OPTS_VERSION), KAIROS_OK);
    assert_int_equal(fo.horizon, 1);
    assert_int_equal(fo.n_quantiles, 0);
    assert_int_equal(fit.include_mean, -1);
    assert_int_equal(fit.include_drift, -1);
    assert_int_equal(kairos_fit_opts_init(&fit, KAIROS_FIT_OPTS_VERSION + 1), KAIROS_EVERSION);
    assert_int_equal(kairos_forecast_opts_init(&fo, 0), KAIROS_EVERSION);
    assert_int_equal(kairos_fit_opts_init(NULL, 1), KAIROS_EINVAL);
}

static void opts_init_for_an_older_version_writes_only_that_versions_fields(void **state)
{
    (void)state;
    /* A program built against version 1 of the header passes a shorter struct: init must not
     * write past it. The bytes after the version-1 fields must be left untouched. */
    kairos_fit_opts fit;
    memset(&fit, 0xab, sizeof fit);
    assert_int_equal(kairos_fit_opts_init(&fit, 1), KAIROS_OK);
    assert_int_equal(fit.version, 1);
    assert_null(fit.model);
    const unsigned char *tail = (const unsigned char *)&fit + offsetof(kairos_fit_opts, arima_p);
    for (size_t i = 0; i < sizeof fit - offsetof(kairos_fit_opts, arima_p); i++)
        assert_int_equal(tail[i], 0xab);
}

static void interval_levels_become_quantile_pairs(void **state)
{
    (void)state;
    const double levels[] = { 80, 95 };
    double q[4];
    assert_int_equal(kairos_levels_to_quantiles(levels, 2, q), KAIROS_OK);
    assert_close(q[0], 0.1);
    assert_close(q[1], 0.9);
    assert_close(q[2], 0.025);
    assert_close(q[3], 0.975);
    const double bad[] = { 50, 100 };
    assert_int_equal(kairos_levels_to_quantiles(bad, 2, q), KAIROS_EINVAL);
    assert_error_mentions("100");
    const double zero[] = { 0 };
    assert_int_equal(kairos_levels_to_quantiles(zero, 1, q), KAIROS_EINVAL);
    assert_int_equal(kairos_levels_to_quantiles(NULL, 0, NULL), KAIROS_OK);
}

/* ---------------------------------------------------------------------------------------
 * Forecast timestamps
 * ------------------------------------------------------------------------------------- */

static void forecast_timestamps_continue_an_evenly_spaced_history(void **state)
{
    (void)state;
    kairos_series *s = hourly(Y5, 5);   /* last point 2024-05-01T04:00:00Z */
    kairos_model *m = NULL;
    kairos_fit_opts opts = KAIROS_FIT_OPTS_INIT;
    opts.model = "naive";
    assert_int_equal(kairos_model_fit(&m, s, &opts), KAIROS_OK);
    kairos_series_free(s);   /* the model keeps what it needs */
    int64_t t[3];
    assert_int_equal(kairos_model_forecast_timestamps(m, 3, t), KAIROS_OK);
    assert_true(t[0] == 1714521600 + 5 * 3600);
    assert_true(t[2] == 1714521600 + 7 * 3600);
    assert_int_equal(kairos_model_forecast_timestamps(m, 0, t), KAIROS_EINVAL);
    kairos_model_free(m);
}

static void forecast_timestamps_need_timestamps_and_a_fixed_step(void **state)
{
    (void)state;
    int64_t t[2];
    kairos_model *m = fit_ok("naive", Y5, 5, 0);
    assert_int_equal(kairos_model_forecast_timestamps(m, 2, t), KAIROS_ENOTSUP);
    kairos_model_free(m);

    const int64_t uneven[] = { 0, 60, 120, 200, 260 };
    kairos_series *s = NULL;
    kairos_series_from_arrays(&s, Y5, uneven, 5);
    kairos_fit_opts opts = KAIROS_FIT_OPTS_INIT;
    opts.model = "naive";
    assert_int_equal(kairos_model_fit(&m, s, &opts), KAIROS_OK);
    assert_int_equal(kairos_model_forecast_timestamps(m, 2, t), KAIROS_ENOTSUP);
    assert_error_mentions("regularize");
    kairos_model_free(m);
    kairos_series_free(s);
}

/* ---------------------------------------------------------------------------------------
 * Report
 * ------------------------------------------------------------------------------------- */

/* The node under @p key in a parsed mapping, or NULL. */
static yaml_node_t *member(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Parse JSON text (a subset of YAML) into @p doc; fails the test when it does not parse. */
static yaml_node_t *parse_json(yaml_document_t *doc, const char *text)
{
    yaml_parser_t parser;
    assert_true(yaml_parser_initialize(&parser));
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
    int ok = yaml_parser_load(&parser, doc);
    yaml_parser_delete(&parser);
    if (!ok)
        fail_msg("report is not well-formed: %s", text);
    return yaml_document_get_root_node(doc);
}

static void report_json_describes_a_fitted_drift(void **state)
{
    (void)state;
    kairos_model *m = fit_ok("drift", Y5, 5, 0);
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos__buf_puts(&b, "prefix "), KAIROS_OK);   /* appends, keeps this */
    assert_int_equal(kairos_model_report_json(m, &b), KAIROS_OK);
    assert_memory_equal(b.data, "prefix {\"name\":\"drift\",", 23);
    yaml_document_t doc;
    yaml_node_t *root = parse_json(&doc, b.data + 7);
    assert_string_equal(scalar(member(&doc, root, "name")), "drift");
    assert_string_equal(scalar(member(&doc, root, "order")), "null");
    assert_string_equal(scalar(member(&doc, root, "seasonal_order")), "null");
    assert_string_equal(scalar(member(&doc, root, "period")), "null");
    assert_string_equal(scalar(member(&doc, member(&doc, root, "coef"), "drift")), "0.75");
    assert_string_equal(scalar(member(&doc, root, "sigma2")), "4.25");
    assert_string_equal(scalar(member(&doc, root, "loglik")), "null");
    assert_string_equal(scalar(member(&doc, root, "aic")), "null");
    assert_string_equal(scalar(member(&doc, root, "aicc")), "null");
    assert_string_equal(scalar(member(&doc, root, "bic")), "null");
    assert_string_equal(scalar(member(&doc, root, "nobs")), "4");
    yaml_document_delete(&doc);
    kairos_buf_dispose(&b);
    kairos_model_free(m);
}

static void report_json_of_a_baseline_has_an_empty_coef_object(void **state)
{
    (void)state;
    kairos_model *m = fit_ok("snaive", SEASONAL, 12, 4);
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_model_report_json(m, &b), KAIROS_OK);
    assert_non_null(strstr(b.data, "\"coef\":{}"));
    assert_non_null(strstr(b.data, "\"period\":4"));
    assert_null(strstr(b.data, "selected_by"));
    yaml_document_t doc;
    parse_json(&doc, b.data);
    yaml_document_delete(&doc);
    kairos_buf_dispose(&b);
    assert_int_equal(kairos_model_report_json(m, NULL), KAIROS_EINVAL);
    kairos_model_free(m);
}

/* ---------------------------------------------------------------------------------------
 * auto
 * ------------------------------------------------------------------------------------- */

/* Fit "auto" to y with period 24 (0 = none) and horizon @p h; returns the chosen name. */
static kairos_model *fit_auto(const double *y, size_t n, size_t period, size_t horizon)
{
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, y, NULL, n), KAIROS_OK);
    kairos_fit_opts opts = KAIROS_FIT_OPTS_INIT;
    opts.periods = period ? &period : NULL;
    opts.n_periods = period ? 1 : 0;
    opts.horizon = horizon;
    kairos_model *m = NULL;
    int rc = kairos_model_fit(&m, s, &opts);
    kairos_series_free(s);
    if (rc)
        fail_msg("auto failed: %s", kairos_last_error());
    return m;
}

static const char *model_name(const kairos_model *m)
{
    kairos_model_info info = { .version = KAIROS_MODEL_INFO_VERSION };
    assert_int_equal(kairos_model_describe(m, &info), KAIROS_OK);
    return info.name;
}

/* Report of @p m as text (caller disposes). */
static kairos_buf report_of(const kairos_model *m)
{
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_model_report_json(m, &b), KAIROS_OK);
    return b;
}

static void auto_is_exact_on_a_weekly_repeating_series(void **state)
{
    (void)state;
    /* Hourly data, 4 weeks: weekdays peak at 100, weekends at 20. With periods 24 and 168 both
     * known, the weekly seasonal naive (and the weekly profile) are exact on both CV windows,
     * so only exact candidates are combined and the forecast repeats the last week exactly. */
    enum { N = 4 * 168 };
    static double y[N];
    for (int t = 0; t < N; t++) {
        int day = (t / 24) % 7, hour = t % 24;
        y[t] = (day >= 5 ? 20.0 : 100.0) * (hour >= 8 && hour < 20 ? 1.0 : 0.5);
    }
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, y, NULL, N), KAIROS_OK);
    const size_t periods[2] = { 24, 168 };
    kairos_fit_opts opts = KAIROS_FIT_OPTS_INIT;
    opts.periods = periods;
    opts.n_periods = 2;
    opts.horizon = 48;
    kairos_model *m = NULL;
    assert_int_equal(kairos_model_fit(&m, s, &opts), KAIROS_OK);
    kairos_model_info info = KAIROS_MODEL_INFO_INIT;
    assert_int_equal(kairos_model_describe(m, &info), KAIROS_OK);
    assert_string_equal(info.name, "auto");
    assert_int_equal(info.period, 168);
    double mean[48], q[2 * 48];
    const double levels[2] = { 0.025, 0.975 };
    forecast_ok(m, 48, levels, 2, mean, q);
    for (int h = 0; h < 48; h++) {
        assert_close(mean[h], y[N - 168 + h]);
        assert_true(q[h] <= mean[h] && q[48 + h] >= mean[h]);
    }
    kairos_buf b = report_of(m);
    assert_non_null(strstr(b.data, "\"snaive(24)\""));
    assert_non_null(strstr(b.data, "\"snaive(168)\":0,"));
    assert_non_null(strstr(b.data, "\"mstl(24,168)\""));
    assert_non_null(strstr(b.data, "\"arima(1,0,1)(0,1,1)[24]\""));
    assert_non_null(strstr(b.data, "\"members\":[{\"model\":\"snaive(168)\""));
    assert_null(strstr(b.data, "{\"model\":\"mstl"));   /* not exact: not combined */
    kairos_buf_dispose(&b);
    kairos_model_free(m);
    kairos_series_free(s);
}

static void auto_follows_a_linear_trend(void **state)
{
    (void)state;
    /* y = 5 + 2t ± 0.5, no period: the forecast continues the line. */
    double y[40], mean[10];
    for (int t = 0; t < 40; t++)
        y[t] = 5 + 2 * t + (t % 2 ? 0.5 : -0.5);
    kairos_model *m = fit_auto(y, 40, 0, 10);
    forecast_ok(m, 10, NULL, 0, mean, NULL);
    for (int h = 0; h < 10; h++)
        assert_true(fabs(mean[h] - (5 + 2 * (40 + h))) < 1.5);
    kairos_model_free(m);
}

static void auto_report_names_the_rule_candidates_and_members(void **state)
{
    (void)state;
    double y[40];
    for (int t = 0; t < 40; t++)
        y[t] = 5 + 2 * t + (t % 2 ? 0.5 : -0.5);
    kairos_model *m = fit_auto(y, 40, 0, 10);
    kairos_buf b = report_of(m);
    yaml_document_t doc;
    yaml_node_t *root = parse_json(&doc, b.data);
    assert_string_equal(scalar(member(&doc, root, "name")), "auto");
    assert_true(strncmp(scalar(member(&doc, root, "selected_by")), "rolling-origin CV", 17) == 0);
    assert_string_equal(scalar(member(&doc, root, "holdout")), "10");
    assert_string_equal(scalar(member(&doc, root, "origins")), "2");
    yaml_node_t *scores = member(&doc, root, "candidates");
    /* Origins 20 and 30, 10 steps each. Naive's errors at both are 1,4,5,8,…,20 (MAE 10.5);
     * the MASE scale is the in-sample lag-1 MAE, (20·3 + 19·1)/39 = 79/39. */
    assert_close(strtod(scalar(member(&doc, scores, "naive")), NULL), 10.5 * 39.0 / 79.0);
    assert_non_null(member(&doc, scores, "drift"));
    assert_non_null(member(&doc, scores, "mean"));
    assert_non_null(member(&doc, scores, "ets"));
    assert_null(member(&doc, scores, "snaive"));
    yaml_document_delete(&doc);
    /* Drift is in the combination; naive (5x worse) is not. */
    assert_non_null(strstr(b.data, "{\"model\":\"drift\",\"weight\":"));
    assert_null(strstr(b.data, "{\"model\":\"naive\""));
    kairos_buf_dispose(&b);
    kairos_model_free(m);
}

static void auto_combines_with_intervals_around_the_mean(void **state)
{
    (void)state;
    /* A daily cycle plus noise and a slow trend, 10 days: several models score close. */
    enum { N = 240, H = 24 };
    double y[N], mean[H], q[4 * H];
    for (int t = 0; t < N; t++)
        y[t] = 50 + 0.05 * t + 10 * sin(TWO_PI * (t % 24) / 24.0) + ((t * 7919) % 13 - 6) / 2.0;
    kairos_model *m = fit_auto(y, N, 24, H);
    const double levels[4] = { 0.025, 0.1, 0.9, 0.975 };
    forecast_ok(m, H, levels, 4, mean, q);
    for (int h = 0; h < H; h++) {
        assert_true(isfinite(mean[h]));
        assert_true(q[h] <= q[H + h] && q[H + h] <= mean[h]);
        assert_true(mean[h] <= q[2 * H + h] && q[2 * H + h] <= q[3 * H + h]);
        assert_true(q[3 * H + h] - q[h] > 0);
    }
    kairos_buf b = report_of(m);
    yaml_document_t doc;
    yaml_node_t *root = parse_json(&doc, b.data);
    yaml_node_t *members = member(&doc, root, "members");
    assert_int_equal(members->type, YAML_SEQUENCE_NODE);
    size_t k = (size_t)(members->data.sequence.items.top - members->data.sequence.items.start);
    assert_true(k >= 1 && k <= 3);
    double total = 0;
    for (size_t i = 0; i < k; i++) {
        yaml_node_t *mem = yaml_document_get_node(&doc, members->data.sequence.items.start[i]);
        total += strtod(scalar(member(&doc, mem, "weight")), NULL);
        assert_true(strtod(scalar(member(&doc, mem, "widen")), NULL) >= 1.0);
        /* every member was a scored candidate */
        assert_non_null(member(&doc, member(&doc, root, "candidates"),
                               scalar(member(&doc, mem, "model"))));
    }
    assert_close(total, 1.0);
    yaml_document_delete(&doc);
    kairos_buf_dispose(&b);
    kairos_model_free(m);
}

static void auto_on_less_than_two_seasons_uses_non_seasonal_models_and_says_so(void **state)
{
    (void)state;
    double y[40];
    for (int t = 0; t < 40; t++)
        y[t] = 50 + 10 * sin(TWO_PI * (t % 24) / 24.0);
    kairos_model *m = fit_auto(y, 40, 24, 12);
    kairos_buf b = report_of(m);
    assert_non_null(strstr(b.data, "shorter than two seasons"));
    assert_null(strstr(b.data, "snaive"));
    assert_null(strstr(b.data, "mstl"));
    assert_non_null(strstr(b.data, "\"drift\""));
    kairos_buf_dispose(&b);
    double mean[12];
    forecast_ok(m, 12, NULL, 0, mean, NULL);
    kairos_model_free(m);
}

static void auto_without_room_for_a_holdout_takes_the_simplest_that_fits(void **state)
{
    (void)state;
    /* 3 points: ⌊3/4⌋ = 0 steps per CV window; naive fits (e = 2, −1). */
    kairos_model *m = fit_auto(Y5, 3, 0, 5);
    assert_string_equal(model_name(m), "auto");
    kairos_buf b = report_of(m);
    assert_non_null(strstr(b.data, "\"holdout\":0"));
    assert_non_null(strstr(b.data, "\"members\":[{\"model\":\"naive\",\"weight\":1}]"));
    kairos_buf_dispose(&b);
    double mean[5];
    forecast_ok(m, 5, NULL, 0, mean, NULL);
    assert_close(mean[4], 2.0);
    kairos_model_free(m);
    assert_string_equal(kairos_last_error(), "");
}

static void auto_on_a_single_point_explains_why_nothing_fits(void **state)
{
    (void)state;
    kairos_series *s = NULL;
    kairos_series_from_arrays(&s, Y5, NULL, 1);
    kairos_model *m = NULL;
    assert_int_equal(kairos_model_fit(&m, s, NULL), KAIROS_EDATA);
    assert_error_mentions("no model");
    assert_error_mentions("naive");
    kairos_series_free(s);
}

/* ---------------------------------------------------------------------------------------
 * Threads
 * ------------------------------------------------------------------------------------- */

typedef struct forecast_job {
    const kairos_model *model;
    double mean[48], q[3 * 48];
    int rc;
} forecast_job;

static void *forecast_thread(void *arg)
{
    forecast_job *job = arg;
    static const double levels[] = { 0.1, 0.5, 0.9 };
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = 48;
    fo.quantiles = levels;
    fo.n_quantiles = 3;
    for (int i = 0; i < 200 && job->rc == KAIROS_OK; i++)
        job->rc = kairos_model_forecast(job->model, &fo, job->mean, job->q);
    return NULL;
}

static void threads_forecasting_from_one_model_agree_exactly(void **state)
{
    (void)state;
    double y[96];
    for (int t = 0; t < 96; t++)
        y[t] = 10 + 3 * sin(t / 3.0) + (t % 5);
    kairos_model *m = fit_ok("profile", y, 96, 24);
    forecast_job jobs[2] = { { .model = m }, { .model = m } }, solo = { .model = m };
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, forecast_thread, &jobs[i]), 0);
    forecast_thread(&solo);
    for (int i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(jobs[i].rc, KAIROS_OK);
        assert_memory_equal(jobs[i].mean, solo.mean, sizeof solo.mean);
        assert_memory_equal(jobs[i].q, solo.q, sizeof solo.q);
    }
    kairos_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normal_quantile_matches_published_values),
        cmocka_unit_test(normal_quantile_is_symmetric_and_monotone),
        cmocka_unit_test(normal_quantile_inverts_the_normal_cdf),
        cmocka_unit_test(naive_forecasts_the_last_value_with_sqrt_h_spread),
        cmocka_unit_test(naive_skips_residuals_next_to_missing_values),
        cmocka_unit_test(naive_counts_the_horizon_from_the_last_observation),
        cmocka_unit_test(snaive_repeats_the_last_season),
        cmocka_unit_test(snaive_takes_a_missing_slot_from_an_earlier_season),
        cmocka_unit_test(snaive_with_period_one_is_naive),
        cmocka_unit_test(snaive_needs_a_season_and_one_more_point),
        cmocka_unit_test(drift_extends_the_line_through_first_and_last),
        cmocka_unit_test(drift_reports_its_slope_as_coefficient_drift),
        cmocka_unit_test(drift_with_missing_values_spans_first_to_last_observation),
        cmocka_unit_test(drift_needs_two_consecutive_differences),
        cmocka_unit_test(mean_forecasts_the_sample_mean),
        cmocka_unit_test(mean_skips_missing_values),
        cmocka_unit_test(profile_averages_seasons_and_moves_to_the_last_level),
        cmocka_unit_test(profile_of_one_season_is_seasonal_naive),
        cmocka_unit_test(profile_skips_missing_values),
        cmocka_unit_test(profile_caps_seasons_at_those_available),
        cmocka_unit_test(profile_needs_a_season_and_one_more_point),
        cmocka_unit_test(constant_series_gives_quantiles_equal_to_the_mean),
        cmocka_unit_test(values_too_large_for_doubles_fail_instead_of_giving_inf),
        cmocka_unit_test(infinite_value_in_history_is_unusable_data),
        cmocka_unit_test(unknown_model_name_is_invalid_and_lists_the_known_ones),
        cmocka_unit_test(seasonal_period_zero_is_invalid),
        cmocka_unit_test(seasonal_model_without_a_period_says_how_to_give_one),
        cmocka_unit_test(period_is_inferred_from_evenly_spaced_timestamps),
        cmocka_unit_test(quantile_levels_outside_the_open_unit_interval_are_refused),
        cmocka_unit_test(quantile_rows_keep_the_given_order_and_rise_with_the_level),
        cmocka_unit_test(forecast_with_null_options_gives_one_step_and_no_quantiles),
        cmocka_unit_test(forecast_refuses_missing_buffers_and_zero_horizon),
        cmocka_unit_test(options_of_unknown_versions_are_refused),
        cmocka_unit_test(opts_init_gives_the_defaults_or_refuses_the_version),
        cmocka_unit_test(opts_init_for_an_older_version_writes_only_that_versions_fields),
        cmocka_unit_test(interval_levels_become_quantile_pairs),
        cmocka_unit_test(forecast_timestamps_continue_an_evenly_spaced_history),
        cmocka_unit_test(forecast_timestamps_need_timestamps_and_a_fixed_step),
        cmocka_unit_test(report_json_describes_a_fitted_drift),
        cmocka_unit_test(report_json_of_a_baseline_has_an_empty_coef_object),
        cmocka_unit_test(auto_is_exact_on_a_weekly_repeating_series),
        cmocka_unit_test(auto_follows_a_linear_trend),
        cmocka_unit_test(auto_report_names_the_rule_candidates_and_members),
        cmocka_unit_test(auto_combines_with_intervals_around_the_mean),
        cmocka_unit_test(auto_on_less_than_two_seasons_uses_non_seasonal_models_and_says_so),
        cmocka_unit_test(auto_without_room_for_a_holdout_takes_the_simplest_that_fits),
        cmocka_unit_test(auto_on_a_single_point_explains_why_nothing_fits),
        cmocka_unit_test(threads_forecasting_from_one_model_agree_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
