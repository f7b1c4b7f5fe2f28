/* ETS with additive errors: filtering, maximum likelihood, AICc selection and class 1
 * prediction variances. Definitions in ets.h and docs/models.md; the model follows
 * Hyndman, Koehler, Ord & Snyder (2008), "Forecasting with Exponential Smoothing".
 * Written from the book's equations, not from any implementation. */
#include "ets.h"
#include "core/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The "usual" bounds of Hyndman et al. (2008, §5.2) as R's ets sets them. */
#define SMOOTH_LO 1e-4
#define SMOOTH_HI 0.9999
#define PHI_LO    0.8
#define PHI_HI    0.98

struct kairos__ets_fit {
    kairos__ets_spec spec;
    size_t m;                  /* seasonal ring length; 1 when no season */
    double alpha, beta, gamma, phi;
    double level, slope;       /* states at the end of the history */
    double *season;            /* m states: season[t mod m] is the latest s for slot t */
    size_t n;                  /* length of the history, missing values included */
    size_t nobs;               /* observed points T */
    double sse, loglik, aic, aicc, bic, sigma2;
    double *par;               /* estimated vector, R's order */
    size_t n_par;
    char label[16];
};

static bool seasonal(const kairos__ets_spec *s)
{
    return s->period >= 2;
}

/* Positions in R's parameter vector. */
typedef struct layout {
    size_t n_smooth;   /* α, β, γ, φ present */
    size_t i_beta, i_gamma, i_phi, i_level, i_slope, i_season;
    size_t n_par;
} layout;

static layout layout_of(const kairos__ets_spec *s)
{
    layout l = { 0 };
    size_t k = 1;   /* α */
    l.i_beta = s->trend ? k++ : SIZE_MAX;
    l.i_gamma = seasonal(s) ? k++ : SIZE_MAX;
    l.i_phi = s->damped ? k++ : SIZE_MAX;
    l.n_smooth = k;
    l.i_level = k++;
    l.i_slope = s->trend ? k++ : SIZE_MAX;
    l.i_season = k;
    if (seasonal(s))
        k += s->period - 1;
    l.n_par = k;
    return l;
}

int kairos__ets_parse(const char *name, size_t period, kairos__ets_spec *spec)
{
    static const char *const names[] = { "ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i]) != 0)
            continue;
        spec->trend = name[1] == 'A';
        spec->damped = name[2] == 'd';
        spec->period = name[strlen(name) - 1] == 'A' ? period : 0;
        if (name[strlen(name) - 1] == 'A' && period < 2)
            return kairos__fail(KAIROS_EINVAL, "ETS model '%s' needs a seasonal period >= 2",
                                name);
        return KAIROS_OK;
    }
    return kairos__fail(KAIROS_EINVAL, "unknown ETS model '%s' (known: ANN, AAN, AAdN, ANA, "
                                       "AAA, AAdA)", name);
}

/* ---------------------------------------------------------------------------------------
 * The filter
 * ------------------------------------------------------------------------------------- */

typedef struct params {
    double alpha, beta, gamma, phi, level, slope;
    const double *season0;     /* R's s0 … s_{m−2}; NULL when no season */
} params;

static params unpack(const kairos__ets_spec *s, const layout *l, const double *p)
{
    params q = { .alpha = p[0], .phi = 1.0 };
    if (s->trend)
        q.beta = p[l->i_beta];
    if (seasonal(s))
        q.gamma = p[l->i_gamma];
    if (s->damped)
        q.phi = p[l->i_phi];
    q.level = p[l->i_level];
    if (s->trend)
        q.slope = p[l->i_slope];
    if (seasonal(s))
        q.season0 = p + l->i_season;
    return q;
}

static bool within_bounds(const kairos__ets_spec *s, const params *q)
{
    if (!(q->alpha >= SMOOTH_LO && q->alpha <= SMOOTH_HI))
        return false;
    if (s->trend && !(q->beta >= SMOOTH_LO && q->beta <= q->alpha))
        return false;
    if (seasonal(s) && !(q->gamma >= SMOOTH_LO && q->gamma <= 1.0 - q->alpha))
        return false;
    if (s->damped && !(q->phi >= PHI_LO && q->phi <= PHI_HI))
        return false;
    return true;
}

/* Ring slot j (0-based time j) holds s_{j+1−m}: R's s_k (= s_{−k}) is slot m−1−k and the
 * free states fix the remaining one through Σ s = 0. */
