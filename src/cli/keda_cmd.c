/* `kairos keda`: a ScaledObject that carries a replica plan — read from a plan CSV
 * (--plan) or planned here from a metric history FILE (contract: DESIGN.md) — and
 * `kairos keda catalog [TYPE]`: what each KEDA scaler expects. */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LEVELS = 16 };

/* FILE and the forecast options live in req; the plan options fill both plan (for the
 * planner, when forecasting FILE) and so (HPA behavior, bounds, thresholds). */
typedef struct keda_request {
    cli_forecast_request req;
    kairos_plan_opts plan;
    bool target_given;
    kairos_keda_so_opts so;
    const char *plan_path;
} keda_request;

/* The planned schedule, whichever way it was obtained. */
typedef struct keda_schedule {
    size_t n;
    size_t *replicas;
    int64_t *times;      /* NULL when the plan has no timestamps */
    int64_t step_s;
} keda_schedule;

static const char *const mode_names[] = {"cron", "external", "prometheus", "cpu", "memory", NULL};

/* ---- options ----------------------------------------------------------------------------- */

/* Plan options: they shape the planner (FILE input) and the ScaledObject alike. */
static int apply_plan(keda_request *r, const char *option, const char *value, bool *handled)
{
    kairos_plan_opts *p = &r->plan;
    kairos_keda_so_opts *o = &r->so;
    size_t n = 0;
    int64_t s = 0;
    int code = CLI_EXIT_OK;
    *handled = true;
    if (!strcmp(option, "--target-per-replica")) {
        r->target_given = true;
        code = cli_parse_positive(option, value, &p->target_per_replica);
        o->target_per_replica = p->target_per_replica;
    } else if (!strcmp(option, "--headroom")) {
        code = cli_parse_range(option, value, 1, 100, &p->headroom);
        o->headroom = p->headroom;
    } else if (!strcmp(option, "--quantile")) {
        code = cli_parse_open_interval(option, value, 0, 1, &p->quantile);
    } else if (!strcmp(option, "--risk")) {
        code = cli_parse_open_interval(option, value, 0, 1, &p->risk);
    } else if (!strcmp(option, "--lead-time")) {
        code = cli_parse_duration(option, value, 0, &p->lead_time_s);
    } else if (!strcmp(option, "--current")) {
        code = cli_parse_size(option, value, 1, KAIROS_PLAN_MAX_REPLICAS, &p->current_replicas);
    } else if (!strcmp(option, "--min")) {
        code = cli_parse_size(option, value, 0, KAIROS_PLAN_MAX_REPLICAS, &n);
        p->min_replicas = n;
        o->min_replicas = (int32_t)n;
    } else if (!strcmp(option, "--max")) {
        code = cli_parse_size(option, value, 1, KAIROS_PLAN_MAX_REPLICAS, &n);
        p->max_replicas = n;
        o->max_replicas = (int32_t)n;
    } else if (!strcmp(option, "--max-up-factor")) {
        code = cli_parse_range(option, value, 1.000001, 100, &p->max_up_factor);
        o->max_up_factor = p->max_up_factor;
    } else if (!strcmp(option, "--max-down")) {
        code = cli_parse_range(option, value, 0.000001, 1, &p->max_down_fraction);
        o->max_down_fraction = p->max_down_fraction;
    } else if (!strcmp(option, "--stabilization")) {
        code = cli_parse_duration(option, value, 0, &s);
        if (code == CLI_EXIT_OK && s > 3600)
            code = cli_fail(CLI_EXIT_USAGE, "%s: at most 1h (the HPA's limit)", option);
        p->stabilization_s = s;
        o->stabilization_s = (int32_t)s;
    } else {
        *handled = false;
    }
    return code;
}

static int int32_option(const char *option, const char *value, size_t max, int32_t *out)
{
    size_t v = 0;
    int code = cli_parse_size(option, value, 0, max, &v);
    *out = (int32_t)v;
    return code;
}

