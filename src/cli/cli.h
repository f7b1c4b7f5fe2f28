/* Shared pieces of the `kairos` program: exit codes, error reporting, argument scanning,
 * and the parsing/formatting of the values options take. Private to src/cli. The program
 * uses only the public libkairos API, exactly as any other client would. */
#ifndef KAIROS_CLI_H
#define KAIROS_CLI_H

#include <kairos/kairos.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#  define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define CLI_PRINTF(f, a)
#endif

/* Exit codes: part of the contract in DESIGN.md, scripts rely on them. */
enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_LINT = 1,   /* reserved for `kairos lint` */
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_DATA = 3,
    CLI_EXIT_MODEL = 4
};

/* ---- errors and notes ------------------------------------------------------------------ */

/* Print "kairos: <message>" as one line on stderr and return @p exit_code, so callers can
 * write `return cli_fail(CLI_EXIT_USAGE, "...");`. Newlines in the message become spaces:
 * a failing run prints exactly one line. */
int cli_fail(int exit_code, const char *fmt, ...) CLI_PRINTF(2, 3);

/* The exit code a libkairos status maps to (see docs/cli.md). */
int cli_exit_code_for_status(int status);

/* Report a failed libkairos call: "kairos: [<context>: ]<kairos_last_error()>", falling back
 * to kairos_strerror() when the library left no detail. @p context (e.g. the file name) is
 * left out when NULL or when the detail already names it. Returns the mapped exit code. */
int cli_fail_status(int status, const char *context);

/* An informational "kairos: note: ..." line on stderr (only ever used with --verbose). */
void cli_note(const char *fmt, ...) CLI_PRINTF(1, 2);

/* While @p buf is set, the calling thread's failure messages go there instead of stderr
 * (the first one is kept, without the "kairos: " prefix; notes are dropped), so `kairos
 * run` can report each workload's failure in its place. NULL restores stderr. */
void cli_capture_messages(char *buf, size_t size);

/* ---- argument scanning ----------------------------------------------------------------- */

enum cli_arg_kind { CLI_ARG_END, CLI_ARG_OPTION, CLI_ARG_POSITIONAL };

/* Walks argv once. Options are `--name value`, `--name=value` or a bare `--flag`; `-` alone
 * is a positional (standard input) and `--` ends the options. */
typedef struct cli_args {
    int argc;
    char **argv;
    int next;                  /* index of the next argv entry to look at */
    bool options_ended;        /* seen `--` */
    char name[64];             /* current option, e.g. "--horizon" (truncated if absurd) */
    const char *inline_value;  /* text after '=' in `--name=value`, else NULL */
} cli_args;

void cli_args_start(cli_args *a, int argc, char **argv, int first);
/* Advance: returns the kind of the next argument; *positional is set for positionals. */
enum cli_arg_kind cli_args_next(cli_args *a, const char **positional);
/* The value of the current option (inline or the next argv entry). Prints the usage error
 * and returns CLI_EXIT_USAGE when there is none. */
int cli_args_value(cli_args *a, const char **value);
/* Check the current option was given without `=value`. */
int cli_args_flag(cli_args *a);

/* A table of options. @p apply gets the context the table is used with, the option's name
 * and its value (NULL for a flag); it returns CLI_EXIT_OK or prints its usage error. */
typedef struct cli_option {
    const char *name;
    bool takes_value;
    int (*apply)(void *ctx, const char *option, const char *value);
} cli_option;

/* If the current option of @p a is in @p table, take its value and apply it (*handled =
 * true); otherwise return CLI_EXIT_OK with *handled = false. */
int cli_apply_option(const cli_option *table, size_t n, void *ctx, cli_args *a, bool *handled);

/* ---- values of options ----------------------------------------------------------------- */

/* Each parser prints its own usage error naming @p option and returns CLI_EXIT_USAGE, or
 * returns CLI_EXIT_OK with the result stored. */

/* A whole number in [min, max]; digits only. */
int cli_parse_size(const char *option, const char *text, size_t min, size_t max, size_t *out);
/* A finite decimal number strictly between @p low and @p high. */
int cli_parse_open_interval(const char *option, const char *text, double low, double high,
                            double *out);
/* A duration of at least @p min_seconds: `90` (seconds), `30s`, `5m`, `1h`, `2d`, `1w`, or a
 * sum such as `1h30m`. */
int cli_parse_duration(const char *option, const char *text, int64_t min_seconds,
                       int64_t *seconds);
/* A finite decimal number in [min, max], both ends allowed; @p max may be HUGE_VAL. */
int cli_parse_range(const char *option, const char *text, double min, double max,
                    double *out);
/* A finite decimal number greater than 0. */
int cli_parse_positive(const char *option, const char *text, double *out);
/* One of @p names (NULL-terminated); *index receives its position. */
int cli_parse_choice(const char *option, const char *text, const char *const *names,
                     size_t *index);

