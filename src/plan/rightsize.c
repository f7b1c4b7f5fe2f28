/* Per-pod request/limit recommendations and Kubernetes quantities. */
#include "plan_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MI 1048576.0
/* Counts of millicores or Mi stay exact integers in a double below 2^53. */
#define MAX_UNITS 9007199254740992.0

/* ---- quantities ---------------------------------------------------------------------- */

typedef struct suffix {
    const char *text;
    int binary_exp;     /* value × 2^binary_exp, or */
    int decimal_exp;    /* value × 10^decimal_exp */
} suffix;

static const suffix suffixes[] = {
    { "Ki", 10, 0 }, { "Mi", 20, 0 }, { "Gi", 30, 0 }, { "Ti", 40, 0 }, { "Pi", 50, 0 },
    { "Ei", 60, 0 }, { "n", 0, -9 },  { "u", 0, -6 },  { "m", 0, -3 },  { "k", 0, 3 },
    { "M", 0, 6 },   { "G", 0, 9 },   { "T", 0, 12 },  { "P", 0, 15 },  { "E", 0, 18 },
    { "", 0, 0 },
};

/* The exponent of a decimal-exponent suffix ("e3", "E-2"), or NULL when @p s is not one. */
static const char *exponent_digits(const char *s)
{
    if (*s != 'e' && *s != 'E')
        return NULL;
    const char *p = s + 1;
    if (*p == '+' || *p == '-')
        p++;
    if (*p < '0' || *p > '9')
        return NULL;
    while (*p >= '0' && *p <= '9')
        p++;
    return *p ? NULL : s + 1;
}

int kairos_quantity_parse(const char *text, double *out)
{
    if (!text || !out)
        return kairos__fail(KAIROS_EINVAL, "kairos_quantity_parse: NULL argument");
    const char *p = text;
    if (*p == '+' || *p == '-')
        p++;
    size_t digits = 0;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (digits == 0)
        return kairos__fail(KAIROS_EPARSE, "quantity '%s' does not start with a number", text);
    size_t num_len = (size_t)(p - text);
    char num[96];
    if (num_len > 64)
        return kairos__fail(KAIROS_EPARSE, "quantity '%.40s...' has too many digits", text);
    memcpy(num, text, num_len);
    num[num_len] = '\0';

    int binary_exp = 0;
    const char *exp = exponent_digits(p);
    if (exp) {
        if (strlen(exp) > 8)
            return kairos__fail(KAIROS_ERANGE, "quantity '%s' has an absurd exponent", text);
        snprintf(num + num_len, sizeof num - num_len, "e%s", exp);
    } else {
        const suffix *s = NULL;
        for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++)
            if (strcmp(p, suffixes[i].text) == 0)
                s = &suffixes[i];
        if (!s)
            return kairos__fail(KAIROS_EPARSE,
                                "quantity '%s': unknown suffix '%s' (use m, k, M, G, Ki, Mi, Gi, ...)",
                                text, p);
        binary_exp = s->binary_exp;
        if (s->decimal_exp)
            snprintf(num + num_len, sizeof num - num_len, "e%d", s->decimal_exp);
    }
    /* strtod on the rebuilt text rounds once, correctly; the C locale keeps '.' the point. */
    kairos__c_locale loc;
    kairos__c_locale_enter(&loc);
    double v = strtod(num, NULL);
    kairos__c_locale_leave(&loc);
    v = ldexp(v, binary_exp);
    if (!isfinite(v))
        return kairos__fail(KAIROS_ERANGE, "quantity '%s' is too large", text);
    *out = v == 0 ? 0.0 : v;   /* "-0" reads as 0 */
    return KAIROS_OK;
}

static int check_amount(double x, char *out, size_t size, const char *what)
{
    if (!out)
        return kairos__fail(KAIROS_EINVAL, "%s: out is NULL", what);
    if (size > 0)
        out[0] = '\0';
    if (!(x >= 0))
        return kairos__fail(KAIROS_EINVAL, "%s: amount %g is negative or NaN", what, x);
    return KAIROS_OK;
}

