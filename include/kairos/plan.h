/** @file kairos/plan.h
 *  @brief Turn a forecast into a replica plan with risk; rightsize requests; decide and explain.
 *
 *  The planner works on a forecast given as plain arrays — the horizon, the step, the mean
 *  and the predictive quantiles in exactly the layout kairos_model_forecast() writes — so any
 *  model (or any other forecaster) can feed it. See docs/planning.md for every formula.
 *
 *  The predictive distribution of one step (used for planning on a quantile, for the risk
 *  of each step and for the expected shortfall) is built from that step's quantiles:
 *  - quantile values are sorted per step (monotone rearrangement) so crossing quantiles
 *    never give a decreasing quantile function;
 *  - between two given levels the quantile function is linear in the level;
 *  - beyond the outermost levels each tail is a normal distribution fitted to the two
 *    outermost quantiles on that side (exact when the forecast is Gaussian); with a single
 *    quantile the normal goes through it and the mean; a tail whose fitted spread is zero
 *    is a point mass on the outermost quantile;
 *  - with no quantiles at all, the distribution is a point mass on the mean.
 */
#ifndef KAIROS_PLAN_H
#define KAIROS_PLAN_H

#include <kairos/common.h>

KAIROS_BEGIN_DECLS

/* ---------------------------------------------------------------------------------------
 * Forecast input
 * ------------------------------------------------------------------------------------- */

/**
 * A forecast as plain arrays, all borrowed for the duration of a call. The layout is the one
 * kairos_model_forecast() writes: @ref quantiles holds @ref n_quantiles rows of @ref horizon
 * values, row i being the quantile at level @ref levels[i]. Levels need not be sorted but
 * must be distinct and inside (0,1). Every value must be finite.
 */
typedef struct kairos_plan_forecast {
    unsigned      version;      /**< KAIROS_PLAN_FORECAST_VERSION */
    size_t        horizon;      /**< steps, >= 1 */
    int64_t       step_s;       /**< step length in seconds, > 0 */
    const double *mean;         /**< horizon values */
    const double *levels;       /**< n_quantiles levels in (0,1); NULL when n_quantiles is 0 */
    size_t        n_quantiles;
    const double *quantiles;    /**< n_quantiles × horizon, row-major; NULL when none */
    /* new fields are appended, never inserted */
} kairos_plan_forecast;
#define KAIROS_PLAN_FORECAST_VERSION 1
#define KAIROS_PLAN_FORECAST_INIT { KAIROS_PLAN_FORECAST_VERSION, 0, 0, NULL, NULL, 0, NULL }

/* ---------------------------------------------------------------------------------------
 * Replica planning
 * ------------------------------------------------------------------------------------- */

/** Largest replica count the planner accepts as a bound: anything above is a typo. */
#define KAIROS_PLAN_MAX_REPLICAS 1000000

/**
 * How to plan. The demand planned for at each step is the mean (when neither @ref quantile
 * nor @ref risk is set — the behaviour of the Go sidecar), or the predictive quantile at level
 * @ref quantile, or at level 1 − @ref risk. A level that is not among the forecast's levels
 * is interpolated (or extrapolated into a tail) as described in the file comment.
 */
typedef struct kairos_plan_opts {
    unsigned version;              /**< KAIROS_PLAN_OPTS_VERSION */
    double   target_per_replica;   /**< load one replica serves, > 0 (no default: required) */
    double   headroom;             /**< multiplier on demand, > 0; default 1.0 */
    double   quantile;             /**< level to plan on in (0,1); 0 = not set */
    double   risk;                 /**< accepted probability of under-provisioning in (0,1);
                                        plans on level 1 − risk; 0 = not set */
    size_t   min_replicas;         /**< default 1; 0 allows scale to zero */
    size_t   max_replicas;         /**< default 100; <= KAIROS_PLAN_MAX_REPLICAS */
    double   max_up_factor;        /**< per step, replicas <= ceil(prev × factor); >= 1; default 2 */
    double   max_down_fraction;    /**< per step, replicas >= floor(prev × (1 − f)); in [0,1];
                                        default 0.5 */
    int64_t  stabilization_s;      /**< scale-down window, >= 0; default 0 */
    int64_t  lead_time_s;          /**< time replicas need to be ready, >= 0; default 0 */
    size_t   current_replicas;     /**< replicas running now; 0 = unknown (start from the
                                        first step's unconstrained count) */
    /* new fields are appended, never inserted */
} kairos_plan_opts;
#define KAIROS_PLAN_OPTS_VERSION 1
#define KAIROS_PLAN_OPTS_INIT \
    { KAIROS_PLAN_OPTS_VERSION, 0.0, 1.0, 0.0, 0.0, 1, 100, 2.0, 0.5, 0, 0, 0 }