/* Split a comma list into at most @p max items, trimming blanks around each one. Items point
 * into @p storage (a copy of @p text, at least strlen(text)+1 bytes). Empty items and too
 * many items are usage errors. */
int cli_split_list(const char *option, const char *text, char *storage, size_t storage_size,
                   char **items, size_t max, size_t *n_out);

/* ---- number output --------------------------------------------------------------------- */

/* The shortest of %.15g/%.16g/%.17g that reads back as exactly @p x. The program never
 * calls setlocale(), so printf/strtod stay in the "C" locale and the decimal point is '.'.
 * @p out holds at least CLI_NUMBER_SIZE bytes. Non-finite values give "NaN"/"Inf"/"-Inf". */
#define CLI_NUMBER_SIZE 32
void cli_format_number(double x, char *out, size_t size);

/* cli_format_number() written to @p out. */
void cli_put_number(FILE *out, double x);

/* A duration in the units cli_parse_duration() reads: 3600 gives "1h", 5400 "1h30m". */
void cli_format_duration(int64_t seconds, char *out, size_t size);

/* Flush @p out and report a failed write (full disk, closed pipe) as exit 3, naming
 * @p what ("the forecast"). stdio remembers any failed write, so once at the end is enough. */
int cli_finish_output(FILE *out, const char *what);

/* ---- the forecast request: shared by forecast, plan (and keda, backtest) ---------------- */

#define CLI_TIMESTAMP_SIZE 32
#define CLI_MAX_PERIODS 8

/* Options reserved for ARIMA: checked now so scripts learn early if they misuse them; they
 * reach the library once kairos_fit_opts grows the matching fields. */
typedef struct cli_arima_terms {
    bool order_given, seasonal_order_given, mean, no_mean, drift;
    size_t order[3], seasonal_order[3];
} cli_arima_terms;

/* The seasonal models' options (--ets-model --adjusted-model --robust --s-window
 * --max-k --adjusted-window), passed to kairos_fit_opts version 3. */
typedef struct cli_seasonal_terms {
    const char *ets_model, *adjusted_model;   /* NULL = the library's choice */
    bool robust, periodic;
    size_t s_window, max_k, adjusted_window;  /* 0 = the library's default */
} cli_seasonal_terms;

/* What to forecast and how: FILE and every option that shapes the forecast. Commands that
 * forecast embed one and add their own options (see cli_forecast_request_parse()). */
typedef struct cli_forecast_request {
    const char *command;              /* "forecast", "plan": names the command in messages */
    const char *path;                 /* FILE; "-" is standard input */
    size_t horizon;                   /* 0 until --horizon is seen */
    const char *model;                /* NULL = auto */
    size_t periods[CLI_MAX_PERIODS];
    size_t n_periods;                 /* 0 = let the library infer from the timestamps */
    size_t profile_seasons;           /* 0 = the library's default */
    const char *column;
    kairos_regularize_opts regularize;
    bool step_given, agg_given, fill_given;
    cli_arima_terms arima;
    cli_seasonal_terms seasonal;
    bool report, verbose, help;
    bool calibrate;                   /* --calibrate: kairos_model_calibrate() */
    size_t calibrate_windows;         /* --calibrate-windows K; 0 = the library's default */
} cli_forecast_request;

/* Defaults; @p command is the subcommand's name, kept for messages. */
void cli_forecast_request_init(cli_forecast_request *req, const char *command);

/* Walk argv (argv[0] is the subcommand): the positional FILE, the shared forecast options
 * (--horizon --season --model --column --step --agg --fill --profile-seasons --order
 * --seasonal-order --mean --no-mean --drift --report --verbose --help) and the command's
 * own @p extra options, applied with @p ctx. Stops at the first error or at --help. */
int cli_forecast_request_parse(cli_forecast_request *req, int argc, char **argv,
                               const cli_option *extra, size_t n_extra, void *ctx);

/* Combinations no single option can check: FILE and --horizon are required, --report needs
 * JSON output (@p json_output), --profile-seasons and the ARIMA terms need their model. */
int cli_forecast_request_check(const cli_forecast_request *req, bool json_output);

/* "stdin" for "-", else the path: how messages name the input. */
const char *cli_input_name(const cli_forecast_request *req);

/* The forecast pipeline: load (and regularize) → fit → forecast. Each step reports its own
 * failure (one stderr line) and returns the exit code; cli_pipeline_free() releases
 * everything, whichever step failed. Start from a zeroed struct. */
