/* Decisions per workload with a deterministic rationale, and the anomaly score. */
#include "plan_internal.h"

#include <math.h>
#include <stdlib.h>

const char *kairos_decision_name(kairos_decision d)
{
    switch (d) {
    case KAIROS_DECISION_NO_OP:     return "no_op";
    case KAIROS_DECISION_SCALE_OUT: return "scale_out";
    case KAIROS_DECISION_SCALE_IN:  return "scale_in";
    case KAIROS_DECISION_RESIZE:    return "resize";
    case KAIROS_DECISION_REVIEW:    return "review";
    }
    return "unknown";
}

int kairos_decision_input_init(kairos_decision_input *in, unsigned version)
{
    if (!in)
        return kairos__fail(KAIROS_EINVAL, "kairos_decision_input_init: in is NULL");
    int rc = kairos__check_version(version, KAIROS_DECISION_INPUT_VERSION, "kairos_decision_input");
    if (rc)
        return rc;
    kairos_decision_input d = { 0 };
    d.version = version;
    d.planned_peak_demand = d.planned_level = d.max_p_shortfall = d.cost_delta_month = NAN;
    d.confidence = d.queue_lag_growth = d.node_utilization = NAN;
    d.cpu_p95 = d.memory_peak = NAN;
    d.recommended_memory_request = d.recommended_memory_limit = NAN;
    d.anomaly_z = NAN;
    *in = d;
    return KAIROS_OK;
}

int kairos_decision_opts_init(kairos_decision_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "kairos_decision_opts_init: opts is NULL");
    int rc = kairos__check_version(version, KAIROS_DECISION_OPTS_VERSION, "kairos_decision_opts");
    if (rc)
        return rc;
    kairos_decision_opts d = KAIROS_DECISION_OPTS_INIT;
    *opts = d;
    opts->version = version;
    return KAIROS_OK;
}

static int check_fraction(double x, const char *name)
{
    if (!(x > 0) || !isfinite(x))
        return kairos__fail(KAIROS_EINVAL, "decision threshold %s must be a finite number > 0 (got %g)",
                            name, x);
    return KAIROS_OK;
}

static int check_decision_opts(const kairos_decision_opts *o)
{
    int rc = kairos__check_version(o->version, KAIROS_DECISION_OPTS_VERSION, "kairos_decision_opts");
    if (rc == KAIROS_OK && !(o->min_confidence >= 0 && o->min_confidence <= 1))
        rc = kairos__fail(KAIROS_EINVAL, "min_confidence must be in [0,1] (got %g)", o->min_confidence);
    if (rc == KAIROS_OK)
        rc = check_fraction(o->queue_lag_growth, "queue_lag_growth");
    if (rc == KAIROS_OK)
        rc = check_fraction(o->node_saturation, "node_saturation");
    if (rc == KAIROS_OK)
        rc = check_fraction(o->cpu_limit_fraction, "cpu_limit_fraction");
    if (rc == KAIROS_OK)
        rc = check_fraction(o->memory_limit_fraction, "memory_limit_fraction");
    if (rc == KAIROS_OK)
        rc = check_fraction(o->low_use_fraction, "low_use_fraction");
    if (rc == KAIROS_OK)
        rc = check_fraction(o->anomaly_z, "anomaly_z");
    return rc;
}

/* What the rules concluded, before it is written out. */
typedef struct verdict {
    kairos_decision decision;
    const char *rule;
    size_t target;
    double mem_request, mem_limit;
    kairos_buf why;              /* the rule's sentence */
} verdict;

static size_t max_size(size_t a, size_t b)
{
    return a > b ? a : b;
}

static void set(verdict *v, kairos_decision d, const char *rule, size_t target)
{
    v->decision = d;
    v->rule = rule;
    v->target = target;
}

/* per-pod memory peak against the per-pod limit. The limit proposed is the larger of
 * the recommendation and the limit that puts the peak back at the threshold; the request
 * proposed never exceeds it. */