/** Same as KAIROS_PLAN_OPTS_INIT, for bindings. @return KAIROS_OK, KAIROS_EINVAL (NULL)
 *  or KAIROS_EVERSION. Thread-safety: safe. */
KAIROS_API int kairos_plan_opts_init(kairos_plan_opts *opts, unsigned version);

/** Summary of a plan. The caller sets @ref version; later fields are left alone. */
typedef struct kairos_plan_totals {
    unsigned version;                  /**< set by the caller: KAIROS_PLAN_TOTALS_VERSION */
    double   replica_hours;            /**< Σ replicas × step_s / 3600 */
    size_t   peak_replicas;            /**< largest replica count of the plan */
    size_t   peak_step;                /**< first step (0-based) at the peak */
    double   shortfall_replica_minutes;/**< expected under-provisioned replica-minutes:
                                            Σ E[(demand − replicas·target)⁺] / target × step_s/60 */
    double   max_p_shortfall;          /**< largest per-step probability of shortfall */
    double   mean_p_shortfall;         /**< mean of the per-step probabilities */
    double   planned_level;            /**< quantile level planned on; NaN when on the mean */
    int      level_extrapolated;       /**< 1 when planned_level lies outside the given levels
                                            (so a fitted tail was used), else 0 */
    size_t   lead_steps;               /**< ceil(lead_time_s / step_s) */
    size_t   stabilization_steps;      /**< ceil(stabilization_s / step_s) */
    double   hours;                    /**< horizon × step_s / 3600 */
    /* new fields are appended, never inserted */
} kairos_plan_totals;
#define KAIROS_PLAN_TOTALS_VERSION 1

/**
 * Plan replicas for every step of a forecast.
 *
 * For each step t (0-based), with L = ceil(lead_time_s/step_s), W = ceil(stabilization_s/step_s):
 * 1. d_t = max(0, mean_t or Q_t(level)): the load forecast for step t;
 * 2. D_t = max(d_t … d_min(t+L, horizon−1)): the demand planned for (@p demand);
 * 3. r*_t = clamp(ceil(D_t × headroom / target), min, max);
 * 4. s_t = max(r*_(t−W) … r*_t): scale down only once the lower count has held for the whole
 *    window; indices before the plan stand for the current replicas (or r*_0 when unknown);
 * 5. r_t = clamp(max(min(s_t, ceil(max(prev,1) × up)), floor(prev × (1 − down))), min, max),
 *    prev = r_(t−1), with prev = current replicas at t = 0 (r*_0 when unknown).
 * A ceil/floor argument within 1e-9 (relative) of an integer counts as that integer, so
 * rounding noise never adds a replica. p_shortfall_t = P(X_t > r_t × target), X_t the
 * step-t predictive distribution. Without W and L, and planning on the mean, this is exactly
 * the Go sidecar's formula (a unit test proves it).
 *
 * @param fc           the forecast (borrowed)
 * @param opts         options (borrowed); required, since target_per_replica has no default
 * @param replicas     caller-owned, horizon entries: the plan
 * @param demand       caller-owned, horizon entries, or NULL: D_t, the load planned for
 * @param p_shortfall  caller-owned, horizon entries, or NULL: risk per step
 * @param totals       caller-owned, or NULL; its version must be set
 * @return KAIROS_OK; KAIROS_EINVAL for bad options (target <= 0, headroom <= 0, max < min,
 *   max above KAIROS_PLAN_MAX_REPLICAS, quantile and risk both set or outside (0,1), up factor
 *   < 1, down fraction outside [0,1], negative durations), NULL arguments, a horizon of 0,
 *   a step <= 0, or levels that are outside (0,1) or repeated; KAIROS_EDATA for a NaN or
 *   infinite forecast value (naming the step), or a quantile asked of a forecast that has no
 *   quantiles; KAIROS_EVERSION; KAIROS_ENOMEM. On failure the output arrays are left
 *   unspecified. Thread-safety: safe (no shared state).
 */
KAIROS_API int kairos_plan_replicas(const kairos_plan_forecast *fc, const kairos_plan_opts *opts,
                                    size_t *replicas, double *demand, double *p_shortfall,
                                    kairos_plan_totals *totals);

