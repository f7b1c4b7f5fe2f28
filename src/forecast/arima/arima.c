/* ARIMA fitting (CSS start, exact ML by BFGS), statistics as R defines them, and forecasts. */
#include "arima_impl.h"
#include "core/internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KAIROS_TWO_PI 6.283185307179586476925286766559
#ifndef CSS_FTOL
#define CSS_FTOL 1e-8    /* R's optim reltol; CSS only gives starting values */
#endif
#ifndef ML_FTOL
#define ML_FTOL 1e-12
#endif
#define MAX_COEF (2 * KAIROS_ARIMA_MAX_PQ + 2 * KAIROS_ARIMA_MAX_SPQ + KAIROS__ARIMA_KMAX)

struct kairos__arima_fit_result {
    kairos_arima_spec spec;
    size_t  n, nd, k, r, ncoef, nobs;
    int     has_mean, has_drift;
    char    names[MAX_COEF][16];
    double  coef[MAX_COEF];
    double  loglik, sigma2, aic, aicc, bic;
    double *phi, *theta;     /* r + 1 each, expanded ARMA polynomials */
    size_t  ra;              /* r + nd */
    double *sa;              /* ra: predicted augmented state s_{n+1|n}: the ARMA state, then
                              * z_n, z_{n-1}, ... (z = y - X beta) */
    double *Pa;              /* ra * ra: its covariance (full, sigma2 = 1) */
    double *cdiff;           /* nd + 1: (1-B)^d (1-B^m)^D = sum cdiff_k B^k */
    double *resid;           /* n */
    int     iterations, evaluations;
};

/* ---- preparation shared by fit and loglik_at ------------------------------------------- */

typedef struct prep {
    kairos_arima_spec s;
    size_t m, nd, n, nw, k, narma, ncoef, pexp, qexp, r;
    size_t nonmiss_y, nw_obs;
    int    has_mean, has_drift;
    int    aug;              /* missing values and differencing: diffuse augmented filter */
    double *cdiff, *w, *xw;
    double *x;               /* k * n undifferenced regressors (aug only) */
} prep;

static void prep_free(prep *pr)
{
    free(pr->cdiff);
    free(pr->w);
    free(pr->xw);
    free(pr->x);
}

/* Regressor value at 0-based time t: intercept 1, drift t + 1 (R's 1..n). */
static double regressor(const prep *pr, size_t c, double t)
{
    if (pr->has_mean && c == 0)
        return 1.0;
    return t + 1.0;
}

static int bad_order(const char *what, int v, int max)
{
    return kairos__fail(KAIROS_ERANGE, "ARIMA order %s = %d is outside 0..%d", what, v, max);
}

