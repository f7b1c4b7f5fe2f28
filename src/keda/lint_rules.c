/* The semantic rules: what KEDA's admission webhook rejects and what works but misleads. */
#include "lint_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int kk_get_int(const kk_node *map, const char *key, long long *out)
{
    const kk_node *v = kk_get(map, key);
    double x;
    if (!v || kk_scalar_type(v) != KK_INT || !kk_parse_number(v->str, &x) ||
        !(x > -9.2e18 && x < 9.2e18))
        return 0; /* absent, not an integer, or beyond what any field holds */
    *out = (long long)x;
    return 1;
}

static int is_true(const kk_node *v)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On",
                                      "ON", "y", "Y"};
    if (!v || kk_scalar_type(v) != KK_BOOL)
        return 0;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcmp(v->str, yes[i]) == 0)
            return 1;
    return 0;
}

/* Scalers whose metric is a backlog meant to be shared across replicas. */
static int is_queue_scaler(const char *type)
{
    static const char *const q[] = {"kafka", "apache-kafka", "rabbitmq", "aws-sqs-queue",
        "azure-servicebus", "azure-eventhub", "azure-queue", "aws-kinesis-stream", "gcp-pubsub",
        "nats-jetstream", "redis-streams", "redis", "redis-cluster", "redis-sentinel", "nsq",
        "pulsar", "activemq", "artemis-queue", "beanstalkd", "ibmmq", "liiklus", NULL};
    for (const char *const *p = q; *p; p++)
        if (strcmp(*p, type) == 0)
            return 1;
    return 0;
}

static int secret_key_name(const char *key)
{
    static const char *const names[] = {"password", "passwd", "secret", "token", "apikey",
        "api_key", "accesskey", "secretkey", "connection", "connectionstring", "credentials",
        "clientsecret", "sastoken", "keypassword", "awssecretaccesskey", "accesstoken", NULL};
    size_t n = strlen(key);
    if (n > 7 && strcmp(key + n - 7, "FromEnv") == 0)
        return 0; /* names an environment variable, not the secret */
    for (const char *const *p = names; *p; p++)
        if (strcasecmp(key, *p) == 0)
            return 1;
    return 0;
}

/* "scheme://user:password@host": credentials inside a URL. */
static int url_with_password(const char *v)
{
    const char *s = strstr(v, "://");
    if (!s)
        return 0;
    const char *at = strchr(s + 3, '@'), *colon = strchr(s + 3, ':');
    const char *slash = strchr(s + 3, '/');
    return at && colon && colon < at && (!slash || at < slash);
}

/* A Kubernetes quantity ("500m", "1.5", "512Mi") for cpu/memory AverageValue. */
static int quantity(const char *s, double *out)
{
    static const char *const suffixes[] = {"m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti", NULL};
    char num[64];
    size_t n = strlen(s), len = n;
    for (const char *const *sfx = suffixes; *sfx; sfx++) {
        size_t k = strlen(*sfx);
        if (n > k && strcmp(s + n - k, *sfx) == 0) {
            len = n - k;
            break;
        }
    }
    if (len >= sizeof num)
        return 0;
    memcpy(num, s, len);
    num[len] = '\0';
    return kk_parse_number(num, out);
}

static void check_threshold(kk_lint_ctx *c, const kk_node *md, const char *key, int is_cm,
                            int activation, const char *path)
{
    const kk_node *v = kk_get(md, key);
    if (!v || kk_scalar_type(v) != KK_STRING)
        return;
    char sub[512];
    kk_path(sub, sizeof sub, path, key, -1);
    double x;
    if (!(is_cm ? quantity(v->str, &x) : kk_parse_number(v->str, &x))) {
        kk_find(c, "threshold-not-numeric", v, sub, "'%s' is not a number", v->str);
        return;
    }
    if (!activation && x <= 0)
        kk_find(c, "threshold-not-positive", v, sub, "target '%s' must be above zero", v->str);
}

