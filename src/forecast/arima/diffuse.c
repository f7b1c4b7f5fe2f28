/* Exact likelihood with missing values and differencing: the differencing is put in the
 * state, s_t = (alpha_t, z_{t-1}, ..., z_{t-nd}), z_t = alpha_{t,0} + sum_k delta_k z_{t-k},
 * with an exactly diffuse prior on the nd initial levels (P_1 = kappa P_inf + P_*,
 * kappa -> infinity), filtered by the exact initial Kalman filter of Koopman (1997) /
 * Durbin & Koopman (2012, sec. 5.2). Steps that resolve a diffuse direction do not enter the
 * likelihood, as in R (which approximates kappa by 1e6 and drops steps with F >= 1e4).
 * Without missing values this equals the likelihood of the differenced series; with them
 * it uses every contrast the observed values allow, as R does.
 *
 * The dense O((r + nd)^2) recursion is only needed while the prior is still diffuse and for
 * nd steps after each missing value: once the last nd values are all observed, the lagged
 * levels are known exactly, the covariance is blockdiag(P_alpha, 0) and the filter is the
 * O(r^2) Kalman filter of the differenced series, which takes over until the next gap. */
#include "arima_impl.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int kairos__arima_aug_init(kairos__arima_aug *g, size_t r, size_t nd, size_t n)
{
    memset(g, 0, sizeof *g);
    const size_t ra = r + nd;
    g->ra = ra;
    g->nd = nd;
    g->Pinf = kairos__calloc(ra * ra, sizeof(double));
    g->Pst = kairos__calloc(ra * ra, sizeof(double));
    g->Q = kairos__calloc(ra * ra, sizeof(double));
    g->a = kairos__calloc((1 + KAIROS__ARIMA_KMAX) * ra, sizeof(double));
    g->v1 = kairos__calloc(3 * ra, sizeof(double));
    g->cdiff = kairos__calloc(nd + 1, sizeof(double));
    (void)n;
    if (!g->Pinf || !g->Pst || !g->Q || !g->a || !g->v1 || !g->cdiff) {
        kairos__arima_aug_free(g);
        return KAIROS_ENOMEM;
    }
    return KAIROS_OK;
}

void kairos__arima_aug_free(kairos__arima_aug *g)
{
    free(g->Pinf);
    free(g->Pst);
    free(g->Q);
    free(g->a);
    free(g->v1);
    free(g->cdiff);
    memset(g, 0, sizeof *g);
}

/* o = T s for the augmented transition. */
static void taug(const kairos__arima_ws *ws, const kairos__arima_aug *g, const double *s,
                 double *o)
{
    const size_t r = ws->r, nd = g->nd;
    double z = s[0];
    for (size_t k = 1; k <= nd; k++)
        z -= g->cdiff[k] * s[r + k - 1];
    for (size_t i = 0; i + 1 < r; i++)
        o[i] = ws->phi[i] * s[0] + s[i + 1];
    o[r - 1] = ws->phi[r - 1] * s[0];
    for (size_t k = nd - 1; k >= 1; k--)
        o[r + k] = s[r + k - 1];
    o[r] = z;
}

/* P <- T P T' (+ theta theta' on the ARMA block when add_noise), P full symmetric. */
static void predict_cov(const kairos__arima_ws *ws, kairos__arima_aug *g, double *P,
                        int add_noise)
{
    const size_t ra = g->ra, r = ws->r;
    double *Q = g->Q, *tmp = g->v1 + ra;
    for (size_t j = 0; j < ra; j++) {           /* Q = T P, column j from row j of P */
        taug(ws, g, P + j * ra, tmp);
        for (size_t i = 0; i < ra; i++)
            Q[i * ra + j] = tmp[i];
    }
    for (size_t j = 0; j < ra; j++) {           /* P = T Q' */
        taug(ws, g, Q + j * ra, tmp);
        for (size_t i = 0; i < ra; i++)
            P[i * ra + j] = tmp[i];
    }
    if (add_noise)
        for (size_t i = 0; i < r; i++)
            for (size_t j = 0; j < r; j++)
                P[i * ra + j] += ws->theta[i] * ws->theta[j];
}