static int prep_init(prep *pr, const double *y, size_t n, const kairos_arima_spec *spec)
{
    memset(pr, 0, sizeof *pr);
    if (!y || !spec)
        return kairos__fail(KAIROS_EINVAL, "ARIMA: NULL series or specification");
    const kairos_arima_spec *s = spec;
    if (s->p < 0 || s->p > KAIROS_ARIMA_MAX_PQ) return bad_order("p", s->p, KAIROS_ARIMA_MAX_PQ);
    if (s->q < 0 || s->q > KAIROS_ARIMA_MAX_PQ) return bad_order("q", s->q, KAIROS_ARIMA_MAX_PQ);
    if (s->d < 0 || s->d > KAIROS_ARIMA_MAX_D) return bad_order("d", s->d, KAIROS_ARIMA_MAX_D);
    if (s->P < 0 || s->P > KAIROS_ARIMA_MAX_SPQ) return bad_order("P", s->P, KAIROS_ARIMA_MAX_SPQ);
    if (s->Q < 0 || s->Q > KAIROS_ARIMA_MAX_SPQ) return bad_order("Q", s->Q, KAIROS_ARIMA_MAX_SPQ);
    if (s->D < 0 || s->D > KAIROS_ARIMA_MAX_SD) return bad_order("D", s->D, KAIROS_ARIMA_MAX_SD);
    if (s->period > KAIROS_ARIMA_MAX_PERIOD)
        return kairos__fail(KAIROS_ERANGE, "ARIMA seasonal period %zu exceeds %d", s->period,
                            KAIROS_ARIMA_MAX_PERIOD);
    if (s->period <= 1 && (s->P || s->D || s->Q))
        return kairos__fail(KAIROS_EINVAL,
                            "ARIMA seasonal order (%d,%d,%d) needs a seasonal period > 1",
                            s->P, s->D, s->Q);
    if (s->include_drift && s->d + s->D > 1)
        return kairos__fail(KAIROS_EINVAL,
                            "ARIMA drift needs d + D <= 1 (got d = %d, D = %d)", s->d, s->D);
    pr->s = *s;
    pr->m = s->period > 1 ? s->period : 1;
    pr->nd = (size_t)s->d + pr->m * (size_t)s->D;
    pr->n = n;
    pr->has_mean = s->include_mean && s->d + s->D == 0;
    pr->has_drift = s->include_drift != 0;
    pr->k = (size_t)pr->has_mean + (size_t)pr->has_drift;
    pr->narma = (size_t)(s->p + s->q + s->P + s->Q);
    pr->ncoef = pr->narma + pr->k;
    pr->pexp = (size_t)s->p + pr->m * (size_t)s->P;
    pr->qexp = (size_t)s->q + pr->m * (size_t)s->Q;
    pr->r = pr->pexp > pr->qexp + 1 ? pr->pexp : pr->qexp + 1;

    for (size_t t = 0; t < n; t++) {
        if (isinf(y[t]))
            return kairos__fail(KAIROS_EDATA, "ARIMA: value %zu is infinite", t + 1);
        if (!isnan(y[t]))
            pr->nonmiss_y++;
    }
    if (pr->nonmiss_y == 0)
        return kairos__fail(KAIROS_EDATA, "ARIMA: all %zu values are missing", n);
    if (n <= pr->nd + pr->ncoef + 2)
        return kairos__fail(KAIROS_EDATA,
                            "ARIMA: too few observations (%zu) for the model: it needs more "
                            "than %zu (d + D*m = %zu plus %zu coefficients plus 2)",
                            n, pr->nd + pr->ncoef + 2, pr->nd, pr->ncoef);
    pr->aug = pr->nd > 0 && pr->nonmiss_y < n;

    /* differencing polynomial */
    pr->cdiff = kairos__calloc(pr->nd + 1, sizeof(double));
    pr->nw = n - pr->nd;
    pr->w = kairos__calloc(pr->nw, sizeof(double));
    pr->xw = kairos__calloc(pr->k * pr->nw + 1, sizeof(double));
    pr->x = kairos__calloc(pr->k * n + 1, sizeof(double));
    if (!pr->cdiff || !pr->w || !pr->xw || !pr->x)
        return kairos__fail(KAIROS_ENOMEM, "ARIMA: out of memory");
    for (size_t c = 0; c < pr->k; c++)
        for (size_t t = 0; t < n; t++)
            pr->x[c * n + t] = regressor(pr, c, (double)t);
    size_t deg = 0;
    pr->cdiff[0] = 1.0;
    for (int i = 0; i < s->d + s->D; i++) {
        size_t lag = i < s->d ? 1 : pr->m;
        for (size_t j = deg + lag; j >= lag; j--)
            pr->cdiff[j] -= pr->cdiff[j - lag];
        deg += lag;
    }
    for (size_t t = 0; t < pr->nw; t++) {
        double sw = 0.0;
        for (size_t j = 0; j <= pr->nd; j++)
            if (pr->cdiff[j] != 0.0)
                sw += pr->cdiff[j] * y[t + pr->nd - j];
        pr->w[t] = sw;
        if (!isnan(sw))
            pr->nw_obs++;
        for (size_t c = 0; c < pr->k; c++) {
            double sx = 0.0;
            for (size_t j = 0; j <= pr->nd; j++)
                sx += pr->cdiff[j] * regressor(pr, c, (double)(t + pr->nd - j));
            pr->xw[c * pr->nw + t] = sx;
        }
    }
    const size_t usable = pr->aug ? (pr->nonmiss_y > pr->nd ? pr->nonmiss_y - pr->nd : 0)
                                  : pr->nw_obs;
    if (usable < pr->ncoef + 3 || pr->nw_obs < 2)
        return kairos__fail(KAIROS_EDATA,
                            "ARIMA: too few observations: %zu usable after differencing and "
                            "missing values, the model needs at least %zu",
                            usable, pr->ncoef + 3);
    /* constant after differencing? */
    double mean = 0.0, ss = 0.0, sq = 0.0;
    for (size_t t = 0; t < pr->nw; t++)
        if (!isnan(pr->w[t]))
            mean += pr->w[t];
    mean /= (double)pr->nw_obs;
    for (size_t t = 0; t < pr->nw; t++)
        if (!isnan(pr->w[t])) {
            ss += (pr->w[t] - mean) * (pr->w[t] - mean);
            sq += pr->w[t] * pr->w[t];
        }
    if (!(ss > 1e-24 * sq) || ss == 0.0)
        return kairos__fail(KAIROS_EDATA,
                            "ARIMA: the series is constant%s; there is nothing to model",
                            pr->nd ? " after differencing" : "");
    return KAIROS_OK;
}

