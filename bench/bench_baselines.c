/* Forecasters on M4 hourly (414 series, horizon 48, period 24): accuracy with the M4
 * definitions and time per series. Prints one JSON object per model.
 *
 *   bench_baselines TRAIN.csv TEST.csv [--check]
 *   bench_baselines TRAIN.csv TEST.csv [--models a,b,c] [--periods 24,168] [--every K]
 *
 * --models: any model name ("arima" means the fixed ARIMA(1,0,1)(0,1,1)[24]); default
 * naive,snaive,drift,mean,profile,auto. --periods: the seasonal periods the models are given
 * (default 24; MASE and MSIS always scale by the period-24 naive error, as M4 does).
 * --every K: only every K-th series (quick runs). Times: wall median and mean, and the
 * median CPU time of the thread (what a loaded machine does not inflate).
 *
 * --check compares naive and seasonal naive (and naive's 95 % interval score) with the figures
 * published by the M4 organisers
 * (Makridakis, Spiliotis & Assimakopoulos 2020, IJF 36(1)): an independent reference for
 * both the forecasters and the scoring, so the benchmark also runs as a golden test. */
#include "m4.h"

#include <kairos/kairos.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { H = 48, PERIOD = 24 };

/* Published M4 hourly Naive2 aggregates, the denominators of OWA. */
static const double NAIVE2_SMAPE = 18.383, NAIVE2_MASE = 2.395;

