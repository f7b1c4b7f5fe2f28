/** @file kairos/keda.h
 *  @brief KEDA manifests: generate them from a replica plan, look up scalers, lint them.
 *
 *  Three parts:
 *  - generation: ScaledObject (cron, external, prometheus, cpu and memory modes), ScaledJob,
 *    TriggerAuthentication / ClusterTriggerAuthentication and the HTTP add-on's
 *    HTTPScaledObject, written with libyaml's emitter into a #kairos_buf;
 *  - a scaler catalog generated at build time from KEDA's scaler metadata schema;
 *  - a linter that parses multi-document YAML and reports findings with stable rule ids.
 *
 *  The plan is passed as plain arrays so this module does not depend on the planner.
 *  Every metadata value is written as a double-quoted YAML string (KEDA requires strings);
 *  every object name is checked as a DNS-1123 label (at most 63 characters of `[a-z0-9-]`,
 *  starting and ending with an alphanumeric).
 *
 *  Thread-safety: every function is safe to call from several threads at once on different
 *  arguments; the catalog and rule tables are static and read-only.
 */
#ifndef KAIROS_KEDA_H
#define KAIROS_KEDA_H

#include <kairos/common.h>

KAIROS_BEGIN_DECLS

/* ------------------------------------------------------------------------------------------ */
/* Inputs shared by the generators                                                            */

/** A replica plan: all arrays borrowed for the call. */
typedef struct kairos_keda_plan {
    unsigned       version;        /**< KAIROS_KEDA_PLAN_VERSION */
    size_t         n_steps;        /**< number of steps, >= 1 */
    const int64_t *timestamps;     /**< start of each step, Unix seconds, strictly increasing */
    int64_t        step_s;         /**< length of one step in seconds, >= 1 */
    const int32_t *replicas;       /**< replicas per step; exactly one of replicas / */
    const size_t  *replicas_size;  /**< replicas_size must be non-NULL */
    /* new fields are appended, never inserted */
} kairos_keda_plan;
#define KAIROS_KEDA_PLAN_VERSION 1
#define KAIROS_KEDA_PLAN_INIT { KAIROS_KEDA_PLAN_VERSION, 0, NULL, 0, NULL, NULL }
/** Same as KAIROS_KEDA_PLAN_INIT, for bindings. @return KAIROS_OK or KAIROS_EVERSION. */
KAIROS_API int kairos_keda_plan_init(kairos_keda_plan *plan, unsigned version);

/** One metadata entry; both strings borrowed. */
typedef struct kairos_keda_kv {
    const char *key;
    const char *value;
} kairos_keda_kv;

/** A trigger given in full (ScaledJob triggers, extra ScaledObject triggers). */
typedef struct kairos_keda_trigger {
    const char           *type;          /**< scaler type, e.g. "kafka" (required) */
    const char           *name;          /**< trigger name; NULL = derived, unique */
    const char           *metric_type;   /**< "AverageValue", "Value", "Utilization" or NULL */
    const kairos_keda_kv *metadata;      /**< n_metadata entries, values written as strings */
    size_t                n_metadata;
    const char           *auth_name;     /**< authenticationRef.name or NULL */
    int                   auth_cluster;  /**< nonzero: kind ClusterTriggerAuthentication */
    int                   use_cached_metrics; /**< nonzero: useCachedMetrics: true */
} kairos_keda_trigger;

/** How a ScaledObject carries the forecast to KEDA. */
typedef enum kairos_keda_mode {
    KAIROS_KEDA_MODE_CRON       = 0, /**< predictive cron windows, nothing of kairos runs */
    KAIROS_KEDA_MODE_EXTERNAL   = 1, /**< an external (or external-push) scaler service */
    KAIROS_KEDA_MODE_PROMETHEUS = 2, /**< reactive prometheus trigger, threshold from the plan */
    KAIROS_KEDA_MODE_CPU        = 3, /**< reactive cpu trigger */
    KAIROS_KEDA_MODE_MEMORY     = 4  /**< reactive memory trigger */
} kairos_keda_mode;

/**
 * ScaledObject options. Integers set to -1 are left out of the manifest (KEDA's default
 * applies). Strings are borrowed for the call.
 */
