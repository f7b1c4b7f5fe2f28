/* The simple baselines of Hyndman & Athanasopoulos, "Forecasting: Principles and Practice"
 * (3rd ed.) §5.2 and §5.5: naive, seasonal naive, drift and mean. Estimators follow R's
 * forecast::naive/snaive/rwf/meanf except where docs/models.md says otherwise.
 *
 * Throughout, T is the number of non-missing observations and "age" is how many steps the
 * last observation lies before the end of the history (0 unless the history ends in missing
 * values): step h of the forecast is then h + age steps after the value it is built from. */
#include "model_internal.h"

#include <math.h>
#include <stdlib.h>

/* ---------------------------------------------------------------------------------------
 * Shared helpers
 * ------------------------------------------------------------------------------------- */

static size_t count_present(const double *y, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += !isnan(y[i]);
    return count;
}

/* Index of the last non-missing value; the series is validated to have one. */
static size_t last_present(const double *y, size_t n)
{
    size_t i = n - 1;
    while (i > 0 && isnan(y[i]))
        i--;
    return i;
}

static size_t first_present(const double *y, size_t n)
{
    size_t i = 0;
    while (i + 1 < n && isnan(y[i]))
        i++;
    return i;
}

/* Σ (y_t − y_{t−lag} − shift)² over the t where both values are present; *count gets how
 * many such t there are. */
static double lag_residual_sum_sq(const double *y, size_t n, size_t lag, double shift,
                                  size_t *count)
{
    double sum = 0.0;
    *count = 0;
    for (size_t t = lag; t < n; t++) {
        if (isnan(y[t]) || isnan(y[t - lag]))
            continue;
        double e = y[t] - y[t - lag] - shift;
        sum += e * e;
        (*count)++;
    }
    return sum;
}

/* ---------------------------------------------------------------------------------------
 * naive: ŷ_{n+h} = last observation; e_t = y_t − y_{t−1}; σ² = mean(e²); sd = σ√(h+age).
 * ------------------------------------------------------------------------------------- */

typedef struct walk_state {
    double level;      /* the last observation */
    double slope;      /* drift per step; 0 for naive */
    size_t age;        /* steps from the last observation to the end of the history */
    size_t n_present;  /* T */
} walk_state;

static int naive_fit(kairos_model *m, const kairos__fit_data *d)
{
    size_t count;
    double sum_sq = lag_residual_sum_sq(d->y, d->n, 1, 0.0, &count);
    if (count == 0)
        return kairos__fail(KAIROS_EDATA, "model 'naive' needs two consecutive observations; "
                                          "the series has none");
    walk_state *s = calloc(1, sizeof *s);
    if (!s)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting 'naive'");
    size_t last = last_present(d->y, d->n);
    s->level = d->y[last];
    s->age = d->n - 1 - last;
    s->n_present = count_present(d->y, d->n);
    m->state = s;
    m->sigma2 = sum_sq / (double)count;   /* R's naive: mean of squared residuals */
    m->nobs = count;
    return KAIROS_OK;
}

static int naive_predict(const kairos_model *m, size_t horizon, double *mean, double *sd)
{
    const walk_state *s = m->state;
    double sigma = sqrt(m->sigma2);
    for (size_t h = 1; h <= horizon; h++) {
        mean[h - 1] = s->level;
        sd[h - 1] = sigma * sqrt((double)(h + s->age));
    }
    return KAIROS_OK;
}

const kairos__model_vtable kairos__naive_model = {
    .name = "naive",
    .fit = naive_fit,
    .predict = naive_predict,
};

/* ---------------------------------------------------------------------------------------
 * drift: b = (y_last − y_first)/(steps between them); ŷ_{n+h} = y_last + (h+age)·b;
 * e_t = y_t − y_{t−1} − b; σ² = Σe²/(count−1); sd = σ√(k(1+k/T)) with k = h+age.
 * ------------------------------------------------------------------------------------- */

static int drift_fit(kairos_model *m, const kairos__fit_data *d)
{
    size_t first = first_present(d->y, d->n), last = last_present(d->y, d->n);
    if (last == first)
        return kairos__fail(KAIROS_EDATA, "model 'drift' needs at least two observations");
    double slope = (d->y[last] - d->y[first]) / (double)(last - first);
    size_t count;
    double sum_sq = lag_residual_sum_sq(d->y, d->n, 1, slope, &count);
    if (count < 2)
        return kairos__fail(KAIROS_EDATA,
                            "model 'drift' needs at least two pairs of consecutive observations "
                            "(the series has %zu)", count);
    walk_state *s = calloc(1, sizeof *s);
    if (!s)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting 'drift'");
    s->level = d->y[last];
    s->slope = slope;
    s->age = d->n - 1 - last;
    s->n_present = count_present(d->y, d->n);
    m->state = s;
    /* R's rwf(drift = TRUE): the residual variance of lm(diff(y) ~ 1), one degree of freedom
     * spent on the drift. */
    m->sigma2 = sum_sq / (double)(count - 1);
    m->nobs = count;
    return kairos__model_add_coef(m, "drift", slope);
}

static int drift_predict(const kairos_model *m, size_t horizon, double *mean, double *sd)
{
    const walk_state *s = m->state;
    double sigma = sqrt(m->sigma2), T = (double)s->n_present;
    for (size_t h = 1; h <= horizon; h++) {
        double k = (double)(h + s->age);
        mean[h - 1] = s->level + k * s->slope;
        /* FPP3 Table 5.2: the drift's own estimation error adds the h/T term. */
        sd[h - 1] = sigma * sqrt(k * (1.0 + k / T));
    }
    return KAIROS_OK;
}

