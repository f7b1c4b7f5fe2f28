/* Rolling-origin backtest (docs/evaluation.md): K windows of H steps, origins S apart, the
 * last window ending at the end of the series. Each window fits the model to the points
 * before its origin — a zero-copy view of the series — and scores the next H points. */
#include "eval_internal.h"
#include "series/series_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a result's pointers point into; freed as one by kairos_backtest_result_dispose(). */
typedef struct storage {
    double *quantiles, *levels;              /* copies of the levels scored */
    double *pinball, *coverage;              /* K × nq, K × nl */
    double *pinball_all, *coverage_all;      /* nq, nl */
    double *actual, *mean, *lower, *upper, *spread;   /* K × H each */
    kairos_backtest_window *windows;
} storage;

/* ---- options --------------------------------------------------------------------------- */

int kairos_backtest_opts_init(kairos_backtest_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "kairos_backtest_opts_init: opts is NULL");
    int rc = kairos__check_version(version, KAIROS_BACKTEST_OPTS_VERSION,
                                   "kairos_backtest_opts");
    if (rc)
        return rc;
    *opts = (kairos_backtest_opts)KAIROS_BACKTEST_OPTS_INIT;
    opts->version = version;
    return KAIROS_OK;
}

/* A new version of kairos_fit_opts needs its predecessor's size below. */
_Static_assert(KAIROS_FIT_OPTS_VERSION <= 3, "kairos__eval_fit_opts: add the size of version "
                                             "KAIROS_FIT_OPTS_VERSION - 1");

int kairos__eval_fit_opts(const kairos_fit_opts *in, kairos_fit_opts *out)
{
    *out = (kairos_fit_opts)KAIROS_FIT_OPTS_INIT;
    if (!in)
        return KAIROS_OK;
    int rc = kairos__check_version(in->version, KAIROS_FIT_OPTS_VERSION, "kairos_fit_opts");
    if (rc)
        return rc;
    /* Read only the fields the caller's version has; later ones keep their defaults. The
     * current version is the whole struct. */
    size_t size = in->version == 1 ? offsetof(kairos_fit_opts, arima_p)
                : in->version == 2 && KAIROS_FIT_OPTS_VERSION > 2
                    ? offsetof(kairos_fit_opts, arima_exhaustive) + sizeof(int)
                    : sizeof *out;
    memcpy(out, in, size);
    out->version = KAIROS_FIT_OPTS_VERSION;
    return KAIROS_OK;
}

static int check_levels(const double *x, size_t n, double high, const char *what)
{
    if (n > 0 && !x)
        return kairos__fail(KAIROS_EINVAL, "backtest: %zu %s asked but the array is NULL", n,
                            what);
    for (size_t i = 0; i < n; i++)
        if (!(x[i] > 0.0 && x[i] < high))
            return kairos__fail(KAIROS_EINVAL, "backtest: %s %g is not in (0,%g)", what, x[i],
                                high);
    return KAIROS_OK;
}

/* The caller's options with defaults resolved and checked. */
static int resolve_opts(const kairos_backtest_opts *in, kairos_backtest_opts *o)
{
    if (!in)
        return kairos__fail(KAIROS_EINVAL, "backtest: options are required (the horizon)");
    int rc = kairos__check_version(in->version, KAIROS_BACKTEST_OPTS_VERSION,
                                   "kairos_backtest_opts");
    if (rc)
        return rc;
    *o = *in;   /* version 1 is the only version: the whole struct is there */
    if (o->horizon == 0)
        return kairos__fail(KAIROS_EINVAL, "backtest: the horizon must be at least 1 step");
    o->windows = o->windows ? o->windows : 5;
    o->step = o->step ? o->step : o->horizon;
    o->msis_level = o->msis_level != 0.0 ? o->msis_level : 95.0;
    o->min_train = o->min_train ? o->min_train : 1;
    rc = check_levels(o->quantiles, o->n_quantiles, 1.0, "quantile level");
    if (rc == KAIROS_OK)
        rc = check_levels(o->levels, o->n_levels, 100.0, "interval level");
    if (rc == KAIROS_OK)
        rc = check_levels(&o->msis_level, 1, 100.0, "MSIS level");
    return rc;
}

