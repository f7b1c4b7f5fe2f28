/* The CRD structure of each kind, and the walk that reports unknown fields, wrong types,
 * missing required fields and values outside enums/minimums (strict, as the API server with
 * field validation "Strict" does). Deep provider blocks (secret managers, vaults, the Job's
 * pod template) are KS_ANY: their contents are left to the API server. */
#include "lint_internal.h"

#include <string.h>

#define END {NULL, KS_ANY, 0, NULL, NULL, -1}
#define F(n, t) {n, t, 0, NULL, NULL, -1}
#define R(n, t) {n, t, 1, NULL, NULL, -1}
#define M(n, t, m) {n, t, 0, NULL, NULL, m}
#define O(n, sub) {n, KS_OBJ, 0, sub, NULL, -1}
#define RO(n, sub) {n, KS_OBJ, 1, sub, NULL, -1}
#define A(n, sub) {n, KS_ARR_OBJ, 0, sub, NULL, -1}
#define E(n, e) {n, KS_STR, 0, NULL, e, -1}

static const kk_sfield policy[] = {R("periodSeconds", KS_INT), R("type", KS_STR),
                                   R("value", KS_INT), END};
static const kk_sfield scaling_rules[] = {A("policies", policy), F("selectPolicy", KS_STR),
    F("stabilizationWindowSeconds", KS_INT), F("tolerance", KS_INT_STR), END};
static const kk_sfield behavior[] = {O("scaleDown", scaling_rules), O("scaleUp", scaling_rules),
                                     END};
static const kk_sfield hpa_config[] = {O("behavior", behavior), F("name", KS_STR), END};
static const kk_sfield modifiers[] = {F("activationTarget", KS_STR), F("formula", KS_STR),
    E("metricType", "AverageValue|Value"), F("target", KS_STR), END};
static const kk_sfield advanced[] = {O("horizontalPodAutoscalerConfig", hpa_config),
    F("restoreToOriginalReplicaCount", KS_BOOL), O("scalingModifiers", modifiers), END};
static const kk_sfield fallback[] = {
    E("behavior", "static|currentReplicas|currentReplicasIfHigher|currentReplicasIfLower|"
                  "scalingModifiers"),
    {"failureThreshold", KS_INT, 1, NULL, NULL, 0}, {"replicas", KS_INT, 1, NULL, NULL, 0}, END};
static const kk_sfield so_target[] = {F("apiVersion", KS_STR), F("envSourceContainerName", KS_STR),
    F("kind", KS_STR), {"name", KS_STR, 1, NULL, NULL, 1}, END};
static const kk_sfield auth_ref[] = {E("kind", "TriggerAuthentication|ClusterTriggerAuthentication"),
                                     R("name", KS_STR), END};
static const kk_sfield trigger[] = {O("authenticationRef", auth_ref), R("metadata", KS_MAP_STR),
    F("metricType", KS_STR), F("name", KS_STR), {"type", KS_STR, 1, NULL, NULL, 1},
    F("useCachedMetrics", KS_BOOL), END};
static const kk_sfield so_spec[] = {O("advanced", advanced), M("cooldownPeriod", KS_INT, 0),
    O("fallback", fallback), M("idleReplicaCount", KS_INT, 0),
    M("initialCooldownPeriod", KS_INT, 0), M("maxReplicaCount", KS_INT, 1),
    M("minReplicaCount", KS_INT, 0), M("pollingInterval", KS_INT, 1),
    RO("scaleTargetRef", so_target), {"triggers", KS_ARR_OBJ, 1, trigger, NULL, 1}, END};

static const kk_sfield job_target[] = {F("activeDeadlineSeconds", KS_INT64),
    F("backoffLimit", KS_INT), F("backoffLimitPerIndex", KS_INT), F("completionMode", KS_STR),
    F("completions", KS_INT), F("managedBy", KS_STR), F("manualSelector", KS_BOOL),
    F("maxFailedIndexes", KS_INT), F("parallelism", KS_INT), F("podFailurePolicy", KS_ANY),
    F("podReplacementPolicy", KS_STR), F("selector", KS_ANY), F("successPolicy", KS_ANY),
    F("suspend", KS_BOOL), R("template", KS_ANY), F("ttlSecondsAfterFinished", KS_INT), END};
static const kk_sfield rollout[] = {F("propagationPolicy", KS_STR), F("strategy", KS_STR), END};
static const kk_sfield sj_strategy[] = {F("customScalingQueueLengthDeduction", KS_INT),
    F("customScalingRunningJobPercentage", KS_STR), F("multipleScalersCalculation", KS_STR),
    F("pendingPodConditions", KS_ARR_STR), F("strategy", KS_STR), END};
static const kk_sfield sj_spec[] = {F("envSourceContainerName", KS_STR),
    F("failedJobsHistoryLimit", KS_INT), RO("jobTargetRef", job_target),
    F("maxReplicaCount", KS_INT), F("minReplicaCount", KS_INT), F("pollingInterval", KS_INT),
    O("rollout", rollout), F("rolloutStrategy", KS_STR), O("scalingStrategy", sj_strategy),
    F("successfulJobsHistoryLimit", KS_INT), {"triggers", KS_ARR_OBJ, 1, trigger, NULL, -1}, END};

