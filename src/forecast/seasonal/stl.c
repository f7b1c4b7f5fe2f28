/* STL (Cleveland et al. 1990) and MSTL (Bandara, Hyndman & Bergmeir 2021). Implemented from
 * the papers' descriptions: §2 of Cleveland et al. gives the inner loop (detrending,
 * cycle-subseries smoothing, low-pass filtering of the smoothed cycle-subseries, detrending
 * of it, deseasonalising, trend smoothing) and the outer loop (bisquare robustness weights
 * from 6·median|remainder|), and §3 the loess fits evaluated every `jump` points with linear
 * interpolation between them. Choices that only R's documentation or output fixes (window
 * defaults, the periodic case as cycle means) are matched to R so the results compare to
 * stats::stl to rounding. */
#include "stl.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------
 * Loess with tricube weights at one point
 * ------------------------------------------------------------------------------------- */

typedef struct loess_window {
    size_t left, right;   /* inclusive range of neighbours */
} loess_window;

/* Local fit of degree 0 or 1 at position xs from y[left..right] (window q of a series of
 * n points). Points with weight 0 or a missing value do not count. Returns false when no
 * point has weight (the caller then falls back). w is scratch of length n. */
static bool loess_at(const double *y, size_t n, size_t q, int degree, double xs,
                     loess_window win, const double *rw, double *w, double *out)
{
    double h = fmax(xs - (double)win.left, (double)win.right - xs);
    if (q > n)
        h += (double)((q - n) / 2);   /* the window reaches past the data: widen as if it did */
    double h_hi = 0.999 * h, h_lo = 0.001 * h, total = 0.0;
    for (size_t j = win.left; j <= win.right; j++) {
        w[j] = 0.0;
        double r = fabs((double)j - xs);
        if (r > h_hi || isnan(y[j]))
            continue;
        if (r <= h_lo) {
            w[j] = 1.0;
        } else {
            double u = r / h;
            u = 1.0 - u * u * u;
            w[j] = u * u * u;
        }
        if (rw)
            w[j] *= rw[j];
        total += w[j];
    }
    if (!(total > 0.0))
        return false;
    for (size_t j = win.left; j <= win.right; j++)
        w[j] /= total;
    if (h > 0.0 && degree > 0) {
        /* Local linear: reweight the local mean by 1 + b (j − ā), the hat-matrix row of a
         * weighted least-squares line, unless the points are too close to fix a slope. */
        double centre = 0.0, scatter = 0.0;
        for (size_t j = win.left; j <= win.right; j++)
            centre += w[j] * (double)j;
        for (size_t j = win.left; j <= win.right; j++)
            scatter += w[j] * ((double)j - centre) * ((double)j - centre);
        if (sqrt(scatter) > 0.001 * (double)(n - 1)) {
            double b = (xs - centre) / scatter;
            for (size_t j = win.left; j <= win.right; j++)
                w[j] *= b * ((double)j - centre) + 1.0;
        }
    }
    double sum = 0.0;
    for (size_t j = win.left; j <= win.right; j++)
        if (w[j] != 0.0)
            sum += w[j] * y[j];
    *out = sum;
    return true;
}

/* Replace NaN estimates (windows with no observation) by linear interpolation between the
 * nearest finite ones, constant beyond them; all NaN becomes 0. */
static void fill_gaps(double *x, size_t n)
{
    size_t prev = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        if (prev == SIZE_MAX) {
            for (size_t j = 0; j < i; j++)
                x[j] = x[i];
        } else if (i > prev + 1) {
            double d = (x[i] - x[prev]) / (double)(i - prev);
            for (size_t j = prev + 1; j < i; j++)
                x[j] = x[prev] + d * (double)(j - prev);
        }
        prev = i;
    }
    if (prev == SIZE_MAX) {
        for (size_t i = 0; i < n; i++)
            x[i] = 0.0;
    } else {
        for (size_t j = prev + 1; j < n; j++)
            x[j] = x[prev];
    }
}

static void estimate(const double *y, size_t n, size_t q, int degree, size_t i,
                     loess_window win, const double *rw, double *w, double *out)
{
    if (!loess_at(y, n, q, degree, (double)i, win, rw, w, &out[i]))
        out[i] = y[i];   /* no weight anywhere in the window: keep the point (NaN if missing) */
}

