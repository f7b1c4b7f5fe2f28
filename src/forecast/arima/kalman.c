/* Likelihood of a stationary ARMA in Harvey's state-space form, and the CSS objective.
 *
 * State (dimension r = max(p', q'+1)):  alpha_{t+1} = T alpha_t + R eps_{t+1},  u_t = alpha_{t,0}
 * with T[i][0] = phi_{i+1}, T[i][i+1] = 1 and R = (1, theta_1, ..., theta_{r-1})'.
 * See docs/arima.md for the derivations used below. */
#include "arima_impl.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int kairos__arima_ws_init(kairos__arima_ws *ws, size_t r, size_t p, size_t q, size_t n)
{
    memset(ws, 0, sizeof *ws);
    ws->r = r;
    ws->p = p;
    ws->q = q;
    ws->n = n;
    ws->tol = 1e-12;
    ws->phi = kairos__calloc(r + 1, sizeof(double));
    ws->theta = kairos__calloc(r + 1, sizeof(double));
    ws->P = kairos__calloc(r * r, sizeof(double));
    ws->M = kairos__calloc(r + 1, sizeof(double));
    ws->a = kairos__calloc((1 + KAIROS__ARIMA_KMAX) * (r + 1), sizeof(double));
    ws->psi = kairos__calloc(r + 1, sizeof(double));
    ws->gamma = kairos__calloc(r + 2, sizeof(double));
    ws->A = kairos__calloc((p + 1) * (p + 2) / 2 + 1, sizeof(double));
    ws->gx = kairos__calloc(r + q + 2, sizeof(double));
    ws->e = kairos__calloc((1 + KAIROS__ARIMA_KMAX) * (n ? n : 1), sizeof(double));
    ws->lag_ar = kairos__calloc(r + 1, sizeof(int));
    ws->lag_ma = kairos__calloc(r + 1, sizeof(int));
    ws->used = kairos__calloc(n ? n : 1, 1);
    if (!ws->used || !ws->phi || !ws->theta || !ws->P || !ws->M || !ws->a || !ws->psi || !ws->gamma ||
        !ws->A || !ws->gx || !ws->e || !ws->lag_ar || !ws->lag_ma) {
        kairos__arima_ws_free(ws);
        return KAIROS_ENOMEM;
    }
    return KAIROS_OK;
}

void kairos__arima_ws_free(kairos__arima_ws *ws)
{
    free(ws->phi);
    free(ws->theta);
    free(ws->P);
    free(ws->M);
    free(ws->a);
    free(ws->psi);
    free(ws->gamma);
    free(ws->A);
    free(ws->gx);
    free(ws->e);
    free(ws->lag_ar);
    free(ws->lag_ma);
    free(ws->used);
    memset(ws, 0, sizeof *ws);
}

/* Autocovariances gamma(0..r) of the ARMA with unit innovation variance, in O(p^2 + r s)
 * with s the number of non-zero coefficients (no dense solve):
 * 1. step-down (reverse Durbin-Levinson) from phi to the partial autocorrelations kappa_k and
 *    the prediction coefficients phi^(k) of every order k <= p (fails unless |kappa_k| < 1);
 * 2. autocovariances of the pure AR x: gx(0) = 1 / prod (1 - kappa_k^2),
 *    gx(k) = sum_i phi^(k)_i gx(k-i) for k <= p (the k-th Yule-Walker equation of order k),
 *    gx(k) = sum_i phi_i gx(k-i) beyond;
 * 3. u = theta(B) x: gamma(k) = sum_{j,l} theta_j theta_l gx(|k + j - l|) over non-zero theta;
 * 4. psi weights of the ARMA for the first row of the state covariance. */