/* Points the backtest needs: min_train + H + (K − 1)·S, or SIZE_MAX when that overflows. */
static size_t points_needed(const kairos_backtest_opts *o)
{
    size_t k1 = o->windows - 1;
    if (k1 > 0 && o->step > SIZE_MAX / k1)
        return SIZE_MAX;
    size_t span = k1 * o->step;
    if (span > SIZE_MAX - o->horizon || span + o->horizon > SIZE_MAX - o->min_train)
        return SIZE_MAX;
    return o->min_train + o->horizon + span;
}

static int check_length(size_t n, const kairos_backtest_opts *o)
{
    size_t need = points_needed(o);
    if (n >= need)
        return KAIROS_OK;
    if (n < o->min_train + o->horizon)
        return kairos__fail(KAIROS_EDATA, "the series has %zu points, too short to backtest a "
                            "horizon of %zu: it needs at least %zu (%zu to train on + %zu to "
                            "score)", n, o->horizon, o->min_train + o->horizon, o->min_train,
                            o->horizon);
    size_t most = (n - o->min_train - o->horizon) / o->step + 1;
    return kairos__fail(KAIROS_EDATA, "the series has %zu points, too short for %zu backtest "
                        "windows of horizon %zu, %zu steps apart: that needs at least %zu "
                        "(%zu to train on + %zu + %zu x %zu); it has room for %zu", n,
                        o->windows, o->horizon, o->step, need, o->min_train, o->horizon,
                        o->windows - 1, o->step, most);
}

/* ---- season of the MASE/MSIS scale ----------------------------------------------------- */

/* The series' fixed step: its own, else the spacing of strictly increasing, evenly spaced
 * timestamps (as the forecast module reads it); 0 when there is none. */
static int64_t series_step(const kairos_series *s)
{
    if (!s->timestamps || s->n < 2)
        return s->step_s;
    if (s->step_s > 0)
        return s->step_s;
    const int64_t *t = s->timestamps;
    uint64_t step = (uint64_t)t[1] - (uint64_t)t[0];
    if (t[1] <= t[0] || step > INT64_MAX)
        return 0;
    for (size_t i = 2; i < s->n; i++)
        if (t[i] <= t[i - 1] || (uint64_t)t[i] - (uint64_t)t[i - 1] != step)
            return 0;
    return (int64_t)step;
}

static size_t resolve_season(const kairos_series *s, const kairos_fit_opts *fit, size_t given)
{
    if (given)
        return given;
    if (fit->n_periods > 0 && fit->periods && fit->periods[0] > 0)
        return fit->periods[0];
    kairos_series view = *s;
    view.step_s = series_step(s);
    size_t periods[4], n = 0;
    if (view.step_s > 0 && kairos_series_infer_periods(&view, periods, 4, &n) == KAIROS_OK &&
        n > 0)
        return periods[0];
    return 1;
}

/* ---- storage --------------------------------------------------------------------------- */

static void storage_free(storage *st)
{
    if (!st)
        return;
    free(st->quantiles);
    free(st->levels);
    free(st->pinball);
    free(st->coverage);
    free(st->pinball_all);
    free(st->coverage_all);
    free(st->actual);
    free(st->mean);
    free(st->lower);
    free(st->upper);
    free(st->spread);
    free(st->windows);
    free(st);
}

/* calloc(n ≥ 1): so an empty list is still a valid pointer and NULL means failure. */
static double *doubles(size_t n)
{
    return kairos__calloc(n ? n : 1, sizeof(double));
}

