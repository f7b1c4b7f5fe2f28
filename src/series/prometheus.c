/* Prometheus `query_range` responses: a recursive-descent parser over the JSON event stream
 * (json_reader.h) that knows the response schema, so no document tree is built and malformed
 * input is reported by path ("data.result[2].values[5]: expected ..."). */
#include "json_reader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t kairos_series_list_count(const kairos_series_list *list)
{
    return list ? list->count : 0;
}

const kairos_series *kairos_series_list_get(const kairos_series_list *list, size_t i)
{
    return list && i < list->count ? list->items[i] : NULL;
}

void kairos_series_list_free(kairos_series_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        kairos_series_free(list->items[i]);
    free(list->items);
    free(list);
}

/* ---- Series parts ------------------------------------------------------------------- */

typedef struct label {
    char *key, *value;
    size_t key_len, value_len;
} label;

typedef struct series_parts {
    label *labels;
    size_t n_labels, cap_labels;
    double *values;
    int64_t *timestamps;
    size_t n, cap;
} series_parts;

static void parts_dispose(series_parts *sp)
{
    for (size_t i = 0; i < sp->n_labels; i++) {
        free(sp->labels[i].key);
        free(sp->labels[i].value);
    }
    free(sp->labels);
    free(sp->values);
    free(sp->timestamps);
}

static char *copy_bytes(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

static int add_label(series_parts *sp, char *key, size_t key_len, const kairos__json_reader *r)
{
    if (sp->n_labels == sp->cap_labels) {
        size_t cap = sp->cap_labels ? sp->cap_labels * 2 : 8;
        label *l = realloc(sp->labels, cap * sizeof *l);
        if (!l) {
            free(key);
            return kairos__fail(KAIROS_ENOMEM, "out of memory reading metric labels");
        }
        sp->labels = l;
        sp->cap_labels = cap;
    }
    char *value = copy_bytes(kairos__json_text(r), kairos__json_len(r));
    if (!value) {
        free(key);
        return kairos__fail(KAIROS_ENOMEM, "out of memory reading metric labels");
    }
    sp->labels[sp->n_labels++] = (label){ key, value, key_len, kairos__json_len(r) };
    return KAIROS_OK;
}

static int add_sample(series_parts *sp, int64_t t, double v)
{
    if (sp->n == sp->cap) {
        size_t cap = sp->cap ? sp->cap * 2 : 64;
        double *values = kairos__malloc_array(cap, sizeof *values);
        int64_t *times = kairos__malloc_array(cap, sizeof *times);
        if (!values || !times) {
            free(values);
            free(times);
            return kairos__fail(KAIROS_ENOMEM, "out of memory storing %zu samples", cap);
        }
        if (sp->n) {
            memcpy(values, sp->values, sp->n * sizeof *values);
            memcpy(times, sp->timestamps, sp->n * sizeof *times);
        }
        free(sp->values);
        free(sp->timestamps);
        sp->values = values;
        sp->timestamps = times;
        sp->cap = cap;
    }
    sp->values[sp->n] = v;
    sp->timestamps[sp->n] = t;
    sp->n++;
    return KAIROS_OK;
}

static int compare_labels(const void *pa, const void *pb)
{
    const label *a = pa, *b = pb;
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = memcmp(a->key, b->key, n);
    return c ? c : (a->key_len > b->key_len) - (a->key_len < b->key_len);
}

/* Label text the way PromQL quotes it: \\, \" and \n escaped, other control bytes as \xNN. */
static int append_escaped(kairos_buf *b, const char *s, size_t len)
{
    int rc = KAIROS_OK;
    for (size_t i = 0; i < len && rc == KAIROS_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == '"')
            rc = kairos__buf_printf(b, "\\%c", c);
        else if (c == '\n')
            rc = kairos__buf_puts(b, "\\n");
        else if (c < 0x20 || c == 0x7f)
            rc = kairos__buf_printf(b, "\\x%02x", c);
        else
            rc = kairos__buf_append(b, (const char *)&c, 1);
    }
    return rc;
}