static int memory_rule(verdict *v, const kairos_decision_input *in, const kairos_decision_opts *o)
{
    double peak = in->memory_peak, lim = in->memory_limit, frac = o->memory_limit_fraction;
    double limit = kairos__ceil_tol(peak / frac / 1048576.0) * 1048576.0;
    if (isfinite(in->recommended_memory_limit) && in->recommended_memory_limit > limit)
        limit = in->recommended_memory_limit;
    double request = isfinite(in->recommended_memory_request) && in->recommended_memory_request > 0
                         ? in->recommended_memory_request
                     : in->memory_request > 0 ? in->memory_request
                                              : peak;
    if (request > limit)
        limit = request;
    v->mem_request = request;
    v->mem_limit = limit;
    set(v, KAIROS_DECISION_RESIZE, "R-005", in->current_replicas);
    return kairos__buf_printf(&v->why,
                              "per-pod memory peak %.4g MiB is %.0f%% of the per-pod limit %.4g MiB "
                              "(threshold %.0f%%); propose request %.4g MiB, limit %.4g MiB",
                              peak / 1048576.0, 100.0 * peak / lim, lim / 1048576.0, 100.0 * frac,
                              request / 1048576.0, limit / 1048576.0);
}

static int apply_rules(verdict *v, const kairos_decision_input *in, const kairos_decision_opts *o)
{
    size_t cur = in->current_replicas, plan = in->planned_peak_replicas;
    if (isfinite(in->confidence) && in->confidence < o->min_confidence) {
        set(v, KAIROS_DECISION_NO_OP, "R-001", cur);
        return kairos__buf_printf(&v->why, "forecast confidence %.2f is below %.2f, so nothing changes",
                                  in->confidence, o->min_confidence);
    }
    if (isfinite(in->node_utilization) && in->node_utilization >= o->node_saturation) {
        set(v, KAIROS_DECISION_REVIEW, "R-003", cur);
        return kairos__buf_printf(&v->why,
                                  "node utilization %.0f%% is at or above %.0f%%: more pods may not "
                                  "fit, the node pool needs a look (advisory)",
                                  100.0 * in->node_utilization, 100.0 * o->node_saturation);
    }
    if (isfinite(in->memory_peak) && in->memory_limit > 0 &&
        in->memory_peak > o->memory_limit_fraction * in->memory_limit)
        return memory_rule(v, in, o);
    if (isfinite(in->queue_lag_growth) && in->queue_lag_growth >= o->queue_lag_growth) {
        set(v, KAIROS_DECISION_SCALE_OUT, "R-002", max_size(plan, cur + 1));
        return kairos__buf_printf(&v->why, "queue lag grew %.0f%% (threshold %.0f%%): pre-scale to %zu",
                                  100.0 * in->queue_lag_growth, 100.0 * o->queue_lag_growth, v->target);
    }
    if (isfinite(in->cpu_p95) && in->cpu_limit > 0 &&
        in->cpu_p95 > o->cpu_limit_fraction * in->cpu_limit) {
        /* Enough pods to bring the per-pod p95 back to the threshold, assuming load spreads. */
        size_t need = cur ? (size_t)kairos__ceil_tol((double)cur * in->cpu_p95 /
                                                    (o->cpu_limit_fraction * in->cpu_limit))
                          : 1;
        set(v, KAIROS_DECISION_SCALE_OUT, "R-004", max_size(max_size(need, plan), cur + 1));
        return kairos__buf_printf(&v->why,
                                  "per-pod CPU p95 %.4g cores is %.0f%% of the per-pod limit %.4g "
                                  "(threshold %.0f%%): scale out to %zu",
                                  in->cpu_p95, 100.0 * in->cpu_p95 / in->cpu_limit, in->cpu_limit,
                                  100.0 * o->cpu_limit_fraction, v->target);
    }
    if (plan > 0 && cur > 0 && plan > cur) {
        set(v, KAIROS_DECISION_SCALE_OUT, "R-009", plan);
        return kairos__buf_printf(&v->why, "the plan needs %zu replicas at its peak, %zu more than now",
                                  plan, plan - cur);
    }
    if (plan > 0 && cur > 0 && plan < cur) {
        int cpu_known = isfinite(in->cpu_p95) && in->cpu_request > 0;
        if (!cpu_known || in->cpu_p95 < o->low_use_fraction * in->cpu_request) {
            set(v, KAIROS_DECISION_SCALE_IN, "R-007", plan);
            if (cpu_known)
                return kairos__buf_printf(&v->why,
                                          "sustained low use: per-pod CPU p95 is %.0f%% of the request "
                                          "(threshold %.0f%%) and the plan peaks at %zu of %zu replicas",
                                          100.0 * in->cpu_p95 / in->cpu_request,
                                          100.0 * o->low_use_fraction, plan, cur);
            return kairos__buf_printf(&v->why, "sustained low demand: the plan peaks at %zu of %zu replicas",
                                      plan, cur);
        }
        set(v, KAIROS_DECISION_NO_OP, "R-008", cur);
        return kairos__buf_printf(&v->why,
                                  "the plan peaks at %zu of %zu replicas but per-pod CPU p95 is %.0f%% "
                                  "of the request (not below %.0f%%), so nothing changes",
                                  plan, cur, 100.0 * in->cpu_p95 / in->cpu_request,
                                  100.0 * o->low_use_fraction);
    }
    set(v, KAIROS_DECISION_NO_OP, "R-008", cur);
    return kairos__buf_puts(&v->why, "the forecast is in line with the current configuration");
}

