/* One workload of `kairos run`: load (CSV or Prometheus) → the plan step shared with
 * `kairos plan` → cost → decision with rationale → ScaledObject (linted) → chart, then the
 * files of DIR/<workload>/. Runs on a worker thread: it never prints, its failure is
 * captured into the result, and everything it computes is a function of the workload
 * alone, so the files are the same whatever --jobs is. */
#include "run.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The fan of the chart: 90 % and 50 % central intervals. */
static const double fan_levels[] = { 0.05, 0.25, 0.75, 0.95 };

static const char *const output_files[] = { "forecast.csv", "plan.csv", "scaledobject.yaml",
                                            "chart.svg", "report.json" };

/* Everything computed before the first file is written. */
typedef struct run_state {
    const run_workload *w;
    cli_pipeline p;
    cli_plan plan;
    int64_t *times;                 /* forecast steps, Unix seconds */
    double *capacity;               /* replicas × target per replica */
    kairos_buf manifest;
} run_state;

static void state_free(run_state *s)
{
    cli_pipeline_free(&s->p);
    cli_plan_free(&s->plan);
    free(s->times);
    free(s->capacity);
    kairos_buf_dispose(&s->manifest);
}

/* ---- computing ------------------------------------------------------------------------- */

static int load_history(run_state *s)
{
    const run_workload *w = s->w;
    int code;
    if (w->source == RUN_SOURCE_PROMETHEUS) {
        kairos_series *raw = NULL;
        code = run_fetch_prometheus(w, &raw);
        if (code == CLI_EXIT_OK)
            code = cli_pipeline_adopt(&w->req, &s->p, raw);
    } else {
        code = cli_pipeline_load(&w->req, &s->p);
    }
    /* Cron windows, lead times and the chart's time axis all need a clock. */
    if (code == CLI_EXIT_OK && !s->p.timed)
        code = cli_fail(CLI_EXIT_DATA, "%s has no timestamps: kairos run needs a "
                        "timestamp column", cli_input_name(&w->req));
    return code;
}

static int forecast_and_plan(run_state *s, run_result *r)
{
    const run_workload *w = s->w;
    double extra[RUN_MAX_QUANTILES + sizeof fan_levels / sizeof fan_levels[0]];
    memcpy(extra, w->quantiles, w->n_quantiles * sizeof *extra);
    memcpy(extra + w->n_quantiles, fan_levels, sizeof fan_levels);
    size_t n_extra = w->n_quantiles + sizeof fan_levels / sizeof fan_levels[0];
    int code = cli_plan_pipeline(&w->req, &w->plan, &s->p, extra, n_extra, &s->plan);
    if (code == CLI_EXIT_OK)
        code = cli_pipeline_times(&s->p, &s->times);
    if (code != CLI_EXIT_OK)
        return code;
    kairos_model_info info = KAIROS_MODEL_INFO_INIT;
    if (kairos_model_describe(s->p.model, &info) == KAIROS_OK && info.name)
        snprintf(r->model, sizeof r->model, "%s", info.name);
    r->totals = s->plan.totals;
    r->horizon = s->plan.horizon;
    r->step_s = s->plan.step_s;
    r->peak_demand = s->plan.demand[s->plan.totals.peak_step];
    memcpy(r->first, s->p.timestamps, CLI_TIMESTAMP_SIZE);
    memcpy(r->last, s->p.timestamps + (r->horizon - 1) * CLI_TIMESTAMP_SIZE,
           CLI_TIMESTAMP_SIZE);
    /* The model object is moved, not copied: report.json embeds it. */
    r->model_json = s->p.report;
    memset(&s->p.report, 0, sizeof s->p.report);
    return CLI_EXIT_OK;
}

static int price(const run_state *s, run_result *r)
{
    const run_workload *w = s->w;
    memset(&r->cost, 0, sizeof r->cost);
    r->cost.version = KAIROS_COST_REPORT_VERSION;
    int status = kairos_cost_plan(&r->cost, &w->cost, w->cpu, w->memory, s->plan.replicas,
                                  s->plan.horizon, s->plan.step_s,
                                  w->plan.opts.current_replicas);
    return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, "cost");
}

