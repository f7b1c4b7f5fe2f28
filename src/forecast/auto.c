/* "auto": pick a baseline by its error on a holdout at the end of the history.
 *
 * Interim rule (docs/models.md): hold out the last H = min(max(horizon, longest season), ⌊n/4⌋)
 * points; fit each candidate to the rest;
 * score it by the MAE of its forecast on the observed holdout points; refit the best to the
 * whole history. Ties go to the simpler model (earlier in the list). A later change replaces
 * this with rolling-origin cross-validation over the richer models. */
#include "model_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Simplest first: ties keep the earlier one. */
static const kairos__model_vtable *const candidates[] = {
    &kairos__naive_model, &kairos__snaive_model, &kairos__profile_model,
    &kairos__drift_model, &kairos__mean_model,
};
#define N_CANDIDATES (sizeof candidates / sizeof candidates[0])
/* Seasonal candidates are tried with each known period (a daily and a weekly cycle both
 * matter for capacity data), up to this many periods. */
#define MAX_PERIODS 4
_Static_assert(N_CANDIDATES * MAX_PERIODS <= KAIROS__MAX_CANDIDATES,
               "selection has room for every candidate");

/* One candidate: a model class and, for seasonal ones, the period it uses. */
typedef struct candidate {
    const kairos__model_vtable *vt;
    size_t period;
} candidate;

/* Every candidate worth scoring, simplest first. Period 1 makes the seasonal baselines the
 * naive one again: not worth a second score. */
static size_t list_candidates(const kairos__fit_data *d, candidate *out)
{
    size_t n = 0, n_periods = d->n_periods ? d->n_periods : (d->period ? 1 : 0);
    if (n_periods > MAX_PERIODS)
        n_periods = MAX_PERIODS;
    for (size_t c = 0; c < N_CANDIDATES; c++) {
        if (!(candidates[c]->flags & KAIROS__MODEL_SEASONAL)) {
            out[n++] = (candidate){ candidates[c], d->period };
            continue;
        }
        for (size_t k = 0; k < n_periods; k++) {
            size_t period = d->n_periods ? d->periods[k] : d->period;
            if (period >= 2)
                out[n++] = (candidate){ candidates[c], period };
        }
    }
    return n;
}

static kairos__fit_data with_period(const kairos__fit_data *d, size_t period)
{
    kairos__fit_data copy = *d;
    copy.period = period;
    return copy;
}

/* At least the horizon, and at least the longest known season (so a weekly cycle is judged
 * on a whole week, not on the few steps a short horizon would hold out); at most a quarter
 * of the history. */
static size_t holdout_size(const kairos__fit_data *d)
{
    size_t guide = d->horizon ? d->horizon : 1;
    for (size_t k = 0; k < d->n_periods; k++)
        guide = d->periods[k] > guide ? d->periods[k] : guide;
    if (d->period > guide)
        guide = d->period;
    size_t quarter = d->n / 4;
    return guide < quarter ? guide : quarter;
}

/* Mean absolute error of @p m's forecast on the observed points of y[0..h). NaN if none. */
static int holdout_mae(const kairos_model *m, const double *y, size_t h, double *mae)
{
    double *fc = kairos__malloc_array(h, sizeof *fc);
    if (!fc)
        return kairos__fail(KAIROS_ENOMEM, "out of memory scoring a holdout of %zu points", h);
    int rc = kairos__model_predict_mean(m, h, fc);
    double sum = 0.0;
    size_t count = 0;
    for (size_t i = 0; rc == KAIROS_OK && i < h; i++) {
        if (isnan(y[i]))
            continue;
        sum += fabs(y[i] - fc[i]);
        count++;
    }
    free(fc);
    *mae = count ? sum / (double)count : NAN;
    return rc;
}

/* Score every eligible candidate on the holdout; @p best gets the winner's index, or
 * N_CANDIDATES when none could be scored. Only KAIROS_ENOMEM is an error: a candidate the
 * training part is too short for simply takes no part. */
static int score_candidates(const kairos__fit_data *d, const candidate *cands, size_t n_cands,
                            size_t holdout, kairos__selection *sel, size_t *best)
{
    double best_mae = INFINITY;
    *best = n_cands;
    for (size_t c = 0; c < n_cands; c++) {
        kairos__fit_data train = with_period(d, cands[c].period);
        train.n = d->n - holdout;
        kairos_model *m;
        int rc = kairos__model_fit_vtable(&m, cands[c].vt, &train);
        if (rc == KAIROS_ENOMEM)
            return rc;
        if (rc)
            continue;
        double mae = NAN;
        rc = holdout_mae(m, d->y + train.n, holdout, &mae);
        kairos_model_free(m);
        if (rc == KAIROS_ENOMEM)
            return rc;
        if (rc || isnan(mae))
            continue;
        char *label = sel->candidate[sel->n_scored];
        if (cands[c].vt->flags & KAIROS__MODEL_SEASONAL)
            snprintf(label, sizeof sel->candidate[0], "%s(%zu)", cands[c].vt->name, cands[c].period);
        else
            snprintf(label, sizeof sel->candidate[0], "%s", cands[c].vt->name);
        sel->score[sel->n_scored++] = mae;
        if (mae < best_mae) {
            best_mae = mae;
            *best = c;
        }
    }
    return KAIROS_OK;
}

/* No usable holdout: the first candidate, in order of simplicity, that fits everything. */
static int fit_first_that_fits(kairos_model **out, const kairos__fit_data *d,
                               const candidate *cands, size_t n_cands)
{
    char first_reason[256] = "";
    for (size_t c = 0; c < n_cands; c++) {
        kairos__fit_data data = with_period(d, cands[c].period);
        int rc = kairos__model_fit_vtable(out, cands[c].vt, &data);
        if (rc == KAIROS_OK || rc == KAIROS_ENOMEM)
            return rc;
        if (!first_reason[0])
            snprintf(first_reason, sizeof first_reason, "%s", kairos_last_error());
    }
    return kairos__fail(KAIROS_EDATA, "model 'auto': no baseline can be fitted to this series "
                                      "(%s)", first_reason);
}

int kairos__fit_auto(kairos_model **out, const kairos__fit_data *d)
{
    *out = NULL;
    kairos__selection *sel = calloc(1, sizeof *sel);
    if (!sel)
        return kairos__fail(KAIROS_ENOMEM, "out of memory choosing a model");
    candidate cands[KAIROS__MAX_CANDIDATES];
    size_t n_cands = list_candidates(d, cands);
    sel->holdout = holdout_size(d);
    size_t best = n_cands;
    int rc = sel->holdout ? score_candidates(d, cands, n_cands, sel->holdout, sel, &best)
                          : KAIROS_OK;
    if (rc == KAIROS_OK && best < n_cands) {
        sel->rule = "holdout MAE";
        kairos__fit_data data = with_period(d, cands[best].period);
        rc = kairos__model_fit_vtable(out, cands[best].vt, &data);
    } else if (rc == KAIROS_OK) {
        sel->rule = "first baseline that fits (no observed holdout to score on)";
        sel->holdout = 0;
        sel->n_scored = 0;
        rc = fit_first_that_fits(out, d, cands, n_cands);
    }
    if (rc) {
        free(sel);
        return rc;
    }
    (*out)->selection = sel;
    /* Candidates that could not be fitted left their reasons behind; the choice succeeded. */
    kairos_clear_error();
    return KAIROS_OK;
}
