/* The cost model: blended replica rates, plan costs, deltas and the cost–risk table. */
#include "core/internal.h"
#include <kairos/cost.h>

#include <math.h>
#include <stdlib.h>

#define GIB 1073741824.0

static const double default_levels[KAIROS_COST_RISK_DEFAULT_ROWS] = { 0.5, 0.8, 0.9, 0.95, 0.99 };

int kairos_cost_model_init(kairos_cost_model *model, unsigned version)
{
    if (!model)
        return kairos__fail(KAIROS_EINVAL, "kairos_cost_model_init: model is NULL");
    int rc = kairos__check_version(version, KAIROS_COST_MODEL_VERSION, "kairos_cost_model");
    if (rc)
        return rc;
    kairos_cost_model d = KAIROS_COST_MODEL_INIT;
    *model = d;
    model->version = version;
    return KAIROS_OK;
}

static int nonnegative(double x, const char *what)
{
    if (!(x >= 0) || !isfinite(x))
        return kairos__fail(KAIROS_EINVAL, "%s must be a finite number >= 0 (got %g)", what, x);
    return KAIROS_OK;
}

static int check_model(const kairos_cost_model *m)
{
    int rc = kairos__check_version(m->version, KAIROS_COST_MODEL_VERSION, "kairos_cost_model");
    if (rc == KAIROS_OK)
        rc = nonnegative(m->cpu_price, "CPU price");
    if (rc == KAIROS_OK)
        rc = nonnegative(m->memory_price, "memory price");
    if (rc == KAIROS_OK)
        rc = nonnegative(m->spot_cpu_price, "spot CPU price");
    if (rc == KAIROS_OK)
        rc = nonnegative(m->spot_memory_price, "spot memory price");
    if (rc)
        return rc;
    if (!(m->hours_per_month > 0) || !isfinite(m->hours_per_month))
        return kairos__fail(KAIROS_EINVAL, "hours per month must be a finite number > 0 (got %g)",
                            m->hours_per_month);
    if (!(m->spot_share >= 0 && m->spot_share <= 1))
        return kairos__fail(KAIROS_EINVAL, "spot share must be in [0,1] (got %g)", m->spot_share);
    if (!(m->spot_discount >= 0 && m->spot_discount <= 1))
        return kairos__fail(KAIROS_EINVAL, "spot discount must be in [0,1] (got %g)", m->spot_discount);
    if (m->spot_discount > 0 && (m->spot_cpu_price > 0 || m->spot_memory_price > 0))
        return kairos__fail(KAIROS_EINVAL, "give a spot discount or explicit spot prices, not both");
    return KAIROS_OK;
}

/* On-demand and spot blended by the spot share. */
static double blended(double on_demand, double explicit_spot, const kairos_cost_model *m)
{
    double spot = explicit_spot > 0 ? explicit_spot : on_demand * (1.0 - m->spot_discount);
    return (1.0 - m->spot_share) * on_demand + m->spot_share * spot;
}

int kairos_cost_replica_hourly(const kairos_cost_model *model, double cpu_cores,
                               double memory_bytes, double *per_hour)
{
    if (!per_hour)
        return kairos__fail(KAIROS_EINVAL, "kairos_cost_replica_hourly: per_hour is NULL");
    kairos_cost_model defaults = KAIROS_COST_MODEL_INIT;
    const kairos_cost_model *m = model ? model : &defaults;
    int rc = check_model(m);
    if (rc == KAIROS_OK)
        rc = nonnegative(cpu_cores, "CPU per replica");
    if (rc == KAIROS_OK)
        rc = nonnegative(memory_bytes, "memory per replica");
    if (rc)
        return rc;
    *per_hour = cpu_cores * blended(m->cpu_price, m->spot_cpu_price, m) +
                memory_bytes / GIB * blended(m->memory_price, m->spot_memory_price, m);
    return KAIROS_OK;
}

int kairos_cost_monthly(const kairos_cost_model *model, double cpu_cores, double memory_bytes,
                        double replicas, double *per_month)
{
    if (!per_month)
        return kairos__fail(KAIROS_EINVAL, "kairos_cost_monthly: per_month is NULL");
    int rc = nonnegative(replicas, "replicas");
    double rate;
    if (rc == KAIROS_OK)
        rc = kairos_cost_replica_hourly(model, cpu_cores, memory_bytes, &rate);
    if (rc)
        return rc;
    *per_month = replicas * rate * (model ? model->hours_per_month : 730.0);
    return KAIROS_OK;
}

