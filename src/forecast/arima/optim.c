/* BFGS (Nocedal & Wright, Numerical Optimization, alg. 6.1) with finite-difference
 * gradients (forward differences while far from a stationary point, central differences
 * once the gradient is small) and a backtracking Armijo line search with quadratic
 * interpolation. */
#include "arima_impl.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRAD_STEP 1e-4      /* central differences */
#define FWD_STEP 1e-6       /* forward differences */
#define SWITCH_GRAD 1e-3    /* max |g| below which central differences are used */

static void gradient(size_t n, double *x, double fx, kairos__arima_objfn f, void *ctx,
                     double *g, int central)
{
    for (size_t i = 0; i < n; i++) {
        double xi = x[i];
        if (!central) {
            double h = FWD_STEP * (fabs(xi) > 1.0 ? fabs(xi) : 1.0);
            x[i] = xi + h;
            double fp = f(x, ctx);
            if (!isfinite(fp)) {
                x[i] = xi - h;
                fp = f(x, ctx);
                h = -h;
            }
            x[i] = xi;
            g[i] = isfinite(fp) ? (fp - fx) / h : 0.0;
            continue;
        }
        double h = GRAD_STEP * (fabs(xi) > 1.0 ? fabs(xi) : 1.0);
        x[i] = xi + h;
        double fp = f(x, ctx);
        x[i] = xi - h;
        double fm = f(x, ctx);
        x[i] = xi;
        if (isfinite(fp) && isfinite(fm))
            g[i] = (fp - fm) / (2.0 * h);
        else if (isfinite(fp))
            g[i] = (fp - fx) / h;
        else if (isfinite(fm))
            g[i] = (fx - fm) / h;
        else
            g[i] = 0.0;
    }
}

int kairos__arima_bfgs(size_t n, double *x, double *fx, kairos__arima_objfn f, void *ctx,
                       int maxit, double gtol, double ftol, int *iterations)
{
    *iterations = 0;
    double f0 = f(x, ctx);
    *fx = f0;
    if (!isfinite(f0))
        return -1;
    if (n == 0)
        return 0;
    double *H = kairos__calloc(n * n + 5 * n, sizeof(double));
    if (!H)
        return KAIROS_ENOMEM;
    double *g = H + n * n, *d = g + n, *xn = d + n, *gn = xn + n, *yv = gn + n;
    for (size_t i = 0; i < n; i++)
        H[i * n + i] = 1.0;
    int central = 0;
    gradient(n, x, f0, f, ctx, g, central);
    int status = 1, it, first = 1, stalls = 0;
    for (it = 0; it < maxit; it++) {
        double gmax = 0.0;
        for (size_t i = 0; i < n; i++)
            if (fabs(g[i]) > gmax)
                gmax = fabs(g[i]);
        if (!central && gmax < SWITCH_GRAD) {   /* refine before testing convergence */
            central = 1;
            gradient(n, x, f0, f, ctx, g, central);
            gmax = 0.0;
            for (size_t i = 0; i < n; i++)
                if (fabs(g[i]) > gmax)
                    gmax = fabs(g[i]);
        }
        if (gmax < gtol) {
            status = 0;
            break;
        }
        double slope = 0.0;
        for (size_t i = 0; i < n; i++) {
            double s = 0.0;
            for (size_t j = 0; j < n; j++)
                s -= H[i * n + j] * g[j];
            d[i] = s;
            slope += s * g[i];
        }
        if (!(slope < 0.0)) {                     /* not a descent direction: reset */
            memset(H, 0, n * n * sizeof *H);
            for (size_t i = 0; i < n; i++) {
                H[i * n + i] = 1.0;
                d[i] = -g[i];
            }
            slope = 0.0;
            for (size_t i = 0; i < n; i++)
                slope -= g[i] * g[i];
        }
        double t = 1.0;
        if (first) {
            double dmax = 0.0;
            for (size_t i = 0; i < n; i++)
                if (fabs(d[i]) > dmax)
                    dmax = fabs(d[i]);
            if (dmax > 0.5)
                t = 0.5 / dmax;
        }
        double fnew = 0.0;
        int ok = 0;
        for (int ls = 0; ls < 50; ls++) {
            for (size_t i = 0; i < n; i++)
                xn[i] = x[i] + t * d[i];
            fnew = f(xn, ctx);
            if (isfinite(fnew) && fnew <= f0 + 1e-4 * t * slope) {
                ok = 1;
                break;
            }
            double tn = 0.5 * t;
            if (isfinite(fnew)) {                 /* minimiser of the quadratic model */
                double den = 2.0 * (fnew - f0 - slope * t);
                if (den > 0.0)
                    tn = -slope * t * t / den;
                if (tn < 0.1 * t)
                    tn = 0.1 * t;
                if (tn > 0.5 * t)
                    tn = 0.5 * t;
            } else {
                tn = 0.2 * t;
            }
            t = tn;
        }
        if (!ok) {                                /* no progress possible along d */
            status = gmax < 1e3 * gtol ? 0 : 1;
            break;
        }
        gradient(n, xn, fnew, f, ctx, gn, central);
        double sy = 0.0, yy = 0.0;
        for (size_t i = 0; i < n; i++) {
            d[i] *= t;                            /* s = x_new - x */
            yv[i] = gn[i] - g[i];
            sy += d[i] * yv[i];
            yy += yv[i] * yv[i];
        }
        double fchange = f0 - fnew;
        memcpy(x, xn, n * sizeof *x);
        memcpy(g, gn, n * sizeof *g);
        f0 = fnew;
        if (sy > 1e-14 * sqrt(yy) * 1e-3 && sy > 0.0) {
            if (first) {                          /* scale the initial inverse Hessian */
                double sc = sy / yy;
                for (size_t i = 0; i < n * n; i++)
                    H[i] *= sc;
            }
            /* H <- (I - rho s y') H (I - rho y s') + rho s s' */
            double rho = 1.0 / sy;
            double *Hy = xn;                      /* reuse */
            double yHy = 0.0;
            for (size_t i = 0; i < n; i++) {
                double s = 0.0;
                for (size_t j = 0; j < n; j++)
                    s += H[i * n + j] * yv[j];
                Hy[i] = s;
                yHy += yv[i] * s;
            }
            for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n; j++)
                    H[i * n + j] += rho * ((1.0 + rho * yHy) * d[i] * d[j] -
                                           Hy[i] * d[j] - d[i] * Hy[j]);
        }
        first = 0;
        if (fchange <= ftol * (fabs(f0) + ftol)) {
            if (++stalls >= 2) {
                status = 0;
                it++;
                break;
            }
        } else {
            stalls = 0;
        }
    }
    *iterations = it;
    *fx = f0;
    free(H);
    return status;
}
