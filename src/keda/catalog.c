/* Queries over the generated scaler catalog. */
#include "keda_internal.h"
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

size_t kairos_keda_catalog_count(void)
{
    return kk_catalog_n;
}

const kairos_keda_scaler *kairos_keda_catalog_get(size_t i)
{
    return i < kk_catalog_n ? &kk_catalog[i] : NULL;
}

static int by_type(const void *key, const void *elem)
{
    return strcmp(key, ((const kairos_keda_scaler *)elem)->type);
}

const kairos_keda_scaler *kairos_keda_catalog_find(const char *type)
{
    if (!type)
        return NULL;
    return bsearch(type, kk_catalog, kk_catalog_n, sizeof kk_catalog[0], by_type);
}

const kairos_keda_param *kairos_keda_scaler_param(const kairos_keda_scaler *scaler,
                                                 const char *name)
{
    for (size_t i = 0; scaler && name && i < scaler->n_params; i++)
        if (strcmp(scaler->params[i].name, name) == 0)
            return &scaler->params[i];
    return NULL;
}

const char *kairos_keda_catalog_keda_version(void)
{
    return kk_catalog_keda_version;
}

static int text_scaler(kairos_buf *b, const kairos_keda_scaler *s)
{
    int rc = kairos__buf_printf(b, "%s%s\n", s->type, s->curated ? "" : " (required keys as "
                                                                       "published by KEDA)");
    if (!rc && s->target_key)
        rc = kairos__buf_printf(b, "  target: %s%s%s\n", s->target_key,
                                s->activation_key ? "  activation: " : "",
                                s->activation_key ? s->activation_key : "");
    for (size_t i = 0; !rc && i < s->n_params; i++) {
        const kairos_keda_param *p = &s->params[i];
        rc = kairos__buf_printf(b, "  %-32s %-8s%s%s%s%s%s%s%s%s\n", p->name,
                                p->flags & KAIROS_KEDA_PARAM_REQUIRED ? "required" : "optional",
                                p->flags & KAIROS_KEDA_PARAM_METADATA ? " metadata" : "",
                                p->flags & KAIROS_KEDA_PARAM_ENV ? " env" : "",
                                p->flags & KAIROS_KEDA_PARAM_AUTH ? " auth" : "",
                                p->default_value ? " default=" : "",
                                p->default_value ? p->default_value : "",
                                p->allowed ? " one of " : "", p->allowed ? p->allowed : "",
                                p->flags & KAIROS_KEDA_PARAM_DEPRECATED ? " DEPRECATED" : "");
    }
    return rc;
}

static int json_opt(kairos_buf *b, const char *key, const char *v)
{
    int rc = kairos__buf_printf(b, ",\"%s\":", key);
    if (!rc)
        rc = v ? kairos__buf_json_string(b, v) : kairos__buf_puts(b, "null");
    return rc;
}

static int json_scaler(kairos_buf *b, const kairos_keda_scaler *s)
{
    int rc = kairos__buf_puts(b, "{\"type\":");
    if (!rc) rc = kairos__buf_json_string(b, s->type);
    if (!rc) rc = json_opt(b, "target", s->target_key);
    if (!rc) rc = json_opt(b, "activation", s->activation_key);
    if (!rc) rc = kairos__buf_printf(b, ",\"curated\":%s,\"parameters\":[",
                                     s->curated ? "true" : "false");
    for (size_t i = 0; !rc && i < s->n_params; i++) {
        const kairos_keda_param *p = &s->params[i];
        rc = kairos__buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
        if (!rc) rc = kairos__buf_json_string(b, p->name);
        if (!rc) rc = kairos__buf_printf(b, ",\"required\":%s,\"metadata\":%s,\"env\":%s,"
                                            "\"auth\":%s,\"deprecated\":%s",
            p->flags & KAIROS_KEDA_PARAM_REQUIRED ? "true" : "false",
            p->flags & KAIROS_KEDA_PARAM_METADATA ? "true" : "false",
            p->flags & KAIROS_KEDA_PARAM_ENV ? "true" : "false",
            p->flags & KAIROS_KEDA_PARAM_AUTH ? "true" : "false",
            p->flags & KAIROS_KEDA_PARAM_DEPRECATED ? "true" : "false");
        if (!rc) rc = json_opt(b, "default", p->default_value);
        if (!rc) rc = json_opt(b, "allowed", p->allowed);
        if (!rc) rc = kairos__buf_puts(b, "}");
    }
    return rc ? rc : kairos__buf_puts(b, "]}");
}

int kairos_keda_catalog_describe(const char *type, kairos_keda_format format, kairos_buf *out)
{
    if (!out || (format != KAIROS_KEDA_FORMAT_TEXT && format != KAIROS_KEDA_FORMAT_JSON))
        return kairos__fail(KAIROS_EINVAL, "catalog description needs a buffer and a known format");
    const kairos_keda_scaler *one = NULL;
    if (type && !(one = kairos_keda_catalog_find(type)))
        return kairos__fail(KAIROS_EINVAL, "unknown scaler type '%s'", type);
    kairos_buf tmp = KAIROS_BUF_INIT;
    int json = format == KAIROS_KEDA_FORMAT_JSON, rc = KAIROS_OK;
    if (json && !one)
        rc = kairos__buf_puts(&tmp, "{\"scalers\":[");
    size_t first = one ? (size_t)(one - kk_catalog) : 0, last = one ? first + 1 : kk_catalog_n;
    for (size_t i = first; !rc && i < last; i++) {
        if (json && i > first)
            rc = kairos__buf_puts(&tmp, ",");
        if (!rc)
            rc = json ? json_scaler(&tmp, &kk_catalog[i]) : text_scaler(&tmp, &kk_catalog[i]);
    }
    if (!rc && json)
        rc = kairos__buf_puts(&tmp, one ? "\n" : "]}\n");
    if (!rc)
        rc = kairos__buf_append(out, tmp.data ? tmp.data : "", tmp.len);
    kairos_buf_dispose(&tmp);
    return rc;
}
