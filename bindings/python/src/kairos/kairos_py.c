/* Glue between Python buffers and the public libkairos API (see kairos_py.h). Only public
 * calls are used, so the binding exercises exactly what a C user gets. */
#include "kairos_py.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Errors raised here (rather than by the library) use the same channel: a status code and a
 * thread-local message. kairos_last_error() cannot be set from outside, so the glue keeps its
 * own message and the wrapper prefers it when set. */
static _Thread_local char glue_error[256];

const char *kpy_glue_error(void);
const char *kpy_glue_error(void)
{
    return glue_error;
}

static kpy_status glue_fail(int status, const char *what)
{
    snprintf(glue_error, sizeof glue_error, "%s", what);
    return status;
}

static void glue_clear(void)
{
    glue_error[0] = '\0';
}

/* ---- series ------------------------------------------------------------------------------ */

kpy_status kpy_series_from_arrays(kairos_series **out, const double *values, size_t n,
                                  const int64_t *timestamps, size_t n_timestamps)
{
    glue_clear();
    if (timestamps && n_timestamps != n)
        return glue_fail(KAIROS_EINVAL, "timestamps and values differ in length");
    return kairos_series_from_arrays(out, values, timestamps, n);
}

kpy_status kpy_series_parse_csv(kairos_series **out, const char *text, size_t len,
                                const char *column)
{
    glue_clear();
    kairos_csv_opts opts = KAIROS_CSV_OPTS_INIT;
    opts.column = column;
    return kairos_series_parse_csv(out, text, len, &opts);
}

kpy_status kpy_series_read_csv(kairos_series **out, const char *path, const char *column)
{
    glue_clear();
    kairos_csv_opts opts = KAIROS_CSV_OPTS_INIT;
    opts.column = column;
    return kairos_series_read_csv(out, path, &opts);
}

kpy_status kpy_series_regularize(kairos_series **out, const kairos_series *in, int64_t step_s,
                                 int agg, int fill, int64_t *report, size_t n_report)
{
    glue_clear();
    if (n_report < 8)
        return glue_fail(KAIROS_EINVAL, "regularize report needs 8 entries");
    kairos_regularize_opts opts = KAIROS_REGULARIZE_OPTS_INIT;
    opts.step_s = step_s;
    opts.agg = (kairos_agg)agg;
    opts.fill = (kairos_fill)fill;
    kairos_regularize_report r;
    memset(&r, 0, sizeof r);
    int rc = kairos_series_regularize(out, in, &opts, &r);
    if (rc == KAIROS_OK) {
        report[0] = (int64_t)r.points_in;
        report[1] = (int64_t)r.points_out;
        report[2] = (int64_t)r.reordered;
        report[3] = (int64_t)r.merged;
        report[4] = (int64_t)r.gaps;
        report[5] = (int64_t)r.filled;
        report[6] = (int64_t)r.largest_gap;
        report[7] = r.step_s;
    }
    return rc;
}

int kpy_series_has_timestamps(const kairos_series *s)
{
    return kairos_series_timestamps(s) != NULL;
}

kpy_status kpy_series_copy(const kairos_series *s, double *values, size_t n,
                           int64_t *timestamps, size_t n_timestamps)
{
    glue_clear();
    size_t len = kairos_series_length(s);
    if (n != len || (timestamps && n_timestamps != len))
        return glue_fail(KAIROS_EINVAL, "output arrays do not match the series length");
    if (len)
        memcpy(values, kairos_series_values(s), len * sizeof *values);
    const int64_t *ts = kairos_series_timestamps(s);
    if (timestamps && ts && len)
        memcpy(timestamps, ts, len * sizeof *timestamps);
    return KAIROS_OK;
}

kpy_status kpy_parse_timestamp(const char *text, int64_t *out)
{
    glue_clear();
    return kairos_parse_timestamp(text, strlen(text), out);
}

