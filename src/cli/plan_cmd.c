/* `kairos plan`: forecast a metric history and turn the forecast into a replica schedule
 * with per-step risk (contract: DESIGN.md). */
#include "cli.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Entry points; the lead moves these declarations into cli.h when wiring main.c. */
int cli_plan_main(int argc, char **argv);
void cli_plan_help(FILE *out);

enum { MAX_PERIODS = 8, MAX_LEVELS = 16, LIST_SIZE = 256 };
#define MAX_HORIZON ((size_t)1000000)

enum plan_format { PLAN_CSV, PLAN_JSON };

typedef struct plan_request {
    /* forecast */
    const char *path;
    size_t horizon;
    const char *model;
    size_t periods[MAX_PERIODS], n_periods, profile_seasons;
    const char *column;
    kairos_regularize_opts regularize;
    bool step_given, agg_given, fill_given, verbose, help;
    /* plan */
    kairos_plan_opts plan;
    bool target_given;
    enum plan_format format;
} plan_request;

/* The planner's view of the predictive distribution is sharper with more levels; the level
 * planned on is added so it is used exactly, not interpolated. */
static const double base_levels[] = { 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5,
                                      0.6,  0.7,  0.8, 0.9, 0.95, 0.99 };

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

static int set_season(plan_request *r, const char *option, const char *value)
{
    char storage[LIST_SIZE], *items[MAX_PERIODS];
    size_t n;
    int code = cli_split_list(option, value, storage, sizeof storage, items, MAX_PERIODS, &n);
    for (size_t i = 0; code == CLI_EXIT_OK && i < n; i++)
        code = cli_parse_size(option, items[i], 1, 100000000, &r->periods[i]);
    if (code == CLI_EXIT_OK)
        r->n_periods = n;
    return code;
}

static int choice(const char *option, const char *value, const char *const *names, size_t *i)
{
    return cli_parse_choice(option, value, names, i);
}

/* Options shared with `kairos forecast` that make sense for a plan. */
static int forecast_option(plan_request *r, const char *n, const char *v, bool *known)
{
    static const char *const agg_names[] = { "mean", "max", "last", "sum", NULL };
    static const kairos_agg agg_values[] = { KAIROS_AGG_MEAN, KAIROS_AGG_MAX, KAIROS_AGG_LAST,
                                             KAIROS_AGG_SUM };
    static const char *const fill_names[] = { "none", "linear", "previous", NULL };
    static const kairos_fill fill_values[] = { KAIROS_FILL_NONE, KAIROS_FILL_LINEAR,
                                               KAIROS_FILL_PREVIOUS };
    size_t i;
    int code;
    *known = true;
    if (strcmp(n, "--horizon") == 0)
        return cli_parse_size(n, v, 1, MAX_HORIZON, &r->horizon);
    if (strcmp(n, "--model") == 0) {
        r->model = v;
        return CLI_EXIT_OK;
    }
    if (strcmp(n, "--season") == 0)
        return set_season(r, n, v);
    if (strcmp(n, "--column") == 0) {
        r->column = v;
        return CLI_EXIT_OK;
    }
    if (strcmp(n, "--step") == 0) {
        r->step_given = true;
        return cli_parse_duration(n, v, 1, &r->regularize.step_s);
    }
    if (strcmp(n, "--agg") == 0) {
        r->agg_given = true;
        code = choice(n, v, agg_names, &i);
        if (code == CLI_EXIT_OK)
            r->regularize.agg = agg_values[i];
        return code;
    }
    if (strcmp(n, "--fill") == 0) {
        r->fill_given = true;
        code = choice(n, v, fill_names, &i);
        if (code == CLI_EXIT_OK)
            r->regularize.fill = fill_values[i];
        return code;
    }
    if (strcmp(n, "--profile-seasons") == 0)
        return cli_parse_size(n, v, 1, 10000, &r->profile_seasons);
    *known = false;
    return CLI_EXIT_OK;
}

