/* Shared helpers of the `kairos` program: errors, argument scanning, option values and
 * number formatting. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors and notes ------------------------------------------------------------------ */

/* Per thread: workloads of `kairos run` fail independently on their own threads. */
static _Thread_local char *capture_buf;
static _Thread_local size_t capture_size;

void cli_capture_messages(char *buf, size_t size)
{
    capture_buf = size ? buf : NULL;
    capture_size = size;
    if (capture_buf)
        capture_buf[0] = '\0';
}

/* Messages are assembled in full before printing so that one failure is one write of one
 * line, even when the library's detail carries a stray newline. */
static void print_line(const char *prefix, const char *fmt, va_list ap)
{
    char message[2048];
    vsnprintf(message, sizeof message, fmt, ap);
    for (char *p = message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    if (capture_buf) {
        /* The first failure is the cause; what follows is its consequence. */
        if (!*prefix && !capture_buf[0])
            snprintf(capture_buf, capture_size, "%s", message);
        return;
    }
    fprintf(stderr, "kairos: %s%s\n", prefix, message);
    fflush(stderr);
}

int cli_fail(int exit_code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line("", fmt, ap);
    va_end(ap);
    return exit_code;
}

void cli_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line("note: ", fmt, ap);
    va_end(ap);
}

int cli_exit_code_for_status(int status)
{
    switch (status) {
    case KAIROS_OK:
        return CLI_EXIT_OK;
    case KAIROS_EINVAL:
    case KAIROS_ENOTSUP:
        return CLI_EXIT_USAGE;     /* the options asked for something that cannot be done */
    case KAIROS_EIO:
    case KAIROS_EPARSE:
    case KAIROS_EDATA:
    case KAIROS_ERANGE:
        return CLI_EXIT_DATA;
    default:
        /* EMODEL, and failures no option or input can fix (ENOMEM, EVERSION): the run
         * could not produce a forecast. */
        return CLI_EXIT_MODEL;
    }
}

int cli_fail_status(int status, const char *context)
{
    const char *detail = kairos_last_error();
    if (!detail || !*detail)
        detail = kairos_strerror(status);
    int code = cli_exit_code_for_status(status);
    if (context && *context && !strstr(detail, context))
        return cli_fail(code, "%s: %s", context, detail);
    return cli_fail(code, "%s", detail);
}

/* ---- argument scanning ----------------------------------------------------------------- */

void cli_args_start(cli_args *a, int argc, char **argv, int first)
{
    memset(a, 0, sizeof *a);
    a->argc = argc;
    a->argv = argv;
    a->next = first;
}

enum cli_arg_kind cli_args_next(cli_args *a, const char **positional)
{
    a->name[0] = '\0';
    a->inline_value = NULL;
    *positional = NULL;
    if (a->next >= a->argc)
        return CLI_ARG_END;
    const char *arg = a->argv[a->next++];
    if (!a->options_ended && strcmp(arg, "--") == 0) {
        a->options_ended = true;
        return cli_args_next(a, positional);
    }
    if (a->options_ended || arg[0] != '-' || arg[1] == '\0') {
        *positional = arg;
        return CLI_ARG_POSITIONAL;
    }
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    if (len >= sizeof a->name)
        len = sizeof a->name - 1;
    memcpy(a->name, arg, len);
    a->name[len] = '\0';
    a->inline_value = eq ? eq + 1 : NULL;
    return CLI_ARG_OPTION;
}

int cli_args_value(cli_args *a, const char **value)
{
    if (a->inline_value) {
        *value = a->inline_value;
        return CLI_EXIT_OK;
    }
    if (a->next >= a->argc)
        return cli_fail(CLI_EXIT_USAGE, "option '%s' needs a value", a->name);
    *value = a->argv[a->next++];
    return CLI_EXIT_OK;
}

int cli_args_flag(cli_args *a)
{
    if (a->inline_value)
        return cli_fail(CLI_EXIT_USAGE, "option '%s' takes no value", a->name);
    return CLI_EXIT_OK;
}

