/* ETS with additive errors against R's forecast::ets (bounds = "usual"; references in
 * tests/data/seasonal/ets_refs.csv, made by make_refs.R there), and the model "ets" through
 * the public API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kairos/kairos.h>
#include "forecast/seasonal/ets.h"
#include "seasonal_data.h"

#define H 24
#define MAX_N 256
#define Z80 1.2815515655446004
#define Z95 1.9599639845400540

typedef struct ets_ref {
    char   label[64], model[8];
    size_t period, n, n_par;
    double y[MAX_N], par[32];
    double loglik, aic, aicc, bic, sigma2;
    double mean[H], lo80[H], hi80[H], lo95[H], hi95[H];
} ets_ref;

/* Reads every block of ets_refs.csv; returns how many (at most max). */
static size_t load_ets_refs(ets_ref *refs, size_t max)
{
    FILE *f = open_seasonal_data("ets_refs.csv");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0, k = 0;
    ets_ref *r = NULL;
    while (read_line(f, &line, &cap)) {
        if (strncmp(line, "fit,", 4) == 0) {
            if (k == max)
                break;
            r = &refs[k++];
            memset(r, 0, sizeof *r);
            char *p = line + 4, *c1 = strchr(p, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
            assert_non_null(c2);
            snprintf(r->label, sizeof r->label, "%.*s", (int)(c1 - p), p);
            snprintf(r->model, sizeof r->model, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
            r->period = (size_t)strtoul(c2 + 1, NULL, 10);
            continue;
        }
        assert_non_null(r);
        double stats[5];
        if (strncmp(line, "y,", 2) == 0)
            r->n = parse_numbers(line, 1, r->y, MAX_N);
        else if (strncmp(line, "par,", 4) == 0)
            r->n_par = parse_numbers(line, 1, r->par, 32);
        else if (strncmp(line, "stats,", 6) == 0 && parse_numbers(line, 1, stats, 5) == 5) {
            r->loglik = stats[0];
            r->aic = stats[1];
            r->aicc = stats[2];
            r->bic = stats[3];
            r->sigma2 = stats[4];
        } else if (strncmp(line, "mean,", 5) == 0)
            parse_numbers(line, 1, r->mean, H);
        else if (strncmp(line, "lo80,", 5) == 0)
            parse_numbers(line, 1, r->lo80, H);
        else if (strncmp(line, "hi80,", 5) == 0)
            parse_numbers(line, 1, r->hi80, H);
        else if (strncmp(line, "lo95,", 5) == 0)
            parse_numbers(line, 1, r->lo95, H);
        else if (strncmp(line, "hi95,", 5) == 0)
            parse_numbers(line, 1, r->hi95, H);
    }
    free(line);
    fclose(f);
    return k;
}

static double rel_err(double a, double b)
{
    return fabs(a - b) / fmax(1.0, fabs(b));
}

/* Worst relative error of the mean and the four interval bounds against R's forecast. */
static double forecast_error(const kairos__ets_fit *fit, const ets_ref *r)
{
    double mean[H], sd[H], worst = 0.0;
    assert_int_equal(kairos__ets_forecast(fit, H, mean, sd), KAIROS_OK);
    /* forecast 8.20's class1() puts γ on the second seasonal state when the model has no
     * trend, so for ETS(A,N,A) R adds γ to c_{m−1} instead of c_m (Hyndman et al. 2008,
     * Table 6.1: c_j = α + γ·[j ≡ 0 mod m]). Its variance then differs from the book's only at
     * steps h ≡ 0 (mod m); those interval bounds are not compared. */
    const kairos__ets_spec *spec = kairos__ets_fit_spec_of(fit);
    bool r_class1_bug = !spec->trend && spec->period >= 2;
    for (size_t h = 0; h < H; h++) {
        if (r_class1_bug && (h + 1) % spec->period == 0) {
            worst = fmax(worst, rel_err(mean[h], r->mean[h]));
            continue;
        }
        double e[] = { rel_err(mean[h], r->mean[h]), rel_err(mean[h] - Z80 * sd[h], r->lo80[h]),
                       rel_err(mean[h] + Z80 * sd[h], r->hi80[h]),
                       rel_err(mean[h] - Z95 * sd[h], r->lo95[h]),
                       rel_err(mean[h] + Z95 * sd[h], r->hi95[h]) };
        for (size_t i = 0; i < 5; i++)
            worst = fmax(worst, e[i]);
    }
    return worst;
}

static ets_ref refs[16];

static int setup_refs(void **state)
{
    *state = (void *)(uintptr_t)load_ets_refs(refs, 16);
    return 0;
}

/* At R's parameters, the likelihood, information criteria, σ², forecasts and class 1
 * intervals are R's to 1e-9 relative: same model, same formulas. */
static void likelihood_and_intervals_at_r_parameters_match_r(void **state)
{
    size_t count = (size_t)(uintptr_t)*state;
    assert_true(count >= 9);
    for (size_t i = 0; i < count; i++) {
        const ets_ref *r = &refs[i];
        kairos__ets_spec spec;
        assert_int_equal(kairos__ets_parse(r->model, r->period, &spec), KAIROS_OK);
        kairos__ets_fit *fit = NULL;
        assert_int_equal(kairos__ets_fit_fixed(&fit, r->y, r->n, &spec, r->par, r->n_par),
                         KAIROS_OK);
        assert_true(rel_err(kairos__ets_loglik(fit), r->loglik) < 1e-9);
        assert_true(rel_err(kairos__ets_aic(fit), r->aic) < 1e-9);
        assert_true(rel_err(kairos__ets_aicc(fit), r->aicc) < 1e-9);
        assert_true(rel_err(kairos__ets_bic(fit), r->bic) < 1e-9);
        assert_true(rel_err(kairos__ets_sigma2(fit), r->sigma2) < 1e-9);
        double fe = forecast_error(fit, r), le = rel_err(kairos__ets_loglik(fit), r->loglik);
        print_message("# %-20s at R's parameters: loglik rel. error %.2g, forecast %.2g\n",
                      r->label, le, fe);
        assert_true(fe < 1e-9);
        kairos__ets_fit_free(fit);
    }
}

/* Our optimiser must find a likelihood at least R's (minus 1e-6 of it): both maximise the same
 * function under the same bounds. */
static void estimates_are_at_least_as_likely_as_rs(void **state)
{
    size_t count = (size_t)(uintptr_t)*state;
    for (size_t i = 0; i < count; i++) {
        const ets_ref *r = &refs[i];
        kairos__ets_spec spec;
        assert_int_equal(kairos__ets_parse(r->model, r->period, &spec), KAIROS_OK);
        kairos__ets_fit *fit = NULL;
        assert_int_equal(kairos__ets_fit_spec(&fit, r->y, r->n, &spec), KAIROS_OK);
        double ll = kairos__ets_loglik(fit);
        print_message("# %-20s loglik %.6f (R %.6f)  forecast rel. diff %.2e\n", r->label, ll,
                      r->loglik, forecast_error(fit, r));
        assert_true(ll >= r->loglik - 1e-6 * fabs(r->loglik));
        kairos__ets_fit_free(fit);
    }
}

static void automatic_choice_agrees_with_r(void **state)
{
    size_t count = (size_t)(uintptr_t)*state, checked = 0;
    for (size_t i = 0; i < count; i++) {
        const ets_ref *r = &refs[i];
        if (!strstr(r->label, "_auto"))
            continue;
        kairos__ets_fit *fit = NULL;
        assert_int_equal(kairos__ets_auto(&fit, r->y, r->n, r->period), KAIROS_OK);
        kairos__ets_spec want;
        assert_int_equal(kairos__ets_parse(r->model, r->period, &want), KAIROS_OK);
        const kairos__ets_spec *got = kairos__ets_fit_spec_of(fit);
        assert_int_equal(got->trend, want.trend);
        assert_int_equal(got->damped, want.damped);
        assert_int_equal(got->period, want.period);
        /* Same model, AICc no worse than R's (to 1e-6 relative). */
        assert_true(kairos__ets_aicc(fit) <= r->aicc + 1e-6 * fabs(r->aicc));
        kairos__ets_fit_free(fit);
        checked++;
    }
    assert_int_equal(checked, 3);
}


/* ---------------------------------------------------------------------------------------
 * The model "ets" through the public API
 * ------------------------------------------------------------------------------------- */

static int fit_ets(kairos_model **m, const double *y, size_t n, size_t period,
                   const char *which)
{
    kairos_series *s = NULL;
    assert_int_equal(kairos_series_from_arrays(&s, y, NULL, n), KAIROS_OK);
    kairos_fit_opts fo = KAIROS_FIT_OPTS_INIT;
    fo.model = "ets";
    fo.periods = period ? &period : NULL;
    fo.n_periods = period ? 1 : 0;
    fo.ets_model = which;
    int rc = kairos_model_fit(m, s, &fo);
    kairos_series_free(s);
    return rc;
}

static const ets_ref *find_ref(const char *label)
{
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++)
        if (strcmp(refs[i].label, label) == 0)
            return &refs[i];
    fail_msg("no reference %s", label);
    return NULL;
}

/* The model reports R's statistics names and the chosen method, and its quantiles are the
 * Gaussian ones around the class 1 variance. */
static void ets_model_reports_its_method_and_parameters(void **state)
{
    (void)state;
    const ets_ref *r = find_ref("USAccDeaths_auto");
    kairos_model *m = NULL;
    assert_int_equal(fit_ets(&m, r->y, r->n, 12, NULL), KAIROS_OK);
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_model_report_json(m, &b), KAIROS_OK);
    assert_non_null(strstr(b.data, "\"method\":\"ETS(A,N,A)\""));
    assert_non_null(strstr(b.data, "\"alpha\":"));
    assert_non_null(strstr(b.data, "\"s10\":"));
    kairos_buf_dispose(&b);
    kairos_model_info info = KAIROS_MODEL_INFO_INIT;
    assert_int_equal(kairos_model_describe(m, &info), KAIROS_OK);
    assert_int_equal(info.period, 12);
    assert_int_equal(info.nobs, 72);
    assert_true(info.loglik >= r->loglik - 1e-6 * fabs(r->loglik));
    kairos_model_free(m);
}