static int decide(const run_state *s, run_result *r)
{
    const run_workload *w = s->w;
    kairos_decision_input in;
    kairos_decision_input_init(&in, KAIROS_DECISION_INPUT_VERSION);
    in.workload = w->name;
    in.current_replicas = w->plan.opts.current_replicas;
    in.planned_peak_replicas = r->totals.peak_replicas;
    in.planned_peak_demand = r->peak_demand;
    in.planned_level = r->totals.planned_level;
    in.max_p_shortfall = r->totals.max_p_shortfall;
    in.cost_delta_month = r->cost.delta_vs_current;
    in.currency = w->cost.currency;
    in.confidence = w->confidence;
    in.queue_lag_growth = w->queue_lag_growth;
    in.node_utilization = w->node_utilization;
    in.cpu_p95 = w->cpu_p95;
    in.cpu_request = w->cpu;
    in.cpu_limit = w->cpu_limit;
    in.memory_peak = w->memory_peak;
    in.memory_request = w->memory;
    in.memory_limit = w->memory_limit;
    in.stateful = w->kind && !strcmp(w->kind, "StatefulSet");
    memset(&r->decision, 0, sizeof r->decision);
    r->decision.version = KAIROS_DECISION_RESULT_VERSION;
    int status = kairos_decide(&r->decision, &r->rationale, &in, NULL);
    return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, "decision");
}

/* The manifest is linted as `kairos lint` would: its findings go into report.json. */
static int scaled_object(run_state *s, run_result *r)
{
    kairos_keda_plan plan = KAIROS_KEDA_PLAN_INIT;
    plan.n_steps = s->plan.horizon;
    plan.timestamps = s->times;
    plan.step_s = s->plan.step_s;
    plan.replicas_size = s->plan.replicas;
    memset(&r->keda, 0, sizeof r->keda);
    r->keda.version = KAIROS_KEDA_REPORT_VERSION;
    int status = kairos_keda_scaled_object(&plan, &s->w->so, &s->manifest, &r->keda);
    if (status != KAIROS_OK)
        return cli_fail_status(status, "ScaledObject");
    kairos_keda_lint *lint = NULL;
    status = kairos_keda_lint_text(s->manifest.data, s->manifest.len, &lint);
    if (status != KAIROS_OK)
        return cli_fail_status(status, "linting the ScaledObject");
    size_t n = kairos_keda_lint_count(lint);
    for (size_t i = 0; i < n; i++) {
        kairos_keda_severity sev = kairos_keda_lint_get(lint, i)->severity;
        r->lint_errors += sev == KAIROS_KEDA_ERROR;
        r->lint_warnings += sev == KAIROS_KEDA_WARNING;
    }
    kairos_keda_lint_free(lint);
    return CLI_EXIT_OK;
}

/* ---- the chart ------------------------------------------------------------------------- */

static const double *level_row(const run_state *s, double level)
{
    long row = cli_plan_level_row(&s->plan, level);
    return row < 0 ? NULL : s->p.quantiles + (size_t)row * s->plan.horizon;
}

static void chart_titles(const run_state *s, const run_result *r, char *title,
                         size_t title_size, char *subtitle, size_t subtitle_size)
{
    const run_workload *w = s->w;
    char level[CLI_NUMBER_SIZE] = "the mean";
    if (!isnan(r->totals.planned_level)) {
        level[0] = 'q';
        cli_format_number(r->totals.planned_level, level + 1, sizeof level - 1);
    }
    snprintf(title, title_size, "%s%s%s (%s)", w->ns ? w->ns : "", w->ns ? "/" : "",
             w->name, w->kind);
    snprintf(subtitle, subtitle_size, "model %s \xc2\xb7 planned on %s \xc2\xb7 peak %zu "
             "replicas \xc2\xb7 decision %s", r->model, level, r->totals.peak_replicas,
             kairos_decision_name(r->decision.decision));
}

