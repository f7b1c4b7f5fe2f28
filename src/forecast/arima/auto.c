/* Automatic ARIMA order selection: the Hyndman-Khandakar (2008) stepwise search of
 * forecast::auto.arima, with d from repeated KPSS tests (as forecast::ndiffs) and D from a
 * seasonal-strength heuristic. See docs/arima.md for what follows R exactly and what not. */
#include "arima_impl.h"
#include "core/internal.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int kairos__arima_auto_opts_init(kairos_arima_auto_opts *o)
{
    if (!o)
        return kairos__fail(KAIROS_EINVAL, "ARIMA auto: NULL options");
    kairos_arima_auto_opts def = KAIROS_ARIMA_AUTO_OPTS_INIT;
    *o = def;
    return KAIROS_OK;
}

/* ---- unit-root and seasonality tests ------------------------------------------------------ */

static size_t count_finite(const double *x, size_t n)
{
    size_t c = 0;
    for (size_t t = 0; t < n; t++)
        c += !isnan(x[t]);
    return c;
}

static int is_constant(const double *x, size_t n)
{
    double first = NAN;
    for (size_t t = 0; t < n; t++) {
        if (isnan(x[t]))
            continue;
        if (isnan(first))
            first = x[t];
        else if (x[t] != first)
            return 0;
    }
    return 1;
}

/* KPSS level-stationarity statistic (Kwiatkowski et al. 1992) on the non-missing values:
 * eta = sum S_t^2 / (n^2 s^2(l)), S_t partial sums of x - mean, s^2(l) the Newey-West
 * long-run variance with Bartlett weights and l = trunc(3 sqrt(n) / 13) lags (the choice of
 * forecast::ndiffs). */
double kairos__arima_kpss(const double *x, size_t n)
{
    size_t m = 0;
    double mean = 0.0;
    for (size_t t = 0; t < n; t++)
        if (!isnan(x[t])) {
            mean += x[t];
            m++;
        }
    if (m < 3)
        return NAN;
    mean /= (double)m;
    double *e = kairos__calloc(m, sizeof(double));
    if (!e)
        return NAN;
    size_t k = 0;
    for (size_t t = 0; t < n; t++)
        if (!isnan(x[t]))
            e[k++] = x[t] - mean;
    double s = 0.0, num = 0.0, s2 = 0.0;
    for (size_t t = 0; t < m; t++) {
        s += e[t];
        num += s * s;
        s2 += e[t] * e[t];
    }
    size_t l = (size_t)floor(3.0 * sqrt((double)m) / 13.0);
    for (size_t j = 1; j <= l && j < m; j++) {
        double c = 0.0;
        for (size_t t = j; t < m; t++)
            c += e[t] * e[t - j];
        s2 += 2.0 * (1.0 - (double)j / ((double)l + 1.0)) * c;
    }
    s2 /= (double)m;
    free(e);
    if (!(s2 > 0.0))
        return NAN;
    return num / ((double)m * (double)m * s2);
}

/* Number of first differences: difference while the KPSS test rejects level stationarity at
 * 5 % (statistic > 0.463, the tabulated critical value), at most max_d times. */
int kairos__arima_ndiffs(const double *x, size_t n, int max_d)
{
    double *w = kairos__calloc(n ? n : 1, sizeof(double));
    if (!w)
        return 0;
    memcpy(w, x, n * sizeof *w);
    int d = 0;
    size_t len = n;
    while (d < max_d && len > 3 && !is_constant(w, len) && count_finite(w, len) >= 3) {
        double stat = kairos__arima_kpss(w, len);
        if (!(stat > 0.463))
            break;
        for (size_t t = 0; t + 1 < len; t++)
            w[t] = w[t + 1] - w[t];
        len--;
        d++;
    }
    free(w);
    return d;
}

