/* ARIMA engine: internal API (not installed, not exported).
 *
 * ARIMA(p,d,q)(P,D,Q)[m] with an optional mean (d+D = 0) or drift (d+D <= 1), fitted by exact
 * Gaussian maximum likelihood the way R's stats::arima / forecast::Arima(method = "ML") define
 * it: the series is differenced, the regression (mean/drift) is profiled out by GLS, the
 * stationary ARMA likelihood is computed by a Kalman filter started from the stationary state
 * covariance. See docs/arima.md for the mathematics and the definitions of every statistic.
 *
 * Fitted results are immutable: share them freely between threads. Nothing here prints,
 * aborts or touches global state. Failures return a negative KAIROS_E* code and set
 * kairos_last_error() through kairos__fail().
 */
#ifndef KAIROS_FORECAST_ARIMA_H
#define KAIROS_FORECAST_ARIMA_H

#include <kairos/common.h>
#include <stddef.h>

/* Limits on the orders (KAIROS_ERANGE beyond them). */
#define KAIROS_ARIMA_MAX_PQ       30   /* p, q */
#define KAIROS_ARIMA_MAX_SPQ       5   /* P, Q */
#define KAIROS_ARIMA_MAX_D         2   /* d */
#define KAIROS_ARIMA_MAX_SD        1   /* D */
#define KAIROS_ARIMA_MAX_PERIOD 10000  /* m */

typedef struct kairos_arima_spec {
    int    p, d, q;          /* non-seasonal orders */
    int    P, D, Q;          /* seasonal orders (all 0 when period <= 1) */
    size_t period;           /* m; 0 or 1 means non-seasonal */
    int    include_mean;     /* fit a mean ("intercept"); used only when d + D == 0 (as R) */
    int    include_drift;    /* fit a drift (slope on t = 1..n); needs d + D <= 1 */
} kairos_arima_spec;

/* forecast::Arima's defaults: include_mean = 1, include_drift = 0. */
#define KAIROS_ARIMA_SPEC_INIT { 0, 0, 0, 0, 0, 0, 0, 1, 0 }

typedef struct kairos__arima_fit_result kairos__arima_fit_result;

/*
 * Fit the model to y[0..n-1] (NaN = missing; +-Inf is refused).
 * @return KAIROS_OK;
 *   KAIROS_EINVAL  NULL arguments, seasonal orders without a period > 1, drift with d + D > 1;
 *   KAIROS_ERANGE  orders or period outside the limits above;
 *   KAIROS_EDATA   infinite values, all missing, too few observations for the model,
 *                  a series that is constant after differencing, missing values among the
 *                  last d + D*m observations (needed to undifference the forecasts);
 *   KAIROS_EMODEL  the optimiser did not converge or the likelihood is not finite;
 *   KAIROS_ENOMEM.
 * On failure *out is NULL. Thread-safety: safe (no shared state).
 */
int kairos__arima_fit(kairos__arima_fit_result **out, const double *y, size_t n,
                      const kairos_arima_spec *spec);

/* Release a fit; NULL is fine. */
void kairos__arima_fit_free(kairos__arima_fit_result *fit);

/*
 * Forecast h >= 1 steps ahead: mean[0..h-1] of the undifferenced series (with mean/drift) and,
 * when sd is not NULL, the forecast standard deviations sd[0..h-1] (sqrt of sigma2 times the
 * exact state-space forecast error variance, as R's predict.Arima). Gaussian intervals are
 * mean +- z * sd. Both buffers caller-owned.
 * @return KAIROS_OK, KAIROS_EINVAL (h == 0, NULL fit or mean), KAIROS_ENOMEM.
 * Thread-safety: safe on a shared fit.
 */
int kairos__arima_forecast(const kairos__arima_fit_result *fit, size_t h, double *mean,
                           double *sd);

/* Accessors. Never fail on a valid fit. Coefficients are in R's order and with R's names:
 * ar1..arp, ma1..maq, sar1..sarP, sma1..smaQ, intercept, drift. */