static void ets_model_can_be_forced_by_name(void **state)
{
    (void)state;
    const ets_ref *r = find_ref("WWWusage_ANN");
    kairos_model *m = NULL;
    assert_int_equal(fit_ets(&m, r->y, r->n, 0, "ANN"), KAIROS_OK);
    kairos_buf b = KAIROS_BUF_INIT;
    assert_int_equal(kairos_model_report_json(m, &b), KAIROS_OK);
    assert_non_null(strstr(b.data, "ETS(A,N,N)"));
    kairos_buf_dispose(&b);
    kairos_model_free(m);
    assert_int_equal(fit_ets(&m, r->y, r->n, 0, "MAM"), KAIROS_EINVAL);
    assert_null(m);
}

/* Seasonal ETS estimates m − 1 initial states; above m = 24 (as R) it is refused. */
static void seasonal_ets_refuses_periods_above_24(void **state)
{
    (void)state;
    double y[200];
    for (size_t t = 0; t < 200; t++)
        y[t] = (double)(t % 48);
    kairos_model *m = NULL;
    assert_int_equal(fit_ets(&m, y, 200, 48, "ANA"), KAIROS_EDATA);
    /* Chosen automatically, the period is simply not used. */
    assert_int_equal(fit_ets(&m, y, 200, 48, NULL), KAIROS_OK);
    kairos_model_info info = KAIROS_MODEL_INFO_INIT;
    assert_int_equal(kairos_model_describe(m, &info), KAIROS_OK);
    assert_int_equal(info.period, 0);
    kairos_model_free(m);
}

