/* Pieces of the ARIMA engine shared between its source files. Internal to src/forecast/arima. */
#ifndef KAIROS_FORECAST_ARIMA_IMPL_H
#define KAIROS_FORECAST_ARIMA_IMPL_H

#include "arima.h"
#include <stddef.h>

/* At most two regression columns: intercept and drift. */
#define KAIROS__ARIMA_KMAX 2

/* Scratch memory for likelihood evaluations of one fit (one thread). The expanded ARMA
 * polynomials live here too: phi[i] is the coefficient of lag i+1 (the first column of the
 * transition matrix T), theta[i] the MA coefficient of lag i with theta[0] = 1; both have
 * r + 1 entries and are zero beyond the model's orders. */
typedef struct kairos__arima_ws {
    size_t  r;          /* state dimension max(p', q' + 1) */
    size_t  p, q;       /* expanded orders p' = p + mP, q' = q + mQ */
    size_t  n;          /* length of the differenced series */
    double *phi;        /* r + 1 */
    double *theta;      /* r + 1 */
    double *P;          /* r * r, upper triangle used by the filter */
    double *M;          /* r + 1: first row of P, M[r] = 0 */
    double *a;          /* (1 + KMAX) * (r + 1): predicted states (series, regressors) */
    double *psi;        /* r + 1 */
    double *gamma;      /* r + 2 */
    double *A;          /* (p + 1)(p + 2)/2: prediction coefficients of every AR order */
    double *gx;         /* r + q + 2: autocovariances of the pure AR part */
    double *e;          /* (1 + KMAX) * n: CSS residuals */
    int    *lag_ar;     /* sparse lag lists for CSS */
    int    *lag_ma;
    unsigned char *used; /* n: CSS residual counted */
    double  tol;        /* steady-state tolerance on the predicted covariance */
    double  css_beta[KAIROS__ARIMA_KMAX];  /* regression coefficients of the last CSS call */
    size_t  steady_at;  /* diagnostics: step at which the filter went steady (n if never) */
} kairos__arima_ws;

typedef struct kairos__arima_like {
    double ssq;         /* sum v^2 / F of the regression-adjusted series (GLS-profiled) */
    double sumlog;      /* sum log F */
    size_t nu;          /* observations used */
    double beta[KAIROS__ARIMA_KMAX];  /* GLS estimates of the regression coefficients */
} kairos__arima_like;

/* Allocate/free a workspace for state dimension r, expanded AR order p, series length n. */
int  kairos__arima_ws_init(kairos__arima_ws *ws, size_t r, size_t p, size_t q, size_t n);
void kairos__arima_ws_free(kairos__arima_ws *ws);

/* Expand (1 - sum phi B^i)(1 - sum Phi B^{mi}) and (1 + sum theta B^i)(1 + sum Theta B^{mi})
 * from par = (ar[p], ma[q], sar[P], sma[Q]) into ws->phi / ws->theta. */
void kairos__arima_expand(const kairos_arima_spec *s, const double *par, kairos__arima_ws *ws);

/* Stationary covariance of the state (sigma2 = 1) into ws->P (full symmetric).
 * Returns 0, or -1 when the AR part is not stationary. */
int kairos__arima_stationary_cov(kairos__arima_ws *ws);

/* Exact likelihood pieces by the Kalman filter on the zero-mean series u[0..n-1] (NaN =
 * missing) minus x * beta with beta profiled by GLS (k regression columns, column-major with
 * leading dimension n; k may be 0). ws->P must hold the initial covariance. On return ws->a
 * holds the predicted state a_{n+1|n} of u - x beta and ws->P the predicted covariance (upper
 * triangle). resid (optional, n entries) receives standardised innovations; vbuf, needed when
 * resid is given, (1 + k) * n scratch. Returns 0 or -1 (degenerate). */
