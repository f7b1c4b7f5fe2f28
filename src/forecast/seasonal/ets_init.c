/* Starting values for the ETS optimiser (Hyndman et al. 2008, §2.6.1 and §5.2):
 * - seasonal states from a classical additive decomposition (centred moving average, slot
 *   means of the detrended series, normalised to sum to zero) when the series covers three
 *   seasons, else from slot means around a least-squares line;
 * - level (and slope) from a least-squares line through the first max(10, 2m) seasonally
 *   adjusted points;
 * - smoothing parameters small inside the "usual" bounds (α = 0.2/m, β and γ a fraction of
 *   their room, φ near its upper bound), so the optimiser starts from a smooth fit.
 * Starting values only steer the optimiser; the estimate is the likelihood optimum. */
#include "ets.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>

/* Least-squares line through (t, y_t), t = 1..count over observed points. */
static void line_fit(const double *y, const double *season, size_t m, size_t count,
                     double *intercept, double *slope)
{
    double st = 0, sy = 0, stt = 0, sty = 0, k = 0;
    for (size_t i = 0; i < count; i++) {
        if (isnan(y[i]))
            continue;
        double t = (double)(i + 1), v = y[i] - (season ? season[i % m] : 0.0);
        st += t;
        sy += v;
        stt += t * t;
        sty += t * v;
        k++;
    }
    double den = k * stt - st * st;
    *slope = k >= 2 && den > 0 ? (k * sty - st * sy) / den : 0.0;
    *intercept = k > 0 ? (sy - *slope * st) / k : 0.0;
}

/* Slot means of the series minus a trend estimate; returns false when a slot is empty. */
static bool seasonal_indices(const double *y, size_t n, size_t m, double *idx)
{
    double *trend = kairos__malloc_array(n, sizeof *trend);
    if (!trend)
        return false;
    if (n >= 3 * m) {
        /* Centred moving average of order m (2×m for even m). */
        size_t half = m / 2;
        for (size_t t = 0; t < n; t++) {
            trend[t] = NAN;
            if (t < half || t + half >= n)
                continue;
            double sum = 0.0;
            bool ok = true;
            for (size_t j = t - half; j <= t + half && ok; j++) {
                double w = (m % 2 == 0 && (j == t - half || j == t + half)) ? 0.5 : 1.0;
                ok = !isnan(y[j]);
                sum += w * y[j];
            }
            trend[t] = ok ? sum / (double)m : NAN;
        }
    } else {
        double a, b;
        line_fit(y, NULL, 1, n, &a, &b);
        for (size_t t = 0; t < n; t++)
            trend[t] = a + b * (double)(t + 1);
    }
    bool ok = true;
    double total = 0.0;
    for (size_t j = 0; j < m && ok; j++) {
        double sum = 0.0, k = 0.0;
        for (size_t t = j; t < n; t += m)
            if (!isnan(y[t]) && !isnan(trend[t])) {
                sum += y[t] - trend[t];
                k++;
            }
        ok = k > 0;
        idx[j] = ok ? sum / k : 0.0;
        total += idx[j];
    }
    for (size_t j = 0; j < m; j++)
        idx[j] -= total / (double)m;
    free(trend);
    return ok;
}

static double spread(const double *y, size_t n)
{
    double sum = 0.0, sq = 0.0, k = 0.0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i])) {
            sum += y[i];
            k++;
        }
    double mean = sum / k;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i]))
            sq += (y[i] - mean) * (y[i] - mean);
    double sd = k > 1 ? sqrt(sq / (k - 1)) : 0.0;
    return sd > 0 ? sd : fabs(mean) * 0.01 + 1e-8;
}

int kairos__ets_start(const kairos__ets_spec *spec, const double *y, size_t n, double *par,
                      double *step)
{
    size_t m = spec->period >= 2 ? spec->period : 1;
    double *season = NULL;
    if (m > 1) {
        season = kairos__malloc_array(m, sizeof *season);
        if (!season)
            return kairos__fail(KAIROS_ENOMEM, "out of memory starting ETS");
        if (!seasonal_indices(y, n, m, season))
            for (size_t j = 0; j < m; j++)
                season[j] = 0.0;
    }
    double sd = spread(y, n);
    size_t k = 0;
    double alpha = 1e-4 + 0.2 * (0.9999 - 1e-4) / (double)m;
    par[k] = alpha;
    step[k++] = 0.1;
    if (spec->trend) {
        par[k] = 1e-4 + 0.1 * (alpha - 1e-4);
        step[k] = 0.5 * (alpha - par[k]);
        k++;
    }
    if (m > 1) {
        par[k] = 1e-4 + 0.05 * (1.0 - alpha - 1e-4);
        step[k++] = 0.1;
    }
    if (spec->damped) {
        par[k] = 0.97;
        step[k++] = -0.1;
    }
    size_t first = n < 10 ? n : 10;
    if (2 * m > first)
        first = 2 * m < n ? 2 * m : n;
    double a, b;
    line_fit(y, season, m, first, &a, &b);
    if (spec->trend) {
        par[k] = a;
        step[k++] = 0.2 * sd;
        par[k] = b;
        step[k++] = 0.02 * sd;
    } else {
        par[k] = a + b * (double)(first + 1) / 2.0;   /* the mean of the first points */
        step[k++] = 0.2 * sd;
    }
    /* R's s_k is slot m−1−k; slot 0 is implied by Σ s = 0. */
    for (size_t j = 0; m > 1 && j + 1 < m; j++) {
        par[k] = season[m - 1 - j];
        step[k++] = 0.2 * sd;
    }
    free(season);
    return KAIROS_OK;
}
