/* The configuration of `kairos run`: a YAML file with `defaults:` and a list of
 * `workloads:` (schema: docs/run.md), read with libyaml's document loader so every key
 * keeps its line for error messages. Values go through the same parsers as the options of
 * the other commands, with their messages re-issued at the key's line. */
#include "run.h"

#include <yaml.h>

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORKLOADS ((size_t)10000)
#define MAX_HORIZON ((size_t)1000000)
#define MAX_PERIOD ((size_t)100000000)

typedef struct loader {
    const char *path;
    yaml_document_t *doc;
} loader;

/* ---- errors ---------------------------------------------------------------------------- */

static size_t line_of(const yaml_node_t *node)
{
    return node ? node->start_mark.line + 1 : 0;
}

/* Every config error names the file and the line: exit 2. */
static int config_fail(const loader *ld, const yaml_node_t *node, const char *fmt, ...)
    CLI_PRINTF(3, 4);
static int config_fail(const loader *ld, const yaml_node_t *node, const char *fmt, ...)
{
    char message[RUN_ERROR_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return cli_fail(CLI_EXIT_USAGE, "%s:%zu: %s", ld->path, line_of(node), message);
}

/* ---- keys ------------------------------------------------------------------------------ */

typedef enum value_kind {
    V_STRING, V_SIZE, V_INT32, V_NUMBER, V_POSITIVE, V_QUANTITY, V_DURATION, V_DURATION32,
    V_BOOL, V_CUSTOM, V_SECTION
} value_kind;

typedef struct key_spec key_spec;
typedef int (*custom_fn)(const loader *ld, run_workload *w, const char *label,
                         const yaml_node_t *value);

/* One key of a mapping: where its value goes (an offset into run_workload) and how it is
 * read; custom keys have their own function, sections their own keys. */
struct key_spec {
    const char *key;
    value_kind kind;
    size_t offset;
    double min, max;
    custom_fn custom;
    const key_spec *section;
};

#define AT(member) offsetof(run_workload, member)
#define STRING(k, m) { k, V_STRING, AT(m), 0, 0, NULL, NULL }
#define SIZE(k, m, lo, hi) { k, V_SIZE, AT(m), lo, hi, NULL, NULL }
#define INT32(k, m, lo, hi) { k, V_INT32, AT(m), lo, hi, NULL, NULL }
#define NUMBER(k, m, lo, hi) { k, V_NUMBER, AT(m), lo, hi, NULL, NULL }
#define POSITIVE(k, m) { k, V_POSITIVE, AT(m), 0, 0, NULL, NULL }
#define QUANTITY(k, m) { k, V_QUANTITY, AT(m), 0, 0, NULL, NULL }
#define DURATION(k, m, lo) { k, V_DURATION, AT(m), lo, 0, NULL, NULL }
#define DURATION32(k, m, lo, hi) { k, V_DURATION32, AT(m), lo, hi, NULL, NULL }
#define BOOL(k, m) { k, V_BOOL, AT(m), 0, 0, NULL, NULL }
#define CUSTOM(k, fn) { k, V_CUSTOM, 0, 0, 0, fn, NULL }
#define SECTION(k, keys) { k, V_SECTION, 0, 0, 0, NULL, keys }
#define END { NULL, V_STRING, 0, 0, 0, NULL, NULL }

/* The text of a scalar, or a config error for a mapping, a list or an empty value. */
static int scalar_text(const loader *ld, const yaml_node_t *node, const char *label,
                       const char **text)
{
    if (node->type != YAML_SCALAR_NODE)
        return config_fail(ld, node, "%s: expected a single value, not a %s", label,
                           node->type == YAML_MAPPING_NODE ? "mapping" : "list");
    const char *s = (const char *)node->data.scalar.value;
    bool plain = node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (!*s || (plain && (!strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
                          !strcmp(s, "NULL"))))
        return config_fail(ld, node, "%s: needs a value", label);
    if (strlen(s) != node->data.scalar.length)
        return config_fail(ld, node, "%s: the value contains a NUL character", label);
    *text = s;
    return CLI_EXIT_OK;
}

static int parse_quantity(const char *label, const char *text, double *out)
{
    double v = 0;
    if (kairos_quantity_parse(text, &v) != KAIROS_OK)
        return cli_fail(CLI_EXIT_USAGE, "%s: %s", label, kairos_last_error());
    if (!(v >= 0))
        return cli_fail(CLI_EXIT_USAGE, "%s: '%s' is negative", label, text);
    *out = v;
    return CLI_EXIT_OK;
}

static int parse_bool(const char *label, const char *text, int *out)
{
    static const char *const names[] = { "false", "true", NULL };
    size_t i = 0;
    int code = cli_parse_choice(label, text, names, &i);
    *out = (int)i;
    return code;
}

static int parse_int32(const char *label, const char *text, double lo, double hi,
                       int32_t *out)
{
    size_t v = 0;
    int code = cli_parse_size(label, text, (size_t)lo, (size_t)hi, &v);
    *out = (int32_t)v;
    return code;
}

static int parse_duration32(const char *label, const char *text, double lo, double hi,
                            int32_t *out)
{
    int64_t s = 0;
    int code = cli_parse_duration(label, text, (int64_t)lo, &s);
    if (code == CLI_EXIT_OK && s > (int64_t)hi)
        return cli_fail(CLI_EXIT_USAGE, "%s: %s is longer than %.0f s", label, text, hi);
    *out = (int32_t)s;
    return code;
}

/* Store one scalar; the parsers print their own message (captured by the caller). */
static int store_scalar(run_workload *w, const key_spec *k, const char *label,
                        const char *text)
{
    char *field = (char *)w + k->offset;
    switch (k->kind) {
    case V_STRING:
        *(const char **)(void *)field = text;
        return CLI_EXIT_OK;
    case V_SIZE:
        return cli_parse_size(label, text, (size_t)k->min, (size_t)k->max, (size_t *)(void *)field);
    case V_INT32:
        return parse_int32(label, text, k->min, k->max, (int32_t *)(void *)field);
    case V_NUMBER:
        return cli_parse_range(label, text, k->min, k->max, (double *)(void *)field);
    case V_POSITIVE:
        return cli_parse_positive(label, text, (double *)(void *)field);
    case V_QUANTITY:
        return parse_quantity(label, text, (double *)(void *)field);
    case V_DURATION:
        return cli_parse_duration(label, text, (int64_t)k->min, (int64_t *)(void *)field);
    case V_DURATION32:
        return parse_duration32(label, text, k->min, k->max, (int32_t *)(void *)field);
    case V_BOOL:
        return parse_bool(label, text, (int *)(void *)field);
    default:
        return cli_fail(CLI_EXIT_USAGE, "%s: not a value key", label);
    }
}

/* Run @p code's message (already captured in @p message) back out at the node's line. */
static int at_line(const loader *ld, const yaml_node_t *node, int code, const char *message)
{
    return code == CLI_EXIT_OK ? CLI_EXIT_OK : config_fail(ld, node, "%s", message);
}

static int apply_scalar(const loader *ld, run_workload *w, const key_spec *k,
                        const char *label, const yaml_node_t *node)
{
    const char *text = NULL;
    int code = scalar_text(ld, node, label, &text);
    if (code != CLI_EXIT_OK)
        return code;
    char message[RUN_ERROR_SIZE];
    cli_capture_messages(message, sizeof message);
    code = store_scalar(w, k, label, text);
    cli_capture_messages(NULL, 0);
    return at_line(ld, node, code, message);
}

/* ---- custom keys ----------------------------------------------------------------------- */

/* A plan key: plan.max_up_factor is the option --max-up-factor of `kairos plan`. */
static int apply_plan_key(const loader *ld, run_workload *w, const char *label,
                          const char *name, const yaml_node_t *node)
{
    const char *text = NULL;
    int code = scalar_text(ld, node, label, &text);
    if (code != CLI_EXIT_OK)
        return code;
    char option[64], message[RUN_ERROR_SIZE];
    snprintf(option, sizeof option, "%s", name);
    for (char *p = option; *p; p++)
        if (*p == '_')
            *p = '-';
    bool handled = false;
    cli_capture_messages(message, sizeof message);
    code = cli_plan_request_set(&w->plan, option, label, text, &handled);
    cli_capture_messages(NULL, 0);
    return at_line(ld, node, code, message);
}

static const char *last_part(const char *label)
{
    const char *dot = strrchr(label, '.');
    return dot ? dot + 1 : label;
}

static int set_plan(const loader *ld, run_workload *w, const char *label,
                    const yaml_node_t *node)
{
    return apply_plan_key(ld, w, label, last_part(label), node);
}

static int set_current_replicas(const loader *ld, run_workload *w, const char *label,
                                const yaml_node_t *node)
{
    return apply_plan_key(ld, w, label, "current", node);
}

/* A value or a list of values: each item through @p parse. */
typedef int (*item_parser)(run_workload *w, const char *label, const char *text, size_t i);

static int apply_list(const loader *ld, run_workload *w, const char *label,
                      const yaml_node_t *node, size_t max, item_parser parse, size_t *n_out)
{
    const yaml_node_item_t *items = NULL;
    size_t n = 1;
    if (node->type == YAML_SEQUENCE_NODE) {
        items = node->data.sequence.items.start;
        n = (size_t)(node->data.sequence.items.top - items);
    }
    if (n == 0 || n > max)
        return config_fail(ld, node, "%s: expected 1 to %zu values, got %zu", label, max, n);
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *item = items ? yaml_document_get_node(ld->doc, items[i]) : node;
        const char *text = NULL;
        int code = scalar_text(ld, item, label, &text);
        if (code != CLI_EXIT_OK)
            return code;
        char message[RUN_ERROR_SIZE];
        cli_capture_messages(message, sizeof message);
        code = parse(w, label, text, i);
        cli_capture_messages(NULL, 0);
        if (code != CLI_EXIT_OK)
            return at_line(ld, item, code, message);
    }
    *n_out = n;
    return CLI_EXIT_OK;
}

