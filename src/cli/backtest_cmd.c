/* `kairos backtest`: rolling-origin evaluation of a model on a metric history
 * (kairos_backtest; contract: DESIGN.md, metrics and windows: docs/evaluation.md). FILE and
 * the model options are the shared forecast request (forecast_request.c); this file adds
 * the windows, the quantiles and intervals scored, and prints the metrics as JSON. */
#include "cli.h"

#include <string.h>

enum {
    MAX_QUANTILES = 32,
    MAX_LEVELS = 16,
    LIST_SIZE = 1024,
    MAX_WINDOWS = 100000,
    MAX_STEP = 1000000
};

typedef struct backtest_command {
    cli_forecast_request req;
    size_t windows, step;            /* 0 = the library's defaults (5, the horizon) */
    double quantiles[MAX_QUANTILES];
    size_t n_quantiles;
    double levels[MAX_LEVELS];
    size_t n_levels;
} backtest_command;

/* ---- options of `backtest` alone (ctx is the backtest_command) ------------------------- */

/* A comma list of distinct numbers strictly between @p low and @p high. */
static int parse_list(const char *option, const char *value, double low, double high,
                      double *out, size_t max, size_t *n_out)
{
    char storage[LIST_SIZE];
    char *items[MAX_QUANTILES];
    size_t n = 0;
    int code = cli_split_list(option, value, storage, sizeof storage, items, max, &n);
    for (size_t i = 0; code == CLI_EXIT_OK && i < n; i++) {
        code = cli_parse_open_interval(option, items[i], low, high, &out[i]);
        for (size_t j = 0; code == CLI_EXIT_OK && j < i; j++)
            if (out[j] == out[i])
                code = cli_fail(CLI_EXIT_USAGE, "%s: %s is listed twice", option, items[i]);
    }
    if (code == CLI_EXIT_OK)
        *n_out = n;
    return code;
}

static int set_windows(void *ctx, const char *option, const char *value)
{
    backtest_command *cmd = ctx;
    return cli_parse_size(option, value, 1, MAX_WINDOWS, &cmd->windows);
}

static int set_step(void *ctx, const char *option, const char *value)
{
    backtest_command *cmd = ctx;
    return cli_parse_size(option, value, 1, MAX_STEP, &cmd->step);
}

static int set_quantiles(void *ctx, const char *option, const char *value)
{
    backtest_command *cmd = ctx;
    return parse_list(option, value, 0, 1, cmd->quantiles, MAX_QUANTILES, &cmd->n_quantiles);
}

static int set_levels(void *ctx, const char *option, const char *value)
{
    backtest_command *cmd = ctx;
    return parse_list(option, value, 0, 100, cmd->levels, MAX_LEVELS, &cmd->n_levels);
}

static int set_format(void *ctx, const char *option, const char *value)
{
    static const char *const names[] = { "json", NULL };
    size_t i = 0;
    (void)ctx;
    return cli_parse_choice(option, value, names, &i);
}

static const cli_option backtest_options[] = {
    { "--windows", true, set_windows },
    { "--step-windows", true, set_step },
    { "--quantiles", true, set_quantiles },
    { "--levels", true, set_levels },
    { "--format", true, set_format },
};

static void command_defaults(backtest_command *cmd)
{
    memset(cmd, 0, sizeof *cmd);
    cli_forecast_request_init(&cmd->req, "backtest");
    static const double quantiles[] = { 0.1, 0.5, 0.9 }, levels[] = { 80, 95 };
    memcpy(cmd->quantiles, quantiles, sizeof quantiles);
    cmd->n_quantiles = 3;
    memcpy(cmd->levels, levels, sizeof levels);
    cmd->n_levels = 2;
}

static int check_command(const backtest_command *cmd)
{
    int code = cli_forecast_request_check(&cmd->req, true);
    if (code == CLI_EXIT_OK && cmd->req.report)
        code = cli_fail(CLI_EXIT_USAGE, "--report does not apply to backtest (each window's "
                        "model is named in \"per_window\")");
    if (code == CLI_EXIT_OK && cmd->req.calibrate)
        code = cli_fail(CLI_EXIT_USAGE, "--calibrate does not apply to backtest (it applies "
                        "to forecast and plan)");
    return code;
}

/* ---- running --------------------------------------------------------------------------- */

/* The library's message names the window or the length needed; data problems are prefixed
 * with the input's name, as `forecast` does. */