/**
 * The predictive quantile at @p level for one step of a forecast, from the distribution
 * described in the file comment (exact at a given level, interpolated between levels, fitted
 * tail beyond them).
 * @return KAIROS_OK; KAIROS_EINVAL (step out of range, level outside (0,1), bad forecast);
 *   KAIROS_EDATA (non-finite values; no quantiles); KAIROS_ENOMEM. Thread-safety: safe.
 */
KAIROS_API int kairos_plan_quantile_at(const kairos_plan_forecast *fc, size_t step, double level,
                                       double *out);

/**
 * Probability that the demand of one step exceeds @p capacity, P(X > capacity), from the
 * distribution described in the file comment.
 * @return KAIROS_OK; KAIROS_EINVAL; KAIROS_EDATA; KAIROS_ENOMEM. Thread-safety: safe.
 */
KAIROS_API int kairos_plan_exceedance(const kairos_plan_forecast *fc, size_t step,
                                      double capacity, double *probability);

/* ---------------------------------------------------------------------------------------
 * Rightsizing and Kubernetes quantities
 * ------------------------------------------------------------------------------------- */

/** A resource a pod requests. */
typedef enum kairos_resource {
    KAIROS_RESOURCE_CPU    = 0,   /**< in cores; rounded up to whole millicores */
    KAIROS_RESOURCE_MEMORY = 1    /**< in bytes; rounded up to whole Mi (2^20 bytes) */
} kairos_resource;

/** How the limit follows from the usage forecast. */
typedef enum kairos_limit_policy {
    KAIROS_LIMIT_FACTOR   = 0,   /**< limit = request × limit_factor */
    KAIROS_LIMIT_QUANTILE = 1,   /**< limit = max_t Q_t(limit_quantile) × headroom */
    KAIROS_LIMIT_NONE     = 2    /**< recommend no limit (limit reported as 0) */
} kairos_limit_policy;

/** How to rightsize one resource of a pod. */
typedef struct kairos_rightsize_opts {
    unsigned            version;           /**< KAIROS_RIGHTSIZE_OPTS_VERSION */
    double              request_quantile;  /**< level in (0,1); default 0.9 */
    double              headroom;          /**< multiplier, > 0; default 1.0 */
    kairos_limit_policy limit_policy;      /**< default KAIROS_LIMIT_FACTOR */
    double              limit_factor;      /**< >= 1; default 1.5 */
    double              limit_quantile;    /**< level in (0,1); default 0.99 */
    double              min_request;       /**< floor on the request in the resource's unit
                                                (cores or bytes), >= 0; default 0 */
    /* new fields are appended, never inserted */
} kairos_rightsize_opts;
#define KAIROS_RIGHTSIZE_OPTS_VERSION 1
#define KAIROS_RIGHTSIZE_OPTS_INIT \
    { KAIROS_RIGHTSIZE_OPTS_VERSION, 0.9, 1.0, KAIROS_LIMIT_FACTOR, 1.5, 0.99, 0.0 }
/** Same as KAIROS_RIGHTSIZE_OPTS_INIT, for bindings. @return KAIROS_OK, KAIROS_EINVAL or
 *  KAIROS_EVERSION. Thread-safety: safe. */
KAIROS_API int kairos_rightsize_opts_init(kairos_rightsize_opts *opts, unsigned version);

/**
 * Recommend a per-pod request and limit for one resource from a forecast of per-pod usage
 * (cores for CPU, bytes for memory; a history summarised as quantiles may be passed as a
 * one-step forecast; @ref kairos_plan_forecast::step_s is not used and may be any positive
 * value). request = max(max_t Q_t(request_quantile) × headroom, min_request) rounded up to the
 * resource's granularity; the limit per @ref kairos_rightsize_opts::limit_policy, rounded up
 * likewise; a limit below the request is raised to the request, so a request is never above
 * its limit.
 * @param request  receives the request (cores or bytes, already rounded)
 * @param limit    receives the limit, or 0 with KAIROS_LIMIT_NONE
 * @param opts     NULL for defaults
 * @return KAIROS_OK; KAIROS_EINVAL (bad options or arguments); KAIROS_EDATA (non-finite
 *   values; the forecast has no quantiles); KAIROS_ERANGE (a result too large to write as a
 *   quantity); KAIROS_EVERSION; KAIROS_ENOMEM. Thread-safety: safe.
 */
KAIROS_API int kairos_rightsize(double *request, double *limit, kairos_resource resource,
                                const kairos_plan_forecast *usage,
                                const kairos_rightsize_opts *opts);

/** Buffer size that holds any quantity kairos_quantity_format_*() writes. */
#define KAIROS_QUANTITY_SIZE 32

