/** @file kairos/forecast.h
 *  @brief Fit forecasting models and produce point forecasts with predictive quantiles.
 *
 *  One interface for every model: kairos_model_fit() picks the model by name, then
 *  kairos_model_forecast() gives the mean and any predictive quantiles. Models added later
 *  (ARIMA, seasonal decompositions, ETS) slot in behind the same calls.
 */
#ifndef KAIROS_FORECAST_H
#define KAIROS_FORECAST_H

#include <kairos/common.h>
#include <kairos/series.h>

KAIROS_BEGIN_DECLS

/** A fitted model. Immutable once fitted: share it freely between threads. */
typedef struct kairos_model kairos_model;

/**
 * What to fit. Model names (T = non-missing observations, m = seasonal period, h = step):
 * - `naive`:   the last observed value; sd σ√h.
 * - `snaive`:  the value one season earlier (an earlier season's when that one is missing);
 *              sd σ√k, k = seasons back from step h to the value used (⌊(h−1)/m⌋+1 when the
 *              last season is complete).
 * - `drift`:   the last value plus the mean step between the first and last observations;
 *              sd σ√(h(1+h/T)). Coefficient "drift".
 * - `mean`:    the mean of the history; sd σ√(1+1/T).
 * - `profile`: the mean of the same slot over the last @ref profile_seasons seasons,
 *              shifted to the level of the last season; sd σ√(⌊(h−1)/m⌋+1).
 * - `ets`:     exponential smoothing with additive errors (ANN … AAdA), chosen by AICc.
 * - `stl`, `mstl`: STL / MSTL decomposition; seasonal components repeated, the seasonally
 *              adjusted series forecast by automatic ARIMA (or ETS); sd from that model.
 * - `dhr`:     Fourier terms per period (K by AICc) with automatic ARIMA errors.
 * - `auto` (or NULL): the equal-weight combination of the best (up to 3) candidates — seasonal
 *              ARIMA, MSTL and the seasonal baselines, or naive/drift/mean/ETS without two
 *              seasons — ranked by rolling-origin cross-validation at the end of the history;
 *              quantiles averaged level by level (docs/models.md, "auto").
 * σ² is the variance of the model's in-sample one-step residuals; when the history ends in
 * missing values, h counts from the last observation. Seasonal models (`snaive`, `profile`)
 * use periods[0]; with no periods given they infer one from regular timestamps
 * (kairos_series_infer_periods()). See docs/models.md for the exact estimators.
 */
typedef struct kairos_fit_opts {
    unsigned      version;          /**< KAIROS_FIT_OPTS_VERSION */
    const char   *model;            /**< model name; NULL means "auto" */
    const size_t *periods;          /**< seasonal periods in steps, borrowed; NULL = infer */
    size_t        n_periods;        /**< entries in periods; 0 = infer from the timestamps */
    size_t        horizon;          /**< the horizon that will be asked (guides "auto"); 0 = unknown */
    size_t        profile_seasons;  /**< seasons averaged by "profile"; 0 = 4 */
    /* version 2: ARIMA ("arima" uses the orders; "autoarima" searches them) */
    int           arima_p, arima_d, arima_q;   /**< non-seasonal order; default 0,0,0 */
    int           arima_P, arima_D, arima_Q;   /**< seasonal order, on periods[0]; default 0,0,0 */
    int           include_mean;     /**< -1 = the model's default (R's: a mean when d+D = 0), 0, 1 */
    int           include_drift;    /**< -1 = the model's default (none for "arima"), 0, 1 */
    int           arima_exhaustive; /**< "autoarima": 1 = search every order, 0 = stepwise */
    /* version 3: seasonal models ("ets", "stl", "mstl", "dhr"; docs/models.md) */
    const char   *ets_model;        /**< "ets": "ANN", "AAN", "AAdN", "ANA", "AAA" or
                                         "AAdA"; NULL = the lowest AICc among them */
    const char   *adjusted_model;   /**< "stl"/"mstl": model of the seasonally adjusted
                                         series, "arima" (automatic; the default) or "ets" */
    int           stl_robust;       /**< "stl"/"mstl": 1 = robust loess (15 outer passes) */
    int           stl_periodic;     /**< "stl"/"mstl": 1 = s.window "periodic" */
    size_t        stl_s_window;     /**< "stl"/"mstl": seasonal loess window (odd, >= 7) for
                                         every period; 0 = 7 + 4i for the i-th smallest */
    size_t        dhr_max_k;        /**< "dhr": most sine/cosine pairs per period;
                                         0 = min(m/2, 12) */
    size_t        adjusted_window;  /**< "stl"/"mstl"/"dhr": the non-seasonal model (adjusted
                                         series, regression errors) sees the last this many
                                         points; 0 = 1024, SIZE_MAX = all (as R) */
    /* new fields are appended, never inserted */
} kairos_fit_opts;
#define KAIROS_FIT_OPTS_VERSION 3
#define KAIROS_FIT_OPTS_INIT \
    { KAIROS_FIT_OPTS_VERSION, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, \
      NULL, NULL, 0, 0, 0, 0, 0 }
