/* profile: a seasonal-profile baseline. Each slot of the season is forecast by the mean of
 * that slot over the last K seasons, shifted so the profile sits at the level of the last
 * season. It averages away the noise seasonal naive copies forward, and the shift keeps it
 * from lagging a level change by K seasons. Exact definition: docs/models.md. */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct profile_state {
    size_t period;
    size_t seasons;    /* seasons averaged at the end of the history, min(K, ⌊n/m⌋) */
    double value[];    /* period forecasts, slot 0 first: profile + level shift */
} profile_state;

/* Mean of slot @p base over the @p seasons seasons ending at it (base, base − m, …), skipping
 * missing values; when all are missing, the latest earlier observation of the slot; NaN when
 * the slot was never observed. */
static double slot_profile(const double *y, size_t base, size_t m, size_t seasons)
{
    double sum = 0.0;
    size_t count = 0;
    for (size_t s = 0; s < seasons; s++) {
        double v = y[base - s * m];
        if (!isnan(v)) {
            sum += v;
            count++;
        }
    }
    if (count)
        return sum / (double)count;
    for (size_t s = seasons; s * m <= base; s++)
        if (!isnan(y[base - s * m]))
            return y[base - s * m];
    return NAN;
}

/* The level shift for a history y[0..end): the mean, over the observed points of its last
 * season, of the point minus its slot's profile. 0 when the last season is all missing. */
static double level_shift(const double *y, size_t end, size_t m, size_t seasons)
{
    double sum = 0.0;
    size_t count = 0;
    for (size_t base = end - m; base < end; base++) {
        if (isnan(y[base]))
            continue;
        sum += y[base] - slot_profile(y, base, m, seasons);
        count++;
    }
    return count ? sum / (double)count : 0.0;
}

static size_t seasons_before(size_t end, size_t m, size_t max_seasons)
{
    size_t full = end / m;
    return full < max_seasons ? full : max_seasons;
}

/* In-sample one-step errors: y_t minus the profile forecast made from y[0..t), for every
 * observed t with at least one full season before it. O(n·m·K). */
static double residual_sum_sq(const kairos__fit_data *d, size_t m, size_t *count)
{
    double sum = 0.0;
    *count = 0;
    for (size_t t = m; t < d->n; t++) {
        if (isnan(d->y[t]))
            continue;
        size_t seasons = seasons_before(t, m, d->profile_seasons);
        double fitted = slot_profile(d->y, t - m, m, seasons);
        if (isnan(fitted))
            continue;
        double e = d->y[t] - fitted - level_shift(d->y, t, m, seasons);
        sum += e * e;
        (*count)++;
    }
    return sum;
}

static int profile_fit(kairos_model *m, const kairos__fit_data *d)
{
    size_t period = d->period;
    if (d->n <= period)
        return kairos__fail(KAIROS_EDATA,
                            "model 'profile' with period %zu needs at least %zu points (one "
                            "season and one more); the series has %zu", period, period + 1, d->n);
    size_t count;
    double sum_sq = residual_sum_sq(d, period, &count);
    if (count == 0)
        return kairos__fail(KAIROS_EDATA, "model 'profile' needs an observation with an observed "
                                          "season (%zu steps) before it; the series has none",
                            period);
    if (period > (SIZE_MAX - sizeof(profile_state)) / sizeof(double))
        return kairos__fail(KAIROS_ENOMEM, "period %zu is too large", period);
    profile_state *s = malloc(sizeof *s + period * sizeof s->value[0]);
    if (!s)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting 'profile'");
    s->period = period;
    s->seasons = seasons_before(d->n, period, d->profile_seasons);
    m->state = s;
    m->period = period;
    m->sigma2 = sum_sq / (double)count;   /* as snaive: mean of squared residuals */
    m->nobs = count;

    double shift = level_shift(d->y, d->n, period, s->seasons);
    for (size_t j = 0; j < period; j++) {
        double p = slot_profile(d->y, d->n - period + j, period, s->seasons);
        if (isnan(p))
            return kairos__fail(KAIROS_EDATA, "model 'profile': slot %zu of the season (period "
                                              "%zu) has no observation", j + 1, period);
        s->value[j] = p + shift;
    }
    return KAIROS_OK;
}

static int profile_predict(const kairos_model *m, size_t horizon, double *mean, double *sd)
{
    const profile_state *s = m->state;
    double sigma = sqrt(m->sigma2);
    for (size_t h = 0; h < horizon; h++) {
        mean[h] = s->value[h % s->period];
        sd[h] = sigma * sqrt((double)(h / s->period + 1));
    }
    return KAIROS_OK;
}

static int profile_report(const kairos_model *m, kairos_buf *out)
{
    const profile_state *s = m->state;
    return kairos__buf_printf(out, ",\"profile_seasons\":%zu", s->seasons);
}

const kairos__model_vtable kairos__profile_model = {
    .name = "profile",
    .flags = KAIROS__MODEL_SEASONAL,
    .fit = profile_fit,
    .predict = profile_predict,
    .report_extra = profile_report,
};
