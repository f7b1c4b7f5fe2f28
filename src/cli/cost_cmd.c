/* `kairos cost`: price a replica count or a plan (the CSV `kairos plan` writes) against a
 * static allocation at its peak and the current allocation (contract: DESIGN.md). */
#include "cli.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Entry points; the lead moves these declarations into cli.h when wiring main.c. */
int cli_cost_main(int argc, char **argv);
void cli_cost_help(FILE *out);

enum cost_format { COST_JSON, COST_TEXT };

typedef struct cost_request {
    size_t replicas;             /* --replicas; 0 = not given */
    const char *plan_path;       /* --plan */
    double cpu_cores, memory_bytes;
    bool cpu_given, memory_given;
    kairos_cost_model model;
    size_t current;              /* 0 = unknown */
    enum cost_format format;
    bool help;
} cost_request;

/* A finite number in [min, max], both ends allowed. */
static int parse_closed(const char *option, const char *text, double min, double max, double *out)
{
    double v;
    int code = cli_parse_open_interval(option, text, -DBL_MAX, DBL_MAX, &v);
    if (code != CLI_EXIT_OK)
        return code;
    if (v < min || v > max) {
        char lo[CLI_NUMBER_SIZE], hi[CLI_NUMBER_SIZE];
        cli_format_number(min, lo, sizeof lo);
        cli_format_number(max, hi, sizeof hi);
        return cli_fail(CLI_EXIT_USAGE, "%s: %s is not between %s and %s", option, text, lo, hi);
    }
    *out = v;
    return CLI_EXIT_OK;
}

/* A finite number > 0. */
static int parse_positive(const char *option, const char *text, double *out)
{
    double v;
    int code = cli_parse_open_interval(option, text, -DBL_MAX, DBL_MAX, &v);
    if (code == CLI_EXIT_OK && !(v > 0))
        return cli_fail(CLI_EXIT_USAGE, "%s: %s must be greater than 0", option, text);
    if (code == CLI_EXIT_OK)
        *out = v;
    return code;
}

static int parse_quantity(const char *option, const char *text, double *out)
{
    double v;
    if (kairos_quantity_parse(text, &v) != KAIROS_OK)
        return cli_fail(CLI_EXIT_USAGE, "%s: %s", option, kairos_last_error());
    if (!(v >= 0))
        return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is negative", option, text);
    *out = v;
    return CLI_EXIT_OK;
}

static int apply_option(cost_request *r, cli_args *a)
{
    const char *n = a->name, *v = NULL;
    if (strcmp(n, "--help") == 0 || strcmp(n, "-h") == 0) {
        r->help = true;
        return cli_args_flag(a);
    }
    int code = cli_args_value(a, &v);
    if (code != CLI_EXIT_OK)
        return code;
    if (strcmp(n, "--replicas") == 0)
        return cli_parse_size(n, v, 1, KAIROS_PLAN_MAX_REPLICAS, &r->replicas);
    if (strcmp(n, "--plan") == 0) {
        r->plan_path = v;
        return CLI_EXIT_OK;
    }
    if (strcmp(n, "--cpu") == 0) {
        r->cpu_given = true;
        return parse_quantity(n, v, &r->cpu_cores);
    }
    if (strcmp(n, "--memory") == 0) {
        r->memory_given = true;
        return parse_quantity(n, v, &r->memory_bytes);
    }
    if (strcmp(n, "--cpu-price") == 0)
        return parse_closed(n, v, 0, DBL_MAX, &r->model.cpu_price);
    if (strcmp(n, "--memory-price") == 0)
        return parse_closed(n, v, 0, DBL_MAX, &r->model.memory_price);
    if (strcmp(n, "--hours-per-month") == 0)
        return parse_positive(n, v, &r->model.hours_per_month);
    if (strcmp(n, "--spot-share") == 0)
        return parse_closed(n, v, 0, 1, &r->model.spot_share);
    if (strcmp(n, "--spot-discount") == 0)
        return parse_closed(n, v, 0, 1, &r->model.spot_discount);
    if (strcmp(n, "--currency") == 0) {
        r->model.currency = v;
        return CLI_EXIT_OK;
    }
    if (strcmp(n, "--current") == 0)
        return cli_parse_size(n, v, 1, KAIROS_PLAN_MAX_REPLICAS, &r->current);
    if (strcmp(n, "--format") == 0) {
        static const char *const names[] = { "json", "text", NULL };
        size_t i;
        code = cli_parse_choice(n, v, names, &i);
        r->format = i == 1 ? COST_TEXT : COST_JSON;
        return code;
    }
    return cli_fail(CLI_EXIT_USAGE, "unknown option '%s' (see 'kairos cost --help')", n);
}