kpy_status kpy_format_timestamp(int64_t t, kairos_buf *text)
{
    glue_clear();
    char tmp[32];
    int rc = kairos_format_timestamp(t, tmp, sizeof tmp);
    if (rc != KAIROS_OK)
        return rc;
    size_t n = strlen(tmp);
    text->data = malloc(n + 1);
    if (!text->data)
        return glue_fail(KAIROS_ENOMEM, "out of memory");
    memcpy(text->data, tmp, n + 1);
    text->len = n;
    text->cap = n + 1;
    return KAIROS_OK;
}

/* ---- models ------------------------------------------------------------------------------ */

/* periods arrive as int64 from Python; the library wants size_t. */
static kpy_status fill_fit_opts(kairos_fit_opts *opts, size_t *periods_out, const char *model,
                                const char *ets_model, const char *adjusted_model,
                                const int64_t *periods, size_t n_periods, const int64_t *fit,
                                size_t n_fit)
{
    if (n_fit != KPY_FIT_FIELDS)
        return glue_fail(KAIROS_EINVAL, "fit options array has the wrong length");
    if (n_periods > 16)
        return glue_fail(KAIROS_EINVAL, "at most 16 seasonal periods");
    for (size_t i = 0; i < n_periods; i++) {
        if (periods[i] < 0)
            return glue_fail(KAIROS_EINVAL, "a seasonal period is negative");
        periods_out[i] = (size_t)periods[i];
    }
    for (size_t i = 0; i < KPY_FIT_FIELDS; i++)
        if (fit[i] < -1 || (fit[i] > (int64_t)1 << 40 && i != KPY_FIT_ADJUSTED_WINDOW))
            return glue_fail(KAIROS_EINVAL, "a fit option is out of range");
    kairos_fit_opts_init(opts, KAIROS_FIT_OPTS_VERSION);
    opts->model = model;
    opts->periods = n_periods ? periods_out : NULL;
    opts->n_periods = n_periods;
    opts->horizon = (size_t)(fit[KPY_FIT_HORIZON] > 0 ? fit[KPY_FIT_HORIZON] : 0);
    opts->profile_seasons = (size_t)(fit[KPY_FIT_PROFILE_SEASONS] > 0
                                     ? fit[KPY_FIT_PROFILE_SEASONS] : 0);
    opts->arima_p = (int)fit[KPY_FIT_P];
    opts->arima_d = (int)fit[KPY_FIT_D];
    opts->arima_q = (int)fit[KPY_FIT_Q];
    opts->arima_P = (int)fit[KPY_FIT_SP];
    opts->arima_D = (int)fit[KPY_FIT_SD];
    opts->arima_Q = (int)fit[KPY_FIT_SQ];
    opts->include_mean = (int)fit[KPY_FIT_INCLUDE_MEAN];
    opts->include_drift = (int)fit[KPY_FIT_INCLUDE_DRIFT];
    opts->arima_exhaustive = (int)fit[KPY_FIT_EXHAUSTIVE];
    opts->ets_model = ets_model;
    opts->adjusted_model = adjusted_model;
    opts->stl_robust = (int)fit[KPY_FIT_STL_ROBUST];
    opts->stl_periodic = (int)fit[KPY_FIT_STL_PERIODIC];
    opts->stl_s_window = (size_t)(fit[KPY_FIT_STL_S_WINDOW] > 0 ? fit[KPY_FIT_STL_S_WINDOW] : 0);
    opts->dhr_max_k = (size_t)(fit[KPY_FIT_DHR_MAX_K] > 0 ? fit[KPY_FIT_DHR_MAX_K] : 0);
    /* -1 stands for "all points" (SIZE_MAX, as R) */
    opts->adjusted_window = fit[KPY_FIT_ADJUSTED_WINDOW] < 0 ? SIZE_MAX
                          : (size_t)fit[KPY_FIT_ADJUSTED_WINDOW];
    return KAIROS_OK;
}

