/* The plan request shared by every command that plans (plan, keda, run): the replica
 * options, their checks, the forecast levels a plan needs, and the one plan step —
 * fit → forecast at those levels → kairos_plan_replicas — over the forecast pipeline of
 * forecast_request.c. Formulas: docs/planning.md. */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The levels every plan asks of the forecast. The planner builds each step's distribution
 * from them (for p_shortfall and the expected shortfall), so a fine grid gives a sharper
 * risk; the level planned on is added so it is used exactly, not interpolated. */
static const double base_levels[] = { 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5,
                                      0.6,  0.7,  0.8, 0.9, 0.95, 0.99 };
#define N_BASE_LEVELS (sizeof base_levels / sizeof base_levels[0])

/* ---- options --------------------------------------------------------------------------- */

void cli_plan_request_init(cli_plan_request *r, bool hpa)
{
    memset(r, 0, sizeof *r);
    r->opts = (kairos_plan_opts)KAIROS_PLAN_OPTS_INIT;
    r->hpa = hpa;
}

/* Each setter gets the label to name in messages ("--headroom" or a config key). */
typedef int (*plan_setter)(cli_plan_request *r, const char *label, const char *value);

static int set_target(cli_plan_request *r, const char *label, const char *value)
{
    r->target_given = true;
    return cli_parse_positive(label, value, &r->opts.target_per_replica);
}

/* A plan that becomes HPA behavior (r->hpa) takes KEDA's bounds: a threshold is target /
 * headroom, so headroom below 1 would raise the threshold above what a replica serves. */
static int set_headroom(cli_plan_request *r, const char *label, const char *value)
{
    if (r->hpa)
        return cli_parse_range(label, value, 1, 100, &r->opts.headroom);
    return cli_parse_positive(label, value, &r->opts.headroom);
}

static int set_quantile(cli_plan_request *r, const char *label, const char *value)
{
    return cli_parse_open_interval(label, value, 0, 1, &r->opts.quantile);
}

static int set_risk(cli_plan_request *r, const char *label, const char *value)
{
    return cli_parse_open_interval(label, value, 0, 1, &r->opts.risk);
}

static int set_min(cli_plan_request *r, const char *label, const char *value)
{
    return cli_parse_size(label, value, 0, KAIROS_PLAN_MAX_REPLICAS, &r->opts.min_replicas);
}

static int set_max(cli_plan_request *r, const char *label, const char *value)
{
    return cli_parse_size(label, value, 1, KAIROS_PLAN_MAX_REPLICAS, &r->opts.max_replicas);
}

static int set_current(cli_plan_request *r, const char *label, const char *value)
{
    return cli_parse_size(label, value, 1, KAIROS_PLAN_MAX_REPLICAS,
                          &r->opts.current_replicas);
}

/* The HPA's scaleUp/scaleDown policies cannot say "no change" (factor 1, fraction 0). */
static int set_up_factor(cli_plan_request *r, const char *label, const char *value)
{
    r->up_given = true;
    if (r->hpa)
        return cli_parse_range(label, value, 1.000001, 100, &r->opts.max_up_factor);
    return cli_parse_range(label, value, 1, KAIROS_PLAN_MAX_REPLICAS, &r->opts.max_up_factor);
}

static int set_down(cli_plan_request *r, const char *label, const char *value)
{
    r->down_given = true;
    return cli_parse_range(label, value, r->hpa ? 0.000001 : 0, 1, &r->opts.max_down_fraction);
}

static int set_stabilization(cli_plan_request *r, const char *label, const char *value)
{
    r->stabilization_given = true;
    int code = cli_parse_duration(label, value, 0, &r->opts.stabilization_s);
    if (code == CLI_EXIT_OK && r->hpa && r->opts.stabilization_s > 3600)
        return cli_fail(CLI_EXIT_USAGE, "%s: at most 1h (the HPA's limit)", label);
    return code;
}

static int set_lead_time(cli_plan_request *r, const char *label, const char *value)
{
    return cli_parse_duration(label, value, 0, &r->opts.lead_time_s);
}

static const struct {
    const char *name;
    plan_setter set;
} setters[] = {
    { "target-per-replica", set_target }, { "headroom", set_headroom },
    { "quantile", set_quantile },         { "risk", set_risk },
    { "min", set_min },                   { "max", set_max },
    { "max-up-factor", set_up_factor },   { "max-down", set_down },
    { "stabilization", set_stabilization }, { "lead-time", set_lead_time },
    { "current", set_current },
};

int cli_plan_request_set(cli_plan_request *r, const char *name, const char *label,
                         const char *value, bool *handled)
{
    for (size_t i = 0; i < sizeof setters / sizeof setters[0]; i++) {
        if (strcmp(setters[i].name, name) == 0) {
            *handled = true;
            return setters[i].set(r, label, value);
        }
    }
    *handled = false;
    return CLI_EXIT_OK;
}

int cli_plan_request_apply(cli_plan_request *r, const char *option, const char *value)
{
    bool handled = false;
    const char *name = strncmp(option, "--", 2) == 0 ? option + 2 : option;
    int code = cli_plan_request_set(r, name, option, value, &handled);
    return handled ? code : cli_fail(CLI_EXIT_USAGE, "unknown plan option '%s'", option);
}

