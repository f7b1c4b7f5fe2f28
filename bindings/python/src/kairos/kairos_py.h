/* Glue between Python buffers and the public libkairos API, wrapped by SWIG (kairos.i).
 *
 * Every function here is a thin adapter: arrays arrive as (pointer, length) pairs taken from
 * Python buffers without copying (the typemaps in kairos.i check dtype and layout), options
 * arrive as scalars or small fixed-layout arrays, and the work is done by the public API.
 * Functions return a kpy_status: the typemap turns a negative code into a kairos.KairosError
 * subclass carrying kairos_last_error(), read on the same thread right after the call.
 * These names are private to the binding (the Python package is the supported surface). */
#ifndef KAIROS_PY_H
#define KAIROS_PY_H

#include <kairos/kairos.h>

typedef int kpy_status;

/* Layout of the fixed-size integer array that carries kairos_fit_opts' scalars; its two
 * strings beside the model name (ets_model, adjusted_model) are parameters of their own. */
enum kpy_fit_field {
    KPY_FIT_HORIZON = 0, KPY_FIT_PROFILE_SEASONS, KPY_FIT_P, KPY_FIT_D, KPY_FIT_Q,
    KPY_FIT_SP, KPY_FIT_SD, KPY_FIT_SQ, KPY_FIT_INCLUDE_MEAN, KPY_FIT_INCLUDE_DRIFT,
    KPY_FIT_EXHAUSTIVE, KPY_FIT_STL_ROBUST, KPY_FIT_STL_PERIODIC, KPY_FIT_STL_S_WINDOW,
    KPY_FIT_DHR_MAX_K, KPY_FIT_ADJUSTED_WINDOW, KPY_FIT_FIELDS
};

/* Layout of the plan options (doubles) and totals (doubles) arrays. */
enum kpy_plan_field {
    KPY_PLAN_TARGET = 0, KPY_PLAN_HEADROOM, KPY_PLAN_QUANTILE, KPY_PLAN_RISK, KPY_PLAN_MIN,
    KPY_PLAN_MAX, KPY_PLAN_UP, KPY_PLAN_DOWN, KPY_PLAN_STABILIZATION_S, KPY_PLAN_LEAD_TIME_S,
    KPY_PLAN_CURRENT, KPY_PLAN_FIELDS
};
enum kpy_totals_field {
    KPY_TOT_REPLICA_HOURS = 0, KPY_TOT_PEAK_REPLICAS, KPY_TOT_PEAK_STEP, KPY_TOT_SHORTFALL_MIN,
    KPY_TOT_MAX_P, KPY_TOT_MEAN_P, KPY_TOT_LEVEL, KPY_TOT_EXTRAPOLATED, KPY_TOT_LEAD_STEPS,
    KPY_TOT_STAB_STEPS, KPY_TOT_HOURS, KPY_TOT_FIELDS
};

/* Cost model (doubles) and cost report (doubles). */
enum kpy_cost_field {
    KPY_COST_CPU_PRICE = 0, KPY_COST_MEMORY_PRICE, KPY_COST_HOURS_PER_MONTH, KPY_COST_SPOT_SHARE,
    KPY_COST_SPOT_DISCOUNT, KPY_COST_SPOT_CPU_PRICE, KPY_COST_SPOT_MEMORY_PRICE, KPY_COST_FIELDS
};
enum kpy_cost_report_field {
    KPY_CR_REPLICA_HOURLY = 0, KPY_CR_HORIZON_HOURS, KPY_CR_REPLICA_HOURS, KPY_CR_MEAN_REPLICAS,
    KPY_CR_PEAK_REPLICAS, KPY_CR_PLAN_HORIZON, KPY_CR_PLAN_MONTH, KPY_CR_PEAK_MONTH,
    KPY_CR_CURRENT_MONTH, KPY_CR_DELTA_VS_CURRENT, KPY_CR_DELTA_VS_PEAK,
    KPY_CR_SAVINGS_VS_CURRENT, KPY_CR_SAVINGS_VS_PEAK, KPY_CR_FIELDS
};

/* ---- series ---- */
kpy_status kpy_series_from_arrays(kairos_series **out, const double *values, size_t n,
                                  const int64_t *timestamps, size_t n_timestamps);
kpy_status kpy_series_parse_csv(kairos_series **out, const char *text, size_t len,
                                const char *column);
kpy_status kpy_series_read_csv(kairos_series **out, const char *path, const char *column);
/* report: 8 int64 (points_in, points_out, reordered, merged, gaps, filled, largest_gap, step_s) */
kpy_status kpy_series_regularize(kairos_series **out, const kairos_series *in, int64_t step_s,
                                 int agg, int fill, int64_t *report, size_t n_report);
int kpy_series_has_timestamps(const kairos_series *s);
kpy_status kpy_series_copy(const kairos_series *s, double *values, size_t n,
                           int64_t *timestamps, size_t n_timestamps);
