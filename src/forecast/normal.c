/* Gaussian predictive quantiles, from kairos__normal_quantile() (core/normal.c). */
#include "model_internal.h"

#include <math.h>

void kairos__gaussian_quantiles(const double *mean, const double *sd, size_t horizon,
                                const double *levels, size_t n_levels, double *quantiles)
{
    for (size_t i = 0; i < n_levels; i++) {
        double z = kairos__normal_quantile(levels[i]);
        double *row = quantiles + i * horizon;
        for (size_t h = 0; h < horizon; h++)
            /* sd = 0 (a constant history) must give the mean exactly, never 0·z noise. */
            row[h] = sd[h] > 0.0 ? mean[h] + sd[h] * z : mean[h];
    }
}