kpy_status kpy_model_fit(kairos_model **out, const kairos_series *s, const char *model,
                         const char *ets_model, const char *adjusted_model,
                         const int64_t *periods, size_t n_periods, const int64_t *fit,
                         size_t n_fit)
{
    glue_clear();
    kairos_fit_opts opts;
    size_t p[16];
    int rc = fill_fit_opts(&opts, p, model, ets_model, adjusted_model, periods, n_periods,
                           fit, n_fit);
    if (rc != KAIROS_OK)
        return rc;
    return kairos_model_fit(out, s, &opts);
}

kpy_status kpy_model_forecast(const kairos_model *m, const double *levels, size_t n_levels,
                              double *mean, size_t horizon, double *quantiles, size_t n_q)
{
    glue_clear();
    if (n_levels && (!quantiles || n_q != n_levels * horizon))
        return glue_fail(KAIROS_EINVAL, "quantile output has the wrong size");
    kairos_forecast_opts opts = KAIROS_FORECAST_OPTS_INIT;
    opts.horizon = horizon;
    opts.quantiles = n_levels ? levels : NULL;
    opts.n_quantiles = n_levels;
    return kairos_model_forecast(m, &opts, mean, n_levels ? quantiles : NULL);
}

kpy_status kpy_model_forecast_timestamps(const kairos_model *m, int64_t *out, size_t horizon)
{
    glue_clear();
    return kairos_model_forecast_timestamps(m, horizon, out);
}

kpy_status kpy_model_report_json(const kairos_model *m, kairos_buf *text)
{
    glue_clear();
    return kairos_model_report_json(m, text);
}

kpy_status kpy_levels_to_quantiles(const double *levels, size_t n, double *out, size_t n_out)
{
    glue_clear();
    if (n_out != 2 * n)
        return glue_fail(KAIROS_EINVAL, "output must hold two quantiles per level");
    return kairos_levels_to_quantiles(levels, n, out);
}

/* ---- batch ------------------------------------------------------------------------------- */

typedef struct batch_call {
    const char *model, *ets_model, *adjusted_model;
    const int64_t *periods;
    size_t n_periods;
    const int64_t *fit;
    size_t n_fit;
    const double *levels;
    size_t n_levels, horizon, n_threads;
    double *mean, *quantiles;
    size_t n_mean, n_q;
    int32_t *status;
    size_t n_status;
    char *messages;
    size_t n_messages;
} batch_call;

static kpy_status run_batch(const kairos_series_batch *b, const batch_call *c)
{
    size_t n = b->n_series;
    if (c->n_mean != n * c->horizon || c->n_q != n * c->n_levels * c->horizon ||
        c->n_status != n)
        return glue_fail(KAIROS_EINVAL, "batch outputs have the wrong size");
    size_t message_size = n ? c->n_messages / n : 0;
    kairos_fit_opts opts;
    size_t p[16];
    int rc = fill_fit_opts(&opts, p, c->model, c->ets_model, c->adjusted_model, c->periods,
                           c->n_periods, c->fit, c->n_fit);
    if (rc != KAIROS_OK)
        return rc;
    kairos_forecast_opts fc = KAIROS_FORECAST_OPTS_INIT;
    fc.horizon = c->horizon;
    fc.quantiles = c->n_levels ? c->levels : NULL;
    fc.n_quantiles = c->n_levels;
    int *status = n ? malloc(n * sizeof *status) : NULL;
    if (n && !status)
        return glue_fail(KAIROS_ENOMEM, "out of memory");
    rc = kairos_forecast_batch_messages(b, &opts, &fc, c->n_threads, c->mean,
                                        c->n_levels ? c->quantiles : NULL, status,
                                        message_size ? c->messages : NULL, message_size);
    for (size_t i = 0; rc == KAIROS_OK && i < n; i++)
        c->status[i] = (int32_t)status[i];
    free(status);
    return rc;
}

