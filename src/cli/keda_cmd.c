/* `kairos keda`: a ScaledObject that carries a replica plan — read from a plan CSV
 * (--plan) or planned here from a metric history FILE (contract: DESIGN.md) — and
 * `kairos keda catalog [TYPE]`: what each KEDA scaler expects. */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* FILE and the forecast options live in req; the plan options fill plan (for the planner,
 * when forecasting FILE) and are copied into so (HPA behavior, bounds, thresholds). */
typedef struct keda_request {
    cli_forecast_request req;
    cli_plan_request plan;
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

static int apply_plan(void *ctx, const char *option, const char *value)
{
    keda_request *r = ctx;
    return cli_plan_request_apply(&r->plan, option, value);
}

static int apply(void *ctx, const char *option, const char *value)
{
    keda_request *r = ctx;
    kairos_keda_so_opts *o = &r->so;
    size_t i = 0;
    int code = CLI_EXIT_OK;
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
    CLI_PLAN_OPTIONS(apply_plan),
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

static int schedule_from_history(const keda_request *r, keda_schedule *s)
{
    cli_pipeline p;
    memset(&p, 0, sizeof p);
    cli_plan plan;
    memset(&plan, 0, sizeof plan);
    int code = cli_pipeline_load(&r->req, &p);
    if (code == CLI_EXIT_OK)
        code = cli_plan_pipeline(&r->req, &r->plan, &p, NULL, 0, &plan);
    if (code == CLI_EXIT_OK)
        code = cli_pipeline_times(&p, &s->times);
    if (code == CLI_EXIT_OK) {
        /* Take the replicas over rather than copying them. */
        s->n = plan.horizon;
        s->step_s = plan.step_s;
        s->replicas = plan.replicas;
        plan.replicas = NULL;
    }
    cli_plan_free(&plan);
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
        if (!r->plan.target_given)
            return cli_fail(CLI_EXIT_USAGE, "keda: planning from FILE needs "
                            "--target-per-replica X");
        return cli_plan_request_check(&r->plan);
    }
    return cli_plan_request_check_bounds(&r->plan);
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

void cli_keda_follow_plan(kairos_keda_so_opts *so, const cli_plan_request *r,
                          bool planned_here)
{
    const kairos_plan_opts *p = &r->opts;
    so->target_per_replica = p->target_per_replica;
    so->headroom = p->headroom;
    so->min_replicas = (int32_t)p->min_replicas;
    so->max_replicas = (int32_t)p->max_replicas;
    /* The HPA is told the limits the plan was made with, so it can follow the plan; a plan
     * read from a file only passes on the limits given on the command line. */
    if (r->up_given || planned_here)
        so->max_up_factor = p->max_up_factor;
    if (r->down_given || planned_here)
        so->max_down_fraction = p->max_down_fraction;
    if (r->stabilization_given)
        so->stabilization_s = (int32_t)p->stabilization_s;
}

int cli_keda_main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "catalog"))
        return catalog_command(argc, argv);
    keda_request r;
    memset(&r, 0, sizeof r);
    cli_forecast_request_init(&r.req, "keda");
    cli_plan_request_init(&r.plan, true);
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
    cli_keda_follow_plan(&r.so, &r.plan, r.req.path != NULL);
    keda_schedule s;
    memset(&s, 0, sizeof s);
    code = r.plan_path ? schedule_from_csv(&r, &s) : schedule_from_history(&r, &s);
    if (code == CLI_EXIT_OK)
        code = write_scaled_object(&r, &s);
    free(s.replicas);
    free(s.times);
    return code;
}
