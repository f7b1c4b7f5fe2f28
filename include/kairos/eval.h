/** @file kairos/eval.h
 *  @brief Forecast evaluation: accuracy metrics, rolling-origin backtests and split-conformal
 *  calibration of predictive quantiles.
 *
 *  Metrics follow the M4 competition (Makridakis, Spiliotis & Assimakopoulos 2020): sMAPE,
 *  MASE scaled by the in-sample seasonal-naive error, MSIS for a central interval, plus MAE,
 *  RMSE, MAPE, the pinball (quantile) loss and interval coverage. Every metric skips points
 *  whose actual value is missing (NaN). docs/evaluation.md gives the formulas.
 */
#ifndef KAIROS_EVAL_H
#define KAIROS_EVAL_H

#include <kairos/common.h>
#include <kairos/series.h>
#include <kairos/forecast.h>

KAIROS_BEGIN_DECLS

/* ---------------------------------------------------------------------------------------
 * Metrics on arrays
 *
 * Each takes @p n actual values @p y (NaN = missing: the point is skipped) and forecasts of
 * the same length, and writes the metric to @p out. They return KAIROS_OK; KAIROS_EINVAL for
 * a NULL array or @p out, or a forecast that is NaN or infinite where the actual value is
 * present; KAIROS_EDATA, with *out set to NaN, when the metric is undefined (no non-missing
 * actual value; MAPE with every actual 0; MASE and MSIS with a zero or undefined scale).
 * Thread-safety: safe (they only read their arguments).
 * ------------------------------------------------------------------------------------- */

/** Mean absolute error: mean |y − f|. */
KAIROS_API int kairos_metric_mae(const double *y, const double *f, size_t n, double *out);

/** Root mean squared error: sqrt(mean (y − f)²). */
KAIROS_API int kairos_metric_rmse(const double *y, const double *f, size_t n, double *out);

/** Mean absolute percentage error in percent: 100 · mean |y − f| / |y|, over the points
 *  whose actual value is not 0 (where it is undefined). */
KAIROS_API int kairos_metric_mape(const double *y, const double *f, size_t n, double *out);

/** Symmetric MAPE in percent, M4's definition: 200 · mean |y − f| / (|y| + |f|); a point
 *  where y = f = 0 contributes 0. Between 0 and 200. */
KAIROS_API int kairos_metric_smape(const double *y, const double *f, size_t n, double *out);

/**
 * Scale of MASE and MSIS: the in-sample mean absolute error of the seasonal naive forecast,
 * mean |x_t − x_{t−m}| over the pairs of @p train where both values are present (m = 1 gives
 * the naive forecast).
 * @return KAIROS_OK; KAIROS_EINVAL (NULL, m = 0); KAIROS_EDATA when no pair exists or the
 *   scale is 0 (*out is then NaN or 0). Thread-safety: safe.
 */
KAIROS_API int kairos_metric_naive_scale(const double *train, size_t n_train, size_t m,
                                         double *out);

/** Mean absolute scaled error: MAE / kairos_metric_naive_scale(train, m). */
KAIROS_API int kairos_metric_mase(const double *train, size_t n_train, size_t m,
                                  const double *y, const double *f, size_t n, double *out);

/** Mean pinball (quantile) loss of the quantile forecast @p q at level @p level in (0,1):
 *  mean of level·(y − q) where y ≥ q, (1 − level)·(q − y) where y < q. In the units of y. */
KAIROS_API int kairos_metric_pinball(const double *y, const double *q, size_t n, double level,
                                     double *out);

/** Interval coverage: the share (0 to 1) of points with lo ≤ y ≤ hi. */
KAIROS_API int kairos_metric_coverage(const double *y, const double *lo, const double *hi,
                                      size_t n, double *out);

/**
 * Mean scaled interval score of the central (1 − @p alpha) interval [lo, hi], M4's
 * definition: mean of (hi − lo) + (2/alpha)(lo − y)·[y < lo] + (2/alpha)(y − hi)·[y > hi],
 * divided by kairos_metric_naive_scale(train, m). @p alpha in (0,1): 0.05 for 95 %.
 */
KAIROS_API int kairos_metric_msis(const double *train, size_t n_train, size_t m,
                                  const double *y, const double *lo, const double *hi, size_t n,
                                  double alpha, double *out);

/* ---------------------------------------------------------------------------------------
 * Rolling-origin backtest
 * ------------------------------------------------------------------------------------- */