kpy_status kpy_forecast_batch_dense(const double *values, size_t n_series, size_t len,
                                    size_t stride, size_t dist, const int64_t *timestamps,
                                    size_t ts_n, size_t ts_len, size_t ts_stride,
                                    size_t ts_dist, const char *model, const char *ets_model,
                                    const char *adjusted_model, const int64_t *periods,
                                    size_t n_periods, const int64_t *fit, size_t n_fit,
                                    const double *levels, size_t n_levels, size_t horizon,
                                    size_t n_threads, double *mean, size_t n_mean,
                                    double *quantiles, size_t n_q, int32_t *status,
                                    size_t n_status, char *messages, size_t n_messages)
{
    glue_clear();
    if (timestamps && (ts_n != n_series || ts_len != len || ts_stride != stride ||
                       ts_dist != dist))
        return glue_fail(KAIROS_EINVAL, "timestamps must have the shape and memory layout "
                         "of the values");
    kairos_series_batch b = KAIROS_SERIES_BATCH_INIT;
    b.n_series = n_series;
    b.values = values;
    b.len = len;
    b.stride = stride ? stride : 1;   /* a series of one point has no meaningful stride */
    b.dist = dist;
    b.timestamps = timestamps;
    batch_call c = { model, ets_model, adjusted_model, periods, n_periods, fit, n_fit,
                     levels, n_levels, horizon, n_threads, mean, quantiles, n_mean, n_q, status, n_status, messages,
                     n_messages };
    return run_batch(&b, &c);
}

kpy_status kpy_forecast_batch_ragged(const double *values, size_t n_values,
                                     const int64_t *offsets, size_t n_offsets,
                                     const int64_t *timestamps, size_t n_timestamps,
                                     const char *model, const char *ets_model,
                                     const char *adjusted_model, const int64_t *periods,
                                     size_t n_periods, const int64_t *fit, size_t n_fit,
                                     const double *levels, size_t n_levels, size_t horizon,
                                     size_t n_threads, double *mean, size_t n_mean,
                                     double *quantiles, size_t n_q, int32_t *status,
                                     size_t n_status, char *messages, size_t n_messages)
{
    glue_clear();
    if (n_offsets == 0)
        return glue_fail(KAIROS_EINVAL, "offsets must have n_series + 1 entries");
    if (timestamps && n_timestamps != n_values)
        return glue_fail(KAIROS_EINVAL, "timestamps and values differ in length");
    size_t *off = malloc(n_offsets * sizeof *off);
    if (!off)
        return glue_fail(KAIROS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n_offsets; i++) {
        if (offsets[i] < 0 || (uint64_t)offsets[i] > n_values) {
            free(off);
            return glue_fail(KAIROS_EINVAL, "an offset lies outside the values");
        }
        off[i] = (size_t)offsets[i];
    }
    kairos_series_batch b = KAIROS_SERIES_BATCH_INIT;
    b.n_series = n_offsets - 1;
    b.values = values;
    b.offsets = off;
    b.timestamps = timestamps;
    batch_call c = { model, ets_model, adjusted_model, periods, n_periods, fit, n_fit,
                     levels, n_levels, horizon, n_threads, mean, quantiles, n_mean, n_q, status, n_status, messages,
                     n_messages };
    int rc = run_batch(&b, &c);
    free(off);
    return rc;
}

/* ---- backtests -------------------------------------------------------------------------- */