static int parse_period(run_workload *w, const char *label, const char *text, size_t i)
{
    return cli_parse_size(label, text, 1, MAX_PERIOD, &w->req.periods[i]);
}

static int set_season(const loader *ld, run_workload *w, const char *label,
                      const yaml_node_t *node)
{
    return apply_list(ld, w, label, node, CLI_MAX_PERIODS, parse_period, &w->req.n_periods);
}

static int parse_level(run_workload *w, const char *label, const char *text, size_t i)
{
    int code = cli_parse_open_interval(label, text, 0, 1, &w->quantiles[i]);
    for (size_t j = 0; code == CLI_EXIT_OK && j < i; j++)
        if (w->quantiles[j] == w->quantiles[i])
            return cli_fail(CLI_EXIT_USAGE, "%s: %s is given twice", label, text);
    return code;
}

static int set_quantiles(const loader *ld, run_workload *w, const char *label,
                         const yaml_node_t *node)
{
    return apply_list(ld, w, label, node, RUN_MAX_QUANTILES, parse_level, &w->n_quantiles);
}

static int set_choice(const loader *ld, const char *label, const yaml_node_t *node,
                      const char *const *names, size_t *index)
{
    const char *text = NULL;
    int code = scalar_text(ld, node, label, &text);
    if (code != CLI_EXIT_OK)
        return code;
    char message[RUN_ERROR_SIZE];
    cli_capture_messages(message, sizeof message);
    code = cli_parse_choice(label, text, names, index);
    cli_capture_messages(NULL, 0);
    return at_line(ld, node, code, message);
}