static int parse_args(cost_request *r, int argc, char **argv)
{
    cli_args args;
    cli_args_start(&args, argc, argv, 1);
    const char *positional = NULL;
    enum cli_arg_kind kind;
    while ((kind = cli_args_next(&args, &positional)) != CLI_ARG_END) {
        if (kind == CLI_ARG_POSITIONAL)
            return cli_fail(CLI_EXIT_USAGE, "kairos cost takes no FILE ('%s'); use --plan PLAN.csv",
                            positional);
        int code = apply_option(r, &args);
        if (code != CLI_EXIT_OK || r->help)
            return code;
    }
    if (!r->replicas == !r->plan_path)
        return cli_fail(CLI_EXIT_USAGE, "give exactly one of --replicas N and --plan PLAN.csv");
    if (!r->cpu_given || !r->memory_given)
        return cli_fail(CLI_EXIT_USAGE, "--cpu CORES and --memory QTY are required (e.g. --cpu 500m "
                        "--memory 1Gi)");
    return CLI_EXIT_OK;
}

/* ---- reading a plan -------------------------------------------------------------------- */

typedef struct plan_file {
    size_t *replicas;
    int64_t *times;              /* NULL when the plan has no timestamp column */
    size_t n, cap;
    int64_t step_s;
} plan_file;

static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    bool failed = ferror(f) != 0;
    if (f != stdin)
        fclose(f);
    if (!buf || failed) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Split one CSV line (no quoting: `kairos plan` never quotes) into at most @p max fields. */
static size_t split_fields(char *line, char **fields, size_t max)
{
    size_t n = 0;
    for (char *p = line; n < max;) {
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(fields[i]);
        while (l && (fields[i][l - 1] == '\r' || fields[i][l - 1] == ' '))
            fields[i][--l] = '\0';
    }
    return n;
}

static int push_row(plan_file *p, size_t replicas, int64_t t, bool timed)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        size_t *r = realloc(p->replicas, cap * sizeof *r);
        if (r)
            p->replicas = r;
        int64_t *ts = timed ? realloc(p->times, cap * sizeof *ts) : NULL;
        if (ts)
            p->times = ts;
        if (!r || (timed && !ts))
            return cli_fail(CLI_EXIT_MODEL, "out of memory reading the plan");
        p->cap = cap;
    }
    p->replicas[p->n] = replicas;
    if (timed)
        p->times[p->n] = t;
    p->n++;
    return CLI_EXIT_OK;
}

static int plan_step(plan_file *p, const char *path)
{
    p->step_s = 3600;   /* untimed plans: each row counts as an hour */
    if (!p->times || p->n < 2)
        return CLI_EXIT_OK;
    p->step_s = p->times[1] - p->times[0];
    for (size_t i = 1; i < p->n; i++)
        if (p->times[i] - p->times[i - 1] != p->step_s || p->step_s <= 0)
            return cli_fail(CLI_EXIT_DATA, "%s: row %zu: timestamps are not on one fixed step",
                            path, i + 2);
    return CLI_EXIT_OK;
}

