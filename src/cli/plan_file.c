/* Reading back the plan CSV `kairos plan` writes (step,timestamp,demand,replicas,p_shortfall):
 * the replica schedule and its step, for `kairos cost --plan` and `kairos keda --plan`. Only
 * the header's `replicas` and `timestamp` columns matter, so a plan edited by hand or with
 * extra columns still reads. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { NO_COLUMN = -1 };

typedef struct plan_reader {
    const char *name;            /* for messages: the path, or "stdin" */
    size_t line;                 /* 1-based line being read */
    long replicas_col, time_col;
    size_t n_columns;
    size_t cap;
} plan_reader;

static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 == cap) {
            char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
            continue;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int saved = errno;
    bool failed = ferror(f) != 0;
    if (f != stdin)
        fclose(f);
    errno = saved;
    if (buf && failed) {
        free(buf);
        return NULL;
    }
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* The next comma-separated field of *cursor (NULL at the end of the line), blanks and a
 * trailing CR trimmed. `kairos plan` never quotes, so neither does this reader. */
static char *next_field(char **cursor)
{
    char *field = *cursor;
    if (!field)
        return NULL;
    char *comma = strchr(field, ',');
    *cursor = comma ? comma + 1 : NULL;
    if (comma)
        *comma = '\0';
    while (*field == ' ' || *field == '\t')
        field++;
    size_t len = strlen(field);
    while (len && (field[len - 1] == '\r' || field[len - 1] == ' ' || field[len - 1] == '\t'))
        field[--len] = '\0';
    return field;
}

static int read_header(plan_reader *r, char *line)
{
    r->replicas_col = r->time_col = NO_COLUMN;
    if (strncmp(line, "\xEF\xBB\xBF", 3) == 0)   /* a UTF-8 BOM from an editor */
        line += 3;
    char *cursor = line;
    for (char *f; (f = next_field(&cursor)) != NULL; r->n_columns++) {
        if (strcmp(f, "replicas") == 0)
            r->replicas_col = (long)r->n_columns;
        else if (strcmp(f, "timestamp") == 0)
            r->time_col = (long)r->n_columns;
    }
    if (r->replicas_col == NO_COLUMN)
        return cli_fail(CLI_EXIT_DATA, "%s: line %zu: no 'replicas' column in the header "
                        "(expected the CSV of 'kairos plan')", r->name, r->line);
    return CLI_EXIT_OK;
}

static int parse_replicas(const plan_reader *r, const char *cell, size_t *out)
{
    size_t value = 0;
    bool ok = *cell && strspn(cell, "0123456789") == strlen(cell) && strlen(cell) <= 9;
    for (const char *p = cell; ok && *p; p++)
        value = value * 10 + (size_t)(*p - '0');
    if (!ok || value > KAIROS_PLAN_MAX_REPLICAS)
        return cli_fail(CLI_EXIT_DATA, "%s: line %zu: replicas '%s' is not a whole number "
                        "from 0 to %d", r->name, r->line, cell, KAIROS_PLAN_MAX_REPLICAS);
    *out = value;
    return CLI_EXIT_OK;
}

static int grow(plan_reader *r, cli_plan_file *plan)
{
    if (plan->n < r->cap)
        return CLI_EXIT_OK;
    size_t cap = r->cap ? r->cap * 2 : 256;
    size_t *replicas = realloc(plan->replicas, cap * sizeof *replicas);
    if (replicas)
        plan->replicas = replicas;
    int64_t *times = r->time_col != NO_COLUMN ? realloc(plan->times, cap * sizeof *times) : NULL;
    if (times)
        plan->times = times;
    if (!replicas || (r->time_col != NO_COLUMN && !times))
        return cli_fail(CLI_EXIT_MODEL, "out of memory reading the plan");
    r->cap = cap;
    return CLI_EXIT_OK;
}

static int read_row(plan_reader *r, char *line, cli_plan_file *plan)
{
    int code = grow(r, plan);
    size_t n = 0;
    char *cursor = line;
    for (char *f; code == CLI_EXIT_OK && (f = next_field(&cursor)) != NULL; n++) {
        if ((long)n == r->replicas_col)
            code = parse_replicas(r, f, &plan->replicas[plan->n]);
        else if ((long)n == r->time_col &&
                 kairos_parse_timestamp(f, strlen(f), &plan->times[plan->n]) != KAIROS_OK)
            code = cli_fail(CLI_EXIT_DATA, "%s: line %zu: %s", r->name, r->line,
                            kairos_last_error());
    }
    if (code == CLI_EXIT_OK && n != r->n_columns)
        code = cli_fail(CLI_EXIT_DATA, "%s: line %zu: %zu %s, the header has %zu", r->name,
                        r->line, n, n == 1 ? "column" : "columns", r->n_columns);
    if (code == CLI_EXIT_OK)
        plan->n++;
    return code;
}

/* The step of a timestamped plan: its timestamps must be evenly spaced and increasing. */
static int find_step(const plan_reader *r, cli_plan_file *plan)
{
    plan->step_s = 3600;
    if (!plan->times || plan->n < 2)
        return CLI_EXIT_OK;
    plan->step_s = plan->times[1] - plan->times[0];
    for (size_t i = 1; i < plan->n; i++)
        if (plan->step_s <= 0 || plan->times[i] - plan->times[i - 1] != plan->step_s)
            return cli_fail(CLI_EXIT_DATA, "%s: rows %zu and %zu: the timestamps must "
                            "increase by one fixed step", r->name, i, i + 1);
    return CLI_EXIT_OK;
}

static int parse_plan(plan_reader *r, char *text, cli_plan_file *plan)
{
    bool header = true;
    int code = CLI_EXIT_OK;
    for (char *line = text, *next; line && code == CLI_EXIT_OK; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        r->line++;
        if (line[strspn(line, " \t\r")] == '\0')
            continue;   /* blank lines (and the end of the last line) */
        code = header ? read_header(r, line) : read_row(r, line, plan);
        header = false;
    }
    if (code == CLI_EXIT_OK && plan->n == 0)
        return cli_fail(CLI_EXIT_DATA, "%s: the plan has no rows", r->name);
    return code == CLI_EXIT_OK ? find_step(r, plan) : code;
}

int cli_plan_file_read(const char *path, cli_plan_file *plan)
{
    memset(plan, 0, sizeof *plan);
    plan_reader r;
    memset(&r, 0, sizeof r);
    r.name = strcmp(path, "-") == 0 ? "stdin" : path;
    size_t len = 0;
    errno = 0;
    char *text = read_all(path, &len);
    if (!text)
        return cli_fail(CLI_EXIT_DATA, "%s: cannot read the plan: %s", r.name,
                        errno ? strerror(errno) : "out of memory");
    int code = strlen(text) == len ? parse_plan(&r, text, plan)
                                   : cli_fail(CLI_EXIT_DATA, "%s: the plan contains a NUL "
                                              "byte", r.name);
    free(text);
    if (code != CLI_EXIT_OK)
        cli_plan_file_free(plan);
    return code;
}

void cli_plan_file_free(cli_plan_file *plan)
{
    free(plan->replicas);
    free(plan->times);
    memset(plan, 0, sizeof *plan);
}
