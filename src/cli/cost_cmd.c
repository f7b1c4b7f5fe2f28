/* `kairos cost`: price a replica count or a plan (the CSV `kairos plan` writes) per month,
 * against a static allocation at its peak and the current allocation (kairos_cost_plan;
 * contract: DESIGN.md, formulas: docs/cost.md). */
#include "cli.h"

#include <math.h>
#include <string.h>

typedef struct cost_command {
    size_t replicas;
    bool replicas_given;
    const char *plan_path;       /* --plan; "-" is standard input */
    double cpu_cores, memory_bytes;
    bool cpu_given, memory_given;
    kairos_cost_model model;
    size_t current;              /* 0 = unknown */
    bool text, help;
} cost_command;

/* ---- options (ctx is the cost_command) ------------------------------------------------- */

static int parse_quantity(const char *option, const char *text, double *out)
{
    double v = 0;
    if (kairos_quantity_parse(text, &v) != KAIROS_OK)
        return cli_fail(CLI_EXIT_USAGE, "%s: %s", option, kairos_last_error());
    if (!(v >= 0))
        return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is negative", option, text);
    *out = v;
    return CLI_EXIT_OK;
}

static int set_replicas(void *ctx, const char *option, const char *value)
{
    cost_command *cmd = ctx;
    cmd->replicas_given = true;
    return cli_parse_size(option, value, 0, KAIROS_PLAN_MAX_REPLICAS, &cmd->replicas);
}

static int set_plan(void *ctx, const char *option, const char *value)
{
    cost_command *cmd = ctx;
    if (!*value)
        return cli_fail(CLI_EXIT_USAGE, "%s: the file name is empty", option);
    cmd->plan_path = value;
    return CLI_EXIT_OK;
}

static int set_cpu(void *ctx, const char *option, const char *value)
{
    cost_command *cmd = ctx;
    cmd->cpu_given = true;
    return parse_quantity(option, value, &cmd->cpu_cores);
}

static int set_memory(void *ctx, const char *option, const char *value)
{
    cost_command *cmd = ctx;
    cmd->memory_given = true;
    return parse_quantity(option, value, &cmd->memory_bytes);
}

/* The prices and fractions of the cost model, found by the option's name. */
static int set_price(void *ctx, const char *option, const char *value)
{
    kairos_cost_model *m = &((cost_command *)ctx)->model;
    if (strcmp(option, "--cpu-price") == 0)
        return cli_parse_range(option, value, 0, HUGE_VAL, &m->cpu_price);
    if (strcmp(option, "--memory-price") == 0)
        return cli_parse_range(option, value, 0, HUGE_VAL, &m->memory_price);
    if (strcmp(option, "--hours-per-month") == 0)
        return cli_parse_positive(option, value, &m->hours_per_month);
    if (strcmp(option, "--spot-share") == 0)
        return cli_parse_range(option, value, 0, 1, &m->spot_share);
    return cli_parse_range(option, value, 0, 1, &m->spot_discount);
}

static int set_currency(void *ctx, const char *option, const char *value)
{
    cost_command *cmd = ctx;
    if (!*value || strcspn(value, "\"\\") != strlen(value))
        return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is not a currency label", option, value);
    cmd->model.currency = value;
    return CLI_EXIT_OK;
}

static int set_current(void *ctx, const char *option, const char *value)
{
    cost_command *cmd = ctx;
    return cli_parse_size(option, value, 1, KAIROS_PLAN_MAX_REPLICAS, &cmd->current);
}

static int set_format(void *ctx, const char *option, const char *value)
{
    static const char *const names[] = { "json", "text", NULL };
    cost_command *cmd = ctx;
    size_t i = 0;
    int code = cli_parse_choice(option, value, names, &i);
    cmd->text = i == 1;
    return code;
}

static int set_help(void *ctx, const char *option, const char *value)
{
    (void)option, (void)value;
    ((cost_command *)ctx)->help = true;
    return CLI_EXIT_OK;
}

static const cli_option cost_options[] = {
    { "--replicas", true, set_replicas },
    { "--plan", true, set_plan },
    { "--cpu", true, set_cpu },
    { "--memory", true, set_memory },
    { "--cpu-price", true, set_price },
    { "--memory-price", true, set_price },
    { "--hours-per-month", true, set_price },
    { "--spot-share", true, set_price },
    { "--spot-discount", true, set_price },
    { "--currency", true, set_currency },
    { "--current", true, set_current },
    { "--format", true, set_format },
    { "--help", false, set_help },
    { "-h", false, set_help },
};