/* OLS of w on the differenced regressors over the observed steps; u = w - xw beta. */
static int ols_center(const prep *pr, double *beta, double *u)
{
    double S[KAIROS__ARIMA_KMAX][KAIROS__ARIMA_KMAX] = {{0}}, sy[KAIROS__ARIMA_KMAX] = {0};
    for (size_t t = 0; t < pr->nw; t++) {
        if (isnan(pr->w[t]))
            continue;
        for (size_t c = 0; c < pr->k; c++) {
            sy[c] += pr->xw[c * pr->nw + t] * pr->w[t];
            for (size_t d = 0; d < pr->k; d++)
                S[c][d] += pr->xw[c * pr->nw + t] * pr->xw[d * pr->nw + t];
        }
    }
    beta[0] = beta[1] = 0.0;
    if (pr->k == 1) {
        beta[0] = sy[0] / S[0][0];
    } else if (pr->k == 2) {
        double det = S[0][0] * S[1][1] - S[0][1] * S[1][0];
        if (!(fabs(det) > 0.0))
            return -1;
        beta[0] = (S[1][1] * sy[0] - S[0][1] * sy[1]) / det;
        beta[1] = (S[0][0] * sy[1] - S[1][0] * sy[0]) / det;
    }
    for (size_t t = 0; t < pr->nw; t++) {
        double v = pr->w[t];
        for (size_t c = 0; c < pr->k; c++)
            v -= beta[c] * pr->xw[c * pr->nw + t];
        u[t] = v;
    }
    return 0;
}

/* ---- objectives -------------------------------------------------------------------------- */

typedef struct objctx {
    const prep *pr;
    kairos__arima_ws *ws;
    kairos__arima_aug *g;    /* aug mode */
    const double *z0;        /* aug mode: y - x beta0, length n */
    const double *u;
    double par[MAX_COEF];
    int transform;
    int evals;
} objctx;

/* x (optimiser space) -> ARMA parameters in R's order. */
static void to_par(const objctx *c, const double *x, double *par)
{
    const kairos_arima_spec *s = &c->pr->s;
    memcpy(par, x, c->pr->narma * sizeof *par);
    if (c->transform) {
        if (s->p)
            kairos__arima_partrans(s->p, x, par);
        if (s->P)
            kairos__arima_partrans(s->P, x + s->p + s->q, par + s->p + s->q);
    }
}

static double css_objective(const double *x, void *vctx)
{
    objctx *c = vctx;
    c->evals++;
    to_par(c, x, c->par);
    kairos__arima_expand(&c->pr->s, c->par, c->ws);
    double ssq;
    size_t nu;
    if (kairos__arima_css(c->ws, c->u, c->pr->xw, c->pr->k, c->ws->p, &ssq, &nu) != 0)
        return INFINITY;
    return 0.5 * log(ssq / (double)nu);
}

static double ml_value(const kairos__arima_like *l)
{
    return 0.5 * (log(l->ssq / (double)l->nu) + l->sumlog / (double)l->nu);
}

static double ml_objective(const double *x, void *vctx)
{
    objctx *c = vctx;
    c->evals++;
    to_par(c, x, c->par);
    kairos__arima_expand(&c->pr->s, c->par, c->ws);
    if (kairos__arima_stationary_cov(c->ws) != 0)
        return INFINITY;
    kairos__arima_like l;
    int rc = c->pr->aug ? kairos__arima_kalman_diffuse(c->ws, c->g, c->z0, c->pr->x, c->pr->k,
                                                       c->pr->n, &l, NULL, NULL)
             : c->pr->nw_obs == c->pr->nw
                 ? kairos__arima_chandra(c->ws, c->u, c->pr->xw, c->pr->k, &l)
                 : kairos__arima_kalman(c->ws, c->u, c->pr->xw, c->pr->k, &l, NULL, NULL);
    if (rc != 0)
        return INFINITY;
    double v = ml_value(&l);
    return isfinite(v) ? v : INFINITY;
}

/* ---- fit ----------------------------------------------------------------------------------- */