static int autocovariances(kairos__arima_ws *ws)
{
    const size_t r = ws->r, p = ws->p, q = ws->q;
    const double *phi = ws->phi, *th = ws->theta;
    double *psi = ws->psi, *g = ws->gamma, *gx = ws->gx, *L = ws->A;
    size_t nar = 0, nma = 0;
    for (size_t i = 1; i <= p; i++)
        if (phi[i - 1] != 0.0)
            ws->lag_ar[nar++] = (int)i;
    for (size_t i = 0; i <= q; i++)
        if (th[i] != 0.0)
            ws->lag_ma[nma++] = (int)i;
    const size_t nx = r + q + 1;                 /* gx(0..nx-1) */

    /* 1. step-down; row k of L (offset k(k-1)/2) holds phi^(k)_1..k */
    double g0 = 1.0;
    if (p > 0) {
        double *row = L + p * (p - 1) / 2;
        for (size_t i = 0; i < p; i++)
            row[i] = phi[i];
        for (size_t k = p; k >= 1; k--) {
            row = L + k * (k - 1) / 2;
            double kap = row[k - 1];
            if (!(fabs(kap) < 1.0))
                return -1;
            double den = 1.0 - kap * kap;
            g0 /= den;
            if (k > 1) {
                double *prev = L + (k - 1) * (k - 2) / 2;
                for (size_t i = 0; i + 1 < k; i++)
                    prev[i] = (row[i] + kap * row[k - 2 - i]) / den;
            }
        }
    }
    /* 2. AR autocovariances */
    gx[0] = g0;
    for (size_t k = 1; k < nx; k++) {
        double s = 0.0;
        if (k <= p) {
            const double *row = L + k * (k - 1) / 2;
            for (size_t i = 1; i <= k; i++)
                s += row[i - 1] * gx[k - i];
        } else {
            for (size_t l = 0; l < nar; l++) {
                size_t i = (size_t)ws->lag_ar[l];
                s += phi[i - 1] * gx[k - i];
            }
        }
        gx[k] = s;
    }
    /* 3. through the MA filter */
    for (size_t k = 0; k <= r; k++) {
        double s = 0.0;
        for (size_t a = 0; a < nma; a++) {
            size_t j = (size_t)ws->lag_ma[a];
            for (size_t b = 0; b < nma; b++) {
                size_t l = (size_t)ws->lag_ma[b];
                size_t lag = k + j >= l ? k + j - l : l - k - j;
                s += th[j] * th[l] * gx[lag];
            }
        }
        g[k] = s;
    }
    /* 4. psi_j = theta_j + sum_i phi_i psi_{j-i} */
    psi[0] = 1.0;
    for (size_t j = 1; j <= r; j++) {
        double s = j <= q ? th[j] : 0.0;
        for (size_t l = 0; l < nar; l++) {
            size_t i = (size_t)ws->lag_ar[l];
            if (i > j)
                break;
            s += phi[i - 1] * psi[j - i];
        }
        psi[j] = s;
    }
    if (!(g[0] > 0.0) || !isfinite(g[0]))
        return -1;
    return 0;
}

int kairos__arima_stationary_cov(kairos__arima_ws *ws)
{
    const size_t r = ws->r;
    const double *phi = ws->phi, *th = ws->theta, *g = ws->gamma, *psi = ws->psi;
    double *P = ws->P;

    if (autocovariances(ws) != 0)
        return -1;
    /* First row: P_{0k} = Cov(u_t, alpha_{t,k})
     *          = sum_{j=0}^{r-1-k} phi_{k+j+1} gamma(j+1) + theta_{k+j} psi_j */
    for (size_t k = 0; k < r; k++) {
        double s = 0.0;
        for (size_t j = 0; j + k < r; j++)
            s += phi[k + j] * g[j + 1] + th[k + j] * psi[j];
        P[k] = s;
    }
    /* The rest from P = T P T' + R R' read element-wise, from the bottom-right corner up:
     * P_ij = phi_{i+1} phi_{j+1} P_00 + phi_{i+1} P_{0,j+1} + phi_{j+1} P_{0,i+1}
     *        + P_{i+1,j+1} + theta_i theta_j   (indices >= r are zero) */
    for (size_t i = r - 1; i >= 1; i--) {
        for (size_t j = r - 1; j >= i; j--) {
            double p0j1 = j + 1 < r ? P[j + 1] : 0.0;
            double p0i1 = i + 1 < r ? P[i + 1] : 0.0;
            double next = j + 1 < r ? P[(i + 1) * r + j + 1] : 0.0;
            double v = phi[i] * phi[j] * P[0] + phi[i] * p0j1 + phi[j] * p0i1 + next +
                       th[i] * th[j];
            P[i * r + j] = v;
            P[j * r + i] = v;
        }
    }
    for (size_t k = 1; k < r; k++)
        P[k * r] = P[k];
    if (!(P[0] > 0.0) || !isfinite(P[0]))
        return -1;
    return 0;
}

/* Solve the k x k (k <= 2) normal equations S b = s. Returns 0 or -1 when singular. */
static int solve_small(size_t k, const double S[KAIROS__ARIMA_KMAX][KAIROS__ARIMA_KMAX],
                       const double *s, double *b)
{
    if (k == 0)
        return 0;
    if (k == 1) {
        if (!(S[0][0] > 0.0))
            return -1;
        b[0] = s[0] / S[0][0];
        return 0;
    }
    double det = S[0][0] * S[1][1] - S[0][1] * S[1][0];
    if (!(det > 1e-13 * S[0][0] * S[1][1]))
        return -1;
    b[0] = (S[1][1] * s[0] - S[0][1] * s[1]) / det;
    b[1] = (S[0][0] * s[1] - S[1][0] * s[0]) / det;
    return 0;
}