typedef struct kairos_keda_so_opts {
    unsigned    version;              /**< KAIROS_KEDA_SO_OPTS_VERSION */
    const char *name;                 /**< metadata.name, DNS-1123 label (required) */
    const char *ns;                   /**< metadata.namespace or NULL */
    kairos_keda_mode mode;
    const char *target_kind;          /**< scaleTargetRef.kind; NULL = "Deployment" */
    const char *target_api_version;   /**< NULL = "apps/v1" */
    const char *target_name;          /**< NULL = name */
    int32_t     polling_interval_s;   /**< -1 = omit (KEDA: 30) */
    int32_t     cooldown_period_s;    /**< -1 = omit (KEDA: 300) */
    int32_t     initial_cooldown_period_s; /**< -1 = omit (KEDA: 0) */
    int32_t     min_replicas;         /**< minReplicaCount, >= 0 */
    int32_t     max_replicas;         /**< maxReplicaCount, >= 1; raised to the plan's peak */
    int32_t     idle_replicas;        /**< -1 = omit; else < min_replicas */
    int32_t     fallback_replicas;    /**< -1 = no fallback */
    int32_t     fallback_failure_threshold; /**< used with fallback_replicas; default 3 */
    /* HPA behavior, from the plan options: emitted when any is set (> 0). */
    double      max_up_factor;        /**< per period: replicas may grow to factor × current */
    double      max_down_fraction;    /**< per period: at most this share removed, in (0,1] */
    int32_t     stabilization_s;      /**< scale-down stabilization window; -1 = omit */
    int32_t     policy_period_s;      /**< periodSeconds of the policies; 0 = step_s (1..1800) */
    /* the trigger */
    const char *metric_type;          /**< NULL = the mode's natural type */
    const char *auth_name;            /**< authenticationRef for the mode's trigger, or NULL */
    int         auth_cluster;         /**< nonzero: ClusterTriggerAuthentication */
    /* cron */
    const char *timezone;             /**< "UTC", "+02:00", "UTC-5", "Etc/GMT-2", or an IANA name */
    size_t      max_windows;          /**< at most this many cron windows; 0 = 24 */
    /* external */
    const char *scaler_address;       /**< host:port of the external scaler */
    int         external_push;        /**< nonzero: type external-push */
    const char *external_metric;      /**< metadata "metric"; NULL = omitted */
    /* prometheus / cpu / memory */
    const char *prometheus_server;    /**< serverAddress */
    const char *query;                /**< PromQL giving the total load */
    double      threshold;            /**< explicit threshold; NaN or <= 0 = derived */
    double      target_per_replica;   /**< load one replica carries at target */
    double      headroom;             /**< >= 1; threshold = target / headroom; 0 = 1 */
    double      activation_threshold; /**< activation threshold; NaN or < 0 = 0 */
    double      cpu_request_cores;    /**< cpu mode: request per pod (Utilization); 0 = AverageValue */
    double      memory_request_bytes; /**< memory mode: request per pod; 0 = AverageValue */
    /* extras */
    const kairos_keda_kv      *extra_metadata; /**< appended to the mode's trigger metadata */
    size_t                     n_extra_metadata;
    const kairos_keda_trigger *extra_triggers; /**< appended after the mode's triggers */
    size_t                     n_extra_triggers;
    const char *scaling_formula;      /**< advanced.scalingModifiers.formula or NULL */
    const char *scaling_target;       /**< scalingModifiers.target (needed with formula) */
    /* new fields are appended, never inserted */
} kairos_keda_so_opts;
#define KAIROS_KEDA_SO_OPTS_VERSION 1
#define KAIROS_KEDA_SO_OPTS_INIT { KAIROS_KEDA_SO_OPTS_VERSION, NULL, NULL, \
    KAIROS_KEDA_MODE_CRON, NULL, NULL, NULL, -1, -1, -1, 1, 100, -1, -1, 3, \
    0.0, 0.0, -1, 0, NULL, NULL, 0, NULL, 0, NULL, 0, NULL, NULL, NULL, \
    0.0, 0.0, 1.0, 0.0, 0.0, 0.0, NULL, 0, NULL, 0, NULL, NULL }
/** Same as KAIROS_KEDA_SO_OPTS_INIT, for bindings. @return KAIROS_OK or KAIROS_EVERSION. */
KAIROS_API int kairos_keda_so_opts_init(kairos_keda_so_opts *opts, unsigned version);

