/* The linter's context, shared by the schema walk and the semantic rules. */
#ifndef KAIROS_KEDA_LINT_INTERNAL_H
#define KAIROS_KEDA_LINT_INTERNAL_H

#include "keda_internal.h"

typedef struct kk_lint_ctx {
    kairos_keda_finding *f;
    size_t               n, cap;
    size_t               doc;
    const char          *kind;   /* borrowed from the tree for the document being linted */
    const char          *name;
    int                  rc;     /* sticky: ENOMEM */
} kk_lint_ctx;

/* Record a finding of @p rule (default severity) at @p node (for the line) and @p path. */
void kk_find(kk_lint_ctx *c, const char *rule, const kk_node *node, const char *path,
             const char *fmt, ...) KAIROS_PRINTF(5, 6);
/* Same with an explicit severity. */
void kk_find_sev(kk_lint_ctx *c, const char *rule, kairos_keda_severity sev, const kk_node *node,
                 const char *path, const char *fmt, ...) KAIROS_PRINTF(6, 7);

/* "a.b" + ".c" / "[3]" into out (always NUL-terminated, truncated when very long). */
void kk_path(char *out, size_t size, const char *base, const char *key, long index);

/* A compact copy of the CRD structure (tests/unit/test_keda.c checks it against the CRDs). */
typedef enum { KS_STR, KS_INT /* int32 */, KS_INT64, KS_BOOL, KS_OBJ, KS_ARR_OBJ, KS_ARR_STR, KS_MAP_STR, KS_ANY,
               KS_INT_STR } kk_stype;
typedef struct kk_sfield {
    const char             *name;
    kk_stype                type;
    int                     required;
    const struct kk_sfield *sub;      /* KS_OBJ fields, KS_ARR_OBJ item fields ({NULL} ends) */
    const char             *enums;    /* allowed values separated by '|', or NULL */
    int                     minimum;  /* KS_INT lower bound (minItems for arrays), -1 = none */
} kk_sfield;
/* Top-level fields of @p kind (apiVersion, kind, metadata, spec, status), or NULL. */
const kk_sfield *kk_schema_for(const char *kind);

/* The CRD structure of @p kind checked on @p root (schema-* rules). 0 when kind is unknown. */
int kk_lint_schema(kk_lint_ctx *c, const kk_node *root, const char *kind);
/* The semantic rules of one resource. */
void kk_lint_rules(kk_lint_ctx *c, const kk_node *root, const char *kind);

/* An integer scalar at @p key: 1 and *out set; 0 when absent or not an integer. */
int kk_get_int(const kk_node *map, const char *key, long long *out);

#endif