size_t      kairos__arima_coef_count(const kairos__arima_fit_result *fit);
const char *kairos__arima_coef_name(const kairos__arima_fit_result *fit, size_t i);
double      kairos__arima_coef_value(const kairos__arima_fit_result *fit, size_t i);
const kairos_arima_spec *kairos__arima_spec(const kairos__arima_fit_result *fit);
double kairos__arima_loglik(const kairos__arima_fit_result *fit);
double kairos__arima_sigma2(const kairos__arima_fit_result *fit);
double kairos__arima_aic(const kairos__arima_fit_result *fit);
double kairos__arima_aicc(const kairos__arima_fit_result *fit);
double kairos__arima_bic(const kairos__arima_fit_result *fit);
/* R's nobs: non-missing observations minus d + D*m. */
size_t kairos__arima_nobs(const kairos__arima_fit_result *fit);
/* Length of the series the model was fitted to. */
size_t kairos__arima_n(const kairos__arima_fit_result *fit);
/* Standardised one-step innovations v_t / sqrt(F_t) (variance sigma2, as R's residuals()),
 * length kairos__arima_n(); NaN for the first d + D*m steps and at missing values. */
const double *kairos__arima_residuals(const kairos__arima_fit_result *fit);
/* Optimiser diagnostics: BFGS iterations of the ML stage, likelihood evaluations in total. */
int kairos__arima_iterations(const kairos__arima_fit_result *fit);
int kairos__arima_evaluations(const kairos__arima_fit_result *fit);

/*
 * Exact log-likelihood at given coefficients (R's order, as returned by the accessors,
 * regression coefficients included: nothing is estimated except sigma2, which is
 * concentrated out). For tests and diagnostics.
 * @return KAIROS_OK; KAIROS_EINVAL/ERANGE/EDATA as kairos__arima_fit; KAIROS_EMODEL when
 *   the AR part is not stationary.
 */
int kairos__arima_loglik_at(const double *y, size_t n, const kairos_arima_spec *spec,
                            const double *coef, size_t ncoef, double *loglik, double *sigma2);

/* ---- automatic order selection (auto.c) ------------------------------------------------ */

typedef struct kairos_arima_auto_opts {
    size_t period;           /* m; 0 or 1: non-seasonal search */
    int d, D;                /* -1: choose (d by repeated KPSS tests, D by seasonal strength) */
    int max_p, max_q, max_P, max_Q, max_order, max_d, max_D;
    int start_p, start_q, start_P, start_Q;
    int stepwise;            /* 1: Hyndman-Khandakar stepwise; 0: exhaustive within max_order */
    int allow_mean, allow_drift;
    int nmodels;             /* stop after this many candidates (stepwise) */
    int approximation;       /* 1: search with CSS fits and auto.arima's AIC offset, then fit
                                the best exactly; 0: exact ML throughout; -1: as auto.arima
                                (when n > 150 or m > 12) */
} kairos_arima_auto_opts;

/* forecast::auto.arima's defaults. */
#define KAIROS_ARIMA_AUTO_OPTS_INIT \
    { 0, -1, -1, 5, 5, 2, 2, 5, 2, 1, 2, 2, 1, 1, 1, 1, 1, 94, -1 }
int kairos__arima_auto_opts_init(kairos_arima_auto_opts *opts);

/* One model tried by the search: its specification, AICc (INFINITY when it failed or was
 * rejected for a root within 1.01 of the unit circle) and fit status. The chosen model's
 * exact AICc is kairos__arima_aicc() of the returned fit. */
typedef struct kairos__arima_candidate {
    kairos_arima_spec spec;
    double aicc;             /* approximate (CSS + offset) when approximate is set */
    int status;
    int approximate;
} kairos__arima_candidate;

/*
 * Choose and fit an ARIMA model by minimum AICc (see docs/arima.md).
 * @param candidates  optional: receives a malloc'd array (free()) of every model tried, in
 *                    order; n_candidates its length
 * @return KAIROS_OK; KAIROS_EINVAL; KAIROS_ERANGE (limits); KAIROS_EDATA (infinite, all
 *   missing, constant series); KAIROS_EMODEL (no candidate could be fitted); KAIROS_ENOMEM.
 */
int kairos__arima_auto(kairos__arima_fit_result **out, kairos__arima_candidate **candidates,
                       size_t *n_candidates, const double *y, size_t n,
                       const kairos_arima_auto_opts *opts);

/* The tests behind the choice of d and D, exposed for tests and reports. */
double kairos__arima_kpss(const double *x, size_t n);
int    kairos__arima_ndiffs(const double *x, size_t n, int max_d);
double kairos__arima_seasonal_strength(const double *x, size_t n, size_t m);

#endif /* KAIROS_FORECAST_ARIMA_H */