static int set_agg(const loader *ld, run_workload *w, const char *label,
                   const yaml_node_t *node)
{
    static const char *const names[] = { "mean", "max", "last", "sum", NULL };
    static const kairos_agg values[] = { KAIROS_AGG_MEAN, KAIROS_AGG_MAX, KAIROS_AGG_LAST,
                                         KAIROS_AGG_SUM };
    size_t i = 0;
    int code = set_choice(ld, label, node, names, &i);
    w->req.regularize.agg = values[i];
    return code;
}

static int set_fill(const loader *ld, run_workload *w, const char *label,
                    const yaml_node_t *node)
{
    static const char *const names[] = { "none", "linear", "previous", NULL };
    static const kairos_fill values[] = { KAIROS_FILL_NONE, KAIROS_FILL_LINEAR,
                                          KAIROS_FILL_PREVIOUS };
    size_t i = 0;
    int code = set_choice(ld, label, node, names, &i);
    w->req.regularize.fill = values[i];
    return code;
}

static int set_mode(const loader *ld, run_workload *w, const char *label,
                    const yaml_node_t *node)
{
    static const char *const names[] = { "cron", "external", "prometheus", "cpu", "memory",
                                         NULL };
    size_t i = 0;
    int code = set_choice(ld, label, node, names, &i);
    w->so.mode = (kairos_keda_mode)i;
    w->mode_given = true;
    return code;
}

