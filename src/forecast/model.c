/* The generic model: option handling, fitting through the model registry, forecasting with
 * quantiles, forecast timestamps, summaries and coefficients. Models plug in through
 * kairos__model_vtable (model_internal.h). */
#include "model_internal.h"
#include "series/series_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Registry
 * ------------------------------------------------------------------------------------- */

static const kairos__model_vtable *const registry[] = {
    &kairos__naive_model, &kairos__snaive_model, &kairos__drift_model,
    &kairos__mean_model,  &kairos__profile_model,
    &kairos__ets_model,   &kairos__stl_model,    &kairos__mstl_model,
    &kairos__dhr_model,   &kairos__arima_model,  &kairos__autoarima_model,
};

const kairos__model_vtable *kairos__model_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const char *kairos__model_names(void)
{
    return "auto, naive, snaive, drift, mean, profile, ets, stl, mstl, dhr, arima, autoarima";
}

/* ---------------------------------------------------------------------------------------
 * Options
 * ------------------------------------------------------------------------------------- */

/* Bytes of kairos_fit_opts that a caller built against header version @p version has:
 * fields are only ever appended, so each version's struct is a prefix of the current one. */
static size_t fit_opts_size(unsigned version)
{
    return version == 1   ? offsetof(kairos_fit_opts, arima_p)
           : version == 2 ? offsetof(kairos_fit_opts, ets_model)
                          : sizeof(kairos_fit_opts);
}

int kairos_fit_opts_init(kairos_fit_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "kairos_fit_opts_init: opts is NULL");
    int rc = kairos__check_version(version, KAIROS_FIT_OPTS_VERSION, "kairos_fit_opts");
    if (rc)
        return rc;
    /* A caller built against an older header has a shorter struct: write only its fields. */
    const kairos_fit_opts defaults = KAIROS_FIT_OPTS_INIT;
    memcpy(opts, &defaults, fit_opts_size(version));
    opts->version = version;
    return KAIROS_OK;
}

int kairos__fit_opts_upgrade(const kairos_fit_opts *in, kairos_fit_opts *out)
{
    *out = (kairos_fit_opts)KAIROS_FIT_OPTS_INIT;
    if (!in)
        return KAIROS_OK;
    int rc = kairos__check_version(in->version, KAIROS_FIT_OPTS_VERSION, "kairos_fit_opts");
    if (rc)
        return rc;
    /* Only the caller's version's fields may be read; newer ones keep their defaults. */
    memcpy(out, in, fit_opts_size(in->version));
    out->version = KAIROS_FIT_OPTS_VERSION;
    return KAIROS_OK;
}

int kairos_forecast_opts_init(kairos_forecast_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "kairos_forecast_opts_init: opts is NULL");
    int rc = kairos__check_version(version, KAIROS_FORECAST_OPTS_VERSION, "kairos_forecast_opts");
    if (rc)
        return rc;
    *opts = (kairos_forecast_opts)KAIROS_FORECAST_OPTS_INIT;
    opts->version = version;
    return KAIROS_OK;
}

int kairos_levels_to_quantiles(const double *levels, size_t n, double *out)
{
    if (n > 0 && (!levels || !out))
        return kairos__fail(KAIROS_EINVAL, "kairos_levels_to_quantiles: NULL array");
    for (size_t i = 0; i < n; i++)
        if (!(levels[i] > 0.0 && levels[i] < 100.0))   /* also refuses NaN */
            return kairos__fail(KAIROS_EINVAL,
                                "interval level %g is not in (0,100) (level %zu)", levels[i],
                                i + 1);
    for (size_t i = 0; i < n; i++) {
        double tail = (1.0 - levels[i] / 100.0) / 2.0;
        out[2 * i] = tail;
        out[2 * i + 1] = 1.0 - tail;
    }
    return KAIROS_OK;
}

/* ---------------------------------------------------------------------------------------
 * Model lifetime and coefficients
 * ------------------------------------------------------------------------------------- */