/* Loess at every jump-th point (and the last), linear interpolation in between. w: n. */
static void loess_series(const double *y, size_t n, size_t q, int degree, size_t jump,
                         const double *rw, double *out, double *w)
{
    if (n < 2) {
        out[0] = y[0];
        return;
    }
    size_t nj = jump < n - 1 ? jump : n - 1;
    if (nj == 0)
        nj = 1;
    loess_window win = { 0, q < n ? q - 1 : n - 1 };
    size_t half = (q + 1) / 2;
    for (size_t i = 0; i < n; i += nj) {
        if (q < n) {
            if (nj == 1) {
                /* Slide one point at a time once the point passes the window's middle. */
                if (i + 1 > half && win.right != n - 1) {
                    win.left++;
                    win.right++;
                }
            } else if (i + 1 < half) {
                win.left = 0;
                win.right = q - 1;
            } else if (i + 1 >= n - half + 1) {
                win.left = n - q;
                win.right = n - 1;
            } else {
                win.left = i + 1 - half;
                win.right = q + i - half;
            }
        }
        estimate(y, n, q, degree, i, win, rw, w, out);
    }
    if (nj > 1) {
        size_t i = 0;
        for (; i + nj < n; i += nj) {
            double d = (out[i + nj] - out[i]) / (double)nj;
            for (size_t j = i + 1; j < i + nj; j++)
                out[j] = out[i] + d * (double)(j - i);
        }
        if (i != n - 1) {
            estimate(y, n, q, degree, n - 1, win, rw, w, out);
            double d = (out[n - 1] - out[i]) / (double)(n - 1 - i);
            for (size_t j = i + 1; j < n - 1; j++)
                out[j] = out[i] + d * (double)(j - i);
        }
    }
    for (size_t i = 0; i < n; i++)
        if (isnan(out[i])) {
            fill_gaps(out, n);
            break;
        }
}

int kairos__stl_loess(const double *y, size_t n, size_t q, int degree, size_t jump,
                      const double *rw, double *out)
{
    double *w = kairos__malloc_array(n, sizeof *w);
    if (!w)
        return kairos__fail(KAIROS_ENOMEM, "out of memory in loess");
    loess_series(y, n, q, degree, jump, rw, out, w);
    free(w);
    return KAIROS_OK;
}

/* ---------------------------------------------------------------------------------------
 * The inner loop
 * ------------------------------------------------------------------------------------- */

typedef struct stl_work {
    size_t n, np, ns, nt, nl;
    int    sdeg, tdeg, ldeg;
    size_t sjump, tjump, ljump;
    double *detrended;    /* n + 2 */
    double *cycle;        /* n + 2 np: smoothed cycle-subseries, one season either side */
    double *lowpass;      /* n + 2 np scratch for the moving averages, then n */
    double *sub, *sub_w, *sub_out;   /* subseries: ⌈n/np⌉, its weights, ⌈n/np⌉ + 2 */
    double *w;            /* loess weights, n + 2 np */
} stl_work;

/* Step 2: loess on each cycle-subseries, extended one period before and after. */
static void smooth_cycle_subseries(stl_work *k, const double *rw)
{
    size_t n = k->n, np = k->np;
    for (size_t j = 0; j < np; j++) {
        size_t len = (n - j - 1) / np + 1;
        for (size_t i = 0; i < len; i++) {
            k->sub[i] = k->detrended[j + i * np];
            if (rw)
                k->sub_w[i] = rw[j + i * np];
        }
        const double *sw = rw ? k->sub_w : NULL;
        double *out = k->sub_out;
        loess_series(k->sub, len, k->ns, k->sdeg, k->sjump, sw, out + 1, k->w);
        loess_window left = { 0, (k->ns < len ? k->ns : len) - 1 };
        if (!loess_at(k->sub, len, k->ns, k->sdeg, -1.0, left, sw, k->w, &out[0]))
            out[0] = out[1];
        loess_window right = { len > k->ns ? len - k->ns : 0, len - 1 };
        if (!loess_at(k->sub, len, k->ns, k->sdeg, (double)len, right, sw, k->w,
                      &out[len + 1]))
            out[len + 1] = out[len];
        for (size_t i = 0; i < len + 2; i++)
            k->cycle[i * np + j] = out[i];
    }
}

/* ave[0..n−len] = moving averages of length len, by a running sum. */
static void moving_average(const double *x, size_t n, size_t len, double *ave)
{
    double v = 0.0;
    for (size_t i = 0; i < len; i++)
        v += x[i];
    ave[0] = v / (double)len;
    for (size_t j = 1; j + len <= n; j++) {
        v += x[j + len - 1] - x[j - 1];
        ave[j] = v / (double)len;
    }
}