static int plan_option(plan_request *r, const char *n, const char *v, bool *known)
{
    kairos_plan_opts *o = &r->plan;
    *known = true;
    if (strcmp(n, "--target-per-replica") == 0) {
        r->target_given = true;
        return parse_positive(n, v, &o->target_per_replica);
    }
    if (strcmp(n, "--headroom") == 0)
        return parse_positive(n, v, &o->headroom);
    if (strcmp(n, "--quantile") == 0)
        return cli_parse_open_interval(n, v, 0, 1, &o->quantile);
    if (strcmp(n, "--risk") == 0)
        return cli_parse_open_interval(n, v, 0, 1, &o->risk);
    if (strcmp(n, "--min") == 0)
        return cli_parse_size(n, v, 0, KAIROS_PLAN_MAX_REPLICAS, &o->min_replicas);
    if (strcmp(n, "--max") == 0)
        return cli_parse_size(n, v, 1, KAIROS_PLAN_MAX_REPLICAS, &o->max_replicas);
    if (strcmp(n, "--max-up-factor") == 0)
        return parse_closed(n, v, 1, 1e6, &o->max_up_factor);
    if (strcmp(n, "--max-down") == 0)
        return parse_closed(n, v, 0, 1, &o->max_down_fraction);
    if (strcmp(n, "--stabilization") == 0)
        return cli_parse_duration(n, v, 0, &o->stabilization_s);
    if (strcmp(n, "--lead-time") == 0)
        return cli_parse_duration(n, v, 0, &o->lead_time_s);
    if (strcmp(n, "--current") == 0)
        return cli_parse_size(n, v, 1, KAIROS_PLAN_MAX_REPLICAS, &o->current_replicas);
    if (strcmp(n, "--format") == 0) {
        static const char *const names[] = { "csv", "json", NULL };
        size_t i;
        int code = cli_parse_choice(n, v, names, &i);
        r->format = i == 1 ? PLAN_JSON : PLAN_CSV;
        return code;
    }
    *known = false;
    return CLI_EXIT_OK;
}

static int apply_option(plan_request *r, cli_args *a)
{
    const char *n = a->name, *v = NULL;
    if (strcmp(n, "--help") == 0 || strcmp(n, "-h") == 0 || strcmp(n, "--verbose") == 0) {
        *(n[2] == 'v' ? &r->verbose : &r->help) = true;
        return cli_args_flag(a);
    }
    int code = cli_args_value(a, &v);
    bool known = false;
    if (code == CLI_EXIT_OK)
        code = forecast_option(r, n, v, &known);
    if (code == CLI_EXIT_OK && !known)
        code = plan_option(r, n, v, &known);
    if (code == CLI_EXIT_OK && !known)
        return cli_fail(CLI_EXIT_USAGE, "unknown option '%s' (see 'kairos plan --help')", n);
    return code;
}

static int parse_args(plan_request *r, int argc, char **argv)
{
    cli_args args;
    cli_args_start(&args, argc, argv, 1);
    const char *positional = NULL;
    enum cli_arg_kind kind;
    while ((kind = cli_args_next(&args, &positional)) != CLI_ARG_END) {
        int code;
        if (kind == CLI_ARG_POSITIONAL) {
            code = r->path ? cli_fail(CLI_EXIT_USAGE, "only one input FILE is allowed, got '%s' "
                                      "and '%s'", r->path, positional)
                           : CLI_EXIT_OK;
            r->path = positional;
        } else {
            code = apply_option(r, &args);
        }
        if (code != CLI_EXIT_OK || r->help)
            return code;
    }
    if (!r->path)
        return cli_fail(CLI_EXIT_USAGE, "no input FILE given (usage: kairos plan FILE --horizon N "
                        "--target-per-replica X [options])");
    if (!r->horizon)
        return cli_fail(CLI_EXIT_USAGE, "--horizon N is required");
    if (!r->target_given)
        return cli_fail(CLI_EXIT_USAGE, "--target-per-replica X is required");
    if (r->plan.quantile > 0 && r->plan.risk > 0)
        return cli_fail(CLI_EXIT_USAGE, "--quantile and --risk cannot be used together");
    if (r->plan.max_replicas < r->plan.min_replicas)
        return cli_fail(CLI_EXIT_USAGE, "--max (%zu) is below --min (%zu)", r->plan.max_replicas,
                        r->plan.min_replicas);
    if (r->profile_seasons && r->model && strcmp(r->model, "profile") != 0 &&
        strcmp(r->model, "auto") != 0)
        return cli_fail(CLI_EXIT_USAGE, "--profile-seasons only applies to --model profile or auto");
    return CLI_EXIT_OK;
}

