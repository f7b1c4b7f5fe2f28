/* The forecast request shared by every command that forecasts (forecast, plan, and later keda
 * and backtest): the FILE and the options that shape the forecast, their checks, and the
 * load → regularize → fit → forecast pipeline. Options that only one command has (the
 * quantile columns of `forecast`, the replica options of `plan`) stay in that command. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { LIST_SIZE = 1024 };
/* A million steps is over a century of hourly data; the cap turns a typo into a clear
 * error instead of a request for gigabytes. */
#define MAX_HORIZON ((size_t)1000000)
/* kairos_series_regularize() refuses more than 100 million steps, so no longer season
 * can ever fit. */
#define MAX_PERIOD ((size_t)100000000)
#define MAX_PROFILE_SEASONS ((size_t)10000)
#define MAX_ARIMA_ORDER ((size_t)100)

static const char *const agg_names[] = { "mean", "max", "last", "sum", NULL };
static const kairos_agg agg_values[] = { KAIROS_AGG_MEAN, KAIROS_AGG_MAX, KAIROS_AGG_LAST,
                                         KAIROS_AGG_SUM };
static const char *const fill_names[] = { "none", "linear", "previous", NULL };
static const kairos_fill fill_values[] = { KAIROS_FILL_NONE, KAIROS_FILL_LINEAR,
                                           KAIROS_FILL_PREVIOUS };

/* ---- option handlers (ctx is the cli_forecast_request) --------------------------------- */

static int set_horizon(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    return cli_parse_size(option, value, 1, MAX_HORIZON, &req->horizon);
}

static int set_model(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    (void)option;
    req->model = value;   /* the library judges the name, so new models need no CLI change */
    return CLI_EXIT_OK;
}

static int set_season(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    char storage[LIST_SIZE];
    char *items[CLI_MAX_PERIODS];
    size_t n = 0;
    int code = cli_split_list(option, value, storage, sizeof storage, items, CLI_MAX_PERIODS,
                              &n);
    for (size_t i = 0; code == CLI_EXIT_OK && i < n; i++)
        code = cli_parse_size(option, items[i], 1, MAX_PERIOD, &req->periods[i]);
    req->n_periods = code == CLI_EXIT_OK ? n : 0;
    return code;
}

static int set_column(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    if (!*value)
        return cli_fail(CLI_EXIT_USAGE, "%s: the column name is empty", option);
    req->column = value;
    return CLI_EXIT_OK;
}

static int set_step(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    req->step_given = true;
    return cli_parse_duration(option, value, 1, &req->regularize.step_s);
}

static int set_agg(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    size_t i = 0;
    int code = cli_parse_choice(option, value, agg_names, &i);
    req->regularize.agg = agg_values[i];
    req->agg_given = true;
    return code;
}

static int set_fill(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    size_t i = 0;
    int code = cli_parse_choice(option, value, fill_names, &i);
    req->regularize.fill = fill_values[i];
    req->fill_given = true;
    return code;
}

static int set_profile_seasons(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    return cli_parse_size(option, value, 1, MAX_PROFILE_SEASONS, &req->profile_seasons);
}

static int parse_order(const char *option, const char *value, size_t order[3])
{
    char storage[LIST_SIZE];
    char *items[3];
    size_t n = 0;
    int code = cli_split_list(option, value, storage, sizeof storage, items, 3, &n);
    if (code == CLI_EXIT_OK && n != 3)
        return cli_fail(CLI_EXIT_USAGE, "%s: expected three numbers such as 1,1,1, got '%s'",
                        option, value);
    for (size_t i = 0; code == CLI_EXIT_OK && i < 3; i++)
        code = cli_parse_size(option, items[i], 0, MAX_ARIMA_ORDER, &order[i]);
    return code;
}

static int set_order(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    req->arima.order_given = true;
    return parse_order(option, value, req->arima.order);
}

static int set_seasonal_order(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    req->arima.seasonal_order_given = true;
    return parse_order(option, value, req->arima.seasonal_order);
}