kpy_status kpy_backtest(const kairos_series *s, const char *model, const char *ets_model,
                        const char *adjusted_model, const int64_t *periods,
                        size_t n_periods, const int64_t *fit, size_t n_fit,
                        const double *quantiles, size_t n_quantiles, const double *levels,
                        size_t n_levels, const int64_t *bt, size_t n_bt, double msis_level,
                        kairos_buf *text)
{
    glue_clear();
    if (n_bt != 5)
        return glue_fail(KAIROS_EINVAL, "backtest option array has the wrong length");
    for (size_t i = 0; i < n_bt; i++)
        if (bt[i] < 0)
            return glue_fail(KAIROS_EINVAL, "backtest options must not be negative");
    kairos_fit_opts opts;
    size_t p[16];
    int rc = fill_fit_opts(&opts, p, model, ets_model, adjusted_model, periods, n_periods,
                           fit, n_fit);
    if (rc != KAIROS_OK)
        return rc;
    kairos_backtest_opts b = KAIROS_BACKTEST_OPTS_INIT;
    b.horizon = (size_t)bt[0];
    b.windows = (size_t)bt[1];
    b.step = (size_t)bt[2];
    b.season = (size_t)bt[3];
    b.min_train = (size_t)bt[4];
    b.quantiles = n_quantiles ? quantiles : NULL;
    b.n_quantiles = n_quantiles;
    b.levels = n_levels ? levels : NULL;
    b.n_levels = n_levels;
    b.msis_level = msis_level;
    kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
    rc = kairos_backtest(&r, s, &opts, &b);
    if (rc == KAIROS_OK)
        rc = kairos_backtest_result_json(&r, text);
    kairos_backtest_result_dispose(&r);
    return rc;
}

/* ---- plan and cost ----------------------------------------------------------------------- */

static size_t as_count(double x)
{
    return x > 0 && isfinite(x) ? (size_t)x : 0;
}

kpy_status kpy_plan(const double *mean, size_t horizon, const double *levels, size_t n_levels,
                    const double *quantiles, size_t n_q, int64_t step_s, const double *opts,
                    size_t n_opts, int64_t *replicas, size_t n_replicas, double *demand,
                    size_t n_demand, double *p_shortfall, size_t n_p, double *totals,
                    size_t n_totals)
{
    glue_clear();
    if (n_opts != KPY_PLAN_FIELDS || n_totals != KPY_TOT_FIELDS)
        return glue_fail(KAIROS_EINVAL, "plan option/total arrays have the wrong length");
    if (n_q != n_levels * horizon || n_replicas != horizon || n_demand != horizon ||
        n_p != horizon)
        return glue_fail(KAIROS_EINVAL, "plan arrays do not match the horizon");
    kairos_plan_forecast fc = KAIROS_PLAN_FORECAST_INIT;
    fc.horizon = horizon;
    fc.step_s = step_s;
    fc.mean = mean;
    fc.levels = n_levels ? levels : NULL;
    fc.n_quantiles = n_levels;
    fc.quantiles = n_levels ? quantiles : NULL;
    kairos_plan_opts o = KAIROS_PLAN_OPTS_INIT;
    o.target_per_replica = opts[KPY_PLAN_TARGET];
    o.headroom = opts[KPY_PLAN_HEADROOM];
    o.quantile = opts[KPY_PLAN_QUANTILE];
    o.risk = opts[KPY_PLAN_RISK];
    o.min_replicas = as_count(opts[KPY_PLAN_MIN]);
    o.max_replicas = as_count(opts[KPY_PLAN_MAX]);
    o.max_up_factor = opts[KPY_PLAN_UP];
    o.max_down_fraction = opts[KPY_PLAN_DOWN];
    o.stabilization_s = (int64_t)opts[KPY_PLAN_STABILIZATION_S];
    o.lead_time_s = (int64_t)opts[KPY_PLAN_LEAD_TIME_S];
    o.current_replicas = as_count(opts[KPY_PLAN_CURRENT]);
    size_t *r = malloc((horizon ? horizon : 1) * sizeof *r);
    if (!r)
        return glue_fail(KAIROS_ENOMEM, "out of memory");
    kairos_plan_totals t;
    memset(&t, 0, sizeof t);
    t.version = KAIROS_PLAN_TOTALS_VERSION;
    int rc = kairos_plan_replicas(&fc, &o, r, demand, p_shortfall, &t);
    if (rc == KAIROS_OK) {
        for (size_t i = 0; i < horizon; i++)
            replicas[i] = (int64_t)r[i];
        totals[KPY_TOT_REPLICA_HOURS] = t.replica_hours;
        totals[KPY_TOT_PEAK_REPLICAS] = (double)t.peak_replicas;
        totals[KPY_TOT_PEAK_STEP] = (double)t.peak_step;
        totals[KPY_TOT_SHORTFALL_MIN] = t.shortfall_replica_minutes;
        totals[KPY_TOT_MAX_P] = t.max_p_shortfall;
        totals[KPY_TOT_MEAN_P] = t.mean_p_shortfall;
        totals[KPY_TOT_LEVEL] = t.planned_level;
        totals[KPY_TOT_EXTRAPOLATED] = t.level_extrapolated;
        totals[KPY_TOT_LEAD_STEPS] = (double)t.lead_steps;
        totals[KPY_TOT_STAB_STEPS] = (double)t.stabilization_steps;
        totals[KPY_TOT_HOURS] = t.hours;
    }
    free(r);
    return rc;
}

