/* `kairos forecast`: read a metric history, put it on a regular step, fit a model and print
 * the forecast with predictive quantiles or central intervals (contract: DESIGN.md). The
 * FILE, the forecast options and the pipeline are shared (forecast_request.c); this file has
 * what only `forecast` prints: the quantile or interval columns and the output format. */
#include "cli.h"

#include <string.h>

enum {
    MAX_QUANTILES = 32,
    MAX_LEVELS = MAX_QUANTILES / 2,
    LABEL_SIZE = 40,
    LIST_SIZE = 1024
};

typedef struct forecast_command {
    cli_forecast_request req;
    /* Quantile levels passed to the library, in the order the columns are printed; with
     * --levels they are the lo/hi pairs of each interval. */
    double quantiles[MAX_QUANTILES];
    char labels[MAX_QUANTILES][LABEL_SIZE];
    size_t n_quantiles;
    bool quantiles_given, levels_given, json;
} forecast_command;

static const char *const format_names[] = { "csv", "json", NULL };

/* ---- options of `forecast` alone (ctx is the forecast_command) ------------------------- */

static int reject_duplicates(const char *option, const double *x, size_t n, char **items)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (x[i] == x[j])
                return cli_fail(CLI_EXIT_USAGE, "%s: %s is listed twice", option, items[i]);
    return CLI_EXIT_OK;
}

/* Parse a comma list of numbers strictly between @p low and @p high, without repeats. */
static int parse_levels(const char *option, const char *value, double low, double high,
                        double *out, size_t max, size_t *n_out)
{
    char storage[LIST_SIZE];
    char *items[MAX_QUANTILES];
    int code = cli_split_list(option, value, storage, sizeof storage, items, max, n_out);
    for (size_t i = 0; code == CLI_EXIT_OK && i < *n_out; i++)
        code = cli_parse_open_interval(option, items[i], low, high, &out[i]);
    return code ? code : reject_duplicates(option, out, *n_out, items);
}

/* Column names use the shortest spelling of the level: 0.50 gives q0.5, .05 gives q0.05. */
static void set_label(forecast_command *cmd, size_t i, const char *prefix, double level)
{
    char number[CLI_NUMBER_SIZE];
    cli_format_number(level, number, sizeof number);
    snprintf(cmd->labels[i], LABEL_SIZE, "%s%s", prefix, number);
}

static int set_quantiles(void *ctx, const char *option, const char *value)
{
    forecast_command *cmd = ctx;
    size_t n = 0;
    int code = parse_levels(option, value, 0, 1, cmd->quantiles, MAX_QUANTILES, &n);
    if (code != CLI_EXIT_OK)
        return code;
    for (size_t i = 0; i < n; i++)
        set_label(cmd, i, "q", cmd->quantiles[i]);
    cmd->n_quantiles = n;
    cmd->quantiles_given = true;
    return CLI_EXIT_OK;
}

static int set_levels(void *ctx, const char *option, const char *value)
{
    forecast_command *cmd = ctx;
    double levels[MAX_LEVELS];
    size_t n = 0;
    int code = parse_levels(option, value, 0, 100, levels, MAX_LEVELS, &n);
    if (code != CLI_EXIT_OK)
        return code;
    int status = kairos_levels_to_quantiles(levels, n, cmd->quantiles);
    if (status != KAIROS_OK)
        return cli_fail_status(status, option);
    for (size_t i = 0; i < n; i++) {
        set_label(cmd, 2 * i, "lo", levels[i]);
        set_label(cmd, 2 * i + 1, "hi", levels[i]);
    }
    cmd->n_quantiles = 2 * n;
    cmd->levels_given = true;
    return CLI_EXIT_OK;
}

static int set_format(void *ctx, const char *option, const char *value)
{
    forecast_command *cmd = ctx;
    size_t i = 0;
    int code = cli_parse_choice(option, value, format_names, &i);
    cmd->json = i == 1;
    return code;
}

static const cli_option forecast_options[] = {
    { "--quantiles", true, set_quantiles },
    { "--levels", true, set_levels },
    { "--format", true, set_format },
};

static void command_defaults(forecast_command *cmd)
{
    memset(cmd, 0, sizeof *cmd);
    cli_forecast_request_init(&cmd->req, "forecast");
    static const double default_quantiles[] = { 0.1, 0.5, 0.9 };
    for (size_t i = 0; i < 3; i++) {
        cmd->quantiles[i] = default_quantiles[i];
        set_label(cmd, i, "q", default_quantiles[i]);
    }
    cmd->n_quantiles = 3;
}

/* ---- running --------------------------------------------------------------------------- */