static kairos_model *model_new(const kairos__model_vtable *vt)
{
    kairos_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->vt = vt;
    m->sigma2 = m->loglik = m->aic = m->aicc = m->bic = NAN;
    return m;
}

void kairos_model_free(kairos_model *m)
{
    if (!m)
        return;
    if (m->state) {
        if (m->vt->free_state)
            m->vt->free_state(m->state);
        else
            free(m->state);
    }
    for (size_t i = 0; i < m->n_coef; i++)
        free(m->coef[i].name);
    free(m->coef);
    free(m->selection);
    free(m);
}

int kairos__model_add_coef(kairos_model *m, const char *name, double value)
{
    if (m->n_coef == m->cap_coef) {
        size_t cap = m->cap_coef ? 2 * m->cap_coef : 4;
        kairos__coef *grown = kairos__malloc_array(cap, sizeof *grown);
        if (!grown)
            return kairos__fail(KAIROS_ENOMEM, "out of memory storing coefficients");
        if (m->n_coef)
            memcpy(grown, m->coef, m->n_coef * sizeof *grown);
        free(m->coef);
        m->coef = grown;
        m->cap_coef = cap;
    }
    size_t len = strlen(name);
    char *copy = malloc(len + 1);
    if (!copy)
        return kairos__fail(KAIROS_ENOMEM, "out of memory storing coefficients");
    memcpy(copy, name, len + 1);
    m->coef[m->n_coef].name = copy;
    m->coef[m->n_coef].value = value;
    m->n_coef++;
    return KAIROS_OK;
}

size_t kairos_model_coef_count(const kairos_model *m)
{
    return m ? m->n_coef : 0;
}

int kairos_model_coef(const kairos_model *m, size_t i, const char **name, double *value)
{
    if (!m || !name || !value)
        return kairos__fail(KAIROS_EINVAL, "kairos_model_coef: NULL argument");
    if (i >= m->n_coef)
        return kairos__fail(KAIROS_EINVAL, "coefficient %zu does not exist (model '%s' has %zu)",
                            i, m->vt->name, m->n_coef);
    *name = m->coef[i].name;
    *value = m->coef[i].value;
    return KAIROS_OK;
}

int kairos_model_describe(const kairos_model *m, kairos_model_info *info)
{
    if (!m || !info)
        return kairos__fail(KAIROS_EINVAL, "kairos_model_describe: NULL argument");
    int rc = kairos__check_version(info->version, KAIROS_MODEL_INFO_VERSION, "kairos_model_info");
    if (rc)
        return rc;
    info->name = m->vt->name;
    info->period = m->period;
    info->nobs = m->nobs;
    info->sigma2 = m->sigma2;
    info->loglik = m->loglik;
    info->aic = m->aic;
    info->aicc = m->aicc;
    info->bic = m->bic;
    return KAIROS_OK;
}

/* ---------------------------------------------------------------------------------------
 * Fitting
 * ------------------------------------------------------------------------------------- */

/* Steps 1..max(period, 1) must be finite, so a model whose numbers overflowed is refused when
 * it is fitted rather than on first use. */
static int check_fitted_model_is_finite(const kairos_model *m)
{
    if (!(m->sigma2 >= 0.0) || !isfinite(m->sigma2))
        return kairos__fail(KAIROS_EMODEL,
                            "model '%s': the residual variance is not finite (values too large?)",
                            m->vt->name);
    size_t h = m->period > 1 ? m->period : 1;
    double *mean = kairos__malloc_array(h, sizeof *mean);
    if (!mean)
        return kairos__fail(KAIROS_ENOMEM, "out of memory checking a fitted model");
    int rc = kairos__model_predict_mean(m, h, mean);
    for (size_t i = 0; rc == KAIROS_OK && i < h; i++)
        if (!isfinite(mean[i]))
            rc = kairos__fail(KAIROS_EMODEL,
                              "model '%s': the forecast is not finite (values too large?)",
                              m->vt->name);
    free(mean);
    return rc;
}