/** What the generator decided. */
typedef struct kairos_keda_report {
    unsigned version;             /**< KAIROS_KEDA_REPORT_VERSION */
    size_t   n_windows;           /**< cron mode: windows written */
    size_t   n_windows_unmerged;  /**< cron mode: windows before merging */
    double   extra_replica_hours; /**< cron mode: capacity added over the plan (floor min) */
    int32_t  peak_replicas;       /**< highest replicas in the plan */
    int32_t  max_replicas;        /**< maxReplicaCount written */
    double   threshold;           /**< reactive modes: the threshold written */
    char     timezone[64];        /**< cron mode: the timezone written into the triggers */
} kairos_keda_report;
#define KAIROS_KEDA_REPORT_VERSION 1

/** One cron window: [start, end) in Unix seconds, whole minutes. */
typedef struct kairos_keda_window {
    int64_t start;
    int64_t end;
    int32_t desired_replicas;
} kairos_keda_window;

/**
 * Compress a plan into at most @p max_windows windows that only add capacity: at every step,
 * max(min_replicas, the desired replicas of the window covering it) >= the planned replicas.
 * Steps at or below @p min_replicas need no window. Neighbouring windows are merged cheapest
 * first (cost = replica-seconds added). Window edges are rounded outwards to whole minutes.
 * @param windows  caller-owned, room for @p cap windows (cap >= max_windows is enough)
 * @param n_out    receives the number of windows
 * @param extra_replica_hours  receives the capacity added, at step resolution; may be NULL
 * @return KAIROS_OK; KAIROS_EINVAL (bad plan, max_windows 0, cap too small);
 *   KAIROS_ENOMEM; KAIROS_EVERSION. Thread-safety: safe.
 */
KAIROS_API int kairos_keda_cron_windows(const kairos_keda_plan *plan, int32_t min_replicas,
                                        size_t max_windows, kairos_keda_window *windows,
                                        size_t cap, size_t *n_out, double *extra_replica_hours);

/**
 * Write a ScaledObject for @p plan.
 * Timezones (cron mode): "UTC"/"Etc/UTC"/"Z" are written as "Etc/UTC"; fixed offsets
 * ("+02:00", "UTC+2", "-0530") in whole hours are written as the matching "Etc/GMT∓N" zone
 * (IANA inverts the sign) with times in that offset; other offsets, and named zones such as
 * "Europe/Paris" whose daylight-saving rules this library does not carry, are written in
 * "Etc/UTC" — the same instants — and @p report says which zone was used.
 * Cron expressions are "M H DoM Mon *": a window recurs yearly, so the plan must span less
 * than 365 days.
 * @param out     appended to; caller disposes with kairos_buf_dispose()
 * @param report  may be NULL; filled on success
 * @return KAIROS_OK; KAIROS_EINVAL (bad name, missing scaler address/query, bad plan, with a
 *   message); KAIROS_ERANGE (plan too long for yearly cron); KAIROS_EVERSION; KAIROS_ENOMEM.
 *   On failure @p out is left as it was. Thread-safety: safe.
 */
KAIROS_API int kairos_keda_scaled_object(const kairos_keda_plan *plan,
                                         const kairos_keda_so_opts *opts, kairos_buf *out,
                                         kairos_keda_report *report);

/** ScaledJob options. */
typedef struct kairos_keda_sj_opts {
    unsigned    version;            /**< KAIROS_KEDA_SJ_OPTS_VERSION */
    const char *name;               /**< DNS-1123 label (required) */
    const char *ns;                 /**< or NULL */
    const char *image;              /**< container image (required) */
    const char *container_name;     /**< NULL = name */
    const char *const *args;        /**< container args, n_args entries */
    size_t      n_args;
    int32_t     polling_interval_s; /**< -1 = omit */
    int32_t     min_replicas;       /**< -1 = omit */
    int32_t     max_replicas;       /**< -1 = omit */
    int32_t     successful_jobs_history; /**< -1 = omit */
    int32_t     failed_jobs_history;     /**< -1 = omit */
    const char *scaling_strategy;   /**< "default", "custom", "accurate", "eager" or NULL */
    int32_t     backoff_limit;      /**< jobTargetRef.backoffLimit; -1 = omit */
    const kairos_keda_trigger *triggers; /**< >= 1 */
    size_t      n_triggers;
    /* new fields are appended, never inserted */
} kairos_keda_sj_opts;
#define KAIROS_KEDA_SJ_OPTS_VERSION 1
#define KAIROS_KEDA_SJ_OPTS_INIT { KAIROS_KEDA_SJ_OPTS_VERSION, NULL, NULL, NULL, NULL, \
    NULL, 0, -1, -1, -1, -1, -1, NULL, -1, NULL, 0 }