/* ---- forecasting ----------------------------------------------------------------------- */

typedef struct plan_arrays {
    double levels[MAX_LEVELS];
    size_t n_levels;
    double *mean, *quantiles, *demand, *risk;
    size_t *replicas;
    int64_t *times;            /* NULL for untimed input */
    int64_t step_s;
} plan_arrays;

static void free_arrays(plan_arrays *a)
{
    free(a->mean);
    free(a->quantiles);
    free(a->demand);
    free(a->risk);
    free(a->replicas);
    free(a->times);
}

static const char *input_name(const plan_request *r)
{
    return strcmp(r->path, "-") == 0 ? "stdin" : r->path;
}

static int load_history(const plan_request *r, kairos_series **out)
{
    kairos_csv_opts csv = KAIROS_CSV_OPTS_INIT;
    csv.column = r->column;
    kairos_series *raw = NULL;
    int status = kairos_series_read_csv(&raw, r->path, &csv);
    if (status != KAIROS_OK)
        return cli_fail_status(status, input_name(r));
    if (!kairos_series_timestamps(raw)) {
        *out = raw;
        if (r->step_given || r->agg_given || r->fill_given)
            return cli_fail(CLI_EXIT_USAGE, "%s has no timestamps, so --step, --agg and --fill "
                            "do not apply", input_name(r));
        if (r->plan.lead_time_s || r->plan.stabilization_s)
            return cli_fail(CLI_EXIT_USAGE, "%s has no timestamps, so --lead-time and "
                            "--stabilization have no step to count in", input_name(r));
        return CLI_EXIT_OK;
    }
    status = kairos_series_regularize(out, raw, &r->regularize, NULL);
    kairos_series_free(raw);
    return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, input_name(r));
}

static int fit(const plan_request *r, const kairos_series *history, kairos_model **model)
{
    kairos_fit_opts opts = KAIROS_FIT_OPTS_INIT;
    opts.model = r->model;
    opts.periods = r->n_periods ? r->periods : NULL;
    opts.n_periods = r->n_periods;
    opts.horizon = r->horizon;
    opts.profile_seasons = r->profile_seasons;
    int status = kairos_model_fit(model, history, &opts);
    if (status == KAIROS_OK)
        return CLI_EXIT_OK;
    char context[128] = "";
    if (status == KAIROS_EDATA)
        snprintf(context, sizeof context, "%s", input_name(r));
    else if (status == KAIROS_EMODEL)
        snprintf(context, sizeof context, "cannot fit model '%s'", r->model ? r->model : "auto");
    return cli_fail_status(status, context);
}

static void choose_levels(const plan_request *r, plan_arrays *a)
{
    double want = r->plan.quantile > 0 ? r->plan.quantile
                : r->plan.risk > 0    ? 1.0 - r->plan.risk
                                      : 0;
    size_t n = 0;
    bool placed = want == 0;
    for (size_t i = 0; i < sizeof base_levels / sizeof *base_levels; i++) {
        if (!placed && want <= base_levels[i]) {
            if (fabs(want - base_levels[i]) > 1e-9)
                a->levels[n++] = want;
            placed = true;
        }
        a->levels[n++] = base_levels[i];
    }
    if (!placed)
        a->levels[n++] = want;
    a->n_levels = n;
}

static int forecast(const plan_request *r, const kairos_model *model, bool timed, plan_arrays *a)
{
    size_t h = r->horizon;
    choose_levels(r, a);
    a->mean = calloc(h, sizeof *a->mean);
    a->quantiles = calloc(h * a->n_levels, sizeof *a->quantiles);
    a->demand = calloc(h, sizeof *a->demand);
    a->risk = calloc(h, sizeof *a->risk);
    a->replicas = calloc(h, sizeof *a->replicas);
    a->times = timed ? calloc(h, sizeof *a->times) : NULL;
    if (!a->mean || !a->quantiles || !a->demand || !a->risk || !a->replicas || (timed && !a->times))
        return cli_fail(CLI_EXIT_MODEL, "out of memory for a plan of %zu steps", h);
    kairos_forecast_opts opts = KAIROS_FORECAST_OPTS_INIT;
    opts.horizon = h;
    opts.quantiles = a->levels;
    opts.n_quantiles = a->n_levels;
    int status = kairos_model_forecast(model, &opts, a->mean, a->quantiles);
    if (status == KAIROS_OK && timed)
        status = kairos_model_forecast_timestamps(model, h, a->times);
    return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, "forecast");
}

