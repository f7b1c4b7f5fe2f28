/* Models "stl" and "mstl": decompose (stl.h), carry each seasonal component forward by
 * repeating its last cycle, forecast the seasonally adjusted series (trend + remainder) with
 * a non-seasonal model, and add the two. The forecast distribution is the adjusted model's:
 * the seasonal components are treated as known, as in forecast::stlf. "stl" uses the first
 * period only; "mstl" every period. A series too short for any period (2m >= n) is forecast
 * by the non-seasonal model alone, and the report says so. */
#include "seasonal_internal.h"
#include "stl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct decomp_state {
    size_t n;                              /* history length */
    size_t n_used, used[KAIROS__MAX_SEASONS];
    size_t n_dropped, dropped[KAIROS__MAX_SEASONS];
    double *last_cycle[KAIROS__MAX_SEASONS];   /* used[i] values each: the final cycle */
    kairos__nonseasonal adjusted;
    char note[200];
} decomp_state;

static void decomp_free(void *p)
{
    decomp_state *s = p;
    if (!s)
        return;
    for (size_t i = 0; i < s->n_used; i++)
        free(s->last_cycle[i]);
    kairos__nonseasonal_free(&s->adjusted);
    free(s);
}

/* Periods asked for, capped at KAIROS__MAX_SEASONS. */
static size_t wanted_periods(const kairos__fit_data *d, bool all, size_t *out)
{
    if (!all) {
        out[0] = d->period;
        return 1;
    }
    size_t k = d->n_periods < KAIROS__MAX_SEASONS ? d->n_periods : KAIROS__MAX_SEASONS;
    for (size_t i = 0; i < k; i++)
        out[i] = d->periods[i];
    return k;
}

static void note_dropped(decomp_state *s, const size_t *wanted, size_t n_wanted)
{
    for (size_t i = 0; i < n_wanted; i++) {
        bool kept = false;
        for (size_t j = 0; j < s->n_used; j++)
            kept = kept || s->used[j] == wanted[i];
        if (!kept && s->n_dropped < KAIROS__MAX_SEASONS)
            s->dropped[s->n_dropped++] = wanted[i];
    }
    if (s->n_dropped && s->n_used)
        snprintf(s->note, sizeof s->note, "periods without two full cycles plus one point in "
                 "the history (2m >= n = %zu) were left out", s->n);
    else if (s->n_dropped)
        snprintf(s->note, sizeof s->note, "no period has two full cycles plus one point in "
                 "the history (n = %zu): forecast by the non-seasonal model alone", s->n);
}

static int decompose(decomp_state *s, const kairos__fit_data *d, const size_t *wanted,
                     size_t n_wanted, double *adjusted)
{
    size_t n = d->n;
    double *seasonal = kairos__malloc_array(n_wanted + 2, n * sizeof *seasonal);
    if (!seasonal)
        return kairos__fail(KAIROS_ENOMEM, "out of memory decomposing %zu points", n);
    double *trend = seasonal + n_wanted * n, *remainder = trend + n;
    size_t windows[KAIROS__MAX_SEASONS];
    for (size_t i = 0; i < KAIROS__MAX_SEASONS; i++)
        windows[i] = d->opts->stl_s_window;
    size_t usable = 0;
    for (size_t i = 0; i < n_wanted; i++) {
        bool repeat = false;
        for (size_t j = 0; j < i; j++)
            repeat = repeat || wanted[j] == wanted[i];
        usable += !repeat && wanted[i] >= 2 && 2 * wanted[i] < n;
    }
    kairos__mstl_opts o = {
        .s_windows = d->opts->stl_s_window ? windows : NULL,
        .periodic = d->opts->stl_periodic != 0,
        .iterate = usable == 1 ? 1 : 2,   /* a second pass over one period repeats the first */
        .robust = d->opts->stl_robust != 0,
    };
    int rc = kairos__mstl(d->y, n, wanted, n_wanted, &o, s->used, &s->n_used, seasonal, trend,
                          remainder);
    for (size_t t = 0; rc == KAIROS_OK && t < n; t++) {
        adjusted[t] = d->y[t];
        for (size_t i = 0; i < s->n_used; i++)
            adjusted[t] -= seasonal[i * n + t];
    }
    for (size_t i = 0; rc == KAIROS_OK && i < s->n_used; i++) {
        size_t p = s->used[i];
        s->last_cycle[i] = kairos__malloc_array(p, sizeof *s->last_cycle[i]);
        if (!s->last_cycle[i]) {
            s->n_used = i;   /* free only what was allocated */
            rc = kairos__fail(KAIROS_ENOMEM, "out of memory storing a seasonal component");
            break;
        }
        memcpy(s->last_cycle[i], seasonal + i * n + n - p, p * sizeof *seasonal);
    }
    free(seasonal);
    return rc;
}