/**
 * How to backtest. Window k = 1..K trains on the first o_k points of the series and scores
 * the next H: o_k = n − H − (K − k)·S, so the last window ends at the end of the series and
 * consecutive origins are S steps apart (windows overlap when S < H).
 */
typedef struct kairos_backtest_opts {
    unsigned      version;       /**< KAIROS_BACKTEST_OPTS_VERSION */
    size_t        horizon;       /**< H, steps scored per window, >= 1 */
    size_t        windows;       /**< K; 0 = 5 */
    size_t        step;          /**< S, steps between origins; 0 = H */
    const double *quantiles;     /**< levels in (0,1) scored by the pinball loss; borrowed */
    size_t        n_quantiles;
    const double *levels;        /**< central intervals in percent, (0,100), scored by
                                      coverage; borrowed */
    size_t        n_levels;
    double        msis_level;    /**< percent of the interval MSIS scores; 0 = 95 */
    size_t        season;        /**< m of the MASE/MSIS scale; 0 = the fit's first period,
                                      else the first period inferred from the timestamps
                                      (kairos_series_infer_periods()), else 1 */
    size_t        min_train;     /**< fewest training points of the first window; 0 = 1
                                      (the model then says what it needs) */
    /* new fields are appended, never inserted */
} kairos_backtest_opts;
#define KAIROS_BACKTEST_OPTS_VERSION 1
#define KAIROS_BACKTEST_OPTS_INIT \
    { KAIROS_BACKTEST_OPTS_VERSION, 1, 0, 0, NULL, 0, NULL, 0, 0.0, 0, 0 }
/** Same as KAIROS_BACKTEST_OPTS_INIT, for bindings. @return KAIROS_OK or KAIROS_EVERSION. */
KAIROS_API int kairos_backtest_opts_init(kairos_backtest_opts *opts, unsigned version);

/** Point and interval metrics of a set of scored points. NaN where undefined. */
typedef struct kairos_metrics {
    size_t n;        /**< points scored (non-missing actual values) */
    double mae, rmse, mape, smape;
    double mase;     /**< MAE / the window's in-sample seasonal-naive MAE */
    double msis;     /**< at kairos_backtest_result.msis_level */
} kairos_metrics;

/** One backtest window. Arrays point into the result and live as long as it does. */
typedef struct kairos_backtest_window {
    size_t        origin;        /**< training points; the window scores [origin, origin+H) */
    int64_t       start_time;    /**< timestamp of the first scored point; 0 without
                                      (see kairos_backtest_result.timed) */
    char          model[32];     /**< the model fitted (for "auto": the one it chose) */
    size_t        period;        /**< its seasonal period, 0 when none */
    double        scale;         /**< in-sample seasonal-naive MAE of the training part */
    kairos_metrics metrics;
    const double *pinball;       /**< n_quantiles mean pinball losses */
    const double *coverage;      /**< n_levels coverages, 0 to 1 */
    const double *actual;        /**< H actual values (NaN = missing) */
    const double *mean;          /**< H mean forecasts */
    const double *lower, *upper; /**< H bounds of the msis_level interval */
    const double *spread;        /**< H predictive scales (q(Φ(1)) − q(Φ(−1)))/2: the sd of a
                                      Gaussian forecast */
} kairos_backtest_window;

/**
 * A backtest's results. Build with KAIROS_BACKTEST_RESULT_INIT; everything it points to is
 * owned by the library and released by kairos_backtest_result_dispose().
 *
 * Aggregates: `overall` MAE, RMSE, MAPE, sMAPE, pinball and coverage pool every scored point
 * of every window (RMSE is the root of the pooled mean square); MASE and MSIS are the mean of
 * the windows' values, each window scaled by its own training data, as M4 averages per-series
 * values.
 */
typedef struct kairos_backtest_result {
    unsigned  version;           /**< set by the caller: KAIROS_BACKTEST_RESULT_VERSION */
    size_t    horizon, step, n_windows;
    size_t    season;            /**< m used for MASE and MSIS */
    double    msis_level;        /**< percent */
    int       timed;             /**< 1 when the series has timestamps (start_time is set) */
    size_t    n_quantiles, n_levels;
    const double *quantiles;     /**< the levels scored (copies) */
    const double *levels;        /**< the interval levels scored (copies), percent */
    kairos_backtest_window *windows;   /**< n_windows, oldest origin first */
    kairos_metrics overall;
    const double *pinball;       /**< n_quantiles, pooled */
    const double *coverage;      /**< n_levels, pooled */
    void     *internal;          /**< storage; do not touch */
    /* new fields are appended, never inserted */
} kairos_backtest_result;
#define KAIROS_BACKTEST_RESULT_VERSION 1
#define KAIROS_BACKTEST_RESULT_INIT \
    { KAIROS_BACKTEST_RESULT_VERSION, 0, 0, 0, 0, 0.0, 0, 0, 0, NULL, NULL, NULL, \
      { 0, 0, 0, 0, 0, 0, 0 }, NULL, NULL, NULL }

