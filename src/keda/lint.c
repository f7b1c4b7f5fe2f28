/* The linter: rule table, findings, the per-document driver and text/JSON output. */
#include "lint_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kairos_keda_lint {
    kairos_keda_finding *f;
    size_t               n;
    kk_docs              docs;   /* kind/name strings of findings point into the tree */
};

/* Ids are stable: never renamed or reused once released. Keep docs/keda.md in step. */
static const kairos_keda_rule rules[] = {
    {"webhook-cpu-memory-min-zero", KAIROS_KEDA_ERROR,
     "only cpu/memory triggers with minReplicaCount 0 or unset"},
    {"webhook-fallback-unsupported", KAIROS_KEDA_ERROR,
     "fallback without a non-cpu/memory trigger of metricType AverageValue"},
    {"webhook-duplicate-trigger-name", KAIROS_KEDA_ERROR, "two triggers share a name"},
    {"webhook-cached-metrics-unsupported", KAIROS_KEDA_ERROR,
     "useCachedMetrics on a cpu, memory or cron trigger"},
    {"webhook-idle-not-below-min", KAIROS_KEDA_ERROR, "idleReplicaCount >= minReplicaCount"},
    {"webhook-min-above-max", KAIROS_KEDA_ERROR, "minReplicaCount > maxReplicaCount"},
    {"webhook-cpu-memory-metric-type", KAIROS_KEDA_ERROR, "cpu/memory trigger with metricType Value"},
    {"name-too-long", KAIROS_KEDA_ERROR, "metadata.name longer than 63 characters"},
    {"name-not-dns-label", KAIROS_KEDA_ERROR, "metadata.name is not a DNS-1123 label"},
    {"wrong-api-version", KAIROS_KEDA_ERROR, "apiVersion does not match the kind"},
    {"schema-unknown-field", KAIROS_KEDA_ERROR, "field not in the CRD schema"},
    {"schema-wrong-type", KAIROS_KEDA_ERROR, "value of the wrong type for the CRD schema"},
    {"schema-missing-field", KAIROS_KEDA_ERROR, "field required by the CRD schema is missing"},
    {"schema-invalid-value", KAIROS_KEDA_ERROR, "value outside the CRD's enum, minimum or minItems"},
    {"schema-metadata-not-string", KAIROS_KEDA_ERROR, "trigger metadata value is not a string"},
    {"unknown-scaler", KAIROS_KEDA_ERROR, "trigger type is not a KEDA scaler"},
    {"missing-required-metadata", KAIROS_KEDA_ERROR, "a scaler's required metadata is missing"},
    {"inline-secret", KAIROS_KEDA_ERROR, "a secret is written inline in trigger metadata"},
    {"threshold-not-numeric", KAIROS_KEDA_ERROR, "a target or activation threshold is not a number"},
    {"threshold-not-positive", KAIROS_KEDA_ERROR, "a target threshold is zero or negative"},
    {"metric-type-invalid", KAIROS_KEDA_ERROR,
     "metricType not AverageValue/Value/Utilization, or Utilization outside cpu/memory"},
    {"http-max-not-above-min", KAIROS_KEDA_ERROR, "HTTPScaledObject replicas.max <= replicas.min"},
    {"cpu-memory-no-metric-type", KAIROS_KEDA_WARNING, "cpu/memory trigger without metricType"},
    {"metric-type-value-per-replica", KAIROS_KEDA_WARNING,
     "metricType Value on a queue scaler: the target is no longer per replica"},
    {"deprecated-auth-provider", KAIROS_KEDA_WARNING, "deprecated or removed pod identity provider"},
    {"deprecated-metadata", KAIROS_KEDA_WARNING, "deprecated trigger metadata key"},
    {"cooldown-not-for-scale-down", KAIROS_KEDA_WARNING,
     "cooldownPeriod set while minReplicaCount >= 1: it does not slow N->1 scale-down"},
    {"polling-interval-too-low", KAIROS_KEDA_WARNING, "pollingInterval below 5 seconds"},
    {"http-low-request-rate", KAIROS_KEDA_WARNING, "HTTP target below 5 requests per replica"},
    {"missing-activation-threshold", KAIROS_KEDA_INFO,
     "scale-from-zero trigger without an activation threshold"},
    {"unknown-kind", KAIROS_KEDA_INFO, "document of a kind the linter does not check"},
};