int kairos__arima_kalman(kairos__arima_ws *ws, const double *u, const double *x, size_t k,
                         kairos__arima_like *out, double *resid, double *vbuf);

/* The same likelihood by the Chandrasekhar recursions, O(r) per step; only for series
 * without missing values. Leaves ws->P and the final state unspecified. */
int kairos__arima_chandra(kairos__arima_ws *ws, const double *u, const double *x, size_t k,
                          kairos__arima_like *out);

/* Augmented state for missing values with differencing (diffuse.c). */
typedef struct kairos__arima_aug {
    size_t  ra, nd;     /* r + nd, nd = d + D m */
    double *Pinf, *Pst; /* ra * ra, full: diffuse and finite parts of the covariance */
    double *Q;          /* ra * ra scratch */
    double *a;          /* (1 + KMAX) * ra: predicted states (series, regressors) */
    double *v1;         /* 3 * ra scratch */
    double *cdiff;      /* nd + 1: the differencing polynomial (caller fills) */
} kairos__arima_aug;

int  kairos__arima_aug_init(kairos__arima_aug *g, size_t r, size_t nd, size_t n);
void kairos__arima_aug_free(kairos__arima_aug *g);

/* Exact likelihood of the undifferenced y[0..n-1] (NaN = missing) minus x beta (x: k
 * undifferenced regressor columns, leading dimension n; beta profiled by GLS) with the
 * differencing in the state and an exactly diffuse prior on the initial levels. ws->P
 * must hold the stationary ARMA covariance, ws->phi/theta the polynomials. On return
 * g->a holds s_{n+1|n} of y - x beta and g->Pst its covariance. resid/vbuf as
 * kairos__arima_kalman (length n). Returns 0 or -1. */
int kairos__arima_kalman_diffuse(kairos__arima_ws *ws, kairos__arima_aug *g, const double *y,
                                 const double *x, size_t k, size_t n, kairos__arima_like *out,
                                 double *resid, double *vbuf);

/* Conditional sum of squares (R's CSS) with the first ncond residuals set to zero; regression
 * profiled by OLS on the filtered columns. Returns 0 or -1. */
int kairos__arima_css(kairos__arima_ws *ws, const double *u, const double *x, size_t k,
                      size_t ncond, double *ssq, size_t *nu);

/* R's method = "CSS" fit (from zero, untransformed): coefficients in R's order, sigma2 =
 * ssq / (residuals used) as stats::arima reports it, nobs as kairos__arima_nobs(). */
int kairos__arima_css_fit(const double *y, size_t n, const kairos_arima_spec *spec,
                          double *coef, size_t *ncoef, double *sigma2, size_t *nobs);

/* Jones (1980) reparametrisation: raw -> partial autocorrelations tanh(raw) -> AR coefficients
 * by the Durbin-Levinson recursion; and back (returns -1 when not stationary). */
void kairos__arima_partrans(int p, const double *raw, double *phi);
int  kairos__arima_invpartrans(int p, const double *phi, double *raw);

/* Make 1 + sum theta_i z^i invertible by reflecting roots inside the unit circle.
 * Returns 1 when changed, 0 when already invertible, negative on failure. */
int kairos__arima_ma_invert(int q, double *theta);

/* 1 when 1 - sum phi_i z^i has all roots outside the unit circle. */
int kairos__arima_ar_stationary(int p, const double *phi);

/* Minimise f by BFGS with central-difference gradients. x is updated in place, *fx gets the
 * minimum. Converged when max |gradient| < gtol or the relative decrease of f stays below
 * ftol for two iterations in a row. Returns 0 converged, 1 iteration limit, -1 non-finite
 * start, KAIROS_ENOMEM. */
typedef double (*kairos__arima_objfn)(const double *x, void *ctx);
int kairos__arima_bfgs(size_t n, double *x, double *fx, kairos__arima_objfn f, void *ctx,
                       int maxit, double gtol, double ftol, int *iterations);

#endif