int cli_apply_option(const cli_option *table, size_t n, void *ctx, cli_args *a, bool *handled)
{
    *handled = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(a->name, table[i].name) != 0)
            continue;
        *handled = true;
        const char *value = NULL;
        int code = table[i].takes_value ? cli_args_value(a, &value) : cli_args_flag(a);
        return code ? code : table[i].apply(ctx, table[i].name, value);
    }
    return CLI_EXIT_OK;
}

/* ---- values of options ----------------------------------------------------------------- */

int cli_parse_size(const char *option, const char *text, size_t min, size_t max, size_t *out)
{
    size_t value = 0;
    bool ok = *text != '\0';
    for (const char *p = text; ok && *p; p++) {
        unsigned digit = (unsigned)(*p - '0');
        if (digit > 9 || value > (SIZE_MAX - digit) / 10)
            ok = false;
        else
            value = value * 10 + digit;
    }
    if (!ok)
        return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is not a whole number", option, text);
    if (value < min || value > max)
        return cli_fail(CLI_EXIT_USAGE, "%s: %zu is out of range (%zu to %zu)", option, value,
                        min, max);
    *out = value;
    return CLI_EXIT_OK;
}

int cli_parse_open_interval(const char *option, const char *text, double low, double high,
                            double *out)
{
    char *end = NULL;
    errno = 0;
    /* strtod would skip leading blanks and accept "nan", "inf" and hex; none of those is a
     * sensible way to write a level, so only plain decimal text gets through. */
    bool plain = *text && strspn(text, "0123456789.+-eE") == strlen(text);
    double value = plain ? strtod(text, &end) : NAN;
    if (!plain || end == text || *end != '\0' || errno == ERANGE || !isfinite(value))
        return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is not a number", option, text);
    if (!(value > low && value < high)) {
        char lo[CLI_NUMBER_SIZE], hi[CLI_NUMBER_SIZE];
        cli_format_number(low, lo, sizeof lo);
        cli_format_number(high, hi, sizeof hi);
        return cli_fail(CLI_EXIT_USAGE, "%s: %s is not strictly between %s and %s", option,
                        text, lo, hi);
    }
    *out = value;
    return CLI_EXIT_OK;
}

int cli_parse_range(const char *option, const char *text, double min, double max,
                    double *out)
{
    double value = 0;
    int code = cli_parse_open_interval(option, text, -HUGE_VAL, HUGE_VAL, &value);
    if (code != CLI_EXIT_OK)
        return code;
    char lo[CLI_NUMBER_SIZE], hi[CLI_NUMBER_SIZE];
    cli_format_number(min, lo, sizeof lo);
    cli_format_number(max, hi, sizeof hi);
    if (value < min && max == HUGE_VAL)
        return cli_fail(CLI_EXIT_USAGE, "%s: %s must be at least %s", option, text, lo);
    if (value < min || value > max)
        return cli_fail(CLI_EXIT_USAGE, "%s: %s is not between %s and %s", option, text, lo,
                        hi);
    *out = value;
    return CLI_EXIT_OK;
}

int cli_parse_positive(const char *option, const char *text, double *out)
{
    double value = 0;
    int code = cli_parse_open_interval(option, text, -HUGE_VAL, HUGE_VAL, &value);
    if (code != CLI_EXIT_OK)
        return code;
    if (!(value > 0))
        return cli_fail(CLI_EXIT_USAGE, "%s: %s must be greater than 0", option, text);
    *out = value;
    return CLI_EXIT_OK;
}

static int64_t seconds_per_unit(char unit)
{
    switch (unit) {
    case 's': return 1;
    case 'm': return 60;
    case 'h': return 3600;
    case 'd': return 86400;
    case 'w': return 7 * 86400;
    default:  return 0;
    }
}