static int print_forecast(const forecast_command *cmd, const cli_pipeline *p)
{
    const char *labels[MAX_QUANTILES];
    for (size_t i = 0; i < cmd->n_quantiles; i++)
        labels[i] = cmd->labels[i];
    cli_forecast_table table = {
        .horizon = p->horizon,
        .mean = p->mean,
        .columns = p->quantiles,
        .n_columns = cmd->n_quantiles,
        .labels = labels,
        .intervals = cmd->levels_given,
        .timestamps = p->timestamps,
        .model_json = cmd->req.report ? p->report.data : NULL,
    };
    return cmd->json ? cli_write_forecast_json(stdout, &table)
                     : cli_write_forecast_csv(stdout, &table);
}

static int run_forecast(const forecast_command *cmd)
{
    cli_pipeline p;
    memset(&p, 0, sizeof p);
    int code = cli_pipeline_load(&cmd->req, &p);
    if (code == CLI_EXIT_OK)
        code = cli_pipeline_fit(&cmd->req, &p);
    if (code == CLI_EXIT_OK)
        code = cli_pipeline_forecast(&cmd->req, &p, cmd->quantiles, cmd->n_quantiles);
    if (code == CLI_EXIT_OK)
        code = print_forecast(cmd, &p);
    cli_pipeline_free(&p);
    return code;
}

int cli_forecast_main(int argc, char **argv)
{
    forecast_command cmd;
    command_defaults(&cmd);
    int code = cli_forecast_request_parse(&cmd.req, argc, argv, forecast_options,
                                          sizeof forecast_options / sizeof forecast_options[0],
                                          &cmd);
    if (code != CLI_EXIT_OK)
        return code;
    if (cmd.req.help) {
        cli_forecast_help(stdout);
        return CLI_EXIT_OK;
    }
    code = cli_forecast_request_check(&cmd.req, cmd.json);
    if (code == CLI_EXIT_OK && cmd.quantiles_given && cmd.levels_given)
        code = cli_fail(CLI_EXIT_USAGE, "--quantiles and --levels cannot be used together");
    return code != CLI_EXIT_OK ? code : run_forecast(&cmd);
}

/* ---- help ------------------------------------------------------------------------------ */

void cli_forecast_help(FILE *out)
{
    fputs(
"Usage: kairos forecast FILE --horizon N [options]\n"
"\n"
"Forecast a metric history N steps ahead, with predictive quantiles or central\n"
"prediction intervals.\n"
"\n"
"FILE is CSV; '-' reads standard input. An optional header line, then either one value\n"
"column or timestamp,value columns. Timestamps are ISO 8601 (2024-05-01T13:00:00Z, with\n"
"or without Z or an offset, T or a space) or Unix seconds. An empty cell, NA or NaN is a\n"
"missing value. Timestamped input is first put on a regular step: rows are sorted by\n"
"time, rows that fall into the same step are combined, and steps without data stay\n"
"missing (models skip them) unless --fill says otherwise.\n"
"\n"
"Output options:\n"
"  --quantiles Q[,Q...]    predictive quantiles, each strictly between 0 and 1\n"
"                          (default: 0.1,0.5,0.9); columns q0.1, q0.5, q0.9\n"
"  --levels L[,L...]       central prediction intervals in percent instead, each\n"
"                          strictly between 0 and 100; columns lo80, hi80, ...\n"
"                          (cannot be combined with --quantiles)\n"
"  --format csv|json       output format (default: csv)\n"
"\n",
        out);
    cli_forecast_options_help(out);
    fputs(
"Output:\n"
"  CSV:  step,timestamp,mean,<quantile or interval columns>; the timestamp column (ISO\n"
"        8601 UTC) only when the input has timestamps; steps count from 1.\n"
"  JSON: {\"model\": {...} (with --report), \"forecast\": {\"step\": [...],\n"
"        \"timestamp\": [...], \"mean\": [...], \"quantiles\": {\"0.1\": [...], ...}}};\n"
"        with --levels, \"lo80\", \"hi80\", ... arrays replace \"quantiles\".\n"
"  Numbers use '.' and the fewest digits that read back exactly.\n"
"\n"
"Exit status: 0 success, 2 usage error, 3 bad input data (unreadable file, malformed\n"
"CSV, unusable series), 4 the model could not be fitted. Failures print one line on\n"
"stderr; a successful run prints nothing there (unless --verbose).\n"
"\n"
"Examples:\n"
"  kairos forecast examples/data/web-requests.csv --horizon 48 --levels 80,95\n"
"  kairos forecast history.csv --horizon 24 --model snaive --season 24 --format json\n"
"  cat history.csv | kairos forecast - --horizon 12 --quantiles 0.05,0.5,0.95\n",
        out);
}