/**
 * Rolling-origin evaluation: for each window, fit the model @p fit names to the points
 * before its origin (kairos_model_fit(), fit->horizon defaulting to H) and score the next H
 * points. Deterministic: the same inputs give the same numbers, bit for bit.
 * @param result  caller's struct with version set; filled on success, left empty on failure
 * @param fit     NULL for defaults ("auto"); borrowed
 * @return KAIROS_OK; KAIROS_EDATA when the series is too short for K windows (the message
 *   gives the length needed) or a window's model cannot be fitted to its training part (the
 *   message names the window); KAIROS_EINVAL (bad options, unknown model); KAIROS_EMODEL;
 *   KAIROS_EVERSION; KAIROS_ENOMEM. Thread-safety: safe.
 */
KAIROS_API int kairos_backtest(kairos_backtest_result *result, const kairos_series *s,
                               const kairos_fit_opts *fit, const kairos_backtest_opts *opts);

/** Release what a result holds and reset it to empty (its version is kept). NULL is fine. */
KAIROS_API void kairos_backtest_result_dispose(kairos_backtest_result *result);

/**
 * The result as JSON: `{"horizon":H,"windows":K,"step":S,"season":m,"msis_level":95,
 * "quantiles":[..],"levels":[..],"per_window":[{"window":1,"origin":o,"start":"ISO"|null,
 * "model":"..","period":m|null,"n":..,"mae":..,"rmse":..,"mape":..,"smape":..,"mase":..,
 * "msis":..,"pinball":{"0.1":..},"coverage":{"80":..}}, ...],"aggregate":{"n":..,"mae":..,
 * ..,"pinball":{..},"coverage":{..}}}`; undefined values are null. Appends to @p out (left as
 * it was on failure); release with kairos_buf_dispose().
 * @return KAIROS_OK, KAIROS_EINVAL, KAIROS_ENOMEM. Thread-safety: safe.
 */
KAIROS_API int kairos_backtest_result_json(const kairos_backtest_result *result,
                                           kairos_buf *out);

/* ---------------------------------------------------------------------------------------
 * Calibration
 * ------------------------------------------------------------------------------------- */

/**
 * Fit a model whose quantiles are calibrated by split-conformal prediction on a backtest.
 *
 * Runs kairos_backtest() with @p bt (its quantiles, levels and msis_level are ignored; with
 * its own defaults: step 0 means ⌈H/2⌉, and windows 0 means as many windows, 5 to 20, as
 * leave the first one at least half of the series to train on) and
 * keeps, for each step h = 1..H, the standardized errors z = (y − ŷ)/s of every window, where
 * ŷ is the window's mean and s its predictive scale, (q(Φ(1)) − q(Φ(−1)))/2 — the sd for a
 * Gaussian forecast. Then fits the model to the whole series. The new model's mean is that
 * model's; its quantile at level p and step h is ŷ_h + s_h · ẑ_p, where ẑ_p is the conformal
 * quantile (the ⌈(n+1)p⌉-th smallest of n scores for p ≥ 1/2, the ⌊(n+1)p⌋-th for p < 1/2)
 * of the scores at step h — pooled with neighbouring steps when step h alone has too few for
 * the most extreme level asked (at least 20 and at least max(p,1−p)/min(p,1−p) scores). So
 * intervals widen or
 * narrow to the coverage the backtest saw. Steps beyond H use step H's scores. A level that
 * even all scores cannot support keeps the model's own quantile. docs/evaluation.md states
 * the method and its finite-sample guarantee.
 *
 * The returned model is immutable and independent of @p s; kairos_model_describe() and the
 * report describe the underlying model, and the report adds
 * `"calibration":{"method":"split-conformal",...,"windows":K,...}`.
 * @param out  receives the new model (free with kairos_model_free()), NULL on failure
 * @return as kairos_backtest() and kairos_model_fit(). Thread-safety: safe.
 */
KAIROS_API int kairos_model_calibrate(kairos_model **out, const kairos_series *s,
                                      const kairos_fit_opts *fit,
                                      const kairos_backtest_opts *bt);

KAIROS_END_DECLS

#endif /* KAIROS_EVAL_H */