typedef struct cli_pipeline {
    kairos_series *history;           /* regularized when the input has timestamps */
    bool timed;                       /* the input has timestamps */
    int64_t step_s;                   /* the history's step; 0 without timestamps */
    kairos_model *model;
    kairos_buf report;                /* the "model" JSON object, with --report */
    size_t horizon;
    double *mean;                     /* horizon values */
    double *quantiles;                /* n_levels × horizon, row-major (row j = level j) */
    char *timestamps;                 /* horizon × CLI_TIMESTAMP_SIZE ISO 8601 texts, or NULL
                                         without timestamps */
} cli_pipeline;

/* Read FILE; timestamped input is put on a regular step (sorted, merged, gaps per --fill).
 * --step/--agg/--fill on input without timestamps are usage errors. */
int cli_pipeline_load(const cli_forecast_request *req, cli_pipeline *p);
/* The same for a history obtained otherwise (e.g. fetched from Prometheus): takes ownership
 * of @p raw, whatever happens. */
int cli_pipeline_adopt(const cli_forecast_request *req, cli_pipeline *p, kairos_series *raw);
/* The fit options a request asks for (model, periods, horizon, model terms). */
void cli_request_fit_opts(const cli_forecast_request *req, kairos_fit_opts *opts);
/* Fit the model to the loaded history (calibrated with --calibrate); with --report also
 * describe it as JSON. */
int cli_pipeline_fit(const cli_forecast_request *req, cli_pipeline *p);
/* Forecast req->horizon steps: the mean, the quantiles at @p levels (n_levels may be 0)
 * and the timestamps. */
int cli_pipeline_forecast(const cli_forecast_request *req, cli_pipeline *p,
                          const double *levels, size_t n_levels);
void cli_pipeline_free(cli_pipeline *p);

/* Help text of the shared options, the models and the ARIMA-reserved options, so every
 * command that forecasts documents them identically. */
void cli_forecast_options_help(FILE *out);

/* ---- the plan request: shared by plan, keda and run ------------------------------------ */

#define CLI_MAX_PLAN_LEVELS 32

/* The replica options and which of them were given. */
typedef struct cli_plan_request {
    kairos_plan_opts opts;
    bool target_given, up_given, down_given, stabilization_given;
    bool hpa;      /* the plan also becomes HPA behavior (keda, run): KEDA's tighter bounds */
} cli_plan_request;

void cli_plan_request_init(cli_plan_request *r, bool hpa);

/* Set one plan option by @p name, without dashes: target-per-replica headroom quantile
 * risk min max max-up-factor max-down stabilization lead-time current. @p label names it
 * in messages (an option or a config key). *handled is false for other names. */
int cli_plan_request_set(cli_plan_request *r, const char *name, const char *label,
                         const char *value, bool *handled);
/* The same for a command-line option "--name"; the apply function of option tables. */
int cli_plan_request_apply(cli_plan_request *r, const char *option, const char *value);

/* The plan options as entries of a cli_option table, applied by @p fn (which passes them
 * on to cli_plan_request_apply() with the command's cli_plan_request). */
#define CLI_PLAN_OPTIONS(fn) \
    { "--target-per-replica", true, fn }, { "--headroom", true, fn }, \
    { "--quantile", true, fn }, { "--risk", true, fn }, { "--min", true, fn }, \
    { "--max", true, fn }, { "--max-up-factor", true, fn }, { "--max-down", true, fn }, \
    { "--stabilization", true, fn }, { "--lead-time", true, fn }, { "--current", true, fn }

/* The target is required, --quantile excludes --risk, --max is not below --min. */
int cli_plan_request_check(const cli_plan_request *r);
/* Only the last: for a plan read from a file, where the other options do not apply. */
int cli_plan_request_check_bounds(const cli_plan_request *r);

/* The levels a plan asks of the forecast, sorted: a grid for the risk, the level planned
 * on, and @p extra levels (e.g. those a chart or a table shows). @p levels holds
 * CLI_MAX_PLAN_LEVELS; returns the count. */
size_t cli_plan_levels(const kairos_plan_opts *o, const double *extra, size_t n_extra,
                       double *levels);

/* A replica schedule with the levels its forecast was made at. */
typedef struct cli_plan {
    size_t horizon;
    int64_t step_s;                   /* the step the totals count in (3600 without
                                         timestamps) */
    size_t *replicas;
    double *demand, *p_shortfall;     /* horizon values each */
    kairos_plan_totals totals;
    double levels[CLI_MAX_PLAN_LEVELS];   /* row j of the pipeline's quantiles */
    size_t n_levels;
} cli_plan;

/* The plan step over a loaded pipeline: fit, forecast at cli_plan_levels() and plan.
 * Reports its own failure and returns the exit code; release @p plan with cli_plan_free()
 * whatever happened. */
int cli_plan_pipeline(const cli_forecast_request *req, const cli_plan_request *r,
                      cli_pipeline *p, const double *extra, size_t n_extra, cli_plan *plan);
