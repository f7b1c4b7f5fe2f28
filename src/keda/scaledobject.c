/* ScaledObject generation: the three ways of carrying a plan to KEDA. */
#include "keda_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kairos_keda_plan_init(kairos_keda_plan *plan, unsigned version)
{
    if (!plan)
        return kairos__fail(KAIROS_EINVAL, "plan is NULL");
    int rc = kairos__check_version(version, KAIROS_KEDA_PLAN_VERSION, "kairos_keda_plan");
    if (!rc)
        *plan = (kairos_keda_plan)KAIROS_KEDA_PLAN_INIT;
    return rc;
}

int kairos_keda_so_opts_init(kairos_keda_so_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "options are NULL");
    int rc = kairos__check_version(version, KAIROS_KEDA_SO_OPTS_VERSION, "kairos_keda_so_opts");
    if (!rc)
        *opts = (kairos_keda_so_opts)KAIROS_KEDA_SO_OPTS_INIT;
    return rc;
}

int kk_is_cpu_memory(const char *type)
{
    return type && (strcmp(type, "cpu") == 0 || strcmp(type, "memory") == 0);
}

/* Everything the webhook and the CRD would refuse, checked before a byte is written. */
typedef struct so_plan {
    const kairos_keda_so_opts *o;
    kairos_keda_trigger *trig;      /* all triggers, mode's first */
    size_t               n_trig;
    kairos_keda_kv      *kv;        /* metadata storage for the mode's triggers */
    char                *text;      /* string storage for the kv values and names */
    size_t               text_used, text_cap;
    kairos_keda_window  *win;
    size_t               n_win;
    int32_t              max_r, peak;
} so_plan;

static const char *keep(so_plan *s, const char *fmt, ...) KAIROS_PRINTF(2, 3);
static const char *keep(so_plan *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = s->text + s->text_used;
    int n = vsnprintf(p, s->text_cap - s->text_used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n + 1 > s->text_cap - s->text_used)
        return NULL; /* cannot happen: text_cap is sized for the worst case */
    s->text_used += (size_t)n + 1;
    return p;
}

static int check_opts(const kairos_keda_so_opts *o)
{
    int rc = kairos_keda_check_name(o->name, "ScaledObject name");
    if (!rc && o->ns)
        rc = kairos_keda_check_name(o->ns, "namespace");
    if (!rc && o->target_name)
        rc = kk_check_subdomain(o->target_name, "scale target name");
    if (rc)
        return rc;
    if (o->min_replicas < 0 || o->max_replicas < 1)
        return kairos__fail(KAIROS_EINVAL, "minReplicaCount must be >= 0 and maxReplicaCount >= 1");
    if (o->idle_replicas >= 0 && o->idle_replicas >= o->min_replicas)
        return kairos__fail(KAIROS_EINVAL, "idleReplicaCount (%d) must be below minReplicaCount (%d)",
                            (int)o->idle_replicas, (int)o->min_replicas);
    if (o->polling_interval_s == 0 || o->polling_interval_s < -1 || o->cooldown_period_s < -1 ||
        o->initial_cooldown_period_s < -1 || o->fallback_replicas < -1 ||
        (o->fallback_replicas >= 0 && o->fallback_failure_threshold < 0))
        return kairos__fail(KAIROS_EINVAL, "polling interval must be >= 1 and periods, fallback "
                                           "replicas and failure threshold >= 0 (or -1 to omit)");
    if ((o->max_up_factor != 0 && !(o->max_up_factor > 1 && o->max_up_factor <= 100)) ||
        (o->max_down_fraction != 0 && !(o->max_down_fraction > 0 && o->max_down_fraction <= 1)))
        return kairos__fail(KAIROS_EINVAL, "max_up_factor must be in (1,100] and max_down_fraction "
                                           "in (0,1] (or 0 to omit)");
    if (o->stabilization_s > 3600 || o->stabilization_s < -1 || o->policy_period_s < 0 ||
        o->policy_period_s > 1800)
        return kairos__fail(KAIROS_EINVAL, "stabilization must be <= 3600 s and the policy period "
                                           "<= 1800 s (HPA limits)");
    if (o->metric_type && strcmp(o->metric_type, "AverageValue") != 0 &&
        strcmp(o->metric_type, "Value") != 0 && strcmp(o->metric_type, "Utilization") != 0)
        return kairos__fail(KAIROS_EINVAL, "metricType '%s' is not AverageValue, Value or "
                                           "Utilization", o->metric_type);
    if (o->scaling_formula && !o->scaling_target)
        return kairos__fail(KAIROS_EINVAL, "scalingModifiers.formula needs a target");
    if ((unsigned)o->mode > KAIROS_KEDA_MODE_MEMORY)
        return kairos__fail(KAIROS_EINVAL, "unknown mode %d", (int)o->mode);
    if (o->auth_name)
        return kairos_keda_check_name(o->auth_name, "authentication name");
    return KAIROS_OK;
}