static int parse_args(cost_command *cmd, int argc, char **argv)
{
    cli_args args;
    cli_args_start(&args, argc, argv, 1);
    const char *positional = NULL;
    enum cli_arg_kind kind;
    while ((kind = cli_args_next(&args, &positional)) != CLI_ARG_END) {
        if (kind == CLI_ARG_POSITIONAL)
            return cli_fail(CLI_EXIT_USAGE, "cost reads no FILE ('%s'); give a plan with "
                            "--plan PLAN.csv", positional);
        bool handled = false;
        int code = cli_apply_option(cost_options, sizeof cost_options / sizeof cost_options[0],
                                    cmd, &args, &handled);
        if (!handled)
            code = cli_fail(CLI_EXIT_USAGE, "unknown option '%s' (see 'kairos cost --help')",
                            args.name);
        if (code != CLI_EXIT_OK || cmd->help)
            return code;
    }
    if (cmd->replicas_given == (cmd->plan_path != NULL))
        return cli_fail(CLI_EXIT_USAGE, "give exactly one of --replicas N and --plan PLAN.csv");
    if (!cmd->cpu_given || !cmd->memory_given)
        return cli_fail(CLI_EXIT_USAGE, "--cpu CORES and --memory QTY are required (e.g. "
                        "--cpu 500m --memory 1Gi)");
    return CLI_EXIT_OK;
}

/* ---- output ---------------------------------------------------------------------------- */

/* Amounts are written to a millionth: enough for any price, free of binary noise
 * (54.75, not 54.750000000000007). */
static void put_money(FILE *out, double x)
{
    if (isfinite(x))
        cli_put_number(out, round(x * 1e6) / 1e6 + 0.0);   /* + 0.0: never "-0" */
    else
        fputs("null", out);
}

static void put_member(FILE *out, const char *indent, const char *key, double x, bool money)
{
    fprintf(out, ",\n%s\"%s\": ", indent, key);
    if (money)
        put_money(out, x);
    else
        cli_put_number(out, x);
}

static void write_json(FILE *out, const cost_command *cmd, const kairos_cost_report *c)
{
    fprintf(out, "{\n  \"currency\": \"%s\"", cmd->model.currency ? cmd->model.currency : "USD");
    put_member(out, "  ", "replica_hourly", c->replica_hourly, true);
    put_member(out, "  ", "hours_per_month", cmd->model.hours_per_month, false);
    fputs(",\n  \"plan\": {\n    \"mean_replicas\": ", out);
    cli_put_number(out, c->mean_replicas);
    fprintf(out, ",\n    \"peak_replicas\": %zu", c->peak_replicas);
    put_member(out, "    ", "horizon_hours", c->horizon_hours, false);
    put_member(out, "    ", "replica_hours", c->replica_hours, false);
    put_member(out, "    ", "horizon", c->plan_horizon, true);
    put_member(out, "    ", "month", c->plan_month, true);
    fprintf(out, "\n  },\n  \"peak_static\": {\"replicas\": %zu, \"month\": ", c->peak_replicas);
    put_money(out, c->peak_month);
    fputs("},\n  \"current\": ", out);
    if (cmd->current) {
        fprintf(out, "{\"replicas\": %zu, \"month\": ", cmd->current);
        put_money(out, c->current_month);
        fputc('}', out);
    } else {
        fputs("null", out);
    }
    put_member(out, "  ", "delta_vs_current", c->delta_vs_current, true);
    put_member(out, "  ", "delta_vs_peak", c->delta_vs_peak, true);
    put_member(out, "  ", "savings_vs_current", c->savings_vs_current, true);
    put_member(out, "  ", "savings_vs_peak", c->savings_vs_peak, true);
    fputs("\n}\n", out);
}

static void write_text(FILE *out, const cost_command *cmd, const kairos_cost_report *c)
{
    const char *cur = cmd->model.currency ? cmd->model.currency : "USD";
    char mean[CLI_NUMBER_SIZE];
    cli_format_number(round(c->mean_replicas * 100) / 100, mean, sizeof mean);
    fprintf(out, "plan:            %10.2f %s/month  (mean %s replicas, peak %zu)\n",
            c->plan_month, cur, mean, c->peak_replicas);
    fprintf(out, "static at peak:  %10.2f %s/month  (%zu replicas; the plan saves %.2f)\n",
            c->peak_month, cur, c->peak_replicas, c->savings_vs_peak + 0.0);
    if (cmd->current)
        fprintf(out, "current:         %10.2f %s/month  (%zu replicas; plan %+.2f)\n",
                c->current_month, cur, cmd->current, c->delta_vs_current + 0.0);
    fprintf(out, "per replica:     %10.4f %s/hour\n", c->replica_hourly, cur);
}