/** Same as KAIROS_FIT_OPTS_INIT, for bindings. @return KAIROS_OK or KAIROS_EVERSION. */
KAIROS_API int kairos_fit_opts_init(kairos_fit_opts *opts, unsigned version);

/**
 * Fit a model to a series. The series is validated first (kairos_series_validate()); missing
 * values are skipped, never interpolated. The model keeps what it needs: the series can be
 * freed afterwards.
 * @param out   receives the fitted model, NULL on failure
 * @param opts  NULL for defaults; borrowed for the call
 * @return KAIROS_OK; KAIROS_EINVAL (unknown model name, a zero period, a seasonal model with
 *   no period given and none inferable); KAIROS_EDATA (series unusable, too short for the
 *   model, e.g. snaive needs one full season and one more point); KAIROS_EMODEL (the fit
 *   failed, or its numbers overflow double precision); KAIROS_EVERSION; KAIROS_ENOMEM.
 *   Thread-safety: safe.
 */
KAIROS_API int kairos_model_fit(kairos_model **out, const kairos_series *series,
                                const kairos_fit_opts *opts);

/** Release a model. NULL is fine. */
KAIROS_API void kairos_model_free(kairos_model *m);

typedef struct kairos_forecast_opts {
    unsigned      version;          /**< KAIROS_FORECAST_OPTS_VERSION */
    size_t        horizon;          /**< steps ahead, >= 1 */
    const double *quantiles;        /**< borrowed for the call; levels in (0,1) */
    size_t        n_quantiles;
    /* new fields are appended, never inserted */
} kairos_forecast_opts;
#define KAIROS_FORECAST_OPTS_VERSION 1
#define KAIROS_FORECAST_OPTS_INIT { KAIROS_FORECAST_OPTS_VERSION, 1, NULL, 0 }
/** Same as KAIROS_FORECAST_OPTS_INIT, for bindings. @return KAIROS_OK or KAIROS_EVERSION. */
KAIROS_API int kairos_forecast_opts_init(kairos_forecast_opts *opts, unsigned version);

/**
 * Forecast @p opts->horizon steps ahead.
 * @param opts       NULL for defaults (one step, no quantiles); borrowed for the call
 * @param mean       caller-owned, length horizon
 * @param quantiles  caller-owned, n_quantiles × horizon, row-major (row i is the quantile at
 *                   level opts->quantiles[i], in the order given); may be NULL when no
 *                   quantiles are asked
 * @return KAIROS_OK; KAIROS_EINVAL (horizon 0, a level outside (0,1), NULL buffers);
 *   KAIROS_EMODEL (a value would not be finite); KAIROS_EVERSION; KAIROS_ENOMEM.
 *   Never writes NaN or Inf, and writes nothing when it fails.
 * Thread-safety: safe on a shared model.
 */
