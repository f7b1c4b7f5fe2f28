/* kairos_model_calibrate: split-conformal calibration of a model's quantiles from the
 * standardized errors of a rolling-origin backtest (method and guarantee:
 * docs/evaluation.md).
 *
 * The calibrated model is an ordinary kairos_model whose vtable forwards the mean to the
 * underlying model and replaces its quantiles:
 *     q_p(h) = ŷ_h + s_h · ẑ_p(h)
 * where ŷ_h and s_h are the underlying model's mean and spread (q(Φ(1)) − q(Φ(−1)))/2, and
 * ẑ_p(h) is the conformal quantile of the backtest's standardized errors at step h (pooled
 * with neighbouring steps when step h alone has too few). */
#include "eval_internal.h"
#include "forecast/model_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Fewest scores a conformal quantile is taken from: below this, neighbouring steps are
 * pooled in even when the level itself would be supported, so a 5-window backtest does not
 * hang a step's interval on its 5 errors alone. */
#define MIN_POOL 20

typedef struct calib_state {
    kairos_model *base;     /* owned: the model fitted to the whole series */
    size_t H, K, S;         /* the backtest behind the scores */
    size_t *count;          /* H: scores kept at step h */
    double *scores;         /* H rows of K, row h sorted ascending, count[h] valid */
    size_t n_scores;
} calib_state;

/* The model and its vtable in one allocation: the vtable carries the underlying model's name
 * (so reports and messages name it) and lives exactly as long as the model, released by the
 * free(m) that ends kairos_model_free(). */
typedef struct calibrated_model {
    struct kairos_model m;  /* first: the pointer handed out is this member's */
    kairos__model_vtable vt;
} calibrated_model;

static const calib_state *state_of(const kairos_model *m)
{
    return m->state;
}

/* ---- the conformal quantile ------------------------------------------------------------ */

/* Scores a level needs before its conformal quantile exists: n ≥ max(p,1−p)/min(p,1−p). */
static size_t scores_needed(double p)
{
    double t = p < 0.5 ? p : 1.0 - p;
    double need = ceil((1.0 - t) / t - 1e-9);
    return need < (double)MIN_POOL ? MIN_POOL : need > 1e15 ? (size_t)1e15 : (size_t)need;
}

/* The ⌈(n+1)p⌉-th smallest of the sorted z[0..n) for p ≥ 1/2, the ⌊(n+1)p⌋-th for p < 1/2:
 * conservative in the direction of the tail. false when that order statistic does not
 * exist (too few scores for the level). The 1e-9 keeps (n+1)p = 9.000000000000002 from
 * counting as more than 9. */
