/* Nelder–Mead simplex minimiser (Nelder & Mead, Computer Journal 7, 1965), with the usual
 * coefficients: reflection 1, expansion 2, contraction 1/2, shrink 1/2. Used for the ETS
 * likelihood, whose bounds are enforced by returning +Inf outside them: a derivative-free
 * method copes with that wall where a gradient method would not. */
#include "ets.h"
#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct simplex {
    size_t  dim;
    double *v;      /* (dim+1) vertices × dim */
    double *fv;     /* their values */
    double *centroid, *trial, *trial2;
} simplex;

static double *vertex(simplex *s, size_t i)
{
    return s->v + i * s->dim;
}

static void order_extremes(const simplex *s, size_t *best, size_t *worst, size_t *second)
{
    *best = *worst = 0;
    for (size_t i = 1; i <= s->dim; i++) {
        if (s->fv[i] < s->fv[*best])
            *best = i;
        if (s->fv[i] > s->fv[*worst])
            *worst = i;
    }
    *second = *best;
    for (size_t i = 0; i <= s->dim; i++)
        if (i != *worst && s->fv[i] > s->fv[*second])
            *second = i;
}

/* x_out = centroid + coef·(centroid − worst). */
static void along(const simplex *s, const double *worst, double coef, double *out)
{
    for (size_t j = 0; j < s->dim; j++)
        out[j] = s->centroid[j] + coef * (s->centroid[j] - worst[j]);
}

static void replace(simplex *s, size_t i, const double *x, double fx)
{
    memcpy(vertex(s, i), x, s->dim * sizeof *x);
    s->fv[i] = fx;
}

double kairos__nelder_mead(double (*f)(const double *x, void *ctx), void *ctx, double *x,
                           const double *step, size_t dim, double reltol, size_t max_eval)
{
    simplex s = { .dim = dim };
    double *mem = kairos__malloc_array((dim + 1) * dim + (dim + 1) + 3 * dim, sizeof *mem);
    if (!mem)
        return NAN;
    s.v = mem;
    s.fv = s.v + (dim + 1) * dim;
    s.centroid = s.fv + dim + 1;
    s.trial = s.centroid + dim;
    s.trial2 = s.trial + dim;

    for (size_t i = 0; i <= dim; i++) {
        memcpy(vertex(&s, i), x, dim * sizeof *x);
        if (i > 0)
            vertex(&s, i)[i - 1] += step[i - 1];
        s.fv[i] = f(vertex(&s, i), ctx);
    }
    size_t evals = dim + 1, best, worst, second;
    for (;;) {
        order_extremes(&s, &best, &worst, &second);
        double fb = s.fv[best], fw = s.fv[worst];
        if (evals >= max_eval || (isfinite(fw) && fw - fb <= reltol * (fabs(fb) + reltol)))
            break;
        memset(s.centroid, 0, dim * sizeof *s.centroid);
        for (size_t i = 0; i <= dim; i++)
            if (i != worst)
                for (size_t j = 0; j < dim; j++)
                    s.centroid[j] += vertex(&s, i)[j] / (double)dim;
        double *xw = vertex(&s, worst);
        along(&s, xw, 1.0, s.trial);
        double fr = f(s.trial, ctx);
        evals++;
        if (fr < fb) {
            along(&s, xw, 2.0, s.trial2);
            double fe = f(s.trial2, ctx);
            evals++;
            if (fe < fr)
                replace(&s, worst, s.trial2, fe);
            else
                replace(&s, worst, s.trial, fr);
            continue;
        }
        if (fr < s.fv[second]) {
            replace(&s, worst, s.trial, fr);
            continue;
        }
        /* Contract toward the better of the worst point and its reflection. */
        bool outside = fr < fw;
        along(&s, xw, outside ? 0.5 : -0.5, s.trial2);
        double fc = f(s.trial2, ctx);
        evals++;
        if (fc < (outside ? fr : fw)) {
            replace(&s, worst, s.trial2, fc);
            continue;
        }
        const double *xb = vertex(&s, best);
        for (size_t i = 0; i <= dim; i++) {
            if (i == best)
                continue;
            double *xi = vertex(&s, i);
            for (size_t j = 0; j < dim; j++)
                xi[j] = xb[j] + 0.5 * (xi[j] - xb[j]);
            s.fv[i] = f(xi, ctx);
        }
        evals += dim;
    }
    memcpy(x, vertex(&s, best), dim * sizeof *x);
    double fbest = s.fv[best];
    free(mem);
    return fbest;
}