static int has_key_or_source(const kk_node *md, const kairos_keda_param *p, int has_auth)
{
    char env[160];
    if (kk_get(md, p->name))
        return 1;
    snprintf(env, sizeof env, "%sFromEnv", p->name);
    if ((p->flags & KAIROS_KEDA_PARAM_ENV) && kk_get(md, env))
        return 1;
    return has_auth && (p->flags & KAIROS_KEDA_PARAM_AUTH);
}

static void check_metadata(kk_lint_ctx *c, const kk_node *t, const kairos_keda_scaler *s,
                           const char *path, int scale_from_zero)
{
    const kk_node *md = kk_get(t, "metadata");
    if (!md || md->kind != KK_MAP)
        return;
    char mpath[512], sub[512];
    kk_path(mpath, sizeof mpath, path, "metadata", -1);
    int has_auth = kk_get(t, "authenticationRef") != NULL;
    int is_cm = kk_is_cpu_memory(s->type);
    for (size_t i = 0; i < md->n; i++) {
        const char *key = md->keys[i]->str;
        const kk_node *v = md->items[i];
        kk_path(sub, sizeof sub, mpath, key, -1);
        const kairos_keda_param *p = kairos_keda_scaler_param(s, key);
        if (p && (p->flags & KAIROS_KEDA_PARAM_DEPRECATED))
            kk_find(c, "deprecated-metadata", md->keys[i], sub, "%s",
                    p->deprecation ? p->deprecation : "deprecated key");
        int auth_only = p && (p->flags & KAIROS_KEDA_PARAM_AUTH) &&
                        !(p->flags & KAIROS_KEDA_PARAM_METADATA);
        int secretish = secret_key_name(key) || auth_only;
        if (v->kind == KK_SCALAR && *v->str &&
            ((secretish && strcmp(key, "key") != 0) || url_with_password(v->str)))
            kk_find(c, "inline-secret", v, sub, "'%s' looks like a secret written inline", key);
    }
    if (s->curated) {
        for (size_t i = 0; i < s->n_params; i++)
            if ((s->params[i].flags & KAIROS_KEDA_PARAM_REQUIRED) &&
                !has_key_or_source(md, &s->params[i], has_auth)) {
                kk_path(sub, sizeof sub, mpath, s->params[i].name, -1);
                kk_find(c, "missing-required-metadata", md, sub, "%s needs metadata '%s'",
                        s->type, s->params[i].name);
            }
        int found = !s->any_of || has_auth;
        for (const char *const *k = s->any_of; !found && *k; k++)
            found = kk_get(md, *k) != NULL;
        if (!found)
            kk_find(c, "missing-required-metadata", md, mpath, "%s needs one of %s%s%s...",
                    s->type, s->any_of[0], s->any_of[1] ? ", " : "", s->any_of[1] ? s->any_of[1] : "");
    }
    if (s->target_key)
        check_threshold(c, md, s->target_key, is_cm, 0, mpath);
    if (s->activation_key) {
        check_threshold(c, md, s->activation_key, 0, 1, mpath);
        if (scale_from_zero && !kk_get(md, s->activation_key)) {
            kk_path(sub, sizeof sub, mpath, s->activation_key, -1);
            kk_find(c, "missing-activation-threshold", md, sub, "%s can scale from zero but has "
                    "no '%s'", s->type, s->activation_key);
        }
    }
}

static void check_metric_type(kk_lint_ctx *c, const kk_node *t, const char *type, const char *path)
{
    const kk_node *mt = kk_get(t, "metricType");
    char sub[512];
    kk_path(sub, sizeof sub, path, "metricType", -1);
    int cm = kk_is_cpu_memory(type);
    if (!mt || kk_scalar_type(mt) != KK_STRING) {
        if (cm && !mt)
            kk_find(c, "cpu-memory-no-metric-type", t, sub, "%s trigger has no metricType", type);
        return;
    }
    const char *v = mt->str;
    if (strcmp(v, "AverageValue") && strcmp(v, "Value") && strcmp(v, "Utilization"))
        kk_find(c, "metric-type-invalid", mt, sub, "metricType '%s' is not AverageValue, Value "
                "or Utilization", v);
    else if (!cm && strcmp(v, "Utilization") == 0)
        kk_find(c, "metric-type-invalid", mt, sub, "Utilization only applies to cpu and memory");
    else if (cm && strcmp(v, "Value") == 0)
        kk_find(c, "webhook-cpu-memory-metric-type", mt, sub, "%s triggers cannot use Value", type);
    else if (strcmp(v, "Value") == 0 && is_queue_scaler(type))
        kk_find(c, "metric-type-value-per-replica", mt, sub, "with Value the %s target applies "
                "to the whole backlog, not per replica", type);
}