static const kk_sfield bound_sa[] = {R("parameter", KS_STR), R("serviceAccountName", KS_STR), END};
static const kk_sfield key_ref[] = {R("key", KS_STR), R("name", KS_STR), R("parameter", KS_STR),
                                    END};
static const kk_sfield env_ref[] = {F("containerName", KS_STR), R("name", KS_STR),
                                    R("parameter", KS_STR), END};
static const kk_sfield pod_identity[] = {F("externalID", KS_STR),
    F("identityAuthorityHost", KS_STR), F("identityId", KS_STR),
    E("identityOwner", "keda|workload"), F("identityTenantId", KS_STR),
    {"provider", KS_STR, 1, NULL, "azure-workload|gcp|aws|aws-eks|none", -1},
    F("roleArn", KS_STR), END};
static const kk_sfield ta_spec[] = {F("awsSecretManager", KS_ANY), F("azureKeyVault", KS_ANY),
    A("boundServiceAccountToken", bound_sa), A("configMapTargetRef", key_ref), A("env", env_ref),
    F("filePath", KS_STR), F("gcpSecretManager", KS_ANY), F("hashiCorpVault", KS_ANY),
    F("oauth2", KS_ANY), O("podIdentity", pod_identity), A("secretTargetRef", key_ref), END};

static const kk_sfield failover[] = {F("port", KS_INT), F("portName", KS_STR),
    R("service", KS_STR), F("timeoutSeconds", KS_INT), END};
static const kk_sfield header[] = {{"name", KS_STR, 1, NULL, NULL, 1}, F("value", KS_STR), END};
static const kk_sfield http_replicas[] = {F("max", KS_INT), F("min", KS_INT), END};
static const kk_sfield http_target[] = {F("apiVersion", KS_STR), F("kind", KS_STR),
    F("name", KS_STR), F("port", KS_INT), F("portName", KS_STR), R("service", KS_STR), END};
static const kk_sfield concurrency[] = {F("targetValue", KS_INT64), END};
static const kk_sfield request_rate[] = {F("granularity", KS_STR), F("targetValue", KS_INT64),
                                         F("window", KS_STR), END};
static const kk_sfield http_metric[] = {O("concurrency", concurrency),
                                        O("requestRate", request_rate), END};
static const kk_sfield timeouts[] = {F("conditionWait", KS_STR), F("responseHeader", KS_STR), END};
static const kk_sfield http_spec[] = {O("coldStartTimeoutFailoverRef", failover),
    A("headers", header), F("hosts", KS_ARR_STR), F("initialCooldownPeriod", KS_INT),
    F("pathPrefixes", KS_ARR_STR), O("replicas", http_replicas), RO("scaleTargetRef", http_target),
    F("scaledownPeriod", KS_INT), O("scalingMetric", http_metric),
    F("targetPendingRequests", KS_INT), O("timeouts", timeouts), END};

/* metadata is ObjectMeta, checked by the API server itself; only its shape matters here. */
#define TOP(spec, spec_required) { F("apiVersion", KS_STR), F("kind", KS_STR), \
    F("metadata", KS_ANY), {"spec", KS_OBJ, spec_required, spec, NULL, -1}, \
    F("status", KS_ANY), END }
static const kk_sfield so_top[] = TOP(so_spec, 1);
static const kk_sfield sj_top[] = TOP(sj_spec, 0);
static const kk_sfield ta_top[] = TOP(ta_spec, 1);
static const kk_sfield http_top[] = TOP(http_spec, 0);

const kk_sfield *kk_schema_for(const char *kind)
{
    if (!kind)
        return NULL;
    if (strcmp(kind, "ScaledObject") == 0)
        return so_top;
    if (strcmp(kind, "ScaledJob") == 0)
        return sj_top;
    if (strcmp(kind, "TriggerAuthentication") == 0 ||
        strcmp(kind, "ClusterTriggerAuthentication") == 0)
        return ta_top;
    if (strcmp(kind, "HTTPScaledObject") == 0)
        return http_top;
    return NULL;
}

static const char *type_name(kk_stype t)
{
    switch (t) {
    case KS_STR:     return "a string";
    case KS_INT:
    case KS_INT64:   return "an integer";
    case KS_BOOL:    return "a boolean";
    case KS_INT_STR: return "an integer or a string";
    case KS_ARR_OBJ: case KS_ARR_STR: return "a list";
    default:         return "a mapping";
    }
}

static int enum_has(const char *enums, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = enums; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, v, n) == 0)
            return 1;
        p = bar ? bar + 1 : p + len;
    }
    return 0;
}

static int scalar_matches(const kk_node *v, kk_stype t)
{
    int st = kk_scalar_type(v);
    switch (t) {
    case KS_STR:     return st == KK_STRING;
    case KS_INT:
    case KS_INT64:   return st == KK_INT;
    case KS_BOOL:    return st == KK_BOOL;
    case KS_INT_STR: return st == KK_INT || st == KK_STRING;
    default:         return 0;
    }
}