static int set_end(const loader *ld, run_workload *w, const char *label,
                   const yaml_node_t *node)
{
    const char *text = NULL;
    int code = scalar_text(ld, node, label, &text);
    if (code == CLI_EXIT_OK &&
        kairos_parse_timestamp(text, strlen(text), &w->prometheus.end) != KAIROS_OK)
        return config_fail(ld, node, "%s: %s", label, kairos_last_error());
    return code;
}

static int set_csv(const loader *ld, run_workload *w, const char *label,
                   const yaml_node_t *node)
{
    w->source = RUN_SOURCE_CSV;
    return scalar_text(ld, node, label, &w->csv);
}

static int apply_mapping(const loader *ld, run_workload *w, const key_spec *keys,
                         const char *prefix, const yaml_node_t *node, bool defaults);

static const key_spec prometheus_keys[] = {
    STRING("url", prometheus.url),
    STRING("query", prometheus.query),
    DURATION("step", prometheus.step_s, 1),
    DURATION("window", prometheus.window_s, 1),
    CUSTOM("end", set_end),
    DURATION("timeout", prometheus.timeout_s, 1),
    END,
};

static int set_prometheus(const loader *ld, run_workload *w, const char *label,
                          const yaml_node_t *node)
{
    w->source = RUN_SOURCE_PROMETHEUS;
    char prefix[160];
    if (snprintf(prefix, sizeof prefix, "%s.", label) >= (int)sizeof prefix)
        return config_fail(ld, node, "%s: nested too deep", label);
    return apply_mapping(ld, w, prometheus_keys, prefix, node, false);
}

static const key_spec source_keys[] = {
    CUSTOM("csv", set_csv),
    STRING("column", req.column),
    CUSTOM("prometheus", set_prometheus),
    END,
};

/* `source: path.csv` or `source: {csv: path.csv, column: NAME}` or
 * `source: {prometheus: {url: ..., query: ...}}`. */
static int set_source(const loader *ld, run_workload *w, const char *label,
                      const yaml_node_t *node)
{
    if (node->type == YAML_SCALAR_NODE)
        return set_csv(ld, w, label, node);
    w->source = RUN_SOURCE_NONE;
    int code = apply_mapping(ld, w, source_keys, "source.", node, false);
    if (code == CLI_EXIT_OK && w->source == RUN_SOURCE_NONE)
        return config_fail(ld, node, "source: give csv: PATH or prometheus: {url, query}");
    return code;
}

static int set_step(const loader *ld, run_workload *w, const char *label,
                    const yaml_node_t *node)
{
    const char *text = NULL;
    int code = scalar_text(ld, node, label, &text);
    if (code != CLI_EXIT_OK)
        return code;
    char message[RUN_ERROR_SIZE];
    cli_capture_messages(message, sizeof message);
    code = cli_parse_duration(label, text, 1, &w->req.regularize.step_s);
    cli_capture_messages(NULL, 0);
    w->req.step_given = true;
    return at_line(ld, node, code, message);
}