/* Loess of degree 0 (tricube-weighted local mean over the q nearest points, as STL's
 * seasonal smoother with s.degree = 0) of v[0..k-1] evaluated at every point. */
static void loess0(const double *v, size_t k, size_t q, double *out)
{
    for (size_t i = 0; i < k; i++) {
        size_t lo = 0, hi = k - 1;               /* the q nearest neighbours of i */
        if (k > q) {
            lo = i >= q / 2 ? i - q / 2 : 0;
            if (lo + q > k)
                lo = k - q;
            hi = lo + q - 1;
        }
        double h = (double)(i - lo > hi - i ? i - lo : hi - i);
        if (q > k)
            h += (double)((q - k) / 2);
        double sw = 0.0, sv = 0.0;
        for (size_t l = lo; l <= hi; l++) {
            double d = fabs((double)l - (double)i), w = 1.0;
            if (h > 0.0) {
                if (d > 0.999 * h)
                    w = 0.0;
                else if (d > 0.001 * h) {
                    double u = d / h;
                    w = (1.0 - u * u * u);
                    w = w * w * w;
                }
            }
            sw += w;
            sv += w * v[l];
        }
        out[i] = sw > 0.0 ? sv / sw : v[i];
    }
}

/* Seasonal strength F_s = max(0, 1 - var(R) / var(S + R)), the statistic of
 * forecast::nsdiffs (threshold 0.64), from a one-pass STL-like decomposition: centred
 * 2 x m moving-average trend; seasonal = each cycle-subseries of the detrended series
 * smoothed by degree-0 loess over 11 cycles (STL's s.window of forecast::mstl), minus its own
 * centred moving average (STL's low-pass step). Not R's full STL iteration. */
double kairos__arima_seasonal_strength(const double *x, size_t n, size_t m)
{
    if (m < 2 || n < 2 * m + 1)
        return 0.0;
    double *det = kairos__calloc(n, sizeof(double));
    double *sea = kairos__calloc(n, sizeof(double));
    double *sub = kairos__calloc(2 * (n / m + 2), sizeof(double));
    size_t *idx = kairos__calloc(n / m + 2, sizeof(size_t));
    if (!det || !sea || !sub || !idx) {
        free(det); free(sea); free(sub); free(idx);
        return 0.0;
    }
    const size_t h = m / 2;
    /* centred moving average of length m (2 x m when m is even) */
#define MOVING_AVERAGE(src, t, out) do {                                              \
        double s_ = 0.0;                                                            \
        if (m % 2 == 0) {                                                           \
            s_ = 0.5 * ((src)[(t) - h] + (src)[(t) + h]);                           \
            for (size_t j_ = (t) - h + 1; j_ < (t) + h; j_++)                       \
                s_ += (src)[j_];                                                    \
        } else {                                                                    \
            for (size_t j_ = (t) - h; j_ <= (t) + h; j_++)                          \
                s_ += (src)[j_];                                                    \
        }                                                                           \
        (out) = s_ / (double)m;                                                     \
    } while (0)
    for (size_t t = 0; t < n; t++) {
        det[t] = NAN;
        if (t < h || t + h >= n)
            continue;
        double tr;
        MOVING_AVERAGE(x, t, tr);
        if (!isnan(tr) && !isnan(x[t]))
            det[t] = x[t] - tr;
    }
    for (size_t t = 0; t < n; t++)
        sea[t] = NAN;
    for (size_t ph = 0; ph < m; ph++) {
        size_t k = 0;
        for (size_t t = ph; t < n; t += m)
            if (!isnan(det[t])) {
                sub[k] = det[t];
                idx[k] = t;
                k++;
            }
        if (k == 0)
            continue;
        double *sm = sub + (n / m + 2);
        loess0(sub, k, 11, sm);
        for (size_t l = 0; l < k; l++)
            sea[idx[l]] = sm[l];
    }
    /* remove the seasonal's own slow movement (STL's low-pass filter) */
    double mr = 0.0, md = 0.0;
    size_t cnt = 0;
    double vr = 0.0, vd = 0.0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t t = h; t + h < n; t++) {
            if (isnan(det[t]))
                continue;
            double low = 0.0;
            int ok = 1;
            if (t >= 2 * h && t + 2 * h < n) {
                for (size_t j = t - h; j <= t + h; j++)
                    if (isnan(sea[j]))
                        ok = 0;
                if (ok)
                    MOVING_AVERAGE(sea, t, low);
            } else {
                ok = 0;
            }
            if (!ok)
                continue;
            double S = sea[t] - low, R = det[t] - S;
            if (pass == 0) {
                mr += R;
                md += det[t];
                cnt++;
            } else {
                vr += (R - mr) * (R - mr);
                vd += (det[t] - md) * (det[t] - md);
            }
        }
        if (pass == 0) {
            if (cnt < 3)
                break;
            mr /= (double)cnt;
            md /= (double)cnt;
        }
    }