kpy_status kpy_quantity_parse(const char *text, double *out)
{
    glue_clear();
    return kairos_quantity_parse(text, out);
}

kpy_status kpy_cost_plan(const int64_t *replicas, size_t horizon, int64_t step_s,
                         size_t current, double cpu_cores, double memory_bytes,
                         const double *model, size_t n_model, double *report, size_t n_report)
{
    glue_clear();
    if (n_model != KPY_COST_FIELDS || n_report != KPY_CR_FIELDS)
        return glue_fail(KAIROS_EINVAL, "cost arrays have the wrong length");
    kairos_cost_model m = KAIROS_COST_MODEL_INIT;
    m.cpu_price = model[KPY_COST_CPU_PRICE];
    m.memory_price = model[KPY_COST_MEMORY_PRICE];
    m.hours_per_month = model[KPY_COST_HOURS_PER_MONTH];
    m.spot_share = model[KPY_COST_SPOT_SHARE];
    m.spot_discount = model[KPY_COST_SPOT_DISCOUNT];
    m.spot_cpu_price = model[KPY_COST_SPOT_CPU_PRICE];
    m.spot_memory_price = model[KPY_COST_SPOT_MEMORY_PRICE];
    size_t *r = malloc((horizon ? horizon : 1) * sizeof *r);
    if (!r)
        return glue_fail(KAIROS_ENOMEM, "out of memory");
    for (size_t i = 0; i < horizon; i++) {
        if (replicas[i] < 0) {
            free(r);
            return glue_fail(KAIROS_EINVAL, "a replica count is negative");
        }
        r[i] = (size_t)replicas[i];
    }
    kairos_cost_report c;
    memset(&c, 0, sizeof c);
    c.version = KAIROS_COST_REPORT_VERSION;
    int rc = kairos_cost_plan(&c, &m, cpu_cores, memory_bytes, r, horizon, step_s, current);
    free(r);
    if (rc == KAIROS_OK) {
        report[KPY_CR_REPLICA_HOURLY] = c.replica_hourly;
        report[KPY_CR_HORIZON_HOURS] = c.horizon_hours;
        report[KPY_CR_REPLICA_HOURS] = c.replica_hours;
        report[KPY_CR_MEAN_REPLICAS] = c.mean_replicas;
        report[KPY_CR_PEAK_REPLICAS] = (double)c.peak_replicas;
        report[KPY_CR_PLAN_HORIZON] = c.plan_horizon;
        report[KPY_CR_PLAN_MONTH] = c.plan_month;
        report[KPY_CR_PEAK_MONTH] = c.peak_month;
        report[KPY_CR_CURRENT_MONTH] = c.current_month;
        report[KPY_CR_DELTA_VS_CURRENT] = c.delta_vs_current;
        report[KPY_CR_DELTA_VS_PEAK] = c.delta_vs_peak;
        report[KPY_CR_SAVINGS_VS_CURRENT] = c.savings_vs_current;
        report[KPY_CR_SAVINGS_VS_PEAK] = c.savings_vs_peak;
    }
    return rc;
}

/* ---- KEDA -------------------------------------------------------------------------------- */