kpy_status kpy_parse_timestamp(const char *text, int64_t *out);
kpy_status kpy_format_timestamp(int64_t t, kairos_buf *text);

/* ---- models ---- */
kpy_status kpy_model_fit(kairos_model **out, const kairos_series *s, const char *model,
                         const char *ets_model, const char *adjusted_model,
                         const int64_t *periods, size_t n_periods, const int64_t *fit,
                         size_t n_fit);
kpy_status kpy_model_forecast(const kairos_model *m, const double *levels, size_t n_levels,
                              double *mean, size_t horizon, double *quantiles, size_t n_q);
kpy_status kpy_model_forecast_timestamps(const kairos_model *m, int64_t *out, size_t horizon);
kpy_status kpy_model_report_json(const kairos_model *m, kairos_buf *text);
kpy_status kpy_levels_to_quantiles(const double *levels, size_t n, double *out, size_t n_out);

/* ---- batch ---- */
kpy_status kpy_forecast_batch_dense(const double *values, size_t n_series, size_t len,
                                    size_t stride, size_t dist, const int64_t *timestamps,
                                    size_t ts_n, size_t ts_len, size_t ts_stride,
                                    size_t ts_dist, const char *model, const char *ets_model,
                                    const char *adjusted_model, const int64_t *periods,
                                    size_t n_periods, const int64_t *fit, size_t n_fit,
                                    const double *levels, size_t n_levels, size_t horizon,
                                    size_t n_threads, double *mean, size_t n_mean,
                                    double *quantiles, size_t n_q, int32_t *status,
                                    size_t n_status, char *messages, size_t n_messages);
kpy_status kpy_forecast_batch_ragged(const double *values, size_t n_values,
                                     const int64_t *offsets, size_t n_offsets,
                                     const int64_t *timestamps, size_t n_timestamps,
                                     const char *model, const char *ets_model,
                                     const char *adjusted_model, const int64_t *periods,
                                     size_t n_periods, const int64_t *fit, size_t n_fit,
                                     const double *levels, size_t n_levels, size_t horizon,
                                     size_t n_threads, double *mean, size_t n_mean,
                                     double *quantiles, size_t n_q, int32_t *status,
                                     size_t n_status, char *messages, size_t n_messages);

/* ---- backtests ---- */
/* bt: 5 int64 (horizon, windows, step, season, min_train); the result as kairos_backtest_result_json */
kpy_status kpy_backtest(const kairos_series *s, const char *model, const char *ets_model,
                        const char *adjusted_model, const int64_t *periods,
                        size_t n_periods, const int64_t *fit, size_t n_fit,
                        const double *quantiles, size_t n_quantiles, const double *levels,
                        size_t n_levels, const int64_t *bt, size_t n_bt, double msis_level,
                        kairos_buf *text);

/* ---- plan and cost ---- */
kpy_status kpy_plan(const double *mean, size_t horizon, const double *levels, size_t n_levels,
                    const double *quantiles, size_t n_q, int64_t step_s, const double *opts,
                    size_t n_opts, int64_t *replicas, size_t n_replicas, double *demand,
                    size_t n_demand, double *p_shortfall, size_t n_p, double *totals,
                    size_t n_totals);
kpy_status kpy_quantity_parse(const char *text, double *out);
kpy_status kpy_cost_plan(const int64_t *replicas, size_t horizon, int64_t step_s,
                         size_t current, double cpu_cores, double memory_bytes,
                         const double *model, size_t n_model, double *report, size_t n_report);

/* ---- KEDA ---- */
kpy_status kpy_keda_lint(const char *text, size_t len, kairos_buf *json);

/* ScaledObject options: the strings, and the numbers in this order. */
enum kpy_so_field {
    KPY_SO_MODE = 0, KPY_SO_MIN, KPY_SO_MAX, KPY_SO_IDLE, KPY_SO_FALLBACK, KPY_SO_POLLING_S,
    KPY_SO_COOLDOWN_S, KPY_SO_UP, KPY_SO_DOWN, KPY_SO_STABILIZATION_S, KPY_SO_MAX_WINDOWS,
    KPY_SO_EXTERNAL_PUSH, KPY_SO_THRESHOLD, KPY_SO_TARGET, KPY_SO_HEADROOM, KPY_SO_ACTIVATION,
    KPY_SO_CPU_REQUEST, KPY_SO_MEMORY_REQUEST, KPY_SO_AUTH_CLUSTER, KPY_SO_FIELDS
};
kpy_status kpy_keda_scaled_object(const int64_t *timestamps, size_t n_timestamps,
                                  int64_t step_s, const int64_t *replicas, size_t n_replicas,
                                  const char *name, const char *ns, const char *target_name,
                                  const char *target_kind, const char *timezone,
                                  const char *scaler_address, const char *external_metric,
                                  const char *prometheus_server, const char *query,
                                  const char *auth_name, const double *numbers,
                                  size_t n_numbers, kairos_buf *text);

#endif /* KAIROS_PY_H */