/* R-006 and the anomaly escalation: turn an action into a review. */
static void escalate(verdict *v, const kairos_decision_input *in, const kairos_decision_opts *o,
                     int anomaly, const char **escalated_by)
{
    int scale = v->decision == KAIROS_DECISION_SCALE_OUT || v->decision == KAIROS_DECISION_SCALE_IN;
    *escalated_by = NULL;
    if (scale && in->stateful)
        *escalated_by = "R-006";
    else if (anomaly && o->anomaly_review && v->decision != KAIROS_DECISION_NO_OP &&
             v->decision != KAIROS_DECISION_REVIEW)
        *escalated_by = "anomaly";
}

static int write_rationale(kairos_buf *b, const verdict *v, const kairos_decision_input *in,
                           const kairos_decision_opts *o, int anomaly, const char *escalated_by,
                           kairos_decision proposed, const char *proposed_rule)
{
    const char *name = in->workload ? in->workload : "workload";
    const char *cur = in->currency ? in->currency : "USD";
    int rc = kairos__buf_printf(b, "%s: %s (%s).", name, kairos_decision_name(v->decision), v->rule);
    if (rc == KAIROS_OK && in->planned_peak_replicas > 0) {
        rc = kairos__buf_puts(b, " Forecast:");
        if (rc == KAIROS_OK && isfinite(in->planned_peak_demand))
            rc = isfinite(in->planned_level)
                     ? kairos__buf_printf(b, " peak demand %.4g (q%g)", in->planned_peak_demand,
                                          in->planned_level)
                     : kairos__buf_printf(b, " peak demand %.4g (mean)", in->planned_peak_demand);
        if (rc == KAIROS_OK)
            rc = kairos__buf_printf(b, " needs %zu replicas", in->planned_peak_replicas);
        if (rc == KAIROS_OK && in->current_replicas > 0)
            rc = kairos__buf_printf(b, "; %zu run now", in->current_replicas);
        if (rc == KAIROS_OK)
            rc = kairos__buf_puts(b, ".");
    }
    if (rc == KAIROS_OK)
        rc = kairos__buf_printf(b, " Rule %s: %s.", proposed_rule, v->why.data ? v->why.data : "");
    if (rc == KAIROS_OK && escalated_by && escalated_by[0] == 'R')
        rc = kairos__buf_printf(b, " Rule R-006: the workload is stateful, so %s needs a human review.",
                                kairos_decision_name(proposed));
    if (rc == KAIROS_OK && isfinite(in->cost_delta_month))
        rc = kairos__buf_printf(b, " Cost: %+.2f %s/month.", in->cost_delta_month, cur);
    if (rc == KAIROS_OK && isfinite(in->max_p_shortfall))
        rc = kairos__buf_printf(b, " Risk: at most %.1f%% chance per step that demand exceeds capacity.",
                                100.0 * in->max_p_shortfall);
    if (rc == KAIROS_OK && anomaly)
        rc = kairos__buf_printf(b,
                                " Anomaly: recent errors sit %.1f robust SDs from the backtest "
                                "residuals (threshold %.1f)%s.",
                                in->anomaly_z, o->anomaly_z,
                                escalated_by && escalated_by[0] == 'a'
                                    ? ", so the action needs a human review"
                                    : "; check the forecast before acting");
    return rc;
}