size_t kairos_keda_rule_count(void)
{
    return sizeof rules / sizeof rules[0];
}

const kairos_keda_rule *kairos_keda_rule_get(size_t i)
{
    return i < kairos_keda_rule_count() ? &rules[i] : NULL;
}

static const kairos_keda_rule *rule_find(const char *id)
{
    for (size_t i = 0; i < kairos_keda_rule_count(); i++)
        if (strcmp(rules[i].id, id) == 0)
            return &rules[i];
    return NULL;
}

/* Fix hints, one per rule, in the same order as the table. */
static const char *hint_for(const char *id)
{
    static const struct { const char *id, *hint; } hints[] = {
        {"webhook-cpu-memory-min-zero", "set minReplicaCount to 1 or more, or add a trigger that "
                                        "can activate from zero"},
        {"webhook-fallback-unsupported", "remove fallback, or add a trigger (not cpu/memory) with "
                                         "metricType AverageValue"},
        {"webhook-duplicate-trigger-name", "give every trigger a distinct name"},
        {"webhook-cached-metrics-unsupported", "remove useCachedMetrics from this trigger"},
        {"webhook-idle-not-below-min", "set idleReplicaCount below minReplicaCount (usually 0)"},
        {"webhook-min-above-max", "raise maxReplicaCount (default 100) or lower minReplicaCount"},
        {"webhook-cpu-memory-metric-type", "use metricType Utilization or AverageValue"},
        {"name-too-long", "shorten the name to 63 characters or fewer"},
        {"name-not-dns-label", "use lowercase letters, digits and '-', starting and ending with "
                               "a letter or digit"},
        {"wrong-api-version", "use keda.sh/v1alpha1 (http.keda.sh/v1alpha1 for HTTPScaledObject)"},
        {"schema-unknown-field", "remove the field or fix its spelling (see the CRD)"},
        {"schema-wrong-type", "write the value with the type the CRD declares"},
        {"schema-missing-field", "add the required field"},
        {"schema-invalid-value", "use one of the values the CRD allows"},
        {"schema-metadata-not-string", "quote the value: KEDA reads metadata as strings"},
        {"unknown-scaler", "check the spelling against `kairos keda catalog`"},
        {"missing-required-metadata", "add the key, <key>FromEnv, or an authenticationRef "
                                      "providing it"},
        {"inline-secret", "move the value to a Secret and reference it from a "
                          "TriggerAuthentication (secretTargetRef)"},
        {"threshold-not-numeric", "write the threshold as a plain number in quotes, e.g. \"50\""},
        {"threshold-not-positive", "use a threshold above zero"},
        {"metric-type-invalid", "use AverageValue or Value (Utilization only for cpu/memory)"},
        {"http-max-not-above-min", "set replicas.max above replicas.min"},
        {"cpu-memory-no-metric-type", "set metricType: Utilization (or AverageValue) on the "
                                      "trigger; metadata.type is deprecated"},
        {"metric-type-value-per-replica", "use AverageValue so the target is per replica"},
        {"deprecated-auth-provider", "use provider azure-workload or aws"},
        {"deprecated-metadata", "use the replacement named in the message"},
        {"cooldown-not-for-scale-down", "set advanced.horizontalPodAutoscalerConfig.behavior."
                                        "scaleDown.stabilizationWindowSeconds instead"},
        {"polling-interval-too-low", "poll every 15-30 s; lower values load the metric source"},
        {"http-low-request-rate", "raise the target so each replica handles a useful load"},
        {"missing-activation-threshold", "set the activation key so noise does not wake the "
                                         "workload from zero"},
        {"unknown-kind", "nothing to do: only KEDA kinds are linted"},
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strcmp(hints[i].id, id) == 0)
            return hints[i].hint;
    return "";
}

void kk_path(char *out, size_t size, const char *base, const char *key, long index)
{
    if (key)
        snprintf(out, size, "%s%s%s", base, *base ? "." : "", key);
    else
        snprintf(out, size, "%s[%ld]", base, index);
}