/* ---- planning and output --------------------------------------------------------------- */

static int plan(const plan_request *r, plan_arrays *a, kairos_plan_totals *tot)
{
    kairos_plan_forecast fc = KAIROS_PLAN_FORECAST_INIT;
    fc.horizon = r->horizon;
    fc.step_s = a->step_s;
    fc.mean = a->mean;
    fc.levels = a->levels;
    fc.n_quantiles = a->n_levels;
    fc.quantiles = a->quantiles;
    memset(tot, 0, sizeof *tot);
    tot->version = KAIROS_PLAN_TOTALS_VERSION;
    int status = kairos_plan_replicas(&fc, &r->plan, a->replicas, a->demand, a->risk, tot);
    return status == KAIROS_OK ? CLI_EXIT_OK : cli_fail_status(status, "plan");
}

static void put_number(FILE *out, double x)
{
    char s[CLI_NUMBER_SIZE];
    cli_format_number(x, s, sizeof s);
    fputs(s, out);
}

static void put_time(FILE *out, int64_t t)
{
    char s[CLI_TIMESTAMP_SIZE];
    if (kairos_format_timestamp(t, s, sizeof s) != KAIROS_OK)
        snprintf(s, sizeof s, "%lld", (long long)t);
    fputs(s, out);
}

static void write_csv(FILE *out, const plan_request *r, const plan_arrays *a)
{
    fputs(a->times ? "step,timestamp,demand,replicas,p_shortfall\n"
                   : "step,demand,replicas,p_shortfall\n", out);
    for (size_t t = 0; t < r->horizon; t++) {
        fprintf(out, "%zu,", t + 1);
        if (a->times) {
            put_time(out, a->times[t]);
            fputc(',', out);
        }
        put_number(out, a->demand[t]);
        fprintf(out, ",%zu,", a->replicas[t]);
        put_number(out, a->risk[t]);
        fputc('\n', out);
    }
}

static void json_array(FILE *out, const char *key, const double *x, const size_t *z, size_t n)
{
    fprintf(out, "\"%s\":[", key);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', out);
        if (x)
            put_number(out, x[i]);
        else
            fprintf(out, "%zu", z[i]);
    }
    fputc(']', out);
}

static void write_json(FILE *out, const plan_request *r, const plan_arrays *a,
                       const kairos_plan_totals *tot)
{
    size_t h = r->horizon;
    fputs("{\"plan\":{\"step\":[", out);
    for (size_t t = 0; t < h; t++)
        fprintf(out, "%s%zu", t ? "," : "", t + 1);
    fputs("],", out);
    if (a->times) {
        fputs("\"timestamp\":[", out);
        for (size_t t = 0; t < h; t++) {
            fputs(t ? ",\"" : "\"", out);
            put_time(out, a->times[t]);
            fputc('"', out);
        }
        fputs("],", out);
    }
    json_array(out, "demand", a->demand, NULL, h);
    fputc(',', out);
    json_array(out, "replicas", NULL, a->replicas, h);
    fputc(',', out);
    json_array(out, "p_shortfall", a->risk, NULL, h);
    fputs("},\"totals\":{\"replica_hours\":", out);
    put_number(out, tot->replica_hours);
    fprintf(out, ",\"peak_replicas\":%zu,\"peak_step\":%zu,\"shortfall_replica_minutes\":",
            tot->peak_replicas, tot->peak_step + 1);
    put_number(out, tot->shortfall_replica_minutes);
    fputs(",\"max_p_shortfall\":", out);
    put_number(out, tot->max_p_shortfall);
    fputs(",\"mean_p_shortfall\":", out);
    put_number(out, tot->mean_p_shortfall);
    fputs(",\"planned_on\":", out);
    if (isnan(tot->planned_level)) {
        fputs("\"mean\"", out);
    } else {
        fputs("\"q", out);
        put_number(out, tot->planned_level);
        fputc('"', out);
    }
    fprintf(out, ",\"step_s\":%lld,\"lead_steps\":%zu,\"stabilization_steps\":%zu}}\n",
            (long long)a->step_s, tot->lead_steps, tot->stabilization_steps);
}