static void initial_season(const kairos__ets_spec *s, const double *season0, double *ring)
{
    size_t m = s->period;
    double sum = 0.0;
    for (size_t k = 0; k + 1 < m; k++) {
        ring[m - 1 - k] = season0[k];
        sum += season0[k];
    }
    ring[0] = -sum;
}

/* Run the recursions over y; returns Σe² over the observed points, and leaves the final
 * states in *q (level, slope) and ring. */
static double run_filter(const kairos__ets_spec *s, params *q, double *ring, size_t m,
                         const double *y, size_t n)
{
    double sse = 0.0, l = q->level, b = q->slope;
    for (size_t t = 0; t < n; t++) {
        size_t j = t % m;
        double s_old = m > 1 ? ring[j] : 0.0;
        double base = l + q->phi * b;
        double e = isnan(y[t]) ? 0.0 : y[t] - (base + s_old);
        sse += e * e;
        l = base + q->alpha * e;
        b = q->phi * b + q->beta * e;
        if (m > 1)
            ring[j] = s_old + q->gamma * e;
    }
    q->level = l;
    q->slope = b;
    return sse;
}

typedef struct objective_ctx {
    const kairos__ets_spec *spec;
    layout lay;
    const double *y;
    size_t n, nobs, m;
    double *ring;
} objective_ctx;

/* T·log(Σe²): −2·loglik up to a constant, R's criterion for additive errors. */
static double objective(const double *p, void *vctx)
{
    objective_ctx *c = vctx;
    params q = unpack(c->spec, &c->lay, p);
    if (!within_bounds(c->spec, &q))
        return INFINITY;
    if (c->m > 1)
        initial_season(c->spec, q.season0, c->ring);
    double sse = run_filter(c->spec, &q, c->ring, c->m, c->y, c->n);
    if (!isfinite(sse))
        return INFINITY;
    /* An exact fit (sse = 0) would give −Inf; a tiny floor keeps the comparison ordered. */
    return (double)c->nobs * log(sse > 1e-300 ? sse : 1e-300);
}

/* ---------------------------------------------------------------------------------------
 * Results
 * ------------------------------------------------------------------------------------- */

static void label_of(const kairos__ets_spec *s, char *out, size_t size)
{
    snprintf(out, size, "ETS(A,%s,%s)", s->trend ? (s->damped ? "Ad" : "A") : "N",
             seasonal(s) ? "A" : "N");
}

static size_t count_observed(const double *y, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += !isnan(y[i]);
    return c;
}

/* Build the fit object for parameter vector @p p (already estimated or given). */
static int finish_fit(kairos__ets_fit **out, const kairos__ets_spec *spec, const double *y,
                      size_t n, const double *p)
{
    layout lay = layout_of(spec);
    size_t m = seasonal(spec) ? spec->period : 1;
    kairos__ets_fit *f = calloc(1, sizeof *f);
    if (!f)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting ETS");
    f->season = kairos__calloc(m, sizeof *f->season);
    f->par = kairos__malloc_array(lay.n_par, sizeof *f->par);
    if (!f->season || !f->par) {
        kairos__ets_fit_free(f);
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting ETS");
    }
    memcpy(f->par, p, lay.n_par * sizeof *p);
    f->n_par = lay.n_par;
    f->spec = *spec;
    f->m = m;
    params q = unpack(spec, &lay, p);
    if (m > 1)
        initial_season(spec, q.season0, f->season);
    f->sse = run_filter(spec, &q, f->season, m, y, n);
    f->alpha = q.alpha;
    f->beta = q.beta;
    f->gamma = q.gamma;
    f->phi = q.phi;
    f->level = q.level;
    f->slope = q.slope;
    f->n = n;
    f->nobs = count_observed(y, n);
    double T = (double)f->nobs, k = (double)lay.n_par + 1.0;   /* + σ */
    double lik = T * log(f->sse);
    f->loglik = -0.5 * lik;
    f->aic = lik + 2.0 * k;
    f->bic = lik + log(T) * k;
    f->aicc = f->aic + 2.0 * k * (k + 1.0) / (T - k - 1.0);
    f->sigma2 = f->sse / (T - (double)lay.n_par);
    label_of(spec, f->label, sizeof f->label);
    *out = f;
    if (!isfinite(f->sse) || !isfinite(f->level))
        return kairos__fail(KAIROS_EMODEL, "%s: the states are not finite", f->label);
    return KAIROS_OK;
}

void kairos__ets_fit_free(kairos__ets_fit *fit)
{
    if (!fit)
        return;
    free(fit->season);
    free(fit->par);
    free(fit);
}

