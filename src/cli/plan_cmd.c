/* `kairos plan`: forecast a metric history (the shared forecast request and pipeline of
 * forecast_request.c) and turn the forecast into a replica schedule with per-step risk
 * (kairos_plan_replicas; contract: DESIGN.md, formulas: docs/planning.md). */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LEVELS = 16 };

typedef struct plan_command {
    cli_forecast_request req;
    kairos_plan_opts plan;
    bool target_given, json;
} plan_command;

/* The levels the forecast is asked for. The planner builds each step's distribution from
 * them (for p_shortfall and the expected shortfall), so a fine grid gives a sharper risk;
 * the level planned on is added so it is used exactly, not interpolated. */
static const double base_levels[] = { 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5,
                                      0.6,  0.7,  0.8, 0.9, 0.95, 0.99 };

/* ---- options of `plan` (ctx is the plan_command) --------------------------------------- */

static int set_target(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    cmd->target_given = true;
    return cli_parse_positive(option, value, &cmd->plan.target_per_replica);
}

static int set_headroom(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_parse_positive(option, value, &cmd->plan.headroom);
}

static int set_quantile(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_parse_open_interval(option, value, 0, 1, &cmd->plan.quantile);
}

static int set_risk(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_parse_open_interval(option, value, 0, 1, &cmd->plan.risk);
}

static int set_min(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_parse_size(option, value, 0, KAIROS_PLAN_MAX_REPLICAS, &cmd->plan.min_replicas);
}

static int set_max(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_parse_size(option, value, 1, KAIROS_PLAN_MAX_REPLICAS, &cmd->plan.max_replicas);
}

static int set_current(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_parse_size(option, value, 1, KAIROS_PLAN_MAX_REPLICAS,
                          &cmd->plan.current_replicas);
}

static int set_up_factor(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_parse_range(option, value, 1, KAIROS_PLAN_MAX_REPLICAS,
                           &cmd->plan.max_up_factor);
}

static int set_down(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_parse_range(option, value, 0, 1, &cmd->plan.max_down_fraction);
}

static int set_stabilization(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_parse_duration(option, value, 0, &cmd->plan.stabilization_s);
}

static int set_lead_time(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_parse_duration(option, value, 0, &cmd->plan.lead_time_s);
}

static int set_format(void *ctx, const char *option, const char *value)
{
    static const char *const names[] = { "csv", "json", NULL };
    plan_command *cmd = ctx;
    size_t i = 0;
    int code = cli_parse_choice(option, value, names, &i);
    cmd->json = i == 1;
    return code;
}

static const cli_option plan_options[] = {
    { "--target-per-replica", true, set_target },
    { "--headroom", true, set_headroom },
    { "--quantile", true, set_quantile },
    { "--risk", true, set_risk },
    { "--min", true, set_min },
    { "--max", true, set_max },
    { "--max-up-factor", true, set_up_factor },
    { "--max-down", true, set_down },
    { "--stabilization", true, set_stabilization },
    { "--lead-time", true, set_lead_time },
    { "--current", true, set_current },
    { "--format", true, set_format },
};

static int check_plan(const plan_command *cmd)
{
    const kairos_plan_opts *o = &cmd->plan;
    if (!cmd->target_given)
        return cli_fail(CLI_EXIT_USAGE, "--target-per-replica X is required");
    if (o->quantile > 0 && o->risk > 0)
        return cli_fail(CLI_EXIT_USAGE, "--quantile and --risk cannot be used together");
    if (o->max_replicas < o->min_replicas)
        return cli_fail(CLI_EXIT_USAGE, "--max (%zu) is below --min (%zu)", o->max_replicas,
                        o->min_replicas);
    return CLI_EXIT_OK;
}

/* ---- running --------------------------------------------------------------------------- */

/* base_levels with the planned level (if any) put in order; 1 − risk is computed as the
 * library computes it, so --risk P and --quantile 1−P plan on the same number. */