/* `name{a="1",b="2"}`: labels sorted by key, __name__ in front, braces always present. */
static int series_name(const series_parts *sp, char **out)
{
    kairos_buf b = KAIROS_BUF_INIT;
    int rc = kairos__buf_append(&b, "", 0);
    for (size_t i = 0; i < sp->n_labels && rc == KAIROS_OK; i++)
        if (!strcmp(sp->labels[i].key, "__name__") && sp->labels[i].key_len == 8)
            rc = append_escaped(&b, sp->labels[i].value, sp->labels[i].value_len);
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(&b, "{");
    bool first = true;
    for (size_t i = 0; i < sp->n_labels && rc == KAIROS_OK; i++) {
        const label *l = &sp->labels[i];
        if (!strcmp(l->key, "__name__") && l->key_len == 8)
            continue;
        rc = kairos__buf_puts(&b, first ? "" : ",");
        if (rc == KAIROS_OK)
            rc = append_escaped(&b, l->key, l->key_len);
        if (rc == KAIROS_OK)
            rc = kairos__buf_puts(&b, "=\"");
        if (rc == KAIROS_OK)
            rc = append_escaped(&b, l->value, l->value_len);
        if (rc == KAIROS_OK)
            rc = kairos__buf_puts(&b, "\"");
        first = false;
    }
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(&b, "}");
    if (rc) {
        kairos_buf_dispose(&b);
        return rc;
    }
    *out = b.data;
    return KAIROS_OK;
}

/* ---- Schema ------------------------------------------------------------------------- */

typedef struct prom_parse {
    kairos__json_reader r;
    kairos_series **items;
    size_t count, cap;
} prom_parse;

static int parse_metric(kairos__json_reader *r, const char *where, series_parts *sp)
{
    char at[96], label_at[160];
    snprintf(at, sizeof at, "%s.metric", where);
    if (!kairos__json_is(r, YAML_MAPPING_START_EVENT))
        return kairos__json_expected(r, at, "an object of labels");
    int more;
    while ((more = kairos__json_next_key(r, at)) == 1) {
        size_t key_len = kairos__json_len(r);
        char *key = copy_bytes(kairos__json_text(r), key_len);
        if (!key)
            return kairos__fail(KAIROS_ENOMEM, "out of memory reading metric labels");
        int rc = kairos__json_advance(r);
        if (rc == KAIROS_OK && !kairos__json_is_string(r)) {
            char shown[KAIROS__EXCERPT_SIZE];
            kairos__excerpt(key, key_len, shown, sizeof shown);
            snprintf(label_at, sizeof label_at, "%s.%s", at, shown);
            rc = kairos__json_expected(r, label_at, "a string label value");
        }
        if (rc) {
            free(key);
            return rc;
        }
        if ((rc = add_label(sp, key, key_len, r)))
            return rc;
    }
    if (more < 0)
        return more;
    if (sp->n_labels > 1)
        qsort(sp->labels, sp->n_labels, sizeof *sp->labels, compare_labels);
    for (size_t i = 1; i < sp->n_labels; i++) {
        if (compare_labels(&sp->labels[i - 1], &sp->labels[i]) == 0) {
            char shown[KAIROS__EXCERPT_SIZE];
            kairos__excerpt(sp->labels[i].key, sp->labels[i].key_len, shown, sizeof shown);
            return kairos__fail(KAIROS_EPARSE, "Prometheus response: %s: duplicate label '%s'",
                                at, shown);
        }
    }
    return KAIROS_OK;
}

static int read_sample_time(const kairos__json_reader *r, const char *at, int64_t *t)
{
    int rc = KAIROS__NUMBER_INVALID;
    if (kairos__json_is_plain(r))
        rc = kairos__parse_unix_seconds(kairos__json_text(r), kairos__json_len(r), t);
    if (rc == KAIROS__NUMBER_OK)
        return KAIROS_OK;
    return kairos__json_expected(r, at, rc == KAIROS__NUMBER_OUT_OF_RANGE
                               ? "a sample time within 64-bit Unix seconds"
                               : "the sample time as a number of Unix seconds");
}