int kairos__arima_kalman(kairos__arima_ws *ws, const double *u, const double *x, size_t k,
                         kairos__arima_like *out, double *resid, double *vbuf)
{
    const size_t r = ws->r, n = ws->n, ns = 1 + k, ld = r + 1;
    const double *phi = ws->phi, *th = ws->theta;
    double *P = ws->P, *M = ws->M, *a = ws->a;
    double Syy = 0.0, Sxy[KAIROS__ARIMA_KMAX] = {0}, Sxx[KAIROS__ARIMA_KMAX][KAIROS__ARIMA_KMAX] = {{0}};
    double sumlog = 0.0;
    size_t nu = 0;
    int steady = 0;
    double F = 0.0, invF = 0.0, logF = 0.0;

    memset(a, 0, ns * ld * sizeof *a);
    M[r] = 0.0;
    ws->steady_at = n;

    for (size_t t = 0; t < n; t++) {
        const double yt = u[t];
        if (!isnan(yt)) {
            if (!steady) {
                for (size_t j = 0; j < r; j++)
                    M[j] = P[j];
                F = M[0];
                if (!(F > 0.0) || !isfinite(F))
                    return -1;
                invF = 1.0 / F;
                logF = log(F);
            }
            double v[1 + KAIROS__ARIMA_KMAX] = {0};
            for (size_t c = 0; c < ns; c++) {
                double obs = c == 0 ? yt : x[(c - 1) * n + t];
                double *ac = a + c * ld;
                v[c] = obs - ac[0];
                double g = v[c] * invF;
                /* a <- T (a + M v / F); note a_0 + M_0 v / F = obs */
                for (size_t i = 0; i + 1 < r; i++)
                    ac[i] = phi[i] * obs + ac[i + 1] + M[i + 1] * g;
                ac[r - 1] = phi[r - 1] * obs;
            }
            Syy += v[0] * v[0] * invF;
            for (size_t c = 1; c < ns; c++) {
                Sxy[c - 1] += v[c] * v[0] * invF;
                for (size_t d = 1; d < ns; d++)
                    Sxx[c - 1][d - 1] += v[c] * v[d] * invF;
            }
            sumlog += logF;
            nu++;
            if (resid) {
                double sf = sqrt(F);
                for (size_t c = 0; c < ns; c++)
                    vbuf[c * n + t] = v[c] / sf;
            }
            if (!steady) {
                /* P <- shift(P - M M'/F) + theta theta' (the first row/column of the
                 * filtered covariance is zero, so phi drops out). In place, ascending. */
                double maxd = 0.0;
                for (size_t i = 0; i < r; i++) {
                    double *Pi = P + i * r;
                    const double *Pn = P + (i + 1) * r + 1;
                    const double mi = M[i + 1] * invF, ti = th[i];
                    size_t j = i;
                    for (; j + 1 < r; j++) {
                        double nv = Pn[j] - mi * M[j + 1] + ti * th[j];
                        double dd = fabs(nv - Pi[j]);
                        if (dd > maxd)
                            maxd = dd;
                        Pi[j] = nv;
                    }
                    double nv = ti * th[j];
                    double dd = fabs(nv - Pi[j]);
                    if (dd > maxd)
                        maxd = dd;
                    Pi[j] = nv;
                }
                if (maxd < ws->tol) {
                    steady = 1;
                    ws->steady_at = t;
                    for (size_t j = 0; j < r; j++)
                        M[j] = P[j];
                    F = M[0];
                    invF = 1.0 / F;
                    logF = log(F);
                }
            }
        } else {
            steady = 0;
            ws->steady_at = n;
            for (size_t j = 0; j < r; j++)
                M[j] = P[j];
            for (size_t c = 0; c < ns; c++) {
                double *ac = a + c * ld;
                double a0 = ac[0];
                for (size_t i = 0; i + 1 < r; i++)
                    ac[i] = phi[i] * a0 + ac[i + 1];
                ac[r - 1] = phi[r - 1] * a0;
            }
            /* P <- T P T' + theta theta' */
            for (size_t i = 0; i < r; i++) {
                double *Pi = P + i * r;
                const double pi = phi[i], mi1 = M[i + 1];
                for (size_t j = i; j < r; j++) {
                    double next = j + 1 < r ? P[(i + 1) * r + j + 1] : 0.0;
                    Pi[j] = pi * phi[j] * M[0] + pi * M[j + 1] + phi[j] * mi1 + next +
                            th[i] * th[j];
                }
            }
            if (resid)
                for (size_t c = 0; c < ns; c++)
                    vbuf[c * n + t] = NAN;
        }
    }
    if (nu == 0)
        return -1;
    double beta[KAIROS__ARIMA_KMAX] = {0};
    if (solve_small(k, (const double (*)[KAIROS__ARIMA_KMAX])Sxx, Sxy, beta) != 0)
        return -1;
    double ssq = Syy;
    for (size_t c = 0; c < k; c++)
        ssq -= beta[c] * Sxy[c];
    if (!(ssq > 0.0) || !isfinite(ssq) || !isfinite(sumlog))
        return -1;
    for (size_t c = 0; c < k; c++) {
        const double *ac = a + (c + 1) * ld;
        for (size_t i = 0; i < r; i++)
            a[i] -= beta[c] * ac[i];
    }
    if (resid) {
        for (size_t t = 0; t < n; t++) {
            double v = vbuf[t];
            for (size_t c = 0; c < k; c++)
                v -= beta[c] * vbuf[(c + 1) * n + t];
            resid[t] = v;
        }
    }
    out->ssq = ssq;
    out->sumlog = sumlog;
    out->nu = nu;
    for (size_t c = 0; c < KAIROS__ARIMA_KMAX; c++)
        out->beta[c] = c < k ? beta[c] : 0.0;
    return 0;
}