static int write_units(char *out, size_t size, double units, double per_whole,
                       const char *whole_suffix, const char *unit_suffix, const char *what)
{
    if (!(units < MAX_UNITS))
        return kairos__fail(KAIROS_ERANGE, "%s: amount too large to write exactly", what);
    long long u = (long long)units, w = (long long)per_whole;
    int n;
    if (u == 0)
        n = snprintf(out, size, "0");
    else if (u % w == 0)
        n = snprintf(out, size, "%lld%s", u / w, whole_suffix);
    else
        n = snprintf(out, size, "%lld%s", u, unit_suffix);
    if (n < 0 || (size_t)n >= size) {
        if (size > 0)
            out[0] = '\0';
        return kairos__fail(KAIROS_EINVAL, "%s: buffer of %zu bytes is too small", what, size);
    }
    return KAIROS_OK;
}

int kairos_quantity_format_cpu(double cores, char *out, size_t size)
{
    int rc = check_amount(cores, out, size, "kairos_quantity_format_cpu");
    if (rc)
        return rc;
    return write_units(out, size, kairos__ceil_tol(cores * 1000.0), 1000.0, "", "m",
                       "kairos_quantity_format_cpu");
}

int kairos_quantity_format_memory(double bytes, char *out, size_t size)
{
    int rc = check_amount(bytes, out, size, "kairos_quantity_format_memory");
    if (rc)
        return rc;
    double mi = kairos__ceil_tol(bytes / MI);
    /* Whole Ti as Ti, whole Gi as Gi, anything else in Mi. */
    if (mi > 0 && mi < MAX_UNITS && fmod(mi, 1048576.0) == 0)
        return write_units(out, size, mi / 1048576.0, 1.0, "Ti", "Ti",
                           "kairos_quantity_format_memory");
    return write_units(out, size, mi, 1024.0, "Gi", "Mi", "kairos_quantity_format_memory");
}

/* ---- rightsizing --------------------------------------------------------------------- */

int kairos_rightsize_opts_init(kairos_rightsize_opts *opts, unsigned version)
{
    if (!opts)
        return kairos__fail(KAIROS_EINVAL, "kairos_rightsize_opts_init: opts is NULL");
    int rc = kairos__check_version(version, KAIROS_RIGHTSIZE_OPTS_VERSION, "kairos_rightsize_opts");
    if (rc)
        return rc;
    kairos_rightsize_opts d = KAIROS_RIGHTSIZE_OPTS_INIT;
    *opts = d;
    opts->version = version;
    return KAIROS_OK;
}

static int check_rightsize_opts(const kairos_rightsize_opts *o)
{
    int rc = kairos__check_version(o->version, KAIROS_RIGHTSIZE_OPTS_VERSION, "kairos_rightsize_opts");
    if (rc)
        return rc;
    if (!(o->request_quantile > 0 && o->request_quantile < 1))
        return kairos__fail(KAIROS_EINVAL, "request quantile must be inside (0,1) (got %g)",
                            o->request_quantile);
    if (!(o->headroom > 0) || !isfinite(o->headroom))
        return kairos__fail(KAIROS_EINVAL, "headroom must be a finite number > 0 (got %g)", o->headroom);
    if (!(o->min_request >= 0) || !isfinite(o->min_request))
        return kairos__fail(KAIROS_EINVAL, "minimum request must be finite and >= 0 (got %g)",
                            o->min_request);
    switch (o->limit_policy) {
    case KAIROS_LIMIT_FACTOR:
        if (!(o->limit_factor >= 1) || !isfinite(o->limit_factor))
            return kairos__fail(KAIROS_EINVAL, "limit factor must be a finite number >= 1 (got %g)",
                                o->limit_factor);
        return KAIROS_OK;
    case KAIROS_LIMIT_QUANTILE:
        if (!(o->limit_quantile > 0 && o->limit_quantile < 1))
            return kairos__fail(KAIROS_EINVAL, "limit quantile must be inside (0,1) (got %g)",
                                o->limit_quantile);
        return KAIROS_OK;
    case KAIROS_LIMIT_NONE:
        return KAIROS_OK;
    }
    return kairos__fail(KAIROS_EINVAL, "unknown limit policy %d", (int)o->limit_policy);
}