const kairos__model_vtable kairos__drift_model = {
    .name = "drift",
    .fit = drift_fit,
    .predict = drift_predict,
};

/* ---------------------------------------------------------------------------------------
 * mean: ŷ = ȳ; σ = sample standard deviation (T−1); sd = σ√(1+1/T).
 * ------------------------------------------------------------------------------------- */

typedef struct mean_state {
    double mean;
    size_t n_present;
} mean_state;

static int mean_fit(kairos_model *m, const kairos__fit_data *d)
{
    size_t T = count_present(d->y, d->n);
    if (T < 2)
        return kairos__fail(KAIROS_EDATA, "model 'mean' needs at least two observations");
    double sum = 0.0;
    for (size_t i = 0; i < d->n; i++)
        if (!isnan(d->y[i]))
            sum += d->y[i];
    double mean = sum / (double)T, sum_sq = 0.0;
    /* Two passes: squares of deviations, not Σy² − Tȳ², which cancels badly on large levels. */
    for (size_t i = 0; i < d->n; i++)
        if (!isnan(d->y[i]))
            sum_sq += (d->y[i] - mean) * (d->y[i] - mean);
    mean_state *s = calloc(1, sizeof *s);
    if (!s)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting 'mean'");
    s->mean = mean;
    s->n_present = T;
    m->state = s;
    m->sigma2 = sum_sq / (double)(T - 1);
    m->nobs = T;
    return KAIROS_OK;
}

static int mean_predict(const kairos_model *m, size_t horizon, double *mean, double *sd)
{
    const mean_state *s = m->state;
    double spread = sqrt(m->sigma2 * (1.0 + 1.0 / (double)s->n_present));
    for (size_t h = 0; h < horizon; h++) {
        mean[h] = s->mean;
        sd[h] = spread;
    }
    return KAIROS_OK;
}

const kairos__model_vtable kairos__mean_model = {
    .name = "mean",
    .fit = mean_fit,
    .predict = mean_predict,
};

/* ---------------------------------------------------------------------------------------
 * snaive (period m): step h repeats slot (h−1) mod m of the last season, or of the most recent
 * earlier season where that slot is present; e_t = y_t − y_{t−m}; σ² = mean(e²);
 * sd = σ√k, k = seasons between the value used and the step forecast (⌊(h−1)/m⌋+1 when the
 * last season is complete).
 * ------------------------------------------------------------------------------------- */

typedef struct seasonal_slot {
    double value;      /* the forecast for this slot */
    size_t seasons;    /* seasons between the value used and the first forecast season */
} seasonal_slot;

typedef struct snaive_state {
    size_t        period;
    seasonal_slot slot[];  /* period entries */
} snaive_state;

/* Fill every slot of the season following the history from the most recent season that has
 * it. KAIROS_EDATA when a slot was never observed. */
static int fill_slots(const kairos__fit_data *d, size_t period, seasonal_slot *slot)
{
    for (size_t j = 0; j < period; j++) {
        size_t target = d->n + j, i = d->n - period + j;
        while (isnan(d->y[i]) && i >= period)
            i -= period;
        if (isnan(d->y[i]))
            return kairos__fail(KAIROS_EDATA, "model 'snaive': slot %zu of the season (period "
                                              "%zu) has no observation", j + 1, period);
        slot[j].value = d->y[i];
        slot[j].seasons = (target - i) / period;
    }
    return KAIROS_OK;
}

static int snaive_fit(kairos_model *m, const kairos__fit_data *d)
{
    size_t period = d->period;
    if (d->n <= period)
        return kairos__fail(KAIROS_EDATA,
                            "model 'snaive' with period %zu needs at least %zu points (one "
                            "season and one more); the series has %zu", period, period + 1, d->n);
    size_t count;
    double sum_sq = lag_residual_sum_sq(d->y, d->n, period, 0.0, &count);
    if (count == 0)
        return kairos__fail(KAIROS_EDATA, "model 'snaive' needs two observations one season "
                                          "(%zu steps) apart; the series has none", period);
    if (period > (SIZE_MAX - sizeof(snaive_state)) / sizeof(seasonal_slot))
        return kairos__fail(KAIROS_ENOMEM, "period %zu is too large", period);
    snaive_state *s = malloc(sizeof *s + period * sizeof s->slot[0]);
    if (!s)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting 'snaive'");
    s->period = period;
    m->state = s;
    m->period = period;
    m->sigma2 = sum_sq / (double)count;   /* R's snaive: mean of squared residuals */
    m->nobs = count;
    return fill_slots(d, period, s->slot);
}

static int snaive_predict(const kairos_model *m, size_t horizon, double *mean, double *sd)
{
    const snaive_state *s = m->state;
    double sigma = sqrt(m->sigma2);
    for (size_t h = 0; h < horizon; h++) {
        const seasonal_slot *slot = &s->slot[h % s->period];
        mean[h] = slot->value;
        sd[h] = sigma * sqrt((double)(slot->seasons + h / s->period));
    }
    return KAIROS_OK;
}

const kairos__model_vtable kairos__snaive_model = {
    .name = "snaive",
    .flags = KAIROS__MODEL_SEASONAL,
    .fit = snaive_fit,
    .predict = snaive_predict,
};