static int parse_plan(char *text, const char *path, plan_file *p)
{
    enum { MAX_FIELDS = 16 };
    char *fields[MAX_FIELDS];
    char *line = text, *next;
    size_t line_no = 0;
    long rep_col = -1, ts_col = -1;
    int code = CLI_EXIT_OK;
    for (; line && code == CLI_EXIT_OK; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line_no++;
        if (line[0] == '\0' || (line[0] == '\r' && line[1] == '\0'))
            continue;
        size_t nf = split_fields(line, fields, MAX_FIELDS);
        if (rep_col < 0) {
            for (size_t i = 0; i < nf; i++) {
                if (strcmp(fields[i], "replicas") == 0)
                    rep_col = (long)i;
                if (strcmp(fields[i], "timestamp") == 0)
                    ts_col = (long)i;
            }
            if (rep_col < 0)
                return cli_fail(CLI_EXIT_DATA, "%s: line %zu: no 'replicas' column in the header "
                                "(expected the CSV of 'kairos plan')", path, line_no);
            continue;
        }
        if ((long)nf <= rep_col || (ts_col >= 0 && (long)nf <= ts_col))
            return cli_fail(CLI_EXIT_DATA, "%s: line %zu: too few columns", path, line_no);
        size_t r;
        const char *cell = fields[rep_col];
        char *end = NULL;
        unsigned long long v = strtoull(cell, &end, 10);
        if (!*cell || *end || cell[0] == '-' || v > KAIROS_PLAN_MAX_REPLICAS)
            return cli_fail(CLI_EXIT_DATA, "%s: line %zu: replicas '%s' is not a count from 0 to %d",
                            path, line_no, cell, KAIROS_PLAN_MAX_REPLICAS);
        r = (size_t)v;
        int64_t t = 0;
        if (ts_col >= 0) {
            int status = kairos_parse_timestamp(fields[ts_col], strlen(fields[ts_col]), &t);
            if (status != KAIROS_OK)
                return cli_fail(CLI_EXIT_DATA, "%s: line %zu: %s", path, line_no, kairos_last_error());
        }
        code = push_row(p, r, t, ts_col >= 0);
    }
    if (code == CLI_EXIT_OK && p->n == 0)
        return cli_fail(CLI_EXIT_DATA, "%s: the plan has no rows", path);
    return code != CLI_EXIT_OK ? code : plan_step(p, path);
}

static int load_plan(const char *path, plan_file *p)
{
    size_t len = 0;
    char *text = read_all(path, &len);
    const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
    if (!text)
        return cli_fail(CLI_EXIT_DATA, "%s: cannot read the plan", name);
    if (strlen(text) != len) {
        free(text);
        return cli_fail(CLI_EXIT_DATA, "%s: the plan contains a NUL byte", name);
    }
    int code = parse_plan(text, name, p);
    free(text);
    return code;
}

/* ---- output ---------------------------------------------------------------------------- */

/* Money is written to a millionth: enough for any price, free of binary noise. */
static void money(double x, char *out, size_t size)
{
    cli_format_number(isfinite(x) ? round(x * 1e6) / 1e6 + 0.0 : x, out, size);   /* no "-0" */
}