static int cron_triggers(so_plan *s, const kairos_keda_plan *plan, kairos_keda_report *rep)
{
    const kairos_keda_so_opts *o = s->o;
    int64_t span = plan->timestamps[plan->n_steps - 1] + plan->step_s - plan->timestamps[0];
    if (span >= 365 * 86400LL)
        return kairos__fail(KAIROS_ERANGE, "cron windows repeat every year: the plan must span "
                                           "less than 365 days (it spans %lld s)", (long long)span);
    int32_t off;
    int rc = kk_timezone(o->timezone, rep->timezone, sizeof rep->timezone, &off);
    size_t maxw = o->max_windows ? o->max_windows : 24;
    if (!rc)
        rc = kairos_keda_cron_windows(plan, o->min_replicas, maxw, s->win, maxw, &s->n_win,
                                      &rep->extra_replica_hours);
    if (rc)
        return rc;
    rep->n_windows_unmerged = kk_count_runs(plan, o->min_replicas);
    if (s->n_win == 0) {
        /* Nothing above the floor: KEDA still needs one trigger, so hold the floor (or 1). */
        int32_t hold = o->min_replicas > 0 ? o->min_replicas : 1;
        int64_t e = plan->timestamps[plan->n_steps - 1] + plan->step_s;
        s->win[0] = (kairos_keda_window){plan->timestamps[0] - plan->timestamps[0] % 60,
                                         e % 60 ? e + 60 - e % 60 : e, hold};
        s->n_win = 1;
        rep->extra_replica_hours = (double)(hold - o->min_replicas) * (double)span / 3600.0;
    }
    for (size_t k = 0; k < s->n_win; k++) {
        kk_civil a, b;
        kk_civil_from_unix(s->win[k].start + off, &a);
        kk_civil_from_unix(s->win[k].end + off, &b);
        char start[48], end[48];
        snprintf(start, sizeof start, "%d %d %d %d *", a.minute, a.hour, a.day, a.month);
        snprintf(end, sizeof end, "%d %d %d %d *", b.minute, b.hour, b.day, b.month);
        kairos_keda_kv *kv = s->kv + 4 * k;
        kv[0] = (kairos_keda_kv){"timezone", keep(s, "%s", rep->timezone)};
        kv[1] = (kairos_keda_kv){"start", keep(s, "%s", start)};
        kv[2] = (kairos_keda_kv){"end", keep(s, "%s", end)};
        kv[3] = (kairos_keda_kv){"desiredReplicas", keep(s, "%d", (int)s->win[k].desired_replicas)};
        s->trig[k] = (kairos_keda_trigger){"cron", keep(s, "kairos-window-%02zu", k + 1),
                                           NULL, kv, 4, NULL, 0, 0};
        if (s->win[k].desired_replicas > s->peak)
            s->peak = s->win[k].desired_replicas;
    }
    s->n_trig = s->n_win;
    rep->n_windows = s->n_win;
    return KAIROS_OK;
}

