/* See shim.h. */
#include "shim.h"

#include <string.h>

/* Copy the calling thread's error detail when @p status is a failure; an empty detail stays
 * empty and the Go side falls back to kairos_strerror(). */
static int finish(int status, char *msg)
{
    msg[0] = '\0';
    if (status != KAIROS_OK) {
        const char *detail = kairos_last_error();
        if (detail) {
            strncpy(msg, detail, KGO_MSG_SIZE - 1);
            msg[KGO_MSG_SIZE - 1] = '\0';
        }
    }
    return status;
}

int kgo_series_parse_csv(kairos_series **out, const char *text, size_t len, const char *column,
                         char delimiter, char *msg)
{
    kairos_csv_opts opts = KAIROS_CSV_OPTS_INIT;
    opts.column = column;
    opts.delimiter = delimiter;
    return finish(kairos_series_parse_csv(out, text, len, &opts), msg);
}

int kgo_series_parse_prometheus(kairos_series_list **out, const char *body, size_t len,
                                char *msg)
{
    return finish(kairos_series_parse_prometheus(out, body, len), msg);
}

int kgo_series_regularize(kairos_series **out, const double *values, const int64_t *times,
                          size_t n, const kairos_regularize_opts *opts,
                          kairos_regularize_report *report, char *msg)
{
    kairos_series *in = NULL;
    int status = kairos_series_from_arrays(&in, values, times, n);
    if (status == KAIROS_OK)
        status = kairos_series_regularize(out, in, opts, report);
    kairos_series_free(in);
    return finish(status, msg);
}

int kgo_series_infer_periods(const double *values, const int64_t *times, size_t n,
                             int64_t step_s, size_t *periods, size_t max, size_t *n_out,
                             char *msg)
{
    /* A series carries its step only once regularized; regularizing a series already on its
     * grid returns it unchanged, with the step set. */
    kairos_series *in = NULL, *reg = NULL;
    kairos_regularize_opts opts = KAIROS_REGULARIZE_OPTS_INIT;
    opts.step_s = step_s;
    int status = kairos_series_from_arrays(&in, values, times, n);
    if (status == KAIROS_OK)
        status = kairos_series_regularize(&reg, in, &opts, NULL);
    if (status == KAIROS_OK)
        status = kairos_series_infer_periods(reg, periods, max, n_out);
    kairos_series_free(in);
    kairos_series_free(reg);
    return finish(status, msg);
}

int kgo_model_fit(kairos_model **out, const double *values, const int64_t *times, size_t n,
                  const kairos_fit_opts *opts, const size_t *periods, char *msg)
{
    kairos_fit_opts o = *opts;
    o.periods = o.n_periods ? periods : NULL;
    kairos_series *s = NULL;
    int status = kairos_series_from_arrays(&s, values, times, n);
    if (status == KAIROS_OK)
        status = kairos_model_fit(out, s, &o);
    kairos_series_free(s);   /* the model keeps what it needs */
    return finish(status, msg);
}

int kgo_model_calibrate(kairos_model **out, const double *values, const int64_t *times,
                        size_t n, const kairos_fit_opts *fit, const size_t *periods,
                        const kairos_backtest_opts *bt, char *msg)
{
    kairos_fit_opts o = *fit;
    o.periods = o.n_periods ? periods : NULL;
    kairos_series *s = NULL;
    int status = kairos_series_from_arrays(&s, values, times, n);
    if (status == KAIROS_OK)
        status = kairos_model_calibrate(out, s, &o, bt);
    kairos_series_free(s);
    return finish(status, msg);
}

int kgo_backtest(kairos_backtest_result *result, const double *values, const int64_t *times,
                 size_t n, const kairos_fit_opts *fit, const size_t *periods,
                 const kairos_backtest_opts *bt, const double *quantiles, size_t n_quantiles,
                 const double *levels, size_t n_levels, kairos_buf *json, char *msg)
{
    kairos_fit_opts o = *fit;
    o.periods = o.n_periods ? periods : NULL;
    kairos_backtest_opts b = *bt;
    b.quantiles = n_quantiles ? quantiles : NULL;
    b.n_quantiles = n_quantiles;
    b.levels = n_levels ? levels : NULL;
    b.n_levels = n_levels;
    kairos_series *s = NULL;
    int status = kairos_series_from_arrays(&s, values, times, n);
    if (status == KAIROS_OK)
        status = kairos_backtest(result, s, &o, &b);
    if (status == KAIROS_OK)
        status = kairos_backtest_result_json(result, json);
    kairos_series_free(s);
    return finish(status, msg);
}

int kgo_model_forecast(const kairos_model *m, size_t horizon, const double *levels,
                       size_t n_levels, double *mean, double *quantiles, int64_t *times,
                       int *has_times, char *msg)
{
    kairos_forecast_opts opts = KAIROS_FORECAST_OPTS_INIT;
    opts.horizon = horizon;
    opts.quantiles = n_levels ? levels : NULL;
    opts.n_quantiles = n_levels;
    int status = kairos_model_forecast(m, &opts, mean, n_levels ? quantiles : NULL);
    *has_times = 0;
    if (status == KAIROS_OK) {
        int ts = kairos_model_forecast_timestamps(m, horizon, times);
        if (ts == KAIROS_OK)
            *has_times = 1;
        else if (ts != KAIROS_ENOTSUP)   /* no timestamps in the history is not a failure */
            status = ts;
    }
    return finish(status, msg);
}