/* ---- running --------------------------------------------------------------------------- */

static int run_cost(const cost_command *cmd)
{
    cli_plan_file plan;
    memset(&plan, 0, sizeof plan);
    int code = CLI_EXIT_OK;
    if (cmd->plan_path) {
        code = cli_plan_file_read(cmd->plan_path, &plan);
    } else {
        /* A constant count: a one-hour plan prices the same per month as any other. */
        plan.replicas = NULL;
        plan.n = 1;
        plan.step_s = 3600;
    }
    kairos_cost_report c;
    memset(&c, 0, sizeof c);
    c.version = KAIROS_COST_REPORT_VERSION;
    if (code == CLI_EXIT_OK) {
        int status = kairos_cost_plan(&c, &cmd->model, cmd->cpu_cores, cmd->memory_bytes,
                                      plan.replicas ? plan.replicas : &cmd->replicas, plan.n,
                                      plan.step_s, cmd->current);
        if (status != KAIROS_OK)
            code = cli_fail_status(status, cmd->plan_path ? "cost of the plan" : "cost");
    }
    cli_plan_file_free(&plan);
    if (code != CLI_EXIT_OK)
        return code;
    if (cmd->text)
        write_text(stdout, cmd, &c);
    else
        write_json(stdout, cmd, &c);
    return cli_finish_output(stdout, "the cost");
}

int cli_cost_main(int argc, char **argv)
{
    cost_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.model = (kairos_cost_model)KAIROS_COST_MODEL_INIT;
    int code = parse_args(&cmd, argc, argv);
    if (code != CLI_EXIT_OK)
        return code;
    if (cmd.help) {
        cli_cost_help(stdout);
        return CLI_EXIT_OK;
    }
    return run_cost(&cmd);
}

void cli_cost_help(FILE *out)
{
    fputs(
"Usage: kairos cost (--replicas N | --plan PLAN.csv) --cpu CORES --memory QTY [options]\n"
"\n"
"Price a constant replica count, or a plan written by 'kairos plan', per month; compare\n"
"it with a static allocation at the plan's peak and with the current allocation.\n"
"\n"
"Options:\n"
"  --replicas N            a constant number of replicas\n"
"  --plan PLAN.csv         the CSV of 'kairos plan' ('-' is standard input): its\n"
"                          replicas column, stepped by its timestamp column (without\n"
"                          one, each row counts as an hour)\n"
"  --cpu CORES             per-replica CPU request, as a quantity: 500m, 0.5, 2\n"
"                          (required)\n"
"  --memory QTY            per-replica memory request in bytes, as a quantity: 512Mi,\n"
"                          1Gi, 1e9 (required)\n"
"  --cpu-price X           price of one vCPU-hour (default: 0.04)\n"
"  --memory-price X        price of one GiB-hour (default: 0.005)\n"
"  --hours-per-month H     hours in a billing month (default: 730)\n"
"  --spot-share F          share of replicas on spot, 0 to 1 (default: 0)\n"
"  --spot-discount F       spot price = on-demand x (1 - F), 0 to 1 (default: 0)\n"
"  --currency LABEL        label of the amounts (default: USD)\n"
"  --current N             replicas running now, for the delta (default: unknown)\n"
"  --format json|text      output format (default: json)\n"
"  -h, --help              show this help\n"
"\n"
"One replica-hour costs cpu x cpu price + GiB x memory price (blended with spot); a plan\n"
"costs its mean replicas x that x hours per month. Amounts in JSON are rounded to a\n"
"millionth. JSON members: currency, replica_hourly, hours_per_month, plan {mean_replicas,\n"
"peak_replicas, horizon_hours, replica_hours, horizon, month}, peak_static {replicas,\n"
"month}, current {replicas, month} or null, delta_vs_current, delta_vs_peak,\n"
"savings_vs_current, savings_vs_peak (null when unknown).\n"
"\n"
"Exit status: 0 success, 2 usage error, 3 unreadable or malformed plan.\n"
"\n"
"Examples:\n"
"  kairos cost --replicas 3 --cpu 500m --memory 1Gi --current 4 --format text\n"
"  kairos plan history.csv --horizon 48 --target-per-replica 100 > plan.csv\n"
"  kairos cost --plan plan.csv --cpu 500m --memory 1Gi --spot-share 0.5 \\\n"
"      --spot-discount 0.6\n",
          out);
}