/* The flags: each sets one bool of the request, found by the option's name. */
static int set_flag(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    (void)value;
    bool *flag = strcmp(option, "--mean") == 0      ? &req->arima.mean
               : strcmp(option, "--no-mean") == 0   ? &req->arima.no_mean
               : strcmp(option, "--drift") == 0     ? &req->arima.drift
               : strcmp(option, "--report") == 0    ? &req->report
               : strcmp(option, "--verbose") == 0   ? &req->verbose
               : strcmp(option, "--calibrate") == 0 ? &req->calibrate
               : strcmp(option, "--robust") == 0    ? &req->seasonal.robust
                                                    : &req->help;
    *flag = true;
    return CLI_EXIT_OK;
}

static int set_ets_model(void *ctx, const char *option, const char *value)
{
    static const char *const forms[] = { "ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA" };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (strcmp(value, forms[i]) == 0) {
            ((cli_forecast_request *)ctx)->seasonal.ets_model = forms[i];
            return CLI_EXIT_OK;
        }
    return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is not one of ANN, AAN, AAdN, ANA, AAA, AAdA",
                    option, value);
}

static int set_adjusted_model(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    if (strcmp(value, "arima") != 0 && strcmp(value, "ets") != 0)
        return cli_fail(CLI_EXIT_USAGE, "%s: expected arima or ets, got '%s'", option, value);
    req->seasonal.adjusted_model = strcmp(value, "arima") == 0 ? "arima" : "ets";
    return CLI_EXIT_OK;
}

/* --s-window N (odd, >= 7) or "periodic". */
static int set_s_window(void *ctx, const char *option, const char *value)
{
    cli_seasonal_terms *t = &((cli_forecast_request *)ctx)->seasonal;
    if (strcmp(value, "periodic") == 0) {
        t->periodic = true;
        return CLI_EXIT_OK;
    }
    int code = cli_parse_size(option, value, 7, 100001, &t->s_window);
    if (code == CLI_EXIT_OK && t->s_window % 2 == 0)
        return cli_fail(CLI_EXIT_USAGE, "%s: the window must be odd, got %zu", option,
                        t->s_window);
    return code;
}

static int set_max_k(void *ctx, const char *option, const char *value)
{
    return cli_parse_size(option, value, 1, 1000, &((cli_forecast_request *)ctx)->seasonal.max_k);
}

/* --adjusted-window N or "all". */
static int set_adjusted_window(void *ctx, const char *option, const char *value)
{
    cli_seasonal_terms *t = &((cli_forecast_request *)ctx)->seasonal;
    if (strcmp(value, "all") == 0) {
        t->adjusted_window = SIZE_MAX;
        return CLI_EXIT_OK;
    }
    return cli_parse_size(option, value, 16, 100000000, &t->adjusted_window);
}

static int set_calibrate_windows(void *ctx, const char *option, const char *value)
{
    cli_forecast_request *req = ctx;
    return cli_parse_size(option, value, 1, 100000, &req->calibrate_windows);
}

static const cli_option request_options[] = {
    { "--horizon", true, set_horizon },
    { "--model", true, set_model },
    { "--season", true, set_season },
    { "--column", true, set_column },
    { "--step", true, set_step },
    { "--agg", true, set_agg },
    { "--fill", true, set_fill },
    { "--profile-seasons", true, set_profile_seasons },
    { "--order", true, set_order },
    { "--seasonal-order", true, set_seasonal_order },
    { "--mean", false, set_flag },
    { "--no-mean", false, set_flag },
    { "--drift", false, set_flag },
    { "--report", false, set_flag },
    { "--verbose", false, set_flag },
    { "--calibrate", false, set_flag },
    { "--calibrate-windows", true, set_calibrate_windows },
    { "--ets-model", true, set_ets_model },
    { "--adjusted-model", true, set_adjusted_model },
    { "--robust", false, set_flag },
    { "--s-window", true, set_s_window },
    { "--max-k", true, set_max_k },
    { "--adjusted-window", true, set_adjusted_window },
    { "--help", false, set_flag },
    { "-h", false, set_flag },
};

/* ---- parsing and checking -------------------------------------------------------------- */

void cli_forecast_request_init(cli_forecast_request *req, const char *command)
{
    memset(req, 0, sizeof *req);
    req->command = command;
    req->regularize = (kairos_regularize_opts)KAIROS_REGULARIZE_OPTS_INIT;
}

static int set_path(cli_forecast_request *req, const char *path)
{
    if (req->path)
        return cli_fail(CLI_EXIT_USAGE, "only one input FILE is allowed, got '%s' and '%s'",
                        req->path, path);
    req->path = path;
    return CLI_EXIT_OK;
}