int cli_plan_request_check(const cli_plan_request *r)
{
    const kairos_plan_opts *o = &r->opts;
    if (!r->target_given)
        return cli_fail(CLI_EXIT_USAGE, "--target-per-replica X is required");
    if (o->quantile > 0 && o->risk > 0)
        return cli_fail(CLI_EXIT_USAGE, "--quantile and --risk cannot be used together");
    return cli_plan_request_check_bounds(r);
}

int cli_plan_request_check_bounds(const cli_plan_request *r)
{
    const kairos_plan_opts *o = &r->opts;
    if (o->max_replicas < o->min_replicas)
        return cli_fail(CLI_EXIT_USAGE, "--max (%zu) is below --min (%zu)", o->max_replicas,
                        o->min_replicas);
    return CLI_EXIT_OK;
}

/* ---- levels ---------------------------------------------------------------------------- */

static int compare_levels(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Adds @p level unless a level within 1e-9 is there already. */
static size_t add_level(double *levels, size_t n, double level)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(levels[i] - level) <= 1e-9)
            return n;
    if (n < CLI_MAX_PLAN_LEVELS)
        levels[n++] = level;
    return n;
}

/* 1 − risk is computed as the library computes it, so --risk P and --quantile 1−P plan
 * on the same number. */
size_t cli_plan_levels(const kairos_plan_opts *o, const double *extra, size_t n_extra,
                       double *levels)
{
    double want = o->quantile > 0 ? o->quantile : o->risk > 0 ? 1.0 - o->risk : 0;
    size_t n = 0;
    if (want > 0)
        levels[n++] = want;   /* first, so it is never the one dropped when the grid is full */
    for (size_t i = 0; i < n_extra; i++)
        n = add_level(levels, n, extra[i]);
    for (size_t i = 0; i < N_BASE_LEVELS; i++)
        n = add_level(levels, n, base_levels[i]);
    qsort(levels, n, sizeof *levels, compare_levels);
    return n;
}

/* ---- the plan step --------------------------------------------------------------------- */

void cli_plan_free(cli_plan *plan)
{
    free(plan->replicas);
    free(plan->demand);
    free(plan->p_shortfall);
    memset(plan, 0, sizeof *plan);
}

static int plan_forecast(const cli_plan_request *r, const cli_pipeline *p, cli_plan *plan)
{
    plan->horizon = p->horizon;
    /* Input without timestamps has no step: each step then counts as an hour. */
    plan->step_s = p->timed && p->step_s > 0 ? p->step_s : 3600;
    plan->replicas = calloc(p->horizon, sizeof *plan->replicas);
    plan->demand = calloc(p->horizon, sizeof *plan->demand);
    plan->p_shortfall = calloc(p->horizon, sizeof *plan->p_shortfall);
    if (!plan->replicas || !plan->demand || !plan->p_shortfall)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for a plan of %zu steps", p->horizon);
    kairos_plan_forecast fc = KAIROS_PLAN_FORECAST_INIT;
    fc.horizon = p->horizon;
    fc.step_s = plan->step_s;
    fc.mean = p->mean;
    fc.levels = plan->levels;
    fc.n_quantiles = plan->n_levels;
    fc.quantiles = p->quantiles;
    plan->totals.version = KAIROS_PLAN_TOTALS_VERSION;
    int status = kairos_plan_replicas(&fc, &r->opts, plan->replicas, plan->demand,
                                      plan->p_shortfall, &plan->totals);
    return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, "plan");
}

int cli_plan_pipeline(const cli_forecast_request *req, const cli_plan_request *r,
                      cli_pipeline *p, const double *extra, size_t n_extra, cli_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->n_levels = cli_plan_levels(&r->opts, extra, n_extra, plan->levels);
    if (!p->timed && (r->opts.lead_time_s || r->opts.stabilization_s))
        return cli_fail(CLI_EXIT_USAGE, "%s has no timestamps, so --lead-time and "
                        "--stabilization have no step to count in", cli_input_name(req));
    int code = cli_pipeline_fit(req, p);
    if (code == CLI_EXIT_OK)
        code = cli_pipeline_forecast(req, p, plan->levels, plan->n_levels);
    if (code == CLI_EXIT_OK)
        code = plan_forecast(r, p, plan);
    return code;
}

/* The row of @p level in the forecast's quantiles, or -1 when it was not asked for. */
long cli_plan_level_row(const cli_plan *plan, double level)
{
    for (size_t i = 0; i < plan->n_levels; i++)
        if (fabs(plan->levels[i] - level) <= 1e-9)
            return (long)i;
    return -1;
}

int cli_pipeline_times(const cli_pipeline *p, int64_t **times)
{
    *times = NULL;
    if (!p->timed || !p->timestamps)
        return CLI_EXIT_OK;
    *times = calloc(p->horizon, sizeof **times);
    if (!*times)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for a plan of %zu steps", p->horizon);
    for (size_t i = 0; i < p->horizon; i++) {
        const char *text = p->timestamps + i * CLI_TIMESTAMP_SIZE;
        int status = kairos_parse_timestamp(text, strlen(text), &(*times)[i]);
        if (status)
            return cli_fail_status(status, "forecast timestamps");
    }
    return CLI_EXIT_OK;
}
