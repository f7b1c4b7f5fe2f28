/* Accuracy metrics (formulas and references: docs/evaluation.md). The kernels return NaN for
 * an undefined metric; the public functions check their arguments and turn NaN into
 * KAIROS_EDATA with the reason. */
#include "eval_internal.h"

#include <math.h>

size_t kairos__count_present(const double *y, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += !isnan(y[i]);
    return c;
}

double kairos__mae(const double *y, const double *f, size_t n)
{
    double s = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i])) {
            s += fabs(y[i] - f[i]);
            c++;
        }
    return c ? s / (double)c : NAN;
}

double kairos__rmse(const double *y, const double *f, size_t n)
{
    double s = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i])) {
            double e = y[i] - f[i];
            s += e * e;
            c++;
        }
    return c ? sqrt(s / (double)c) : NAN;
}

double kairos__mape(const double *y, const double *f, size_t n)
{
    double s = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i]) && y[i] != 0.0) {
            s += fabs(y[i] - f[i]) / fabs(y[i]);
            c++;
        }
    return c ? 100.0 * s / (double)c : NAN;
}

double kairos__smape(const double *y, const double *f, size_t n)
{
    double s = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i])) {
            double d = fabs(y[i]) + fabs(f[i]);
            s += d > 0 ? 2.0 * fabs(y[i] - f[i]) / d : 0.0;   /* y = f = 0: a perfect hit */
            c++;
        }
    return c ? 100.0 * s / (double)c : NAN;
}

double kairos__naive_scale(const double *train, size_t n_train, size_t m)
{
    double s = 0;
    size_t c = 0;
    for (size_t t = m; t < n_train; t++)
        if (!isnan(train[t]) && !isnan(train[t - m])) {
            s += fabs(train[t] - train[t - m]);
            c++;
        }
    return c ? s / (double)c : NAN;
}

double kairos__pinball(const double *y, const double *q, size_t n, double level)
{
    double s = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i])) {
            double e = y[i] - q[i];
            s += e >= 0 ? level * e : (level - 1.0) * e;
            c++;
        }
    return c ? s / (double)c : NAN;
}

double kairos__coverage(const double *y, const double *lo, const double *hi, size_t n)
{
    size_t inside = 0, c = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i])) {
            inside += lo[i] <= y[i] && y[i] <= hi[i];
            c++;
        }
    return c ? (double)inside / (double)c : NAN;
}

double kairos__interval_score(const double *y, const double *lo, const double *hi, size_t n,
                              double alpha)
{
    double s = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i])) {
            s += hi[i] - lo[i];
            if (y[i] < lo[i])
                s += 2.0 / alpha * (lo[i] - y[i]);
            if (y[i] > hi[i])
                s += 2.0 / alpha * (y[i] - hi[i]);
            c++;
        }
    return c ? s / (double)c : NAN;
}

/* ---- public wrappers ------------------------------------------------------------------- */

/* A forecast array must be finite wherever the actual value is present. */
static int check_forecast(const char *what, const double *y, const double *f, size_t n,
                          const char *name)
{
    if (!f)
        return kairos__fail(KAIROS_EINVAL, "%s: %s is NULL", what, name);
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i]) && !isfinite(f[i]))
            return kairos__fail(KAIROS_EINVAL, "%s: %s[%zu] is not a finite number", what,
                                name, i);
    return KAIROS_OK;
}

static int check_pair(const char *what, const double *y, const double *f, size_t n,
                      double *out)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "%s: out is NULL", what);
    *out = NAN;
    if (!y && n > 0)
        return kairos__fail(KAIROS_EINVAL, "%s: the actual values are NULL", what);
    return n > 0 ? check_forecast(what, y, f, n, "the forecast") : KAIROS_OK;
}

/* Store @p value; NaN means undefined, reported as @p why. */
static int result(double value, double *out, const char *what, const char *why)
{
    *out = value;
    if (isnan(value))
        return kairos__fail(KAIROS_EDATA, "%s is undefined: %s", what, why);
    return KAIROS_OK;
}

static const char no_actuals[] = "no actual value is present (all missing, or none given)";

