/* C side of the Go binding. Every fallible libkairos call goes through one of these shims,
 * which copy kairos_last_error() into a caller buffer before returning, so the detail is read
 * on the OS thread that made the call, inside the same cgo call: no thread pinning needed.
 * Arrays owned by Go are only ever passed as direct arguments (never stored inside a struct
 * in Go memory), which keeps every call within the cgo pointer-passing rules. */
#ifndef KAIROS_GO_SHIM_H
#define KAIROS_GO_SHIM_H

#include <kairos/kairos.h>

#define KGO_MSG_SIZE 512

int kgo_series_parse_csv(kairos_series **out, const char *text, size_t len, const char *column,
                         char delimiter, char *msg);
int kgo_series_parse_prometheus(kairos_series_list **out, const char *body, size_t len,
                                char *msg);
int kgo_series_regularize(kairos_series **out, const double *values, const int64_t *times,
                          size_t n, const kairos_regularize_opts *opts,
                          kairos_regularize_report *report, char *msg);
int kgo_series_infer_periods(const double *values, const int64_t *times, size_t n,
                             int64_t step_s, size_t *periods, size_t max, size_t *n_out,
                             char *msg);

int kgo_model_fit(kairos_model **out, const double *values, const int64_t *times, size_t n,
                  const kairos_fit_opts *opts, const size_t *periods, char *msg);
int kgo_model_calibrate(kairos_model **out, const double *values, const int64_t *times,
                        size_t n, const kairos_fit_opts *fit, const size_t *periods,
                        const kairos_backtest_opts *bt, char *msg);
int kgo_backtest(kairos_backtest_result *result, const double *values, const int64_t *times,
                 size_t n, const kairos_fit_opts *fit, const size_t *periods,
                 const kairos_backtest_opts *bt, const double *quantiles, size_t n_quantiles,
                 const double *levels, size_t n_levels, kairos_buf *json, char *msg);
int kgo_model_forecast(const kairos_model *m, size_t horizon, const double *levels,
                       size_t n_levels, double *mean, double *quantiles, int64_t *times,
                       int *has_times, char *msg);
int kgo_model_describe(const kairos_model *m, kairos_model_info *info, char *msg);
int kgo_model_coef(const kairos_model *m, size_t i, const char **name, double *value, char *msg);
int kgo_model_report_json(const kairos_model *m, kairos_buf *out, char *msg);

int kgo_plan_replicas(size_t horizon, int64_t step_s, const double *mean, const double *levels,
                      size_t n_levels, const double *quantiles, const kairos_plan_opts *opts,
                      size_t *replicas, double *demand, double *p_shortfall,
                      kairos_plan_totals *totals, char *msg);

int kgo_cost_plan(kairos_cost_report *out, const kairos_cost_model *model, double cpu_cores,
                  double memory_bytes, const size_t *replicas, size_t horizon, int64_t step_s,
                  size_t current_replicas, char *msg);
int kgo_cost_monthly(const kairos_cost_model *model, double cpu_cores, double memory_bytes,
                     double replicas, double *per_month, char *msg);
int kgo_cost_risk_table(kairos_cost_risk_row *rows, const double *table_levels, size_t n,
                        size_t horizon, int64_t step_s, const double *mean,
                        const double *levels, size_t n_levels, const double *quantiles,
                        const kairos_plan_opts *plan_opts, const kairos_cost_model *model,
                        double cpu_cores, double memory_bytes, char *msg);

int kgo_quantity_parse(const char *text, double *out, char *msg);
int kgo_quantity_format(int memory, double amount, char *out, size_t size, char *msg);

int kgo_keda_scaled_object(const int64_t *times, size_t n, int64_t step_s,
                           const size_t *replicas, const kairos_keda_so_opts *opts,
                           const kairos_keda_kv *extra_metadata, size_t n_extra,
                           kairos_buf *out, kairos_keda_report *report, char *msg);
int kgo_keda_lint_text(const char *text, size_t len, kairos_keda_lint **out, char *msg);
int kgo_keda_lint_format(const kairos_keda_lint *lint, int json, kairos_buf *out, char *msg);

#endif