static int decomp_fit(kairos_model *m, const kairos__fit_data *d, bool all)
{
    kairos__adjusted_kind kind;
    int rc = kairos__adjusted_kind_parse(d->opts->adjusted_model, &kind);
    if (rc)
        return rc;
    if (d->opts->stl_s_window && !d->opts->stl_periodic && d->opts->stl_s_window < 7)
        return kairos__fail(KAIROS_EINVAL, "stl_s_window %zu is too small: use at least 7 "
                            "(Cleveland et al. 1990 advise >= 7)", d->opts->stl_s_window);
    decomp_state *s = calloc(1, sizeof *s);
    if (!s)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting '%s'", m->vt->name);
    m->state = s;   /* freed by the caller on failure */
    s->n = d->n;
    size_t wanted[KAIROS__MAX_SEASONS];
    size_t n_wanted = wanted_periods(d, all, wanted);
    double *adjusted = kairos__malloc_array(d->n, sizeof *adjusted);
    if (!adjusted)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting '%s'", m->vt->name);
    rc = decompose(s, d, wanted, n_wanted, adjusted);
    if (rc == KAIROS_OK) {
        note_dropped(s, wanted, n_wanted);
        size_t skip = kairos__adjusted_skip(d);
        rc = kairos__nonseasonal_fit(&s->adjusted, adjusted + skip, d->n - skip, kind);
    }
    free(adjusted);
    if (rc)
        return rc;
    m->period = s->n_used ? s->used[0] : 0;
    return kairos__nonseasonal_describe(m, &s->adjusted);
}

static int stl_fit(kairos_model *m, const kairos__fit_data *d)
{
    return decomp_fit(m, d, false);
}

static int mstl_fit(kairos_model *m, const kairos__fit_data *d)
{
    return decomp_fit(m, d, true);
}

static int decomp_predict(const kairos_model *m, size_t horizon, double *mean, double *sd)
{
    const decomp_state *s = m->state;
    int rc = kairos__nonseasonal_forecast(&s->adjusted, horizon, mean, sd);
    if (rc)
        return rc;
    for (size_t i = 0; i < s->n_used; i++) {
        size_t p = s->used[i];
        for (size_t h = 0; h < horizon; h++)
            mean[h] += s->last_cycle[i][h % p];
    }
    return KAIROS_OK;
}

static int decomp_report(const kairos_model *m, kairos_buf *out)
{
    const decomp_state *s = m->state;
    int rc = kairos__report_size_list(out, "periods", s->used, s->n_used);
    if (rc == KAIROS_OK)
        rc = kairos__report_size_list(out, "dropped_periods", s->dropped, s->n_dropped);
    if (rc == KAIROS_OK)
        rc = kairos__report_string(out, "adjusted_model", s->adjusted.label);
    if (rc == KAIROS_OK && (s->note[0] || s->adjusted.note[0])) {
        char both[480];
        snprintf(both, sizeof both, "%s%s%s", s->note, s->note[0] && s->adjusted.note[0]
                 ? "; " : "", s->adjusted.note);
        rc = kairos__report_string(out, "note", both);
    }
    return rc;
}

const kairos__model_vtable kairos__stl_model = {
    .name = "stl",
    .flags = KAIROS__MODEL_SEASONAL,
    .fit = stl_fit,
    .predict = decomp_predict,
    .free_state = decomp_free,
    .report_extra = decomp_report,
};

const kairos__model_vtable kairos__mstl_model = {
    .name = "mstl",
    .flags = KAIROS__MODEL_SEASONAL,
    .fit = mstl_fit,
    .predict = decomp_predict,
    .free_state = decomp_free,
    .report_extra = decomp_report,
};