/** Same as KAIROS_KEDA_SJ_OPTS_INIT, for bindings. @return KAIROS_OK or KAIROS_EVERSION. */
KAIROS_API int kairos_keda_sj_opts_init(kairos_keda_sj_opts *opts, unsigned version);

/**
 * Write a ScaledJob. @return KAIROS_OK; KAIROS_EINVAL (bad names, no trigger, no image);
 * KAIROS_EVERSION; KAIROS_ENOMEM. @p out is appended to and left as it was on failure.
 * Thread-safety: safe.
 */
KAIROS_API int kairos_keda_scaled_job(const kairos_keda_sj_opts *opts, kairos_buf *out);

/** A Secret key exposed as a trigger parameter. */
typedef struct kairos_keda_secret_ref {
    const char *parameter;   /**< trigger parameter, e.g. "password" */
    const char *secret;      /**< Secret name (DNS-1123 subdomain) */
    const char *key;         /**< key inside the Secret */
} kairos_keda_secret_ref;

/** An environment variable of the target's container exposed as a parameter. */
typedef struct kairos_keda_env_ref {
    const char *parameter;
    const char *env_name;
    const char *container;   /**< or NULL */
} kairos_keda_env_ref;

/** Pod identity providers KEDA knows. */
typedef enum kairos_keda_identity {
    KAIROS_KEDA_IDENTITY_NONE           = 0, /**< no podIdentity block */
    KAIROS_KEDA_IDENTITY_AZURE_WORKLOAD = 1, /**< "azure-workload" */
    KAIROS_KEDA_IDENTITY_AWS            = 2, /**< "aws" */
    KAIROS_KEDA_IDENTITY_GCP            = 3, /**< "gcp" */
    KAIROS_KEDA_IDENTITY_AWS_EKS        = 4  /**< "aws-eks" (deprecated by KEDA, prefer aws) */
} kairos_keda_identity;

/** TriggerAuthentication / ClusterTriggerAuthentication options. */
typedef struct kairos_keda_auth_opts {
    unsigned    version;          /**< KAIROS_KEDA_AUTH_OPTS_VERSION */
    const char *name;             /**< DNS-1123 label (required) */
    const char *ns;               /**< namespaced kind only; ignored for the cluster kind */
    int         cluster;          /**< nonzero: ClusterTriggerAuthentication */
    const kairos_keda_secret_ref *secrets;
    size_t      n_secrets;
    const kairos_keda_env_ref    *env;
    size_t      n_env;
    kairos_keda_identity identity;
    const char *identity_id;      /**< azure-workload: client id; or NULL */
    const char *identity_tenant_id; /**< azure-workload: tenant; or NULL */
    const char *role_arn;         /**< aws: role to assume; or NULL */
    const char *identity_owner;   /**< aws: "keda" or "workload"; or NULL */
    /* new fields are appended, never inserted */
} kairos_keda_auth_opts;
#define KAIROS_KEDA_AUTH_OPTS_VERSION 1
#define KAIROS_KEDA_AUTH_OPTS_INIT { KAIROS_KEDA_AUTH_OPTS_VERSION, NULL, NULL, 0, NULL, 0, \
    NULL, 0, KAIROS_KEDA_IDENTITY_NONE, NULL, NULL, NULL, NULL }
/** Same as KAIROS_KEDA_AUTH_OPTS_INIT, for bindings. @return KAIROS_OK or KAIROS_EVERSION. */
KAIROS_API int kairos_keda_auth_opts_init(kairos_keda_auth_opts *opts, unsigned version);

/**
 * Write a TriggerAuthentication (or ClusterTriggerAuthentication when @c cluster is set).
 * @return KAIROS_OK; KAIROS_EINVAL (bad names, nothing to authenticate with, bad owner);
 * KAIROS_EVERSION; KAIROS_ENOMEM. @p out is left as it was on failure. Thread-safety: safe.
 */
KAIROS_API int kairos_keda_trigger_auth(const kairos_keda_auth_opts *opts, kairos_buf *out);