int cli_parse_duration(const char *option, const char *text, int64_t min_seconds,
                       int64_t *seconds)
{
    /* A century is far beyond any step or lead time and keeps every sum inside int64. */
    const int64_t limit = (int64_t)100 * 366 * 86400;
    bool plain = *text && strspn(text, "0123456789") == strlen(text);
    int64_t total = 0;
    for (const char *p = text; *p;) {
        int64_t count = 0;
        const char *digits = p;
        for (; isdigit((unsigned char)*p); p++)
            count = count > limit ? count : count * 10 + (*p - '0');   /* saturate */
        int64_t unit = plain ? 1 : seconds_per_unit(*p);
        if (p == digits || unit == 0)
            return cli_fail(CLI_EXIT_USAGE,
                            "%s: '%s' is not a duration (examples: 90, 30s, 5m, 1h, 2d, 1h30m)",
                            option, text);
        if (count > limit || (total += count * unit) > limit)
            return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is longer than a century", option, text);
        if (!plain)
            p++;
    }
    if (!*text)
        return cli_fail(CLI_EXIT_USAGE, "%s: the duration is empty", option);
    if (total < min_seconds && min_seconds == 1)
        return cli_fail(CLI_EXIT_USAGE, "%s: '%s' must be a positive duration", option, text);
    if (total < min_seconds)
        return cli_fail(CLI_EXIT_USAGE, "%s: '%s' must be at least %lld seconds", option,
                        text, (long long)min_seconds);
    *seconds = total;
    return CLI_EXIT_OK;
}

int cli_parse_choice(const char *option, const char *text, const char *const *names,
                     size_t *index)
{
    char choices[256] = "";
    for (size_t i = 0; names[i]; i++) {
        if (strcmp(text, names[i]) == 0) {
            *index = i;
            return CLI_EXIT_OK;
        }
        size_t used = strlen(choices);
        snprintf(choices + used, sizeof choices - used, "%s%s", i ? ", " : "", names[i]);
    }
    return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is not one of %s", option, text, choices);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return s;
}

int cli_split_list(const char *option, const char *text, char *storage, size_t storage_size,
                   char **items, size_t max, size_t *n_out)
{
    size_t len = strlen(text);
    if (len + 1 > storage_size)
        return cli_fail(CLI_EXIT_USAGE, "%s: the list is too long", option);
    memcpy(storage, text, len + 1);
    size_t n = 0;
    for (char *item = storage;; n++) {
        char *comma = strchr(item, ',');
        if (comma)
            *comma = '\0';
        if (n == max)
            return cli_fail(CLI_EXIT_USAGE, "%s: at most %zu items are allowed", option, max);
        items[n] = trim(item);
        if (!*items[n])
            return cli_fail(CLI_EXIT_USAGE, "%s: '%s' has an empty item", option, text);
        if (!comma)
            break;
        item = comma + 1;
    }
    *n_out = n + 1;
    return CLI_EXIT_OK;
}

/* ---- number output --------------------------------------------------------------------- */

void cli_format_number(double x, char *out, size_t size)
{
    if (isnan(x)) {
        snprintf(out, size, "NaN");
        return;
    }
    if (isinf(x)) {
        snprintf(out, size, x > 0 ? "Inf" : "-Inf");
        return;
    }
    /* 17 significant digits always round-trip an IEEE double; fewer usually do and read
     * better (0.1 rather than 0.10000000000000001). */
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(out, size, "%.*g", digits, x);
        if (strtod(out, NULL) == x)
            return;
    }
}

void cli_put_number(FILE *out, double x)
{
    char text[CLI_NUMBER_SIZE];
    cli_format_number(x, text, sizeof text);
    fputs(text, out);
}

int cli_finish_output(FILE *out, const char *what)
{
    if (fflush(out) != 0 || ferror(out))
        return cli_fail(CLI_EXIT_DATA, "cannot write %s: %s", what, strerror(errno));
    return CLI_EXIT_OK;
}

void cli_format_duration(int64_t seconds, char *out, size_t size)
{
    static const struct { char unit; int64_t seconds; } units[] = {
        { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
    size_t used = 0;
    out[0] = '\0';
    if (seconds <= 0) {
        snprintf(out, size, "%llds", (long long)seconds);
        return;
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0] && used < size; i++) {
        int64_t count = seconds / units[i].seconds;
        seconds %= units[i].seconds;
        if (count > 0)
            used += (size_t)snprintf(out + used, size - used, "%lld%c", (long long)count,
                                     units[i].unit);
    }
}