static int duration32(const char *option, const char *value, int64_t min, int64_t max,
                      int32_t *out)
{
    int64_t s = 0;
    int code = cli_parse_duration(option, value, min, &s);
    if (code == CLI_EXIT_OK && s > max)
        return cli_fail(CLI_EXIT_USAGE, "%s: %s is longer than %lld s", option, value,
                        (long long)max);
    *out = (int32_t)s;
    return code;
}

static int quantity(const char *option, const char *value, double *out)
{
    if (kairos_quantity_parse(value, out) == KAIROS_OK && *out > 0)
        return CLI_EXIT_OK;
    return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is not a quantity such as 500m or 1Gi", option,
                    value);
}

static int apply(void *ctx, const char *option, const char *value)
{
    keda_request *r = ctx;
    kairos_keda_so_opts *o = &r->so;
    size_t i = 0;
    bool handled;
    int code = apply_plan(r, option, value, &handled);
    if (handled)
        return code;
    if (!strcmp(option, "--name")) o->name = value;
    else if (!strcmp(option, "--namespace")) o->ns = value;
    else if (!strcmp(option, "--target")) o->target_name = value;
    else if (!strcmp(option, "--target-kind")) o->target_kind = value;
    else if (!strcmp(option, "--plan")) r->plan_path = value;
    else if (!strcmp(option, "--timezone")) o->timezone = value;
    else if (!strcmp(option, "--scaler-address")) o->scaler_address = value;
    else if (!strcmp(option, "--metric")) o->external_metric = value;
    else if (!strcmp(option, "--external-push")) o->external_push = 1;
    else if (!strcmp(option, "--prometheus-server")) o->prometheus_server = value;
    else if (!strcmp(option, "--query")) o->query = value;
    else if (!strcmp(option, "--auth")) o->auth_name = value;
    else if (!strcmp(option, "--cluster-auth")) o->auth_cluster = 1;
    else if (!strcmp(option, "--mode")) {
        code = cli_parse_choice(option, value, mode_names, &i);
        o->mode = (kairos_keda_mode)i;
    } else if (!strcmp(option, "--max-windows")) {
        code = cli_parse_size(option, value, 1, 1000, &o->max_windows);
    } else if (!strcmp(option, "--threshold")) {
        code = cli_parse_positive(option, value, &o->threshold);
    } else if (!strcmp(option, "--activation-threshold")) {
        code = cli_parse_range(option, value, 0, 1e12, &o->activation_threshold);
    } else if (!strcmp(option, "--cpu-request")) {
        code = quantity(option, value, &o->cpu_request_cores);
    } else if (!strcmp(option, "--memory-request")) {
        code = quantity(option, value, &o->memory_request_bytes);
    } else if (!strcmp(option, "--idle")) {
        code = int32_option(option, value, 100000, &o->idle_replicas);
    } else if (!strcmp(option, "--fallback")) {
        code = int32_option(option, value, 100000, &o->fallback_replicas);
    } else if (!strcmp(option, "--polling-interval")) {
        code = duration32(option, value, 1, 86400, &o->polling_interval_s);
    } else if (!strcmp(option, "--cooldown")) {
        code = duration32(option, value, 0, 7 * 86400, &o->cooldown_period_s);
    }
    return code;
}

static const cli_option keda_options[] = {
    {"--name", true, apply}, {"--namespace", true, apply}, {"--target", true, apply},
    {"--target-kind", true, apply}, {"--mode", true, apply}, {"--plan", true, apply},
    {"--timezone", true, apply}, {"--max-windows", true, apply},
    {"--scaler-address", true, apply}, {"--metric", true, apply},
    {"--external-push", false, apply}, {"--prometheus-server", true, apply},
    {"--query", true, apply}, {"--threshold", true, apply},
    {"--activation-threshold", true, apply}, {"--cpu-request", true, apply},
    {"--memory-request", true, apply}, {"--idle", true, apply}, {"--fallback", true, apply},
    {"--polling-interval", true, apply}, {"--cooldown", true, apply},
    {"--auth", true, apply}, {"--cluster-auth", false, apply},
    /* plan options */
    {"--target-per-replica", true, apply}, {"--headroom", true, apply},
    {"--quantile", true, apply}, {"--risk", true, apply}, {"--lead-time", true, apply},
    {"--current", true, apply}, {"--min", true, apply}, {"--max", true, apply},
    {"--max-up-factor", true, apply}, {"--max-down", true, apply},
    {"--stabilization", true, apply},
};