#undef MOVING_AVERAGE
    free(det); free(sea); free(sub); free(idx);
    if (cnt < 3 || !(vd > 0.0))
        return 0.0;
    double fs = 1.0 - vr / vd;
    return fs > 0.0 ? (fs < 1.0 ? fs : 1.0) : 0.0;
}

/* ---- roots -------------------------------------------------------------------------------- */

/* Smallest modulus of the roots of 1 + sign * sum c_i z^i (degree k <= 30); 2 when none.
 * The roots are the reciprocals of the companion-matrix eigenvalues of the reversed
 * polynomial. */
static double min_root(int k, const double *c, double sign)
{
    while (k > 0 && fabs(c[k - 1]) <= 1e-8)
        k--;
    if (k == 0)
        return 2.0;
    const size_t nk = (size_t)k;
    double C[KAIROS_ARIMA_MAX_PQ * KAIROS_ARIMA_MAX_PQ];
    double wr[KAIROS_ARIMA_MAX_PQ], wi[KAIROS_ARIMA_MAX_PQ], vdum = 0.0;
    memset(C, 0, nk * nk * sizeof *C);
    for (size_t j = 0; j < nk; j++)
        C[j * nk] = -sign * c[j];
    for (size_t i = 1; i < nk; i++)
        C[(i - 1) * nk + i] = 1.0;
    if (LAPACKE_dgeev(LAPACK_COL_MAJOR, 'N', 'N', (lapack_int)nk, C, (lapack_int)nk, wr, wi,
                      &vdum, 1, &vdum, 1) != 0)
        return 0.0;
    double maxlam = 0.0;
    for (size_t i = 0; i < nk; i++) {
        double a = hypot(wr[i], wi[i]);
        if (a > maxlam)
            maxlam = a;
    }
    if (maxlam <= 0.0)
        return 2.0;
    double r = 1.0 / maxlam;
    return r < 2.0 ? r : 2.0;
}

/* auto.arima's rejection rule: a root of the (expanded) AR or MA polynomial within 1.01 of
 * the unit circle. Roots of phi(z) Phi(z^m) are those of phi and the m-th roots of those of
 * Phi, so the factors suffice. coef in R's order. */
static int near_unit_root(const kairos_arima_spec *s, const double *coef)
{
    size_t m = s->period > 1 ? s->period : 1;
    double minr = 2.0;
    int i0 = 0;
    const int parts[4][2] = { { s->p, 1 }, { s->q, 0 }, { s->P, 1 }, { s->Q, 0 } };
    for (int part = 0; part < 4; part++) {
        int k = parts[part][0];
        double r = min_root(k, coef + i0, parts[part][1] ? -1.0 : 1.0);
        if (part >= 2)
            r = pow(r, 1.0 / (double)m);
        if (r < minr)
            minr = r;
        i0 += k;
    }
    return minr < 1.01;
}