void cli_plan_free(cli_plan *plan);
/* The quantile row of @p level in the pipeline's forecast, or -1. */
long cli_plan_level_row(const cli_plan *plan, double level);
/* The forecast's timestamps as Unix seconds (*times NULL without timestamps); the caller
 * frees *times, also after a failure. */
int cli_pipeline_times(const cli_pipeline *p, int64_t **times);

/* ---- forecast output ------------------------------------------------------------------- */

/* Everything `kairos forecast` prints, computed before the first byte is written so a
 * failure never leaves half a table behind. All arrays are borrowed. */
typedef struct cli_forecast_table {
    size_t horizon;
    const double *mean;              /* horizon values */
    const double *columns;           /* n_columns × horizon, row-major (row j = column j) */
    size_t n_columns;
    const char *const *labels;       /* CSV names: "q0.1"... or "lo80", "hi80"... */
    bool intervals;                  /* lo/hi columns: JSON puts them beside "mean" */
    const char *timestamps;          /* horizon × CLI_TIMESTAMP_SIZE ISO 8601 texts, or NULL
                                        when the input had no timestamps */
    const char *model_json;          /* the "model" object for --report, else NULL */
} cli_forecast_table;

/* Write the table; returns CLI_EXIT_OK or reports a write failure (disk full, closed pipe). */
int cli_write_forecast_csv(FILE *out, const cli_forecast_table *t);
int cli_write_forecast_json(FILE *out, const cli_forecast_table *t);

/* ---- subcommands ----------------------------------------------------------------------- */

/* `kairos forecast ...`; argv[0] is "forecast". Returns the exit code. */
int cli_forecast_main(int argc, char **argv);
/* The text of `kairos forecast --help`. */
void cli_forecast_help(FILE *out);

/* `kairos plan ...`: forecast, then a replica schedule with per-step risk. */
int cli_plan_main(int argc, char **argv);
void cli_plan_help(FILE *out);

/* `kairos backtest ...`: rolling-origin metrics of a model as JSON (backtest_cmd.c). */
int cli_backtest_main(int argc, char **argv);
void cli_backtest_help(FILE *out);

/* `kairos cost ...`: price a replica count or a plan CSV per month. */
int cli_cost_main(int argc, char **argv);
void cli_cost_help(FILE *out);

/* `kairos keda ...`: a ScaledObject carrying a plan; `kairos keda catalog [TYPE]`. */
int cli_keda_main(int argc, char **argv);
void cli_keda_help(FILE *out);
/* Carry the plan options into a ScaledObject: target, headroom, bounds and the HPA
 * behavior (the limits the plan was made with when @p planned_here, else only those given). */
void cli_keda_follow_plan(kairos_keda_so_opts *so, const cli_plan_request *r,
                          bool planned_here);

/* `kairos lint MANIFEST.yaml`: findings; exit 1 when any is an error. */
int cli_lint_main(int argc, char **argv);
void cli_lint_help(FILE *out);

/* `kairos run CONFIG.yaml`: every workload of a configuration, with files and a report
 * (run_cmd.c and run.h). */
int cli_run_main(int argc, char **argv);
void cli_run_help(FILE *out);

/* ---- plan output and plan CSV (written by `kairos plan`, read by cost and keda) ------- */

/* Everything `kairos plan` prints; all arrays are borrowed. */
typedef struct cli_plan_table {
    size_t horizon;
    const char *timestamps;          /* horizon × CLI_TIMESTAMP_SIZE texts, or NULL */
    const double *demand;            /* the load planned for */
    const size_t *replicas;
    const double *p_shortfall;
    const kairos_plan_totals *totals;
    int64_t step_s;                  /* the step the totals count in */
    const char *model_json;          /* the "model" object for --report, else NULL */
} cli_plan_table;

/* CSV: step,timestamp,demand,replicas,p_shortfall (no timestamp column without them). */
int cli_write_plan_csv(FILE *out, const cli_plan_table *t);
/* JSON: {"model" (with --report), "plan": {columns as arrays}, "totals": {...}}. */
int cli_write_plan_json(FILE *out, const cli_plan_table *t);

/* The replica schedule of a plan CSV: the `replicas` column and, when present, the
 * `timestamp` column; other columns are ignored. */
typedef struct cli_plan_file {
    size_t *replicas;
    int64_t *times;              /* NULL when the plan has no timestamp column */
    size_t n;
    int64_t step_s;              /* spacing of the timestamps; 3600 without them (each row
                                    counts as an hour) or with a single row */
} cli_plan_file;

/* Read a plan CSV (@p path "-" is standard input). Bad content is exit 3 naming the line. */
int cli_plan_file_read(const char *path, cli_plan_file *plan);
void cli_plan_file_free(cli_plan_file *plan);

#endif /* KAIROS_CLI_H */