int kgo_model_describe(const kairos_model *m, kairos_model_info *info, char *msg)
{
    return finish(kairos_model_describe(m, info), msg);
}

int kgo_model_coef(const kairos_model *m, size_t i, const char **name, double *value, char *msg)
{
    return finish(kairos_model_coef(m, i, name, value), msg);
}

int kgo_model_report_json(const kairos_model *m, kairos_buf *out, char *msg)
{
    return finish(kairos_model_report_json(m, out), msg);
}

static kairos_plan_forecast plan_forecast(size_t horizon, int64_t step_s, const double *mean,
                                          const double *levels, size_t n_levels,
                                          const double *quantiles)
{
    kairos_plan_forecast fc = KAIROS_PLAN_FORECAST_INIT;
    fc.horizon = horizon;
    fc.step_s = step_s;
    fc.mean = mean;
    fc.levels = n_levels ? levels : NULL;
    fc.n_quantiles = n_levels;
    fc.quantiles = n_levels ? quantiles : NULL;
    return fc;
}

int kgo_plan_replicas(size_t horizon, int64_t step_s, const double *mean, const double *levels,
                      size_t n_levels, const double *quantiles, const kairos_plan_opts *opts,
                      size_t *replicas, double *demand, double *p_shortfall,
                      kairos_plan_totals *totals, char *msg)
{
    kairos_plan_forecast fc = plan_forecast(horizon, step_s, mean, levels, n_levels, quantiles);
    return finish(kairos_plan_replicas(&fc, opts, replicas, demand, p_shortfall, totals), msg);
}

int kgo_cost_plan(kairos_cost_report *out, const kairos_cost_model *model, double cpu_cores,
                  double memory_bytes, const size_t *replicas, size_t horizon, int64_t step_s,
                  size_t current_replicas, char *msg)
{
    return finish(kairos_cost_plan(out, model, cpu_cores, memory_bytes, replicas, horizon,
                                   step_s, current_replicas), msg);
}

int kgo_cost_monthly(const kairos_cost_model *model, double cpu_cores, double memory_bytes,
                     double replicas, double *per_month, char *msg)
{
    return finish(kairos_cost_monthly(model, cpu_cores, memory_bytes, replicas, per_month), msg);
}

int kgo_cost_risk_table(kairos_cost_risk_row *rows, const double *table_levels, size_t n,
                        size_t horizon, int64_t step_s, const double *mean,
                        const double *levels, size_t n_levels, const double *quantiles,
                        const kairos_plan_opts *plan_opts, const kairos_cost_model *model,
                        double cpu_cores, double memory_bytes, char *msg)
{
    kairos_plan_forecast fc = plan_forecast(horizon, step_s, mean, levels, n_levels, quantiles);
    return finish(kairos_cost_risk_table(rows, table_levels, n, &fc, plan_opts, model,
                                         cpu_cores, memory_bytes), msg);
}

int kgo_quantity_parse(const char *text, double *out, char *msg)
{
    return finish(kairos_quantity_parse(text, out), msg);
}

int kgo_quantity_format(int memory, double amount, char *out, size_t size, char *msg)
{
    return finish(memory ? kairos_quantity_format_memory(amount, out, size)
                         : kairos_quantity_format_cpu(amount, out, size), msg);
}

int kgo_keda_scaled_object(const int64_t *times, size_t n, int64_t step_s,
                           const size_t *replicas, const kairos_keda_so_opts *opts,
                           const kairos_keda_kv *extra_metadata, size_t n_extra,
                           kairos_buf *out, kairos_keda_report *report, char *msg)
{
    kairos_keda_plan plan = KAIROS_KEDA_PLAN_INIT;
    plan.n_steps = n;
    plan.timestamps = times;
    plan.step_s = step_s;
    plan.replicas_size = replicas;
    kairos_keda_so_opts o = *opts;
    o.extra_metadata = n_extra ? extra_metadata : NULL;
    o.n_extra_metadata = n_extra;
    if (report)
        report->version = KAIROS_KEDA_REPORT_VERSION;
    return finish(kairos_keda_scaled_object(&plan, &o, out, report), msg);
}

int kgo_keda_lint_text(const char *text, size_t len, kairos_keda_lint **out, char *msg)
{
    return finish(kairos_keda_lint_text(text, len, out), msg);
}

int kgo_keda_lint_format(const kairos_keda_lint *lint, int json, kairos_buf *out, char *msg)
{
    return finish(kairos_keda_lint_format(lint, json ? KAIROS_KEDA_FORMAT_JSON
                                                     : KAIROS_KEDA_FORMAT_TEXT, out), msg);
}