int kairos__model_fit_vtable(kairos_model **out, const kairos__model_vtable *vt,
                             const kairos__fit_data *d)
{
    *out = NULL;
    if ((vt->flags & KAIROS__MODEL_SEASONAL) && d->period == 0)
        return kairos__fail(KAIROS_EINVAL,
                            "model '%s' needs a seasonal period: set periods (--season), or give "
                            "the series regular timestamps covering at least two days",
                            vt->name);
    kairos_model *m = model_new(vt);
    if (!m)
        return kairos__fail(KAIROS_ENOMEM, "out of memory creating a model");
    int rc = vt->fit(m, d);
    if (rc == KAIROS_OK)
        rc = check_fitted_model_is_finite(m);
    if (rc) {
        kairos_model_free(m);
        return rc;
    }
    *out = m;
    return KAIROS_OK;
}

/* The periods to use: the caller's, else those implied by the timestamps. @p inferred holds
 * up to @p max inferred periods. Only models that use a period ask for inference. */
static int resolve_periods(const kairos_series *s, const kairos_fit_opts *opts, bool infer,
                           int64_t step_s, size_t *inferred, size_t max, kairos__fit_data *d)
{
    if (opts->n_periods > 0) {
        if (!opts->periods)
            return kairos__fail(KAIROS_EINVAL, "n_periods is %zu but periods is NULL",
                                opts->n_periods);
        for (size_t i = 0; i < opts->n_periods; i++)
            if (opts->periods[i] == 0)
                return kairos__fail(KAIROS_EINVAL,
                                    "seasonal period 0 is not valid (period %zu); periods "
                                    "count steps and must be at least 1", i + 1);
        d->periods = opts->periods;
        d->n_periods = opts->n_periods;
        d->period = opts->periods[0];
        return KAIROS_OK;
    }
    if (!infer || step_s <= 0)
        return KAIROS_OK;
    /* kairos_series_infer_periods() reads the series' own step, which a series built from
     * evenly spaced timestamps does not carry; ask it about a view with the step we found. */
    kairos_series view = *s;
    view.step_s = step_s;
    size_t n = 0;
    int rc = kairos_series_infer_periods(&view, inferred, max, &n);
    if (rc)
        return rc;
    d->periods = n ? inferred : NULL;
    d->n_periods = n;
    d->period = n ? inferred[0] : 0;
    return KAIROS_OK;
}

/* The series' fixed step: its own, else the spacing of strictly increasing, evenly spaced
 * timestamps; 0 when there is none. */
static int64_t series_step(const kairos_series *s)
{
    const int64_t *t = kairos_series_timestamps(s);
    size_t n = kairos_series_length(s);
    if (!t)
        return 0;
    if (kairos_series_step(s) > 0)
        return kairos_series_step(s);
    if (n < 2)
        return 0;
    /* Differences in unsigned arithmetic: exact for increasing pairs, and no signed overflow
     * when the timestamps straddle zero far apart. */
    uint64_t step = (uint64_t)t[1] - (uint64_t)t[0];
    if (t[1] <= t[0] || step > INT64_MAX)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (t[i] <= t[i - 1] || (uint64_t)t[i] - (uint64_t)t[i - 1] != step)
            return 0;
    return (int64_t)step;
}

static const kairos__model_vtable *model_by_name(const char *name, bool *is_auto)
{
    *is_auto = strcmp(name, "auto") == 0;
    return *is_auto ? NULL : kairos__model_lookup(name);
}