/* The command's own options first, so a command may give a shared name its own meaning. */
static int apply_option(cli_forecast_request *req, cli_args *args, const cli_option *extra,
                        size_t n_extra, void *ctx)
{
    bool handled = false;
    int code = cli_apply_option(extra, n_extra, ctx, args, &handled);
    if (!handled)
        code = cli_apply_option(request_options,
                                sizeof request_options / sizeof request_options[0], req, args,
                                &handled);
    if (!handled)
        return cli_fail(CLI_EXIT_USAGE, "unknown option '%s' (see 'kairos %s --help')",
                        args->name, req->command);
    return code;
}

int cli_forecast_request_parse(cli_forecast_request *req, int argc, char **argv,
                               const cli_option *extra, size_t n_extra, void *ctx)
{
    cli_args args;
    cli_args_start(&args, argc, argv, 1);
    const char *positional = NULL;
    enum cli_arg_kind kind;
    while ((kind = cli_args_next(&args, &positional)) != CLI_ARG_END) {
        int code = kind == CLI_ARG_POSITIONAL ? set_path(req, positional)
                                              : apply_option(req, &args, extra, n_extra, ctx);
        if (code != CLI_EXIT_OK || req->help)
            return code;
    }
    return CLI_EXIT_OK;
}

static bool model_is(const cli_forecast_request *req, const char *name)
{
    return strcmp(req->model ? req->model : "auto", name) == 0;
}

static const char *first_arima_option(const cli_arima_terms *t)
{
    return t->order_given ? "--order"
         : t->seasonal_order_given ? "--seasonal-order"
         : t->mean ? "--mean"
         : t->no_mean ? "--no-mean"
         : t->drift ? "--drift"
         : NULL;
}

/* The first seasonal-model option given that --model does not use, or NULL. */
static const char *misplaced_seasonal_option(const cli_forecast_request *req)
{
    const cli_seasonal_terms *t = &req->seasonal;
    bool decomposition = model_is(req, "stl") || model_is(req, "mstl");
    if (t->ets_model && !model_is(req, "ets"))
        return "--ets-model only applies to --model ets";
    if ((t->adjusted_model || t->robust || t->periodic || t->s_window) && !decomposition)
        return "--adjusted-model, --robust and --s-window only apply to --model stl or mstl";
    if (t->max_k && !model_is(req, "dhr"))
        return "--max-k only applies to --model dhr";
    if (t->adjusted_window && !decomposition && !model_is(req, "dhr"))
        return "--adjusted-window only applies to --model stl, mstl or dhr";
    return NULL;
}

int cli_forecast_request_check(const cli_forecast_request *req, bool json_output)
{
    if (!req->path)
        return cli_fail(CLI_EXIT_USAGE, "no input FILE given (usage: kairos %s FILE "
                        "--horizon N [options]; '-' reads standard input)", req->command);
    if (!req->horizon)
        return cli_fail(CLI_EXIT_USAGE, "--horizon N is required");
    if (req->report && !json_output)
        return cli_fail(CLI_EXIT_USAGE, "--report needs --format json");
    if (req->profile_seasons && !model_is(req, "profile") && !model_is(req, "auto"))
        return cli_fail(CLI_EXIT_USAGE, "--profile-seasons only applies to --model profile "
                        "or auto");
    const char *arima_option = first_arima_option(&req->arima);
    bool orders = req->arima.order_given || req->arima.seasonal_order_given;
    if (arima_option && !model_is(req, "arima") && (orders || !model_is(req, "autoarima")))
        return cli_fail(CLI_EXIT_USAGE, "%s only applies to --model arima%s", arima_option,
                        orders ? "" : " or autoarima");
    if (req->arima.mean && req->arima.no_mean)
        return cli_fail(CLI_EXIT_USAGE, "--mean and --no-mean cannot be used together");
    if (req->calibrate_windows && !req->calibrate)
        return cli_fail(CLI_EXIT_USAGE, "--calibrate-windows only applies with --calibrate");
    const char *misplaced = misplaced_seasonal_option(req);
    if (misplaced)
        return cli_fail(CLI_EXIT_USAGE, "%s", misplaced);
    return CLI_EXIT_OK;
}

const char *cli_input_name(const cli_forecast_request *req)
{
    return strcmp(req->path, "-") == 0 ? "stdin" : req->path;
}

