/* The replica planner: demand per step → replicas per step, with risk and totals. */
#include "plan_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int kairos_plan_opts_init(kairos_plan_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "kairos_plan_opts_init: opts is NULL");
    int rc = kairos__check_version(version, KAIROS_PLAN_OPTS_VERSION, "kairos_plan_opts");
    if (rc)
        return rc;
    kairos_plan_opts d = KAIROS_PLAN_OPTS_INIT;
    *opts = d;
    opts->version = version;
    return KAIROS_OK;
}

static int check_opts(const kairos_plan_opts *o)
{
    int rc = kairos__check_version(o->version, KAIROS_PLAN_OPTS_VERSION, "kairos_plan_opts");
    if (rc)
        return rc;
    if (!(o->target_per_replica > 0) || !isfinite(o->target_per_replica))
        return kairos__fail(KAIROS_EINVAL, "target per replica must be a finite number > 0 (got %g)",
                            o->target_per_replica);
    if (!(o->headroom > 0) || !isfinite(o->headroom))
        return kairos__fail(KAIROS_EINVAL, "headroom must be a finite number > 0 (got %g)",
                            o->headroom);
    if (o->quantile != 0 && o->risk != 0)
        return kairos__fail(KAIROS_EINVAL, "give either a quantile or a risk to plan on, not both");
    if (o->quantile != 0 && !(o->quantile > 0 && o->quantile < 1))
        return kairos__fail(KAIROS_EINVAL, "the quantile to plan on must be inside (0,1) (got %g)",
                            o->quantile);
    if (o->risk != 0 && !(o->risk > 0 && o->risk < 1))
        return kairos__fail(KAIROS_EINVAL, "the risk must be a probability inside (0,1) (got %g)",
                            o->risk);
    if (o->max_replicas < o->min_replicas)
        return kairos__fail(KAIROS_EINVAL, "max replicas (%zu) is below min replicas (%zu)",
                            o->max_replicas, o->min_replicas);
    if (o->max_replicas > KAIROS_PLAN_MAX_REPLICAS)
        return kairos__fail(KAIROS_EINVAL, "max replicas %zu is above the supported %d",
                            o->max_replicas, KAIROS_PLAN_MAX_REPLICAS);
    if (!(o->max_up_factor >= 1) || !isfinite(o->max_up_factor))
        return kairos__fail(KAIROS_EINVAL, "max scale-up factor must be a finite number >= 1 (got %g)",
                            o->max_up_factor);
    if (!(o->max_down_fraction >= 0 && o->max_down_fraction <= 1))
        return kairos__fail(KAIROS_EINVAL, "max scale-down fraction must be in [0,1] (got %g)",
                            o->max_down_fraction);
    if (o->stabilization_s < 0)
        return kairos__fail(KAIROS_EINVAL, "stabilization window must be >= 0 seconds");
    if (o->lead_time_s < 0)
        return kairos__fail(KAIROS_EINVAL, "lead time must be >= 0 seconds");
    return KAIROS_OK;
}