KAIROS_API int kairos_model_forecast(const kairos_model *m, const kairos_forecast_opts *opts,
                                     double *mean, double *quantiles);

/**
 * Timestamps of the forecast steps: the last timestamp of the history plus k steps, k = 1..
 * horizon. The step is the history's kairos_series_step(), or the spacing of its timestamps
 * when they are strictly increasing and evenly spaced.
 * @param out  caller-owned, length @p horizon
 * @return KAIROS_OK; KAIROS_ENOTSUP when the history had no timestamps or no fixed step;
 *   KAIROS_ERANGE when a timestamp would overflow; KAIROS_EINVAL (NULL, horizon 0).
 *   Thread-safety: safe on a shared model.
 */
KAIROS_API int kairos_model_forecast_timestamps(const kairos_model *m, size_t horizon,
                                                int64_t *out);

/** A fitted model's summary. Statistics a model does not define are NaN. */
typedef struct kairos_model_info {
    unsigned    version;   /**< set by the caller: KAIROS_MODEL_INFO_VERSION */
    const char *name;      /**< the model actually fitted ("snaive", ...); owned by the model */
    size_t      period;    /**< seasonal period used, in steps; 0 when none */
    size_t      nobs;      /**< observations the fit used (baselines: residuals behind sigma2) */
    double      sigma2;    /**< residual (innovation) variance */
    double      loglik;
    double      aic;
    double      aicc;
    double      bic;
    /* new fields are appended, never inserted */
} kairos_model_info;
#define KAIROS_MODEL_INFO_VERSION 1
#define KAIROS_MODEL_INFO_INIT { KAIROS_MODEL_INFO_VERSION, NULL, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Describe a fitted model. @p info->version must be set; fields of later versions are left alone.
 * @return KAIROS_OK, KAIROS_EINVAL, KAIROS_EVERSION. Thread-safety: safe on a shared model.
 */
KAIROS_API int kairos_model_describe(const kairos_model *m, kairos_model_info *info);

/** Number of estimated coefficients (0 for baselines). */
KAIROS_API size_t kairos_model_coef_count(const kairos_model *m);

/**
 * The i-th coefficient, with R's name for it ("ar1", "sma1", "drift", ...).
 * @param name  receives a string owned by the model
 * @return KAIROS_OK or KAIROS_EINVAL (i out of range, NULL arguments).
 */
KAIROS_API int kairos_model_coef(const kairos_model *m, size_t i, const char **name,
                                 double *value);

/**
 * The model as a JSON object: `{"name":..,"order":[p,d,q],"seasonal_order":[P,D,Q],
 * "period":m,"coef":{name:value},"loglik":..,"sigma2":..,"aic":..,"aicc":..,"bic":..,
 * "nobs":n}`; members a model does not define are null. Some models add members after
 * "nobs": `profile` gives "profile_seasons"; `auto` gives "selected_by", "holdout" (steps per
 * CV window), "origins", "candidates" {name: CV MASE}, "members" [{"model","weight","widen"}]
 * and, when seasonal models were left out, "note". Appends to @p out (which may be
 * KAIROS_BUF_INIT; on failure it is left as it was); release with kairos_buf_dispose().
 * @return KAIROS_OK, KAIROS_EINVAL, KAIROS_ENOMEM. Thread-safety: safe on a shared model.
 */
KAIROS_API int kairos_model_report_json(const kairos_model *m, kairos_buf *out);

/**
 * Convert central interval levels in percent (80, 95) into quantile levels:
 * out[2i] = (1 − L_i/100)/2 and out[2i+1] = 1 − (1 − L_i/100)/2.
 * @param out  caller-owned, 2 × n entries
 * @return KAIROS_OK or KAIROS_EINVAL when a level is not in (0,100). Thread-safety: safe.
 */
KAIROS_API int kairos_levels_to_quantiles(const double *levels, size_t n, double *out);

KAIROS_END_DECLS

#endif /* KAIROS_FORECAST_H */