/* Steps 3–4 then 5–6: low-pass of the cycle, seasonal = cycle − low-pass, trend. */
static void inner_pass(stl_work *k, const double *y, const double *rw, double *season,
                       double *trend)
{
    size_t n = k->n, np = k->np, N = n + 2 * np;
    for (size_t i = 0; i < n; i++)
        k->detrended[i] = y[i] - trend[i];
    smooth_cycle_subseries(k, rw);
    /* Two moving averages of length np and one of 3 take N points back to n. */
    moving_average(k->cycle, N, np, k->lowpass);
    moving_average(k->lowpass, N - np + 1, np, k->detrended);
    moving_average(k->detrended, n + 2, 3, k->lowpass);
    loess_series(k->lowpass, n, k->nl, k->ldeg, k->ljump, NULL, k->detrended, k->w);
    for (size_t i = 0; i < n; i++)
        season[i] = k->cycle[np + i] - k->detrended[i];
    for (size_t i = 0; i < n; i++)
        k->detrended[i] = y[i] - season[i];
    loess_series(k->detrended, n, k->nt, k->tdeg, k->tjump, rw, trend, k->w);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Bisquare weights of |remainder| / (6·median|remainder|), from the observed points. */
static void robustness_weights(const double *y, size_t n, const double *season,
                               const double *trend, double *rw, double *scratch)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(y[i]))
            scratch[k++] = fabs(y[i] - season[i] - trend[i]);
    qsort(scratch, k, sizeof *scratch, compare_double);
    double h = 3.0 * (scratch[(k - 1) / 2] + scratch[k / 2]);
    for (size_t i = 0; i < n; i++) {
        double r = fabs(y[i] - season[i] - trend[i]);
        if (isnan(y[i]) || r > 0.999 * h) {
            rw[i] = 0.0;
        } else if (r <= 0.001 * h) {
            rw[i] = 1.0;
        } else {
            double u = r / h;
            rw[i] = (1.0 - u * u) * (1.0 - u * u);
        }
    }
}

static size_t next_odd(size_t x)
{
    return x % 2 ? x : x + 1;
}

static size_t ceil_div10(size_t x)
{
    return (x + 9) / 10;
}

/* Resolve R's defaults into the work description. */
static int resolve(const kairos__stl_opts *o, size_t n, stl_work *k)
{
    if (o->period < 2)
        return kairos__fail(KAIROS_EINVAL, "STL needs a period of at least 2 (got %zu)",
                            o->period);
    if (n <= 2 * o->period)
        return kairos__fail(KAIROS_EDATA, "STL with period %zu needs more than two periods "
                                          "(%zu points); the series has %zu", o->period,
                            2 * o->period + 1, n);
    if (o->s_degree < 0 || o->s_degree > 1 || o->t_degree < 0 || o->t_degree > 1 ||
        o->l_degree < 0 || o->l_degree > 1)
        return kairos__fail(KAIROS_EINVAL, "STL loess degrees must be 0 or 1");
    size_t ns = o->periodic ? 10 * n + 1 : o->s_window;
    if (ns < 3)
        ns = 3;
    size_t nt = o->t_window;
    if (nt == 0)
        nt = next_odd((size_t)ceil(1.5 * (double)o->period / (1.0 - 1.5 / (double)ns)));
    size_t nl = o->l_window ? o->l_window : next_odd(o->period);
    k->n = n;
    k->np = o->period;
    k->sdeg = o->periodic ? 0 : o->s_degree;
    k->tdeg = o->t_degree;
    k->ldeg = o->l_degree;
    k->sjump = o->s_jump ? o->s_jump : ceil_div10(ns);
    k->tjump = o->t_jump ? o->t_jump : ceil_div10(nt);
    k->ljump = o->l_jump ? o->l_jump : ceil_div10(nl);
    k->ns = next_odd(ns);
    k->nt = next_odd(nt < 3 ? 3 : nt);
    k->nl = next_odd(nl < 3 ? 3 : nl);
    return KAIROS_OK;
}

/* Replace the seasonal component by its cycle means (R's periodic case). */
static void cycle_means(double *season, size_t n, size_t np)
{
    for (size_t j = 0; j < np; j++) {
        double sum = 0.0;
        size_t c = 0;
        for (size_t i = j; i < n; i += np, c++)
            sum += season[i];
        for (size_t i = j; i < n; i += np)
            season[i] = sum / (double)c;
    }
}

