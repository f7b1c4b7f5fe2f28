/* `kairos plan`: forecast a metric history (the shared forecast request and pipeline of
 * forecast_request.c) and turn the forecast into a replica schedule with per-step risk
 * (the plan step of plan_request.c; contract: DESIGN.md, formulas: docs/planning.md). */
#include "cli.h"

#include <math.h>
#include <string.h>

typedef struct plan_command {
    cli_forecast_request req;
    cli_plan_request plan;
    bool json;
} plan_command;

/* ---- options of `plan` (ctx is the plan_command) --------------------------------------- */

static int set_plan_option(void *ctx, const char *option, const char *value)
{
    plan_command *cmd = ctx;
    return cli_plan_request_apply(&cmd->plan, option, value);
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
    CLI_PLAN_OPTIONS(set_plan_option),
    { "--format", true, set_format },
};

/* ---- running --------------------------------------------------------------------------- */

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

static int print_plan(const plan_command *cmd, const cli_pipeline *p, const cli_plan *plan)
{
    cli_plan_table table = {
        .horizon = p->horizon,
        .timestamps = p->timestamps,
        .demand = plan->demand,
        .replicas = plan->replicas,
        .p_shortfall = plan->p_shortfall,
        .totals = &plan->totals,
        .step_s = plan->step_s,
        .model_json = cmd->req.report ? p->report.data : NULL,
    };
    return cmd->json ? cli_write_plan_json(stdout, &table) : cli_write_plan_csv(stdout, &table);
}

static int run_plan(const plan_command *cmd)
{
    cli_pipeline p;
    memset(&p, 0, sizeof p);
    cli_plan plan;
    memset(&plan, 0, sizeof plan);
    int code = cli_pipeline_load(&cmd->req, &p);
    if (code == CLI_EXIT_OK)
        code = cli_plan_pipeline(&cmd->req, &cmd->plan, &p, NULL, 0, &plan);
    if (code == CLI_EXIT_OK && cmd->req.verbose)
        note_plan(&plan.totals);
    if (code == CLI_EXIT_OK)
        code = print_plan(cmd, &p, &plan);
    cli_plan_free(&plan);
    cli_pipeline_free(&p);
    return code;
}

int cli_plan_main(int argc, char **argv)
{
    plan_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cli_forecast_request_init(&cmd.req, "plan");
    cli_plan_request_init(&cmd.plan, false);
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
        code = cli_plan_request_check(&cmd.plan);
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
