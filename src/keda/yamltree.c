/* Parsed YAML as a small tree (libyaml's loader, aliases expanded under a budget) and the
 * plain-scalar resolver Kubernetes applies (YAML 1.1: yes/no/on/off are booleans). */
#include "keda_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64, NODE_BUDGET = 200000 };

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static int digits(const char **p, int allow_underscore)
{
    int n = 0;
    while (isdigit((unsigned char)**p) || (allow_underscore && **p == '_' && n)) {
        n += **p != '_';
        (*p)++;
    }
    return n;
}

/* Decimal literal: [-+]? (d+ (. d*)? | . d+) ([eE] [-+]? d+)?; sets *is_int. */
static int decimal_literal(const char *s, int allow_underscore, int *is_int)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    int whole = digits(&p, allow_underscore), frac = 0;
    *is_int = 1;
    if (*p == '.') {
        *is_int = 0;
        p++;
        frac = digits(&p, allow_underscore);
    }
    if (!whole && !frac)
        return 0;
    if (*p == 'e' || *p == 'E') {
        *is_int = 0;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!digits(&p, 0))
            return 0;
    }
    return *p == '\0';
}

int kk_resolve_plain(const char *s)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const bools[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
        "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        NULL};
    static const char *const specials[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
        "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL};
    if (in_list(s, nulls))
        return KK_NULL;
    if (in_list(s, bools))
        return KK_BOOL;
    if (in_list(s, specials))
        return KK_FLOAT;
    const char *p = s + (*s == '+' || *s == '-');
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b') && p[2]) {
        for (p += 2; *p; p++)
            if (!isxdigit((unsigned char)*p) && *p != '_')
                return KK_STRING;
        return KK_INT;
    }
    int is_int;
    if (decimal_literal(s, 1, &is_int))
        return is_int ? KK_INT : KK_FLOAT;
    return KK_STRING;
}

int kk_parse_number(const char *s, double *out)
{
    int is_int;
    if (!s || !decimal_literal(s, 0, &is_int))
        return 0;
    kairos__c_locale loc;
    kairos__c_locale_enter(&loc);
    double x = strtod(s, NULL);
    kairos__c_locale_leave(&loc);
    if (!isfinite(x))
        return 0;
    *out = x;
    return 1;
}

void kk_format_number(double x, char *out, size_t size)
{
    double r = round(x * 1e6) / 1e6;
    kairos__format_double(r == 0 ? 0.0 : r, out, size);
}

int kk_scalar_type(const kk_node *n)
{
    if (!n || n->kind != KK_SCALAR)
        return -1;
    if (n->tag_type >= 0)
        return n->tag_type;
    return n->plain ? kk_resolve_plain(n->str) : KK_STRING;
}

const kk_node *kk_get(const kk_node *map, const char *key)
{
    if (!map || map->kind != KK_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (map->keys[i]->kind == KK_SCALAR && strcmp(map->keys[i]->str, key) == 0)
            return map->items[i];
    return NULL;
}

const char *kk_get_str(const kk_node *map, const char *key)
{
    const kk_node *v = kk_get(map, key);
    return v && v->kind == KK_SCALAR ? v->str : NULL;
}

static void node_free(kk_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            node_free(n->keys[i]);
        node_free(n->items[i]);
    }
    free(n->keys);
    free(n->items);
    free(n->str);
    free(n);
}

static int tag_type(const yaml_char_t *tag)
{
    static const struct { const char *tag; int type; } tags[] = {
        {YAML_STR_TAG, KK_STRING}, {YAML_INT_TAG, KK_INT}, {YAML_FLOAT_TAG, KK_FLOAT},
        {YAML_BOOL_TAG, KK_BOOL}, {YAML_NULL_TAG, KK_NULL}};
    for (size_t i = 0; tag && i < sizeof tags / sizeof tags[0]; i++)
        if (strcmp((const char *)tag, tags[i].tag) == 0)
            return tags[i].type;
    return -1;
}

typedef struct convert {
    yaml_document_t *doc;
    size_t          *budget;
} convert;