static int fit_near_unit_root(const kairos__arima_fit_result *fit)
{
    double c[2 * KAIROS_ARIMA_MAX_PQ + 2 * KAIROS_ARIMA_MAX_SPQ];
    size_t nc = kairos__arima_coef_count(fit);
    for (size_t i = 0; i < nc && i < sizeof c / sizeof c[0]; i++)
        c[i] = kairos__arima_coef_value(fit, i);
    return near_unit_root(kairos__arima_spec(fit), c);
}

/* ---- search ------------------------------------------------------------------------------ */

typedef struct search {
    const double *y;
    size_t n;
    kairos_arima_spec base;            /* d, D, period */
    kairos__arima_candidate *cand;
    size_t ncand, cap;
    kairos__arima_fit_result *best;
    double best_ic;
    int nmodels;
    int oom;
    int approx;                        /* CSS fits with auto.arima's AIC offset */
    double offset;
    size_t serieslength;
} search;

static int tried(const search *s, const kairos_arima_spec *sp)
{
    for (size_t i = 0; i < s->ncand; i++) {
        const kairos_arima_spec *o = &s->cand[i].spec;
        if (o->p == sp->p && o->q == sp->q && o->P == sp->P && o->Q == sp->Q &&
            o->include_mean == sp->include_mean && o->include_drift == sp->include_drift)
            return 1;
    }
    return 0;
}

/* Fit one candidate; returns 1 when it became the best. */
static int try_model(search *s, int p, int q, int P, int Q, int constant)
{
    kairos_arima_spec sp = s->base;
    sp.p = p;
    sp.q = q;
    sp.P = P;
    sp.Q = Q;
    int dd = sp.d + sp.D;
    sp.include_mean = constant && dd == 0;
    sp.include_drift = constant && dd == 1;
    if (tried(s, &sp) || (int)s->ncand >= s->nmodels)
        return 0;
    if (s->ncand == s->cap) {
        size_t nc = s->cap ? 2 * s->cap : 32;
        kairos__arima_candidate *c = realloc(s->cand, nc * sizeof *c);
        if (!c) {
            s->oom = 1;
            return 0;
        }
        s->cand = c;
        s->cap = nc;
    }
    kairos__arima_candidate *c = &s->cand[s->ncand++];
    c->spec = sp;
    c->aicc = INFINITY;
    c->approximate = s->approx;
    if (s->approx) {
        double coef[2 * KAIROS_ARIMA_MAX_PQ + 2 * KAIROS_ARIMA_MAX_SPQ + KAIROS__ARIMA_KMAX];
        double sigma2;
        size_t nc, nobs;
        c->status = kairos__arima_css_fit(s->y, s->n, &sp, coef, &nc, &sigma2, &nobs);
        if (c->status == KAIROS_ENOMEM)
            s->oom = 1;
        if (c->status != KAIROS_OK)
            return 0;
        /* forecast's myarima with method = "CSS" */
        const double npar = (double)nc + 1.0;
        const double nstar = (double)s->serieslength - (double)sp.d -
                             (double)sp.D * (double)(sp.period > 1 ? sp.period : 1);
        double aic = s->offset + nstar * log(sigma2) + 2.0 * npar;
        double aicc = aic + 2.0 * npar * (npar + 1.0) / (nstar - npar - 1.0);
        if (near_unit_root(&sp, coef) || !isfinite(aicc)) {
            c->status = KAIROS_EMODEL;
            return 0;
        }
        c->aicc = aicc;
        if (aicc < s->best_ic) {
            s->best_ic = aicc;
            return 1;
        }
        return 0;
    }
    kairos__arima_fit_result *fit = NULL;
    c->status = kairos__arima_fit(&fit, s->y, s->n, &sp);
    if (c->status == KAIROS_ENOMEM)
        s->oom = 1;
    if (c->status != KAIROS_OK)
        return 0;
    c->aicc = kairos__arima_aicc(fit);
    if (fit_near_unit_root(fit)) {
        c->status = KAIROS_EMODEL;            /* rejected, as auto.arima does */
        c->aicc = INFINITY;
        kairos__arima_fit_free(fit);
        return 0;
    }
    if (c->aicc < s->best_ic) {
        kairos__arima_fit_free(s->best);
        s->best = fit;
        s->best_ic = c->aicc;
        return 1;
    }
    kairos__arima_fit_free(fit);
    return 0;
}