static void name_coefs(kairos__arima_fit_result *f, const prep *pr)
{
    size_t i = 0;
    const kairos_arima_spec *s = &pr->s;
    for (int j = 1; j <= s->p; j++) snprintf(f->names[i++], sizeof f->names[0], "ar%d", j);
    for (int j = 1; j <= s->q; j++) snprintf(f->names[i++], sizeof f->names[0], "ma%d", j);
    for (int j = 1; j <= s->P; j++) snprintf(f->names[i++], sizeof f->names[0], "sar%d", j);
    for (int j = 1; j <= s->Q; j++) snprintf(f->names[i++], sizeof f->names[0], "sma%d", j);
    if (pr->has_mean) snprintf(f->names[i++], sizeof f->names[0], "intercept");
    if (pr->has_drift) snprintf(f->names[i++], sizeof f->names[0], "drift");
}

void kairos__arima_fit_free(kairos__arima_fit_result *fit)
{
    if (!fit)
        return;
    free(fit->phi);
    free(fit->theta);
    free(fit->sa);
    free(fit->Pa);
    free(fit->cdiff);
    free(fit->resid);
    free(fit);
}

/* Make the MA parts (non-seasonal, seasonal) of par invertible. */
static int invert_ma(const kairos_arima_spec *s, double *par)
{
    int rc = 0;
    if (s->q) {
        rc = kairos__arima_ma_invert(s->q, par + s->p);
        if (rc < 0)
            return rc;
    }
    if (s->Q) {
        rc = kairos__arima_ma_invert(s->Q, par + s->p + s->q + s->P);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int kairos__arima_fit(kairos__arima_fit_result **out, const double *y, size_t n,
                      const kairos_arima_spec *spec)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "ARIMA: NULL output pointer");
    *out = NULL;
    prep pr;
    int rc = prep_init(&pr, y, n, spec);
    if (rc != KAIROS_OK) {
        prep_free(&pr);
        return rc;
    }
    const kairos_arima_spec *s = &pr.s;
    kairos__arima_ws ws;
    kairos__arima_aug g;
    memset(&g, 0, sizeof g);
    double *u = kairos__calloc(pr.nw, sizeof(double));
    double *vbuf = kairos__calloc((1 + pr.k) * n, sizeof(double));
    double *rbuf = kairos__calloc(n, sizeof(double));
    double *z0 = kairos__calloc(n, sizeof(double));
    kairos__arima_fit_result *f = kairos__calloc(1, sizeof *f);
    if (!u || !vbuf || !rbuf || !z0 || !f ||
        kairos__arima_ws_init(&ws, pr.r, pr.pexp, pr.qexp, pr.nw) != KAIROS_OK) {
        free(u); free(vbuf); free(rbuf); free(z0); free(f);
        prep_free(&pr);
        return kairos__fail(KAIROS_ENOMEM, "ARIMA: out of memory");
    }
    if (pr.aug) {
        if (kairos__arima_aug_init(&g, pr.r, pr.nd, n) != KAIROS_OK) {
            rc = kairos__fail(KAIROS_ENOMEM, "ARIMA: out of memory");
            goto done;
        }
        memcpy(g.cdiff, pr.cdiff, (pr.nd + 1) * sizeof(double));
    }
    double beta0[KAIROS__ARIMA_KMAX] = {0};
    if (ols_center(&pr, beta0, u) != 0) {
        rc = kairos__fail(KAIROS_EDATA, "ARIMA: the mean and drift regressors are collinear");
        goto done;
    }
    for (size_t t = 0; t < n; t++) {
        double v = y[t];
        for (size_t c = 0; c < pr.k; c++)
            v -= beta0[c] * pr.x[c * n + t];
        z0[t] = v;
    }

    objctx ctx = { &pr, &ws, &g, z0, u, {0}, 0, 0 };
    double x[MAX_COEF] = {0}, fx = 0.0;
    int iters = 0;
    const size_t na = pr.narma;

    /* Stage 1: CSS from zero, untransformed (as R's CSS-ML). */
    if (na > 0) {
        double xc[MAX_COEF] = {0}, fc;
        int st = kairos__arima_bfgs(na, xc, &fc, css_objective, &ctx, 100, 1e-6, CSS_FTOL, &iters);
        if (st == KAIROS_ENOMEM) { rc = kairos__fail(KAIROS_ENOMEM, "ARIMA: out of memory"); goto done; }
        int usable = st >= 0 && isfinite(fc);
        if (usable && s->p && !kairos__arima_ar_stationary(s->p, xc)) usable = 0;
        if (usable && s->P && !kairos__arima_ar_stationary(s->P, xc + s->p + s->q)) usable = 0;
        if (usable) {
            if (invert_ma(s, xc) < 0)
                usable = 0;
        }
        if (usable) {
            memcpy(x, xc, na * sizeof *x);
            if (s->p && kairos__arima_invpartrans(s->p, xc, x) != 0) usable = 0;
            if (s->P && kairos__arima_invpartrans(s->P, xc + s->p + s->q, x + s->p + s->q) != 0)
                usable = 0;
        }
        if (!usable)
            memset(x, 0, sizeof x);
    }

    /* Stage 2: exact ML over the transformed parameters. */
    ctx.transform = 1;
    int st = kairos__arima_bfgs(na, x, &fx, ml_objective, &ctx, 200, 1e-7, ML_FTOL, &iters);
    if (st == -1 && na > 0) {                 /* CSS start unusable for ML: start from zero */
        memset(x, 0, sizeof x);
        st = kairos__arima_bfgs(na, x, &fx, ml_objective, &ctx, 200, 1e-7, ML_FTOL, &iters);
    }
    if (st == KAIROS_ENOMEM) { rc = kairos__fail(KAIROS_ENOMEM, "ARIMA: out of memory"); goto done; }
    if (st < 0 || !isfinite(fx)) {
        rc = kairos__fail(KAIROS_EMODEL, "ARIMA: the likelihood is not finite at any "
                                         "starting point (is the series degenerate?)");
        goto done;
    }
    if (st == 1) {
        rc = kairos__fail(KAIROS_EMODEL, "ARIMA: the optimiser did not converge in %d "
                                         "iterations", iters);
        goto done;
    }

    /* Final parameters: untransform, make the MA invertible, evaluate once more. */
    double par[MAX_COEF] = {0};
    to_par(&ctx, x, par);
    if (invert_ma(s, par) < 0) {
        rc = kairos__fail(KAIROS_EMODEL, "ARIMA: MA root computation failed");
        goto done;
    }
    kairos__arima_expand(s, par, &ws);
    kairos__arima_like l;
    if (kairos__arima_stationary_cov(&ws) != 0 ||
        (pr.aug ? kairos__arima_kalman_diffuse(&ws, &g, z0, pr.x, pr.k, n, &l, rbuf, vbuf)
                : kairos__arima_kalman(&ws, u, pr.xw, pr.k, &l, rbuf, vbuf)) != 0) {
        rc = kairos__fail(KAIROS_EMODEL, "ARIMA: the likelihood is not finite at the optimum");
        goto done;
    }
    ctx.evals++;

    f->spec = *s;
    f->n = n;
    f->nd = pr.nd;
    f->k = pr.k;
    f->r = pr.r;
    f->ncoef = pr.ncoef;
    f->has_mean = pr.has_mean;
    f->has_drift = pr.has_drift;
    name_coefs(f, &pr);
    memcpy(f->coef, par, na * sizeof *par);
    double beta[KAIROS__ARIMA_KMAX] = {0};
    for (size_t c = 0; c < pr.k; c++) {
        beta[c] = beta0[c] + l.beta[c];
        f->coef[na + c] = beta[c];
    }
    const double nused = (double)(pr.nonmiss_y - pr.nd);
    const double value = ml_value(&l);
    f->nobs = pr.nonmiss_y - pr.nd;
    /* forecast::Arima replaces stats::arima's ssq/nobs by the unbiased
     * sum(residuals^2) / (nobs - ncoef); predict() uses that value too. */
    f->sigma2 = l.ssq / (nused - (double)pr.ncoef);
    f->loglik = -0.5 * (2.0 * nused * value + nused + nused * log(KAIROS_TWO_PI));
    const double npar = (double)pr.ncoef + 1.0, nstar = nused;
    f->aic = -2.0 * f->loglik + 2.0 * npar;
    f->aicc = f->aic + 2.0 * npar * (npar + 1.0) / (nstar - npar - 1.0);
    f->bic = f->aic + npar * (log(nstar) - 2.0);
    f->iterations = iters;
    f->evaluations = ctx.evals;
    if (!isfinite(f->loglik) || !isfinite(f->sigma2) || !isfinite(f->aicc)) {
        rc = kairos__fail(KAIROS_EMODEL, "ARIMA: non-finite statistics at the optimum");
        goto done;
    }

    /* Forecast state: s_{n+1|n} = (ARMA state, z_n, ..., z_{n-nd+1}) and its covariance. */
    const size_t r = pr.r, ra = pr.r + pr.nd;
    f->ra = ra;
    f->phi = kairos__calloc(r + 1, sizeof(double));
    f->theta = kairos__calloc(r + 1, sizeof(double));
    f->sa = kairos__calloc(ra, sizeof(double));
    f->Pa = kairos__calloc(ra * ra, sizeof(double));
    f->cdiff = kairos__calloc(pr.nd + 1, sizeof(double));
    f->resid = kairos__calloc(n, sizeof(double));
    if (!f->phi || !f->theta || !f->sa || !f->Pa || !f->cdiff || !f->resid) {
        rc = kairos__fail(KAIROS_ENOMEM, "ARIMA: out of memory");
        goto done;
    }
    memcpy(f->phi, ws.phi, (r + 1) * sizeof(double));
    memcpy(f->theta, ws.theta, (r + 1) * sizeof(double));
    memcpy(f->cdiff, pr.cdiff, (pr.nd + 1) * sizeof(double));
    if (pr.aug) {
        memcpy(f->sa, g.a, ra * sizeof(double));
        memcpy(f->Pa, g.Pst, ra * ra * sizeof(double));
        memcpy(f->resid, rbuf, n * sizeof(double));
    } else {
        memcpy(f->sa, ws.a, r * sizeof(double));
        for (size_t i = 0; i < r; i++)
            for (size_t j = i; j < r; j++)
                f->Pa[i * ra + j] = f->Pa[j * ra + i] = ws.P[i * r + j];
        for (size_t i = 0; i < pr.nd; i++) {
            size_t t = n - 1 - i;
            double z = y[t];
            for (size_t c = 0; c < pr.k; c++)
                z -= beta[c] * regressor(&pr, c, (double)t);
            f->sa[r + i] = z;
        }
        for (size_t t = 0; t < n; t++)
            f->resid[t] = t < pr.nd ? NAN : rbuf[t - pr.nd];
    }
    rc = KAIROS_OK;

done:
    kairos__arima_ws_free(&ws);
    kairos__arima_aug_free(&g);
    free(z0);
    free(u);
    free(vbuf);
    free(rbuf);
    prep_free(&pr);
    if (rc != KAIROS_OK) {
        kairos__arima_fit_free(f);
        return rc;
    }
    *out = f;
    return KAIROS_OK;
}