static double zdot(const kairos__arima_ws *ws, const kairos__arima_aug *g, const double *v)
{
    double s = v[0];
    for (size_t k = 1; k <= g->nd; k++)
        s -= g->cdiff[k] * v[ws->r + k - 1];
    return s;
}

/* M = P Z' */
static void pz(const kairos__arima_ws *ws, const kairos__arima_aug *g, const double *P,
               double *M)
{
    const size_t ra = g->ra;
    for (size_t i = 0; i < ra; i++)
        M[i] = zdot(ws, g, P + i * ra);
}

int kairos__arima_kalman_diffuse(kairos__arima_ws *ws, kairos__arima_aug *g, const double *y,
                                 const double *x, size_t k, size_t n, kairos__arima_like *out,
                                 double *resid, double *vbuf)
{
    const size_t r = ws->r, ra = g->ra, ns = 1 + k;
    double *Pinf = g->Pinf, *Pst = g->Pst;
    double *Minf = g->v1 + 2 * ra, *Mst = g->Q;  /* Mst aliases Q: only used between predictions */
    double Syy = 0.0, Sxy[KAIROS__ARIMA_KMAX] = {0}, Sxx[KAIROS__ARIMA_KMAX][KAIROS__ARIMA_KMAX] = {{0}};
    double sumlog = 0.0;
    size_t nu = 0;

    /* P_* = blockdiag(stationary covariance, 0); P_inf = blockdiag(0, I) */
    memset(Pinf, 0, ra * ra * sizeof *Pinf);
    memset(Pst, 0, ra * ra * sizeof *Pst);
    for (size_t i = 0; i < r; i++)
        for (size_t j = 0; j < r; j++)
            Pst[i * ra + j] = ws->P[i * r + j];
    for (size_t i = r; i < ra; i++)
        Pinf[i * ra + i] = 1.0;
    memset(g->a, 0, ns * ra * sizeof *g->a);
    int diffuse = 1, dense = 1;
    const size_t nd = g->nd, lds = r + 1;
    double *sa = ws->a, *Ps = ws->P, *M = ws->M;   /* the O(r^2) filter's state */
    size_t clean = 0;                              /* observed values in a row */
#define VAL(c, t) ((c) == 0 ? y[t] : x[((c) - 1) * n + (t)])

    /* When the first nd values are observed, the diffuse phase just spends them on the
     * initial levels and leaves alpha at its stationary prior: start the O(r^2) filter of
     * the differenced series at t = nd directly (ws->P holds the stationary covariance). */
    size_t t0 = 0;
    while (t0 < nd && t0 < n && !isnan(y[t0]))
        t0++;
    if (t0 == nd && nd < n) {
        memset(sa, 0, ns * lds * sizeof *sa);
        diffuse = 0;
        dense = 0;
        clean = nd;
        if (resid)
            for (size_t c = 0; c < ns; c++)
                for (size_t t = 0; t < nd; t++)
                    vbuf[c * n + t] = NAN;
    } else {
        t0 = 0;
    }

    for (size_t t = t0; t < n; t++) {
        const int obs = !isnan(y[t]);
        double v[1 + KAIROS__ARIMA_KMAX] = {0};
        if (!dense && !obs) {
            /* a gap: back to the augmented state; the lagged levels are known exactly */
            for (size_t c = 0; c < ns; c++) {
                double *ac = g->a + c * ra;
                for (size_t i = 0; i < r; i++)
                    ac[i] = sa[c * lds + i];
                for (size_t kk = 1; kk <= nd; kk++)
                    ac[r + kk - 1] = VAL(c, t - kk);
            }
            memset(Pst, 0, ra * ra * sizeof *Pst);
            for (size_t i = 0; i < r; i++)
                for (size_t j = 0; j < r; j++)
                    Pst[i * ra + j] = Ps[i * r + j];
            dense = 1;
        }
        clean = obs ? clean + 1 : 0;
        if (!dense) {
            /* Kalman step of the differenced series (cf. kalman.c) */
            for (size_t j = 0; j < r; j++)
                M[j] = Ps[j];
            M[r] = 0.0;
            const double F = M[0];
            if (!(F > 0.0) || !isfinite(F))
                return -1;
            const double invF = 1.0 / F;
            for (size_t c = 0; c < ns; c++) {
                double wc = 0.0;
                for (size_t j = 0; j <= nd; j++)
                    if (g->cdiff[j] != 0.0)
                        wc += g->cdiff[j] * VAL(c, t - j);
                double *ac = sa + c * lds;
                v[c] = wc - ac[0];
                const double gc = v[c] * invF;
                for (size_t i = 0; i + 1 < r; i++)
                    ac[i] = ws->phi[i] * wc + ac[i + 1] + M[i + 1] * gc;
                ac[r - 1] = ws->phi[r - 1] * wc;
            }
            for (size_t i = 0; i < r; i++) {
                const double mi = M[i + 1] * invF, ti = ws->theta[i];
                for (size_t j = 0; j < r; j++) {
                    double next = (i + 1 < r && j + 1 < r) ? Ps[(i + 1) * r + j + 1] : 0.0;
                    Ps[i * r + j] = next - mi * M[j + 1] + ti * ws->theta[j];
                }
            }
            Syy += v[0] * v[0] * invF;
            for (size_t c = 1; c < ns; c++) {
                Sxy[c - 1] += v[c] * v[0] * invF;
                for (size_t d = 1; d < ns; d++)
                    Sxx[c - 1][d - 1] += v[c] * v[d] * invF;
            }
            sumlog += log(F);
            nu++;
            if (resid) {
                double sf = sqrt(F);
                for (size_t c = 0; c < ns; c++)
                    vbuf[c * n + t] = v[c] / sf;
            }
            continue;
        }
        if (obs) {
            pz(ws, g, Pst, Mst);
            double Fst = zdot(ws, g, Mst), Finf = 0.0;
            if (diffuse) {
                pz(ws, g, Pinf, Minf);
                Finf = zdot(ws, g, Minf);
            }
            for (size_t c = 0; c < ns; c++) {
                double o = c == 0 ? y[t] : x[(c - 1) * n + t];
                v[c] = o - zdot(ws, g, g->a + c * ra);
            }
            if (diffuse && Finf > 1e-8) {
                /* a diffuse direction is resolved: no likelihood contribution */
                for (size_t c = 0; c < ns; c++) {
                    double *ac = g->a + c * ra;
                    for (size_t i = 0; i < ra; i++)
                        ac[i] += Minf[i] * v[c] / Finf;
                }
                const double f2 = Fst / (Finf * Finf);
                for (size_t i = 0; i < ra; i++)
                    for (size_t j = 0; j < ra; j++) {
                        Pst[i * ra + j] += Minf[i] * Minf[j] * f2 -
                                           (Mst[i] * Minf[j] + Minf[i] * Mst[j]) / Finf;
                        Pinf[i * ra + j] -= Minf[i] * Minf[j] / Finf;
                    }
                if (resid)
                    for (size_t c = 0; c < ns; c++)
                        vbuf[c * n + t] = NAN;
            } else {
                if (!(Fst > 0.0) || !isfinite(Fst))
                    return -1;
                const double invF = 1.0 / Fst;
                for (size_t c = 0; c < ns; c++) {
                    double *ac = g->a + c * ra;
                    for (size_t i = 0; i < ra; i++)
                        ac[i] += Mst[i] * v[c] * invF;
                }
                for (size_t i = 0; i < ra; i++)
                    for (size_t j = 0; j < ra; j++)
                        Pst[i * ra + j] -= Mst[i] * Mst[j] * invF;
                Syy += v[0] * v[0] * invF;
                for (size_t c = 1; c < ns; c++) {
                    Sxy[c - 1] += v[c] * v[0] * invF;
                    for (size_t d = 1; d < ns; d++)
                        Sxx[c - 1][d - 1] += v[c] * v[d] * invF;
                }
                sumlog += log(Fst);
                nu++;
                if (resid) {
                    double sf = sqrt(Fst);
                    for (size_t c = 0; c < ns; c++)
                        vbuf[c * n + t] = v[c] / sf;
                }
            }
        } else if (resid) {
            for (size_t c = 0; c < ns; c++)
                vbuf[c * n + t] = NAN;
        }
        /* predict */
        for (size_t c = 0; c < ns; c++) {
            double *ac = g->a + c * ra, *tmp = g->v1;
            taug(ws, g, ac, tmp);
            memcpy(ac, tmp, ra * sizeof *ac);
        }
        predict_cov(ws, g, Pst, 1);
        if (diffuse) {
            predict_cov(ws, g, Pinf, 0);
            double mx = 0.0;
            for (size_t i = 0; i < ra * ra; i++)
                if (fabs(Pinf[i]) > mx)
                    mx = fabs(Pinf[i]);
            if (mx < 1e-10) {                    /* P_inf starts as I: absolute scale */
                diffuse = 0;
                memset(Pinf, 0, ra * ra * sizeof *Pinf);
            }
        }
        if (!diffuse && clean >= nd) {
            /* the last nd values are observed: hand over to the O(r^2) filter */
            for (size_t c = 0; c < ns; c++)
                for (size_t i = 0; i < r; i++)
                    sa[c * lds + i] = g->a[c * ra + i];
            for (size_t i = 0; i < r; i++)
                for (size_t j = 0; j < r; j++)
                    Ps[i * r + j] = Pst[i * ra + j];
            dense = 0;
        }
    }
    if (nu == 0 || diffuse)
        return -1;
    if (!dense) {
        /* final state in augmented form, for the forecasts */
        for (size_t c = 0; c < ns; c++) {
            double *ac = g->a + c * ra;
            for (size_t i = 0; i < r; i++)
                ac[i] = sa[c * lds + i];
            for (size_t kk = 0; kk < nd; kk++)
                ac[r + kk] = VAL(c, n - 1 - kk);
        }
        memset(Pst, 0, ra * ra * sizeof *Pst);
        for (size_t i = 0; i < r; i++)
            for (size_t j = 0; j < r; j++)
                Pst[i * ra + j] = Ps[i * r + j];
    }
#undef VAL
    double beta[KAIROS__ARIMA_KMAX] = {0};
    if (k == 1) {
        if (!(Sxx[0][0] > 0.0))
            return -1;
        beta[0] = Sxy[0] / Sxx[0][0];
    } else if (k == 2) {
        double det = Sxx[0][0] * Sxx[1][1] - Sxx[0][1] * Sxx[1][0];
        if (!(det > 1e-13 * Sxx[0][0] * Sxx[1][1]))
            return -1;
        beta[0] = (Sxx[1][1] * Sxy[0] - Sxx[0][1] * Sxy[1]) / det;
        beta[1] = (Sxx[0][0] * Sxy[1] - Sxx[1][0] * Sxy[0]) / det;
    }
    double ssq = Syy;
    for (size_t c = 0; c < k; c++)
        ssq -= beta[c] * Sxy[c];
    if (!(ssq > 0.0) || !isfinite(ssq) || !isfinite(sumlog))
        return -1;
    for (size_t c = 0; c < k; c++) {
        const double *ac = g->a + (c + 1) * ra;
        for (size_t i = 0; i < ra; i++)
            g->a[i] -= beta[c] * ac[i];
    }
    if (resid)
        for (size_t t = 0; t < n; t++) {
            double vv = vbuf[t];
            for (size_t c = 0; c < k; c++)
                vv -= beta[c] * vbuf[(c + 1) * n + t];
            resid[t] = vv;
        }
    out->ssq = ssq;
    out->sumlog = sumlog;
    out->nu = nu;
    for (size_t c = 0; c < KAIROS__ARIMA_KMAX; c++)
        out->beta[c] = c < k ? beta[c] : 0.0;
    return 0;
}