void cli_keda_help(FILE *out)
{
    fputs("Usage: kairos keda --name NAME --mode cron|external|prometheus|cpu|memory\n"
          "                   (--plan PLAN.csv | FILE --horizon N --target-per-replica X)\n"
          "                   [options]                            > scaledobject.yaml\n"
          "       kairos keda catalog [TYPE] [--format text|json]\n"
          "\n"
          "Write a KEDA ScaledObject that carries a replica plan: a plan CSV written by\n"
          "'kairos plan', or a plan made here from a metric history FILE (the forecast and\n"
          "plan options of 'kairos plan' apply).\n"
          "\n"
          "Modes:\n"
          "  cron        pre-scale on a schedule: the plan compressed into cron windows that\n"
          "              only add capacity (never below the plan at any step)\n"
          "  external    an external scaler service (--scaler-address HOST:PORT)\n"
          "  prometheus  reactive: --prometheus-server URL --query Q; threshold --threshold X\n"
          "              or --target-per-replica X over --headroom F\n"
          "  cpu|memory  reactive: target from --target-per-replica (cores or bytes) and\n"
          "              --cpu-request/--memory-request (Utilization), or --threshold\n"
          "\n"
          "Options:\n"
          "  --namespace NS  --target DEPLOYMENT  --target-kind KIND\n"
          "  --timezone TZ          cron: UTC (default), +02:00, UTC-5, Etc/GMT-2; named zones\n"
          "                         are written in UTC (the same instants)\n"
          "  --max-windows N        cron: at most N windows (default 24)\n"
          "  --min N (1)  --max N (100)  --idle N  --fallback N\n"
          "  --max-up-factor F  --max-down F  --stabilization DUR   plan limits, also the\n"
          "                         HPA behavior\n"
          "  --polling-interval DUR  --cooldown DUR\n"
          "  --metric NAME  --external-push  --activation-threshold X\n"
          "  --auth NAME [--cluster-auth]   authenticationRef of the trigger\n"
          "  --verbose              windows and extra replica-hours on stderr\n"
          "\n",
          out);
    cli_forecast_options_help(out);
    fputs("Exit status: 0 success, 2 usage error, 3 bad input data, 4 the model could not be\n"
          "fitted. See docs/keda.md.\n",
          out);
}

/* ---- `keda catalog` ---------------------------------------------------------------------- */

static int catalog_command(int argc, char **argv)
{
    cli_args a;
    cli_args_start(&a, argc, argv, 2);
    const char *type = NULL, *pos = NULL, *value = NULL;
    kairos_keda_format format = KAIROS_KEDA_FORMAT_TEXT;
    for (enum cli_arg_kind k; (k = cli_args_next(&a, &pos)) != CLI_ARG_END;) {
        if (k == CLI_ARG_POSITIONAL) {
            if (type)
                return cli_fail(CLI_EXIT_USAGE, "keda catalog takes one scaler TYPE");
            type = pos;
        } else if (!strcmp(a.name, "--format")) {
            static const char *const formats[] = {"text", "json", NULL};
            size_t i = 0;
            int code = cli_args_value(&a, &value);
            if (!code)
                code = cli_parse_choice("--format", value, formats, &i);
            if (code)
                return code;
            format = (kairos_keda_format)i;
        } else {
            return cli_fail(CLI_EXIT_USAGE, "keda catalog: unknown option '%s'", a.name);
        }
    }
    kairos_buf out = KAIROS_BUF_INIT;
    int status = kairos_keda_catalog_describe(type, format, &out);
    if (status) {
        kairos_buf_dispose(&out);
        return cli_fail_status(status, NULL);
    }
    fwrite(out.data, 1, out.len, stdout);
    kairos_buf_dispose(&out);
    return cli_finish_output(stdout, "the catalog");
}

/* ---- the schedule ------------------------------------------------------------------------ */