int kairos__arima_css_fit(const double *y, size_t n, const kairos_arima_spec *spec,
                          double *coef, size_t *ncoef, double *sigma2, size_t *nobs)
{
    prep pr;
    int rc = prep_init(&pr, y, n, spec);
    if (rc != KAIROS_OK) {
        prep_free(&pr);
        return rc;
    }
    kairos__arima_ws ws;
    double *u = kairos__calloc(pr.nw, sizeof(double));
    if (!u || kairos__arima_ws_init(&ws, pr.r, pr.pexp, pr.qexp, pr.nw) != KAIROS_OK) {
        free(u);
        prep_free(&pr);
        return kairos__fail(KAIROS_ENOMEM, "ARIMA: out of memory");
    }
    double beta0[KAIROS__ARIMA_KMAX] = {0};
    rc = KAIROS_OK;
    if (ols_center(&pr, beta0, u) != 0) {
        rc = kairos__fail(KAIROS_EDATA, "ARIMA: the mean and drift regressors are collinear");
    } else {
        objctx ctx = { &pr, &ws, NULL, NULL, u, {0}, 0, 0 };
        double x[MAX_COEF] = {0}, fx;
        int iters;
        int st = kairos__arima_bfgs(pr.narma, x, &fx, css_objective, &ctx, 100, 1e-6,
                                    CSS_FTOL, &iters);
        double ssq;
        size_t nu;
        if (st == KAIROS_ENOMEM) {
            rc = kairos__fail(KAIROS_ENOMEM, "ARIMA: out of memory");
        } else if (st < 0 || !isfinite(fx)) {
            rc = kairos__fail(KAIROS_EMODEL, "ARIMA: the CSS objective is not finite");
        } else {
            kairos__arima_expand(&pr.s, x, &ws);
            if (kairos__arima_css(&ws, u, pr.xw, pr.k, ws.p, &ssq, &nu) != 0) {
                rc = kairos__fail(KAIROS_EMODEL, "ARIMA: the CSS objective is not finite");
            } else {
                /* the OLS/GLS profile again, for the regression coefficients */
                memcpy(coef, x, pr.narma * sizeof *coef);
                for (size_t c = 0; c < pr.k; c++)
                    coef[pr.narma + c] = beta0[c] + ws.css_beta[c];
                *ncoef = pr.ncoef;
                *sigma2 = ssq / (double)nu;
                *nobs = pr.nonmiss_y - pr.nd;
            }
        }
    }
    kairos__arima_ws_free(&ws);
    free(u);
    prep_free(&pr);
    return rc;
}

