/* The eval module's internal pieces. Not installed.
 *
 * metrics.c    the metrics: NaN-returning kernels (used inside backtests, where an undefined
 *              metric is a null in the report, not a failure) and the public wrappers
 * backtest.c   rolling-origin windows: fit, forecast, score
 * report.c     the backtest result as JSON
 * calibrate.c  the split-conformal wrapper model
 */
#ifndef KAIROS_EVAL_INTERNAL_H
#define KAIROS_EVAL_INTERNAL_H

#include <kairos/eval.h>
#include "core/internal.h"

#include <stdbool.h>

/* Kernels: inputs are valid (non-NULL, forecasts finite where y is present); NaN actuals are
 * skipped; the result is NaN when the metric is undefined. */
double kairos__mae(const double *y, const double *f, size_t n);
double kairos__rmse(const double *y, const double *f, size_t n);
double kairos__mape(const double *y, const double *f, size_t n);
double kairos__smape(const double *y, const double *f, size_t n);
double kairos__naive_scale(const double *train, size_t n_train, size_t m);
double kairos__pinball(const double *y, const double *q, size_t n, double level);
double kairos__coverage(const double *y, const double *lo, const double *hi, size_t n);
/* Unscaled mean interval score; MSIS = this / kairos__naive_scale(). */
double kairos__interval_score(const double *y, const double *lo, const double *hi, size_t n,
                              double alpha);
/* Non-missing actual values among y[0..n). */
size_t kairos__count_present(const double *y, size_t n);

/* Φ(−1) and Φ(1): the levels whose quantiles give a forecast's spread, (q₊ − q₋)/2, which is
 * the sd of a Gaussian forecast. */
#define KAIROS__SPREAD_LO 0.15865525393145707
#define KAIROS__SPREAD_HI 0.8413447460685429

/* The caller's fit options as a struct of the current version (a caller built against an
 * older header passes a shorter struct). */
int kairos__eval_fit_opts(const kairos_fit_opts *in, kairos_fit_opts *out);

#endif /* KAIROS_EVAL_INTERNAL_H */
