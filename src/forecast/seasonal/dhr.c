/* Model "dhr": dynamic harmonic regression (Hyndman & Athanasopoulos, FPP3 §10.5; Young,
 * Pedregal & Tych 1999) — Fourier terms for each seasonal period as regressors, with ARIMA
 * errors:
 *
 *   y_t = c + Σ_i Σ_{k=1..K_i} [a_ik sin(2πkt/m_i) + b_ik cos(2πkt/m_i)] + η_t,
 *   η_t ~ ARIMA(p,d,q) chosen automatically.
 *
 * Estimation is two-stage: the regression by least squares (LAPACKE dgels), then automatic
 * ARIMA on its residuals. (R's auto.arima(xreg = fourier(...)) estimates both jointly by
 * GLS; two-stage least squares gives the same coefficients asymptotically and keeps the
 * ARIMA engine free of regressors.) K_i is chosen per period, smallest period first, by the
 * AICc of the whole model with the error model's order held at the one auto ARIMA picks for
 * a pilot fit (K_i = 1 throughout): AICc = −2 log L + 2k + 2k(k+1)/(N−k−1) with k counting
 * the regression coefficients, the ARMA coefficients and σ². The error model sees the last
 * kairos_fit_opts.adjusted_window points (see seasonal_internal.h). */
#include "seasonal_internal.h"

#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TWO_PI 6.283185307179586476925286766559
#define DEFAULT_MAX_K 12

typedef struct term {
    size_t period, k;
    bool   is_sin;
} term;

typedef struct dhr_state {
    size_t n;                         /* history length: step h is t = n + h */
    size_t n_periods, period[KAIROS__MAX_SEASONS], K[KAIROS__MAX_SEASONS];
    size_t n_terms;                   /* Fourier columns (the intercept is separate) */
    term  *terms;
    double *beta;                     /* intercept, then one per term */
    kairos__nonseasonal errors;
} dhr_state;

static void dhr_free(void *p)
{
    dhr_state *s = p;
    if (!s)
        return;
    free(s->terms);
    free(s->beta);
    kairos__nonseasonal_free(&s->errors);
    free(s);
}

/* sin/cos(2πkt/m) with the angle reduced exactly in integers first, so t in the tens of
 * thousands loses no precision. */
static double term_value(const term *tm, size_t t)
{
    double angle = TWO_PI * (double)((tm->k * (t % tm->period)) % tm->period) /
                   (double)tm->period;
    return tm->is_sin ? sin(angle) : cos(angle);
}

/* The terms for orders K[i]: the sine at k = m/2 is identically zero and a frequency k/m
 * already present for an earlier period (k/24 = 7k/168) would make the design singular, so
 * both are left out. Returns the count (terms may be NULL to count only). */
static size_t build_terms(const size_t *period, const size_t *K, size_t n_periods, term *terms)
{
    size_t count = 0;
    for (size_t i = 0; i < n_periods; i++)
        for (size_t k = 1; k <= K[i]; k++) {
            bool duplicate = false;
            for (size_t j = 0; j < i && !duplicate; j++)
                for (size_t l = 1; l <= K[j] && !duplicate; l++)
                    duplicate = k * period[j] == l * period[i];
            if (duplicate)
                continue;
            for (int s = 0; s < 2; s++) {
                if (s == 0 && 2 * k == period[i])
                    continue;
                if (terms)
                    terms[count] = (term){ period[i], k, s == 0 };
                count++;
            }
        }
    return count;
}

/* Least squares of y on [1, terms] over the observed rows; residuals (NaN where y is) into
 * resid, coefficients into beta (1 + n_terms). KAIROS_EMODEL when the design is singular. */
static int regress(const double *y, size_t n, const term *terms, size_t n_terms, double *beta,
                   double *resid)
{
    size_t p = n_terms + 1, rows = 0;
    for (size_t t = 0; t < n; t++)
        rows += !isnan(y[t]);
    if (rows < p + 2)
        return kairos__fail(KAIROS_EDATA, "dhr: %zu observations for %zu coefficients", rows, p);
    double *a = kairos__malloc_array(rows * p + rows, sizeof *a);
    if (!a)
        return kairos__fail(KAIROS_ENOMEM, "out of memory in dhr regression");
    double *b = a + rows * p;
    for (size_t t = 0, r = 0; t < n; t++) {
        if (isnan(y[t]))
            continue;
        a[r * p] = 1.0;
        for (size_t j = 0; j < n_terms; j++)
            a[r * p + 1 + j] = term_value(&terms[j], t + 1);
        b[r++] = y[t];
    }
    lapack_int info = LAPACKE_dgels(LAPACK_ROW_MAJOR, 'N', (lapack_int)rows, (lapack_int)p, 1,
                                    a, (lapack_int)p, b, 1);
    int rc = KAIROS_OK;
    if (info != 0) {
        rc = info < 0 ? kairos__fail(KAIROS_EMODEL, "dhr: dgels argument %d", (int)-info)
                      : kairos__fail(KAIROS_EMODEL, "dhr: the Fourier design is singular");
    } else {
        memcpy(beta, b, p * sizeof *beta);
        for (size_t t = 0; t < n; t++) {
            double fit = beta[0];
            for (size_t j = 0; j < n_terms; j++)
                fit += beta[1 + j] * term_value(&terms[j], t + 1);
            resid[t] = y[t] - fit;   /* NaN stays NaN */
        }
    }
    free(a);
    return rc;
}

