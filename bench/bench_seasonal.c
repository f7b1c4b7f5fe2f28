/* The 5-minute case: synthetic capacity metrics with daily and weekly cycles, trend, AR(1)
 * noise, a level shift and spikes; history of D days (default 14: n = 4032), 48 h ahead
 * (576 steps). Times each seasonal model per series (fit + forecast, one core) and scores
 * it against seasonal naive. Prints one JSON object.
 *
 *   bench_seasonal [--series N] [--days D] [--models m1,m2,...] [--seed S] [--window W]
 *
 * Models are given as name[:adjusted] — "mstl" (ARIMA on the adjusted series, the default),
 * "mstl:ets", "stl", "dhr", "ets", "snaive". Periods are 288 (day) and 2016 (week); the
 * decompositions use only those with two full cycles plus one point (forecast::mstl's rule),
 * so at 14 days the weekly cycle is left out and at 21 days it is used. --window sets
 * kairos_fit_opts.adjusted_window (0, the default, means the library's 1024 points).
 * With BENCH_VERBOSE set in the environment, each fit's time and report go to stderr. */
#include <kairos/kairos.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { DAY = 288, WEEK = 2016, H = 576, MAX_MODELS = 8 };
#define Z95 1.959963984540054

/* CPU time of this thread: the cost on one core, whatever else the machine is running. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* splitmix64: a small, seedable generator so every run sees the same series. */
static double uniform(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(uint64_t *s)
{
    return sqrt(-2.0 * log(uniform(s))) * cos(6.283185307179586 * uniform(s));
}

/* One series of n points: a request-rate-like metric. */
static void make_series(uint64_t *rng, double *y, size_t n)
{
    double level = 50.0 + 450.0 * uniform(rng), amp = (0.2 + 0.4 * uniform(rng)) * level;
    double weekend = 0.5 + 0.4 * uniform(rng), trend = (uniform(rng) - 0.3) * level / 8000.0;
    double phi = 0.5 + 0.4 * uniform(rng), sd = 0.03 * level, ar = 0.0;
    size_t shift_at = (size_t)((0.3 + 0.5 * uniform(rng)) * (double)n);
    double shift = (uniform(rng) - 0.5) * 0.3 * level;
    for (size_t t = 0; t < n; t++) {
        double day = (double)(t % DAY) / DAY, dow = (double)((t / DAY) % 7);
        double daily = amp * (sin(6.283185307179586 * (day - 0.25)) +
                              0.3 * sin(12.566370614359172 * day));
        double week = dow >= 5 ? weekend : 1.0;
        ar = phi * ar + sd * normal(rng);
        y[t] = (level + trend * (double)t + (t >= shift_at ? shift : 0.0)) +
               daily * week + ar;
        if (uniform(rng) < 0.002)   /* spikes */
            y[t] += level * (0.5 + uniform(rng));
        if (y[t] < 0)
            y[t] = 0;
    }
}

typedef struct model_spec {
    char name[32];
    const char *model, *adjusted;
} model_spec;

typedef struct score {
    double *secs, *wall;
    double mae, smape, mase, covered, width;
    size_t ok, failed;
} score;

/* Mean absolute seasonal-naive (m = DAY) error in sample: the MASE scale. */
static double mase_scale(const double *y, size_t n)
{
    double sum = 0.0;
    for (size_t t = DAY; t < n; t++)
        sum += fabs(y[t] - y[t - DAY]);
    return sum / (double)(n - DAY);
}

static void run_one(const model_spec *ms, const double *y, size_t n, const double *future,
                    size_t adjusted_window, score *sc, size_t series)
{
    kairos_series *s = NULL;
    if (kairos_series_from_arrays(&s, y, NULL, n) != KAIROS_OK)
        return;
    size_t periods[] = { DAY, WEEK };
    kairos_fit_opts fo = KAIROS_FIT_OPTS_INIT;
    fo.model = ms->model;
    fo.adjusted_model = ms->adjusted;
    fo.periods = periods;
    fo.n_periods = 2;
    fo.horizon = H;
    fo.adjusted_window = adjusted_window;
    double levels[2] = { 0.025, 0.975 }, mean[H], q[2 * H];
    kairos_forecast_opts fc = KAIROS_FORECAST_OPTS_INIT;
    fc.horizon = H;
    fc.quantiles = levels;
    fc.n_quantiles = 2;
    kairos_model *m = NULL;
    double t0 = cpu_seconds(), w0 = wall_seconds();
    int rc = kairos_model_fit(&m, s, &fo);
    if (rc == KAIROS_OK)
        rc = kairos_model_forecast(m, &fc, mean, q);
    sc->secs[series] = cpu_seconds() - t0;
    sc->wall[series] = wall_seconds() - w0;
    if (getenv("BENCH_VERBOSE") && m) {
        kairos_buf b = KAIROS_BUF_INIT;
        kairos_model_report_json(m, &b);
        fprintf(stderr, "%s %zu %.1f ms %s\n", ms->name, series, 1e3 * sc->secs[series], b.data);
        kairos_buf_dispose(&b);
    }
    kairos_model_free(m);
    kairos_series_free(s);
    if (rc != KAIROS_OK) {
        sc->failed++;
        fprintf(stderr, "%s: series %zu: %s\n", ms->name, series, kairos_last_error());
        return;
    }
    double mae = 0, smape = 0, cov = 0, width = 0;
    for (size_t h = 0; h < H; h++) {
        double e = fabs(future[h] - mean[h]), den = fabs(future[h]) + fabs(mean[h]);
        mae += e;
        smape += den > 0 ? 200.0 * e / den : 0.0;
        cov += future[h] >= q[h] && future[h] <= q[H + h];
        width += q[H + h] - q[h];
    }
    sc->mae += mae / H;
    sc->smape += smape / H;
    sc->mase += mae / H / mase_scale(y, n);
    sc->covered += cov / H;
    sc->width += width / H;
    sc->ok++;
}

static size_t parse_models(char *list, model_spec *out)
{
    size_t k = 0;
    for (char *tok = strtok(list, ","); tok && k < MAX_MODELS; tok = strtok(NULL, ",")) {
        model_spec *m = &out[k++];
        snprintf(m->name, sizeof m->name, "%s", tok);
        char *colon = strchr(tok, ':');
        if (colon)
            *colon = '\0';
        m->model = tok;
        m->adjusted = colon ? colon + 1 : NULL;
    }
    return k;
}

int main(int argc, char **argv)
{
    size_t n_series = 20, days = 14, adjusted_window = 0;
    uint64_t seed = 20240501;
    char models_arg[256] = "snaive,mstl,mstl:ets,stl,dhr";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--series") == 0)
            n_series = (size_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--days") == 0)
            days = (size_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--window") == 0)
            adjusted_window = (size_t)strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--models") == 0)
            snprintf(models_arg, sizeof models_arg, "%s", argv[i + 1]);
    }
    if (n_series == 0 || days < 3) {
        fprintf(stderr, "usage: %s [--series N>0] [--days D>=3] [--models ...]\n", argv[0]);
        return 2;
    }
    model_spec specs[MAX_MODELS];
    size_t n_models = parse_models(models_arg, specs);
    size_t n = days * DAY;
    double *y = malloc((n + H) * sizeof *y);
    score sc[MAX_MODELS] = { { 0 } };
    for (size_t k = 0; k < n_models; k++)
        sc[k].secs = calloc(2 * n_series, sizeof *sc[k].secs);
    for (size_t k = 0; k < n_models; k++)
        sc[k].wall = sc[k].secs ? sc[k].secs + n_series : NULL;
    if (!y)
        return 1;
    uint64_t rng = seed;
    for (size_t i = 0; i < n_series; i++) {
        make_series(&rng, y, n + H);
        for (size_t k = 0; k < n_models; k++)
            if (sc[k].secs)
                run_one(&specs[k], y, n, y + n, adjusted_window, &sc[k], i);
    }
    printf("{\"case\":\"synthetic 5-minute, daily+weekly\",\"series\":%zu,\"days\":%zu,"
           "\"n\":%zu,\"horizon\":%d,\"periods\":[%d,%d],\"adjusted_window\":%zu,"
           "\"models\":{", n_series, days, n, H, DAY, WEEK, adjusted_window);
    for (size_t k = 0; k < n_models; k++) {
        score *s = &sc[k];
        qsort(s->secs, n_series, sizeof *s->secs, cmp_double);
        qsort(s->wall, n_series, sizeof *s->wall, cmp_double);
        double ok = s->ok ? (double)s->ok : 1.0;
        printf("%s\"%s\":{\"median_cpu_ms\":%.3f,\"p90_cpu_ms\":%.3f,\"max_cpu_ms\":%.3f,"
               "\"median_wall_ms\":%.3f,\"ok\":%zu,"
               "\"failed\":%zu,\"mae\":%.4f,\"smape\":%.4f,\"mase\":%.4f,\"coverage95\":%.4f,"
               "\"width95\":%.4f}", k ? "," : "", specs[k].name,
               1e3 * s->secs[n_series / 2], 1e3 * s->secs[(n_series * 9) / 10],
               1e3 * s->secs[n_series - 1], 1e3 * s->wall[n_series / 2], s->ok, s->failed,
               s->mae / ok, s->smape / ok, s->mase / ok, s->covered / ok, s->width / ok);
        free(s->secs);
    }
    printf("}}\n");
    free(y);
    return 0;
}