/* ---- loading the history --------------------------------------------------------------- */

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void note_regularization(const cli_forecast_request *req,
                                const kairos_regularize_report *r)
{
    static const char *const fill_effect[] = {
        "left missing (--fill none)", "filled by linear interpolation (--fill linear)",
        "filled with the previous value (--fill previous)" };
    char step[CLI_NUMBER_SIZE];
    cli_format_duration(r->step_s, step, sizeof step);
    cli_note("%zu %s put on a regular step of %s (%s): %zu %s", r->points_in,
             plural(r->points_in, "point", "points"), step,
             req->step_given ? "--step" : "the median spacing", r->points_out,
             plural(r->points_out, "step", "steps"));
    if (r->reordered)
        cli_note("%zu %s out of time order and sorted", r->reordered,
                 plural(r->reordered, "point was", "points were"));
    if (r->merged)
        cli_note("%zu %s combined with another point of the same step (--agg %s)",
                 r->merged, plural(r->merged, "point was", "points were"),
                 agg_names[req->regularize.agg]);
    if (r->gaps)
        cli_note("%zu %s no data (longest gap: %zu %s); %s", r->gaps,
                 plural(r->gaps, "step had", "steps had"), r->largest_gap,
                 plural(r->largest_gap, "step", "steps"), fill_effect[req->regularize.fill]);
}

/* A timestamped history is put on a regular step, so unsorted input is sorted and duplicate
 * timestamps are merged rather than rejected. */
int cli_pipeline_load(const cli_forecast_request *req, cli_pipeline *p)
{
    kairos_csv_opts csv = KAIROS_CSV_OPTS_INIT;
    csv.column = req->column;
    kairos_series *raw = NULL;
    int status = kairos_series_read_csv(&raw, req->path, &csv);
    if (status != KAIROS_OK)
        return cli_fail_status(status, cli_input_name(req));
    return cli_pipeline_adopt(req, p, raw);
}

int cli_pipeline_adopt(const cli_forecast_request *req, cli_pipeline *p, kairos_series *raw)
{
    if (!kairos_series_timestamps(raw)) {
        p->history = raw;
        if (req->step_given || req->agg_given || req->fill_given)
            return cli_fail(CLI_EXIT_USAGE, "%s has no timestamps, so --step, --agg and "
                            "--fill do not apply", cli_input_name(req));
        return CLI_EXIT_OK;
    }
    kairos_regularize_report report;
    memset(&report, 0, sizeof report);
    int status = kairos_series_regularize(&p->history, raw, &req->regularize, &report);
    kairos_series_free(raw);
    if (status != KAIROS_OK)
        return cli_fail_status(status, cli_input_name(req));
    p->timed = true;
    p->step_s = kairos_series_step(p->history);
    if (req->verbose)
        note_regularization(req, &report);
    return CLI_EXIT_OK;
}

/* ---- fitting and forecasting ----------------------------------------------------------- */

static void note_model(const kairos_model *model)
{
    kairos_model_info info;
    memset(&info, 0, sizeof info);
    info.version = KAIROS_MODEL_INFO_VERSION;
    if (kairos_model_describe(model, &info) != KAIROS_OK)
        return;
    char period[48] = "", sigma2[CLI_NUMBER_SIZE];
    if (info.period)
        snprintf(period, sizeof period, " with period %zu", info.period);
    cli_format_number(info.sigma2, sigma2, sizeof sigma2);
    cli_note("fitted %s%s on %zu %s; sigma2 %s", info.name, period, info.nobs,
             plural(info.nobs, "observation", "observations"), sigma2);
}

void cli_request_fit_opts(const cli_forecast_request *req, kairos_fit_opts *opts)
{
    *opts = (kairos_fit_opts)KAIROS_FIT_OPTS_INIT;
    opts->model = req->model;
    opts->periods = req->n_periods ? req->periods : NULL;
    opts->n_periods = req->n_periods;
    opts->horizon = req->horizon;
    opts->profile_seasons = req->profile_seasons;
    const cli_arima_terms *a = &req->arima;
    opts->arima_p = (int)a->order[0];
    opts->arima_d = (int)a->order[1];
    opts->arima_q = (int)a->order[2];
    opts->arima_P = (int)a->seasonal_order[0];
    opts->arima_D = (int)a->seasonal_order[1];
    opts->arima_Q = (int)a->seasonal_order[2];
    opts->include_mean = a->mean ? 1 : a->no_mean ? 0 : -1;
    opts->include_drift = a->drift ? 1 : -1;
    const cli_seasonal_terms *t = &req->seasonal;
    opts->ets_model = t->ets_model;
    opts->adjusted_model = t->adjusted_model;
    opts->stl_robust = t->robust;
    opts->stl_periodic = t->periodic;
    opts->stl_s_window = t->s_window;
    opts->dhr_max_k = t->max_k;
    opts->adjusted_window = t->adjusted_window;
}

