/* The checks of `kairos run`'s configuration that no single key can make — a workload has
 * a name, a source, a horizon, a target, requests to price and what its KEDA mode needs —
 * and the defaults every workload starts from. The keys themselves are read in
 * run_config.c; the schema is in docs/run.md. */
#include "run.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DAY ((int64_t)86400)

/* A config error at the workload's line: exit 2. */
static int place_fail(const run_place *at, const char *fmt, ...) CLI_PRINTF(2, 3);
static int place_fail(const run_place *at, const char *fmt, ...)
{
    char message[RUN_ERROR_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return cli_fail(CLI_EXIT_USAGE, "%s:%zu: %s", at->path, at->line, message);
}

void run_workload_init(run_workload *w)
{
    memset(w, 0, sizeof *w);
    w->kind = "Deployment";
    cli_forecast_request_init(&w->req, "run");
    w->req.report = true;      /* report.json carries the fitted model */
    cli_plan_request_init(&w->plan, true);
    static const double quantiles[] = { 0.05, 0.1, 0.5, 0.9, 0.95 };
    memcpy(w->quantiles, quantiles, sizeof quantiles);
    w->n_quantiles = sizeof quantiles / sizeof quantiles[0];
    w->prometheus.window_s = 14 * DAY;
    w->prometheus.timeout_s = 30;
    w->cost = (kairos_cost_model)KAIROS_COST_MODEL_INIT;
    w->cpu = w->memory = NAN;
    w->cpu_p95 = w->memory_peak = w->node_utilization = NAN;
    w->queue_lag_growth = w->confidence = NAN;
    w->so = (kairos_keda_so_opts)KAIROS_KEDA_SO_OPTS_INIT;
}

/* CSV paths are relative to the config file, so a config runs from any directory. */
static int resolve_csv(const run_place *at, run_workload *w)
{
    const char *slash = strrchr(at->path, '/');
    size_t dir = w->csv[0] == '/' || !slash ? 0 : (size_t)(slash - at->path) + 1;
    size_t len = strlen(w->csv);
    w->csv_path = malloc(dir + len + 1);
    if (!w->csv_path)
        return cli_fail(CLI_EXIT_MODEL, "out of memory");
    memcpy(w->csv_path, at->path, dir);
    memcpy(w->csv_path + dir, w->csv, len + 1);
    w->req.path = w->csv_path;
    return CLI_EXIT_OK;
}

static int check_source(const run_place *at, run_workload *w)
{
    run_prometheus *p = &w->prometheus;
    if (w->source == RUN_SOURCE_NONE)
        return place_fail(at, "workload '%s' has no source (a CSV path or "
                           "prometheus: {url, query})", w->name);
    if (w->source == RUN_SOURCE_CSV)
        return resolve_csv(at, w);
    if (!p->url || !p->query)
        return place_fail(at, "workload '%s': source.prometheus needs url and query",
                           w->name);
    w->req.path = p->url;
    if (!p->step_s)
        p->step_s = w->req.step_given ? w->req.regularize.step_s : 3600;
    return CLI_EXIT_OK;
}

static int check_plan(const run_place *at, const run_workload *w)
{
    const kairos_plan_opts *o = &w->plan.opts;
    if (!w->req.horizon)
        return place_fail(at, "workload '%s' has no horizon", w->name);
    if (!w->plan.target_given)
        return place_fail(at, "workload '%s' has no plan.target_per_replica",
                           w->name);
    if (o->quantile > 0 && o->risk > 0)
        return place_fail(at, "workload '%s': plan.quantile and plan.risk cannot be "
                           "used together", w->name);
    if (o->max_replicas < o->min_replicas)
        return place_fail(at, "workload '%s': plan.max (%zu) is below plan.min (%zu)",
                           w->name, o->max_replicas, o->min_replicas);
    return CLI_EXIT_OK;
}

/* The requests priced default to the current ones: what runs is what is paid for. */
static int check_cost(const run_place *at, run_workload *w)
{
    if (isnan(w->cpu) && w->cpu_request > 0)
        w->cpu = w->cpu_request;
    if (isnan(w->memory) && w->memory_request > 0)
        w->memory = w->memory_request;
    if (isnan(w->cpu) || isnan(w->memory))
        return place_fail(at, "workload '%s' needs cost.cpu and cost.memory (or "
                           "current.cpu_request and current.memory_request)", w->name);
    return CLI_EXIT_OK;
}

/* The ScaledObject describes the workload; a prometheus trigger defaults to the query the
 * history came from. */
static int check_keda(const run_place *at, run_workload *w)
{
    kairos_keda_so_opts *so = &w->so;
    so->name = w->name;
    so->ns = w->ns;
    so->target_kind = w->kind;
    if (w->source == RUN_SOURCE_PROMETHEUS && so->mode == KAIROS_KEDA_MODE_PROMETHEUS) {
        if (!so->prometheus_server)
            so->prometheus_server = w->prometheus.url;
        if (!so->query)
            so->query = w->prometheus.query;
    }
    if (so->mode == KAIROS_KEDA_MODE_PROMETHEUS && (!so->prometheus_server || !so->query))
        return place_fail(at, "workload '%s': keda mode prometheus needs "
                           "keda.prometheus_server and keda.query", w->name);
    if (so->mode == KAIROS_KEDA_MODE_EXTERNAL && !so->scaler_address)
        return place_fail(at, "workload '%s': keda mode external needs "
                           "keda.scaler_address", w->name);
    cli_keda_follow_plan(so, &w->plan, true);
    return CLI_EXIT_OK;
}

int run_workload_check(const run_place *at, run_workload *w,
                          const run_workload *earlier, size_t n_earlier)
{
    if (!w->name)
        return place_fail(at, "the workload has no name");
    if (kairos_keda_check_name(w->name, "workload name") != KAIROS_OK)
        return place_fail(at, "%s", kairos_last_error());
    for (size_t i = 0; i < n_earlier; i++)
        if (!strcmp(earlier[i].name, w->name))
            return place_fail(at, "workload name '%s' is used twice (first at line "
                               "%zu)", w->name, earlier[i].line);
    int code = check_source(at, w);
    if (code == CLI_EXIT_OK)
        code = check_plan(at, w);
    if (code == CLI_EXIT_OK)
        code = check_cost(at, w);
    if (code == CLI_EXIT_OK)
        code = check_keda(at, w);
    return code;
}

