/* `kairos run`: the configuration (run_config.c, run_check.c), the Prometheus source
 * (run_fetch.c), one workload's pipeline (run_workload.c), the report files (run_report.c)
 * and the chart (svg_chart.c). Private to src/cli; the schema is documented in docs/run.md. */
#ifndef KAIROS_CLI_RUN_H
#define KAIROS_CLI_RUN_H

#include "cli.h"

#define RUN_MAX_QUANTILES 8
#define RUN_ERROR_SIZE 1024

typedef enum run_source_kind {
    RUN_SOURCE_NONE = 0,
    RUN_SOURCE_CSV,
    RUN_SOURCE_PROMETHEUS
} run_source_kind;

/* A Prometheus range query, fetched by the CLI (the library does no network I/O). */
typedef struct run_prometheus {
    const char *url;           /* base URL, e.g. http://prometheus:9090 */
    const char *query;         /* PromQL giving one series */
    int64_t step_s;            /* query step; 0 = the workload's step, else 1h */
    int64_t window_s;          /* history to fetch; default 14 days */
    int64_t end;               /* end of the window, Unix seconds; 0 = now */
    int64_t timeout_s;         /* whole request; default 30 s */
} run_prometheus;

/* One workload: every string is borrowed from the parsed YAML document (or static). */
typedef struct run_workload {
    const char *name, *ns, *kind;
    size_t line;                       /* where the workload starts in the config */
    run_source_kind source;
    const char *csv;                   /* the path as written */
    char *csv_path;                    /* owned: resolved against the config's directory */
    run_prometheus prometheus;
    cli_forecast_request req;          /* model, horizon, seasons, step, agg, fill, column */
    cli_plan_request plan;             /* plan options; current.replicas lands here too */
    double quantiles[RUN_MAX_QUANTILES];
    size_t n_quantiles;                /* the columns of forecast.csv */
    int64_t chart_history_s;           /* history shown in the chart; 0 = 4 horizons */
    const char *unit;                  /* what the metric measures, for the chart */
    kairos_cost_model cost;
    double cpu, memory;                /* per-replica requests priced; NaN = not given */
    double cpu_request, memory_request, cpu_limit, memory_limit;   /* current; 0 = unknown */
    double cpu_p95, memory_peak, node_utilization, queue_lag_growth, confidence; /* NaN */
    kairos_keda_so_opts so;
    bool mode_given;
} run_workload;

typedef struct run_config {
    const char *path;                  /* as given on the command line */
    run_workload *workloads;
    size_t n;
    void *doc;                         /* the yaml_document_t the strings live in */
} run_config;

/* Where a workload is in its config, for messages. */
typedef struct run_place {
    const char *path;
    size_t line;
} run_place;

/* The defaults every workload starts from (before `defaults:` and its own keys). */
void run_workload_init(run_workload *w);
/* What no single key can check (name, source, horizon, target, requests, KEDA needs);
 * resolves the CSV path against the config's directory. Exit 2 naming the workload's line. */
int run_workload_check(const run_place *at, run_workload *w, const run_workload *earlier,
                       size_t n_earlier);

/* Read and check CONFIG. Config errors are exit 2 naming the file, line and key; an
 * unreadable file is exit 3. Release with run_config_free() whatever happened. */
int run_config_load(run_config *cfg, const char *path);
void run_config_free(run_config *cfg);

/* Fetch the workload's Prometheus series: exit 2 without libcurl, 3 when the server cannot
 * be reached or the answer is not one series. *out is owned by the caller. */
int run_fetch_prometheus(const run_workload *w, kairos_series **out);
/* Set up and tear down what fetching needs, once per process, outside any thread. */
void run_fetch_global_init(void);
void run_fetch_global_cleanup(void);

/* What one workload produced; everything the summary, report.json and index.html show. */
typedef struct run_result {
    int code;                          /* exit code of the workload; 0 = ok */
    char error[RUN_ERROR_SIZE];        /* the failure, when code != 0 */
    char model[64];                    /* the model fitted */
    kairos_plan_totals totals;
    kairos_cost_report cost;
    kairos_decision_result decision;
    kairos_buf rationale;
    kairos_buf model_json;
    kairos_keda_report keda;
    size_t lint_errors, lint_warnings;
    double peak_demand;                /* the demand the peak was sized for */
    size_t horizon;
    int64_t step_s;
    char first[CLI_TIMESTAMP_SIZE], last[CLI_TIMESTAMP_SIZE];   /* forecast span */
    char *svg;                         /* the chart, also inlined in index.html */
    size_t svg_len;
} run_result;

/* Run one workload and write DIR/<name>/. Never prints: failures land in r->error. */
void run_workload_execute(const run_workload *w, const char *out_dir, run_result *r);
void run_result_free(run_result *r);

/* report.json of one workload, the summary table and index.html. */
int run_write_report_json(FILE *out, const run_workload *w, const run_result *r);
void run_print_summary(FILE *out, const run_config *cfg, const run_result *results);
int run_write_index(const char *path, const run_config *cfg, const run_result *results);

/* Text helpers shared by the writers. */
void run_put_json_string(FILE *out, const char *s);
void run_put_html(FILE *out, const char *s);
/* "+36.50" / "-12.00", or "-" when unknown. */
void run_format_money(double x, char *out, size_t size);

/* ---- the chart ----------------------------------------------------------------------- */

typedef struct cli_chart {
    const char *id;                    /* unique among the charts of one page */
    const char *title, *subtitle;
    const char *unit;                  /* what the values measure (the y axis); NULL = load */
    const int64_t *history_t;
    const double *history;             /* n_history values; NaN breaks the line */
    size_t n_history;
    const int64_t *t;                  /* horizon forecast steps */
    size_t horizon;
    int64_t step_s;
    const double *mean;
    const double *outer_lo, *outer_hi, *inner_lo, *inner_hi;   /* the fan; any may be NULL */
    const char *outer_label, *inner_label;
    const double *capacity;            /* replicas × target per replica */
    const char *capacity_label;
} cli_chart;

/* Write the chart as a standalone SVG document. */
void cli_chart_svg(FILE *out, const cli_chart *c);

#endif /* KAIROS_CLI_RUN_H */