static size_t steps_covering(int64_t seconds, int64_t step_s)
{
    /* ceil(seconds / step_s) without overflow */
    return (size_t)(seconds / step_s + (seconds % step_s != 0));
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Working memory of one call. */
typedef struct plan_work {
    kairos__levels lv;
    double *q;        /* one step's sorted quantiles */
    double *d;        /* load per step */
    double *need;     /* load over the lead window per step */
    double *rstar;    /* unconstrained replicas per step */
    double *stab;     /* rstar's maximum over the stabilization window */
    size_t *queue;    /* scratch for window_max */
} plan_work;

static void work_free(plan_work *w)
{
    kairos__levels_free(&w->lv);
    free(w->q);
    free(w->d);
    free(w->need);
    free(w->rstar);
    free(w->stab);
    free(w->queue);
}

/* The level to plan on, snapped onto a given level when within 1e-9 of it; NaN = the mean. */
static double planned_level(const kairos_plan_opts *o, const kairos__levels *lv, int *outside)
{
    double level = o->quantile != 0 ? o->quantile : o->risk != 0 ? 1.0 - o->risk : NAN;
    *outside = 0;
    if (isnan(level))
        return level;
    for (size_t i = 0; i < lv->k; i++)
        if (fabs(level - lv->p[i]) <= 1e-9)
            return lv->p[i];
    *outside = lv->k == 0 || level < lv->p[0] || level > lv->p[lv->k - 1];
    return level;
}

/* out[t] = max(x[t−back … t+fwd]) over the indices inside [0, n), for every t, in O(n)
 * with a monotone queue of indices (a plan may be long and its windows wide). */
static void window_max(const double *x, size_t n, size_t back, size_t fwd, size_t *queue,
                       double *out)
{
    size_t head = 0, tail = 0, next = 0;   /* queue[head..tail): indices, values decreasing */
    for (size_t t = 0; t < n; t++) {
        size_t last = fwd >= n - 1 - t ? n - 1 : t + fwd;
        for (; next <= last; next++) {
            while (tail > head && x[queue[tail - 1]] <= x[next])
                tail--;
            queue[tail++] = next;
        }
        while (t > back && queue[head] < t - back)
            head++;
        out[t] = x[queue[head]];
    }
}

static void fill_totals(kairos_plan_totals *tot, const kairos_plan_forecast *fc,
                        const size_t *replicas, double level, int outside, size_t lead,
                        size_t stab, double excess_minutes, double pmax, double psum)
{
    double step_h = (double)fc->step_s / 3600.0;
    size_t peak = 0, peak_step = 0;
    double rh = 0;
    for (size_t t = 0; t < fc->horizon; t++) {
        rh += (double)replicas[t] * step_h;
        if (replicas[t] > peak) {
            peak = replicas[t];
            peak_step = t;
        }
    }
    tot->replica_hours = rh;
    tot->peak_replicas = peak;
    tot->peak_step = peak_step;
    tot->shortfall_replica_minutes = excess_minutes;
    tot->max_p_shortfall = pmax;
    tot->mean_p_shortfall = psum / (double)fc->horizon;
    tot->planned_level = level;
    tot->level_extrapolated = outside;
    tot->lead_steps = lead;
    tot->stabilization_steps = stab;
    tot->hours = (double)fc->horizon * step_h;
}

int kairos_plan_replicas(const kairos_plan_forecast *fc, const kairos_plan_opts *opts,
                         size_t *replicas, double *demand, double *p_shortfall,
                         kairos_plan_totals *totals)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "plan options are required (target per replica has no default)");
    if (!replicas)
        return kairos__fail(KAIROS_EINVAL, "kairos_plan_replicas: replicas is NULL");
    int rc = check_opts(opts);
    if (rc == KAIROS_OK && totals)
        rc = kairos__check_version(totals->version, KAIROS_PLAN_TOTALS_VERSION, "kairos_plan_totals");
    if (rc)
        return rc;
    plan_work w = { 0 };
    rc = kairos__forecast_check(fc, &w.lv);
    if (rc)
        return rc;
    int outside;
    double level = planned_level(opts, &w.lv, &outside);
    if (!isnan(level) && w.lv.k == 0)
        return kairos__fail(KAIROS_EDATA, "cannot plan on quantile %g: the forecast has no quantiles",
                            level);

    size_t h = fc->horizon;
    w.q = kairos__malloc_array(w.lv.k, sizeof *w.q);
    w.d = kairos__malloc_array(h, sizeof *w.d);
    w.need = kairos__malloc_array(h, sizeof *w.need);
    w.rstar = kairos__malloc_array(h, sizeof *w.rstar);
    w.stab = kairos__malloc_array(h, sizeof *w.stab);
    w.queue = kairos__malloc_array(h, sizeof *w.queue);
    if (!w.q || !w.d || !w.need || !w.rstar || !w.stab || !w.queue) {
        work_free(&w);
        return kairos__fail(KAIROS_ENOMEM, "out of memory planning %zu steps", h);
    }

    const kairos_plan_opts *o = opts;
    kairos__dist dist;
    for (size_t t = 0; t < h; t++) {
        kairos__dist_at(&dist, fc, &w.lv, t, w.q);
        double x = isnan(level) ? fc->mean[t] : kairos__dist_quantile(&dist, level);
        w.d[t] = fmax(x, 0.0);   /* load is never negative */
    }

    size_t lead = steps_covering(o->lead_time_s, fc->step_s);
    size_t stab = steps_covering(o->stabilization_s, fc->step_s);
    double lo = (double)o->min_replicas, hi = (double)o->max_replicas;
    /* Lead time: capacity at t covers the demand of steps t … t+lead, both included. */
    window_max(w.d, h, 0, lead, w.queue, w.need);
    for (size_t t = 0; t < h; t++) {
        if (demand)
            demand[t] = w.need[t];
        /* Clamp before converting: a huge demand must never overflow the count. */
        w.rstar[t] = clamp(kairos__ceil_tol(w.need[t] * o->headroom / o->target_per_replica), lo, hi);
    }
    /* Stabilization: the largest count of steps t−W … t; steps before the plan stand for the
     * current replicas (r*_0 when unknown). */
    window_max(w.rstar, h, stab, 0, w.queue, w.stab);

    double before = o->current_replicas ? (double)o->current_replicas : w.rstar[0];
    double prev = before;
    double excess = 0, pmax = 0, psum = 0;
    double step_min = (double)fc->step_s / 60.0;
    for (size_t t = 0; t < h; t++) {
        double r = t < stab ? fmax(w.stab[t], before) : w.stab[t];
        r = fmin(r, kairos__ceil_tol(fmax(prev, 1.0) * o->max_up_factor));
        r = fmax(r, kairos__floor_tol(prev * (1.0 - o->max_down_fraction)));
        r = clamp(r, lo, hi);
        replicas[t] = (size_t)r;
        prev = r;

        kairos__dist_at(&dist, fc, &w.lv, t, w.q);
        double capacity = r * o->target_per_replica;
        double p = kairos__dist_exceed(&dist, capacity);
        if (p_shortfall)
            p_shortfall[t] = p;
        pmax = fmax(pmax, p);
        psum += p;
        excess += kairos__dist_excess(&dist, capacity) / o->target_per_replica * step_min;
    }
    if (totals)
        fill_totals(totals, fc, replicas, level, outside, lead, stab, excess, pmax, psum);
    work_free(&w);
    return KAIROS_OK;
}