static int run_plan(const plan_request *r)
{
    kairos_series *history = NULL;
    kairos_model *model = NULL;
    plan_arrays a;
    memset(&a, 0, sizeof a);
    kairos_plan_totals tot;
    int code = load_history(r, &history);
    bool timed = code == CLI_EXIT_OK && kairos_series_timestamps(history) != NULL;
    if (code == CLI_EXIT_OK) {
        /* Untimed input has no step: each step then counts as an hour in the totals. */
        a.step_s = timed ? kairos_series_step(history) : 3600;
        if (a.step_s <= 0)
            a.step_s = 3600;
        code = fit(r, history, &model);
    }
    if (code == CLI_EXIT_OK)
        code = forecast(r, model, timed, &a);
    if (code == CLI_EXIT_OK)
        code = plan(r, &a, &tot);
    if (code == CLI_EXIT_OK) {
        if (r->verbose)
            cli_note("planned on %s; peak %zu replicas at step %zu; %g replica-hours",
                     isnan(tot.planned_level) ? "the mean" : "a quantile", tot.peak_replicas,
                     tot.peak_step + 1, tot.replica_hours);
        if (r->format == PLAN_JSON)
            write_json(stdout, r, &a, &tot);
        else
            write_csv(stdout, r, &a);
        if (fflush(stdout) != 0 || ferror(stdout))
            code = cli_fail(CLI_EXIT_DATA, "cannot write the output");
    }
    free_arrays(&a);
    kairos_model_free(model);
    kairos_series_free(history);
    return code;
}

int cli_plan_main(int argc, char **argv)
{
    plan_request r;
    memset(&r, 0, sizeof r);
    r.regularize = (kairos_regularize_opts)KAIROS_REGULARIZE_OPTS_INIT;
    r.plan = (kairos_plan_opts)KAIROS_PLAN_OPTS_INIT;
    int code = parse_args(&r, argc, argv);
    if (code != CLI_EXIT_OK)
        return code;
    if (r.help) {
        cli_plan_help(stdout);
        return CLI_EXIT_OK;
    }
    return run_plan(&r);
}

void cli_plan_help(FILE *out)
{
    fputs(
"Usage: kairos plan FILE --horizon N --target-per-replica X [options]\n"
"\n"
"Forecast a metric history (CSV; '-' is standard input) and plan replicas for each step,\n"
"with the probability that demand exceeds capacity (replicas x target).\n"
"\n"
"Forecast options (as for 'kairos forecast'):\n"
"  --horizon N            steps ahead (required)\n"
"  --model NAME           auto (default) | naive | snaive | drift | mean | profile\n"
"  --season P[,P2]        seasonal period(s) in steps; default inferred\n"
"  --column NAME          value column\n"
"  --step DUR  --agg mean|max|last|sum  --fill none|linear|previous\n"
"  --profile-seasons N    seasons averaged by the profile model\n"
"\n"
"Plan options:\n"
"  --target-per-replica X load one replica serves (required)\n"
"  --headroom F           multiplier on demand (default 1.0)\n"
"  --quantile Q           plan on the predictive quantile Q (default: the mean)\n"
"  --risk P               plan on the quantile 1-P\n"
"  --min N  --max N       replica bounds (default 1 and 100)\n"
"  --max-up-factor F      per step, at most ceil(previous x F) (default 2)\n"
"  --max-down F           per step, at least floor(previous x (1-F)) (default 0.5)\n"
"  --stabilization DUR    scale down only after demand stayed lower this long (default 0)\n"
"  --lead-time DUR        size each step for the peak of the next DUR too (default 0)\n"
"  --current N            replicas running now (default: start from the first step)\n"
"  --format csv|json      (default csv)\n"
"  --verbose              notes on stderr\n"
"\n"
"CSV columns: step,timestamp,demand,replicas,p_shortfall (timestamp when the input has\n"
"timestamps; demand is the load planned for). See docs/planning.md for the formulas.\n",
          out);
}