/**
 * Parse a Kubernetes quantity: a decimal number (`1`, `1.5`, `.5`, optional sign) followed
 * by nothing, a binary suffix (`Ki` `Mi` `Gi` `Ti` `Pi` `Ei`), a decimal suffix (`n` `u` `m`
 * `k` `M` `G` `T` `P` `E`) or a decimal exponent (`e3`, `E-2`). "500m" → 0.5, "512Mi" →
 * 536870912, "1e3" and "1k" → 1000. No blanks are allowed.
 * @param text  NUL-terminated
 * @return KAIROS_OK; KAIROS_EPARSE naming what is wrong; KAIROS_ERANGE when the value is not
 *   a finite double; KAIROS_EINVAL for NULL. Thread-safety: safe (locale-independent).
 */
KAIROS_API int kairos_quantity_parse(const char *text, double *out);

/**
 * Format a CPU amount in cores, rounded UP to a whole millicore: whole cores as `2`,
 * otherwise millicores (`250m`, `1500m`); 0 as `0`.
 * @param out   caller-owned, @p size bytes (KAIROS_QUANTITY_SIZE is always enough)
 * @return KAIROS_OK; KAIROS_EINVAL (negative or NaN value, NULL, buffer too small);
 *   KAIROS_ERANGE (too large). Thread-safety: safe.
 */
KAIROS_API int kairos_quantity_format_cpu(double cores, char *out, size_t size);

/**
 * Format a memory amount in bytes, rounded UP to a whole Mi: whole Gi as `2Gi`, otherwise
 * `512Mi`; 0 as `0`. Errors as kairos_quantity_format_cpu(). Thread-safety: safe.
 */
KAIROS_API int kairos_quantity_format_memory(double bytes, char *out, size_t size);

/* ---------------------------------------------------------------------------------------
 * Decisions and rationale
 * ------------------------------------------------------------------------------------- */

/** What to do with a workload. */
typedef enum kairos_decision {
    KAIROS_DECISION_NO_OP     = 0,
    KAIROS_DECISION_SCALE_OUT = 1,
    KAIROS_DECISION_SCALE_IN  = 2,
    KAIROS_DECISION_RESIZE    = 3,   /**< change requests/limits */
    KAIROS_DECISION_REVIEW    = 4    /**< a human must look */
} kairos_decision;

/** Name of a decision: "no_op", "scale_out", "scale_in", "resize", "review"; static. */
KAIROS_API const char *kairos_decision_name(kairos_decision d);

/**
 * What is known about one workload. Every quantity is per pod (never summed across pods);
 * NaN (or 0 for counts and limits) means unknown, and a rule whose inputs are unknown does
 * not fire.
 */
typedef struct kairos_decision_input {
    unsigned    version;                  /**< KAIROS_DECISION_INPUT_VERSION */
    const char *workload;                 /**< name for the rationale; NULL = "workload" */
    size_t      current_replicas;         /**< 0 = unknown */
    size_t      planned_peak_replicas;    /**< kairos_plan_totals::peak_replicas; 0 = no plan */
    double      planned_peak_demand;      /**< the demand the peak was sized for; NaN = unknown */
    double      planned_level;            /**< level planned on (NaN = mean) */
    double      max_p_shortfall;          /**< plan risk (kairos_plan_totals); NaN = unknown */
    double      cost_delta_month;         /**< plan − current, per month; NaN = unknown */
    const char *currency;                 /**< label for cost_delta_month; NULL = "USD" */
    double      confidence;               /**< forecast confidence in [0,1] (e.g. backtest
                                               interval coverage); NaN = unknown */
    double      queue_lag_growth;         /**< relative growth of queue lag over the recent
                                               window (0.25 = +25 %); NaN = no queue metric */
    double      node_utilization;         /**< busiest node's used / allocatable; NaN = unknown */
    double      cpu_p95;                  /**< per-pod CPU usage p95, cores */
    double      cpu_request;              /**< per-pod CPU request, cores; 0 = none */
    double      cpu_limit;                /**< per-pod CPU limit, cores; 0 = none */
    double      memory_peak;              /**< per-pod memory peak, bytes */
    double      memory_request;           /**< per-pod memory request, bytes; 0 = none */
    double      memory_limit;             /**< per-pod memory limit, bytes; 0 = none */
    double      recommended_memory_request; /**< from kairos_rightsize(); NaN = unknown */
    double      recommended_memory_limit;   /**< from kairos_rightsize(); NaN/0 = unknown */
    int         stateful;                 /**< non-zero for StatefulSets and the like */
    double      anomaly_z;                /**< from kairos_anomaly_zscore(); NaN = not computed */
    /* new fields are appended, never inserted */
} kairos_decision_input;
#define KAIROS_DECISION_INPUT_VERSION 1
/** Initialise @p in: every measurement unknown (NaN), counts and limits 0.
 *  @return KAIROS_OK, KAIROS_EINVAL or KAIROS_EVERSION. Thread-safety: safe. */