static void walk(kk_lint_ctx *c, const kk_node *n, const kk_sfield *f, const char *path,
                 int trigger_metadata);

static void walk_fields(kk_lint_ctx *c, const kk_node *map, const kk_sfield *fields,
                        const char *path)
{
    char sub[512];
    for (size_t i = 0; i < map->n; i++) {
        const char *key = map->keys[i]->str;
        const kk_sfield *f = fields;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        kk_path(sub, sizeof sub, path, key, -1);
        if (!f->name) {
            kk_find(c, "schema-unknown-field", map->keys[i], sub, "unknown field '%s'", key);
            continue;
        }
        int is_meta = strcmp(key, "metadata") == 0 && f->type == KS_MAP_STR;
        walk(c, map->items[i], f, sub, is_meta);
    }
    for (const kk_sfield *f = fields; f->name; f++)
        if (f->required && !kk_get(map, f->name)) {
            kk_path(sub, sizeof sub, path, f->name, -1);
            kk_find(c, "schema-missing-field", map, sub, "required field '%s' is missing", f->name);
        }
}

static void walk(kk_lint_ctx *c, const kk_node *n, const kk_sfield *f, const char *path,
                 int trigger_metadata)
{
    char sub[512];
    if (f->type == KS_ANY)
        return;
    if (n->kind == KK_SCALAR && kk_scalar_type(n) == KK_NULL)
        return; /* null is dropped by the API server, as if the field were absent */
    switch (f->type) {
    case KS_OBJ:
    case KS_MAP_STR:
        if (n->kind != KK_MAP) {
            kk_find(c, "schema-wrong-type", n, path, "'%s' must be a mapping", f->name);
            return;
        }
        if (f->type == KS_OBJ) {
            walk_fields(c, n, f->sub, path);
            return;
        }
        for (size_t i = 0; i < n->n; i++) {
            if (n->items[i]->kind == KK_SCALAR && kk_scalar_type(n->items[i]) == KK_STRING)
                continue;
            kk_path(sub, sizeof sub, path, n->keys[i]->str, -1);
            if (trigger_metadata)
                kk_find(c, "schema-metadata-not-string", n->items[i], sub,
                        "metadata value '%s' is not a string", n->items[i]->kind == KK_SCALAR
                            ? n->items[i]->str : "(a collection)");
            else
                kk_find(c, "schema-wrong-type", n->items[i], sub, "value must be a string");
        }
        return;
    case KS_ARR_OBJ:
    case KS_ARR_STR:
        if (n->kind != KK_SEQ) {
            kk_find(c, "schema-wrong-type", n, path, "'%s' must be a list", f->name);
            return;
        }
        if (f->minimum > 0 && n->n < (size_t)f->minimum)
            kk_find(c, "schema-invalid-value", n, path, "'%s' needs at least %d item(s)", f->name,
                    f->minimum);
        for (size_t i = 0; i < n->n; i++) {
            kk_path(sub, sizeof sub, path, NULL, (long)i);
            const kk_node *it = n->items[i];
            if (f->type == KS_ARR_STR ? !scalar_matches(it, KS_STR) : it->kind != KK_MAP)
                kk_find(c, "schema-wrong-type", it, sub, "list items must be %s",
                        f->type == KS_ARR_STR ? "strings" : "mappings");
            else if (f->type == KS_ARR_OBJ)
                walk_fields(c, it, f->sub, sub);
        }
        return;
    default:
        if (n->kind != KK_SCALAR || !scalar_matches(n, f->type)) {
            kk_find(c, "schema-wrong-type", n, path, "'%s' must be %s", f->name,
                    type_name(f->type));
            return;
        }
        if (f->enums && !enum_has(f->enums, n->str))
            kk_find(c, "schema-invalid-value", n, path, "'%s' is not one of %s", n->str, f->enums);
        double x;
        if ((f->type == KS_INT || f->type == KS_INT64) && kk_parse_number(n->str, &x)) {
            double lo = f->type == KS_INT ? -2147483648.0 : -9.2e18;
            double hi = f->type == KS_INT ? 2147483647.0 : 9.2e18;
            if (x < lo || x > hi)
                kk_find(c, "schema-invalid-value", n, path, "'%s' is outside the range of %s",
                        f->name, f->type == KS_INT ? "int32" : "int64");
            else if (f->minimum >= 0 && x < f->minimum)
                kk_find(c, "schema-invalid-value", n, path, "'%s' must be at least %d", f->name,
                        f->minimum);
        }
        if (f->type == KS_STR && f->minimum > 0 && strlen(n->str) < (size_t)f->minimum)
            kk_find(c, "schema-invalid-value", n, path, "'%s' must not be empty", f->name);
        return;
    }
}

int kk_lint_schema(kk_lint_ctx *c, const kk_node *root, const char *kind)
{
    const kk_sfield *top = kk_schema_for(kind);
    if (!top)
        return 0;
    walk_fields(c, root, top, "");
    return 1;
}