/** HTTPScaledObject (KEDA HTTP add-on) options. */
typedef struct kairos_keda_http_opts {
    unsigned    version;          /**< KAIROS_KEDA_HTTP_OPTS_VERSION */
    const char *name;             /**< DNS-1123 label (required) */
    const char *ns;
    const char *const *hosts;     /**< n_hosts host names, may be 0 */
    size_t      n_hosts;
    const char *const *path_prefixes;
    size_t      n_path_prefixes;
    const char *target_name;      /**< Deployment; NULL = name */
    const char *service;          /**< Service (required) */
    int32_t     port;             /**< service port, 1..65535 */
    int32_t     min_replicas;     /**< >= 0 */
    int32_t     max_replicas;     /**< > min_replicas */
    int32_t     scaledown_period_s; /**< -1 = omit */
    int         concurrency;      /**< nonzero: scale on concurrency instead of request rate */
    double      target_per_replica; /**< requests/s (or concurrent requests) per replica */
    double      headroom;         /**< >= 1; target value = target / headroom; 0 = 1 */
    const char *window;           /**< request-rate window, e.g. "1m"; NULL = omit */
    /* new fields are appended, never inserted */
} kairos_keda_http_opts;
#define KAIROS_KEDA_HTTP_OPTS_VERSION 1
#define KAIROS_KEDA_HTTP_OPTS_INIT { KAIROS_KEDA_HTTP_OPTS_VERSION, NULL, NULL, NULL, 0, \
    NULL, 0, NULL, NULL, 80, 0, 10, -1, 0, 100.0, 1.0, NULL }
/** Same as KAIROS_KEDA_HTTP_OPTS_INIT, for bindings. @return KAIROS_OK or KAIROS_EVERSION. */
KAIROS_API int kairos_keda_http_opts_init(kairos_keda_http_opts *opts, unsigned version);

/**
 * Write an HTTPScaledObject (apiVersion http.keda.sh/v1alpha1).
 * @return KAIROS_OK; KAIROS_EINVAL; KAIROS_EVERSION; KAIROS_ENOMEM. Thread-safety: safe.
 */
KAIROS_API int kairos_keda_http_scaled_object(const kairos_keda_http_opts *opts,
                                              kairos_buf *out);

/**
 * Check @p name as a DNS-1123 label. @return KAIROS_OK or KAIROS_EINVAL with a message
 * naming @p what and the problem. Thread-safety: safe.
 */
KAIROS_API int kairos_keda_check_name(const char *name, const char *what);

/* ------------------------------------------------------------------------------------------ */
/* Scaler catalog                                                                             */

/** Flags of a scaler parameter. */
#define KAIROS_KEDA_PARAM_REQUIRED   1u  /**< no default and not optional */
#define KAIROS_KEDA_PARAM_METADATA   2u  /**< may be given in trigger metadata */
#define KAIROS_KEDA_PARAM_ENV        4u  /**< may be given as <name>FromEnv */
#define KAIROS_KEDA_PARAM_AUTH       8u  /**< may come from a TriggerAuthentication */
#define KAIROS_KEDA_PARAM_DEPRECATED 16u /**< deprecated by KEDA */

/** One parameter of a scaler. Static, read-only. */
typedef struct kairos_keda_param {
    const char *name;
    unsigned    flags;          /**< KAIROS_KEDA_PARAM_* */
    const char *default_value;  /**< or NULL */
    const char *allowed;        /**< allowed values separated by '|', or NULL */
    const char *deprecation;    /**< KEDA's deprecation note, or NULL */
} kairos_keda_param;

/** One scaler. Static, read-only. */
typedef struct kairos_keda_scaler {
    const char *type;
    const kairos_keda_param *params;
    size_t      n_params;
    const char *target_key;      /**< the metadata key holding the target, or NULL */
    const char *activation_key;  /**< the activation threshold key, or NULL */
    int         curated;         /**< nonzero: required keys reviewed (the most used scalers) */
    const char *const *any_of;   /**< NULL-terminated keys of which one must be given, or NULL */
} kairos_keda_scaler;

/** Number of scalers in the catalog. Thread-safety: safe. */
KAIROS_API size_t kairos_keda_catalog_count(void);
/** Scaler @p i (sorted by type), or NULL when out of range. Static data. */
KAIROS_API const kairos_keda_scaler *kairos_keda_catalog_get(size_t i);
/** The scaler of type @p type, or NULL. Static data. Thread-safety: safe. */
KAIROS_API const kairos_keda_scaler *kairos_keda_catalog_find(const char *type);
/** The parameter @p name of @p scaler, or NULL. */
KAIROS_API const kairos_keda_param *kairos_keda_scaler_param(const kairos_keda_scaler *scaler,
                                                            const char *name);