static int reactive_trigger(so_plan *s, kairos_keda_report *rep)
{
    const kairos_keda_so_opts *o = s->o;
    kairos_keda_trigger *t = &s->trig[0];
    kairos_keda_kv *kv = s->kv;
    size_t n = 0;
    double headroom = o->headroom > 0 ? o->headroom : 1.0;
    double thr = o->threshold > 0 ? o->threshold
               : o->target_per_replica > 0 ? o->target_per_replica / headroom : NAN;
    char num[48];
    if (thr >= 1e15 || o->activation_threshold >= 1e15)
        return kairos__fail(KAIROS_EINVAL, "threshold or activation threshold is too large");
    *t = (kairos_keda_trigger){NULL, NULL, o->metric_type, kv, 0, o->auth_name, o->auth_cluster, 0};
    if (o->mode == KAIROS_KEDA_MODE_EXTERNAL) {
        if (!o->scaler_address || !*o->scaler_address)
            return kairos__fail(KAIROS_EINVAL, "external mode needs a scaler address (host:port)");
        t->type = o->external_push ? "external-push" : "external";
        t->name = "kairos-forecast";
        kv[n++] = (kairos_keda_kv){"scalerAddress", o->scaler_address};
        kv[n++] = (kairos_keda_kv){"workload", o->ns ? keep(s, "%s/%s", o->ns, o->name) : o->name};
        if (o->external_metric)
            kv[n++] = (kairos_keda_kv){"metric", o->external_metric};
    } else if (o->mode == KAIROS_KEDA_MODE_PROMETHEUS) {
        if (!o->prometheus_server || !o->query)
            return kairos__fail(KAIROS_EINVAL, "prometheus mode needs a server address and a query");
        if (!(thr > 0))
            return kairos__fail(KAIROS_EINVAL, "prometheus mode needs a threshold or a target "
                                               "per replica > 0");
        t->type = "prometheus";
        t->name = "kairos-load";
        if (!t->metric_type)
            t->metric_type = "AverageValue";
        kv[n++] = (kairos_keda_kv){"serverAddress", o->prometheus_server};
        kv[n++] = (kairos_keda_kv){"query", o->query};
        kk_format_number(thr, num, sizeof num);
        kv[n++] = (kairos_keda_kv){"threshold", keep(s, "%s", num)};
        kk_format_number(o->activation_threshold >= 0 ? o->activation_threshold : 0, num,
                         sizeof num);
        kv[n++] = (kairos_keda_kv){"activationThreshold", keep(s, "%s", num)};
        rep->threshold = thr;
    } else {
        int cpu = o->mode == KAIROS_KEDA_MODE_CPU;
        double request = cpu ? o->cpu_request_cores : o->memory_request_bytes;
        if (!(thr > 0))
            return kairos__fail(KAIROS_EINVAL, "%s mode needs a threshold or a target per "
                                               "replica > 0", cpu ? "cpu" : "memory");
        t->type = cpu ? "cpu" : "memory";
        t->name = cpu ? "kairos-cpu" : "kairos-memory";
        if (!t->metric_type)
            t->metric_type = request > 0 || o->threshold > 0 ? "Utilization" : "AverageValue";
        if (strcmp(t->metric_type, "Value") == 0)
            return kairos__fail(KAIROS_EINVAL, "%s triggers take Utilization or AverageValue, "
                                               "not Value", t->type);
        double v = thr;
        if (strcmp(t->metric_type, "Utilization") == 0) {
            if (o->threshold <= 0 && request <= 0)
                return kairos__fail(KAIROS_EINVAL, "Utilization needs the pod's request");
            v = o->threshold > 0 ? o->threshold : ceil(100.0 * thr / request - 1e-9);
            if (v < 1)
                v = 1;
            if (!(v <= 1e6))
                return kairos__fail(KAIROS_EINVAL, "a utilization target of %g %% is not "
                                                   "sensible: check the request", v);
            snprintf(num, sizeof num, "%.0f", floor(v));
        } else if (cpu) {
            snprintf(num, sizeof num, "%.0fm", ceil(v * 1000.0 - 1e-9)); /* millicores */
        } else {
            snprintf(num, sizeof num, "%.0f", ceil(v - 1e-9));          /* bytes */
        }
        kv[n++] = (kairos_keda_kv){"value", keep(s, "%s", num)};
        rep->threshold = v;
    }
    for (size_t i = 0; i < o->n_extra_metadata; i++)
        kv[n++] = o->extra_metadata[i];
    t->n_metadata = n;
    s->n_trig = 1;
    return KAIROS_OK;
}

