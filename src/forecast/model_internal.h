/* The forecast module's internal model interface. Not installed.
 *
 * Every model (the baselines here; ARIMA, STL/MSTL, ETS, Fourier regression later) is a
 * kairos__model_vtable registered in model.c. The generic code in model.c owns everything
 * models have in common — option and series checks, seasonal period resolution, the
 * timestamps of the history, the summary statistics, coefficients, the JSON report, turning a
 * predictive distribution into quantiles, and refusing non-finite output — so a model only
 * estimates its parameters and predicts.
 *
 * Life of a model:
 *   kairos_model_fit()  → resolve options → kairos__model_fit_vtable(vt, data)
 *                          → vt->fit(m, data)              (sets state, sigma2, nobs, …)
 *                          → a trial prediction must be finite
 *   kairos_model_forecast() → vt->predict_quantiles(...) when the model has it, else
 *                             vt->predict(mean, sd) and mean + sd·Φ⁻¹(p)
 *   kairos_model_free()  → vt->free_state(m->state), then the generic parts.
 * A fitted model is immutable: predict hooks take a const model and may only allocate scratch.
 */
#ifndef KAIROS_FORECAST_MODEL_INTERNAL_H
#define KAIROS_FORECAST_MODEL_INTERNAL_H

#include <kairos/forecast.h>
#include "core/internal.h"

#include <stdbool.h>

/* What a model is fitted to. Everything is borrowed for the duration of fit(). */
typedef struct kairos__fit_data {
    const double *y;               /* n values in time order; NaN = missing, never ±Inf */
    size_t        n;               /* points, missing ones included */
    size_t        period;          /* first seasonal period in steps; 0 when none is known */
    const size_t *periods;         /* every known period (each >= 1), or NULL when none */
    size_t        n_periods;
    size_t        horizon;         /* horizon the caller means to ask; 0 = unknown */
    size_t        profile_seasons; /* seasons averaged by "profile", defaults resolved (>= 1) */
    const kairos_fit_opts *opts;   /* the caller's options upgraded to the current version
                                    * (newer fields at their defaults), for model-specific
                                    * fields such as ARIMA orders; never NULL */
} kairos__fit_data;

/* Flags of a model class. */
enum {
    KAIROS__MODEL_SEASONAL = 1u << 0,  /* needs a seasonal period (data->period >= 1) */
    KAIROS__MODEL_PERIODIC = 1u << 1   /* uses a period when one is given or can be inferred */
};

typedef struct kairos__model_vtable {
    const char *name;      /* the name users pass ("snaive"); reported as the model's name */
    unsigned    flags;     /* KAIROS__MODEL_* */

    /* Estimate the model from @p d. Sets m->state and the statistics it defines (sigma2,
     * nobs, period, loglik/aic/aicc/bic — these start as NaN/0), and coefficients through
     * kairos__model_add_coef(). Returns KAIROS_OK or a status set with kairos__fail()
     * (KAIROS_EDATA when the data are too short for the model, KAIROS_EMODEL when the
     * estimate fails). On failure the caller frees whatever m already holds. */
    int (*fit)(kairos_model *m, const kairos__fit_data *d);

    /* Point forecast and predictive standard deviation of the Gaussian forecast
     * distribution for steps 1..horizon. Must not modify the model (it may be shared between
     * threads). Non-finite output is caught by the caller. */
    int (*predict)(const kairos_model *m, size_t horizon, double *mean, double *sd);

    /* Optional. Predictive quantiles for levels[0..n_levels) (each in (0,1)), row-major
     * n_levels × horizon, plus the mean. When present it replaces the Gaussian rule
     * mean + sd·Φ⁻¹(p) — for calibrated residual quantiles, bootstrap paths or
     * transformations. Same immutability rule as predict. */
    int (*predict_quantiles)(const kairos_model *m, size_t horizon, const double *levels,
                             size_t n_levels, double *mean, double *quantiles);

    /* Optional. Release m->state; NULL means free(). */
    void (*free_state)(void *state);

    /* Optional. Extra members of the JSON report, appended after "nobs", each written as
     * `,"key":value`. */
    int (*report_extra)(const kairos_model *m, kairos_buf *out);
} kairos__model_vtable;

typedef struct kairos__coef {
    char  *name;           /* R's name: "ar1", "sma1", "intercept", "drift", … */
    double value;
} kairos__coef;

/* How "auto" chose and combined its members, for the report. A plain struct (no pointers):
 * wrappers such as the calibrated model copy it by assignment. */
