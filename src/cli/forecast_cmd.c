/* `kairos forecast`: read a metric history, put it on a regular step, fit a model and print
 * the forecast with predictive quantiles or central intervals (contract: DESIGN.md). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum {
    MAX_PERIODS = 8,
    MAX_QUANTILES = 32,
    MAX_LEVELS = MAX_QUANTILES / 2,
    LABEL_SIZE = 40,
    LIST_SIZE = 1024
};
/* A million steps is over a century of hourly data; the cap turns a typo into a clear
 * error instead of a request for gigabytes. */
#define MAX_HORIZON ((size_t)1000000)
/* kairos_series_regularize() refuses more than 100 million steps, so no longer season
 * can ever fit. */
#define MAX_PERIOD ((size_t)100000000)
#define MAX_PROFILE_SEASONS ((size_t)10000)
#define MAX_ARIMA_ORDER ((size_t)100)

enum output_format { FORMAT_CSV, FORMAT_JSON };

/* Options reserved for ARIMA: checked now so scripts learn early if they misuse them; they
 * reach the library once kairos_fit_opts grows the matching fields. */
typedef struct arima_terms {
    bool order_given, seasonal_order_given, mean, no_mean, drift;
    size_t order[3], seasonal_order[3];
} arima_terms;

typedef struct forecast_request {
    const char *path;                 /* "-" is standard input */
    size_t horizon;                   /* 0 until --horizon is seen */
    const char *model;                /* NULL = auto */
    size_t periods[MAX_PERIODS];
    size_t n_periods;                 /* 0 = let the library infer from the timestamps */
    size_t profile_seasons;           /* 0 = the library's default */
    /* Quantile levels passed to the library, in the order the columns are printed; with
     * --levels they are the lo/hi pairs of each interval. */
    double quantiles[MAX_QUANTILES];
    char labels[MAX_QUANTILES][LABEL_SIZE];
    size_t n_quantiles;
    bool quantiles_given, levels_given;
    enum output_format format;
    bool report, verbose, help;
    const char *column;
    kairos_regularize_opts regularize;
    bool step_given, agg_given, fill_given;
    arima_terms arima;
} forecast_request;

static const char *const format_names[] = { "csv", "json", NULL };
static const char *const agg_names[] = { "mean", "max", "last", "sum", NULL };
static const kairos_agg agg_values[] = { KAIROS_AGG_MEAN, KAIROS_AGG_MAX, KAIROS_AGG_LAST,
                                         KAIROS_AGG_SUM };
static const char *const fill_names[] = { "none", "linear", "previous", NULL };
static const kairos_fill fill_values[] = { KAIROS_FILL_NONE, KAIROS_FILL_LINEAR,
                                           KAIROS_FILL_PREVIOUS };

/* ---- option handlers ------------------------------------------------------------------- */

static int set_horizon(forecast_request *req, const char *option, const char *value)
{
    return cli_parse_size(option, value, 1, MAX_HORIZON, &req->horizon);
}

static int set_model(forecast_request *req, const char *option, const char *value)
{
    (void)option;
    req->model = value;   /* the library judges the name, so new models need no CLI change */
    return CLI_EXIT_OK;
}

static int set_season(forecast_request *req, const char *option, const char *value)
{
    char storage[LIST_SIZE];
    char *items[MAX_PERIODS];
    size_t n = 0;
    int code = cli_split_list(option, value, storage, sizeof storage, items, MAX_PERIODS, &n);
    for (size_t i = 0; code == CLI_EXIT_OK && i < n; i++)
        code = cli_parse_size(option, items[i], 1, MAX_PERIOD, &req->periods[i]);
    req->n_periods = code == CLI_EXIT_OK ? n : 0;
    return code;
}

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
static void set_label(forecast_request *req, size_t i, const char *prefix, double level)
{
    char number[CLI_NUMBER_SIZE];
    cli_format_number(level, number, sizeof number);
    snprintf(req->labels[i], LABEL_SIZE, "%s%s", prefix, number);
}

static int set_quantiles(forecast_request *req, const char *option, const char *value)
{
    size_t n = 0;
    int code = parse_levels(option, value, 0, 1, req->quantiles, MAX_QUANTILES, &n);
    if (code != CLI_EXIT_OK)
        return code;
    for (size_t i = 0; i < n; i++)
        set_label(req, i, "q", req->quantiles[i]);
    req->n_quantiles = n;
    req->quantiles_given = true;
    return CLI_EXIT_OK;
}