int kk_check_trigger(const kairos_keda_trigger *t, size_t index)
{
    if (!t->type || !*t->type)
        return kairos__fail(KAIROS_EINVAL, "trigger %zu has no type", index + 1);
    if (t->name && kk_check_subdomain(t->name, "trigger name"))
        return KAIROS_EINVAL;
    if (t->n_metadata && !t->metadata)
        return kairos__fail(KAIROS_EINVAL, "trigger %zu: metadata is NULL", index + 1);
    for (size_t i = 0; i < t->n_metadata; i++)
        if (!t->metadata[i].key || !*t->metadata[i].key || !t->metadata[i].value)
            return kairos__fail(KAIROS_EINVAL, "trigger %zu: metadata entry %zu needs a key and "
                                               "a value", index + 1, i + 1);
    if (t->metric_type && strcmp(t->metric_type, "AverageValue") && strcmp(t->metric_type, "Value")
        && strcmp(t->metric_type, "Utilization"))
        return kairos__fail(KAIROS_EINVAL, "trigger %zu: metricType '%s' is not AverageValue, "
                                           "Value or Utilization", index + 1, t->metric_type);
    int cm = kk_is_cpu_memory(t->type);
    if (t->metric_type && ((cm && !strcmp(t->metric_type, "Value")) ||
                           (!cm && !strcmp(t->metric_type, "Utilization"))))
        return kairos__fail(KAIROS_EINVAL, "trigger %zu: metricType %s is not valid for %s",
                            index + 1, t->metric_type, t->type);
    if (t->use_cached_metrics && (cm || !strcmp(t->type, "cron")))
        return kairos__fail(KAIROS_EINVAL, "trigger %zu: useCachedMetrics is not supported for %s",
                            index + 1, t->type);
    if (t->auth_name)
        return kairos_keda_check_name(t->auth_name, "authentication name");
    return KAIROS_OK;
}

/* Names are unique across triggers; unnamed extra triggers get "<type>-<n>". */
static int name_triggers(so_plan *s)
{
    for (size_t i = 0; i < s->n_trig; i++) {
        if (!s->trig[i].name)
            s->trig[i].name = keep(s, "%.40s-%zu", s->trig[i].type, i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->trig[i].name, s->trig[j].name) == 0)
                return kairos__fail(KAIROS_EINVAL, "trigger name '%s' is used twice",
                                    s->trig[i].name);
    }
    return KAIROS_OK;
}

/* What KEDA's admission webhook would refuse, refused here first. Fallback follows the
 * stricter rule of older KEDA releases (every trigger AverageValue, no cpu/memory), which
 * also satisfies the newer one (at least one such trigger); unset metric types are written
 * as AverageValue so both accept the manifest. */
static int webhook_checks(so_plan *s)
{
    const kairos_keda_so_opts *o = s->o;
    int only_cm = 1, fallback_ok = 1;
    for (size_t i = 0; i < s->n_trig; i++) {
        const kairos_keda_trigger *t = &s->trig[i];
        int cm = kk_is_cpu_memory(t->type);
        only_cm &= cm;
        if (cm || (t->metric_type && strcmp(t->metric_type, "AverageValue") != 0))
            fallback_ok = 0;
    }
    if (only_cm && o->min_replicas == 0)
        return kairos__fail(KAIROS_EINVAL, "with only cpu/memory triggers minReplicaCount must "
                                           "be at least 1 (KEDA cannot scale those from zero)");
    if (o->fallback_replicas >= 0 && !fallback_ok)
        return kairos__fail(KAIROS_EINVAL, "fallback needs every trigger to be other than "
                                           "cpu/memory with metricType AverageValue");
    if (o->fallback_replicas >= 0)
        for (size_t i = 0; i < s->n_trig; i++)
            if (!s->trig[i].metric_type)
                s->trig[i].metric_type = "AverageValue";
    if (o->min_replicas > s->max_r)
        return kairos__fail(KAIROS_EINVAL, "minReplicaCount %d is above maxReplicaCount %d",
                            (int)o->min_replicas, (int)s->max_r);
    return KAIROS_OK;
}