/* Missing values contribute no innovation: the fit uses the observed points only and stays
 * close to the complete-data fit (ETS(A,N,N) on the Nile with three points removed: forecast
 * within 2 % of the complete-data one). */
static void ets_skips_missing_values(void **state)
{
    (void)state;
    const ets_ref *r = find_ref("Nile_ANN");
    double y[MAX_N];
    memcpy(y, r->y, r->n * sizeof *y);
    y[10] = y[40] = y[41] = NAN;
    kairos__ets_spec spec;
    assert_int_equal(kairos__ets_parse("ANN", 1, &spec), KAIROS_OK);
    kairos__ets_fit *full = NULL, *gappy = NULL;
    assert_int_equal(kairos__ets_fit_spec(&full, r->y, r->n, &spec), KAIROS_OK);
    assert_int_equal(kairos__ets_fit_spec(&gappy, y, r->n, &spec), KAIROS_OK);
    assert_int_equal(kairos__ets_nobs(gappy), r->n - 3);
    double a[H], b[H], sd[H];
    assert_int_equal(kairos__ets_forecast(full, H, a, sd), KAIROS_OK);
    assert_int_equal(kairos__ets_forecast(gappy, H, b, sd), KAIROS_OK);
    for (size_t h = 0; h < H; h++) {
        assert_true(isfinite(b[h]) && isfinite(sd[h]));
        assert_true(fabs(a[h] - b[h]) < 0.02 * fabs(a[h]));
    }
    kairos__ets_fit_free(full);
    kairos__ets_fit_free(gappy);
}