static int read_sample_value(const kairos__json_reader *r, const char *at, double *v)
{
    int rc = KAIROS__NUMBER_INVALID;
    if (kairos__json_is_string(r))
        rc = kairos__parse_number(kairos__json_text(r), kairos__json_len(r), v);
    if (rc == KAIROS__NUMBER_OK) {
        if (isnan(*v))
            *v = NAN;
        return KAIROS_OK;
    }
    return kairos__json_expected(r, at, rc == KAIROS__NUMBER_OUT_OF_RANGE
                               ? "a sample value within the range of a double"
                               : "the sample value as a string like \"1.5\", \"NaN\" or \"+Inf\"");
}

static int parse_sample(kairos__json_reader *r, const char *at, series_parts *sp)
{
    if (!kairos__json_is(r, YAML_SEQUENCE_START_EVENT))
        return kairos__json_expected(r, at, "a [time, \"value\"] pair");
    int64_t t = 0;
    double v = 0;
    int rc = kairos__json_advance(r);
    if (rc == KAIROS_OK)
        rc = read_sample_time(r, at, &t);
    if (rc == KAIROS_OK)
        rc = kairos__json_advance(r);
    if (rc == KAIROS_OK)
        rc = read_sample_value(r, at, &v);
    if (rc == KAIROS_OK)
        rc = kairos__json_advance(r);
    if (rc == KAIROS_OK && !kairos__json_is(r, YAML_SEQUENCE_END_EVENT))
        rc = kairos__json_expected(r, at, "the end of the [time, \"value\"] pair");
    return rc ? rc : add_sample(sp, t, v);
}

static int parse_values(kairos__json_reader *r, const char *where, series_parts *sp)
{
    char at[128];
    snprintf(at, sizeof at, "%s.values", where);
    if (!kairos__json_is(r, YAML_SEQUENCE_START_EVENT))
        return kairos__json_expected(r, at, "a list of [time, \"value\"] pairs");
    for (size_t j = 0;; j++) {
        int rc = kairos__json_advance(r);
        if (rc)
            return rc;
        if (kairos__json_is(r, YAML_SEQUENCE_END_EVENT))
            return KAIROS_OK;
        snprintf(at, sizeof at, "%s.values[%zu]", where, j);
        if ((rc = parse_sample(r, at, sp)))
            return rc;
    }
}

static int add_series(prom_parse *p, series_parts *sp)
{
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        kairos_series **items = realloc(p->items, cap * sizeof *items);
        if (!items)
            return kairos__fail(KAIROS_ENOMEM, "out of memory listing series");
        p->items = items;
        p->cap = cap;
    }
    char *name = NULL;
    int rc = series_name(sp, &name);
    if (rc)
        return rc;
    kairos_series *s = NULL;
    rc = kairos__series_adopt(&s, sp->values, sp->timestamps, sp->n, name);
    sp->values = NULL;   /* adopted, or freed by the failed adoption */
    sp->timestamps = NULL;
    if (rc == KAIROS_OK)
        p->items[p->count++] = s;
    return rc;
}

enum { SERIES_METRIC, SERIES_VALUES, SERIES_HISTOGRAMS, SERIES_KEYS };
static const char *const series_keys[SERIES_KEYS] = { "metric", "values", "histograms" };

static int parse_series_fields(kairos__json_reader *r, const char *where, series_parts *sp,
                               unsigned *seen)
{
    int more;
    while ((more = kairos__json_next_key(r, where)) == 1) {
        int key;
        int rc = kairos__json_enter_value(r, where, series_keys, SERIES_KEYS, seen, &key);
        if (rc == KAIROS_OK)
            rc = key == SERIES_METRIC ? parse_metric(r, where, sp)
                 : key == SERIES_VALUES ? parse_values(r, where, sp)
                                        : kairos__json_skip_value(r);
        if (rc)
            return rc;
    }
    return more;
}

static int parse_one_series(prom_parse *p, size_t index)
{
    kairos__json_reader *r = &p->r;
    char where[48];
    snprintf(where, sizeof where, "data.result[%zu]", index);
    if (!kairos__json_is(r, YAML_MAPPING_START_EVENT))
        return kairos__json_expected(r, where, "an object with \"metric\" and \"values\"");
    series_parts sp = { 0 };
    unsigned seen = 0;
    int rc = parse_series_fields(r, where, &sp, &seen);
    if (rc == KAIROS_OK && !(seen & (1u << SERIES_VALUES)))
        rc = kairos__fail(KAIROS_EPARSE, "Prometheus response: %s has no \"values\"%s", where,
                          (seen & (1u << SERIES_HISTOGRAMS))
                              ? " (native histogram samples are not supported)" : "");
    if (rc == KAIROS_OK)
        rc = add_series(p, &sp);
    parts_dispose(&sp);
    return rc;
}