static void emit_policy(kk_emit *e, const char *dir, const char *type, long long value,
                        long long period, int32_t stabilization)
{
    kk_str(e, dir);
    kk_map(e);
    if (stabilization >= 0)
        kk_kint(e, "stabilizationWindowSeconds", stabilization);
    if (value > 0) {
        kk_kstr(e, "selectPolicy", "Max");
        kk_str(e, "policies");
        kk_seq(e);
        kk_map(e);
        kk_kstr(e, "type", type);
        kk_kint(e, "value", value);
        kk_kint(e, "periodSeconds", period);
        kk_map_end(e);
        kk_seq_end(e);
    }
    kk_map_end(e);
}

static void emit_advanced(kk_emit *e, const kairos_keda_so_opts *o, int64_t step_s)
{
    int behavior = o->max_up_factor > 0 || o->max_down_fraction > 0 || o->stabilization_s >= 0;
    if (!behavior && !o->scaling_formula)
        return;
    long long period = o->policy_period_s ? o->policy_period_s : step_s > 1800 ? 1800 : step_s;
    kk_str(e, "advanced");
    kk_map(e);
    if (behavior) {
        kk_str(e, "horizontalPodAutoscalerConfig");
        kk_map(e);
        kk_str(e, "behavior");
        kk_map(e);
        /* The plan allows factor F up and a share D down per step; over a policy period p
         * that is F^(p/step) and 1-(1-D)^(p/step). Up rounds up and down rounds down, so the
         * HPA is never held tighter than the plan on the way up nor looser on the way down. */
        double k = (double)period / (double)step_s;
        long long up = o->max_up_factor > 0
                           ? (long long)ceil((pow(o->max_up_factor, k) - 1.0) * 100.0 - 1e-9) : 0;
        long long down = o->max_down_fraction > 0
                             ? (long long)floor((1.0 - pow(1.0 - o->max_down_fraction, k)) * 100.0
                                                + 1e-9) : 0;
        if (o->max_down_fraction > 0 && down < 1)
            down = 1;
        emit_policy(e, "scaleUp", "Percent", up, period, o->max_up_factor > 0 ? 0 : -1);
        emit_policy(e, "scaleDown", "Percent", down, period, o->stabilization_s);
        kk_map_end(e);
        kk_map_end(e);
    }
    if (o->scaling_formula) {
        kk_str(e, "scalingModifiers");
        kk_map(e);
        kk_kstr(e, "formula", o->scaling_formula);
        kk_kqstr(e, "target", o->scaling_target);
        kk_kstr(e, "metricType", "AverageValue");
        kk_map_end(e);
    }
    kk_map_end(e);
}

static int emit_so(const so_plan *s, int64_t step_s, kairos_buf *out)
{
    const kairos_keda_so_opts *o = s->o;
    kk_emit e;
    kk_emit_start(&e);
    kk_header(&e, "keda.sh/v1alpha1", "ScaledObject", o->name, o->ns);
    kk_map(&e);
    kk_str(&e, "scaleTargetRef");
    kk_map(&e);
    kk_kstr(&e, "apiVersion", o->target_api_version ? o->target_api_version : "apps/v1");
    kk_kstr(&e, "kind", o->target_kind ? o->target_kind : "Deployment");
    kk_kstr(&e, "name", o->target_name ? o->target_name : o->name);
    kk_map_end(&e);
    if (o->polling_interval_s >= 0)
        kk_kint(&e, "pollingInterval", o->polling_interval_s);
    if (o->cooldown_period_s >= 0)
        kk_kint(&e, "cooldownPeriod", o->cooldown_period_s);
    if (o->initial_cooldown_period_s >= 0)
        kk_kint(&e, "initialCooldownPeriod", o->initial_cooldown_period_s);
    if (o->idle_replicas >= 0)
        kk_kint(&e, "idleReplicaCount", o->idle_replicas);
    kk_kint(&e, "minReplicaCount", o->min_replicas);
    kk_kint(&e, "maxReplicaCount", s->max_r);
    if (o->fallback_replicas >= 0) {
        kk_str(&e, "fallback");
        kk_map(&e);
        kk_kint(&e, "failureThreshold", o->fallback_failure_threshold);
        kk_kint(&e, "replicas", o->fallback_replicas);
        kk_map_end(&e);
    }
    emit_advanced(&e, o, step_s);
    kk_str(&e, "triggers");
    kk_seq(&e);
    for (size_t i = 0; i < s->n_trig; i++)
        kk_trigger(&e, &s->trig[i]);
    kk_seq_end(&e);
    kk_map_end(&e);
    kk_map_end(&e);
    return kk_emit_finish(&e, out);
}