static int one_step(const kairos_plan_forecast *fc, size_t step, kairos__levels *lv, double **q)
{
    int rc = kairos__forecast_check(fc, lv);
    if (rc)
        return rc;
    if (step >= fc->horizon) {
        kairos__levels_free(lv);
        return kairos__fail(KAIROS_EINVAL, "step %zu is beyond the horizon of %zu steps", step,
                            fc->horizon);
    }
    *q = kairos__malloc_array(lv->k, sizeof **q);
    if (!*q) {
        kairos__levels_free(lv);
        return kairos__fail(KAIROS_ENOMEM, "out of memory");
    }
    return KAIROS_OK;
}

int kairos_plan_quantile_at(const kairos_plan_forecast *fc, size_t step, double level, double *out)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "kairos_plan_quantile_at: out is NULL");
    if (!(level > 0 && level < 1))
        return kairos__fail(KAIROS_EINVAL, "quantile level %g is not inside (0,1)", level);
    kairos__levels lv;
    double *q = NULL;
    int rc = one_step(fc, step, &lv, &q);
    if (rc)
        return rc;
    if (lv.k == 0) {
        free(q);
        return kairos__fail(KAIROS_EDATA, "the forecast has no quantiles");
    }
    for (size_t i = 0; i < lv.k; i++)
        if (fabs(level - lv.p[i]) <= 1e-9)
            level = lv.p[i];
    kairos__dist d;
    kairos__dist_at(&d, fc, &lv, step, q);
    *out = kairos__dist_quantile(&d, level);
    free(q);
    kairos__levels_free(&lv);
    return KAIROS_OK;
}

int kairos_plan_exceedance(const kairos_plan_forecast *fc, size_t step, double capacity,
                           double *probability)
{
    if (!probability)
        return kairos__fail(KAIROS_EINVAL, "kairos_plan_exceedance: probability is NULL");
    if (isnan(capacity))
        return kairos__fail(KAIROS_EINVAL, "capacity is NaN");
    kairos__levels lv;
    double *q = NULL;
    int rc = one_step(fc, step, &lv, &q);
    if (rc)
        return rc;
    kairos__dist d;
    kairos__dist_at(&d, fc, &lv, step, q);
    *probability = kairos__dist_exceed(&d, capacity);
    free(q);
    kairos__levels_free(&lv);
    return KAIROS_OK;
}