int kairos_model_fit(kairos_model **out, const kairos_series *series,
                     const kairos_fit_opts *caller_opts)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "kairos_model_fit: out is NULL");
    *out = NULL;
    kairos_fit_opts full;
    int rc = kairos__fit_opts_upgrade(caller_opts, &full);
    if (rc)
        return rc;
    const kairos_fit_opts *opts = &full;
    const char *name = opts->model ? opts->model : "auto";
    bool is_auto;
    const kairos__model_vtable *vt = model_by_name(name, &is_auto);
    if (!vt && !is_auto)
        return kairos__fail(KAIROS_EINVAL, "unknown model '%s' (known: %s)", name,
                            kairos__model_names());
    rc = kairos_series_validate(series, 1);
    if (rc)
        return rc;

    int64_t step_s = series_step(series);
    size_t inferred[4];
    kairos__fit_data d = {
        .y = kairos_series_values(series),
        .n = kairos_series_length(series),
        .horizon = opts->horizon,
        .profile_seasons = opts->profile_seasons ? opts->profile_seasons : 4,
        .opts = opts,
    };
    bool wants_period = is_auto || (vt->flags & (KAIROS__MODEL_SEASONAL | KAIROS__MODEL_PERIODIC));
    rc = resolve_periods(series, opts, wants_period, step_s, inferred,
                         sizeof inferred / sizeof inferred[0], &d);
    if (rc)
        return rc;

    kairos_model *m = NULL;
    rc = is_auto ? kairos__fit_auto(&m, &d) : kairos__model_fit_vtable(&m, vt, &d);
    if (rc)
        return rc;
    const int64_t *t = kairos_series_timestamps(series);
    m->has_time = t != NULL;
    m->last_time = t ? t[d.n - 1] : 0;
    m->step_s = step_s;
    *out = m;
    return KAIROS_OK;
}

/* ---------------------------------------------------------------------------------------
 * Forecasting
 * ------------------------------------------------------------------------------------- */

int kairos__model_predict_mean(const kairos_model *m, size_t horizon, double *mean)
{
    double *sd = kairos__malloc_array(horizon, sizeof *sd);
    if (!sd)
        return kairos__fail(KAIROS_ENOMEM, "out of memory forecasting %zu steps", horizon);
    int rc = m->vt->predict(m, horizon, mean, sd);
    free(sd);
    return rc;
}

/* As kairos__fit_opts_upgrade(), for the forecast options. */
static int upgrade_forecast_opts(const kairos_forecast_opts *in, kairos_forecast_opts *out)
{
    *out = (kairos_forecast_opts)KAIROS_FORECAST_OPTS_INIT;
    if (!in)
        return KAIROS_OK;
    int rc = kairos__check_version(in->version, KAIROS_FORECAST_OPTS_VERSION,
                                   "kairos_forecast_opts");
    if (rc)
        return rc;
    out->horizon = in->horizon;                   /* version 1 */
    out->quantiles = in->quantiles;
    out->n_quantiles = in->n_quantiles;
    return KAIROS_OK;
}

static int check_forecast_opts(const kairos_forecast_opts *opts, const double *mean,
                               const double *quantiles)
{
    if (opts->horizon == 0)
        return kairos__fail(KAIROS_EINVAL, "the forecast horizon must be at least 1 step");
    if (!mean)
        return kairos__fail(KAIROS_EINVAL, "kairos_model_forecast: mean is NULL");
    if (opts->n_quantiles > 0 && (!opts->quantiles || !quantiles))
        return kairos__fail(KAIROS_EINVAL,
                            "kairos_model_forecast: %zu quantiles asked but %s is NULL",
                            opts->n_quantiles, opts->quantiles ? "quantiles" : "opts->quantiles");
    for (size_t i = 0; i < opts->n_quantiles; i++)
        if (!(opts->quantiles[i] > 0.0 && opts->quantiles[i] < 1.0))   /* also refuses NaN */
            return kairos__fail(KAIROS_EINVAL, "quantile level %g is not in (0,1) (quantile %zu)",
                                opts->quantiles[i], i + 1);
    return KAIROS_OK;
}