int kairos_cost_plan(kairos_cost_report *out, const kairos_cost_model *model, double cpu_cores,
                     double memory_bytes, const size_t *replicas, size_t horizon, int64_t step_s,
                     size_t current_replicas)
{
    if (!out || !replicas)
        return kairos__fail(KAIROS_EINVAL, "kairos_cost_plan: NULL argument");
    int rc = kairos__check_version(out->version, KAIROS_COST_REPORT_VERSION, "kairos_cost_report");
    if (rc)
        return rc;
    if (horizon == 0 || step_s <= 0)
        return kairos__fail(KAIROS_EINVAL, "a plan needs a horizon >= 1 and a step > 0 (got %zu, %lld s)",
                            horizon, (long long)step_s);
    double rate;
    rc = kairos_cost_replica_hourly(model, cpu_cores, memory_bytes, &rate);
    if (rc)
        return rc;
    double hpm = model ? model->hours_per_month : 730.0;
    double step_h = (double)step_s / 3600.0, rh = 0;
    size_t peak = 0;
    for (size_t t = 0; t < horizon; t++) {
        rh += (double)replicas[t] * step_h;
        if (replicas[t] > peak)
            peak = replicas[t];
    }
    double hours = (double)horizon * step_h;
    out->replica_hourly = rate;
    out->horizon_hours = hours;
    out->replica_hours = rh;
    out->mean_replicas = rh / hours;
    out->peak_replicas = peak;
    out->plan_horizon = rh * rate;
    out->plan_month = out->mean_replicas * rate * hpm;
    out->peak_month = (double)peak * rate * hpm;
    out->current_month = current_replicas ? (double)current_replicas * rate * hpm : NAN;
    out->delta_vs_current = out->plan_month - out->current_month;
    out->delta_vs_peak = out->plan_month - out->peak_month;
    out->savings_vs_current = out->current_month - out->plan_month;
    out->savings_vs_peak = out->peak_month - out->plan_month;
    return KAIROS_OK;
}

int kairos_cost_risk_table(kairos_cost_risk_row *rows, const double *levels, size_t n,
                           const kairos_plan_forecast *forecast, const kairos_plan_opts *plan_opts,
                           const kairos_cost_model *model, double cpu_cores, double memory_bytes)
{
    if (!rows || !forecast || !plan_opts)
        return kairos__fail(KAIROS_EINVAL, "kairos_cost_risk_table: NULL argument");
    if (!levels && n != KAIROS_COST_RISK_DEFAULT_ROWS)
        return kairos__fail(KAIROS_EINVAL, "the default cost-risk table has %d rows, not %zu",
                            KAIROS_COST_RISK_DEFAULT_ROWS, n);
    if (n == 0)
        return kairos__fail(KAIROS_EINVAL, "the cost-risk table needs at least one level");
    const double *lv = levels ? levels : default_levels;
    size_t h = forecast->horizon;
    double rate;
    int rc = kairos_cost_replica_hourly(model, cpu_cores, memory_bytes, &rate);
    if (rc)
        return rc;
    if (h == 0)
        return kairos__fail(KAIROS_EINVAL, "the forecast has a horizon of 0 steps");
    size_t *plan = kairos__malloc_array(h, sizeof *plan);
    if (!plan)
        return kairos__fail(KAIROS_ENOMEM, "out of memory planning %zu steps", h);
    kairos_plan_opts o = *plan_opts;
    o.risk = 0;
    for (size_t i = 0; i < n && rc == KAIROS_OK; i++) {
        o.quantile = lv[i];
        kairos_plan_totals tot = { 0 };
        tot.version = KAIROS_PLAN_TOTALS_VERSION;
        rc = kairos_plan_replicas(forecast, &o, plan, NULL, NULL, &tot);
        kairos_cost_report rep = { 0 };
        rep.version = KAIROS_COST_REPORT_VERSION;
        if (rc == KAIROS_OK)
            rc = kairos_cost_plan(&rep, model, cpu_cores, memory_bytes, plan, h, forecast->step_s, 0);
        if (rc)
            break;
        rows[i].level = lv[i];
        rows[i].peak_replicas = tot.peak_replicas;
        rows[i].replica_hours = tot.replica_hours;
        rows[i].month = rep.plan_month;
        rows[i].delta_month = i ? rep.plan_month - rows[i - 1].month : 0.0;
        rows[i].max_p_shortfall = tot.max_p_shortfall;
        rows[i].mean_p_shortfall = tot.mean_p_shortfall;
        rows[i].shortfall_replica_minutes = tot.shortfall_replica_minutes;
    }
    free(plan);
    return rc;
}