static int set_levels(forecast_request *req, const char *option, const char *value)
{
    double levels[MAX_LEVELS];
    size_t n = 0;
    int code = parse_levels(option, value, 0, 100, levels, MAX_LEVELS, &n);
    if (code != CLI_EXIT_OK)
        return code;
    int status = kairos_levels_to_quantiles(levels, n, req->quantiles);
    if (status != KAIROS_OK)
        return cli_fail_status(status, option);
    for (size_t i = 0; i < n; i++) {
        set_label(req, 2 * i, "lo", levels[i]);
        set_label(req, 2 * i + 1, "hi", levels[i]);
    }
    req->n_quantiles = 2 * n;
    req->levels_given = true;
    return CLI_EXIT_OK;
}

static int set_format(forecast_request *req, const char *option, const char *value)
{
    size_t i = 0;
    int code = cli_parse_choice(option, value, format_names, &i);
    req->format = i == 1 ? FORMAT_JSON : FORMAT_CSV;
    return code;
}

static int set_report(forecast_request *req, const char *option, const char *value)
{
    (void)option, (void)value;
    req->report = true;
    return CLI_EXIT_OK;
}

static int set_verbose(forecast_request *req, const char *option, const char *value)
{
    (void)option, (void)value;
    req->verbose = true;
    return CLI_EXIT_OK;
}

static int set_help(forecast_request *req, const char *option, const char *value)
{
    (void)option, (void)value;
    req->help = true;
    return CLI_EXIT_OK;
}

static int set_column(forecast_request *req, const char *option, const char *value)
{
    if (!*value)
        return cli_fail(CLI_EXIT_USAGE, "%s: the column name is empty", option);
    req->column = value;
    return CLI_EXIT_OK;
}

static int set_step(forecast_request *req, const char *option, const char *value)
{
    req->step_given = true;
    return cli_parse_duration(option, value, 1, &req->regularize.step_s);
}

static int set_agg(forecast_request *req, const char *option, const char *value)
{
    size_t i = 0;
    int code = cli_parse_choice(option, value, agg_names, &i);
    req->regularize.agg = agg_values[i];
    req->agg_given = true;
    return code;
}

static int set_fill(forecast_request *req, const char *option, const char *value)
{
    size_t i = 0;
    int code = cli_parse_choice(option, value, fill_names, &i);
    req->regularize.fill = fill_values[i];
    req->fill_given = true;
    return code;
}