/* ---- the schema ------------------------------------------------------------------------ */

static const key_spec plan_keys[] = {
    CUSTOM("target_per_replica", set_plan), CUSTOM("headroom", set_plan),
    CUSTOM("quantile", set_plan),           CUSTOM("risk", set_plan),
    CUSTOM("min", set_plan),                CUSTOM("max", set_plan),
    CUSTOM("max_up_factor", set_plan),      CUSTOM("max_down", set_plan),
    CUSTOM("stabilization", set_plan),      CUSTOM("lead_time", set_plan),
    END,
};

static const key_spec cost_keys[] = {
    QUANTITY("cpu", cpu),
    QUANTITY("memory", memory),
    NUMBER("cpu_price", cost.cpu_price, 0, HUGE_VAL),
    NUMBER("memory_price", cost.memory_price, 0, HUGE_VAL),
    POSITIVE("hours_per_month", cost.hours_per_month),
    NUMBER("spot_share", cost.spot_share, 0, 1),
    NUMBER("spot_discount", cost.spot_discount, 0, 1),
    STRING("currency", cost.currency),
    STRING("environment", cost.environment),
    END,
};

static const key_spec current_keys[] = {
    CUSTOM("replicas", set_current_replicas),
    QUANTITY("cpu_request", cpu_request),
    QUANTITY("memory_request", memory_request),
    QUANTITY("cpu_limit", cpu_limit),
    QUANTITY("memory_limit", memory_limit),
    END,
};

static const key_spec signal_keys[] = {
    QUANTITY("cpu_p95", cpu_p95),
    QUANTITY("memory_peak", memory_peak),
    NUMBER("node_utilization", node_utilization, 0, 10),
    NUMBER("queue_lag_growth", queue_lag_growth, -1, 1e6),
    NUMBER("confidence", confidence, 0, 1),
    END,
};

static const key_spec keda_keys[] = {
    CUSTOM("mode", set_mode),
    STRING("timezone", so.timezone),
    SIZE("max_windows", so.max_windows, 1, 1000),
    STRING("scaler_address", so.scaler_address),
    STRING("metric", so.external_metric),
    BOOL("external_push", so.external_push),
    STRING("prometheus_server", so.prometheus_server),
    STRING("query", so.query),
    POSITIVE("threshold", so.threshold),
    NUMBER("activation_threshold", so.activation_threshold, 0, 1e12),
    QUANTITY("cpu_request", so.cpu_request_cores),
    QUANTITY("memory_request", so.memory_request_bytes),
    INT32("idle", so.idle_replicas, 0, 100000),
    INT32("fallback", so.fallback_replicas, 0, 100000),
    DURATION32("polling_interval", so.polling_interval_s, 1, 86400),
    DURATION32("cooldown", so.cooldown_period_s, 0, 7 * 86400),
    STRING("auth", so.auth_name),
    BOOL("cluster_auth", so.auth_cluster),
    STRING("api_version", so.target_api_version),
    END,
};

static const key_spec workload_keys[] = {
    STRING("name", name),
    STRING("namespace", ns),
    STRING("kind", kind),
    STRING("target", so.target_name),
    CUSTOM("source", set_source),
    CUSTOM("step", set_step),
    CUSTOM("agg", set_agg),
    CUSTOM("fill", set_fill),
    CUSTOM("season", set_season),
    CUSTOM("seasons", set_season),
    STRING("model", req.model),
    SIZE("horizon", req.horizon, 1, MAX_HORIZON),
    SIZE("profile_seasons", req.profile_seasons, 1, 10000),
    CUSTOM("quantiles", set_quantiles),
    DURATION("chart_history", chart_history_s, 1),
    STRING("unit", unit),
    SECTION("plan", plan_keys),
    SECTION("cost", cost_keys),
    SECTION("current", current_keys),
    SECTION("signals", signal_keys),
    SECTION("keda", keda_keys),
    END,
};

/* ---- walking mappings ------------------------------------------------------------------ */