KAIROS_API int kairos_decision_input_init(kairos_decision_input *in, unsigned version);

/** Every threshold of the decision rules (see docs/planning.md for the rule table). */
typedef struct kairos_decision_opts {
    unsigned version;                 /**< KAIROS_DECISION_OPTS_VERSION */
    double   min_confidence;          /**< R-001: below → no-op; default 0.5 */
    double   queue_lag_growth;        /**< R-002: growth at or above → pre-scale; default 0.2 */
    double   node_saturation;         /**< R-003: utilization at or above → review; default 0.85 */
    double   cpu_limit_fraction;      /**< R-004: p95 above this × limit → scale out; 0.8 */
    double   memory_limit_fraction;   /**< R-005: peak above this × limit → resize; 0.8 */
    double   low_use_fraction;        /**< R-007: p95 below this × request → may scale in; 0.3 */
    double   anomaly_z;               /**< |z| at or above → anomaly note; default 3.5 */
    int      anomaly_review;          /**< non-zero: an anomaly turns an action into review;
                                           default 0 (note only) */
    /* new fields are appended, never inserted */
} kairos_decision_opts;
#define KAIROS_DECISION_OPTS_VERSION 1
#define KAIROS_DECISION_OPTS_INIT \
    { KAIROS_DECISION_OPTS_VERSION, 0.5, 0.2, 0.85, 0.8, 0.8, 0.3, 3.5, 0 }
/** Same as KAIROS_DECISION_OPTS_INIT, for bindings. Thread-safety: safe. */
KAIROS_API int kairos_decision_opts_init(kairos_decision_opts *opts, unsigned version);

/** The outcome. The caller sets @ref version. */
typedef struct kairos_decision_result {
    unsigned        version;          /**< set by the caller: KAIROS_DECISION_RESULT_VERSION */
    kairos_decision decision;
    const char     *rule;             /**< rule that decided ("R-004"); static string */
    size_t          target_replicas;  /**< replicas after the decision (current when unchanged) */
    double          memory_request;   /**< with RESIZE: proposed per-pod request, bytes; else NaN */
    double          memory_limit;     /**< with RESIZE: proposed per-pod limit, bytes, never below
                                           the request; else NaN */
    int             anomaly;          /**< 1 when |anomaly_z| >= the threshold */
    /* new fields are appended, never inserted */
} kairos_decision_result;
#define KAIROS_DECISION_RESULT_VERSION 1

/**
 * Decide what to do with a workload and explain it. Rules are tried in a fixed order and the
 * first that fires decides (R-001 low confidence, R-003 node saturation, R-005 memory near
 * limit, R-002 rising queue lag, R-004 CPU near limit, plan above current, R-007 sustained low
 * use, R-008 in line); R-006 (stateful) turns a scale action into review. The rationale is one
 * deterministic paragraph (same input, same bytes, whatever the locale): what the forecast
 * says, which rule fired, the cost delta, the risk, and an anomaly note when there is one.
 * @param rationale  appended to (may be KAIROS_BUF_INIT); release with kairos_buf_dispose()
 * @param opts       NULL for defaults
 * @return KAIROS_OK; KAIROS_EINVAL (NULL arguments, bad thresholds); KAIROS_EVERSION;
 *   KAIROS_ENOMEM. Thread-safety: safe.
 */
KAIROS_API int kairos_decide(kairos_decision_result *out, kairos_buf *rationale,
                             const kairos_decision_input *in, const kairos_decision_opts *opts);

/**
 * Robust z-score of a recent window of forecast errors against backtest residuals:
 * z = (median(recent) − median(residuals)) / (1.4826 × MAD(residuals)), MAD the median
 * absolute deviation from the median. NaN entries are skipped.
 * @return KAIROS_OK; KAIROS_EINVAL (NULL); KAIROS_EDATA (no finite residual or recent value,
 *   or residuals without spread). Thread-safety: safe.
 */
KAIROS_API int kairos_anomaly_zscore(const double *residuals, size_t n_residuals,
                                     const double *recent, size_t n_recent, double *z);

KAIROS_END_DECLS

#endif /* KAIROS_PLAN_H */
