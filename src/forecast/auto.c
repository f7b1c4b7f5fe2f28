/* "auto": rank candidate models by rolling-origin cross-validation on the end of the history
 * and return the equal-weight combination of the best few (docs/models.md, "auto").
 *
 *  1. Candidates, chosen by the data. With a period m >= 2 and at least two seasons
 *     (n >= 2m): naive, snaive(p) and profile(p) for each known period p with n >= 2p,
 *     mstl on every known period, and ARIMA(1,0,1)(0,1,1)[m] when m <= 48, n >= 3m + 2H and
 *     no value is missing. Otherwise (no period, or a history shorter than two seasons, which
 *     the report's note says): naive, drift, mean and non-seasonal ETS.
 *  2. Cross-validation: K = 2 origins, n − 2H and n − H, with H = min(horizon, ⌊n/4⌋)
 *     (horizon = the caller's, else m, else 1). Each candidate is fitted to y[0..origin) and
 *     scored by the MAE of its mean over the next H observed points, divided by the in-sample
 *     MAE of the seasonal naive forecast (MASE). A candidate that fails on any origin takes
 *     no part.
 *  3. Members: the best, then the next best while at most 3 in all and each scores within
 *     COMBINE_RATIO × the best (so an exact candidate is combined only with exact ones). Ties
 *     keep the earlier candidate of the list. Each is refitted to the whole history.
 *  4. Combination: mean = equal-weight mean of the members' means; quantile at level p =
 *     equal-weight mean of the members' quantiles at p (Vincentization), each member's
 *     quantile first moved away from its mean by its interval factor
 *     f = clamp(RMS of the standardised CV errors (y − ŷ)/sd, 1, 4), so a member whose
 *     intervals were too narrow on the held-out windows is widened by that much. Lower
 *     quantiles never exceed the mean, upper ones never fall below it.
 * With no room for cross-validation (H = 0) or no candidate scored, the first candidate that
 * fits the whole history is the only member. */
#include "model_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    CV_ORIGINS = 2,
    MAX_PERIODS = 4,          /* seasonal baselines are tried with up to this many periods */
    ARIMA_MAX_PERIOD = 48,    /* a seasonal MA at lag m costs O(m) state: keep it cheap */
};
#define COMBINE_RATIO 1.5     /* members score within this factor of the best */
#define WIDEN_MAX 4.0         /* most an interval is widened by its CV errors */

/* One candidate: a model class and the data and options it is fitted with. Lives in place
 * (data points into it), never copied. */
typedef struct candidate {
    const kairos__model_vtable *vt;
    kairos__fit_data data;
    kairos_fit_opts  opts;
    size_t           period;  /* storage for a single period */
    char             label[40];
} candidate;

typedef struct combo_state {
    size_t        k;
    kairos_model *member[KAIROS__MAX_MEMBERS];
    double        weight[KAIROS__MAX_MEMBERS];
    double        widen[KAIROS__MAX_MEMBERS];
} combo_state;

static void combo_free(void *p)
{
    combo_state *st = p;
    if (!st)
        return;
    for (size_t i = 0; i < st->k; i++)
        kairos_model_free(st->member[i]);
    free(st);
}

/* ---------------------------------------------------------------------------------------
 * Candidates
 * ------------------------------------------------------------------------------------- */

/* A candidate using @p d with one period @p period (0 = none) and the caller's options. */
static candidate *add(candidate *c, size_t *n, const kairos__model_vtable *vt,
                      const kairos__fit_data *d, size_t period)
{
    candidate *x = &c[(*n)++];
    x->vt = vt;
    x->opts = *d->opts;
    x->data = *d;
    x->data.opts = &x->opts;
    x->period = period;
    x->data.period = period;
    x->data.periods = period ? &x->period : NULL;
    x->data.n_periods = period ? 1 : 0;
    if (vt->flags & KAIROS__MODEL_SEASONAL)
        snprintf(x->label, sizeof x->label, "%s(%zu)", vt->name, period);
    else
        snprintf(x->label, sizeof x->label, "%s", vt->name);
    return x;
}

static bool has_missing(const double *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isnan(y[i]))
            return true;
    return false;
}