static int report_failure(const backtest_command *cmd, int status)
{
    return cli_fail_status(status, status == KAIROS_EDATA ? cli_input_name(&cmd->req) : NULL);
}

static int run_backtest(const backtest_command *cmd)
{
    cli_pipeline p;
    memset(&p, 0, sizeof p);
    int code = cli_pipeline_load(&cmd->req, &p);
    if (code != CLI_EXIT_OK) {
        cli_pipeline_free(&p);
        return code;
    }
    kairos_fit_opts fit;
    cli_request_fit_opts(&cmd->req, &fit);
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = cmd->req.horizon;
    bt.windows = cmd->windows;
    bt.step = cmd->step;
    bt.quantiles = cmd->quantiles;
    bt.n_quantiles = cmd->n_quantiles;
    bt.levels = cmd->levels;
    bt.n_levels = cmd->n_levels;
    kairos_backtest_result result = KAIROS_BACKTEST_RESULT_INIT;
    kairos_buf json = KAIROS_BUF_INIT;
    int status = kairos_backtest(&result, p.history, &fit, &bt);
    if (status == KAIROS_OK)
        status = kairos_backtest_result_json(&result, &json);
    if (status != KAIROS_OK) {
        code = report_failure(cmd, status);
    } else {
        fputs(json.data, stdout);
        fputc('\n', stdout);
        code = cli_finish_output(stdout, "the backtest");
    }
    kairos_buf_dispose(&json);
    kairos_backtest_result_dispose(&result);
    cli_pipeline_free(&p);
    return code;
}

int cli_backtest_main(int argc, char **argv)
{
    backtest_command cmd;
    command_defaults(&cmd);
    int code = cli_forecast_request_parse(&cmd.req, argc, argv, backtest_options,
                                          sizeof backtest_options / sizeof backtest_options[0],
                                          &cmd);
    if (code != CLI_EXIT_OK)
        return code;
    if (cmd.req.help) {
        cli_backtest_help(stdout);
        return CLI_EXIT_OK;
    }
    code = check_command(&cmd);
    return code != CLI_EXIT_OK ? code : run_backtest(&cmd);
}

/* ---- help ------------------------------------------------------------------------------ */

void cli_backtest_help(FILE *out)
{
    fputs(
"Usage: kairos backtest FILE --horizon N [--windows K] [--step-windows S] [options]\n"
"\n"
"Rolling-origin evaluation: K windows of N steps, their origins S steps apart, the last\n"
"one ending with the history. Each window fits the model to the history before its\n"
"origin and forecasts the next N steps; the metrics of each window and of all of them\n"
"are printed as JSON. FILE is CSV as for 'kairos forecast' ('-' is standard input).\n"
"\n"
"Backtest options:\n"
"  --windows K             number of windows (default: 5)\n"
"  --step-windows S        steps between consecutive origins (default: N, so the\n"
"                          windows tile the end of the history without overlapping)\n"
"  --quantiles Q[,Q...]    quantiles scored by the pinball loss (default: 0.1,0.5,0.9)\n"
"  --levels L[,L...]       central intervals scored by coverage, in percent (default:\n"
"                          80,95); MSIS always scores the 95 % interval\n"
"  --format json           output format (the only one)\n"
"\n",
          out);
    cli_forecast_options_help(out);
    fputs(
"Output (JSON):\n"
"  {\"horizon\", \"windows\", \"step\", \"season\" (m of MASE/MSIS: the first --season, else\n"
"  the one inferred from the timestamps, else 1), \"msis_level\", \"quantiles\", \"levels\",\n"
"  \"per_window\": [{\"window\", \"origin\" (points trained on), \"start\" (first scored\n"
"  timestamp), \"model\", \"period\", \"scale\", \"n\", \"mae\", \"rmse\", \"mape\", \"smape\",\n"
"  \"mase\", \"msis\", \"pinball\": {\"0.1\": ...}, \"coverage\": {\"80\": ...}}, ...],\n"
"  \"aggregate\": {the same metrics over every window}}. Undefined values are null.\n"
"  Formulas: docs/evaluation.md.\n"
"\n"
"Exit status: 0 success, 2 usage error, 3 bad input data (including a history too short\n"
"for the windows), 4 a model could not be fitted. Failures print one line on stderr.\n"
"\n"
"Examples:\n"
"  kairos backtest examples/data/web-requests.csv --horizon 24 --windows 7\n"
"  kairos backtest history.csv --horizon 48 --model snaive --season 24 --levels 50,90\n",
          out);
}