static int set_profile_seasons(forecast_request *req, const char *option, const char *value)
{
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

static int set_order(forecast_request *req, const char *option, const char *value)
{
    req->arima.order_given = true;
    return parse_order(option, value, req->arima.order);
}

static int set_seasonal_order(forecast_request *req, const char *option, const char *value)
{
    req->arima.seasonal_order_given = true;
    return parse_order(option, value, req->arima.seasonal_order);
}

static int set_mean_term(forecast_request *req, const char *option, const char *value)
{
    (void)value;
    if (strcmp(option, "--mean") == 0)
        req->arima.mean = true;
    else
        req->arima.no_mean = true;
    return CLI_EXIT_OK;
}

static int set_drift(forecast_request *req, const char *option, const char *value)
{
    (void)option, (void)value;
    req->arima.drift = true;
    return CLI_EXIT_OK;
}

typedef int (*option_handler)(forecast_request *req, const char *option, const char *value);

static const struct forecast_option {
    const char *name;
    bool takes_value;
    option_handler apply;
} forecast_options[] = {
    { "--horizon", true, set_horizon },
    { "--model", true, set_model },
    { "--season", true, set_season },
    { "--quantiles", true, set_quantiles },
    { "--levels", true, set_levels },
    { "--format", true, set_format },
    { "--report", false, set_report },
    { "--column", true, set_column },
    { "--step", true, set_step },
    { "--agg", true, set_agg },
    { "--fill", true, set_fill },
    { "--profile-seasons", true, set_profile_seasons },
    { "--order", true, set_order },
    { "--seasonal-order", true, set_seasonal_order },
    { "--mean", false, set_mean_term },
    { "--no-mean", false, set_mean_term },
    { "--drift", false, set_drift },
    { "--verbose", false, set_verbose },
    { "--help", false, set_help },
    { "-h", false, set_help },
};

/* ---- parsing and checking -------------------------------------------------------------- */

static int apply_option(forecast_request *req, cli_args *args)
{
    const size_t n = sizeof forecast_options / sizeof forecast_options[0];
    for (size_t i = 0; i < n; i++) {
        const struct forecast_option *opt = &forecast_options[i];
        if (strcmp(args->name, opt->name) != 0)
            continue;
        const char *value = NULL;
        int code = opt->takes_value ? cli_args_value(args, &value) : cli_args_flag(args);
        return code ? code : opt->apply(req, opt->name, value);
    }
    return cli_fail(CLI_EXIT_USAGE, "unknown option '%s' (see 'kairos forecast --help')",
                    args->name);
}

static int set_path(forecast_request *req, const char *path)
{
    if (req->path)
        return cli_fail(CLI_EXIT_USAGE, "only one input FILE is allowed, got '%s' and '%s'",
                        req->path, path);
    req->path = path;
    return CLI_EXIT_OK;
}

static void request_defaults(forecast_request *req)
{
    memset(req, 0, sizeof *req);
    req->regularize = (kairos_regularize_opts)KAIROS_REGULARIZE_OPTS_INIT;
    static const double default_quantiles[] = { 0.1, 0.5, 0.9 };
    for (size_t i = 0; i < 3; i++) {
        req->quantiles[i] = default_quantiles[i];
        set_label(req, i, "q", default_quantiles[i]);
    }
    req->n_quantiles = 3;
}

static int parse_args(forecast_request *req, int argc, char **argv)
{
    cli_args args;
    cli_args_start(&args, argc, argv, 1);
    const char *positional = NULL;
    enum cli_arg_kind kind;
    while ((kind = cli_args_next(&args, &positional)) != CLI_ARG_END) {
        int code = kind == CLI_ARG_POSITIONAL ? set_path(req, positional)
                                              : apply_option(req, &args);
        if (code != CLI_EXIT_OK || req->help)
            return code;
    }
    return CLI_EXIT_OK;
}

static bool model_is(const forecast_request *req, const char *name)
{
    return strcmp(req->model ? req->model : "auto", name) == 0;
}

static const char *first_arima_option(const arima_terms *t)
{
    return t->order_given ? "--order"
         : t->seasonal_order_given ? "--seasonal-order"
         : t->mean ? "--mean"
         : t->no_mean ? "--no-mean"
         : t->drift ? "--drift"
         : NULL;
}

/* Combinations no single option handler can see. */
static int check_request(const forecast_request *req)
{
    if (!req->path)
        return cli_fail(CLI_EXIT_USAGE, "no input FILE given (usage: kairos forecast FILE "
                        "--horizon N [options]; '-' reads standard input)");
    if (!req->horizon)
        return cli_fail(CLI_EXIT_USAGE, "--horizon N is required");
    if (req->quantiles_given && req->levels_given)
        return cli_fail(CLI_EXIT_USAGE, "--quantiles and --levels cannot be used together");
    if (req->report && req->format != FORMAT_JSON)
        return cli_fail(CLI_EXIT_USAGE, "--report needs --format json");
    if (req->profile_seasons && !model_is(req, "profile") && !model_is(req, "auto"))
        return cli_fail(CLI_EXIT_USAGE, "--profile-seasons only applies to --model profile "
                        "or auto");
    const char *arima_option = first_arima_option(&req->arima);
    if (arima_option && !model_is(req, "arima"))
        return cli_fail(CLI_EXIT_USAGE, "%s only applies to --model arima", arima_option);
    if (req->arima.mean && req->arima.no_mean)
        return cli_fail(CLI_EXIT_USAGE, "--mean and --no-mean cannot be used together");
    return CLI_EXIT_OK;
}

/* ---- loading the history --------------------------------------------------------------- */

static const char *input_name(const forecast_request *req)
{
    return strcmp(req->path, "-") == 0 ? "stdin" : req->path;
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void note_regularization(const forecast_request *req, const kairos_regularize_report *r)
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

/* Read the CSV; a timestamped history is put on a regular step, so unsorted input is sorted
 * and duplicate timestamps are merged rather than rejected. */
static int load_history(const forecast_request *req, kairos_series **out)
{
    kairos_csv_opts csv = KAIROS_CSV_OPTS_INIT;
    csv.column = req->column;
    kairos_series *raw = NULL;
    int status = kairos_series_read_csv(&raw, req->path, &csv);
    if (status != KAIROS_OK)
        return cli_fail_status(status, input_name(req));
    if (!kairos_series_timestamps(raw)) {
        *out = raw;
        if (req->step_given || req->agg_given || req->fill_given)
            return cli_fail(CLI_EXIT_USAGE, "%s has no timestamps, so --step, --agg and "
                            "--fill do not apply", input_name(req));
        return CLI_EXIT_OK;
    }
    kairos_regularize_report report;
    memset(&report, 0, sizeof report);
    status = kairos_series_regularize(out, raw, &req->regularize, &report);
    kairos_series_free(raw);
    if (status != KAIROS_OK)
        return cli_fail_status(status, input_name(req));
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

static int fit_model(const forecast_request *req, const kairos_series *history,
                     kairos_model **model)
{
    kairos_fit_opts opts = KAIROS_FIT_OPTS_INIT;
    opts.model = req->model;
    opts.periods = req->n_periods ? req->periods : NULL;
    opts.n_periods = req->n_periods;
    opts.horizon = req->horizon;
    opts.profile_seasons = req->profile_seasons;
    int status = kairos_model_fit(model, history, &opts);
    if (status == KAIROS_OK) {
        if (req->verbose)
            note_model(*model);
        return CLI_EXIT_OK;
    }
    /* EINVAL here is about the options (unknown model, bad period) and the library's own
     * words say it best; data problems name the input; fit failures name the model unless
     * the library's detail already does. */
    const char *name = req->model ? req->model : "auto";
    char context[128] = "", quoted[96];
    snprintf(quoted, sizeof quoted, "'%s'", name);
    if (status == KAIROS_EDATA)
        snprintf(context, sizeof context, "%s", input_name(req));
    else if (status == KAIROS_EMODEL && !strstr(kairos_last_error(), quoted))
        snprintf(context, sizeof context, "cannot fit model %s", quoted);
    return cli_fail_status(status, context);
}

/* The arrays behind a cli_forecast_table. */
typedef struct forecast_arrays {
    double *mean;
    double *columns;
    int64_t *times;
    char *timestamps;
    kairos_buf report;
} forecast_arrays;

static void free_arrays(forecast_arrays *a)
{
    free(a->mean);
    free(a->columns);
    free(a->times);
    free(a->timestamps);
    kairos_buf_dispose(&a->report);
}

static int format_timestamps(const kairos_model *model, size_t horizon, forecast_arrays *a)
{
    a->times = calloc(horizon, sizeof *a->times);
    a->timestamps = calloc(horizon, CLI_TIMESTAMP_SIZE);
    if (!a->times || !a->timestamps)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for %zu timestamps", horizon);
    int status = kairos_model_forecast_timestamps(model, horizon, a->times);
    for (size_t i = 0; status == KAIROS_OK && i < horizon; i++)
        status = kairos_format_timestamp(a->times[i], a->timestamps + i * CLI_TIMESTAMP_SIZE,
                                         CLI_TIMESTAMP_SIZE);
    return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, "forecast timestamps");
}

static int compute_forecast(const forecast_request *req, const kairos_model *model,
                            bool timed, forecast_arrays *a)
{
    a->mean = calloc(req->horizon, sizeof *a->mean);
    a->columns = calloc(req->horizon * req->n_quantiles, sizeof *a->columns);
    if (!a->mean || !a->columns)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for a forecast of %zu steps",
                        req->horizon);
    kairos_forecast_opts opts = KAIROS_FORECAST_OPTS_INIT;
    opts.horizon = req->horizon;
    opts.quantiles = req->quantiles;
    opts.n_quantiles = req->n_quantiles;
    int status = kairos_model_forecast(model, &opts, a->mean, a->columns);
    if (status != KAIROS_OK)
        return cli_fail_status(status, "forecast");
    int code = timed ? format_timestamps(model, req->horizon, a) : CLI_EXIT_OK;
    if (code == CLI_EXIT_OK && req->report) {
        status = kairos_model_report_json(model, &a->report);
        if (status != KAIROS_OK)
            return cli_fail_status(status, "model report");
    }
    return code;
}

static int print_forecast(const forecast_request *req, const forecast_arrays *a)
{
    const char *labels[MAX_QUANTILES];
    for (size_t i = 0; i < req->n_quantiles; i++)
        labels[i] = req->labels[i];
    cli_forecast_table table = {
        .horizon = req->horizon,
        .mean = a->mean,
        .columns = a->columns,
        .n_columns = req->n_quantiles,
        .labels = labels,
        .intervals = req->levels_given,
        .timestamps = a->timestamps,
        .model_json = req->report ? a->report.data : NULL,
    };
    return req->format == FORMAT_JSON ? cli_write_forecast_json(stdout, &table)
                                      : cli_write_forecast_csv(stdout, &table);
}

static int run_forecast(const forecast_request *req)
{
    kairos_series *history = NULL;
    kairos_model *model = NULL;
    forecast_arrays arrays;
    memset(&arrays, 0, sizeof arrays);
    int code = load_history(req, &history);
    if (code == CLI_EXIT_OK)
        code = fit_model(req, history, &model);
    if (code == CLI_EXIT_OK)
        code = compute_forecast(req, model, kairos_series_timestamps(history) != NULL,
                                &arrays);
    if (code == CLI_EXIT_OK)
        code = print_forecast(req, &arrays);
    free_arrays(&arrays);
    kairos_model_free(model);
    kairos_series_free(history);
    return code;
}

int cli_forecast_main(int argc, char **argv)
{
    forecast_request req;
    request_defaults(&req);
    int code = parse_args(&req, argc, argv);
    if (code != CLI_EXIT_OK)
        return code;
    if (req.help) {
        cli_forecast_help(stdout);
        return CLI_EXIT_OK;
    }
    code = check_request(&req);
    return code != CLI_EXIT_OK ? code : run_forecast(&req);
}

/* ---- help ------------------------------------------------------------------------------ */

/* In several pieces: ISO C only promises string literals of 4095 characters. */
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
"\n",
        out);
    fputs(
"Options:\n"
"  --horizon N             steps ahead to forecast, 1 to 1000000 (required)\n"
"  --model NAME            model to fit (default: auto); see Models below\n"
"  --season P[,P2]         seasonal period(s) in steps (default: inferred from the\n"
"                          timestamps: 1 day when the data span 2 days, plus 1 week\n"
"                          when they span 3 weeks; none for input without timestamps)\n"
"  --quantiles Q[,Q...]    predictive quantiles, each strictly between 0 and 1\n"
"                          (default: 0.1,0.5,0.9); columns q0.1, q0.5, q0.9\n"
"  --levels L[,L...]       central prediction intervals in percent instead, each\n"
"                          strictly between 0 and 100; columns lo80, hi80, ...\n"
"                          (cannot be combined with --quantiles)\n"
"  --format csv|json       output format (default: csv)\n"
"  --report                with --format json: add the fitted model as \"model\" (name,\n"
"                          order, seasonal_order, period, coef, loglik, sigma2, aic,\n"
"                          aicc, bic, nobs)\n"
"  --column NAME           value column to read (default: 'value', else the first column\n"
"                          that is not the timestamp); a 1-based number without header\n"
"  --step DUR              step of the regular grid (default: the median spacing of the\n"
"                          timestamps); DUR is 90 (seconds), 30s, 5m, 1h, 2d, 1w or a\n"
"                          sum such as 1h30m\n"
"  --agg mean|max|last|sum how rows in the same step are combined (default: mean)\n"
"  --fill none|linear|previous\n"
"                          how steps without data are filled (default: none)\n"
"  --profile-seasons K     seasons averaged by the profile model (default: 4)\n"
"  --verbose               notes on stderr: what regularization changed (sorted rows,\n"
"                          merged rows, gaps) and which model was fitted\n"
"  -h, --help              show this help\n"
"\n",
        out);
    fputs(
"Models:\n"
"  auto      (default) the baseline below with the lowest mean absolute error on a\n"
"            holdout at the end of the history\n"
"  naive     the last observed value\n"
"  snaive    the value one season earlier (needs a full season of history)\n"
"  drift     the last value plus the average change per step\n"
"  mean      the mean of the history\n"
"  profile   the mean of the same slot of the season over the last K seasons\n"
"            (--profile-seasons), shifted to the level of the last season\n"
"  Quantiles come from the model's residual spread (see docs/models.md).\n"
"\n"
"Reserved for ARIMA, which is not in this build yet (--model arima and autoarima are\n"
"refused); these options are only accepted with --model arima:\n"
"  --order p,d,q  --seasonal-order P,D,Q  --mean | --no-mean  --drift\n"
"\n"
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
