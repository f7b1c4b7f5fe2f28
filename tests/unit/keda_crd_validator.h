/* A strict validator for KEDA's CRD openAPIV3Schema, used by test_keda.c.
 *
 * It walks the schema the way the API server does with field validation "Strict": unknown
 * fields are errors; type, format int32, enum, minimum/maximum, minLength, minItems, pattern,
 * required, items, additionalProperties, nullable, x-kubernetes-int-or-string and
 * x-kubernetes-preserve-unknown-fields are honoured. The root `metadata` (ObjectMeta, which the
 * CRD leaves open) accepts name, namespace, labels and annotations only. CEL rules
 * (x-kubernetes-validations) are not interpreted; the one ScaledObject rule (min <= max) is
 * checked by the caller. Included by exactly one test file, so everything is static. */
#ifndef KAIROS_TEST_KEDA_CRD_VALIDATOR_H
#define KAIROS_TEST_KEDA_CRD_VALIDATOR_H

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "keda/keda_internal.h"

typedef struct crd_errors {
    char   text[4096];
    size_t n;
} crd_errors;

static void crd_err(crd_errors *e, const char *path, const char *what)
{
    size_t used = strlen(e->text);
    if (used + 200 < sizeof e->text)
        snprintf(e->text + used, sizeof e->text - used, "%s: %s\n", *path ? path : "(root)", what);
    e->n++;
}

static int crd_bool(const kk_node *schema, const char *key)
{
    const char *v = kk_get_str(schema, key);
    return v && strcmp(v, "true") == 0;
}

static void crd_validate(const kk_node *schema, const kk_node *v, const char *path, int root,
                         crd_errors *e);

static void crd_object_meta(const kk_node *v, const char *path, crd_errors *e)
{
    char sub[600];
    for (size_t i = 0; i < v->n; i++) {
        const char *k = v->keys[i]->str;
        snprintf(sub, sizeof sub, "%.400s.%.150s", path, k);
        const kk_node *x = v->items[i];
        if (!strcmp(k, "name") || !strcmp(k, "namespace")) {
            if (kk_scalar_type(x) != KK_STRING)
                crd_err(e, sub, "must be a string");
        } else if (!strcmp(k, "labels") || !strcmp(k, "annotations")) {
            if (x->kind != KK_MAP) {
                crd_err(e, sub, "must be a map");
                continue;
            }
            for (size_t j = 0; j < x->n; j++)
                if (kk_scalar_type(x->items[j]) != KK_STRING)
                    crd_err(e, sub, "values must be strings");
        } else {
            crd_err(e, sub, "unknown ObjectMeta field");
        }
    }
}

static void crd_object(const kk_node *schema, const kk_node *v, const char *path, int root,
                       crd_errors *e)
{
    char sub[600];
    const kk_node *props = kk_get(schema, "properties");
    const kk_node *addl = kk_get(schema, "additionalProperties");
    int preserve = crd_bool(schema, "x-kubernetes-preserve-unknown-fields");
    for (size_t i = 0; i < v->n; i++) {
        const char *k = v->keys[i]->str;
        snprintf(sub, sizeof sub, "%.400s%s%.150s", path, *path ? "." : "", k);
        const kk_node *ps = kk_get(props, k);
        if (ps) {
            if (root && !strcmp(k, "metadata") && !kk_get(ps, "properties")) {
                if (v->items[i]->kind != KK_MAP)
                    crd_err(e, sub, "metadata must be a map");
                else
                    crd_object_meta(v->items[i], sub, e);
                continue;
            }
            crd_validate(ps, v->items[i], sub, 0, e);
        } else if (addl && addl->kind == KK_MAP) {
            crd_validate(addl, v->items[i], sub, 0, e);
        } else if (!preserve && !(addl && kk_scalar_type(addl) == KK_BOOL &&
                                  !strcmp(addl->str, "true"))) {
            crd_err(e, sub, "unknown field (strict)");
        }
    }
    const kk_node *req = kk_get(schema, "required");
    for (size_t i = 0; req && req->kind == KK_SEQ && i < req->n; i++)
        if (!kk_get(v, req->items[i]->str)) {
            snprintf(sub, sizeof sub, "%.400s%s%.150s", path, *path ? "." : "", req->items[i]->str);
            crd_err(e, sub, "required field missing");
        }
}