static storage *storage_new(const kairos_backtest_opts *o)
{
    storage *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    size_t K = o->windows, H = o->horizon, nq = o->n_quantiles, nl = o->n_levels;
    bool ok = K <= SIZE_MAX / H && (nq == 0 || K <= SIZE_MAX / nq) &&
              (nl == 0 || K <= SIZE_MAX / nl);
    if (ok) {
        st->quantiles = doubles(nq);
        st->levels = doubles(nl);
        st->pinball = doubles(K * nq);
        st->coverage = doubles(K * nl);
        st->pinball_all = doubles(nq);
        st->coverage_all = doubles(nl);
        st->actual = doubles(K * H);
        st->mean = doubles(K * H);
        st->lower = doubles(K * H);
        st->upper = doubles(K * H);
        st->spread = doubles(K * H);
        st->windows = kairos__calloc(K, sizeof *st->windows);
    }
    if (!ok || !st->quantiles || !st->levels || !st->pinball || !st->coverage ||
        !st->pinball_all || !st->coverage_all || !st->actual || !st->mean || !st->lower ||
        !st->upper || !st->spread || !st->windows) {
        storage_free(st);
        return NULL;
    }
    if (nq)
        memcpy(st->quantiles, o->quantiles, nq * sizeof *st->quantiles);
    if (nl)
        memcpy(st->levels, o->levels, nl * sizeof *st->levels);
    return st;
}

/* ---- one window ------------------------------------------------------------------------ */

/* The levels each window's forecast is asked for: the quantiles scored, the lo/hi pair of
 * each interval, the MSIS interval, and Φ(∓1) for the spread. */
typedef struct ask {
    double *levels;
    size_t n, interval0, msis0, spread0;
} ask;

static int ask_new(const kairos_backtest_opts *o, ask *a)
{
    a->interval0 = o->n_quantiles;
    a->msis0 = a->interval0 + 2 * o->n_levels;
    a->spread0 = a->msis0 + 2;
    a->n = a->spread0 + 2;
    a->levels = doubles(a->n);
    if (!a->levels)
        return kairos__fail(KAIROS_ENOMEM, "out of memory preparing a backtest");
    if (o->n_quantiles)
        memcpy(a->levels, o->quantiles, o->n_quantiles * sizeof *a->levels);
    int rc = kairos_levels_to_quantiles(o->levels, o->n_levels, a->levels + a->interval0);
    if (rc == KAIROS_OK)
        rc = kairos_levels_to_quantiles(&o->msis_level, 1, a->levels + a->msis0);
    a->levels[a->spread0] = KAIROS__SPREAD_LO;
    a->levels[a->spread0 + 1] = KAIROS__SPREAD_HI;
    return rc;
}

/* Fit window @p k to its training view; a failure names the window, keeping the status. */
static int fit_window(kairos_model **model, const kairos_series *s, size_t origin, size_t k,
                      size_t K, const kairos_fit_opts *fit)
{
    kairos_series view = *s;
    view.n = origin;
    view.step_s = series_step(s);
    int rc = kairos_model_fit(model, &view, fit);
    if (rc != KAIROS_EDATA && rc != KAIROS_EMODEL)
        return rc;   /* success, or a problem of the options: the library's words suffice */
    char detail[400];
    snprintf(detail, sizeof detail, "%s", kairos_last_error());
    return kairos__fail(rc, "backtest window %zu of %zu (trained on the first %zu points): %s",
                        k + 1, K, origin, detail);
}