static int draw(run_state *s, run_result *r)
{
    const run_workload *w = s->w;
    size_t n = kairos_series_length(s->p.history);
    int64_t shown_s = w->chart_history_s ? w->chart_history_s
                                         : 4 * (int64_t)s->plan.horizon * s->plan.step_s;
    size_t shown = (size_t)((shown_s + s->plan.step_s - 1) / s->plan.step_s);
    if (shown > n)
        shown = n;
    s->capacity = calloc(s->plan.horizon, sizeof *s->capacity);
    if (!s->capacity)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for the chart");
    for (size_t i = 0; i < s->plan.horizon; i++)
        s->capacity[i] = (double)s->plan.replicas[i] * w->plan.opts.target_per_replica;
    char title[256], subtitle[256], capacity_label[96], target[CLI_NUMBER_SIZE];
    chart_titles(s, r, title, sizeof title, subtitle, sizeof subtitle);
    cli_format_number(w->plan.opts.target_per_replica, target, sizeof target);
    snprintf(capacity_label, sizeof capacity_label, "planned capacity (replicas \xc3\x97 %s)",
             target);
    cli_chart c = {
        .id = w->name, .title = title, .subtitle = subtitle, .unit = w->unit,
        .history_t = kairos_series_timestamps(s->p.history) + (n - shown),
        .history = kairos_series_values(s->p.history) + (n - shown), .n_history = shown,
        .t = s->times, .horizon = s->plan.horizon, .step_s = s->plan.step_s,
        .mean = s->p.mean,
        .outer_lo = level_row(s, 0.05), .outer_hi = level_row(s, 0.95),
        .inner_lo = level_row(s, 0.25), .inner_hi = level_row(s, 0.75),
        .outer_label = "90% interval", .inner_label = "50% interval",
        .capacity = s->capacity, .capacity_label = capacity_label,
    };
    FILE *out = open_memstream(&r->svg, &r->svg_len);
    if (!out)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for the chart");
    cli_chart_svg(out, &c);
    return fclose(out) == 0 ? CLI_EXIT_OK : cli_fail(CLI_EXIT_MODEL, "cannot draw the chart");
}

/* ---- files ----------------------------------------------------------------------------- */

static int join_path(char *path, size_t size, const char *dir, const char *name)
{
    int n = snprintf(path, size, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= size)
        return cli_fail(CLI_EXIT_USAGE, "%s/%s: the path is too long", dir, name);
    return CLI_EXIT_OK;
}

static int open_output(const char *dir, const char *name, FILE **out, char *path, size_t size)
{
    *out = NULL;
    int code = join_path(path, size, dir, name);
    if (code != CLI_EXIT_OK)
        return code;
    *out = fopen(path, "wb");
    return *out ? CLI_EXIT_OK : cli_fail(CLI_EXIT_DATA, "cannot write %s: %s", path,
                                        strerror(errno));
}

/* The writers flush and check; closing can still fail (NFS, full disk). */
static int close_output(FILE *out, int code, const char *path)
{
    int closed = fclose(out);
    if (code == CLI_EXIT_OK && closed != 0)
        return cli_fail(CLI_EXIT_DATA, "cannot write %s: %s", path, strerror(errno));
    return code;
}

static int write_forecast(const run_state *s, const char *dir)
{
    const run_workload *w = s->w;
    size_t h = s->plan.horizon;
    double *columns = calloc(w->n_quantiles * h, sizeof *columns);
    char labels[RUN_MAX_QUANTILES][CLI_NUMBER_SIZE + 1];
    const char *label_ptrs[RUN_MAX_QUANTILES];
    if (!columns)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for the forecast");
    for (size_t j = 0; j < w->n_quantiles; j++) {
        const double *row = level_row(s, w->quantiles[j]);
        if (!row) {   /* cannot happen: every configured level is asked of the forecast */
            free(columns);
            return cli_fail(CLI_EXIT_MODEL, "quantile %g was not forecast", w->quantiles[j]);
        }
        memcpy(columns + j * h, row, h * sizeof *columns);
        labels[j][0] = 'q';
        cli_format_number(w->quantiles[j], labels[j] + 1, CLI_NUMBER_SIZE);
        label_ptrs[j] = labels[j];
    }
    cli_forecast_table t = { .horizon = h, .mean = s->p.mean, .columns = columns,
                             .n_columns = w->n_quantiles, .labels = label_ptrs,
                             .timestamps = s->p.timestamps };
    char path[4200];
    FILE *out = NULL;
    int code = open_output(dir, "forecast.csv", &out, path, sizeof path);
    if (code == CLI_EXIT_OK)
        code = close_output(out, cli_write_forecast_csv(out, &t), path);
    free(columns);
    return code;
}