int kairos_keda_scaled_object(const kairos_keda_plan *plan, const kairos_keda_so_opts *opts,
                              kairos_buf *out, kairos_keda_report *report)
{
    if (!opts || !out)
        return kairos__fail(KAIROS_EINVAL, "options and output buffer are required");
    int rc = kairos__check_version(opts->version, KAIROS_KEDA_SO_OPTS_VERSION,
                                   "kairos_keda_so_opts");
    if (!rc)
        rc = kairos__keda_check_plan(plan);
    if (!rc)
        rc = check_opts(opts);
    for (size_t i = 0; !rc && i < opts->n_extra_triggers; i++)
        rc = kk_check_trigger(&opts->extra_triggers[i], i);
    if (!rc && ((opts->n_extra_triggers && !opts->extra_triggers) ||
                (opts->n_extra_metadata && !opts->extra_metadata)))
        rc = kairos__fail(KAIROS_EINVAL, "extra triggers/metadata counts without arrays");
    if (rc)
        return rc;
    kairos_keda_report rep;
    memset(&rep, 0, sizeof rep);
    rep.version = KAIROS_KEDA_REPORT_VERSION;
    so_plan s;
    memset(&s, 0, sizeof s);
    s.o = opts;
    size_t maxw = opts->max_windows ? opts->max_windows : 24;
    size_t n_mode = opts->mode == KAIROS_KEDA_MODE_CRON ? maxw : 1;
    if (maxw > 1000)
        return kairos__fail(KAIROS_EINVAL, "max_windows %zu is more than 1000", maxw);
    s.trig = kairos__calloc(n_mode + opts->n_extra_triggers, sizeof *s.trig);
    s.kv = kairos__calloc(4 * n_mode + opts->n_extra_metadata + 4, sizeof *s.kv);
    s.text_cap = 320 * (n_mode + opts->n_extra_triggers + 2) + 2 * strlen(opts->name) +
                 (opts->ns ? strlen(opts->ns) : 0);
    s.text = malloc(s.text_cap);
    s.win = kairos__calloc(maxw, sizeof *s.win);
    if (!s.trig || !s.kv || !s.text || !s.win) {
        rc = kairos__fail(KAIROS_ENOMEM, "out of memory writing a ScaledObject");
        goto done;
    }
    for (size_t i = 0; i < plan->n_steps; i++) {
        int32_t r = plan->replicas ? plan->replicas[i]
                  : plan->replicas_size[i] > INT32_MAX ? INT32_MAX : (int32_t)plan->replicas_size[i];
        if (r > s.peak)
            s.peak = r;
    }
    rc = opts->mode == KAIROS_KEDA_MODE_CRON ? cron_triggers(&s, plan, &rep)
                                             : reactive_trigger(&s, &rep);
    if (rc)
        goto done;
    for (size_t i = 0; i < opts->n_extra_triggers; i++)
        s.trig[s.n_trig++] = opts->extra_triggers[i];
    s.max_r = opts->max_replicas > s.peak ? opts->max_replicas : s.peak;
    rc = name_triggers(&s);
    if (!rc)
        rc = webhook_checks(&s);
    if (!rc)
        rc = emit_so(&s, plan->step_s, out);
    rep.peak_replicas = s.peak;
    rep.max_replicas = s.max_r;
    if (!rc && report)
        *report = rep;
done:
    free(s.trig);
    free(s.kv);
    free(s.text);
    free(s.win);
    return rc;
}