kpy_status kpy_keda_lint(const char *text, size_t len, kairos_buf *json)
{
    glue_clear();
    kairos_keda_lint *lint = NULL;
    int rc = kairos_keda_lint_text(text, len, &lint);
    if (rc == KAIROS_OK)
        rc = kairos_keda_lint_format(lint, KAIROS_KEDA_FORMAT_JSON, json);
    kairos_keda_lint_free(lint);
    return rc;
}

static int32_t as_int32(double x)
{
    return x >= -1 && x <= 2147483647.0 ? (int32_t)x : -1;
}

kpy_status kpy_keda_scaled_object(const int64_t *timestamps, size_t n_timestamps,
                                  int64_t step_s, const int64_t *replicas, size_t n_replicas,
                                  const char *name, const char *ns, const char *target_name,
                                  const char *target_kind, const char *timezone,
                                  const char *scaler_address, const char *external_metric,
                                  const char *prometheus_server, const char *query,
                                  const char *auth_name, const double *numbers,
                                  size_t n_numbers, kairos_buf *text)
{
    glue_clear();
    if (n_numbers != KPY_SO_FIELDS)
        return glue_fail(KAIROS_EINVAL, "scaled object option array has the wrong length");
    if (n_timestamps != n_replicas)
        return glue_fail(KAIROS_EINVAL, "timestamps and replicas differ in length");
    const double *v = numbers;
    kairos_keda_so_opts o = KAIROS_KEDA_SO_OPTS_INIT;
    o.name = name;
    o.ns = ns;
    o.target_name = target_name;
    o.target_kind = target_kind;
    o.timezone = timezone;
    o.scaler_address = scaler_address;
    o.external_metric = external_metric;
    o.prometheus_server = prometheus_server;
    o.query = query;
    o.auth_name = auth_name;
    o.mode = (kairos_keda_mode)(int)v[KPY_SO_MODE];
    o.min_replicas = as_int32(v[KPY_SO_MIN]);
    o.max_replicas = as_int32(v[KPY_SO_MAX]);
    o.idle_replicas = as_int32(v[KPY_SO_IDLE]);
    o.fallback_replicas = as_int32(v[KPY_SO_FALLBACK]);
    o.polling_interval_s = as_int32(v[KPY_SO_POLLING_S]);
    o.cooldown_period_s = as_int32(v[KPY_SO_COOLDOWN_S]);
    o.max_up_factor = v[KPY_SO_UP];
    o.max_down_fraction = v[KPY_SO_DOWN];
    o.stabilization_s = as_int32(v[KPY_SO_STABILIZATION_S]);
    o.max_windows = as_count(v[KPY_SO_MAX_WINDOWS]);
    o.external_push = v[KPY_SO_EXTERNAL_PUSH] != 0;
    o.threshold = v[KPY_SO_THRESHOLD];
    o.target_per_replica = v[KPY_SO_TARGET];
    o.headroom = v[KPY_SO_HEADROOM];
    o.activation_threshold = v[KPY_SO_ACTIVATION];
    o.cpu_request_cores = v[KPY_SO_CPU_REQUEST];
    o.memory_request_bytes = v[KPY_SO_MEMORY_REQUEST];
    o.auth_cluster = v[KPY_SO_AUTH_CLUSTER] != 0;
    size_t *r = malloc((n_replicas ? n_replicas : 1) * sizeof *r);
    if (!r)
        return glue_fail(KAIROS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n_replicas; i++) {
        if (replicas[i] < 0) {
            free(r);
            return glue_fail(KAIROS_EINVAL, "a replica count is negative");
        }
        r[i] = (size_t)replicas[i];
    }
    kairos_keda_plan plan = KAIROS_KEDA_PLAN_INIT;
    plan.n_steps = n_replicas;
    plan.timestamps = timestamps;
    plan.step_s = step_s;
    plan.replicas_size = r;
    int rc = kairos_keda_scaled_object(&plan, &o, text, NULL);
    free(r);
    return rc;
}