typedef struct score {
    double smape, mase, msis, cover95, cover80, seconds_median, seconds_mean, cpu_median;
    size_t failures;
} score;

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double now_seconds(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Fit and forecast one series; q holds the 2.5, 97.5, 10 and 90 % quantile rows. */
typedef struct run_opts {
    const size_t *periods;
    size_t n_periods, every;
} run_opts;

static int forecast_one(const char *model, const run_opts *ro, const m4_series *s, double *mean,
                        double *q)
{
    static const double levels[4] = { 0.025, 0.975, 0.1, 0.9 };
    kairos_series *series = NULL;
    kairos_model *m = NULL;
    int rc = kairos_series_from_arrays(&series, s->train, NULL, s->n_train);
    kairos_fit_opts fo = KAIROS_FIT_OPTS_INIT;
    fo.model = model;
    fo.periods = ro->periods;
    fo.n_periods = ro->n_periods;
    fo.horizon = H;
    if (strcmp(model, "arima") == 0) {
        fo.arima_p = fo.arima_q = 1;
        fo.arima_D = fo.arima_Q = 1;
    }
    if (rc == KAIROS_OK)
        rc = kairos_model_fit(&m, series, &fo);
    kairos_forecast_opts opts = KAIROS_FORECAST_OPTS_INIT;
    opts.horizon = H;
    opts.quantiles = levels;
    opts.n_quantiles = 4;
    if (rc == KAIROS_OK)
        rc = kairos_model_forecast(m, &opts, mean, q);
    kairos_model_free(m);
    kairos_series_free(series);
    return rc;
}

static score run_model(const char *model, const run_opts *ro, const m4_set *set)
{
    score sc = { 0 };
    double *times = calloc(set->count, sizeof *times);
    double *cpu = calloc(set->count, sizeof *cpu);
    double mean[H], q[4 * H];
    size_t scored = 0, inside95 = 0, inside80 = 0, timed = 0;
    for (size_t i = 0; i < set->count; i += ro->every) {
        const m4_series *s = &set->series[i];
        double t0 = now_seconds(), c0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
        int rc = forecast_one(model, ro, s, mean, q);
        times[timed] = now_seconds() - t0;
        cpu[timed] = clock_seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
        sc.seconds_mean += times[timed++];
        if (rc != KAIROS_OK || s->n_test < H) {
            fprintf(stderr, "%s %s: %s\n", model, s->id, kairos_last_error());
            sc.failures++;
            continue;
        }
        sc.smape += m4_smape(s->test, mean, H);
        sc.mase += m4_mase(s->train, s->n_train, PERIOD, s->test, mean, H);
        sc.msis += m4_msis(s->train, s->n_train, PERIOD, s->test, q, q + H, H, 0.05);
        for (size_t h = 0; h < H; h++) {
            inside95 += s->test[h] >= q[h] && s->test[h] <= q[H + h];
            inside80 += s->test[h] >= q[2 * H + h] && s->test[h] <= q[3 * H + h];
        }
        scored++;
    }
    qsort(times, timed, sizeof *times, cmp_double);
    sc.seconds_median = times[timed / 2];
    sc.seconds_mean /= (double)timed;
    qsort(cpu, timed, sizeof *cpu, cmp_double);
    sc.cpu_median = cpu[timed / 2];
    free(cpu);
    free(times);
    double n = scored ? (double)scored : NAN;
    sc.smape /= n;
    sc.mase /= n;
    sc.msis /= n;
    sc.cover95 = (double)inside95 / (n * H);
    sc.cover80 = (double)inside80 / (n * H);
    return sc;
}

/* Published figures are rounded to 3 decimals; msis < 0 means none was published. */
static int check(const char *model, const score *sc, double smape, double mase, double msis)
{
    int ok = sc->failures == 0 && fabs(sc->smape - smape) < 0.0015 &&
             fabs(sc->mase - mase) < 0.0015 && (msis < 0 || fabs(sc->msis - msis) < 0.0015);
    fprintf(stderr, "%s %s: sMAPE %.3f (published %.3f), MASE %.3f (published %.3f), "
                    "MSIS %.3f (published %.3f)\n",
            ok ? "ok" : "MISMATCH", model, sc->smape, smape, sc->mase, mase, sc->msis, msis);
    return ok;
}

/* Split "a,b,c" in place into at most @p max items. */
static size_t split(char *list, const char **out, size_t max)
{
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(list, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
        out[n++] = t;
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s TRAIN.csv TEST.csv [--check] [--models a,b] "
                        "[--periods 24,168] [--every K]\n", argv[0]);
        return 2;
    }
    static const char *defaults[] = { "naive", "snaive", "drift", "mean", "profile", "auto" };
    const char *models[32];
    size_t n_models = sizeof defaults / sizeof defaults[0];
    memcpy(models, defaults, sizeof defaults);
    size_t periods[8] = { PERIOD };
    run_opts ro = { periods, 1, 1 };
    int checking = 0;
    for (int a = 3; a < argc; a++) {
        if (strcmp(argv[a], "--check") == 0) {
            checking = 1;
        } else if (strcmp(argv[a], "--models") == 0 && a + 1 < argc) {
            n_models = split(argv[++a], models, sizeof models / sizeof models[0]);
        } else if (strcmp(argv[a], "--periods") == 0 && a + 1 < argc) {
            const char *items[8];
            ro.n_periods = split(argv[++a], items, 8);
            for (size_t k = 0; k < ro.n_periods; k++)
                periods[k] = (size_t)strtoul(items[k], NULL, 10);
        } else if (strcmp(argv[a], "--every") == 0 && a + 1 < argc) {
            ro.every = (size_t)strtoul(argv[++a], NULL, 10);
            ro.every = ro.every ? ro.every : 1;
        } else {
            fprintf(stderr, "unknown argument '%s'\n", argv[a]);
            return 2;
        }
    }
    m4_set set;
    if (m4_load(&set, argv[1], argv[2]) != 0 || set.count == 0) {
        fprintf(stderr, "could not load the M4 files\n");
        return 2;
    }
    if (checking) {   /* the golden test: naive and snaive, every series, period 24 */
        models[0] = "naive";
        models[1] = "snaive";
        n_models = 2;
        ro = (run_opts){ periods, 1, 1 };
        periods[0] = PERIOD;
    }
    int ok = 1;
    for (size_t k = 0; k < n_models; k++) {
        score sc = run_model(models[k], &ro, &set);
        double owa = 0.5 * (sc.smape / NAIVE2_SMAPE + sc.mase / NAIVE2_MASE);
        printf("{\"model\":\"%s\",\"periods\":\"", models[k]);
        for (size_t p = 0; p < ro.n_periods; p++)
            printf("%s%zu", p ? "," : "", periods[p]);
        printf("\",\"series\":%zu,\"failures\":%zu,\"median_ms_per_series\":%.4f,"
               "\"mean_ms_per_series\":%.4f,\"median_cpu_ms_per_series\":%.4f,\"smape\":%.3f,\"mase\":%.3f,\"owa\":%.3f,"
               "\"msis\":%.3f,\"coverage95\":%.4f,\"coverage80\":%.4f}\n",
               (set.count + ro.every - 1) / ro.every, sc.failures, 1e3 * sc.seconds_median,
               1e3 * sc.seconds_mean, 1e3 * sc.cpu_median, sc.smape, sc.mase, owa, sc.msis, sc.cover95, sc.cover80);
        fflush(stdout);
        if (checking && k == 0)
            ok &= check("naive", &sc, 43.003, 11.608, 71.245);
        if (checking && k == 1)
            ok &= check("snaive", &sc, 13.912, 1.193, -1);
    }
    m4_free(&set);
    return ok ? 0 : 1;
}