#define KAIROS__MAX_CANDIDATES 24
#define KAIROS__MAX_MEMBERS 3
typedef struct kairos__selection {
    const char *rule;      /* static text, e.g. "rolling-origin CV (MASE), mean of the best" */
    size_t      holdout;   /* steps per cross-validation window; 0 when none */
    size_t      origins;   /* cross-validation origins; 0 when none */
    size_t      n_scored;  /* candidates that could be scored */
    char        candidate[KAIROS__MAX_CANDIDATES][40];   /* "arima(1,0,1)(0,1,1)[24]", … */
    double      score[KAIROS__MAX_CANDIDATES];       /* mean CV MASE of each */
    double      widen[KAIROS__MAX_CANDIDATES];       /* interval factor from the CV errors */
    size_t      n_members;                           /* members combined (>= 1) */
    char        member[KAIROS__MAX_MEMBERS][40];
    double      weight[KAIROS__MAX_MEMBERS];
    char        note[200];                           /* e.g. why seasonal models were left out */
} kairos__selection;

struct kairos_model {
    const kairos__model_vtable *vt;
    void   *state;              /* model-specific, owned; released by vt->free_state */

    size_t  period;             /* seasonal period used; 0 when none */
    size_t  nobs;               /* observations the estimate used (see docs/models.md) */
    double  sigma2;             /* residual (innovation) variance */
    double  loglik, aic, aicc, bic;   /* NaN when the model does not define them */

    /* ARIMA-style orders for the report; absent (null) unless a model sets them. */
    bool    has_order, has_seasonal_order;
    size_t  order[3], seasonal_order[3];

    kairos__coef *coef;         /* n_coef entries, owned */
    size_t  n_coef, cap_coef;

    /* When the history ended, for kairos_model_forecast_timestamps(). */
    bool    has_time;
    int64_t last_time;          /* timestamp of the last point of the history */
    int64_t step_s;             /* fixed step; 0 when the history had none */

    kairos__selection *selection;   /* set by "auto"; NULL otherwise */
};

/* The caller's fit options as a struct of the current version (NULL = defaults): a caller
 * built against an older header passes a shorter struct, whose newer fields take their
 * defaults. KAIROS_OK or KAIROS_EVERSION. */
int kairos__fit_opts_upgrade(const kairos_fit_opts *in, kairos_fit_opts *out);

/* The registered model classes (model.c): NULL when @p name is not one. */
const kairos__model_vtable *kairos__model_lookup(const char *name);
/* Names of every model, for messages: "auto, naive, …". Static text. */
const char *kairos__model_names(void);

/* Fit one model class to @p d: allocate, vt->fit, check the result is finite.
 * On failure *out is NULL and nothing leaks. */
int kairos__model_fit_vtable(kairos_model **out, const kairos__model_vtable *vt,
                             const kairos__fit_data *d);

/* Mean forecast of a fitted model for steps 1..horizon, whatever hooks it has. */
int kairos__model_predict_mean(const kairos_model *m, size_t horizon, double *mean);

/* Append a coefficient (the name is copied). KAIROS_OK or KAIROS_ENOMEM. */
int kairos__model_add_coef(kairos_model *m, const char *name, double value);

/* "auto" (auto.c): rank candidates by rolling-origin cross-validation and return the
 * equal-weight combination of the best few, fitted to all of @p d (docs/models.md). */
int kairos__fit_auto(kairos_model **out, const kairos__fit_data *d);

/* The baselines (baseline.c, seasonal.c). */
extern const kairos__model_vtable kairos__naive_model;
extern const kairos__model_vtable kairos__snaive_model;
extern const kairos__model_vtable kairos__drift_model;
extern const kairos__model_vtable kairos__mean_model;
extern const kairos__model_vtable kairos__profile_model;
/* ARIMA with given orders, and the automatic order search (arima_model.c). */
extern const kairos__model_vtable kairos__arima_model;
extern const kairos__model_vtable kairos__autoarima_model;

/* The seasonal models (seasonal/: ets_model.c, decomp_model.c, dhr.c). */
extern const kairos__model_vtable kairos__ets_model;
extern const kairos__model_vtable kairos__stl_model;
extern const kairos__model_vtable kairos__mstl_model;
extern const kairos__model_vtable kairos__dhr_model;

/* quantiles[i·horizon + h] = mean[h] + sd[h]·Φ⁻¹(levels[i]); exactly mean[h] when sd[h] = 0. */
void kairos__gaussian_quantiles(const double *mean, const double *sd, size_t horizon,
                                const double *levels, size_t n_levels, double *quantiles);

#endif /* KAIROS_FORECAST_MODEL_INTERNAL_H */