int kairos__arima_loglik_at(const double *y, size_t n, const kairos_arima_spec *spec,
                            const double *coef, size_t ncoef, double *loglik, double *sigma2)
{
    prep pr;
    int rc = prep_init(&pr, y, n, spec);
    if (rc != KAIROS_OK) {
        prep_free(&pr);
        return rc;
    }
    if (!coef || ncoef != pr.ncoef || !loglik) {
        prep_free(&pr);
        return kairos__fail(KAIROS_EINVAL, "ARIMA: expected %zu coefficients, got %zu",
                            pr.ncoef, ncoef);
    }
    const kairos_arima_spec *s = &pr.s;
    if ((s->p && !kairos__arima_ar_stationary(s->p, coef)) ||
        (s->P && !kairos__arima_ar_stationary(s->P, coef + s->p + s->q))) {
        prep_free(&pr);
        return kairos__fail(KAIROS_EMODEL, "ARIMA: the AR part is not stationary");
    }
    kairos__arima_ws ws;
    double *u = kairos__calloc(pr.nw, sizeof(double));
    if (!u || kairos__arima_ws_init(&ws, pr.r, pr.pexp, pr.qexp, pr.nw) != KAIROS_OK) {
        free(u);
        prep_free(&pr);
        return kairos__fail(KAIROS_ENOMEM, "ARIMA: out of memory");
    }
    for (size_t t = 0; t < pr.nw; t++) {
        double v = pr.w[t];
        for (size_t c = 0; c < pr.k; c++)
            v -= coef[pr.narma + c] * pr.xw[c * pr.nw + t];
        u[t] = v;
    }
    kairos__arima_expand(s, coef, &ws);
    kairos__arima_like l;
    kairos__arima_aug g;
    memset(&g, 0, sizeof g);
    double *z = NULL;
    rc = KAIROS_OK;
    if (pr.aug) {
        z = kairos__calloc(n, sizeof(double));
        if (!z || kairos__arima_aug_init(&g, pr.r, pr.nd, n) != KAIROS_OK) {
            free(z);
            kairos__arima_ws_free(&ws);
            free(u);
            prep_free(&pr);
            return kairos__fail(KAIROS_ENOMEM, "ARIMA: out of memory");
        }
        memcpy(g.cdiff, pr.cdiff, (pr.nd + 1) * sizeof(double));
        for (size_t t = 0; t < n; t++) {
            double v = y[t];
            for (size_t c = 0; c < pr.k; c++)
                v -= coef[pr.narma + c] * pr.x[c * n + t];
            z[t] = v;
        }
    }
    if (kairos__arima_stationary_cov(&ws) != 0 ||
        (pr.aug ? kairos__arima_kalman_diffuse(&ws, &g, z, NULL, 0, n, &l, NULL, NULL)
                : kairos__arima_kalman(&ws, u, NULL, 0, &l, NULL, NULL)) != 0) {
        rc = kairos__fail(KAIROS_EMODEL, "ARIMA: the likelihood is not finite here");
    } else {
        const double nused = (double)(pr.nonmiss_y - pr.nd);
        *loglik = -0.5 * (2.0 * nused * ml_value(&l) + nused + nused * log(KAIROS_TWO_PI));
        if (sigma2)
            *sigma2 = l.ssq / nused;
    }
    kairos__arima_aug_free(&g);
    free(z);
    kairos__arima_ws_free(&ws);
    free(u);
    prep_free(&pr);
    return rc;
}