/* Every candidate worth scoring, simplest first (ties keep the earlier one). */
static size_t list_candidates(const kairos__fit_data *d, size_t cv_h, candidate *c,
                              kairos__selection *sel)
{
    size_t n = 0, m = d->period;
    bool seasonal = m >= 2 && d->n >= 2 * m;
    if (m >= 2 && !seasonal)
        snprintf(sel->note, sizeof sel->note, "history shorter than two seasons (n = %zu < 2 x "
                 "%zu): seasonal models left out, non-seasonal ones used", d->n, m);
    add(c, &n, &kairos__naive_model, d, 0);
    if (!seasonal) {
        add(c, &n, &kairos__drift_model, d, 0);
        add(c, &n, &kairos__mean_model, d, 0);
        candidate *e = add(c, &n, &kairos__ets_model, d, 0);
        e->opts.n_periods = 0;
        e->opts.periods = NULL;
        return n;
    }
    size_t n_periods = d->n_periods ? d->n_periods : 1;
    if (n_periods > MAX_PERIODS)
        n_periods = MAX_PERIODS;
    const kairos__model_vtable *const baselines[] = { &kairos__snaive_model,
                                                      &kairos__profile_model };
    for (size_t b = 0; b < 2; b++)
        for (size_t k = 0; k < n_periods; k++) {
            size_t p = d->n_periods ? d->periods[k] : m;
            if (p >= 2 && d->n >= 2 * p)
                add(c, &n, baselines[b], d, p);
        }
    candidate *ms = add(c, &n, &kairos__mstl_model, d, m);
    ms->data.periods = d->n_periods ? d->periods : &ms->period;
    ms->data.n_periods = d->n_periods ? d->n_periods : 1;
    int len = snprintf(ms->label, sizeof ms->label, "mstl(");
    for (size_t k = 0; k < ms->data.n_periods && len > 0 && (size_t)len < sizeof ms->label; k++)
        len += snprintf(ms->label + len, sizeof ms->label - (size_t)len, "%s%zu", k ? "," : "",
                        ms->data.periods[k]);
    if (len > 0 && (size_t)len < sizeof ms->label - 1)
        snprintf(ms->label + len, sizeof ms->label - (size_t)len, ")");
    if (m <= ARIMA_MAX_PERIOD && d->n >= 3 * m + CV_ORIGINS * cv_h && !has_missing(d->y, d->n)) {
        candidate *a = add(c, &n, &kairos__arima_model, d, m);
        a->opts.arima_p = 1;
        a->opts.arima_d = 0;
        a->opts.arima_q = 1;
        a->opts.arima_P = 0;
        a->opts.arima_D = 1;
        a->opts.arima_Q = 1;
        a->opts.include_mean = -1;
        a->opts.include_drift = -1;
        snprintf(a->label, sizeof a->label, "arima(1,0,1)(0,1,1)[%zu]", m);
    }
    return n;
}

/* ---------------------------------------------------------------------------------------
 * Cross-validation
 * ------------------------------------------------------------------------------------- */

/* Steps per window: the horizon (else m, else 1), at most a quarter of the history. */
static size_t cv_horizon(const kairos__fit_data *d)
{
    size_t h = d->horizon ? d->horizon : (d->period ? d->period : 1);
    size_t cap = d->n / (2 * CV_ORIGINS);
    return h < cap ? h : cap;
}

/* In-sample MAE of the seasonal naive forecast (lag m, else 1): the MASE denominator. 1 when
 * it is 0 or undefined (scores are then plain MAE). */
static double mase_scale(const kairos__fit_data *d)
{
    size_t lag = d->period >= 1 && d->period < d->n ? d->period : 1;
    double sum = 0.0;
    size_t count = 0;
    for (size_t t = lag; t < d->n; t++)
        if (!isnan(d->y[t]) && !isnan(d->y[t - lag])) {
            sum += fabs(d->y[t] - d->y[t - lag]);
            count++;
        }
    double s = count ? sum / (double)count : 0.0;
    return s > 0.0 && isfinite(s) ? s : 1.0;
}

/* Score @p c on the CV windows: *score (NaN when it cannot be scored) and *widen. Only
 * KAIROS_ENOMEM is an error. @p buf holds 2h doubles. */
static int score_candidate(const kairos__fit_data *d, const candidate *c, size_t h, double scale,
                           double *buf, double *score, double *widen)
{
    double abs_sum = 0.0, z2 = 0.0;
    size_t count = 0, zcount = 0;
    *score = NAN;
    *widen = 1.0;
    for (size_t k = 0; k < CV_ORIGINS; k++) {
        kairos__fit_data train = c->data;
        train.n = d->n - (CV_ORIGINS - k) * h;
        kairos_model *fm;
        int rc = kairos__model_fit_vtable(&fm, c->vt, &train);
        if (rc == KAIROS_ENOMEM)
            return rc;
        if (rc)
            return KAIROS_OK;
        rc = fm->vt->predict(fm, h, buf, buf + h);
        kairos_model_free(fm);
        if (rc == KAIROS_ENOMEM)
            return rc;
        if (rc)
            return KAIROS_OK;
        for (size_t i = 0; i < h; i++) {
            double y = d->y[train.n + i], e = y - buf[i], sd = buf[h + i];
            if (isnan(y))
                continue;
            if (!isfinite(e))
                return KAIROS_OK;
            abs_sum += fabs(e);
            count++;
            if (sd > 0.0 && isfinite(sd)) {
                z2 += (e / sd) * (e / sd);
                zcount++;
            }
        }
    }
    if (!count)
        return KAIROS_OK;
    *score = abs_sum / (double)count / scale;
    if (zcount) {
        double f = sqrt(z2 / (double)zcount);
        *widen = f < 1.0 ? 1.0 : f > WIDEN_MAX ? WIDEN_MAX : f;
    }
    return KAIROS_OK;
}