int kairos_metric_mae(const double *y, const double *f, size_t n, double *out)
{
    int rc = check_pair("MAE", y, f, n, out);
    return rc ? rc : result(kairos__mae(y, f, n), out, "MAE", no_actuals);
}

int kairos_metric_rmse(const double *y, const double *f, size_t n, double *out)
{
    int rc = check_pair("RMSE", y, f, n, out);
    return rc ? rc : result(kairos__rmse(y, f, n), out, "RMSE", no_actuals);
}

int kairos_metric_mape(const double *y, const double *f, size_t n, double *out)
{
    int rc = check_pair("MAPE", y, f, n, out);
    return rc ? rc : result(kairos__mape(y, f, n), out, "MAPE",
                            "no actual value is present and non-zero");
}

int kairos_metric_smape(const double *y, const double *f, size_t n, double *out)
{
    int rc = check_pair("sMAPE", y, f, n, out);
    return rc ? rc : result(kairos__smape(y, f, n), out, "sMAPE", no_actuals);
}

int kairos_metric_naive_scale(const double *train, size_t n_train, size_t m, double *out)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "naive scale: out is NULL");
    *out = NAN;
    if (!train && n_train > 0)
        return kairos__fail(KAIROS_EINVAL, "naive scale: the training values are NULL");
    if (m == 0)
        return kairos__fail(KAIROS_EINVAL, "naive scale: the season must be at least 1");
    double scale = kairos__naive_scale(train, n_train, m);
    *out = scale;
    if (isnan(scale))
        return kairos__fail(KAIROS_EDATA, "the in-sample seasonal naive error (m = %zu) is "
                            "undefined: no two present values %zu steps apart in %zu training "
                            "points", m, m, n_train);
    if (scale == 0)
        return kairos__fail(KAIROS_EDATA, "the in-sample seasonal naive error (m = %zu) is 0: "
                            "the training data repeat exactly, so scaled errors are undefined",
                            m);
    return KAIROS_OK;
}

int kairos_metric_mase(const double *train, size_t n_train, size_t m, const double *y,
                       const double *f, size_t n, double *out)
{
    double scale;
    int rc = check_pair("MASE", y, f, n, out);
    if (rc == KAIROS_OK)
        rc = kairos_metric_naive_scale(train, n_train, m, &scale);
    return rc ? rc : result(kairos__mae(y, f, n) / scale, out, "MASE", no_actuals);
}

int kairos_metric_pinball(const double *y, const double *q, size_t n, double level,
                          double *out)
{
    int rc = check_pair("pinball loss", y, q, n, out);
    if (rc == KAIROS_OK && !(level > 0.0 && level < 1.0))
        rc = kairos__fail(KAIROS_EINVAL, "pinball loss: level %g is not in (0,1)", level);
    return rc ? rc : result(kairos__pinball(y, q, n, level), out, "the pinball loss",
                            no_actuals);
}

static int check_interval(const char *what, const double *y, const double *lo,
                          const double *hi, size_t n, double *out)
{
    int rc = check_pair(what, y, lo, n, out);
    if (rc == KAIROS_OK && n > 0)
        rc = check_forecast(what, y, hi, n, "the upper bound");
    return rc;
}

int kairos_metric_coverage(const double *y, const double *lo, const double *hi, size_t n,
                           double *out)
{
    int rc = check_interval("coverage", y, lo, hi, n, out);
    return rc ? rc : result(kairos__coverage(y, lo, hi, n), out, "coverage", no_actuals);
}

int kairos_metric_msis(const double *train, size_t n_train, size_t m, const double *y,
                       const double *lo, const double *hi, size_t n, double alpha, double *out)
{
    double scale;
    int rc = check_interval("MSIS", y, lo, hi, n, out);
    if (rc == KAIROS_OK && !(alpha > 0.0 && alpha < 1.0))
        rc = kairos__fail(KAIROS_EINVAL, "MSIS: alpha %g is not in (0,1)", alpha);
    if (rc == KAIROS_OK)
        rc = kairos_metric_naive_scale(train, n_train, m, &scale);
    return rc ? rc : result(kairos__interval_score(y, lo, hi, n, alpha) / scale, out, "MSIS",
                            no_actuals);
}