/* The forecast levels: a grid for the planner's risk, plus the level planned on. */
static size_t choose_levels(const kairos_plan_opts *o, double *levels)
{
    static const double grid[] = {0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95};
    double want = o->quantile > 0 ? o->quantile : o->risk > 0 ? 1.0 - o->risk : 0;
    size_t n = 0;
    for (size_t i = 0; i < sizeof grid / sizeof grid[0]; i++)
        if (want == 0 || fabs(grid[i] - want) > 1e-9)
            levels[n++] = grid[i];
    if (want > 0)
        levels[n++] = want;
    return n;
}

static int schedule_from_history(const keda_request *r, keda_schedule *s)
{
    cli_pipeline p;
    memset(&p, 0, sizeof p);
    double levels[MAX_LEVELS];
    size_t n_levels = choose_levels(&r->plan, levels);
    int code = cli_pipeline_load(&r->req, &p);
    if (code == CLI_EXIT_OK)
        code = cli_pipeline_fit(&r->req, &p);
    if (code == CLI_EXIT_OK)
        code = cli_pipeline_forecast(&r->req, &p, levels, n_levels);
    if (code == CLI_EXIT_OK) {
        s->n = p.horizon;
        s->step_s = p.timed && p.step_s > 0 ? p.step_s : 3600;
        s->replicas = calloc(p.horizon, sizeof *s->replicas);
        s->times = p.timed && p.timestamps ? calloc(p.horizon, sizeof *s->times) : NULL;
        if (!s->replicas || (p.timed && p.timestamps && !s->times))
            code = cli_fail(CLI_EXIT_MODEL, "out of memory for a plan of %zu steps", p.horizon);
    }
    for (size_t i = 0; code == CLI_EXIT_OK && s->times && i < p.horizon; i++) {
        const char *text = p.timestamps + i * CLI_TIMESTAMP_SIZE;
        int status = kairos_parse_timestamp(text, strlen(text), &s->times[i]);
        if (status)
            code = cli_fail_status(status, "forecast timestamps");
    }
    if (code == CLI_EXIT_OK) {
        kairos_plan_forecast fc = KAIROS_PLAN_FORECAST_INIT;
        fc.horizon = p.horizon;
        fc.step_s = s->step_s;
        fc.mean = p.mean;
        fc.levels = levels;
        fc.n_quantiles = n_levels;
        fc.quantiles = p.quantiles;
        int status = kairos_plan_replicas(&fc, &r->plan, s->replicas, NULL, NULL, NULL);
        if (status)
            code = cli_fail_status(status, "plan");
    }
    cli_pipeline_free(&p);
    return code;
}

static int schedule_from_csv(const keda_request *r, keda_schedule *s)
{
    cli_plan_file pf;
    memset(&pf, 0, sizeof pf);
    int code = cli_plan_file_read(r->plan_path, &pf);
    if (code == CLI_EXIT_OK && pf.n == 0)
        code = cli_fail(CLI_EXIT_DATA, "%s: the plan has no rows", r->plan_path);
    if (code == CLI_EXIT_OK) {
        /* Take the arrays over rather than copying them. */
        s->n = pf.n;
        s->replicas = pf.replicas;
        s->times = pf.times;
        s->step_s = pf.step_s > 0 ? pf.step_s : 3600;
        pf.replicas = NULL;
        pf.times = NULL;
    }
    cli_plan_file_free(&pf);
    return code;
}

/* ---- running ----------------------------------------------------------------------------- */

static int check_request(const keda_request *r)
{
    if (!r->so.name)
        return cli_fail(CLI_EXIT_USAGE, "keda: --name NAME is required");
    if (!r->plan_path == !r->req.path)
        return cli_fail(CLI_EXIT_USAGE, "keda: give exactly one of --plan PLAN.csv and a "
                        "history FILE");
    if (r->req.path) {
        int code = cli_forecast_request_check(&r->req, false);
        if (code)
            return code;
        if (!r->target_given)
            return cli_fail(CLI_EXIT_USAGE, "keda: planning from FILE needs "
                            "--target-per-replica X");
        if (r->plan.quantile > 0 && r->plan.risk > 0)
            return cli_fail(CLI_EXIT_USAGE, "--quantile and --risk cannot be used together");
    }
    if (r->plan.max_replicas < r->plan.min_replicas)
        return cli_fail(CLI_EXIT_USAGE, "--max (%zu) is below --min (%zu)", r->plan.max_replicas,
                        r->plan.min_replicas);
    return CLI_EXIT_OK;
}