static int crd_match(const char *pattern, const char *s)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return 1; /* a pattern POSIX cannot express is not held against the value */
    int ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static void crd_scalar(const kk_node *schema, const kk_node *v, const char *type, const char *path,
                       crd_errors *e)
{
    int st = kk_scalar_type(v);
    double x = 0;
    if (!strcmp(type, "string")) {
        if (st != KK_STRING)
            { crd_err(e, path, "must be a string"); return; }
        const char *min_len = kk_get_str(schema, "minLength");
        if (min_len && strlen(v->str) < (size_t)atoi(min_len))
            crd_err(e, path, "shorter than minLength");
        const char *pat = kk_get_str(schema, "pattern");
        if (pat && !crd_match(pat, v->str))
            crd_err(e, path, "does not match pattern");
    } else if (!strcmp(type, "integer")) {
        if (st != KK_INT || !kk_parse_number(v->str, &x))
            { crd_err(e, path, "must be an integer"); return; }
        const char *fmt = kk_get_str(schema, "format");
        if (fmt && !strcmp(fmt, "int32") && (x < -2147483648.0 || x > 2147483647.0))
            crd_err(e, path, "outside int32");
    } else if (!strcmp(type, "number")) {
        if ((st != KK_INT && st != KK_FLOAT) || !kk_parse_number(v->str, &x))
            { crd_err(e, path, "must be a number"); return; }
    } else if (!strcmp(type, "boolean")) {
        if (st != KK_BOOL || (strcmp(v->str, "true") && strcmp(v->str, "false")))
            { crd_err(e, path, "must be a boolean (true/false)"); return; }
    } else {
        { crd_err(e, path, "scalar where the schema wants a collection"); return; }
    }
    double lim;
    if (kk_parse_number(kk_get_str(schema, "minimum"), &lim) && x < lim)
        crd_err(e, path, "below minimum");
    if (kk_parse_number(kk_get_str(schema, "maximum"), &lim) && x > lim)
        crd_err(e, path, "above maximum");
    const kk_node *en = kk_get(schema, "enum");
    if (en && en->kind == KK_SEQ) {
        int found = 0;
        for (size_t i = 0; i < en->n; i++)
            found |= en->items[i]->kind == KK_SCALAR && !strcmp(en->items[i]->str, v->str);
        if (!found)
            crd_err(e, path, "not in enum");
    }
}

static void crd_validate(const kk_node *schema, const kk_node *v, const char *path, int root,
                         crd_errors *e)
{
    char sub[600];
    if (kk_scalar_type(v) == KK_NULL) {
        if (!crd_bool(schema, "nullable"))
            crd_err(e, path, "null is not allowed");
        return;
    }
    if (crd_bool(schema, "x-kubernetes-int-or-string")) {
        int st = kk_scalar_type(v);
        if (st != KK_INT && st != KK_STRING)
            { crd_err(e, path, "must be an integer or a string"); return; }
        const char *pat = kk_get_str(schema, "pattern");
        if (st == KK_STRING && pat && !crd_match(pat, v->str))
            crd_err(e, path, "does not match pattern");
        return;
    }
    const char *type = kk_get_str(schema, "type");
    if (!type)
        return; /* untyped: only with preserve-unknown-fields in structural schemas */
    if (!strcmp(type, "object")) {
        if (v->kind != KK_MAP)
            { crd_err(e, path, "must be an object"); return; }
        crd_object(schema, v, path, root, e);
    } else if (!strcmp(type, "array")) {
        if (v->kind != KK_SEQ)
            { crd_err(e, path, "must be an array"); return; }
        const char *min_items = kk_get_str(schema, "minItems");
        if (min_items && v->n < (size_t)atoi(min_items))
            crd_err(e, path, "fewer than minItems");
        const kk_node *items = kk_get(schema, "items");
        for (size_t i = 0; items && i < v->n; i++) {
            snprintf(sub, sizeof sub, "%.400s[%zu]", path, i);
            crd_validate(items, v->items[i], sub, 0, e);
        }
    } else if (v->kind != KK_SCALAR) {
        crd_err(e, path, "must be a scalar");
    } else {
        crd_scalar(schema, v, type, path, e);
    }
}

/* The openAPIV3Schema of the first version of a parsed CRD. */
static const kk_node *crd_schema(const kk_node *crd)
{
    const kk_node *versions = kk_get(kk_get(crd, "spec"), "versions");
    if (!versions || versions->kind != KK_SEQ || versions->n == 0)
        return NULL;
    return kk_get(kk_get(versions->items[0], "schema"), "openAPIV3Schema");
}

#endif