typedef struct search {
    const double *y;
    size_t n;
    const size_t *period;
    size_t n_periods;
    term *terms;        /* room for the largest design */
    double *beta, *resid;
    kairos_arima_spec pilot;
    size_t skip;        /* leading residuals the error model does not see */
} search;

/* AICc of the model with orders K and the pilot's error order; +Inf when it cannot be fit. */
static double candidate_aicc(search *s, const size_t *K, int *status)
{
    size_t nt = build_terms(s->period, K, s->n_periods, s->terms);
    *status = regress(s->y, s->n, s->terms, nt, s->beta, s->resid);
    if (*status)
        return INFINITY;
    kairos__arima_fit_result *fit = NULL;
    *status = kairos__arima_fit(&fit, s->resid + s->skip, s->n - s->skip, &s->pilot);
    if (*status)
        return INFINITY;
    size_t arma = kairos__arima_coef_count(fit);
    double k = (double)(arma + nt + 1) + 1.0, N = (double)kairos__arima_nobs(fit);
    double aicc = -2.0 * kairos__arima_loglik(fit) + 2.0 * k +
                  (N - k - 1.0 > 0 ? 2.0 * k * (k + 1.0) / (N - k - 1.0) : INFINITY);
    kairos__arima_fit_free(fit);
    return aicc;
}

static int choose_orders(search *s, const size_t *max_k, size_t *K)
{
    for (size_t i = 0; i < s->n_periods; i++)
        K[i] = 1;
    for (size_t i = 0; i < s->n_periods; i++) {
        double best = INFINITY;
        size_t best_k = 1;
        for (size_t k = 1; k <= max_k[i]; k++) {
            K[i] = k;
            int status;
            double aicc = candidate_aicc(s, K, &status);
            if (status == KAIROS_ENOMEM)
                return status;
            if (aicc < best) {
                best = aicc;
                best_k = k;
            }
        }
        K[i] = best_k;
    }
    kairos_clear_error();
    return KAIROS_OK;
}

/* Periods used (>= 2, at most KAIROS__MAX_SEASONS, no repeats) and their largest K. */
static size_t dhr_periods(const kairos__fit_data *d, size_t *period, size_t *max_k)
{
    size_t count = 0, cap = d->opts->dhr_max_k ? d->opts->dhr_max_k : DEFAULT_MAX_K;
    for (size_t i = 0; i < d->n_periods && count < KAIROS__MAX_SEASONS; i++) {
        size_t m = d->periods[i];
        bool dup = m < 2;
        for (size_t j = 0; j < count && !dup; j++)
            dup = period[j] == m;
        if (dup)
            continue;
        period[count] = m;
        max_k[count] = m / 2 < cap ? m / 2 : cap;
        count++;
    }
    return count;
}

static int dhr_estimate(dhr_state *st, const kairos__fit_data *d, search *s,
                        const size_t *max_k)
{
    /* Pilot: one harmonic per period, automatic ARIMA on the residuals fixes the error order
     * the search holds constant. */
    size_t K1[KAIROS__MAX_SEASONS];
    for (size_t i = 0; i < st->n_periods; i++)
        K1[i] = 1;
    size_t nt = build_terms(st->period, K1, st->n_periods, s->terms);
    int rc = regress(d->y, d->n, s->terms, nt, s->beta, s->resid);
    kairos__nonseasonal pilot;
    if (rc == KAIROS_OK)
        rc = kairos__nonseasonal_fit(&pilot, s->resid + s->skip, d->n - s->skip,
                                     KAIROS__ADJUSTED_ARIMA);
    if (rc)
        return rc;
    bool have_pilot = pilot.arima != NULL;
    if (have_pilot)
        s->pilot = *kairos__arima_spec(pilot.arima);
    kairos__nonseasonal_free(&pilot);
    if (have_pilot)
        rc = choose_orders(s, max_k, st->K);
    else   /* ARIMA failed on the pilot: keep one harmonic, errors by ETS below */
        memcpy(st->K, K1, sizeof K1);
    if (rc)
        return rc;
    st->n_terms = build_terms(st->period, st->K, st->n_periods, NULL);
    st->terms = kairos__malloc_array(st->n_terms, sizeof *st->terms);
    st->beta = kairos__malloc_array(st->n_terms + 1, sizeof *st->beta);
    if (!st->terms || !st->beta)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting 'dhr'");
    build_terms(st->period, st->K, st->n_periods, st->terms);
    rc = regress(d->y, d->n, st->terms, st->n_terms, st->beta, s->resid);
    if (rc == KAIROS_OK)
        rc = kairos__nonseasonal_fit(&st->errors, s->resid + s->skip, d->n - s->skip,
                                     KAIROS__ADJUSTED_ARIMA);
    return rc;
}