static bool conformal_quantile(const double *z, size_t n, double p, double *out)
{
    double pos = (double)(n + 1) * p;
    double k = p >= 0.5 ? ceil(pos - 1e-9) : floor(pos + 1e-9);
    if (k < 1.0 || k > (double)n)
        return false;
    *out = z[(size_t)k - 1];
    return true;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Gather the scores of steps [c − b, c + b] for the smallest band b giving at least @p need
 * (all steps when none does) into @p pool, sorted. Returns the pool size. */
static size_t gather_pool(const calib_state *st, size_t c, size_t need, double *pool)
{
    size_t lo = c, hi = c, n = st->count[c];
    while (n < need && (lo > 0 || hi + 1 < st->H)) {
        if (lo > 0)
            n += st->count[--lo];
        if (hi + 1 < st->H)
            n += st->count[++hi];
    }
    size_t filled = 0;
    for (size_t j = lo; j <= hi; j++) {
        memcpy(pool + filled, st->scores + j * st->K, st->count[j] * sizeof *pool);
        filled += st->count[j];
    }
    if (lo != hi)
        qsort(pool, filled, sizeof *pool, compare_doubles);
    return filled;
}

/* ---- the vtable ------------------------------------------------------------------------ */

static int calib_fit(kairos_model *m, const kairos__fit_data *d)
{
    (void)m;
    (void)d;
    return kairos__fail(KAIROS_ENOTSUP, "a calibrated model is made by kairos_model_calibrate()");
}

static int calib_predict(const kairos_model *m, size_t horizon, double *mean, double *sd)
{
    const kairos_model *base = state_of(m)->base;
    return base->vt->predict(base, horizon, mean, sd);
}

/* Indices of @p levels in increasing order of level (insertion sort: once per call). */
static void sort_levels(const double *levels, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        for (; j > 0 && levels[order[j - 1]] > levels[i]; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
}

/* Step @p h of every level: the conformal quantile, or the underlying model's own where the
 * pool is too small for the level; then a running maximum in level order, so levels that
 * fell back cannot cross the conformal ones. */
static void calibrate_step(const double *pool, size_t n_pool, size_t h, size_t horizon,
                           const double *levels, const size_t *order, size_t n_levels,
                           const double *mean, const double *base_q, double *quantiles)
{
    double spread = (base_q[(n_levels + 1) * horizon + h] - base_q[n_levels * horizon + h]) / 2;
    for (size_t i = 0; i < n_levels; i++) {
        double z;
        quantiles[i * horizon + h] = conformal_quantile(pool, n_pool, levels[i], &z)
                                         ? mean[h] + spread * z
                                         : base_q[i * horizon + h];
    }
    for (size_t r = 1; r < n_levels; r++) {
        double below = quantiles[order[r - 1] * horizon + h];
        double *q = &quantiles[order[r] * horizon + h];
        if (*q < below)
            *q = below;
    }
}

static int calib_predict_quantiles(const kairos_model *m, size_t horizon, const double *levels,
                                   size_t n_levels, double *mean, double *quantiles)
{
    const calib_state *st = state_of(m);
    size_t n_ask = n_levels + 2, need = MIN_POOL;
    for (size_t i = 0; i < n_levels; i++) {
        size_t k = scores_needed(levels[i]);
        need = k > need ? k : need;
    }
    double *ask = kairos__malloc_array(n_ask, sizeof *ask);
    double *base_q = n_ask <= SIZE_MAX / horizon ? kairos__malloc_array(n_ask * horizon,
                                                                        sizeof *base_q)
                                                 : NULL;
    double *pool = kairos__malloc_array(st->n_scores ? st->n_scores : 1, sizeof *pool);
    size_t *order = kairos__malloc_array(n_levels ? n_levels : 1, sizeof *order);
    int rc = ask && base_q && pool && order ? KAIROS_OK
                                   : kairos__fail(KAIROS_ENOMEM, "out of memory forecasting "
                                                  "%zu calibrated steps", horizon);
    if (rc == KAIROS_OK) {
        if (n_levels)
            memcpy(ask, levels, n_levels * sizeof *ask);
        ask[n_levels] = KAIROS__SPREAD_LO;
        ask[n_levels + 1] = KAIROS__SPREAD_HI;
        kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
        fo.horizon = horizon;
        fo.quantiles = ask;
        fo.n_quantiles = n_ask;
        rc = kairos_model_forecast(st->base, &fo, mean, base_q);
        sort_levels(levels, n_levels, order);
    }
    size_t pooled_for = SIZE_MAX, n_pool = 0;
    for (size_t h = 0; rc == KAIROS_OK && h < horizon; h++) {
        size_t c = h < st->H ? h : st->H - 1;   /* beyond the backtest: its last step */
        if (c != pooled_for) {
            n_pool = gather_pool(st, c, need, pool);
            pooled_for = c;
        }
        calibrate_step(pool, n_pool, h, horizon, levels, order, n_levels, mean, base_q,
                       quantiles);
    }
    free(ask);
    free(base_q);
    free(pool);
    free(order);
    return rc;
}

static void calib_free_state(void *state)
{
    calib_state *st = state;
    kairos_model_free(st->base);
    free(st->count);
    free(st->scores);
    free(st);
}

static int calib_report_extra(const kairos_model *m, kairos_buf *out)
{
    const calib_state *st = state_of(m);
    int rc = st->base->vt->report_extra ? st->base->vt->report_extra(st->base, out) : KAIROS_OK;
    if (rc == KAIROS_OK)
        rc = kairos__buf_printf(out, ",\"calibration\":{\"method\":\"split-conformal\","
                                "\"score\":\"standardized\",\"windows\":%zu,\"horizon\":%zu,"
                                "\"step\":%zu,\"scores\":%zu,\"min_pool\":%d}",
                                st->K, st->H, st->S, st->n_scores, MIN_POOL);
    return rc;
}

/* ---- building the calibrated model ----------------------------------------------------- */

/* Standardized errors of the backtest, per step, sorted. A point with a missing actual value
 * or no spread (a constant training window) gives no score. */
static int collect_scores(calib_state *st, const kairos_backtest_result *r)
{
    st->H = r->horizon;
    st->K = r->n_windows;
    st->S = r->step;
    st->count = kairos__calloc(st->H, sizeof *st->count);
    st->scores = st->K <= SIZE_MAX / st->H ? kairos__calloc(st->H * st->K, sizeof *st->scores)
                                           : NULL;
    if (!st->count || !st->scores)
        return kairos__fail(KAIROS_ENOMEM, "out of memory for %zu x %zu calibration scores",
                            st->K, st->H);
    for (size_t k = 0; k < st->K; k++) {
        const kairos_backtest_window *w = &r->windows[k];
        for (size_t h = 0; h < st->H; h++) {
            double z = (w->actual[h] - w->mean[h]) / w->spread[h];
            if (!isnan(w->actual[h]) && w->spread[h] > 0 && isfinite(z))
                st->scores[h * st->K + st->count[h]++] = z;
        }
    }
    for (size_t h = 0; h < st->H; h++) {
        qsort(st->scores + h * st->K, st->count[h], sizeof *st->scores, compare_doubles);
        st->n_scores += st->count[h];
    }
    return KAIROS_OK;
}

/* Give the wrapper the underlying model's summary, so describe() and the report show it. */
static int copy_summary(kairos_model *m, const kairos_model *base)
{
    m->period = base->period;
    m->nobs = base->nobs;
    m->sigma2 = base->sigma2;
    m->loglik = base->loglik;
    m->aic = base->aic;
    m->aicc = base->aicc;
    m->bic = base->bic;
    m->has_order = base->has_order;
    m->has_seasonal_order = base->has_seasonal_order;
    memcpy(m->order, base->order, sizeof m->order);
    memcpy(m->seasonal_order, base->seasonal_order, sizeof m->seasonal_order);
    m->has_time = base->has_time;
    m->last_time = base->last_time;
    m->step_s = base->step_s;
    for (size_t i = 0; i < base->n_coef; i++) {
        int rc = kairos__model_add_coef(m, base->coef[i].name, base->coef[i].value);
        if (rc)
            return rc;
    }
    if (base->selection) {
        m->selection = malloc(sizeof *m->selection);
        if (!m->selection)
            return kairos__fail(KAIROS_ENOMEM, "out of memory copying a model's summary");
        *m->selection = *base->selection;
    }
    return KAIROS_OK;
}

static kairos_model *wrapper_new(calib_state *st)
{
    calibrated_model *cm = calloc(1, sizeof *cm);
    if (!cm)
        return NULL;
    cm->vt = (kairos__model_vtable){
        .name = st->base->vt->name,
        .flags = st->base->vt->flags,
        .fit = calib_fit,
        .predict = calib_predict,
        .predict_quantiles = calib_predict_quantiles,
        .free_state = calib_free_state,
        .report_extra = calib_report_extra,
    };
    cm->m.vt = &cm->vt;
    cm->m.state = st;
    return &cm->m;
}

/* Calibration's own defaults (docs/evaluation.md): origins half a horizon apart, and as many
 * windows, 5 to 20, as leave the first one at least half of the series to train on. More
 * origins matter more than more steps: the errors of one window move together, so a pool of
 * K windows holds about K independent scores, whatever its size. */
static void calibration_defaults(kairos_backtest_opts *o, size_t n)
{
    if (o->horizon == 0)
        return;   /* kairos_backtest() says what is wrong */
    if (o->step == 0)
        o->step = o->horizon / 2 + o->horizon % 2;
    if (o->windows == 0) {
        size_t half = n / 2, k = 5;
        if (half > o->horizon)
            k = (half - o->horizon) / o->step + 1;
        o->windows = k < 5 ? 5 : k > 20 ? 20 : k;
    }
}

int kairos_model_calibrate(kairos_model **out, const kairos_series *s,
                           const kairos_fit_opts *fit, const kairos_backtest_opts *bt)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "kairos_model_calibrate: out is NULL");
    *out = NULL;
    if (!bt)
        return kairos__fail(KAIROS_EINVAL, "kairos_model_calibrate: backtest options are "
                                           "required (the horizon)");
    kairos_fit_opts f;
    int rc = kairos__eval_fit_opts(fit, &f);
    if (rc)
        return rc;
    kairos_backtest_opts o = *bt;   /* scores come from the spread, not from these */
    o.quantiles = o.levels = NULL;
    o.n_quantiles = o.n_levels = 0;
    o.msis_level = 0;
    calibration_defaults(&o, kairos_series_length(s));
    kairos_backtest_result r = KAIROS_BACKTEST_RESULT_INIT;
    rc = kairos_backtest(&r, s, &f, &o);
    if (rc)
        return rc;
    calib_state *st = calloc(1, sizeof *st);
    rc = st ? collect_scores(st, &r)
            : kairos__fail(KAIROS_ENOMEM, "out of memory calibrating a model");
    kairos_backtest_result_dispose(&r);
    if (rc == KAIROS_OK) {
        if (f.horizon == 0)
            f.horizon = st->H;
        rc = kairos_model_fit(&st->base, s, &f);
    }
    kairos_model *m = rc == KAIROS_OK ? wrapper_new(st) : NULL;
    if (rc == KAIROS_OK && !m)
        rc = kairos__fail(KAIROS_ENOMEM, "out of memory calibrating a model");
    if (m) {
        rc = copy_summary(m, st->base);
        if (rc)
            kairos_model_free(m);   /* releases st too */
        else
            *out = m;
        return rc;
    }
    if (st)
        calib_free_state(st);
    return rc;
}
