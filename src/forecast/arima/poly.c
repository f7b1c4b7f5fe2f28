/* Lag polynomials: seasonal expansion, the Jones (1980) reparametrisation, root checks. */
#include "arima_impl.h"
#include "core/internal.h"

#include <complex.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void kairos__arima_expand(const kairos_arima_spec *s, const double *par, kairos__arima_ws *ws)
{
    const size_t m = s->period > 1 ? s->period : 1;
    const double *ar = par, *ma = par + s->p, *sar = ma + s->q, *sma = sar + s->P;
    double *phi = ws->phi, *th = ws->theta;
    memset(phi, 0, (ws->r + 1) * sizeof *phi);
    memset(th, 0, (ws->r + 1) * sizeof *th);
    /* (1 - sum ar_i B^i)(1 - sum sar_j B^{jm}) = 1 - sum phi_k B^k; phi[k-1] = phi_k */
    for (int i = 1; i <= s->p; i++)
        phi[i - 1] += ar[i - 1];
    for (int j = 1; j <= s->P; j++) {
        size_t lj = (size_t)j * m;
        phi[lj - 1] += sar[j - 1];
        for (int i = 1; i <= s->p; i++)
            phi[lj + (size_t)i - 1] -= ar[i - 1] * sar[j - 1];
    }
    /* (1 + sum ma_i B^i)(1 + sum sma_j B^{jm}) = 1 + sum theta_k B^k */
    th[0] = 1.0;
    for (int i = 1; i <= s->q; i++)
        th[i] += ma[i - 1];
    for (int j = 1; j <= s->Q; j++) {
        size_t lj = (size_t)j * m;
        th[lj] += sma[j - 1];
        for (int i = 1; i <= s->q; i++)
            th[lj + (size_t)i] += ma[i - 1] * sma[j - 1];
    }
}

/* Partial autocorrelations kappa_j = tanh(raw_j), then Durbin-Levinson:
 * phi^(j)_j = kappa_j, phi^(j)_i = phi^(j-1)_i - kappa_j phi^(j-1)_{j-i}. */
void kairos__arima_partrans(int p, const double *raw, double *phi)
{
    double tmp[KAIROS_ARIMA_MAX_PQ + 1];
    for (int j = 0; j < p; j++) {
        double kj = tanh(raw[j]);
        for (int i = 0; i < j; i++)
            tmp[i] = phi[i] - kj * phi[j - 1 - i];
        for (int i = 0; i < j; i++)
            phi[i] = tmp[i];
        phi[j] = kj;
    }
}

int kairos__arima_invpartrans(int p, const double *phi, double *raw)
{
    double work[KAIROS_ARIMA_MAX_PQ + 1], tmp[KAIROS_ARIMA_MAX_PQ + 1];
    for (int i = 0; i < p; i++)
        work[i] = phi[i];
    for (int j = p - 1; j >= 0; j--) {
        double kj = work[j];
        if (!(fabs(kj) < 1.0))
            return -1;
        raw[j] = atanh(kj);
        double den = 1.0 - kj * kj;
        for (int i = 0; i < j; i++)
            tmp[i] = (work[i] + kj * work[j - 1 - i]) / den;
        for (int i = 0; i < j; i++)
            work[i] = tmp[i];
    }
    return 0;
}

int kairos__arima_ar_stationary(int p, const double *phi)
{
    double raw[KAIROS_ARIMA_MAX_PQ + 1];
    int last = p;
    while (last > 0 && phi[last - 1] == 0.0)
        last--;
    return kairos__arima_invpartrans(last, phi, raw) == 0;
}

/* 1 + sum theta_i z^i = prod (1 - lambda_k z): the lambda_k are the eigenvalues of the
 * companion matrix of z^q + theta_1 z^{q-1} + ... + theta_q. Invertible iff all |lambda| < 1;
 * a lambda outside is replaced by 1/conj(lambda), which leaves the autocorrelations of the
 * MA unchanged (so the concentrated Gaussian likelihood too). */
int kairos__arima_ma_invert(int q, double *theta)
{
    int qq = q;
    while (qq > 0 && theta[qq - 1] == 0.0)
        qq--;
    if (qq == 0)
        return 0;
    double sumabs = 0.0;
    for (int i = 0; i < qq; i++)
        sumabs += fabs(theta[i]);
    if (sumabs < 1.0)
        return 0;
    const size_t nq = (size_t)qq;
    double *C = kairos__calloc(nq * nq + 2 * nq, sizeof(double));
    if (!C)
        return KAIROS_ENOMEM;
    double *wr = C + nq * nq, *wi = wr + nq;
    for (size_t j = 0; j < nq; j++)
        C[j * nq] = -theta[j];                    /* first row, column-major */
    for (size_t i = 1; i < nq; i++)
        C[(i - 1) * nq + i] = 1.0;                /* sub-diagonal */
    double vdum = 0.0;
    lapack_int info = LAPACKE_dgeev(LAPACK_COL_MAJOR, 'N', 'N', (lapack_int)nq, C,
                                    (lapack_int)nq, wr, wi, &vdum, 1, &vdum, 1);
    if (info != 0) {
        free(C);
        return KAIROS_EMODEL;
    }
    int changed = 0;
    double complex poly[KAIROS_ARIMA_MAX_PQ + 1];
    poly[0] = 1.0;
    for (size_t i = 1; i <= nq; i++)
        poly[i] = 0.0;
    for (size_t k = 0; k < nq; k++) {
        double complex lam = wr[k] + I * wi[k];
        if (cabs(lam) > 1.0) {
            lam = 1.0 / conj(lam);
            changed = 1;
        }
        for (size_t i = k + 1; i >= 1; i--)
            poly[i] -= lam * poly[i - 1];
    }
    free(C);
    if (!changed)
        return 0;
    for (size_t i = 0; i < nq; i++)
        theta[i] = creal(poly[i + 1]);
    return 1;
}