/* Trigger rules shared by ScaledObject and ScaledJob; returns summary flags. */
static void check_triggers(kk_lint_ctx *c, const kk_node *triggers, int is_so, int from_zero,
                           int *only_cm, int *fallback_ok)
{
    char path[512], sub[512];
    *only_cm = triggers->n > 0;
    *fallback_ok = 0;
    for (size_t i = 0; i < triggers->n; i++) {
        const kk_node *t = triggers->items[i];
        if (t->kind != KK_MAP)
            continue;
        kk_path(path, sizeof path, "spec.triggers", NULL, (long)i);
        const char *type = kk_get_str(t, "type");
        const char *name = kk_get_str(t, "name");
        const char *mt = kk_get_str(t, "metricType");
        if (!type)
            continue;
        int cm = kk_is_cpu_memory(type);
        if (!cm) {
            *only_cm = 0;
            if (!mt || strcmp(mt, "AverageValue") == 0)
                *fallback_ok = 1;
        }
        for (size_t j = 0; name && *name && j < i; j++) {
            const char *other = kk_get_str(triggers->items[j], "name");
            if (other && strcmp(other, name) == 0) {
                kk_path(sub, sizeof sub, path, "name", -1);
                kk_find(c, "webhook-duplicate-trigger-name", kk_get(t, "name"), sub,
                        "trigger name '%s' is already used by spec.triggers[%zu]", name, j);
                break;
            }
        }
        if (is_true(kk_get(t, "useCachedMetrics")) && (cm || strcmp(type, "cron") == 0)) {
            kk_path(sub, sizeof sub, path, "useCachedMetrics", -1);
            kk_find(c, "webhook-cached-metrics-unsupported", kk_get(t, "useCachedMetrics"), sub,
                    "useCachedMetrics is not supported for %s triggers", type);
        }
        check_metric_type(c, t, type, path);
        const kairos_keda_scaler *s = kairos_keda_catalog_find(type);
        if (!s) {
            kk_path(sub, sizeof sub, path, "type", -1);
            kk_find(c, "unknown-scaler", kk_get(t, "type"), sub, "'%s' is not a KEDA scaler type",
                    type);
            continue;
        }
        check_metadata(c, t, s, path, is_so && from_zero);
    }
}

static void check_polling(kk_lint_ctx *c, const kk_node *spec)
{
    long long v;
    if (kk_get_int(spec, "pollingInterval", &v) && v < 5)
        kk_find(c, "polling-interval-too-low", kk_get(spec, "pollingInterval"),
                "spec.pollingInterval", "pollingInterval %lld s polls the metric source very "
                "often", v);
}