/* ---- forecasts ------------------------------------------------------------------------------ */

/* Augmented state: (alpha_0..alpha_{r-1}, z_{t-1}, ..., z_{t-nd}), z_t = alpha_{t,0} +
 * sum_k delta_k z_{t-k} with delta_k = -cdiff_k. */
/* b <- b T for a row vector b (the transpose of apply_T). */
static void apply_Tt(const kairos__arima_fit_result *f, const double *b, double *o)
{
    const size_t r = f->r, nd = f->nd;
    const double br = nd ? b[r] : 0.0;
    double s0 = br;
    for (size_t i = 0; i < r; i++)
        s0 += b[i] * f->phi[i];
    o[0] = s0;
    for (size_t j = 1; j < r; j++)
        o[j] = b[j - 1];
    for (size_t k = 1; k <= nd; k++)
        o[r + k - 1] = -f->cdiff[k] * br + (k < nd ? b[r + k] : 0.0);
}

/* With the augmented state s (ARMA state, then the last nd values of z = y - X beta) and
 * b_h = Z T^{h-1}, the h-step forecast error of z is
 *   b_h (s_{n+1} - s^_{n+1}) + sum_{i=1}^{h-1} b_{h-i} R eps_{n+1+i},
 * so Var_h / sigma2 = b_h P b_h' + sum_{j=1}^{h-1} (b_j R)^2, with P = P_{n+1|n} on the
 * ARMA block (the past z are known). This is exactly the state-space forecast recursion of
 * R's predict.Arima, in O(h (r + nd + r^2)). */
