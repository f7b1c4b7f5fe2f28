/* A thin layer over libyaml's emitter: events only, never hand-built YAML text. */
#include "keda_internal.h"

#include <stdio.h>
#include <string.h>

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    kk_emit *e = data;
    return kairos__buf_append(&e->tmp, (const char *)buffer, size) == KAIROS_OK;
}

static void emit(kk_emit *e, yaml_event_t *ev, int made)
{
    if (e->rc) {
        if (made)
            yaml_event_delete(ev);
        return;
    }
    if (!made) {
        e->rc = kairos__fail(KAIROS_ENOMEM, "out of memory building a YAML event");
        return;
    }
    if (!yaml_emitter_emit(&e->em, ev)) {
        /* The handler failing means the buffer could not grow; anything else is a bug in
         * the event sequence, reported rather than hidden. */
        e->rc = e->em.error == YAML_WRITER_ERROR
                    ? kairos__fail(KAIROS_ENOMEM, "out of memory writing YAML")
                    : kairos__fail(KAIROS_EINVAL, "YAML emitter: %s",
                                   e->em.problem ? e->em.problem : "unknown problem");
    }
}

int kk_emit_start(kk_emit *e)
{
    memset(e, 0, sizeof *e);
    if (!yaml_emitter_initialize(&e->em))
        return kairos__fail(KAIROS_ENOMEM, "out of memory starting the YAML emitter");
    e->open = 1;
    yaml_emitter_set_output(&e->em, write_handler, e);
    yaml_emitter_set_unicode(&e->em, 1);
    yaml_emitter_set_width(&e->em, -1);
    yaml_emitter_set_indent(&e->em, 2);
    yaml_event_t ev;
    emit(e, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
    emit(e, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0));
    return e->rc;
}

int kk_emit_finish(kk_emit *e, kairos_buf *out)
{
    yaml_event_t ev;
    emit(e, &ev, yaml_document_end_event_initialize(&ev, 1));
    emit(e, &ev, yaml_stream_end_event_initialize(&ev));
    if (!e->rc && !yaml_emitter_flush(&e->em))
        e->rc = kairos__fail(KAIROS_ENOMEM, "out of memory writing YAML");
    if (!e->rc) {
        /* Documents are separated with "---" so several manifests concatenate cleanly. */
        if (out->len && (!e->tmp.len || strncmp(e->tmp.data, "---", 3) != 0))
            e->rc = kairos__buf_puts(out, "---\n");
        if (!e->rc)
            e->rc = kairos__buf_append(out, e->tmp.data ? e->tmp.data : "", e->tmp.len);
    }
    if (e->open)
        yaml_emitter_delete(&e->em);
    e->open = 0;
    kairos_buf_dispose(&e->tmp);
    return e->rc;
}

void kk_map(kk_emit *e)
{
    yaml_event_t ev;
    emit(e, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE));
}

void kk_map_end(kk_emit *e)
{
    yaml_event_t ev;
    emit(e, &ev, yaml_mapping_end_event_initialize(&ev));
}

void kk_seq(kk_emit *e)
{
    yaml_event_t ev;
    emit(e, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
}

void kk_seq_end(kk_emit *e)
{
    yaml_event_t ev;
    emit(e, &ev, yaml_sequence_end_event_initialize(&ev));
}

static void scalar(kk_emit *e, const char *s, yaml_scalar_style_t style)
{
    yaml_event_t ev;
    emit(e, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)(uintptr_t)s,
                                              (int)strlen(s), 1, 1, style));
}

void kk_str(kk_emit *e, const char *s)
{
    /* A plain "true", "10" or "~" would read back as a bool, int or null: quote those. */
    scalar(e, s, kk_resolve_plain(s) == KK_STRING ? YAML_ANY_SCALAR_STYLE
                                                  : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

void kk_qstr(kk_emit *e, const char *s)
{
    scalar(e, s, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

void kk_int(kk_emit *e, long long v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", v);
    scalar(e, tmp, YAML_PLAIN_SCALAR_STYLE);
}

void kk_bool(kk_emit *e, int v)
{
    scalar(e, v ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
}

void kk_kstr(kk_emit *e, const char *key, const char *s)
{
    kk_str(e, key);
    kk_str(e, s);
}

void kk_kqstr(kk_emit *e, const char *key, const char *s)
{
    kk_str(e, key);
    kk_qstr(e, s);
}

void kk_kint(kk_emit *e, const char *key, long long v)
{
    kk_str(e, key);
    kk_int(e, v);
}

void kk_header(kk_emit *e, const char *api, const char *kind, const char *name, const char *ns)
{
    kk_map(e);
    kk_kstr(e, "apiVersion", api);
    kk_kstr(e, "kind", kind);
    kk_str(e, "metadata");
    kk_map(e);
    kk_kstr(e, "name", name);
    if (ns && *ns)
        kk_kstr(e, "namespace", ns);
    kk_str(e, "labels");
    kk_map(e);
    kk_kstr(e, "app.kubernetes.io/managed-by", "kairos");
    kk_map_end(e);
    kk_map_end(e);
    kk_str(e, "spec");
}

void kk_trigger(kk_emit *e, const kairos_keda_trigger *t)
{
    kk_map(e);
    kk_kstr(e, "type", t->type);
    if (t->name)
        kk_kstr(e, "name", t->name);
    if (t->metric_type)
        kk_kstr(e, "metricType", t->metric_type);
    if (t->use_cached_metrics) {
        kk_str(e, "useCachedMetrics");
        kk_bool(e, 1);
    }
    kk_str(e, "metadata");
    kk_map(e);
    for (size_t i = 0; i < t->n_metadata; i++)
        kk_kqstr(e, t->metadata[i].key, t->metadata[i].value);
    kk_map_end(e);
    if (t->auth_name) {
        kk_str(e, "authenticationRef");
        kk_map(e);
        kk_kstr(e, "name", t->auth_name);
        if (t->auth_cluster)
            kk_kstr(e, "kind", "ClusterTriggerAuthentication");
        kk_map_end(e);
    }
    kk_map_end(e);
}