static void vfind(kk_lint_ctx *c, const char *rule, int sev, const kk_node *node, const char *path,
                  const char *fmt, va_list ap)
{
    if (c->rc)
        return;
    const kairos_keda_rule *r = rule_find(rule);
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        kairos_keda_finding *f = realloc(c->f, cap * sizeof *f);
        if (!f) {
            c->rc = kairos__fail(KAIROS_ENOMEM, "out of memory recording findings");
            return;
        }
        c->f = f;
        c->cap = cap;
    }
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    char *p = strdup(path), *m = strdup(msg);
    if (!p || !m) {
        free(p);
        free(m);
        c->rc = kairos__fail(KAIROS_ENOMEM, "out of memory recording findings");
        return;
    }
    c->f[c->n++] = (kairos_keda_finding){r ? r->id : rule,
        sev >= 0 ? (kairos_keda_severity)sev : r ? r->severity : KAIROS_KEDA_ERROR, c->doc,
        node ? node->line : 0, c->kind ? c->kind : "", c->name ? c->name : "", p, m,
        hint_for(rule)};
}

void kk_find(kk_lint_ctx *c, const char *rule, const kk_node *node, const char *path,
             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfind(c, rule, -1, node, path, fmt, ap);
    va_end(ap);
}

void kk_find_sev(kk_lint_ctx *c, const char *rule, kairos_keda_severity sev, const kk_node *node,
                 const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfind(c, rule, (int)sev, node, path, fmt, ap);
    va_end(ap);
}

static void lint_document(kk_lint_ctx *c, const kk_node *root)
{
    c->kind = c->name = NULL;
    if (root->kind != KK_MAP) {
        kk_find(c, "schema-wrong-type", root, "", "a manifest must be a mapping");
        return;
    }
    c->kind = kk_get_str(root, "kind");
    const kk_node *meta = kk_get(root, "metadata");
    c->name = kk_get_str(meta, "name");
    if (!kk_schema_for(c->kind)) {
        kk_find(c, "unknown-kind", root, "kind", "kind '%s' is not linted",
                c->kind ? c->kind : "(none)");
        return;
    }
    const char *want = strcmp(c->kind, "HTTPScaledObject") == 0 ? "http.keda.sh/v1alpha1"
                                                                 : "keda.sh/v1alpha1";
    const char *api = kk_get_str(root, "apiVersion");
    if (!api || strcmp(api, want) != 0)
        kk_find(c, "wrong-api-version", kk_get(root, "apiVersion") ? kk_get(root, "apiVersion")
                                                                   : root,
                "apiVersion", "apiVersion '%s' is not %s", api ? api : "(none)", want);
    if (!meta || meta->kind != KK_MAP || !c->name)
        kk_find(c, "schema-missing-field", root, "metadata.name", "metadata.name is missing");
    else if (strlen(c->name) > 63)
        kk_find(c, "name-too-long", kk_get(meta, "name"), "metadata.name",
                "name has %zu characters; at most 63 are allowed", strlen(c->name));
    else if (kairos_keda_check_name(c->name, "name") != KAIROS_OK)
        kk_find(c, "name-not-dns-label", kk_get(meta, "name"), "metadata.name", "%s",
                kairos_last_error());
    kk_lint_schema(c, root, c->kind);
    kk_lint_rules(c, root, c->kind);
}

int kairos_keda_lint_text(const char *text, size_t len, kairos_keda_lint **out)
{
    if (!out || (!text && len))
        return kairos__fail(KAIROS_EINVAL, "lint needs text and an output pointer");
    *out = NULL;
    kairos_keda_lint *l = calloc(1, sizeof *l);
    if (!l)
        return kairos__fail(KAIROS_ENOMEM, "out of memory starting the linter");
    int rc = kk_parse(text ? text : "", len, &l->docs);
    if (rc) {
        free(l);
        return rc;
    }
    kk_lint_ctx c;
    memset(&c, 0, sizeof c);
    for (size_t d = 0; d < l->docs.n && !c.rc; d++) {
        c.doc = d;
        if (l->docs.docs[d] && !(l->docs.docs[d]->kind == KK_SCALAR &&
                                 kk_scalar_type(l->docs.docs[d]) == KK_NULL))
            lint_document(&c, l->docs.docs[d]);
    }
    l->f = c.f;
    l->n = c.n;
    if (c.rc) {
        kairos_keda_lint_free(l);
        return c.rc;
    }
    *out = l;
    kairos_clear_error(); /* name checks above leave their detail behind */
    return KAIROS_OK;
}

