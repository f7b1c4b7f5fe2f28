/** @file kairos/cost.h
 *  @brief Price replica plans: $/month of a plan, of a static allocation and of the current
 *  one, the deltas between them, and a cost–risk table across planning quantiles.
 *
 *  One replica costs, per hour,
 *  `rate = cpu_cores × cpu_price_eff + memory_GiB × memory_price_eff` with
 *  `price_eff = (1 − spot_share) × price + spot_share × spot_price` and
 *  `spot_price = price × (1 − spot_discount)` unless explicit spot rates are given.
 *  A plan costs `mean replicas × rate × hours_per_month` a month, the mean taken over the
 *  plan's horizon. Memory is in bytes and GiB = 2^30 bytes. See docs/cost.md.
 */
#ifndef KAIROS_COST_H
#define KAIROS_COST_H

#include <kairos/common.h>
#include <kairos/plan.h>

KAIROS_BEGIN_DECLS

/** Prices of one environment. Amounts are in @ref currency. */
typedef struct kairos_cost_model {
    unsigned    version;            /**< KAIROS_COST_MODEL_VERSION */
    double      cpu_price;          /**< per vCPU-hour, on demand, >= 0; default 0.04 */
    double      memory_price;       /**< per GiB-hour, on demand, >= 0; default 0.005 */
    double      hours_per_month;    /**< > 0; default 730 */
    double      spot_share;         /**< share of replicas on spot in [0,1]; default 0 */
    double      spot_discount;      /**< spot price = on-demand × (1 − discount), [0,1]; default 0 */
    double      spot_cpu_price;     /**< explicit spot $/vCPU-hour; 0 = use the discount */
    double      spot_memory_price;  /**< explicit spot $/GiB-hour; 0 = use the discount */
    const char *currency;           /**< label, borrowed; NULL = "USD" */
    const char *environment;        /**< label, borrowed; NULL = none */
    /* new fields are appended, never inserted */
} kairos_cost_model;
#define KAIROS_COST_MODEL_VERSION 1
#define KAIROS_COST_MODEL_INIT \
    { KAIROS_COST_MODEL_VERSION, 0.04, 0.005, 730.0, 0.0, 0.0, 0.0, 0.0, NULL, NULL }
/** Same as KAIROS_COST_MODEL_INIT, for bindings. @return KAIROS_OK, KAIROS_EINVAL or
 *  KAIROS_EVERSION. Thread-safety: safe. */
KAIROS_API int kairos_cost_model_init(kairos_cost_model *model, unsigned version);

/**
 * The blended price of one replica for one hour.
 * @param model         NULL for the defaults
 * @param cpu_cores     per-replica CPU (request), >= 0
 * @param memory_bytes  per-replica memory (request), >= 0
 * @return KAIROS_OK; KAIROS_EINVAL (negative or non-finite prices or sizes, a share or
 *   discount outside [0,1], hours per month <= 0, both a discount and explicit spot rates);
 *   KAIROS_EVERSION. Thread-safety: safe.
 */
KAIROS_API int kairos_cost_replica_hourly(const kairos_cost_model *model, double cpu_cores,
                                          double memory_bytes, double *per_hour);

/**
 * The monthly price of running @p replicas replicas (may be fractional: a mean) all month:
 * replicas × hourly rate × hours_per_month. 3 × (0.5 vCPU, 1 GiB) at the defaults is 54.75.
 * @return as kairos_cost_replica_hourly(), plus KAIROS_EINVAL for negative replicas.
 */
KAIROS_API int kairos_cost_monthly(const kairos_cost_model *model, double cpu_cores,
                                   double memory_bytes, double replicas, double *per_month);

/** What a plan costs, and what it saves. The caller sets @ref version. */
typedef struct kairos_cost_report {
    unsigned version;            /**< set by the caller: KAIROS_COST_REPORT_VERSION */
    double   replica_hourly;     /**< blended price of one replica-hour */
    double   horizon_hours;      /**< horizon × step_s / 3600 */
    double   replica_hours;      /**< Σ replicas × step_s / 3600 */
    double   mean_replicas;      /**< replica_hours / horizon_hours */
    size_t   peak_replicas;
    double   plan_horizon;       /**< cost of the plan over its own horizon */
    double   plan_month;         /**< mean_replicas × replica_hourly × hours_per_month */
    double   peak_month;         /**< static allocation at the plan's peak, per month */
    double   current_month;      /**< current allocation per month; NaN when unknown */
    double   delta_vs_current;   /**< plan_month − current_month (negative saves); NaN if unknown */
    double   delta_vs_peak;      /**< plan_month − peak_month (<= 0) */
    double   savings_vs_current; /**< current_month − plan_month; NaN when unknown */
    double   savings_vs_peak;    /**< peak_month − plan_month (>= 0) */
    /* new fields are appended, never inserted */
} kairos_cost_report;
#define KAIROS_COST_REPORT_VERSION 1

/**
 * Price a replica plan (from kairos_plan_replicas()) against a static allocation at its peak
 * and against the current allocation.
 * @param replicas          horizon entries, borrowed
 * @param step_s            the plan's step, > 0
 * @param current_replicas  replicas running now; 0 = unknown (current fields become NaN)
 * @return KAIROS_OK; KAIROS_EINVAL (NULL, horizon 0, step <= 0, bad model or sizes);
 *   KAIROS_EVERSION. Thread-safety: safe.
 */
KAIROS_API int kairos_cost_plan(kairos_cost_report *out, const kairos_cost_model *model,
                                double cpu_cores, double memory_bytes, const size_t *replicas,
                                size_t horizon, int64_t step_s, size_t current_replicas);

/**
 * One row of the cost–risk table. This struct never grows (arrays of it are caller-owned);
 * a richer row would come with a new function.
 */
typedef struct kairos_cost_risk_row {
    double level;                      /**< quantile planned on */
    size_t peak_replicas;
    double replica_hours;
    double month;                      /**< plan cost per month */
    double delta_month;                /**< month − the previous row's month (0 for the first):
                                            what this step up in confidence costs */
    double max_p_shortfall;
    double mean_p_shortfall;
    double shortfall_replica_minutes;  /**< expected under-provisioned replica-minutes */
} kairos_cost_risk_row;

/** Rows of the default cost–risk table: levels 0.5, 0.8, 0.9, 0.95, 0.99. */
#define KAIROS_COST_RISK_DEFAULT_ROWS 5

/**
 * Re-plan the forecast at each level and price each plan, so users see what each extra nine
 * costs. Every option of @p plan_opts applies except quantile and risk, which each row sets.
 * @param rows    caller-owned, @p n entries
 * @param levels  n levels in (0,1), or NULL for the default five (then n must be
 *                KAIROS_COST_RISK_DEFAULT_ROWS)
 * @return KAIROS_OK; any code of kairos_plan_replicas() or kairos_cost_plan(); KAIROS_EINVAL
 *   for n 0 or a wrong n with the defaults. Thread-safety: safe.
 */
KAIROS_API int kairos_cost_risk_table(kairos_cost_risk_row *rows, const double *levels, size_t n,
                                      const kairos_plan_forecast *forecast,
                                      const kairos_plan_opts *plan_opts,
                                      const kairos_cost_model *model, double cpu_cores,
                                      double memory_bytes);

KAIROS_END_DECLS

#endif /* KAIROS_COST_H */