static int check_spec(const kairos__ets_spec *spec, size_t n, size_t nobs)
{
    if (spec->damped && !spec->trend)
        return kairos__fail(KAIROS_EINVAL, "a damped ETS model needs a trend");
    if (seasonal(spec) && spec->period > KAIROS_ETS_MAX_SEASONAL_PERIOD)
        return kairos__fail(KAIROS_EDATA, "seasonal ETS supports periods up to %d (got %zu): "
                                          "use stl/mstl or dhr for long seasons",
                            KAIROS_ETS_MAX_SEASONAL_PERIOD, spec->period);
    if (seasonal(spec) && n < 2 * spec->period)
        return kairos__fail(KAIROS_EDATA, "seasonal ETS needs two seasons (%zu points); the "
                                          "series has %zu", 2 * spec->period, n);
    layout lay = layout_of(spec);
    if (nobs < lay.n_par + 2)
        return kairos__fail(KAIROS_EDATA, "ETS with %zu parameters needs at least %zu "
                                          "observations; the series has %zu",
                            lay.n_par, lay.n_par + 2, nobs);
    return KAIROS_OK;
}

int kairos__ets_fit_fixed(kairos__ets_fit **out, const double *y, size_t n,
                          const kairos__ets_spec *spec, const double *par, size_t n_par)
{
    *out = NULL;
    int rc = check_spec(spec, n, count_observed(y, n));
    if (rc)
        return rc;
    layout lay = layout_of(spec);
    if (n_par != lay.n_par)
        return kairos__fail(KAIROS_EINVAL, "ETS model needs %zu parameters, %zu given",
                            lay.n_par, n_par);
    rc = finish_fit(out, spec, y, n, par);
    if (rc) {
        kairos__ets_fit_free(*out);
        *out = NULL;
    }
    return rc;
}

int kairos__ets_fit_spec(kairos__ets_fit **out, const double *y, size_t n,
                         const kairos__ets_spec *spec)
{
    *out = NULL;
    size_t nobs = count_observed(y, n);
    int rc = check_spec(spec, n, nobs);
    if (rc)
        return rc;
    layout lay = layout_of(spec);
    size_t m = seasonal(spec) ? spec->period : 1;
    double *work = kairos__malloc_array(2 * lay.n_par + m, sizeof *work);
    if (!work)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting ETS");
    double *par = work, *step = work + lay.n_par;
    objective_ctx ctx = { spec, lay, y, n, nobs, m, work + 2 * lay.n_par };
    rc = kairos__ets_start(spec, y, n, par, step);
    double best = rc ? NAN : objective(par, &ctx);
    /* Restart from the optimum until it stops improving: one simplex run often stalls on
     * the narrow valleys of the initial-state directions. */
    for (int run = 0; rc == KAIROS_OK && run < 4; run++) {
        double v = kairos__nelder_mead(objective, &ctx, par, step, lay.n_par, 1e-8, 2000);
        if (isnan(v)) {
            rc = kairos__fail(KAIROS_ENOMEM, "out of memory fitting ETS");
            break;
        }
        bool improved = v < best - 1e-7 * (fabs(best) + 1.0);
        best = v < best ? v : best;
        if (!improved && run > 0)
            break;
        for (size_t i = 0; i < lay.n_par; i++)
            step[i] *= 0.5;
    }
    if (rc == KAIROS_OK && !isfinite(best))
        rc = kairos__fail(KAIROS_EMODEL, "ETS: no finite likelihood within the bounds");
    if (rc == KAIROS_OK) {
        rc = finish_fit(out, spec, y, n, par);
        if (rc) {
            kairos__ets_fit_free(*out);
            *out = NULL;
        }
    }
    free(work);
    return rc;
}

static bool is_constant(const double *y, size_t n)
{
    double first = NAN;
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i]))
            continue;
        if (isnan(first))
            first = y[i];
        else if (y[i] != first)
            return false;
    }
    return true;
}

/* A constant series: ETS(A,N,N) at its value with σ² = 0 (the likelihood is unbounded). */
static int constant_fit(kairos__ets_fit **out, const double *y, size_t n)
{
    kairos__ets_spec spec = { false, false, 0 };
    double value = NAN;
    for (size_t i = 0; i < n && isnan(value); i++)
        value = y[i];
    double par[2] = { SMOOTH_LO, value };
    int rc = finish_fit(out, &spec, y, n, par);
    if (rc == KAIROS_OK) {
        (*out)->sigma2 = 0.0;
        (*out)->loglik = (*out)->aic = (*out)->aicc = (*out)->bic = NAN;
    }
    return rc;
}