static const key_spec *find_key(const key_spec *keys, const char *name, size_t *index)
{
    for (size_t i = 0; keys[i].key; i++) {
        if (!strcmp(keys[i].key, name)) {
            *index = i;
            return &keys[i];
        }
    }
    return NULL;
}

static int unknown_key(const loader *ld, const yaml_node_t *node, const char *prefix,
                       const char *name, const key_spec *keys)
{
    char known[1024] = "";
    for (size_t i = 0; keys[i].key; i++) {
        size_t used = strlen(known);
        snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "", keys[i].key);
    }
    return config_fail(ld, node, "unknown key '%s%s' (known here: %s)", prefix, name, known);
}

static int apply_key(const loader *ld, run_workload *w, const key_spec *k,
                     const char *label, const yaml_node_t *value)
{
    if (k->kind == V_SECTION) {
        char prefix[160];
        if (snprintf(prefix, sizeof prefix, "%s.", label) >= (int)sizeof prefix)
            return config_fail(ld, value, "%s: nested too deep", label);
        return apply_mapping(ld, w, k->section, prefix, value, false);
    }
    if (k->kind == V_CUSTOM)
        return k->custom(ld, w, label, value);
    return apply_scalar(ld, w, k, label, value);
}

/* Apply every key of a mapping; @p prefix ("plan.") makes the labels of nested keys. */
static int apply_mapping(const loader *ld, run_workload *w, const key_spec *keys,
                         const char *prefix, const yaml_node_t *node, bool defaults)
{
    if (node->type != YAML_MAPPING_NODE)
        return config_fail(ld, node, "%s: expected a mapping of keys", *prefix ? prefix : "workload");
    uint64_t seen = 0;
    for (const yaml_node_pair_t *pair = node->data.mapping.pairs.start;
         pair < node->data.mapping.pairs.top; pair++) {
        const yaml_node_t *key = yaml_document_get_node(ld->doc, pair->key);
        const yaml_node_t *value = yaml_document_get_node(ld->doc, pair->value);
        if (key->type != YAML_SCALAR_NODE)
            return config_fail(ld, key, "%skeys must be plain names", prefix);
        const char *name = (const char *)key->data.scalar.value;
        size_t index = 0;
        const key_spec *k = find_key(keys, name, &index);
        if (!k)
            return unknown_key(ld, key, prefix, name, keys);
        if (seen & (UINT64_C(1) << index))
            return config_fail(ld, key, "key '%s%s' is given twice", prefix, name);
        seen |= UINT64_C(1) << index;
        if (defaults && k->kind == V_STRING && !strcmp(name, "name"))
            return config_fail(ld, key, "'name' belongs to a workload, not to defaults");
        char label[160];
        if (snprintf(label, sizeof label, "%s%s", prefix, name) >= (int)sizeof label)
            return config_fail(ld, key, "%s%s: nested too deep", prefix, name);
        int code = apply_key(ld, w, k, label, value);
        if (code != CLI_EXIT_OK)
            return code;
    }
    return CLI_EXIT_OK;
}

/* ---- workloads ------------------------------------------------------------------------- */

static int load_workloads(const loader *ld, run_config *cfg, const run_workload *defaults,
                          const yaml_node_t *list)
{
    if (list->type != YAML_SEQUENCE_NODE)
        return config_fail(ld, list, "workloads: expected a list of workloads");
    const yaml_node_item_t *items = list->data.sequence.items.start;
    size_t n = (size_t)(list->data.sequence.items.top - items);
    if (n == 0 || n > MAX_WORKLOADS)
        return config_fail(ld, list, "workloads: expected 1 to %zu workloads, got %zu",
                           MAX_WORKLOADS, n);
    cfg->workloads = calloc(n, sizeof *cfg->workloads);
    if (!cfg->workloads)
        return cli_fail(CLI_EXIT_MODEL, "out of memory for %zu workloads", n);
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *node = yaml_document_get_node(ld->doc, items[i]);
        run_workload *w = &cfg->workloads[i];
        *w = *defaults;
        w->line = line_of(node);
        cfg->n = i + 1;     /* counted before checking, so run_config_free() sees it */
        run_place at = { ld->path, w->line };
        int code = apply_mapping(ld, w, workload_keys, "", node, false);
        if (code == CLI_EXIT_OK)
            code = run_workload_check(&at, w, cfg->workloads, i);
        if (code != CLI_EXIT_OK)
            return code;
    }
    return CLI_EXIT_OK;
}