/* Chandrasekhar form of the same filter (Morf, Sidhu & Kailath 1974; Melard 1984): started
 * from the stationary covariance, P_{t+1} - P_t = m_t w_t w_t' has rank one, so the gain
 * K_t = T P_t Z' and F_t = Z P_t Z' follow in O(r) per step:
 *   g = w_t[0],  F_{t+1} = F_t + m_t g^2,  K_{t+1} = K_t + m_t g T w_t,
 *   w_{t+1} = T w_t - K_{t+1} g / F_{t+1},  m_{t+1} = m_t F_{t+1} / F_t,
 * with w_1 = K_1 = T P_1 Z', m_1 = -1/F_1. Only valid without missing values; P is not
 * propagated (ws->P keeps P_1). */
int kairos__arima_chandra(kairos__arima_ws *ws, const double *u, const double *x, size_t k,
                          kairos__arima_like *out)
{
    const size_t r = ws->r, n = ws->n, ns = 1 + k, ld = r + 1;
    const double *restrict phi = ws->phi, *P = ws->P;
    double *restrict a = ws->a, *restrict K = ws->M, *restrict w = ws->psi; /* psi is free now */
    double Syy = 0.0, Sxy[KAIROS__ARIMA_KMAX] = {0}, Sxx[KAIROS__ARIMA_KMAX][KAIROS__ARIMA_KMAX] = {{0}};
    double sumlog = 0.0;

    memset(a, 0, ns * ld * sizeof *a);
    double F = P[0];
    for (size_t i = 0; i + 1 < r; i++)
        K[i] = phi[i] * P[0] + P[i + 1];
    K[r - 1] = phi[r - 1] * P[0];
    K[r] = 0.0;
    memcpy(w, K, (r + 1) * sizeof *w);
    double m = -1.0 / F, logF = 0.0;
    int frozen = 0;
    ws->steady_at = n;
    for (size_t t = 0; t < n; t++) {
        if (!(F > 0.0))
            return -1;
        const double invF = 1.0 / F;
        double v[1 + KAIROS__ARIMA_KMAX] = {0};
        for (size_t c = 0; c < ns; c++) {
            double obs = c == 0 ? u[t] : x[(c - 1) * n + t];
            double *ac = a + c * ld;
            double a0 = ac[0];
            v[c] = obs - a0;
            double gc = v[c] * invF;
            for (size_t i = 0; i + 1 < r; i++)
                ac[i] = phi[i] * a0 + ac[i + 1] + K[i] * gc;
            ac[r - 1] = phi[r - 1] * a0 + K[r - 1] * gc;
        }
        Syy += v[0] * v[0] * invF;
        for (size_t c = 1; c < ns; c++) {
            Sxy[c - 1] += v[c] * v[0] * invF;
            for (size_t d = 1; d < ns; d++)
                Sxx[c - 1][d - 1] += v[c] * v[d] * invF;
        }
        if (frozen) {
            sumlog += logF;
            continue;
        }
        sumlog += log(F);
        const double g = w[0], mg = m * g;
        const double Fn = F + mg * g;
        /* K += m g T w; w <- T w - K g / Fn (in place, ascending: w[i+1] still old) */
        const double gF = g / Fn;
        double wmax = 0.0;
        for (size_t i = 0; i < r; i++) {
            double tw = phi[i] * g + w[i + 1];
            K[i] += mg * tw;
            w[i] = tw - K[i] * gF;
            if (fabs(w[i]) > wmax)
                wmax = fabs(w[i]);
        }
        m *= Fn / F;
        F = Fn;
        if (fabs(m) * wmax * wmax < ws->tol * F) {
            frozen = 1;
            logF = log(F);
            ws->steady_at = t;
        }
    }
    double beta[KAIROS__ARIMA_KMAX] = {0};
    if (solve_small(k, (const double (*)[KAIROS__ARIMA_KMAX])Sxx, Sxy, beta) != 0)
        return -1;
    double ssq = Syy;
    for (size_t c = 0; c < k; c++)
        ssq -= beta[c] * Sxy[c];
    if (!(ssq > 0.0) || !isfinite(ssq) || !isfinite(sumlog))
        return -1;
    out->ssq = ssq;
    out->sumlog = sumlog;
    out->nu = n;
    for (size_t c = 0; c < KAIROS__ARIMA_KMAX; c++)
        out->beta[c] = c < k ? beta[c] : 0.0;
    return 0;
}