/* Score window @p k from its forecast @p q (ask levels × H, row-major). */
static void score_window(kairos_backtest_result *r, storage *st, const ask *a, size_t k,
                         const double *train, const double *q)
{
    size_t H = r->horizon;
    kairos_backtest_window *w = &st->windows[k];
    const double *y = st->actual + k * H, *f = st->mean + k * H;
    for (size_t h = 0; h < H; h++) {
        st->lower[k * H + h] = q[a->msis0 * H + h];
        st->upper[k * H + h] = q[(a->msis0 + 1) * H + h];
        st->spread[k * H + h] = (q[(a->spread0 + 1) * H + h] - q[a->spread0 * H + h]) / 2.0;
    }
    w->scale = kairos__naive_scale(train, w->origin, r->season);
    double scale = w->scale > 0 ? w->scale : NAN;   /* a zero scale leaves them undefined */
    w->metrics = (kairos_metrics){
        .n = kairos__count_present(y, H),
        .mae = kairos__mae(y, f, H),
        .rmse = kairos__rmse(y, f, H),
        .mape = kairos__mape(y, f, H),
        .smape = kairos__smape(y, f, H),
        .mase = kairos__mae(y, f, H) / scale,
        .msis = kairos__interval_score(y, st->lower + k * H, st->upper + k * H, H,
                                       1.0 - r->msis_level / 100.0) / scale,
    };
    for (size_t i = 0; i < r->n_quantiles; i++)
        st->pinball[k * r->n_quantiles + i] = kairos__pinball(y, q + i * H, H,
                                                              r->quantiles[i]);
    for (size_t j = 0; j < r->n_levels; j++)
        st->coverage[k * r->n_levels + j] =
            kairos__coverage(y, q + (a->interval0 + 2 * j) * H,
                             q + (a->interval0 + 2 * j + 1) * H, H);
    w->pinball = st->pinball + k * r->n_quantiles;
    w->coverage = st->coverage + k * r->n_levels;
    w->actual = y;
    w->mean = f;
    w->lower = st->lower + k * H;
    w->upper = st->upper + k * H;
    w->spread = st->spread + k * H;
}

static void describe_window(kairos_backtest_window *w, const kairos_model *model)
{
    kairos_model_info info = KAIROS_MODEL_INFO_INIT;
    if (kairos_model_describe(model, &info) != KAIROS_OK)
        return;
    snprintf(w->model, sizeof w->model, "%s", info.name ? info.name : "");
    w->period = info.period;
}

static int run_window(kairos_backtest_result *r, storage *st, const ask *a, size_t k,
                      const kairos_series *s, const kairos_fit_opts *fit, double *q)
{
    size_t H = r->horizon;
    kairos_backtest_window *w = &st->windows[k];
    w->origin = s->n - H - (r->n_windows - 1 - k) * r->step;
    w->start_time = s->timestamps ? s->timestamps[w->origin] : 0;
    memcpy(st->actual + k * H, s->values + w->origin, H * sizeof(double));
    kairos_model *model = NULL;
    int rc = fit_window(&model, s, w->origin, k, r->n_windows, fit);
    if (rc)
        return rc;
    describe_window(w, model);
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = H;
    fo.quantiles = a->levels;
    fo.n_quantiles = a->n;
    rc = kairos_model_forecast(model, &fo, st->mean + k * H, q);
    kairos_model_free(model);
    if (rc)
        return rc;
    score_window(r, st, a, k, s->values, q);
    return KAIROS_OK;
}

/* ---- aggregates ------------------------------------------------------------------------ */

/* Mean over the windows of their defined values v[k·stride], weighted by the points each
 * scored (pooled), or one vote per window (as M4 averages per-series MASE). */
static double mean_over_windows(const kairos_backtest_result *r, const double *v,
                                size_t stride, bool weighted)
{
    double s = 0, w = 0;
    for (size_t k = 0; k < r->n_windows; k++) {
        double x = v[k * stride];
        double wk = weighted ? (double)r->windows[k].metrics.n : 1.0;
        if (!isnan(x) && wk > 0) {
            s += wk * x;
            w += wk;
        }
    }
    return w > 0 ? s / w : NAN;
}

/* Unweighted mean of a scaled metric over the windows where it is defined. */
static double mean_scaled(const kairos_backtest_result *r, bool msis)
{
    double s = 0;
    size_t c = 0;
    for (size_t k = 0; k < r->n_windows; k++) {
        double x = msis ? r->windows[k].metrics.msis : r->windows[k].metrics.mase;
        if (!isnan(x)) {
            s += x;
            c++;
        }
    }
    return c ? s / (double)c : NAN;
}