/* ---- the document ---------------------------------------------------------------------- */

static int parse_document(const char *path, yaml_document_t *doc)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_fail(CLI_EXIT_DATA, "%s: cannot open the configuration", path);
    yaml_parser_t parser;
    int code = CLI_EXIT_OK;
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        return cli_fail(CLI_EXIT_MODEL, "out of memory");
    }
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, doc)) {
        code = cli_fail(CLI_EXIT_USAGE, "%s:%zu: not valid YAML: %s%s%s", path,
                        parser.problem_mark.line + 1, parser.problem ? parser.problem : "error",
                        parser.context ? " " : "", parser.context ? parser.context : "");
        memset(doc, 0, sizeof *doc);
    }
    yaml_parser_delete(&parser);
    if (ferror(f) && code == CLI_EXIT_OK)
        code = cli_fail(CLI_EXIT_DATA, "%s: cannot read the configuration", path);
    fclose(f);
    return code;
}

static int load_root(const loader *ld, run_config *cfg, const yaml_node_t *root)
{
    static const key_spec root_keys[] = {
        SECTION("defaults", workload_keys), SECTION("workloads", NULL), END };
    if (!root)
        return cli_fail(CLI_EXIT_USAGE, "%s: the configuration is empty", ld->path);
    if (root->type != YAML_MAPPING_NODE)
        return config_fail(ld, root, "expected a mapping with defaults: and workloads:");
    const yaml_node_t *defaults = NULL, *workloads = NULL;
    for (const yaml_node_pair_t *pair = root->data.mapping.pairs.start;
         pair < root->data.mapping.pairs.top; pair++) {
        const yaml_node_t *key = yaml_document_get_node(ld->doc, pair->key);
        const yaml_node_t *value = yaml_document_get_node(ld->doc, pair->value);
        const char *name = key->type == YAML_SCALAR_NODE ? (const char *)key->data.scalar.value
                                                         : "?";
        const yaml_node_t **slot = !strcmp(name, "defaults") ? &defaults
                                 : !strcmp(name, "workloads") ? &workloads : NULL;
        if (!slot)
            return unknown_key(ld, key, "", name, root_keys);
        if (*slot)
            return config_fail(ld, key, "key '%s' is given twice", name);
        *slot = value;
    }
    if (!workloads)
        return config_fail(ld, root, "no workloads: list");
    run_workload template;
    run_workload_init(&template);
    if (defaults) {
        if (defaults->type != YAML_MAPPING_NODE)
            return config_fail(ld, defaults, "defaults: expected a mapping of workload keys");
        int code = apply_mapping(ld, &template, workload_keys, "", defaults, true);
        if (code != CLI_EXIT_OK)
            return code;
    }
    return load_workloads(ld, cfg, &template, workloads);
}

int run_config_load(run_config *cfg, const char *path)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->path = path;
    yaml_document_t *doc = calloc(1, sizeof *doc);
    if (!doc)
        return cli_fail(CLI_EXIT_MODEL, "out of memory");
    cfg->doc = doc;
    int code = parse_document(path, doc);
    if (code != CLI_EXIT_OK)
        return code;
    loader ld = { path, doc };
    return load_root(&ld, cfg, yaml_document_get_root_node(doc));
}

void run_config_free(run_config *cfg)
{
    for (size_t i = 0; i < cfg->n; i++)
        free(cfg->workloads[i].csv_path);
    free(cfg->workloads);
    if (cfg->doc) {
        yaml_document_delete(cfg->doc);
        free(cfg->doc);
    }
    memset(cfg, 0, sizeof *cfg);
}