int kairos__arima_forecast(const kairos__arima_fit_result *f, size_t h, double *mean,
                           double *sd)
{
    if (!f || !mean || h == 0)
        return kairos__fail(KAIROS_EINVAL, "ARIMA forecast: NULL fit/buffer or horizon 0");
    const size_t r = f->r, nd = f->nd, ra = f->ra;
    double *buf = kairos__calloc(3 * ra, sizeof(double));
    if (!buf)
        return kairos__fail(KAIROS_ENOMEM, "ARIMA forecast: out of memory");
    double *s = buf, *b = s + ra, *b2 = b + ra;
    memcpy(s, f->sa, ra * sizeof *s);
    b[0] = 1.0;                                  /* Z = (1, 0.., -cdiff_1..-cdiff_nd) */
    for (size_t k = 1; k <= nd; k++)
        b[r + k - 1] = -f->cdiff[k];
    const double *beta = f->coef + (f->ncoef - f->k);
    double noise = 0.0;                          /* sum_{j<h} (b_j R)^2 */
    for (size_t step = 0; step < h; step++) {
        double z = 0.0;
        for (size_t i = 0; i < ra; i++)
            z += b[i] * s[i];
        double xb = 0.0;
        const double t = (double)(f->n + step);
        for (size_t c = 0; c < f->k; c++)
            xb += beta[c] * ((f->has_mean && c == 0) ? 1.0 : t + 1.0);
        mean[step] = z + xb;
        if (sd) {
            double v = 0.0;
            for (size_t i = 0; i < ra; i++) {
                if (b[i] == 0.0)
                    continue;
                double acc = 0.0;
                const double *Pi = f->Pa + i * ra;
                for (size_t j = 0; j < ra; j++)
                    acc += Pi[j] * b[j];
                v += b[i] * acc;
            }
            v += noise;
            sd[step] = sqrt(f->sigma2 * (v > 0.0 ? v : 0.0));
            double bR = 0.0;
            for (size_t i = 0; i < r; i++)
                bR += b[i] * f->theta[i];
            noise += bR * bR;
        }
        if (step + 1 == h)
            break;
        /* b_{h+1} = b_h T; the mean is b_h s^_{n+1} */
        apply_Tt(f, b, b2);
        memcpy(b, b2, ra * sizeof *b);
    }
    free(buf);
    return KAIROS_OK;
}

/* ---- accessors ------------------------------------------------------------------------------ */

size_t kairos__arima_coef_count(const kairos__arima_fit_result *f) { return f ? f->ncoef : 0; }
const char *kairos__arima_coef_name(const kairos__arima_fit_result *f, size_t i)
{
    return f && i < f->ncoef ? f->names[i] : NULL;
}
double kairos__arima_coef_value(const kairos__arima_fit_result *f, size_t i)
{
    return f && i < f->ncoef ? f->coef[i] : NAN;
}
const kairos_arima_spec *kairos__arima_spec(const kairos__arima_fit_result *f)
{
    return f ? &f->spec : NULL;
}
double kairos__arima_loglik(const kairos__arima_fit_result *f) { return f ? f->loglik : NAN; }
double kairos__arima_sigma2(const kairos__arima_fit_result *f) { return f ? f->sigma2 : NAN; }
double kairos__arima_aic(const kairos__arima_fit_result *f) { return f ? f->aic : NAN; }
double kairos__arima_aicc(const kairos__arima_fit_result *f) { return f ? f->aicc : NAN; }
double kairos__arima_bic(const kairos__arima_fit_result *f) { return f ? f->bic : NAN; }
size_t kairos__arima_nobs(const kairos__arima_fit_result *f) { return f ? f->nobs : 0; }
size_t kairos__arima_n(const kairos__arima_fit_result *f) { return f ? f->n : 0; }
const double *kairos__arima_residuals(const kairos__arima_fit_result *f)
{
    return f ? f->resid : NULL;
}
int kairos__arima_iterations(const kairos__arima_fit_result *f) { return f ? f->iterations : 0; }
int kairos__arima_evaluations(const kairos__arima_fit_result *f) { return f ? f->evaluations : 0; }