/* After an approximate search: fit the candidates exactly in order of their approximate
 * AICc until one is acceptable (auto.arima refits "the best model(s) without
 * approximations"). */
static void refit_exact(search *s)
{
    size_t *order = kairos__calloc(s->ncand ? s->ncand : 1, sizeof(size_t));
    if (!order) {
        s->oom = 1;
        return;
    }
    for (size_t i = 0; i < s->ncand; i++)
        order[i] = i;
    /* insertion sort: stable, candidates are few */
    for (size_t i = 1; i < s->ncand; i++) {
        size_t v = order[i], j = i;
        while (j > 0 && s->cand[order[j - 1]].aicc > s->cand[v].aicc) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    for (size_t i = 0; i < s->ncand && !s->best; i++) {
        const kairos_arima_spec *sp = &s->cand[order[i]].spec;
        kairos__arima_fit_result *fit = NULL;
        int rc = kairos__arima_fit(&fit, s->y, s->n, sp);
        if (rc == KAIROS_ENOMEM) {
            s->oom = 1;
            break;
        }
        if (rc != KAIROS_OK)
            continue;
        if (fit_near_unit_root(fit) || !isfinite(kairos__arima_aicc(fit))) {
            kairos__arima_fit_free(fit);
            continue;
        }
        s->best = fit;
        s->best_ic = kairos__arima_aicc(fit);
    }
    free(order);
}

int kairos__arima_auto(kairos__arima_fit_result **out, kairos__arima_candidate **candidates,
                       size_t *n_candidates, const double *y, size_t n,
                       const kairos_arima_auto_opts *opts)
{
    if (!out || !y)
        return kairos__fail(KAIROS_EINVAL, "ARIMA auto: NULL argument");
    *out = NULL;
    if (candidates)
        *candidates = NULL;
    if (n_candidates)
        *n_candidates = 0;
    kairos_arima_auto_opts o = KAIROS_ARIMA_AUTO_OPTS_INIT;
    if (opts)
        o = *opts;
    if (o.max_p < 0 || o.max_q < 0 || o.max_P < 0 || o.max_Q < 0 || o.max_order < 0 ||
        o.max_p > KAIROS_ARIMA_MAX_PQ || o.max_q > KAIROS_ARIMA_MAX_PQ ||
        o.max_P > KAIROS_ARIMA_MAX_SPQ || o.max_Q > KAIROS_ARIMA_MAX_SPQ ||
        o.d > KAIROS_ARIMA_MAX_D || o.D > KAIROS_ARIMA_MAX_SD || o.max_d > KAIROS_ARIMA_MAX_D ||
        o.max_D > KAIROS_ARIMA_MAX_SD)
        return kairos__fail(KAIROS_ERANGE, "ARIMA auto: search limits out of range");
    if (o.period > KAIROS_ARIMA_MAX_PERIOD)
        return kairos__fail(KAIROS_ERANGE, "ARIMA auto: seasonal period %zu exceeds %d",
                            o.period, KAIROS_ARIMA_MAX_PERIOD);
    for (size_t t = 0; t < n; t++)
        if (isinf(y[t]))
            return kairos__fail(KAIROS_EDATA, "ARIMA: value %zu is infinite", t + 1);
    if (count_finite(y, n) == 0)
        return kairos__fail(KAIROS_EDATA, "ARIMA: all %zu values are missing", n);

    const size_t m = o.period > 1 ? o.period : 1;
    /* serieslength: non-missing values between the first and the last observed one */
    const size_t serieslength = count_finite(y, n);
    int D = 0;
    if (m > 1) {
        if (o.D >= 0)
            D = o.D;
        else if (n > 2 * m && o.max_D > 0 &&
                 kairos__arima_seasonal_strength(y, n, m) > 0.64)
            D = 1;
    }
    int d = o.d;
    if (d < 0) {
        /* KPSS on the seasonally differenced series */
        size_t len = n - (D ? m : 0);
        double *w = kairos__calloc(len ? len : 1, sizeof(double));
        if (!w)
            return kairos__fail(KAIROS_ENOMEM, "ARIMA auto: out of memory");
        for (size_t t = 0; t < len; t++)
            w[t] = D ? y[t + m] - y[t] : y[t];
        d = n > (D ? m : 0) ? kairos__arima_ndiffs(w, len, o.max_d) : 0;
        free(w);
    }
    int max_p = o.max_p, max_q = o.max_q, max_P = m > 1 ? o.max_P : 0,
        max_Q = m > 1 ? o.max_Q : 0;
    {                                             /* as auto.arima */
        int cap = (int)(serieslength / 3), capS = (int)(serieslength / 3 / m);
        if (max_p > cap) max_p = cap;
        if (max_q > cap) max_q = cap;
        if (max_P > capS) max_P = capS;
        if (max_Q > capS) max_Q = capS;
    }
    if (m > 1) {                                  /* as auto.arima */
        if (max_p > (int)m - 1) max_p = (int)m - 1;
        if (max_q > (int)m - 1) max_q = (int)m - 1;
    }
    int allow_const = (o.allow_drift && d + D == 1) || (o.allow_mean && d + D == 0);

    search s;
    memset(&s, 0, sizeof s);
    s.y = y;
    s.n = n;
    s.base.d = d;
    s.base.D = D;
    s.base.period = m > 1 ? m : 0;
    s.best_ic = INFINITY;
    s.nmodels = o.nmodels > 0 ? o.nmodels : 94;
    s.serieslength = serieslength;
    s.approx = o.approximation < 0 ? (n > 150 || m > 12) : o.approximation != 0;
    if (s.approx) {
        /* auto.arima's offset: -2 loglik - serieslength log sigma2 of stats::arima's
         * (0,d,0)(0,D,0) fit (with a mean when d + D = 0; 0 when that fit fails) */
        kairos_arima_spec sp0 = s.base;
        sp0.include_mean = 1;
        kairos__arima_fit_result *f0 = NULL;
        int rc0 = kairos__arima_fit(&f0, y, n, &sp0);
        if (rc0 == KAIROS_ENOMEM)
            return kairos__fail(KAIROS_ENOMEM, "ARIMA auto: out of memory");
        if (rc0 == KAIROS_OK)
            s.offset = -2.0 * kairos__arima_loglik(f0) -
                       (double)serieslength * log(kairos__arima_sigma2(f0));
        kairos__arima_fit_free(f0);
    }

    if (is_constant(y, n)) {
        /* auto.arima: a constant series is ARIMA(0,0,0) with mean; we cannot fit it */
        return kairos__fail(KAIROS_EDATA, "ARIMA: the series is constant; there is nothing "
                                          "to model");
    }
#define FITS(pp, qq, PP, QQ) ((pp) + (qq) + (PP) + (QQ) <= o.max_order)
    if (n < 10) {                                /* as auto.arima */
        if (o.start_p > 1) o.start_p = 1;
        if (o.start_q > 1) o.start_q = 1;
        o.start_P = o.start_Q = 0;
    }
    int p = o.start_p < max_p ? o.start_p : max_p, q = o.start_q < max_q ? o.start_q : max_q;
    int P = o.start_P < max_P ? o.start_P : max_P, Q = o.start_Q < max_Q ? o.start_Q : max_Q;
    int c = allow_const;
    if (!o.stepwise) {
        for (int ip = 0; ip <= max_p; ip++)
            for (int iq = 0; iq <= max_q; iq++)
                for (int iP = 0; iP <= max_P; iP++)
                    for (int iQ = 0; iQ <= max_Q; iQ++)
                        for (int ic = allow_const; ic >= 0; ic--)
                            if (FITS(ip, iq, iP, iQ))
                                try_model(&s, ip, iq, iP, iQ, ic);
    } else {
        int bp = p, bq = q, bP = P, bQ = Q, bc = c;
        /* as auto.arima: max_order bounds only the exhaustive search */
        if (try_model(&s, p, q, P, Q, c)) { bp = p; bq = q; bP = P; bQ = Q; bc = c; }
        if (try_model(&s, 0, 0, 0, 0, c)) { bp = 0; bq = 0; bP = 0; bQ = 0; bc = c; }
        if ((max_p > 0 || max_P > 0) && try_model(&s, max_p > 0, 0, max_P > 0, 0, c)) {
            bp = max_p > 0; bq = 0; bP = max_P > 0; bQ = 0; bc = c;
        }
        if ((max_q > 0 || max_Q > 0) && try_model(&s, 0, max_q > 0, 0, max_Q > 0, c)) {
            bp = 0; bq = max_q > 0; bP = 0; bQ = max_Q > 0; bc = c;
        }
        /* auto.arima keeps searching with the constant even when the null model without
         * it is best so far */
        if (c && try_model(&s, 0, 0, 0, 0, 0)) { bp = 0; bq = 0; bP = 0; bQ = 0; }
        p = bp; q = bq; P = bP; Q = bQ; c = bc;
        int improved = 1;
        while (improved && (int)s.ncand < s.nmodels && !s.oom) {
            improved = 0;
            /* the neighbourhood, in auto.arima's order; restart at the first improvement */
            const int moves[16][4] = {
                { 0, 0, -1, 0 }, { 0, 0, 0, -1 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 },
                { 0, 0, -1, -1 }, { 0, 0, -1, 1 }, { 0, 0, 1, -1 }, { 0, 0, 1, 1 },
                { -1, 0, 0, 0 }, { 0, -1, 0, 0 }, { 1, 0, 0, 0 }, { 0, 1, 0, 0 },
                { -1, -1, 0, 0 }, { -1, 1, 0, 0 }, { 1, -1, 0, 0 }, { 1, 1, 0, 0 } };
            for (int k = 0; k < 16 && !improved; k++) {
                int np = p + moves[k][0], nq = q + moves[k][1];
                int nP = P + moves[k][2], nQ = Q + moves[k][3];
                if (np < 0 || nq < 0 || nP < 0 || nQ < 0 || np > max_p || nq > max_q ||
                    nP > max_P || nQ > max_Q)
                    continue;
                if (try_model(&s, np, nq, nP, nQ, c)) {
                    p = np; q = nq; P = nP; Q = nQ;
                    improved = 1;
                }
            }
            if (!improved && allow_const && try_model(&s, p, q, P, Q, !c)) {
                c = !c;
                improved = 1;
            }
        }
    }
#undef FITS
    if (s.approx && !s.oom)
        refit_exact(&s);
    if (s.oom) {
        kairos__arima_fit_free(s.best);
        free(s.cand);
        return kairos__fail(KAIROS_ENOMEM, "ARIMA auto: out of memory");
    }
    if (!s.best) {
        free(s.cand);
        return kairos__fail(KAIROS_EMODEL, "ARIMA auto: no candidate model could be fitted "
                                           "(d = %d, D = %d)", d, D);
    }
    *out = s.best;
    if (candidates)
        *candidates = s.cand;
    else
        free(s.cand);
    if (n_candidates)
        *n_candidates = s.ncand;
    return KAIROS_OK;
}