static int to_tree(convert *c, yaml_node_t *y, int depth, kk_node **out)
{
    *out = NULL;
    if (!y)
        return KAIROS_OK;
    if (depth > MAX_DEPTH)
        return kairos__fail(KAIROS_EDATA, "line %lu: YAML nested deeper than %d levels",
                            (unsigned long)y->start_mark.line + 1, MAX_DEPTH);
    if (*c->budget == 0)
        return kairos__fail(KAIROS_EDATA, "YAML expands to more than %d nodes (alias bomb?)",
                            NODE_BUDGET);
    --*c->budget;
    kk_node *n = calloc(1, sizeof *n);
    if (!n)
        return kairos__fail(KAIROS_ENOMEM, "out of memory parsing YAML");
    *out = n;
    n->line = y->start_mark.line + 1;
    n->tag_type = -1;
    if (y->type == YAML_SCALAR_NODE) {
        n->kind = KK_SCALAR;
        n->plain = y->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        /* libyaml gives every node a resolved default tag; only non-default tags count. */
        int t = tag_type(y->tag);
        if (!n->plain || t != KK_STRING)
            n->tag_type = n->plain ? t : (t == KK_STRING ? -1 : t);
        n->str = malloc(y->data.scalar.length + 1);
        if (!n->str)
            return kairos__fail(KAIROS_ENOMEM, "out of memory parsing YAML");
        memcpy(n->str, y->data.scalar.value, y->data.scalar.length);
        n->str[y->data.scalar.length] = '\0';
        return KAIROS_OK;
    }
    int is_map = y->type == YAML_MAPPING_NODE;
    size_t count = is_map ? (size_t)(y->data.mapping.pairs.top - y->data.mapping.pairs.start)
                          : (size_t)(y->data.sequence.items.top - y->data.sequence.items.start);
    n->kind = is_map ? KK_MAP : KK_SEQ;
    n->items = kairos__calloc(count ? count : 1, sizeof *n->items);
    if (is_map)
        n->keys = kairos__calloc(count ? count : 1, sizeof *n->keys);
    if (!n->items || (is_map && !n->keys))
        return kairos__fail(KAIROS_ENOMEM, "out of memory parsing YAML");
    for (size_t i = 0; i < count; i++) {
        int rc;
        if (is_map) {
            yaml_node_pair_t *p = &y->data.mapping.pairs.start[i];
            rc = to_tree(c, yaml_document_get_node(c->doc, p->key), depth + 1, &n->keys[i]);
            if (!rc)
                rc = to_tree(c, yaml_document_get_node(c->doc, p->value), depth + 1, &n->items[i]);
            n->n = i + 1;
            if (!rc && (!n->keys[i] || !n->items[i]))
                rc = kairos__fail(KAIROS_EPARSE, "line %zu: incomplete mapping pair", n->line);
            if (!rc && n->keys[i]->kind != KK_SCALAR)
                rc = kairos__fail(KAIROS_EPARSE, "line %zu: mapping keys must be scalars",
                                  n->keys[i]->line);
        } else {
            yaml_node_item_t it = y->data.sequence.items.start[i];
            rc = to_tree(c, yaml_document_get_node(c->doc, it), depth + 1, &n->items[i]);
            n->n = i + 1;
            if (!rc && !n->items[i])
                rc = kairos__fail(KAIROS_EPARSE, "line %zu: bad sequence item", n->line);
        }
        if (rc)
            return rc;
    }
    return KAIROS_OK;
}

void kk_docs_free(kk_docs *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        node_free(d->docs[i]);
    free(d->docs);
    memset(d, 0, sizeof *d);
}

static int push_doc(kk_docs *d, kk_node *root)
{
    kk_node **p = realloc(d->docs, (d->n + 1) * sizeof *p);
    if (!p) {
        node_free(root);
        return kairos__fail(KAIROS_ENOMEM, "out of memory parsing YAML");
    }
    d->docs = p;
    d->docs[d->n++] = root;
    return KAIROS_OK;
}

int kk_parse(const char *text, size_t len, kk_docs *out)
{
    memset(out, 0, sizeof *out);
    out->budget = NODE_BUDGET;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return kairos__fail(KAIROS_ENOMEM, "out of memory starting the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = KAIROS_OK;
    for (;;) {
        yaml_document_t doc;
        if (!yaml_parser_load(&parser, &doc)) {
            rc = parser.error == YAML_MEMORY_ERROR
                     ? kairos__fail(KAIROS_ENOMEM, "out of memory parsing YAML")
                     : kairos__fail(KAIROS_EPARSE, "line %lu: %s%s%s",
                                    (unsigned long)parser.problem_mark.line + 1,
                                    parser.problem ? parser.problem : "invalid YAML",
                                    parser.context ? " " : "",
                                    parser.context ? parser.context : "");
            break;
        }
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (!root) { /* libyaml hands back an empty document at the end of the stream */
            yaml_document_delete(&doc);
            break;
        }
        convert c = {&doc, &out->budget};
        kk_node *tree = NULL;
        rc = to_tree(&c, root, 0, &tree);
        yaml_document_delete(&doc);
        if (rc) {
            node_free(tree);
            break;
        }
        rc = push_doc(out, tree);
        if (rc)
            break;
    }
    yaml_parser_delete(&parser);
    if (rc)
        kk_docs_free(out);
    return rc;
}