static size_t choose_levels(const kairos_plan_opts *o, double *levels)
{
    double want = o->quantile > 0 ? o->quantile : o->risk > 0 ? 1.0 - o->risk : 0;
    bool placed = want == 0;
    size_t n = 0;
    for (size_t i = 0; i < sizeof base_levels / sizeof base_levels[0]; i++) {
        if (!placed && want <= base_levels[i]) {
            if (fabs(want - base_levels[i]) > 1e-9)
                levels[n++] = want;
            placed = true;
        }
        levels[n++] = base_levels[i];
    }
    if (!placed)
        levels[n++] = want;
    return n;
}

typedef struct plan_arrays {
    size_t *replicas;
    double *demand, *risk;
} plan_arrays;

static int make_plan(const plan_command *cmd, const cli_pipeline *p, const double *levels,
                     size_t n_levels, plan_arrays *a, kairos_plan_totals *totals)
{
    a->replicas = calloc(p->horizon, sizeof *a->replicas);
    a->demand = calloc(p->horizon, sizeof *a->demand);
    a->risk = calloc(p->horizon, sizeof *a->risk);
    if (!a->replicas || !a->demand || !a->risk)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for a plan of %zu steps", p->horizon);
    kairos_plan_forecast fc = KAIROS_PLAN_FORECAST_INIT;
    fc.horizon = p->horizon;
    /* Input without timestamps has no step: each step then counts as an hour. */
    fc.step_s = p->timed && p->step_s > 0 ? p->step_s : 3600;
    fc.mean = p->mean;
    fc.levels = levels;
    fc.n_quantiles = n_levels;
    fc.quantiles = p->quantiles;
    memset(totals, 0, sizeof *totals);
    totals->version = KAIROS_PLAN_TOTALS_VERSION;
    int status = kairos_plan_replicas(&fc, &cmd->plan, a->replicas, a->demand, a->risk,
                                      totals);
    return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, "plan");
}

static void note_plan(const kairos_plan_totals *t)
{
    char level[CLI_NUMBER_SIZE], hours[CLI_NUMBER_SIZE];
    cli_format_number(t->planned_level, level, sizeof level);
    cli_format_number(t->replica_hours, hours, sizeof hours);
    cli_note("planned on %s%s%s; peak %zu replicas at step %zu; %s replica-hours",
             isnan(t->planned_level) ? "the mean" : "q", isnan(t->planned_level) ? "" : level,
             t->level_extrapolated ? " (beyond the forecast's levels: fitted tail)" : "",
             t->peak_replicas, t->peak_step + 1, hours);
}

static int print_plan(const plan_command *cmd, const cli_pipeline *p, const plan_arrays *a,
                      const kairos_plan_totals *totals)
{
    cli_plan_table table = {
        .horizon = p->horizon,
        .timestamps = p->timestamps,
        .demand = a->demand,
        .replicas = a->replicas,
        .p_shortfall = a->risk,
        .totals = totals,
        .step_s = p->timed && p->step_s > 0 ? p->step_s : 3600,
        .model_json = cmd->req.report ? p->report.data : NULL,
    };
    return cmd->json ? cli_write_plan_json(stdout, &table) : cli_write_plan_csv(stdout, &table);
}

static int run_plan(const plan_command *cmd)
{
    cli_pipeline p;
    memset(&p, 0, sizeof p);
    plan_arrays a = { NULL, NULL, NULL };
    kairos_plan_totals totals;
    double levels[MAX_LEVELS];
    size_t n_levels = choose_levels(&cmd->plan, levels);
    int code = cli_pipeline_load(&cmd->req, &p);
    if (code == CLI_EXIT_OK && !p.timed && (cmd->plan.lead_time_s || cmd->plan.stabilization_s))
        code = cli_fail(CLI_EXIT_USAGE, "%s has no timestamps, so --lead-time and "
                        "--stabilization have no step to count in", cli_input_name(&cmd->req));
    if (code == CLI_EXIT_OK)
        code = cli_pipeline_fit(&cmd->req, &p);
    if (code == CLI_EXIT_OK)
        code = cli_pipeline_forecast(&cmd->req, &p, levels, n_levels);
    if (code == CLI_EXIT_OK)
        code = make_plan(cmd, &p, levels, n_levels, &a, &totals);
    if (code == CLI_EXIT_OK && cmd->req.verbose)
        note_plan(&totals);
    if (code == CLI_EXIT_OK)
        code = print_plan(cmd, &p, &a, &totals);
    free(a.replicas);
    free(a.demand);
    free(a.risk);
    cli_pipeline_free(&p);
    return code;
}