int kairos_decide(kairos_decision_result *out, kairos_buf *rationale,
                  const kairos_decision_input *in, const kairos_decision_opts *opts)
{
    if (!out || !rationale || !in)
        return kairos__fail(KAIROS_EINVAL, "kairos_decide: NULL argument");
    kairos_decision_opts defaults = KAIROS_DECISION_OPTS_INIT;
    const kairos_decision_opts *o = opts ? opts : &defaults;
    int rc = kairos__check_version(out->version, KAIROS_DECISION_RESULT_VERSION,
                                   "kairos_decision_result");
    if (rc == KAIROS_OK)
        rc = kairos__check_version(in->version, KAIROS_DECISION_INPUT_VERSION, "kairos_decision_input");
    if (rc == KAIROS_OK)
        rc = check_decision_opts(o);
    if (rc)
        return rc;

    verdict v = { KAIROS_DECISION_NO_OP, "R-008", 0, NAN, NAN, KAIROS_BUF_INIT };
    kairos__c_locale loc;
    kairos__c_locale_enter(&loc);   /* "%.2f" must print '.', whatever the host's locale */
    rc = apply_rules(&v, in, o);
    int anomaly = isfinite(in->anomaly_z) && fabs(in->anomaly_z) >= o->anomaly_z;
    kairos_decision proposed = v.decision;
    const char *proposed_rule = v.rule, *escalated_by = NULL;
    if (rc == KAIROS_OK) {
        escalate(&v, in, o, anomaly, &escalated_by);
        if (escalated_by) {
            v.decision = KAIROS_DECISION_REVIEW;
            v.rule = escalated_by[0] == 'R' ? "R-006" : proposed_rule;
            v.target = in->current_replicas;
            v.mem_request = v.mem_limit = NAN;
        }
        size_t mark = rationale->len;
        rc = write_rationale(rationale, &v, in, o, anomaly, escalated_by, proposed, proposed_rule);
        if (rc && rationale->data) {
            rationale->len = mark;   /* never leave half a paragraph behind */
            rationale->data[mark] = '\0';
        }
    }
    kairos__c_locale_leave(&loc);
    kairos_buf_dispose(&v.why);
    if (rc)
        return rc;
    out->decision = v.decision;
    out->rule = v.rule;
    out->target_replicas = v.target;
    out->memory_request = v.mem_request;
    out->memory_limit = v.mem_limit;
    out->anomaly = anomaly;
    return KAIROS_OK;
}

int kairos_anomaly_zscore(const double *residuals, size_t n_residuals, const double *recent,
                          size_t n_recent, double *z)
{
    if (!z || (!residuals && n_residuals) || (!recent && n_recent))
        return kairos__fail(KAIROS_EINVAL, "kairos_anomaly_zscore: NULL argument");
    double med, med_recent, mad;
    size_t m = 0;
    int rc = kairos__median(residuals, n_residuals, &med, &m);
    if (rc == KAIROS_EDATA)
        return kairos__fail(KAIROS_EDATA, "no finite backtest residual to compare with");
    if (rc)
        return rc;
    rc = kairos__median(recent, n_recent, &med_recent, NULL);
    if (rc == KAIROS_EDATA)
        return kairos__fail(KAIROS_EDATA, "no finite value in the recent window");
    if (rc)
        return rc;
    double *dev = kairos__malloc_array(n_residuals, sizeof *dev);
    if (!dev)
        return kairos__fail(KAIROS_ENOMEM, "out of memory");
    for (size_t i = 0; i < n_residuals; i++)
        dev[i] = isfinite(residuals[i]) ? fabs(residuals[i] - med) : NAN;
    rc = kairos__median(dev, n_residuals, &mad, NULL);
    free(dev);
    if (rc)
        return rc;
    if (!(mad > 0))
        return kairos__fail(KAIROS_EDATA,
                            "the %zu backtest residuals have no spread (MAD 0): no scale to judge by", m);
    *z = (med_recent - med) / (1.4826 * mad);
    return KAIROS_OK;
}
