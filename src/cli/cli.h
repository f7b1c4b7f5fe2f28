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

/* A duration in the units cli_parse_duration() reads: 3600 gives "1h", 5400 "1h30m". */
void cli_format_duration(int64_t seconds, char *out, size_t size);

/* ---- forecast output ------------------------------------------------------------------- */

#define CLI_TIMESTAMP_SIZE 32

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

#endif /* KAIROS_CLI_H */