static int write_scaled_object(const keda_request *r, keda_schedule *s)
{
    int64_t *times = s->times;
    if (!times) {
        if (r->so.mode == KAIROS_KEDA_MODE_CRON)
            return cli_fail(CLI_EXIT_DATA, "%s has no timestamps: cron windows need them",
                            r->plan_path ? r->plan_path : cli_input_name(&r->req));
        /* Reactive modes only use the plan's peak: number the steps. */
        times = calloc(s->n, sizeof *times);
        if (!times)
            return cli_fail(CLI_EXIT_MODEL, "out of memory");
        for (size_t i = 0; i < s->n; i++)
            times[i] = (int64_t)i * s->step_s;
    }
    kairos_keda_plan plan = KAIROS_KEDA_PLAN_INIT;
    plan.n_steps = s->n;
    plan.timestamps = times;
    plan.step_s = s->step_s;
    plan.replicas_size = s->replicas;
    kairos_buf out = KAIROS_BUF_INIT;
    kairos_keda_report rep;
    int status = kairos_keda_scaled_object(&plan, &r->so, &out, &rep);
    if (times != s->times)
        free(times);
    if (status) {
        kairos_buf_dispose(&out);
        return cli_fail_status(status, NULL);
    }
    fwrite(out.data, 1, out.len, stdout);
    kairos_buf_dispose(&out);
    if (r->req.verbose && r->so.mode == KAIROS_KEDA_MODE_CRON) {
        char extra[CLI_NUMBER_SIZE];
        cli_format_number(round(rep.extra_replica_hours * 1000) / 1000, extra, sizeof extra);
        cli_note("%zu cron window(s) (%zu before merging) in %s; they add %s replica-hours "
                 "over the plan", rep.n_windows, rep.n_windows_unmerged, rep.timezone, extra);
    }
    if (r->req.verbose)
        cli_note("peak %d replicas; maxReplicaCount %d", (int)rep.peak_replicas,
                 (int)rep.max_replicas);
    return cli_finish_output(stdout, "the ScaledObject");
}

int cli_keda_main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "catalog"))
        return catalog_command(argc, argv);
    keda_request r;
    memset(&r, 0, sizeof r);
    cli_forecast_request_init(&r.req, "keda");
    r.plan = (kairos_plan_opts)KAIROS_PLAN_OPTS_INIT;
    r.so = (kairos_keda_so_opts)KAIROS_KEDA_SO_OPTS_INIT;
    int code = cli_forecast_request_parse(&r.req, argc, argv, keda_options,
                                          sizeof keda_options / sizeof keda_options[0], &r);
    if (code == CLI_EXIT_OK && r.req.help) {
        cli_keda_help(stdout);
        return CLI_EXIT_OK;
    }
    if (code == CLI_EXIT_OK)
        code = check_request(&r);
    if (code != CLI_EXIT_OK)
        return code;
    if (r.req.path) {
        /* The HPA is told the limits the plan was made with, so it can follow the plan. */
        if (r.so.max_up_factor == 0 && r.plan.max_up_factor > 1)
            r.so.max_up_factor = r.plan.max_up_factor;
        if (r.so.max_down_fraction == 0 && r.plan.max_down_fraction > 0)
            r.so.max_down_fraction = r.plan.max_down_fraction;
        if (r.so.stabilization_s < 0 && r.plan.stabilization_s > 0)
            r.so.stabilization_s = (int32_t)r.plan.stabilization_s;
    }
    keda_schedule s;
    memset(&s, 0, sizeof s);
    code = r.plan_path ? schedule_from_csv(&r, &s) : schedule_from_history(&r, &s);
    if (code == CLI_EXIT_OK)
        code = write_scaled_object(&r, &s);
    free(s.replicas);
    free(s.times);
    return code;
}