/* Mean (first h entries) and quantiles (next nq·h) of @p m into @p work. */
static int predict_into(const kairos_model *m, size_t h, const double *levels, size_t nq,
                        double *work)
{
    double *mean = work, *quantiles = work + h;
    if (m->vt->predict_quantiles)
        return m->vt->predict_quantiles(m, h, levels, nq, mean, quantiles);
    double *sd = kairos__malloc_array(h, sizeof *sd);
    if (!sd)
        return kairos__fail(KAIROS_ENOMEM, "out of memory forecasting %zu steps", h);
    int rc = m->vt->predict(m, h, mean, sd);
    /* A NaN sd would otherwise pass for 0 and collapse every quantile onto the mean. */
    for (size_t i = 0; rc == KAIROS_OK && i < h; i++)
        if (!(sd[i] >= 0.0) || !isfinite(sd[i]))
            rc = kairos__fail(KAIROS_EMODEL, "model '%s': the forecast spread is not finite at "
                                             "step %zu", m->vt->name, i + 1);
    if (rc == KAIROS_OK)
        kairos__gaussian_quantiles(mean, sd, h, levels, nq, quantiles);
    free(sd);
    return rc;
}

int kairos_model_forecast(const kairos_model *m, const kairos_forecast_opts *caller_opts,
                          double *mean, double *quantiles)
{
    if (!m)
        return kairos__fail(KAIROS_EINVAL, "kairos_model_forecast: model is NULL");
    kairos_forecast_opts full;
    int rc = upgrade_forecast_opts(caller_opts, &full);
    if (rc)
        return rc;
    const kairos_forecast_opts *opts = &full;
    rc = check_forecast_opts(opts, mean, quantiles);
    if (rc)
        return rc;
    size_t h = opts->horizon, nq = opts->n_quantiles;
    /* Work on scratch and copy out only a finite result, so the caller never sees NaN/Inf. */
    double *work = nq + 1 <= SIZE_MAX / h ? kairos__malloc_array(h * (nq + 1), sizeof *work)
                                          : NULL;
    if (!work)
        return kairos__fail(KAIROS_ENOMEM, "out of memory forecasting %zu steps", h);
    rc = predict_into(m, h, opts->quantiles, nq, work);
    for (size_t i = 0; rc == KAIROS_OK && i < h * (nq + 1); i++)
        if (!isfinite(work[i]))
            rc = kairos__fail(KAIROS_EMODEL,
                              "model '%s': the forecast is not finite at step %zu (values too "
                              "large for double precision?)", m->vt->name, i % h + 1);
    if (rc == KAIROS_OK) {
        memcpy(mean, work, h * sizeof *mean);
        if (nq)
            memcpy(quantiles, work + h, h * nq * sizeof *quantiles);
    }
    free(work);
    return rc;
}

int kairos_model_forecast_timestamps(const kairos_model *m, size_t horizon, int64_t *out)
{
    if (!m || (!out && horizon > 0))
        return kairos__fail(KAIROS_EINVAL, "kairos_model_forecast_timestamps: NULL argument");
    if (horizon == 0)
        return kairos__fail(KAIROS_EINVAL, "the forecast horizon must be at least 1 step");
    if (!m->has_time)
        return kairos__fail(KAIROS_ENOTSUP, "the history has no timestamps");
    if (m->step_s <= 0)
        return kairos__fail(KAIROS_ENOTSUP, "the history has no fixed step (its timestamps are "
                                            "not evenly spaced): regularize it first");
    /* Checked before writing anything, so a failure leaves no partial output. */
    int64_t headroom = m->last_time > 0 ? INT64_MAX - m->last_time : INT64_MAX;
    if ((uint64_t)horizon > (uint64_t)(headroom / m->step_s))
        return kairos__fail(KAIROS_ERANGE, "forecast timestamps %zu steps ahead overflow",
                            horizon);
    for (size_t k = 0; k < horizon; k++)
        out[k] = m->last_time + (int64_t)(k + 1) * m->step_s;
    return KAIROS_OK;
}
