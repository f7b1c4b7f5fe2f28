/* Private to src/plan: the per-step predictive distribution and forecast validation. */
#ifndef KAIROS_PLAN_INTERNAL_H
#define KAIROS_PLAN_INTERNAL_H

#include "core/internal.h"
#include <kairos/plan.h>

/* The levels of a forecast, sorted, with their standard-normal scores; built once per call
 * and shared by every step. */
typedef struct kairos__levels {
    size_t  k;
    size_t *order;    /* order[i]: row of the i-th smallest level */
    double *p;        /* sorted levels */
    double *z;        /* Φ⁻¹(p) */
} kairos__levels;

/* One step's distribution: the sorted knots (p_i, q_i), the tails' normal spreads (0 for a
 * point-mass tail). With k == 0 it is a point mass on `mean`. */
typedef struct kairos__dist {
    size_t        k;
    const double *p, *z;
    double       *q;          /* k values, sorted; storage owned by the caller */
    double        mean;
    double        sigma_lo, sigma_hi;
} kairos__dist;

/* Check a forecast view: version, sizes, levels in (0,1) and distinct, finite values.
 * Builds @p lv (release with kairos__levels_free). */
int kairos__forecast_check(const kairos_plan_forecast *fc, kairos__levels *lv);
void kairos__levels_free(kairos__levels *lv);

/* Fill @p d for step @p t; @p q has room for lv->k values. */
void kairos__dist_at(kairos__dist *d, const kairos_plan_forecast *fc, const kairos__levels *lv,
                     size_t t, double *q);

double kairos__dist_quantile(const kairos__dist *d, double level);
/* P(X > c). */
double kairos__dist_exceed(const kairos__dist *d, double c);
/* E[(X − c)⁺]. */
double kairos__dist_excess(const kairos__dist *d, double c);

/* Standard normal CDF and density; the quantile is core's kairos__normal_quantile(). */
double kairos__plan_phi(double x);
double kairos__plan_pdf(double x);

/* ceil(x) and floor(x), treating x within 1e-9 (relative) of an integer as that integer. */
double kairos__ceil_tol(double x);
double kairos__floor_tol(double x);

/* Median of the finite entries of x (n of them); sorts a copy. KAIROS_OK, KAIROS_EDATA when
 * none is finite, KAIROS_ENOMEM. */
int kairos__median(const double *x, size_t n, double *out, size_t *n_finite);

#endif /* KAIROS_PLAN_INTERNAL_H */
