/* STL and MSTL decompositions: internal API (not installed, not exported).
 *
 * STL: Cleveland, Cleveland, McRae & Terpenning (1990), "STL: A Seasonal-Trend Decomposition
 * Procedure Based on Loess", Journal of Official Statistics 6(1), 3–73. Defaults follow R's
 * stats::stl. MSTL: Bandara, Hyndman & Bergmeir (2021), "MSTL: A Seasonal-Trend
 * Decomposition Algorithm for Time Series with Multiple Seasonal Patterns", with the defaults
 * of R's forecast::mstl. Definitions in docs/models.md.
 *
 * Missing values (NaN) take part with weight zero in every loess fit, so the components are
 * defined at every point and the remainder is NaN exactly where y is. (R's stl refuses them;
 * forecast::mstl interpolates them first.)
 */
#ifndef KAIROS_FORECAST_STL_H
#define KAIROS_FORECAST_STL_H

#include <kairos/common.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct kairos__stl_opts {
    size_t period;     /* n_p >= 2 */
    bool   periodic;   /* s.window = "periodic": seasonal = the cycle means */
    size_t s_window;   /* n_s, odd >= 3 (made so); ignored when periodic */
    int    s_degree;   /* 0 or 1; R's default 0 */
    size_t t_window;   /* 0 = nextodd(ceil(1.5 n_p / (1 − 1.5 / n_s))) */
    int    t_degree;   /* R's default 1 */
    size_t l_window;   /* 0 = nextodd(n_p) */
    int    l_degree;   /* R's default: t_degree */
    size_t s_jump, t_jump, l_jump;   /* 0 = ceil(window / 10) */
    bool   robust;     /* 15 robustness (outer) passes of 1 inner pass; else 1 pass of 2 */
    int    inner, outer;   /* > 0 (inner) / >= 0 (outer) override the robust defaults;
                            * -1 = default */
} kairos__stl_opts;

/* stats::stl(x, s.window = 11) apart from period and window. */
#define KAIROS__STL_OPTS_INIT { 0, false, 11, 0, 0, 1, 0, 1, 0, 0, 0, false, -1, -1 }

/* Decompose y[0..n) (n > 2·period; NaN allowed) into seasonal + trend + remainder. Every
 * output is caller-owned of length n; remainder may be NULL.
 * KAIROS_EINVAL (period < 2, degree not 0/1), KAIROS_EDATA (n <= 2·period or fewer than two
 * observations), KAIROS_ENOMEM. */
int kairos__stl(const double *y, size_t n, const kairos__stl_opts *opts, double *seasonal,
                double *trend, double *remainder);

typedef struct kairos__mstl_opts {
    const size_t *s_windows;  /* per period after sorting; NULL = 7 + 4i (11, 15, …) */
    bool   periodic;          /* every seasonal window "periodic" */
    size_t iterate;           /* passes over the periods; 0 = 2 */
    bool   robust;
} kairos__mstl_opts;

/* Decompose y into one seasonal component per usable period plus trend and remainder.
 * Periods are sorted ascending, duplicates and those with 2·m >= n (or m < 2) dropped, as
 * forecast::mstl does. @p used receives the periods kept (capacity n_periods), *n_used their
 * count; @p seasonal is n_periods × n (row i is the component of used[i]). With no usable
 * period *n_used = 0, the trend is y (missing values carried) and the remainder 0.
 * Returns as kairos__stl(). */
int kairos__mstl(const double *y, size_t n, const size_t *periods, size_t n_periods,
                 const kairos__mstl_opts *opts, size_t *used, size_t *n_used, double *seasonal,
                 double *trend, double *remainder);

/* Loess smoother of STL at every point of y (exposed for tests): window q, degree 0/1,
 * evaluated every @p jump points and interpolated linearly; rw optional weights. */
int kairos__stl_loess(const double *y, size_t n, size_t q, int degree, size_t jump,
                      const double *rw, double *out);

#endif /* KAIROS_FORECAST_STL_H */
