/* Private helpers of the keda module: the YAML emitter wrapper, the parsed-YAML tree, the
 * scalar resolver shared by generator and linter, and time helpers for cron windows. */
#ifndef KAIROS_KEDA_INTERNAL_H
#define KAIROS_KEDA_INTERNAL_H

#include <kairos/keda.h>
#include <yaml.h>
#include "core/internal.h"

/* ---- emitter: every call is a no-op once one has failed; kk_emit_finish reports it ---- */
typedef struct kk_emit {
    yaml_emitter_t em;
    kairos_buf     tmp;   /* output lands here, then is appended to the caller's buffer */
    int            rc;
    int            open;
} kk_emit;

int  kk_emit_start(kk_emit *e);
/* Close the document and stream; on success append to @p out. Always releases @p e. */
int  kk_emit_finish(kk_emit *e, kairos_buf *out);
void kk_map(kk_emit *e);
void kk_map_end(kk_emit *e);
void kk_seq(kk_emit *e);
void kk_seq_end(kk_emit *e);
void kk_str(kk_emit *e, const char *s);    /* plain when it reads back as a string */
void kk_qstr(kk_emit *e, const char *s);   /* always double-quoted */
void kk_int(kk_emit *e, long long v);
void kk_bool(kk_emit *e, int v);
void kk_kstr(kk_emit *e, const char *key, const char *s);
void kk_kqstr(kk_emit *e, const char *key, const char *s);
void kk_kint(kk_emit *e, const char *key, long long v);
/* apiVersion, kind, metadata {name, namespace} and the "spec" key, mapping left open. */
void kk_header(kk_emit *e, const char *api, const char *kind, const char *name, const char *ns);
void kk_trigger(kk_emit *e, const kairos_keda_trigger *t);

/* ---- plain scalar resolution as Kubernetes reads YAML (YAML 1.1 booleans included) ---- */
enum { KK_NULL, KK_BOOL, KK_INT, KK_FLOAT, KK_STRING };
int kk_resolve_plain(const char *s);
/* A decimal number (int or float literal, no inf/nan): 1 and *out set, else 0. */
int kk_parse_number(const char *s, double *out);
/* Shortest text of @p x rounded to 6 decimals, into out (>= 40 bytes). */
void kk_format_number(double x, char *out, size_t size);

/* ---- parsed YAML ---- */
typedef enum { KK_SCALAR, KK_MAP, KK_SEQ } kk_kind;
typedef struct kk_node kk_node;
struct kk_node {
    kk_kind   kind;
    char     *str;        /* scalar text */
    int       plain;      /* scalar was plain (untagged): resolve its type */
    int       tag_type;   /* explicit !!str/!!int... tag as KK_*, -1 when none */
    size_t    line;       /* 1-based */
    size_t    n;          /* map: pairs; seq: items */
    kk_node **keys;       /* map keys (scalars) */
    kk_node **items;      /* map values or sequence items */
};
/* Type of a scalar node as KK_* (tags win, plain scalars are resolved, quoted are strings). */
int kk_scalar_type(const kk_node *n);
/* Value of @p key in mapping @p map, or NULL. */
const kk_node *kk_get(const kk_node *map, const char *key);
/* Scalar text of @p key in @p map, or NULL when absent or not a scalar. */
const char *kk_get_str(const kk_node *map, const char *key);

typedef struct kk_docs {
    size_t    n;
    kk_node **docs;       /* root of each document (NULL for an empty document) */
    size_t    budget;     /* nodes left before the input is refused */
} kk_docs;
/* Parse every document of @p text. KAIROS_EPARSE with the line on bad YAML, KAIROS_EDATA
 * when nesting is deeper than 64 or aliases expand beyond the node budget. */
int  kk_parse(const char *text, size_t len, kk_docs *out);
void kk_docs_free(kk_docs *d);

/* ---- time ---- */
typedef struct kk_civil { int year, month, day, hour, minute; } kk_civil;
void kk_civil_from_unix(int64_t t, kk_civil *c);
int64_t kk_unix_from_civil(const kk_civil *c);
/* Resolve a user timezone: the IANA name to write and the offset (seconds east of UTC) the
 * cron fields must be computed in. Named zones without rules here map to Etc/UTC. */
int kk_timezone(const char *tz, char *name, size_t size, int32_t *offset_s);

/* ---- shared checks ---- */
int kairos__keda_check_plan(const kairos_keda_plan *p);
/* Stretches of equal replicas above @p floor_r: the windows before any merging. */
size_t kk_count_runs(const kairos_keda_plan *p, int32_t floor_r);
int kk_check_subdomain(const char *s, const char *what);
/* Validate a trigger given in full (type, metadata keys, metric type, auth name). */
int kk_check_trigger(const kairos_keda_trigger *t, size_t index);
int kk_is_cpu_memory(const char *type);

#endif