static int parse_result(prom_parse *p)
{
    kairos__json_reader *r = &p->r;
    if (!kairos__json_is(r, YAML_SEQUENCE_START_EVENT))
        return kairos__json_expected(r, "data.result", "a list of series");
    for (size_t i = 0;; i++) {
        int rc = kairos__json_advance(r);
        if (rc)
            return rc;
        if (kairos__json_is(r, YAML_SEQUENCE_END_EVENT))
            return KAIROS_OK;
        if ((rc = parse_one_series(p, i)))
            return rc;
    }
}

enum { DATA_RESULT_TYPE, DATA_RESULT, DATA_KEYS };
static const char *const data_keys[DATA_KEYS] = { "resultType", "result" };

static int parse_data(prom_parse *p)
{
    kairos__json_reader *r = &p->r;
    if (!kairos__json_is(r, YAML_MAPPING_START_EVENT))
        return kairos__json_expected(r, "data", "an object");
    char result_type[KAIROS__EXCERPT_SIZE] = "";
    kairos__json_deferred deferred = { 0 };
    unsigned seen = 0;
    int more;
    while ((more = kairos__json_next_key(r, "data")) == 1) {
        int key;
        int rc = kairos__json_enter_value(r, "data", data_keys, DATA_KEYS, &seen, &key);
        if (rc)
            return rc;
        if (key == DATA_RESULT_TYPE)
            rc = kairos__json_read_string(r, "data.resultType", result_type, sizeof result_type);
        else if (key == DATA_RESULT) {
            size_t base = kairos__json_depth_around(r);
            rc = kairos__json_defer(r, &deferred, base, parse_result(p));
        }
        else
            rc = kairos__json_skip_value(r);
        if (rc)
            return rc;
    }
    if (more < 0)
        return more;
    if (!(seen & (1u << DATA_RESULT_TYPE)))
        return kairos__fail(KAIROS_EPARSE, "Prometheus response: data has no \"resultType\"");
    if (strcmp(result_type, "matrix") != 0)
        return kairos__fail(KAIROS_EPARSE, "Prometheus response: data.resultType is \"%s\"; only "
                                           "\"matrix\" (a query_range result) is supported",
                            result_type);
    if (deferred.set)
        return kairos__fail(KAIROS_EPARSE, "%s", deferred.message);
    if (!(seen & (1u << DATA_RESULT)))
        return kairos__fail(KAIROS_EPARSE, "Prometheus response: data has no \"result\"");
    return KAIROS_OK;
}

enum { TOP_STATUS, TOP_DATA, TOP_ERROR_TYPE, TOP_ERROR, TOP_KEYS };
static const char *const top_keys[TOP_KEYS] = { "status", "data", "errorType", "error" };

typedef struct top_fields {
    unsigned seen;
    char status[KAIROS__EXCERPT_SIZE];
    char error_type[KAIROS__EXCERPT_SIZE];
    char error[300];
    kairos__json_deferred data_error;
} top_fields;

static int read_top_value(prom_parse *p, int key, top_fields *top)
{
    kairos__json_reader *r = &p->r;
    size_t base = kairos__json_depth_around(r);
    switch (key) {
    case TOP_STATUS:
        return kairos__json_read_string(r, "status", top->status, sizeof top->status);
    case TOP_ERROR_TYPE:
        if (!kairos__json_is_string(r))
            return kairos__json_skip_value(r);   /* only used for the message: be lenient */
        return kairos__json_read_string(r, "errorType", top->error_type, sizeof top->error_type);
    case TOP_ERROR:
        if (!kairos__json_is_string(r))
            return kairos__json_skip_value(r);
        return kairos__json_read_string(r, "error", top->error, sizeof top->error);
    case TOP_DATA:
        if (!strcmp(top->status, "error"))
            return kairos__json_skip_value(r);
        return kairos__json_defer(r, &top->data_error, base, parse_data(p));
    default:
        return kairos__json_skip_value(r);
    }
}