/* With --calibrate: the model wrapped by split-conformal calibration on a backtest of
 * --calibrate-windows windows (default: the library's) of the forecast horizon
 * (docs/evaluation.md). */
static int fit_model(const cli_forecast_request *req, cli_pipeline *p)
{
    kairos_fit_opts opts;
    cli_request_fit_opts(req, &opts);
    if (!req->calibrate)
        return kairos_model_fit(&p->model, p->history, &opts);
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = req->horizon;
    bt.windows = req->calibrate_windows;
    return kairos_model_calibrate(&p->model, p->history, &opts, &bt);
}

int cli_pipeline_fit(const cli_forecast_request *req, cli_pipeline *p)
{
    int status = fit_model(req, p);
    if (status == KAIROS_OK) {
        if (req->verbose)
            note_model(p->model);
        status = req->report ? kairos_model_report_json(p->model, &p->report) : KAIROS_OK;
        return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, "model report");
    }
    /* EINVAL here is about the options (unknown model, bad period) and the library's own
     * words say it best; data problems name the input; fit failures name the model unless
     * the library's detail already does. */
    const char *name = req->model ? req->model : "auto";
    char context[128] = "", quoted[96];
    snprintf(quoted, sizeof quoted, "'%s'", name);
    if (status == KAIROS_EDATA)
        snprintf(context, sizeof context, "%s", cli_input_name(req));
    else if (status == KAIROS_EMODEL && !strstr(kairos_last_error(), quoted))
        snprintf(context, sizeof context, "cannot fit model %s", quoted);
    return cli_fail_status(status, context);
}

static int format_timestamps(cli_pipeline *p)
{
    int64_t *times = calloc(p->horizon, sizeof *times);
    p->timestamps = calloc(p->horizon, CLI_TIMESTAMP_SIZE);
    int status = times && p->timestamps ? KAIROS_OK : KAIROS_ENOMEM;
    if (status == KAIROS_OK)
        status = kairos_model_forecast_timestamps(p->model, p->horizon, times);
    for (size_t i = 0; status == KAIROS_OK && i < p->horizon; i++)
        status = kairos_format_timestamp(times[i], p->timestamps + i * CLI_TIMESTAMP_SIZE,
                                         CLI_TIMESTAMP_SIZE);
    free(times);
    if (status == KAIROS_ENOMEM)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for %zu timestamps", p->horizon);
    return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, "forecast timestamps");
}

int cli_pipeline_forecast(const cli_forecast_request *req, cli_pipeline *p,
                          const double *levels, size_t n_levels)
{
    p->horizon = req->horizon;
    p->mean = calloc(p->horizon, sizeof *p->mean);
    p->quantiles = calloc(p->horizon * (n_levels ? n_levels : 1), sizeof *p->quantiles);
    if (!p->mean || !p->quantiles)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for a forecast of %zu steps",
                        p->horizon);
    kairos_forecast_opts opts = KAIROS_FORECAST_OPTS_INIT;
    opts.horizon = p->horizon;
    opts.quantiles = n_levels ? levels : NULL;
    opts.n_quantiles = n_levels;
    int status = kairos_model_forecast(p->model, &opts, p->mean,
                                       n_levels ? p->quantiles : NULL);
    if (status != KAIROS_OK)
        return cli_fail_status(status, "forecast");
    return p->timed ? format_timestamps(p) : CLI_EXIT_OK;
}

void cli_pipeline_free(cli_pipeline *p)
{
    kairos_series_free(p->history);
    kairos_model_free(p->model);
    kairos_buf_dispose(&p->report);
    free(p->mean);
    free(p->quantiles);
    free(p->timestamps);
    memset(p, 0, sizeof *p);
}

/* ---- help ------------------------------------------------------------------------------ */