static void a_constant_series_gets_zero_width_intervals(void **state)
{
    (void)state;
    double y[50], mean[4], q[8], levels[] = { 0.05, 0.95 };
    for (size_t t = 0; t < 50; t++)
        y[t] = 7.5;
    kairos_model *m = NULL;
    assert_int_equal(fit_ets(&m, y, 50, 0, NULL), KAIROS_OK);
    kairos_forecast_opts fc = KAIROS_FORECAST_OPTS_INIT;
    fc.horizon = 4;
    fc.quantiles = levels;
    fc.n_quantiles = 2;
    assert_int_equal(kairos_model_forecast(m, &fc, mean, q), KAIROS_OK);
    for (size_t i = 0; i < 4; i++)
        assert_true(mean[i] == 7.5 && q[i] == 7.5 && q[4 + i] == 7.5);
    kairos_model_free(m);
}

/* Class 1 variance (Hyndman et al. 2008, Table 6.1) for ETS(A,Ad,N) by hand:
 * v_h = σ²(1 + Σ_{j<h} (α + βφ_j)²), φ_j = φ + … + φ^j. */
static void damped_trend_variance_follows_table_6_1(void **state)
{
    (void)state;
    const ets_ref *r = find_ref("WWWusage_AAdN");
    kairos__ets_spec spec;
    assert_int_equal(kairos__ets_parse("AAdN", 1, &spec), KAIROS_OK);
    kairos__ets_fit *fit = NULL;
    assert_int_equal(kairos__ets_fit_fixed(&fit, r->y, r->n, &spec, r->par, r->n_par),
                     KAIROS_OK);
    double mean[H], sd[H], alpha = r->par[0], beta = r->par[1], phi = r->par[2];
    assert_int_equal(kairos__ets_forecast(fit, H, mean, sd), KAIROS_OK);
    double sum = 0.0, phi_j = 0.0, power = 1.0;
    for (size_t h = 1; h <= H; h++) {
        double v = kairos__ets_sigma2(fit) * (1.0 + sum);
        assert_true(fabs(sd[h - 1] * sd[h - 1] - v) < 1e-9 * v);
        power *= phi;
        phi_j += power;
        sum += (alpha + beta * phi_j) * (alpha + beta * phi_j);
    }
    kairos__ets_fit_free(fit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(likelihood_and_intervals_at_r_parameters_match_r),
        cmocka_unit_test(estimates_are_at_least_as_likely_as_rs),
        cmocka_unit_test(automatic_choice_agrees_with_r),
        cmocka_unit_test(ets_model_reports_its_method_and_parameters),
        cmocka_unit_test(ets_model_can_be_forced_by_name),
        cmocka_unit_test(seasonal_ets_refuses_periods_above_24),
        cmocka_unit_test(ets_skips_missing_values),
        cmocka_unit_test(a_constant_series_gets_zero_width_intervals),
        cmocka_unit_test(damped_trend_variance_follows_table_6_1),
    };
    return cmocka_run_group_tests(tests, setup_refs, NULL);
}