size_t kairos_keda_lint_count(const kairos_keda_lint *lint)
{
    return lint ? lint->n : 0;
}

const kairos_keda_finding *kairos_keda_lint_get(const kairos_keda_lint *lint, size_t i)
{
    return lint && i < lint->n ? &lint->f[i] : NULL;
}

size_t kairos_keda_lint_errors(const kairos_keda_lint *lint)
{
    size_t n = 0;
    for (size_t i = 0; lint && i < lint->n; i++)
        n += lint->f[i].severity == KAIROS_KEDA_ERROR;
    return n;
}

static const char *sev_name(kairos_keda_severity s)
{
    return s == KAIROS_KEDA_ERROR ? "error" : s == KAIROS_KEDA_WARNING ? "warning" : "info";
}

static int json_field(kairos_buf *b, const char *key, const char *v)
{
    int rc = kairos__buf_printf(b, ",\"%s\":", key);
    return rc ? rc : kairos__buf_json_string(b, v);
}

int kairos_keda_lint_format(const kairos_keda_lint *lint, kairos_keda_format format,
                            kairos_buf *out)
{
    if (!lint || !out || (format != KAIROS_KEDA_FORMAT_TEXT && format != KAIROS_KEDA_FORMAT_JSON))
        return kairos__fail(KAIROS_EINVAL, "lint output needs findings, a buffer and a format");
    kairos_buf b = KAIROS_BUF_INIT;
    int rc = format == KAIROS_KEDA_FORMAT_JSON ? kairos__buf_puts(&b, "{\"findings\":[") : 0;
    size_t count[3] = {0, 0, 0};
    for (size_t i = 0; !rc && i < lint->n; i++) {
        const kairos_keda_finding *f = &lint->f[i];
        count[f->severity]++;
        if (format == KAIROS_KEDA_FORMAT_TEXT) {
            rc = kairos__buf_printf(&b, "doc %zu line %zu: %s %s %s%s%s: %s (%s)\n", f->document + 1,
                                    f->line, sev_name(f->severity), f->rule, f->kind,
                                    *f->name ? "/" : "", f->name, f->message, f->hint);
            if (!rc)
                rc = kairos__buf_printf(&b, "    at %s\n", *f->path ? f->path : "(document)");
            continue;
        }
        rc = kairos__buf_printf(&b, "%s{\"rule\":\"%s\",\"severity\":\"%s\",\"document\":%zu,"
                                    "\"line\":%zu", i ? "," : "", f->rule, sev_name(f->severity),
                                f->document, f->line);
        if (!rc) rc = json_field(&b, "kind", f->kind);
        if (!rc) rc = json_field(&b, "name", f->name);
        if (!rc) rc = json_field(&b, "path", f->path);
        if (!rc) rc = json_field(&b, "message", f->message);
        if (!rc) rc = json_field(&b, "hint", f->hint);
        if (!rc) rc = kairos__buf_puts(&b, "}");
    }
    if (!rc && format == KAIROS_KEDA_FORMAT_JSON)
        rc = kairos__buf_printf(&b, "],\"errors\":%zu,\"warnings\":%zu,\"infos\":%zu}\n",
                                count[KAIROS_KEDA_ERROR], count[KAIROS_KEDA_WARNING],
                                count[KAIROS_KEDA_INFO]);
    if (!rc && b.len)
        rc = kairos__buf_append(out, b.data, b.len);
    kairos_buf_dispose(&b);
    return rc;
}

void kairos_keda_lint_free(kairos_keda_lint *lint)
{
    if (!lint)
        return;
    for (size_t i = 0; i < lint->n; i++) {
        free((char *)(uintptr_t)lint->f[i].path);
        free((char *)(uintptr_t)lint->f[i].message);
    }
    free(lint->f);
    kk_docs_free(&lint->docs);
    free(lint);
}