/* ---------------------------------------------------------------------------------------
 * The combination model
 * ------------------------------------------------------------------------------------- */

static int combo_predict(const kairos_model *m, size_t h, double *mean, double *sd)
{
    const combo_state *st = m->state;
    double *tmp = kairos__malloc_array(2 * h, sizeof *tmp);
    if (!tmp)
        return kairos__fail(KAIROS_ENOMEM, "out of memory forecasting %zu steps", h);
    for (size_t t = 0; t < h; t++)
        mean[t] = sd[t] = 0.0;
    int rc = KAIROS_OK;
    for (size_t i = 0; rc == KAIROS_OK && i < st->k; i++) {
        rc = st->member[i]->vt->predict(st->member[i], h, tmp, tmp + h);
        for (size_t t = 0; rc == KAIROS_OK && t < h; t++) {
            mean[t] += tmp[t];
            sd[t] += st->widen[i] * tmp[h + t];
        }
    }
    /* Equal weights: dividing the sum by k keeps a common value exact. */
    for (size_t t = 0; rc == KAIROS_OK && t < h; t++) {
        mean[t] /= (double)st->k;
        sd[t] /= (double)st->k;
    }
    free(tmp);
    return rc;
}

/* Vincentization: each level's quantile is the weighted mean of the members' quantiles at
 * that level (each widened about its member's mean by the member's factor). */
static int combo_predict_quantiles(const kairos_model *m, size_t h, const double *levels,
                                   size_t nq, double *mean, double *q)
{
    const combo_state *st = m->state;
    double *tmp = nq + 1 <= SIZE_MAX / h ? kairos__malloc_array(h * (nq + 1), sizeof *tmp)
                                         : NULL;
    if (!tmp)
        return kairos__fail(KAIROS_ENOMEM, "out of memory forecasting %zu steps", h);
    for (size_t t = 0; t < h; t++)
        mean[t] = 0.0;
    for (size_t j = 0; j < nq * h; j++)
        q[j] = 0.0;
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = h;
    fo.quantiles = levels;
    fo.n_quantiles = nq;
    int rc = KAIROS_OK;
    for (size_t i = 0; rc == KAIROS_OK && i < st->k; i++) {
        const double *mu = tmp, *qm = tmp + h;
        rc = kairos_model_forecast(st->member[i], &fo, tmp, nq ? tmp + h : NULL);
        for (size_t t = 0; rc == KAIROS_OK && t < h; t++)
            mean[t] += mu[t];
        for (size_t j = 0; rc == KAIROS_OK && j < nq * h; j++)
            q[j] += mu[j % h] + st->widen[i] * (qm[j] - mu[j % h]);
    }
    /* Equal weights: dividing the sum by k keeps a common value exact. */
    for (size_t t = 0; rc == KAIROS_OK && t < h; t++)
        mean[t] /= (double)st->k;
    for (size_t j = 0; rc == KAIROS_OK && j < nq * h; j++)
        q[j] /= (double)st->k;
    for (size_t j = 0; rc == KAIROS_OK && j < nq * h; j++) {
        double p = levels[j / h], mu = mean[j % h];
        if ((p < 0.5 && q[j] > mu) || (p > 0.5 && q[j] < mu))
            q[j] = mu;
    }
    free(tmp);
    return rc;
}

/* ---------------------------------------------------------------------------------------
 * Fitting
 * ------------------------------------------------------------------------------------- */