static int parse_top(prom_parse *p)
{
    kairos__json_reader *r = &p->r;
    if (!kairos__json_is(r, YAML_MAPPING_START_EVENT))
        return kairos__json_expected(r, "the top level", "a JSON object");
    top_fields top = { 0 };
    int more;
    while ((more = kairos__json_next_key(r, "the top-level object")) == 1) {
        int key;
        int rc = kairos__json_enter_value(r, "the top-level object", top_keys, TOP_KEYS,
                                          &top.seen, &key);
        if (rc == KAIROS_OK)
            rc = read_top_value(p, key, &top);
        if (rc)
            return rc;
    }
    if (more < 0)
        return more;
    if (!(top.seen & (1u << TOP_STATUS)))
        return kairos__fail(KAIROS_EPARSE, "Prometheus response: the top-level object has no "
                                           "\"status\"");
    if (!strcmp(top.status, "error"))
        return kairos__fail(KAIROS_EDATA, "Prometheus reported an error%s%s%s: %s",
                            top.error_type[0] ? " (" : "", top.error_type,
                            top.error_type[0] ? ")" : "",
                            top.error[0] ? top.error : "no message given");
    if (strcmp(top.status, "success") != 0)
        return kairos__fail(KAIROS_EPARSE, "Prometheus response: status is \"%s\"; expected "
                                           "\"success\" or \"error\"", top.status);
    if (top.data_error.set)
        return kairos__fail(KAIROS_EPARSE, "%s", top.data_error.message);
    if (!(top.seen & (1u << TOP_DATA)))
        return kairos__fail(KAIROS_EPARSE, "Prometheus response: status is \"success\" but "
                                           "there is no \"data\"");
    return KAIROS_OK;
}

static int parse_document(prom_parse *p)
{
    kairos__json_reader *r = &p->r;
    int rc = kairos__json_advance(r);   /* stream start */
    if (rc == KAIROS_OK)
        rc = kairos__json_advance(r);
    if (rc == KAIROS_OK && kairos__json_is(r, YAML_STREAM_END_EVENT))
        return kairos__fail(KAIROS_EPARSE, "Prometheus response is empty");
    if (rc == KAIROS_OK)
        rc = kairos__json_advance(r);   /* past the document start, to the top-level value */
    if (rc == KAIROS_OK)
        rc = kairos__json_prefer_syntax_error(r, parse_top(p));
    if (rc == KAIROS_OK)
        rc = kairos__json_advance(r);   /* document end */
    if (rc == KAIROS_OK)
        rc = kairos__json_advance(r);
    if (rc == KAIROS_OK && !kairos__json_is(r, YAML_STREAM_END_EVENT))
        return kairos__fail(KAIROS_EPARSE, "Prometheus response holds more than one JSON document");
    return rc;
}

static int make_list(prom_parse *p, kairos_series_list **out)
{
    kairos_series_list *list = malloc(sizeof *list);
    if (!list)
        return kairos__fail(KAIROS_ENOMEM, "out of memory listing series");
    list->count = p->count;
    list->items = p->items;
    p->items = NULL;
    p->count = 0;
    *out = list;
    return KAIROS_OK;
}

int kairos_series_parse_prometheus(kairos_series_list **out, const char *body, size_t len)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_parse_prometheus: out is NULL");
    *out = NULL;
    if (!body && len > 0)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_parse_prometheus: body is NULL");
    prom_parse p = { 0 };
    int rc = kairos__json_open(&p.r, body ? body : "", len, "Prometheus response");
    if (rc == KAIROS_OK) {
        kairos__c_locale locale;
        kairos__c_locale_enter(&locale);   /* once per parse: strtod() then reads '.' */
        rc = parse_document(&p);
        kairos__c_locale_leave(&locale);
    }
    kairos__json_close(&p.r);
    if (rc == KAIROS_OK)
        rc = make_list(&p, out);
    for (size_t i = 0; i < p.count; i++)
        kairos_series_free(p.items[i]);
    free(p.items);
    return rc;
}