static int write_plan(const run_state *s, const char *dir)
{
    cli_plan_table t = { .horizon = s->plan.horizon, .timestamps = s->p.timestamps,
                         .demand = s->plan.demand, .replicas = s->plan.replicas,
                         .p_shortfall = s->plan.p_shortfall, .totals = &s->plan.totals,
                         .step_s = s->plan.step_s };
    char path[4200];
    FILE *out = NULL;
    int code = open_output(dir, "plan.csv", &out, path, sizeof path);
    return code == CLI_EXIT_OK ? close_output(out, cli_write_plan_csv(out, &t), path) : code;
}

static int write_text(const char *dir, const char *name, const char *text, size_t len)
{
    char path[4200];
    FILE *out = NULL;
    int code = open_output(dir, name, &out, path, sizeof path);
    if (code != CLI_EXIT_OK)
        return code;
    fwrite(text, 1, len, out);
    return close_output(out, cli_finish_output(out, path), path);
}

static int write_report(const run_workload *w, const run_result *r, const char *dir)
{
    char path[4200];
    FILE *out = NULL;
    int code = open_output(dir, "report.json", &out, path, sizeof path);
    return code == CLI_EXIT_OK ? close_output(out, run_write_report_json(out, w, r), path)
                               : code;
}

static int make_directory(const char *dir)
{
    if (mkdir(dir, 0777) == 0 || errno == EEXIST)
        return CLI_EXIT_OK;
    return cli_fail(CLI_EXIT_DATA, "cannot create %s: %s", dir, strerror(errno));
}

static int write_outputs(const run_state *s, const run_result *r, const char *dir)
{
    int code = write_forecast(s, dir);
    if (code == CLI_EXIT_OK)
        code = write_plan(s, dir);
    if (code == CLI_EXIT_OK)
        code = write_text(dir, "scaledobject.yaml", s->manifest.data, s->manifest.len);
    if (code == CLI_EXIT_OK)
        code = write_text(dir, "chart.svg", r->svg, r->svg_len);
    if (code == CLI_EXIT_OK)
        code = write_report(s->w, r, dir);
    return code;
}

/* A failed workload leaves only its report.json (saying why), never files of an earlier
 * run that would look current. */
static void write_failure(const run_workload *w, run_result *r, const char *dir)
{
    char path[4200];
    for (size_t i = 0; i < sizeof output_files / sizeof output_files[0]; i++)
        if (join_path(path, sizeof path, dir, output_files[i]) == CLI_EXIT_OK)
            remove(path);
    free(r->svg);
    r->svg = NULL;
    r->svg_len = 0;
    char ignored[RUN_ERROR_SIZE];
    cli_capture_messages(ignored, sizeof ignored);   /* keep the first failure's message */
    write_report(w, r, dir);
}

static int compute(run_state *s, run_result *r)
{
    int code = load_history(s);
    if (code == CLI_EXIT_OK)
        code = forecast_and_plan(s, r);
    if (code == CLI_EXIT_OK)
        code = price(s, r);
    if (code == CLI_EXIT_OK)
        code = decide(s, r);
    if (code == CLI_EXIT_OK)
        code = scaled_object(s, r);
    if (code == CLI_EXIT_OK)
        code = draw(s, r);
    return code;
}

void run_workload_execute(const run_workload *w, const char *out_dir, run_result *r)
{
    run_state s;
    memset(&s, 0, sizeof s);
    s.w = w;
    char dir[4096];
    cli_capture_messages(r->error, sizeof r->error);
    r->code = join_path(dir, sizeof dir, out_dir, w->name);
    if (r->code == CLI_EXIT_OK)
        r->code = make_directory(dir);
    if (r->code == CLI_EXIT_OK)
        r->code = compute(&s, r);
    if (r->code == CLI_EXIT_OK)
        r->code = write_outputs(&s, r, dir);
    if (r->code != CLI_EXIT_OK)
        write_failure(w, r, dir);
    cli_capture_messages(NULL, 0);
    state_free(&s);
}

void run_result_free(run_result *r)
{
    kairos_buf_dispose(&r->rationale);
    kairos_buf_dispose(&r->model_json);
    free(r->svg);
    memset(r, 0, sizeof *r);
}