/** Version of KEDA the catalog was generated from (static string). */
KAIROS_API const char *kairos_keda_catalog_keda_version(void);

/** Output formats. */
typedef enum kairos_keda_format {
    KAIROS_KEDA_FORMAT_TEXT = 0,
    KAIROS_KEDA_FORMAT_JSON = 1
} kairos_keda_format;

/**
 * Describe one scaler (or every scaler when @p type is NULL) as text or JSON.
 * @return KAIROS_OK; KAIROS_EINVAL (unknown type, bad format); KAIROS_ENOMEM.
 */
KAIROS_API int kairos_keda_catalog_describe(const char *type, kairos_keda_format format,
                                            kairos_buf *out);

/* ------------------------------------------------------------------------------------------ */
/* Linter                                                                                     */

typedef enum kairos_keda_severity {
    KAIROS_KEDA_INFO    = 0,
    KAIROS_KEDA_WARNING = 1,
    KAIROS_KEDA_ERROR   = 2
} kairos_keda_severity;

/** A rule of the linter. Static, read-only; ids never change once released. */
typedef struct kairos_keda_rule {
    const char          *id;        /**< e.g. "webhook-duplicate-trigger-name" */
    kairos_keda_severity severity;  /**< default severity */
    const char          *summary;   /**< one line */
} kairos_keda_rule;

/** Number of rules. */
KAIROS_API size_t kairos_keda_rule_count(void);
/** Rule @p i, or NULL when out of range. */
KAIROS_API const kairos_keda_rule *kairos_keda_rule_get(size_t i);

/** One finding. Owned by the #kairos_keda_lint it came from. */
typedef struct kairos_keda_finding {
    const char          *rule;      /**< rule id (static) */
    kairos_keda_severity severity;
    size_t               document;  /**< 0-based index of the YAML document */
    size_t               line;      /**< 1-based line in the input, 0 when unknown */
    const char          *kind;      /**< resource kind, or "" */
    const char          *name;      /**< metadata.name, or "" */
    const char          *path;      /**< e.g. "spec.triggers[1].metadata.threshold" */
    const char          *message;
    const char          *hint;      /**< how to fix it */
} kairos_keda_finding;

/** Findings of one linter run. */
typedef struct kairos_keda_lint kairos_keda_lint;

/**
 * Lint the YAML text @p text (@p len bytes; several documents allowed). Documents of kinds
 * other than ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication and
 * HTTPScaledObject are skipped. Aliases are expanded with a budget, so a hostile file cannot
 * exhaust memory.
 * @param out  receives the findings (free with kairos_keda_lint_free()), NULL on failure
 * @return KAIROS_OK (findings or none); KAIROS_EPARSE (not YAML; message has the line);
 *   KAIROS_EDATA (too deep or too many nodes); KAIROS_EINVAL; KAIROS_ENOMEM.
 *   Thread-safety: safe.
 */
KAIROS_API int kairos_keda_lint_text(const char *text, size_t len, kairos_keda_lint **out);
/** Number of findings. */
KAIROS_API size_t kairos_keda_lint_count(const kairos_keda_lint *lint);
/** Finding @p i (in document order), or NULL. Valid until kairos_keda_lint_free(). */
KAIROS_API const kairos_keda_finding *kairos_keda_lint_get(const kairos_keda_lint *lint,
                                                          size_t i);
/** Number of findings of severity error. */
KAIROS_API size_t kairos_keda_lint_errors(const kairos_keda_lint *lint);
/**
 * Append the findings as text (one line each: `doc N line L: severity rule path: message
 * (hint)`) or as JSON (`{"findings":[...],"errors":E,"warnings":W,"infos":I}`).
 * @return KAIROS_OK; KAIROS_EINVAL; KAIROS_ENOMEM.
 */
KAIROS_API int kairos_keda_lint_format(const kairos_keda_lint *lint, kairos_keda_format format,
                                       kairos_buf *out);
/** Release @p lint. NULL is fine. */
KAIROS_API void kairos_keda_lint_free(kairos_keda_lint *lint);

KAIROS_END_DECLS

#endif /* KAIROS_KEDA_H */
