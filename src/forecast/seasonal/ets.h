/* ETS engine: internal API (not installed, not exported).
 *
 * Exponential smoothing with additive errors in the innovations state-space form of
 * Hyndman, Koehler, Ord & Snyder, "Forecasting with Exponential Smoothing: The State Space
 * Approach" (Springer, 2008), ch. 2 and 5. Models ETS(A,N,N), (A,A,N), (A,Ad,N), (A,N,A),
 * (A,A,A) and (A,Ad,A):
 *
 *   ŷ_t = l_{t−1} + φ b_{t−1} + s_{t−m}          e_t = y_t − ŷ_t
 *   l_t = l_{t−1} + φ b_{t−1} + α e_t
 *   b_t = φ b_{t−1} + β e_t
 *   s_t = s_{t−m} + γ e_t
 *
 * Parameters and initial states are estimated by maximum likelihood in the form R's
 * forecast::ets uses for additive errors: minimise T·log(Σ e_t²) (σ² concentrated out),
 * under the "usual" bounds 1e-4 ≤ α ≤ 0.9999, 1e-4 ≤ β ≤ α, 1e-4 ≤ γ ≤ 1 − α,
 * 0.8 ≤ φ ≤ 0.98. Missing values are skipped: their innovation is 0, so the states carry on
 * by their one-step prediction. Fitted results are immutable; nothing prints or aborts.
 */
#ifndef KAIROS_FORECAST_ETS_H
#define KAIROS_FORECAST_ETS_H

#include <kairos/common.h>
#include <stdbool.h>
#include <stddef.h>

/* Seasonal ETS is refused above this period, as R's ets does: m − 1 free initial seasonal
 * states make the likelihood surface too large for the optimiser to be trusted. */
#define KAIROS_ETS_MAX_SEASONAL_PERIOD 24

typedef struct kairos__ets_spec {
    bool   trend;     /* additive trend b */
    bool   damped;    /* damped trend φ (needs trend) */
    size_t period;    /* m for an additive season; 0 or 1 = no season */
} kairos__ets_spec;

typedef struct kairos__ets_fit kairos__ets_fit;

/* Parse "ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA" (the error letter must be A). The period
 * of a seasonal spec is set to @p period. KAIROS_EINVAL for any other name. */
int kairos__ets_parse(const char *name, size_t period, kairos__ets_spec *spec);

/* Estimate one model by maximum likelihood (see above). KAIROS_EDATA when the series is too
 * short (fewer than np + 2 observations, np counting σ), all missing or constant, or the
 * period exceeds KAIROS_ETS_MAX_SEASONAL_PERIOD or the series has fewer than 2 periods;
 * KAIROS_EMODEL when no finite likelihood was found; KAIROS_ENOMEM. */
int kairos__ets_fit_spec(kairos__ets_fit **out, const double *y, size_t n,
                         const kairos__ets_spec *spec);

/* Evaluate a model at given parameters (no estimation): @p par is R's ets parameter vector
 * (alpha, [beta], [gamma], [phi], l, [b], [s0 … s_{m−2}]) — the last seasonal state is
 * minus the sum of the others. For tests against R's fits. */
int kairos__ets_fit_fixed(kairos__ets_fit **out, const double *y, size_t n,
                          const kairos__ets_spec *spec, const double *par, size_t n_par);

/* Choose among the six additive-error models by AICc (seasonal ones only when
 * 2 ≤ period ≤ KAIROS_ETS_MAX_SEASONAL_PERIOD and the series covers two periods).
 * A constant series gets ETS(A,N,N) with σ² = 0. */
int kairos__ets_auto(kairos__ets_fit **out, const double *y, size_t n, size_t period);

void kairos__ets_fit_free(kairos__ets_fit *fit);

/* Forecast means and (when sd is not NULL) standard deviations for steps 1..h, from the
 * class 1 variance formulas of Hyndman et al. (2008, §6.3, Table 6.1). */
int kairos__ets_forecast(const kairos__ets_fit *fit, size_t h, double *mean, double *sd);

/* Accessors. */
const kairos__ets_spec *kairos__ets_fit_spec_of(const kairos__ets_fit *fit);
const char *kairos__ets_label(const kairos__ets_fit *fit);   /* "ETS(A,Ad,N)" */
double kairos__ets_loglik(const kairos__ets_fit *fit);       /* −T/2·log(Σe²), R's form */
double kairos__ets_aic(const kairos__ets_fit *fit);
double kairos__ets_aicc(const kairos__ets_fit *fit);
double kairos__ets_bic(const kairos__ets_fit *fit);
double kairos__ets_sigma2(const kairos__ets_fit *fit);       /* Σe² / (T − #par) */
size_t kairos__ets_nobs(const kairos__ets_fit *fit);         /* T, observed points */
/* The estimated parameter vector in R's order (see kairos__ets_fit_fixed) and names. */
size_t kairos__ets_par_count(const kairos__ets_fit *fit);
double kairos__ets_par(const kairos__ets_fit *fit, size_t i);
/* Writes the name into @p buf (≥ 16 bytes): "alpha", "l", "s3", … */
void kairos__ets_par_name(const kairos__ets_fit *fit, size_t i, char *buf, size_t size);

/* Starting values for the optimiser (ets_init.c): R's parameter vector in @p par and initial
 * simplex steps in @p step, both of the spec's parameter count. KAIROS_ENOMEM only. */
int kairos__ets_start(const kairos__ets_spec *spec, const double *y, size_t n, double *par,
                      double *step);

/* Nelder–Mead minimiser shared by the seasonal models (nelder_mead.c). Minimises f over
 * R^dim from x (overwritten with the best point) with initial simplex steps @p step;
 * f may return +Inf to reject a point. Stops when the spread of the simplex values falls
 * below reltol·(|f|+reltol) or after max_eval evaluations. Returns the best value or NaN
 * on allocation failure. */
double kairos__nelder_mead(double (*f)(const double *x, void *ctx), void *ctx, double *x,
                           const double *step, size_t dim, double reltol, size_t max_eval);

#endif /* KAIROS_FORECAST_ETS_H */