static int dhr_describe(kairos_model *m, const dhr_state *st)
{
    int rc = kairos__nonseasonal_describe(m, &st->errors);
    /* The error model's statistics, counted as one model with the regression. */
    size_t extra = st->n_terms + 1;
    double T = (double)m->nobs, k = (double)(m->n_coef + extra) + 1.0;
    if (st->errors.arima) {
        m->aic = -2.0 * m->loglik + 2.0 * k;
        m->aicc = m->aic + 2.0 * k * (k + 1.0) / (T - k - 1.0);
        m->bic = -2.0 * m->loglik + log(T) * k;
    }
    if (rc == KAIROS_OK)
        rc = kairos__model_add_coef(m, "xreg_intercept", st->beta[0]);
    for (size_t j = 0; rc == KAIROS_OK && j < st->n_terms; j++) {
        char name[48];
        const term *tm = &st->terms[j];
        snprintf(name, sizeof name, "%c%zu-%zu", tm->is_sin ? 'S' : 'C', tm->k, tm->period);
        rc = kairos__model_add_coef(m, name, st->beta[1 + j]);
    }
    return rc;
}

static int dhr_fit(kairos_model *m, const kairos__fit_data *d)
{
    dhr_state *st = calloc(1, sizeof *st);
    if (!st)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting 'dhr'");
    m->state = st;   /* freed by the caller on failure */
    st->n = d->n;
    size_t max_k[KAIROS__MAX_SEASONS];
    st->n_periods = dhr_periods(d, st->period, max_k);
    if (st->n_periods == 0)
        return kairos__fail(KAIROS_EINVAL, "model 'dhr' needs a seasonal period >= 2");
    size_t most = build_terms(st->period, max_k, st->n_periods, NULL);
    search s = { d->y, d->n, st->period, st->n_periods, NULL, NULL, NULL,
                 KAIROS_ARIMA_SPEC_INIT, kairos__adjusted_skip(d) };
    s.terms = kairos__malloc_array(most + 1, sizeof *s.terms);
    double *mem = kairos__malloc_array(most + 1 + d->n, sizeof *mem);
    int rc = s.terms && mem ? KAIROS_OK
                            : kairos__fail(KAIROS_ENOMEM, "out of memory fitting 'dhr'");
    if (rc == KAIROS_OK) {
        s.beta = mem;
        s.resid = mem + most + 1;
        rc = dhr_estimate(st, d, &s, max_k);
    }
    free(s.terms);
    free(mem);
    if (rc == KAIROS_OK) {
        m->period = st->period[0];
        rc = dhr_describe(m, st);
    }
    return rc;
}

static int dhr_predict(const kairos_model *m, size_t horizon, double *mean, double *sd)
{
    const dhr_state *st = m->state;
    int rc = kairos__nonseasonal_forecast(&st->errors, horizon, mean, sd);
    for (size_t h = 0; rc == KAIROS_OK && h < horizon; h++) {
        double x = st->beta[0];
        for (size_t j = 0; j < st->n_terms; j++)
            x += st->beta[1 + j] * term_value(&st->terms[j], st->n + h + 1);
        mean[h] += x;
    }
    return rc;
}

static int dhr_report(const kairos_model *m, kairos_buf *out)
{
    const dhr_state *st = m->state;
    int rc = kairos__report_size_list(out, "periods", st->period, st->n_periods);
    if (rc == KAIROS_OK)
        rc = kairos__report_size_list(out, "fourier_k", st->K, st->n_periods);
    if (rc == KAIROS_OK)
        rc = kairos__report_string(out, "error_model", st->errors.label);
    if (rc == KAIROS_OK && st->errors.note[0])
        rc = kairos__report_string(out, "note", st->errors.note);
    return rc;
}

const kairos__model_vtable kairos__dhr_model = {
    .name = "dhr",
    .flags = KAIROS__MODEL_SEASONAL,
    .fit = dhr_fit,
    .predict = dhr_predict,
    .free_state = dhr_free,
    .report_extra = dhr_report,
};