/* Candidate indices by score, best first; unscored ones left out. Stable. */
static size_t rank(const double *score, size_t n, size_t *order)
{
    size_t k = 0;
    for (size_t c = 0; c < n; c++) {
        if (isnan(score[c]))
            continue;
        size_t j = k++;
        while (j > 0 && score[order[j - 1]] > score[c]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = c;
    }
    return k;
}

static int add_member(kairos_model *m, combo_state *st, const candidate *c, double widen)
{
    kairos_model *fm;
    int rc = kairos__model_fit_vtable(&fm, c->vt, &c->data);
    if (rc)
        return rc;
    kairos__selection *sel = m->selection;
    st->member[st->k] = fm;
    st->widen[st->k] = widen;
    snprintf(sel->member[st->k], sizeof sel->member[0], "%s", c->label);
    st->k++;
    return KAIROS_OK;
}

/* No cross-validation: the first candidate that fits the whole history. */
static int first_that_fits(kairos_model *m, combo_state *st, const candidate *c, size_t n)
{
    char first_reason[256] = "";
    for (size_t i = 0; i < n; i++) {
        int rc = add_member(m, st, &c[i], 1.0);
        if (rc == KAIROS_OK || rc == KAIROS_ENOMEM)
            return rc;
        if (!first_reason[0])
            snprintf(first_reason, sizeof first_reason, "%s", kairos_last_error());
    }
    return kairos__fail(KAIROS_EDATA, "model 'auto': no model can be fitted to this series (%s)",
                        first_reason);
}

static int auto_fit(kairos_model *m, const kairos__fit_data *d)
{
    combo_state *st = calloc(1, sizeof *st);
    kairos__selection *sel = calloc(1, sizeof *sel);
    candidate *c = kairos__malloc_array(KAIROS__MAX_CANDIDATES, sizeof *c);
    double *buf = NULL;
    m->state = st;        /* both freed with the model, also on failure */
    m->selection = sel;
    if (!st || !sel || !c) {
        free(c);
        return kairos__fail(KAIROS_ENOMEM, "out of memory choosing a model");
    }
    size_t h = cv_horizon(d);
    size_t n_cands = list_candidates(d, h, c, sel);
    double score[KAIROS__MAX_CANDIDATES], widen[KAIROS__MAX_CANDIDATES];
    size_t order[KAIROS__MAX_CANDIDATES], n_ranked = 0;
    for (size_t i = 0; i < KAIROS__MAX_CANDIDATES; i++)
        score[i] = NAN, widen[i] = 1.0;
    int rc = KAIROS_OK;
    if (h) {
        double scale = mase_scale(d);
        buf = kairos__malloc_array(2 * h, sizeof *buf);
        if (!buf)
            rc = kairos__fail(KAIROS_ENOMEM, "out of memory cross-validating");
        for (size_t i = 0; rc == KAIROS_OK && i < n_cands; i++)
            rc = score_candidate(d, &c[i], h, scale, buf, &score[i], &widen[i]);
        n_ranked = rc == KAIROS_OK ? rank(score, n_cands, order) : 0;
    }
    for (size_t i = 0; rc == KAIROS_OK && i < n_cands; i++) {
        if (isnan(score[i]))
            continue;
        snprintf(sel->candidate[sel->n_scored], sizeof sel->candidate[0], "%s", c[i].label);
        sel->widen[sel->n_scored] = widen[i];
        sel->score[sel->n_scored++] = score[i];
    }
    if (rc == KAIROS_OK && n_ranked) {
        sel->rule = "rolling-origin CV (2 origins, MASE); equal-weight mean of the best <= 3 "
                    "within 1.5x the best score; quantiles averaged, widened by CV errors";
        sel->holdout = h;
        sel->origins = CV_ORIGINS;
        double best = score[order[0]];
        for (size_t r = 0; rc == KAIROS_OK && r < n_ranked && st->k < KAIROS__MAX_MEMBERS; r++) {
            if (r > 0 && !(score[order[r]] <= COMBINE_RATIO * best))
                break;
            rc = add_member(m, st, &c[order[r]], widen[order[r]]);
            if (rc != KAIROS_ENOMEM)
                rc = KAIROS_OK;   /* a member that fails on the whole history is skipped */
        }
    }
    if (rc == KAIROS_OK && st->k == 0) {
        sel->rule = "first candidate that fits (too short to cross-validate)";
        sel->holdout = sel->origins = 0;
        rc = first_that_fits(m, st, c, n_cands);
    }
    free(buf);
    free(c);
    if (rc)
        return rc;
    sel->n_members = st->k;
    m->sigma2 = 0.0;
    m->nobs = 0;
    for (size_t i = 0; i < st->k; i++) {
        st->weight[i] = sel->weight[i] = 1.0 / (double)st->k;
        m->sigma2 += st->weight[i] * st->member[i]->sigma2;
        m->period = m->period ? m->period : st->member[i]->period;
        m->nobs = st->member[i]->nobs > m->nobs ? st->member[i]->nobs : m->nobs;
    }
    /* Candidates that could not be fitted left their reasons behind; the choice succeeded. */
    kairos_clear_error();
    return KAIROS_OK;
}

static const kairos__model_vtable auto_model = {
    .name = "auto",
    .flags = KAIROS__MODEL_PERIODIC,
    .fit = auto_fit,
    .predict = combo_predict,
    .predict_quantiles = combo_predict_quantiles,
    .free_state = combo_free,
};

int kairos__fit_auto(kairos_model **out, const kairos__fit_data *d)
{
    int rc = kairos__model_fit_vtable(out, &auto_model, d);
    if (rc == KAIROS_OK)
        kairos_clear_error();
    return rc;
}