int kairos__stl(const double *y, size_t n, const kairos__stl_opts *o, double *season,
                double *trend, double *remainder)
{
    stl_work k = { 0 };
    int rc = resolve(o, n, &k);
    if (rc)
        return rc;
    size_t observed = 0;
    for (size_t i = 0; i < n; i++)
        observed += !isnan(y[i]);
    if (observed < 2)
        return kairos__fail(KAIROS_EDATA, "STL needs at least two observations");
    size_t np = k.np, N = n + 2 * np, sub = (n + np - 1) / np;
    double *mem = kairos__malloc_array(n + 2 + N + N + sub + sub + (sub + 2) + N + n, sizeof *mem);
    if (!mem)
        return kairos__fail(KAIROS_ENOMEM, "out of memory in STL");
    k.detrended = mem;
    k.cycle = k.detrended + n + 2;   /* + 2: the second moving average is n + 2 long */
    k.lowpass = k.cycle + N;
    k.sub = k.lowpass + N;
    k.sub_w = k.sub + sub;
    k.sub_out = k.sub_w + sub;
    k.w = k.sub_out + sub + 2;
    double *rw = k.w + N;

    int inner = o->inner > 0 ? o->inner : (o->robust ? 1 : 2);
    int outer = o->outer >= 0 ? o->outer : (o->robust ? 15 : 0);
    for (size_t i = 0; i < n; i++)
        trend[i] = 0.0;
    bool weighted = false;
    for (int pass = 0;; pass++) {
        for (int it = 0; it < inner; it++)
            inner_pass(&k, y, weighted ? rw : NULL, season, trend);
        if (pass >= outer)
            break;
        robustness_weights(y, n, season, trend, rw, k.detrended);
        weighted = true;
    }
    if (o->periodic)
        cycle_means(season, n, np);
    if (remainder)
        for (size_t i = 0; i < n; i++)
            remainder[i] = y[i] - season[i] - trend[i];
    free(mem);
    return KAIROS_OK;
}

/* ---------------------------------------------------------------------------------------
 * MSTL: STL on each period in turn, smallest first, each time on the series with the
 * other seasonal components removed; `iterate` passes (Bandara et al. 2021, Algorithm 1).
 * ------------------------------------------------------------------------------------- */

static size_t usable_periods(const size_t *periods, size_t n_periods, size_t n, size_t *used)
{
    size_t k = 0;
    for (size_t i = 0; i < n_periods; i++) {
        size_t p = periods[i];
        if (p < 2 || 2 * p >= n)
            continue;
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            dup = dup || used[j] == p;
        if (!dup)
            used[k++] = p;
    }
    for (size_t i = 1; i < k; i++)   /* insertion sort: a handful of periods */
        for (size_t j = i; j > 0 && used[j - 1] > used[j]; j--) {
            size_t t = used[j];
            used[j] = used[j - 1];
            used[j - 1] = t;
        }
    return k;
}

int kairos__mstl(const double *y, size_t n, const size_t *periods, size_t n_periods,
                 const kairos__mstl_opts *o, size_t *used, size_t *n_used, double *seasonal,
                 double *trend, double *remainder)
{
    size_t k = usable_periods(periods, n_periods, n, used);
    *n_used = k;
    if (k == 0) {
        memcpy(trend, y, n * sizeof *y);
        for (size_t i = 0; i < n; i++)
            remainder[i] = isnan(y[i]) ? NAN : 0.0;
        return KAIROS_OK;
    }
    double *deseason = kairos__malloc_array(n, sizeof *deseason);
    if (!deseason)
        return kairos__fail(KAIROS_ENOMEM, "out of memory in MSTL");
    memcpy(deseason, y, n * sizeof *y);
    memset(seasonal, 0, k * n * sizeof *seasonal);
    size_t iterate = o->iterate ? o->iterate : 2;
    int rc = KAIROS_OK;
    for (size_t pass = 0; rc == KAIROS_OK && pass < iterate; pass++) {
        for (size_t i = 0; rc == KAIROS_OK && i < k; i++) {
            double *s = seasonal + i * n;
            for (size_t t = 0; t < n; t++)
                deseason[t] += s[t];
            kairos__stl_opts so = KAIROS__STL_OPTS_INIT;
            so.period = used[i];
            so.periodic = o->periodic;
            so.s_window = o->s_windows ? o->s_windows[i] : 7 + 4 * (i + 1);
            so.robust = o->robust;
            rc = kairos__stl(deseason, n, &so, s, trend, NULL);
            for (size_t t = 0; rc == KAIROS_OK && t < n; t++)
                deseason[t] -= s[t];
        }
    }
    for (size_t t = 0; rc == KAIROS_OK && t < n; t++)
        remainder[t] = deseason[t] - trend[t];
    free(deseason);
    return rc;
}