int cli_plan_main(int argc, char **argv)
{
    plan_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cli_forecast_request_init(&cmd.req, "plan");
    cmd.plan = (kairos_plan_opts)KAIROS_PLAN_OPTS_INIT;
    int code = cli_forecast_request_parse(&cmd.req, argc, argv, plan_options,
                                          sizeof plan_options / sizeof plan_options[0], &cmd);
    if (code != CLI_EXIT_OK)
        return code;
    if (cmd.req.help) {
        cli_plan_help(stdout);
        return CLI_EXIT_OK;
    }
    code = cli_forecast_request_check(&cmd.req, cmd.json);
    if (code == CLI_EXIT_OK)
        code = check_plan(&cmd);
    return code != CLI_EXIT_OK ? code : run_plan(&cmd);
}

void cli_plan_help(FILE *out)
{
    fputs(
"Usage: kairos plan FILE --horizon N --target-per-replica X [options]\n"
"\n"
"Forecast a metric history (CSV as for 'kairos forecast'; '-' is standard input) and plan\n"
"the replicas of each step, with the probability that demand exceeds capacity\n"
"(replicas x target). See docs/planning.md for the formulas.\n"
"\n"
"Plan options:\n"
"  --target-per-replica X  load one replica serves, > 0 (required)\n"
"  --headroom F            multiplier on the demand, > 0 (default: 1.0)\n"
"  --quantile Q            plan on the predictive quantile Q, 0 < Q < 1 (default: the\n"
"                          mean)\n"
"  --risk P                plan on the quantile 1-P (not with --quantile)\n"
"  --min N                 fewest replicas, 0 allows scale to zero (default: 1)\n"
"  --max N                 most replicas (default: 100)\n"
"  --max-up-factor F       per step at most ceil(previous x F) replicas, F >= 1\n"
"                          (default: 2)\n"
"  --max-down F            per step at least floor(previous x (1-F)) replicas, 0 to 1\n"
"                          (default: 0.5)\n"
"  --stabilization DUR     scale down only once the lower count held this long\n"
"                          (default: 0)\n"
"  --lead-time DUR         size each step for the peak of the next DUR too, so\n"
"                          replicas are ready before the load arrives (default: 0)\n"
"  --current N             replicas running now: the first step's limits start there\n"
"                          (default: unknown, start from the first step's need)\n"
"  --format csv|json       output format (default: csv)\n"
"\n",
          out);
    cli_forecast_options_help(out);
    fputs(
"Output:\n"
"  CSV:  step,timestamp,demand,replicas,p_shortfall; demand is the load planned for (the\n"
"        mean or the quantile, at its peak over the lead time), p_shortfall the\n"
"        probability that the step's demand exceeds replicas x target. The timestamp\n"
"        column only when the input has timestamps (without them each step counts as\n"
"        an hour in the totals).\n"
"  JSON: {\"model\": {...} (with --report), \"plan\": {\"step\", \"timestamp\", \"demand\",\n"
"        \"replicas\", \"p_shortfall\"}, \"totals\": {\"replica_hours\", \"hours\",\n"
"        \"peak_replicas\", \"peak_step\", \"shortfall_replica_minutes\",\n"
"        \"max_p_shortfall\", \"mean_p_shortfall\", \"planned_on\", \"step_s\",\n"
"        \"lead_steps\", \"stabilization_steps\"}}\n"
"\n"
"Exit status: 0 success, 2 usage error, 3 bad input data, 4 the model could not be\n"
"fitted. Failures print one line on stderr.\n"
"\n"
"Examples:\n"
"  kairos plan examples/data/web-requests.csv --horizon 48 --target-per-replica 100\n"
"  kairos plan history.csv --horizon 24 --target-per-replica 50 --risk 0.05 \\\n"
"      --lead-time 10m --current 4 > plan.csv\n"
"  kairos cost --plan plan.csv --cpu 500m --memory 1Gi --current 4\n",
          out);
}