/* In several pieces: ISO C only promises string literals of 4095 characters. */
void cli_forecast_options_help(FILE *out)
{
    fputs(
"Forecast options:\n"
"  --horizon N             steps ahead to forecast, 1 to 1000000 (required)\n"
"  --model NAME            model to fit (default: auto); see Models below\n"
"  --season P[,P2]         seasonal period(s) in steps (default: inferred from the\n"
"                          timestamps: 1 day when the data span 2 days, plus 1 week\n"
"                          when they span 3 weeks; none for input without timestamps)\n"
"  --column NAME           value column to read (default: 'value', else the first column\n"
"                          that is not the timestamp); a 1-based number without header\n"
"  --step DUR              step of the regular grid (default: the median spacing of the\n"
"                          timestamps); DUR is 90 (seconds), 30s, 5m, 1h, 2d, 1w or a\n"
"                          sum such as 1h30m\n"
"  --agg mean|max|last|sum how rows in the same step are combined (default: mean)\n"
"  --fill none|linear|previous\n"
"                          how steps without data are filled (default: none)\n"
"  --profile-seasons K     seasons averaged by the profile model (default: 4)\n"
"  --report                with --format json: add the fitted model as \"model\" (name,\n"
"                          order, seasonal_order, period, coef, loglik, sigma2, aic,\n"
"                          aicc, bic, nobs)\n"
"  --calibrate             calibrate the quantiles on a backtest of the history\n"
"                          (split-conformal: intervals widen or narrow per step to\n"
"                          the coverage the backtest saw; see docs/evaluation.md)\n"
"  --calibrate-windows K   backtest windows of --calibrate, each --horizon steps,\n"
"                          origins half a horizon apart, the last one ending with the\n"
"                          history (default: 5 to 20, as many as leave the first\n"
"                          window half of the history)\n"
"  --verbose               notes on stderr: what regularization changed (sorted rows,\n"
"                          merged rows, gaps) and which model was fitted\n"
"  -h, --help              show this help\n"
"\n",
        out);
    fputs(
"Models:\n"
"  auto      (default) seasonal ARIMA, MSTL and the baselines ranked by MASE on two\n"
"            rolling origins at the end of the history; the best few are combined\n"
"            (mean of their forecasts, average of their widened quantiles)\n"
"  naive     the last observed value\n"
"  snaive    the value one season earlier (needs a full season of history)\n"
"  drift     the last value plus the average change per step\n"
"  mean      the mean of the history\n"
"  profile   the mean of the same slot of the season over the last K seasons\n"
"            (--profile-seasons), shifted to the level of the last season\n"
"  Quantiles come from the model's residual spread (see docs/models.md).\n"
"\n"
"  ets       exponential smoothing (ANN, AAN, AAdN, ANA, AAA, AAdA), chosen by AICc\n"
"  stl       STL decomposition; the adjusted series by autoarima, seasonality repeated\n"
"  mstl      the same with several periods (--season 288,2016)\n"
"  dhr       Fourier terms per period (K by AICc) with ARIMA errors\n"
"  arima     ARIMA(p,d,q)(P,D,Q)[m] by exact maximum likelihood, as R's forecast::Arima\n"
"  autoarima orders chosen by the Hyndman-Khandakar stepwise search, as auto.arima\n"
"\n"
"Seasonal model options (docs/models.md):\n"
"  --ets-model FORM        ets: one of ANN AAN AAdN ANA AAA AAdA (default: lowest AICc)\n"
"  --adjusted-model M      stl, mstl: arima (default) or ets for the adjusted series\n"
"  --robust                stl, mstl: robust loess (15 outer passes)\n"
"  --s-window N|periodic   stl, mstl: seasonal window (odd, >= 7; default 7 + 4i)\n"
"  --max-k N               dhr: most Fourier pairs per period (default min(m/2, 12))\n"
"  --adjusted-window N|all stl, mstl, dhr: points the non-seasonal model sees (1024)\n"
"\n"
"ARIMA options (--model arima; --mean/--no-mean/--drift also with autoarima):\n"
"  --order p,d,q           non-seasonal order (default 0,0,0)\n"
"  --seasonal-order P,D,Q  seasonal order on the first --season (default 0,0,0)\n"
"  --mean | --no-mean      a constant term when d+D = 0 (default: --mean, as R)\n"
"  --drift                 a linear drift when d+D = 1 (default: none)\n"
"\n",
        out);
}