static void aggregate(kairos_backtest_result *r, storage *st)
{
    size_t KH = r->n_windows * r->horizon, n = 0;
    for (size_t k = 0; k < r->n_windows; k++)
        n += st->windows[k].metrics.n;
    r->overall = (kairos_metrics){
        .n = n,
        .mae = kairos__mae(st->actual, st->mean, KH),
        .rmse = kairos__rmse(st->actual, st->mean, KH),
        .mape = kairos__mape(st->actual, st->mean, KH),
        .smape = kairos__smape(st->actual, st->mean, KH),
        .mase = mean_scaled(r, false),
        .msis = mean_scaled(r, true),
    };
    for (size_t i = 0; i < r->n_quantiles; i++)
        st->pinball_all[i] = mean_over_windows(r, st->pinball + i, r->n_quantiles, true);
    for (size_t j = 0; j < r->n_levels; j++)
        st->coverage_all[j] = mean_over_windows(r, st->coverage + j, r->n_levels, true);
}

/* ---- entry points ---------------------------------------------------------------------- */

static void publish(kairos_backtest_result *r, storage *st)
{
    r->quantiles = st->quantiles;
    r->levels = st->levels;
    r->windows = st->windows;
    r->pinball = st->pinball_all;
    r->coverage = st->coverage_all;
    r->internal = st;
}

static int run_all(kairos_backtest_result *r, storage *st, const kairos_series *s,
                   const kairos_fit_opts *fit, const kairos_backtest_opts *o)
{
    ask a = { NULL, 0, 0, 0, 0 };
    int rc = ask_new(o, &a);
    double *q = rc == KAIROS_OK && a.n <= SIZE_MAX / o->horizon ? doubles(a.n * o->horizon)
                                                                : NULL;
    if (rc == KAIROS_OK && !q)
        rc = kairos__fail(KAIROS_ENOMEM, "out of memory for the backtest's forecasts");
    publish(r, st);
    for (size_t k = 0; rc == KAIROS_OK && k < o->windows; k++)
        rc = run_window(r, st, &a, k, s, fit, q);
    if (rc == KAIROS_OK)
        aggregate(r, st);
    free(q);
    free(a.levels);
    return rc;
}

int kairos_backtest(kairos_backtest_result *result, const kairos_series *s,
                    const kairos_fit_opts *fit, const kairos_backtest_opts *opts)
{
    if (!result || !s)
        return kairos__fail(KAIROS_EINVAL, "kairos_backtest: %s is NULL",
                            result ? "the series" : "result");
    int rc = kairos__check_version(result->version, KAIROS_BACKTEST_RESULT_VERSION,
                                   "kairos_backtest_result");
    if (rc)
        return rc;
    unsigned version = result->version;
    *result = (kairos_backtest_result)KAIROS_BACKTEST_RESULT_INIT;
    result->version = version;
    kairos_backtest_opts o;
    kairos_fit_opts f;
    rc = resolve_opts(opts, &o);
    if (rc == KAIROS_OK)
        rc = kairos__eval_fit_opts(fit, &f);
    if (rc == KAIROS_OK)
        rc = kairos_series_validate(s, 1);
    if (rc == KAIROS_OK)
        rc = check_length(s->n, &o);
    if (rc)
        return rc;
    if (f.horizon == 0)
        f.horizon = o.horizon;
    storage *st = storage_new(&o);
    if (!st)
        return kairos__fail(KAIROS_ENOMEM, "out of memory for a backtest of %zu windows",
                            o.windows);
    *result = (kairos_backtest_result){
        .version = version, .horizon = o.horizon, .step = o.step, .n_windows = o.windows,
        .season = resolve_season(s, &f, o.season), .msis_level = o.msis_level,
        .timed = s->timestamps != NULL,
        .n_quantiles = o.n_quantiles, .n_levels = o.n_levels,
    };
    rc = run_all(result, st, s, &f, &o);
    if (rc)
        kairos_backtest_result_dispose(result);
    return rc;
}

void kairos_backtest_result_dispose(kairos_backtest_result *result)
{
    if (!result)
        return;
    unsigned version = result->version;
    storage_free(result->internal);
    *result = (kairos_backtest_result)KAIROS_BACKTEST_RESULT_INIT;
    result->version = version;
}