int kairos__ets_auto(kairos__ets_fit **out, const double *y, size_t n, size_t period)
{
    *out = NULL;
    size_t nobs = count_observed(y, n);
    if (nobs < 3)
        return kairos__fail(KAIROS_EDATA, "ETS needs at least 3 observations; the series has "
                                          "%zu", nobs);
    if (is_constant(y, n))
        return constant_fit(out, y, n);
    bool try_seasonal = period >= 2 && period <= KAIROS_ETS_MAX_SEASONAL_PERIOD &&
                        n >= 2 * period;
    static const char *const names[] = { "ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA" };
    kairos__ets_fit *best = NULL;
    int last_rc = KAIROS_EDATA;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        kairos__ets_spec spec;
        if (i >= 3 && !try_seasonal)
            break;
        if (kairos__ets_parse(names[i], period, &spec) != KAIROS_OK)
            continue;
        kairos__ets_fit *f = NULL;
        int rc = kairos__ets_fit_spec(&f, y, n, &spec);
        if (rc == KAIROS_ENOMEM) {
            kairos__ets_fit_free(best);
            return rc;
        }
        if (rc != KAIROS_OK) {
            last_rc = rc;
            continue;
        }
        if (!best || f->aicc < best->aicc) {
            kairos__ets_fit_free(best);
            best = f;
        } else {
            kairos__ets_fit_free(f);
        }
    }
    if (!best)
        return last_rc;
    kairos_clear_error();
    *out = best;
    return KAIROS_OK;
}

/* ---------------------------------------------------------------------------------------
 * Forecasts: μ_h = l_n + φ_h b_n + s_{n+h−m(k+1)}, and the class 1 variance
 * v_h = σ²(1 + Σ_{j<h} c_j²), c_j = α + β φ_j + γ·[j ≡ 0 mod m] (Hyndman et al. 2008,
 * Table 6.1), with φ_j = φ + … + φ^j (= j undamped).
 * ------------------------------------------------------------------------------------- */

int kairos__ets_forecast(const kairos__ets_fit *f, size_t h, double *mean, double *sd)
{
    if (!f || !mean || h == 0)
        return kairos__fail(KAIROS_EINVAL, "kairos__ets_forecast: bad arguments");
    double phi_h = 0.0, power = 1.0, sum_c2 = 0.0;
    for (size_t k = 1; k <= h; k++) {
        power *= f->phi;
        phi_h += f->spec.trend ? power : 0.0;   /* φ_k, after k steps */
        double s = f->m > 1 ? f->season[(f->n - 1 + k) % f->m] : 0.0;
        mean[k - 1] = f->level + phi_h * f->slope + s;
        if (sd)
            sd[k - 1] = sqrt(f->sigma2 * (1.0 + sum_c2));
        /* c_k enters the variance of step k + 1. */
        double c = f->alpha + f->beta * phi_h + (f->m > 1 && k % f->m == 0 ? f->gamma : 0.0);
        sum_c2 += c * c;
    }
    return KAIROS_OK;
}

const kairos__ets_spec *kairos__ets_fit_spec_of(const kairos__ets_fit *f) { return &f->spec; }
const char *kairos__ets_label(const kairos__ets_fit *f) { return f->label; }
double kairos__ets_loglik(const kairos__ets_fit *f) { return f->loglik; }
double kairos__ets_aic(const kairos__ets_fit *f) { return f->aic; }
double kairos__ets_aicc(const kairos__ets_fit *f) { return f->aicc; }
double kairos__ets_bic(const kairos__ets_fit *f) { return f->bic; }
double kairos__ets_sigma2(const kairos__ets_fit *f) { return f->sigma2; }
size_t kairos__ets_nobs(const kairos__ets_fit *f) { return f->nobs; }
size_t kairos__ets_par_count(const kairos__ets_fit *f) { return f->n_par; }
double kairos__ets_par(const kairos__ets_fit *f, size_t i) { return f->par[i]; }

void kairos__ets_par_name(const kairos__ets_fit *f, size_t i, char *buf, size_t size)
{
    layout l = layout_of(&f->spec);
    const char *name = i == 0 ? "alpha" : i == l.i_beta ? "beta" : i == l.i_gamma ? "gamma"
                     : i == l.i_phi ? "phi" : i == l.i_level ? "l" : i == l.i_slope ? "b"
                     : NULL;
    if (name)
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "s%zu", i - l.i_season);
}