int kairos__arima_css(kairos__arima_ws *ws, const double *u, const double *x, size_t k,
                      size_t ncond, double *ssq_out, size_t *nu_out)
{
    const size_t n = ws->n, ns = 1 + k;
    const double *phi = ws->phi, *th = ws->theta;
    size_t nar = 0, nma = 0;
    for (size_t i = 1; i <= ws->p; i++)
        if (phi[i - 1] != 0.0)
            ws->lag_ar[nar++] = (int)i;
    for (size_t i = 1; i <= ws->q; i++)
        if (th[i] != 0.0)
            ws->lag_ma[nma++] = (int)i;

    /* Residuals e_t = z_t - sum phi_i z_{t-i} - sum theta_j e_{t-j}, zero before ncond and
     * where a term is missing (those steps are not counted). */
    for (size_t c = 0; c < ns; c++) {
        const double *z = c == 0 ? u : x + (c - 1) * n;
        double *e = ws->e + c * n;
        for (size_t t = 0; t < n; t++) {
            if (t < ncond) {
                e[t] = 0.0;
                if (c == 0)
                    ws->used[t] = 0;
                continue;
            }
            double s = z[t];
            for (size_t l = 0; l < nar; l++)
                s -= phi[ws->lag_ar[l] - 1] * z[t - (size_t)ws->lag_ar[l]];
            for (size_t l = 0; l < nma; l++) {
                size_t lag = (size_t)ws->lag_ma[l];
                if (lag > t)
                    break;
                s -= th[lag] * e[t - lag];
            }
            if (c == 0)
                ws->used[t] = !isnan(s);
            e[t] = isnan(s) ? 0.0 : s;
        }
    }
    double Syy = 0.0, Sxy[KAIROS__ARIMA_KMAX] = {0}, Sxx[KAIROS__ARIMA_KMAX][KAIROS__ARIMA_KMAX] = {{0}};
    size_t nu = 0;
    const double *e0 = ws->e;
    for (size_t t = ncond; t < n; t++) {
        if (!ws->used[t])
            continue;
        nu++;
        Syy += e0[t] * e0[t];
        for (size_t c = 1; c < ns; c++) {
            double ec = ws->e[c * n + t];
            Sxy[c - 1] += ec * e0[t];
            for (size_t d = 1; d < ns; d++)
                Sxx[c - 1][d - 1] += ec * ws->e[d * n + t];
        }
    }
    if (nu == 0)
        return -1;
    double beta[KAIROS__ARIMA_KMAX] = {0};
    if (solve_small(k, (const double (*)[KAIROS__ARIMA_KMAX])Sxx, Sxy, beta) != 0)
        return -1;
    double ssq = Syy;
    for (size_t c = 0; c < k; c++) {
        ssq -= beta[c] * Sxy[c];
        ws->css_beta[c] = beta[c];
    }
    if (!(ssq > 0.0) || !isfinite(ssq))
        return -1;
    *ssq_out = ssq;
    *nu_out = nu;
    return 0;
}
