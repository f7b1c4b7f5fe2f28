/* The predictive distribution of one forecast step, built from its quantiles: linear
 * quantile function between the given levels, fitted normal tails beyond them. */
#include "plan_internal.h"

#include <math.h>
#include <stdlib.h>

double kairos__plan_phi(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

double kairos__plan_pdf(double x)
{
    return exp(-0.5 * x * x) / sqrt(2.0 * 3.14159265358979323846);
}

/* Integers below 2^53 are exact; the tolerance only absorbs rounding noise of a product or
 * quotient (0.7·3/0.7 giving 3.0000000000000004). */
static double near_integer(double x, int *hit)
{
    double r = nearbyint(x);
    *hit = fabs(x - r) <= 1e-9 * fmax(1.0, fabs(x));
    return r;
}

double kairos__ceil_tol(double x)
{
    int hit;
    double r = near_integer(x, &hit);
    return hit ? r : ceil(x);
}

double kairos__floor_tol(double x)
{
    int hit;
    double r = near_integer(x, &hit);
    return hit ? r : floor(x);
}

void kairos__levels_free(kairos__levels *lv)
{
    free(lv->order);
    free(lv->p);
    free(lv->z);
    lv->order = NULL;
    lv->p = lv->z = NULL;
    lv->k = 0;
}

static int check_levels(const kairos_plan_forecast *fc, kairos__levels *lv)
{
    size_t k = fc->n_quantiles;
    lv->k = k;
    lv->order = kairos__malloc_array(k, sizeof *lv->order);
    lv->p = kairos__malloc_array(k, sizeof *lv->p);
    lv->z = kairos__malloc_array(k, sizeof *lv->z);
    if (!lv->order || !lv->p || !lv->z) {
        kairos__levels_free(lv);
        return kairos__fail(KAIROS_ENOMEM, "out of memory sorting %zu quantile levels", k);
    }
    for (size_t i = 0; i < k; i++) {
        double p = fc->levels[i];
        if (!(p > 0 && p < 1)) {
            kairos__levels_free(lv);
            return kairos__fail(KAIROS_EINVAL, "forecast quantile level %g is not inside (0,1)", p);
        }
        /* Insertion sort: k is a handful of levels. */
        size_t j = i;
        while (j > 0 && lv->p[j - 1] > p) {
            lv->p[j] = lv->p[j - 1];
            lv->order[j] = lv->order[j - 1];
            j--;
        }
        lv->p[j] = p;
        lv->order[j] = i;
    }
    for (size_t i = 0; i < k; i++) {
        if (i > 0 && lv->p[i] == lv->p[i - 1]) {
            double dup = lv->p[i];
            kairos__levels_free(lv);
            return kairos__fail(KAIROS_EINVAL, "forecast quantile level %g is given twice", dup);
        }
        lv->z[i] = kairos__normal_quantile(lv->p[i]);
    }
    return KAIROS_OK;
}

int kairos__forecast_check(const kairos_plan_forecast *fc, kairos__levels *lv)
{
    lv->k = 0;
    lv->order = NULL;
    lv->p = lv->z = NULL;
    if (!fc)
        return kairos__fail(KAIROS_EINVAL, "the forecast is NULL");
    int rc = kairos__check_version(fc->version, KAIROS_PLAN_FORECAST_VERSION,
                                   "kairos_plan_forecast");
    if (rc)
        return rc;
    if (fc->horizon == 0)
        return kairos__fail(KAIROS_EINVAL, "the forecast has a horizon of 0 steps");
    if (fc->step_s <= 0)
        return kairos__fail(KAIROS_EINVAL, "the forecast step must be > 0 seconds (got %lld)",
                            (long long)fc->step_s);
    if (!fc->mean)
        return kairos__fail(KAIROS_EINVAL, "the forecast mean is NULL");
    size_t k = fc->n_quantiles, h = fc->horizon;
    if (k > 0 && (!fc->levels || !fc->quantiles))
        return kairos__fail(KAIROS_EINVAL, "the forecast has %zu quantiles but NULL levels or values", k);
    if (k > 0 && h > SIZE_MAX / k)
        return kairos__fail(KAIROS_EINVAL, "%zu quantiles × %zu steps overflow", k, h);
    for (size_t t = 0; t < h; t++)
        if (!isfinite(fc->mean[t]))
            return kairos__fail(KAIROS_EDATA, "forecast step %zu: the mean is %s", t + 1,
                                isnan(fc->mean[t]) ? "NaN" : "infinite");
    for (size_t i = 0; i < k; i++)
        for (size_t t = 0; t < h; t++)
            if (!isfinite(fc->quantiles[i * h + t]))
                return kairos__fail(KAIROS_EDATA, "forecast step %zu: the quantile at level %g is %s",
                                    t + 1, fc->levels[i],
                                    isnan(fc->quantiles[i * h + t]) ? "NaN" : "infinite");
    return k ? check_levels(fc, lv) : KAIROS_OK;
}

void kairos__dist_at(kairos__dist *d, const kairos_plan_forecast *fc, const kairos__levels *lv,
                     size_t t, double *q)
{
    size_t k = lv->k, h = fc->horizon;
    d->k = k;
    d->p = lv->p;
    d->z = lv->z;
    d->q = q;
    d->mean = fc->mean[t];
    d->sigma_lo = d->sigma_hi = 0;
    /* Monotone rearrangement: quantiles that cross are sorted, never used out of order. */
    for (size_t i = 0; i < k; i++) {
        double v = fc->quantiles[lv->order[i] * h + t];
        size_t j = i;
        while (j > 0 && q[j - 1] > v) {
            q[j] = q[j - 1];
            j--;
        }
        q[j] = v;
    }
    if (k >= 2) {
        d->sigma_lo = (q[1] - q[0]) / (lv->z[1] - lv->z[0]);
        d->sigma_hi = (q[k - 1] - q[k - 2]) / (lv->z[k - 1] - lv->z[k - 2]);
    } else if (k == 1 && lv->z[0] != 0) {
        /* One quantile: the normal through it and the mean. */
        double s = (q[0] - d->mean) / lv->z[0];
        d->sigma_lo = d->sigma_hi = (s > 0 && isfinite(s)) ? s : 0;
    }
}

double kairos__dist_quantile(const kairos__dist *d, double level)
{
    size_t k = d->k;
    if (k == 0)
        return d->mean;
    const double *p = d->p, *q = d->q;
    if (level <= p[0])
        return level == p[0] ? q[0] : q[0] + d->sigma_lo * (kairos__normal_quantile(level) - d->z[0]);
    if (level >= p[k - 1])
        return level == p[k - 1] ? q[k - 1]
                                 : q[k - 1] + d->sigma_hi * (kairos__normal_quantile(level) - d->z[k - 1]);
    size_t i = 0;
    while (p[i + 1] < level)
        i++;
    if (level == p[i + 1])
        return q[i + 1];
    return q[i] + (q[i + 1] - q[i]) * (level - p[i]) / (p[i + 1] - p[i]);
}

double kairos__dist_exceed(const kairos__dist *d, double c)
{
    size_t k = d->k;
    if (k == 0)
        return d->mean > c ? 1.0 : 0.0;
    const double *p = d->p, *q = d->q;
    if (c < q[0])
        return d->sigma_lo > 0 ? kairos__plan_phi(-(d->z[0] + (c - q[0]) / d->sigma_lo)) : 1.0;
    if (c >= q[k - 1])
        return d->sigma_hi > 0 ? kairos__plan_phi(-(d->z[k - 1] + (c - q[k - 1]) / d->sigma_hi))
                               : 0.0;
    /* The last knot at or below c: F(c) = sup{p : Q(p) <= c}. */
    size_t j = 0;
    while (q[j + 1] <= c)
        j++;
    double f = p[j] + (p[j + 1] - p[j]) * (c - q[j]) / (q[j + 1] - q[j]);
    return 1.0 - f;
}

/* E[(X − c)⁺] restricted to a normal tail. */
static double upper_tail_excess(double qk, double zk, double pk, double sigma, double c)
{
    if (!(sigma > 0))
        return (1.0 - pk) * fmax(qk - c, 0.0);
    double mu = qk - sigma * zk;
    double a = fmax(c, qk);
    double alpha = (a - mu) / sigma;
    return sigma * kairos__plan_pdf(alpha) + (mu - c) * kairos__plan_phi(-alpha);
}

static double lower_tail_excess(double q1, double z1, double p1, double sigma, double c)
{
    if (c >= q1)
        return 0.0;
    if (!(sigma > 0))
        return p1 * (q1 - c);
    double mu = q1 - sigma * z1;
    double alpha = (c - mu) / sigma;
    return (mu - c) * (kairos__plan_phi(z1) - kairos__plan_phi(alpha)) +
           sigma * (kairos__plan_pdf(alpha) - kairos__plan_pdf(z1));
}

double kairos__dist_excess(const kairos__dist *d, double c)
{
    size_t k = d->k;
    if (k == 0)
        return fmax(d->mean - c, 0.0);
    const double *p = d->p, *q = d->q;
    double e = lower_tail_excess(q[0], d->z[0], p[0], d->sigma_lo, c) +
               upper_tail_excess(q[k - 1], d->z[k - 1], p[k - 1], d->sigma_hi, c);
    for (size_t i = 0; i + 1 < k; i++) {
        double w = p[i + 1] - p[i], a = q[i], b = q[i + 1];
        if (b <= c)
            continue;
        if (a >= c)
            e += w * (0.5 * (a + b) - c);
        else
            e += w * (b - c) / (b - a) * 0.5 * (b - c);   /* the part above c is a triangle */
    }
    return fmax(e, 0.0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int kairos__median(const double *x, size_t n, double *out, size_t *n_finite)
{
    double *v = kairos__malloc_array(n, sizeof *v);
    if (!v)
        return kairos__fail(KAIROS_ENOMEM, "out of memory taking a median of %zu values", n);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            v[m++] = x[i];
    if (n_finite)
        *n_finite = m;
    if (m == 0) {
        free(v);
        return KAIROS_EDATA;
    }
    qsort(v, m, sizeof *v, cmp_double);
    *out = m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
    free(v);
    return KAIROS_OK;
}