static void json_money(FILE *out, const char *key, double x, bool comma)
{
    char s[CLI_NUMBER_SIZE];
    money(x, s, sizeof s);
    fprintf(out, "\"%s\":%s%s", key, isfinite(x) ? s : "null", comma ? "," : "");
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(out, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(out, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

static void write_json(FILE *out, const cost_request *r, const kairos_cost_report *c)
{
    char n[CLI_NUMBER_SIZE];
    fputs("{\"currency\":", out);
    json_string(out, r->model.currency ? r->model.currency : "USD");
    fputs(",", out);
    json_money(out, "replica_hourly", c->replica_hourly, true);
    cli_format_number(r->model.hours_per_month, n, sizeof n);
    fprintf(out, "\"hours_per_month\":%s,", n);
    cli_format_number(c->mean_replicas, n, sizeof n);
    fprintf(out, "\"plan\":{\"mean_replicas\":%s,\"peak_replicas\":%zu,", n, c->peak_replicas);
    cli_format_number(c->horizon_hours, n, sizeof n);
    fprintf(out, "\"horizon_hours\":%s,", n);
    json_money(out, "horizon", c->plan_horizon, true);
    json_money(out, "month", c->plan_month, false);
    fprintf(out, "},\"peak_static\":{\"replicas\":%zu,", c->peak_replicas);
    json_money(out, "month", c->peak_month, false);
    fputs("},\"current\":", out);
    if (r->current) {
        fprintf(out, "{\"replicas\":%zu,", r->current);
        json_money(out, "month", c->current_month, false);
        fputs("}", out);
    } else {
        fputs("null", out);
    }
    fputs(",", out);
    json_money(out, "delta_vs_current", c->delta_vs_current, true);
    json_money(out, "delta_vs_peak", c->delta_vs_peak, true);
    json_money(out, "savings_vs_current", c->savings_vs_current, true);
    json_money(out, "savings_vs_peak", c->savings_vs_peak, false);
    fputs("}\n", out);
}

static void write_text(FILE *out, const cost_request *r, const kairos_cost_report *c)
{
    const char *cur = r->model.currency ? r->model.currency : "USD";
    char mean[CLI_NUMBER_SIZE];
    cli_format_number(round(c->mean_replicas * 100) / 100, mean, sizeof mean);
    fprintf(out, "plan:            %10.2f %s/month  (mean %s replicas, peak %zu)\n", c->plan_month,
            cur, mean, c->peak_replicas);
    fprintf(out, "static at peak:  %10.2f %s/month  (%zu replicas; the plan saves %.2f)\n",
            c->peak_month, cur, c->peak_replicas, c->savings_vs_peak);
    if (r->current)
        fprintf(out, "current:         %10.2f %s/month  (%zu replicas; plan %+.2f)\n",
                c->current_month, cur, r->current, c->delta_vs_current);
    fprintf(out, "per replica:     %10.4f %s/hour\n", c->replica_hourly, cur);
}

static int run_cost(const cost_request *r)
{
    plan_file p;
    memset(&p, 0, sizeof p);
    size_t constant[1] = { r->replicas };
    int code = CLI_EXIT_OK;
    if (r->plan_path)
        code = load_plan(r->plan_path, &p);
    kairos_cost_report c;
    memset(&c, 0, sizeof c);
    c.version = KAIROS_COST_REPORT_VERSION;
    if (code == CLI_EXIT_OK) {
        int status = r->plan_path
                         ? kairos_cost_plan(&c, &r->model, r->cpu_cores, r->memory_bytes, p.replicas,
                                            p.n, p.step_s, r->current)
                         : kairos_cost_plan(&c, &r->model, r->cpu_cores, r->memory_bytes, constant,
                                            1, 3600, r->current);
        if (status != KAIROS_OK)
            code = cli_fail_status(status, NULL);
    }
    free(p.replicas);
    free(p.times);
    if (code != CLI_EXIT_OK)
        return code;
    if (r->format == COST_TEXT)
        write_text(stdout, r, &c);
    else
        write_json(stdout, r, &c);
    if (fflush(stdout) != 0 || ferror(stdout))
        return cli_fail(CLI_EXIT_DATA, "cannot write the output");
    return CLI_EXIT_OK;
}

int cli_cost_main(int argc, char **argv)
{
    cost_request r;
    memset(&r, 0, sizeof r);
    r.model = (kairos_cost_model)KAIROS_COST_MODEL_INIT;
    int code = parse_args(&r, argc, argv);
    if (code != CLI_EXIT_OK)
        return code;
    if (r.help) {
        cli_cost_help(stdout);
        return CLI_EXIT_OK;
    }
    return run_cost(&r);
}

void cli_cost_help(FILE *out)
{
    fputs(
"Usage: kairos cost (--replicas N | --plan PLAN.csv) --cpu CORES --memory QTY [options]\n"
"\n"
"Price a replica count, or a plan written by 'kairos plan', per month; compare it with a\n"
"static allocation at the plan's peak and with the current allocation.\n"
"\n"
"  --replicas N          a constant number of replicas\n"
"  --plan PLAN.csv       the CSV of 'kairos plan' ('-' is standard input); without a\n"
"                        timestamp column each row counts as one hour\n"
"  --cpu CORES           per-replica CPU request: 500m, 0.5, 2\n"
"  --memory QTY          per-replica memory request: 512Mi, 1Gi, 1e9\n"
"  --cpu-price X         per vCPU-hour (default 0.04)\n"
"  --memory-price X      per GiB-hour (default 0.005)\n"
"  --hours-per-month H   (default 730)\n"
"  --spot-share F        share of replicas on spot, 0 to 1 (default 0)\n"
"  --spot-discount F     spot price = on-demand x (1 - F) (default 0)\n"
"  --currency LABEL      (default USD)\n"
"  --current N           replicas running now, for the delta\n"
"  --format json|text    (default json)\n"
"\n"
"Monthly cost = mean replicas x (cpu x cpu price + GiB x memory price) x hours per month.\n"
"Example: kairos cost --replicas 3 --cpu 500m --memory 1Gi --current 4 --format text\n",
          out);
}