static void rules_scaled_object(kk_lint_ctx *c, const kk_node *spec, int is_so)
{
    long long min = 0, max = 100, idle = 0, v;
    int has_min = kk_get_int(spec, "minReplicaCount", &min);
    kk_get_int(spec, "maxReplicaCount", &max);
    int has_idle = kk_get_int(spec, "idleReplicaCount", &idle);
    const kk_node *triggers = kk_get(spec, "triggers");
    int only_cm = 0, fallback_ok = 0;
    if (triggers && triggers->kind == KK_SEQ)
        check_triggers(c, triggers, is_so, min == 0 || (has_idle && idle == 0), &only_cm,
                       &fallback_ok);
    check_polling(c, spec);
    if (min > max)
        kk_find(c, "webhook-min-above-max", kk_get(spec, "minReplicaCount"), "spec.minReplicaCount",
                "minReplicaCount %lld is above maxReplicaCount %lld", min, max);
    if (!is_so)
        return;
    if (only_cm && min == 0)
        kk_find(c, "webhook-cpu-memory-min-zero", has_min ? kk_get(spec, "minReplicaCount") : spec,
                "spec.minReplicaCount", "only cpu/memory triggers, so minReplicaCount must be at "
                "least 1 (it is %s)", has_min ? "0" : "unset, meaning 0");
    if (kk_get(spec, "fallback") && !fallback_ok)
        kk_find(c, "webhook-fallback-unsupported", kk_get(spec, "fallback"), "spec.fallback",
                "fallback needs a trigger other than cpu/memory with metricType AverageValue");
    if (has_idle && idle >= min)
        kk_find(c, "webhook-idle-not-below-min", kk_get(spec, "idleReplicaCount"),
                "spec.idleReplicaCount", "idleReplicaCount %lld must be below minReplicaCount %lld",
                idle, min);
    if (kk_get_int(spec, "cooldownPeriod", &v) && min >= 1 && !has_idle)
        kk_find(c, "cooldown-not-for-scale-down", kk_get(spec, "cooldownPeriod"),
                "spec.cooldownPeriod", "cooldownPeriod only delays scaling to zero; with "
                "minReplicaCount %lld the HPA's stabilization window governs scale-down", min);
}

static void rules_auth(kk_lint_ctx *c, const kk_node *spec)
{
    const kk_node *pi = kk_get(spec, "podIdentity");
    const char *provider = kk_get_str(pi, "provider");
    if (!provider)
        return;
    if (strcmp(provider, "aws-eks") == 0)
        kk_find(c, "deprecated-auth-provider", kk_get(pi, "provider"), "spec.podIdentity.provider",
                "provider aws-eks is deprecated; use aws");
    else if (strcmp(provider, "azure") == 0 || strcmp(provider, "aws-kiam") == 0)
        kk_find_sev(c, "deprecated-auth-provider", KAIROS_KEDA_ERROR, kk_get(pi, "provider"),
                    "spec.podIdentity.provider", "provider %s was removed from KEDA", provider);
}

static void rules_http(kk_lint_ctx *c, const kk_node *spec)
{
    const kk_node *rep = kk_get(spec, "replicas");
    long long min = 0, max = 0, v;
    if (kk_get_int(rep, "max", &max)) {
        kk_get_int(rep, "min", &min);
        if (max < min)
            kk_find(c, "http-max-not-above-min", kk_get(rep, "max"), "spec.replicas.max",
                    "replicas.max %lld is below replicas.min %lld", max, min);
        else if (max == min)
            kk_find_sev(c, "http-max-not-above-min", KAIROS_KEDA_WARNING, kk_get(rep, "max"),
                        "spec.replicas.max", "replicas.max equals replicas.min (%lld): nothing "
                        "to scale", max);
    }
    const kk_node *rr = kk_get(kk_get(spec, "scalingMetric"), "requestRate");
    if (kk_get_int(rr, "targetValue", &v) && v < 5)
        kk_find(c, "http-low-request-rate", kk_get(rr, "targetValue"),
                "spec.scalingMetric.requestRate.targetValue", "target of %lld requests/s per "
                "replica scales on noise", v);
    if (kk_get_int(spec, "targetPendingRequests", &v) && v < 5)
        kk_find(c, "http-low-request-rate", kk_get(spec, "targetPendingRequests"),
                "spec.targetPendingRequests", "target of %lld pending requests scales on noise", v);
}

void kk_lint_rules(kk_lint_ctx *c, const kk_node *root, const char *kind)
{
    const kk_node *spec = kk_get(root, "spec");
    if (!spec || spec->kind != KK_MAP)
        return;
    if (strcmp(kind, "ScaledObject") == 0 || strcmp(kind, "ScaledJob") == 0)
        rules_scaled_object(c, spec, strcmp(kind, "ScaledObject") == 0);
    else if (strcmp(kind, "HTTPScaledObject") == 0)
        rules_http(c, spec);
    else
        rules_auth(c, spec);
}