/* max over steps of Q_t(level). */
static double peak_quantile(const kairos_plan_forecast *fc, const kairos__levels *lv, double *q,
                            double level)
{
    for (size_t i = 0; i < lv->k; i++)
        if (fabs(level - lv->p[i]) <= 1e-9)
            level = lv->p[i];
    double peak = -INFINITY;
    kairos__dist d;
    for (size_t t = 0; t < fc->horizon; t++) {
        kairos__dist_at(&d, fc, lv, t, q);
        peak = fmax(peak, kairos__dist_quantile(&d, level));
    }
    return peak;
}

/* Round up to the resource's granularity; KAIROS_ERANGE when it cannot be written. */
static int round_up(kairos_resource r, double x, double *out)
{
    double unit = r == KAIROS_RESOURCE_CPU ? 0.001 : MI;
    double units = kairos__ceil_tol(fmax(x, 0.0) / unit);
    if (!(units < MAX_UNITS))
        return kairos__fail(KAIROS_ERANGE, "recommended %s of %g is too large",
                            r == KAIROS_RESOURCE_CPU ? "CPU" : "memory", x);
    *out = r == KAIROS_RESOURCE_CPU ? units / 1000.0 : units * MI;
    return KAIROS_OK;
}

int kairos_rightsize(double *request, double *limit, kairos_resource resource,
                     const kairos_plan_forecast *usage, const kairos_rightsize_opts *opts)
{
    if (!request || !limit)
        return kairos__fail(KAIROS_EINVAL, "kairos_rightsize: NULL output");
    if (resource != KAIROS_RESOURCE_CPU && resource != KAIROS_RESOURCE_MEMORY)
        return kairos__fail(KAIROS_EINVAL, "unknown resource %d", (int)resource);
    kairos_rightsize_opts defaults = KAIROS_RIGHTSIZE_OPTS_INIT;
    const kairos_rightsize_opts *o = opts ? opts : &defaults;
    int rc = check_rightsize_opts(o);
    if (rc)
        return rc;
    kairos__levels lv;
    rc = kairos__forecast_check(usage, &lv);
    if (rc)
        return rc;
    if (lv.k == 0)
        return kairos__fail(KAIROS_EDATA, "rightsizing needs usage quantiles; the forecast has none");
    double *q = kairos__malloc_array(lv.k, sizeof *q);
    if (!q) {
        kairos__levels_free(&lv);
        return kairos__fail(KAIROS_ENOMEM, "out of memory");
    }
    double req_raw = peak_quantile(usage, &lv, q, o->request_quantile) * o->headroom;
    double lim_raw = o->limit_policy == KAIROS_LIMIT_QUANTILE
                         ? peak_quantile(usage, &lv, q, o->limit_quantile) * o->headroom
                         : 0;
    free(q);
    kairos__levels_free(&lv);

    double req = 0, lim = 0;
    rc = round_up(resource, fmax(req_raw, o->min_request), &req);
    if (rc == KAIROS_OK && o->limit_policy == KAIROS_LIMIT_FACTOR)
        rc = round_up(resource, req * o->limit_factor, &lim);
    else if (rc == KAIROS_OK && o->limit_policy == KAIROS_LIMIT_QUANTILE)
        rc = round_up(resource, lim_raw, &lim);
    if (rc)
        return rc;
    if (o->limit_policy != KAIROS_LIMIT_NONE && lim < req)
        lim = req;   /* a request is never above its limit */
    *request = req;
    *limit = lim;
    return KAIROS_OK;
}
