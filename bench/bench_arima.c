/* ARIMA on the M4 hourly series: time per fit and forecast accuracy with the M4
 * definitions. Prints one JSON object.
 *
 *   bench_arima TRAIN.csv TEST.csv [MAX_SERIES] [--repeat K] [--auto]
 *
 * Default: fixed-order ARIMA(1,0,1)(0,1,1)[24] by exact ML. --auto: automatic order
 * selection (stepwise, forecast::auto.arima's defaults, period 24).
 *
 * Uses the engine's internal API (src/forecast/arima/arima.h), so it links the internal
 * static libraries rather than the shared library. */
#include "m4.h"

#include <kairos/kairos.h>
#include "forecast/arima/arima.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { H = 48, PERIOD = 24 };
#define Z95 1.959963984540054
#define Z80 1.2815515655446004

static double now_seconds(void)
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

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s TRAIN.csv TEST.csv [MAX_SERIES] [--repeat K]\n", argv[0]);
        return 2;
    }
    size_t max_series = (size_t)-1;
    int repeat = 1, automatic = 0;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--auto") == 0)
            automatic = 1;
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else
            max_series = (size_t)strtoul(argv[i], NULL, 10);
    }
    if (repeat < 1)
        repeat = 1;
    m4_set set;
    if (m4_load(&set, argv[1], argv[2]) != 0 || set.count == 0) {
        fprintf(stderr, "could not load the M4 files\n");
        return 2;
    }
    size_t count = set.count < max_series ? set.count : max_series;
    kairos_arima_spec spec = KAIROS_ARIMA_SPEC_INIT;
    spec.p = 1;
    spec.q = 1;
    spec.D = 1;
    spec.Q = 1;
    spec.period = PERIOD;
    kairos_arima_auto_opts aopts = KAIROS_ARIMA_AUTO_OPTS_INIT;
    aopts.period = PERIOD;
    double models = 0;

    double *times = calloc(count, sizeof *times);
    double smape = 0, mase = 0, msis = 0, evals = 0, iters = 0;
    size_t scored = 0, failures = 0, in95 = 0, in80 = 0;
    double mean[H], sd[H], lo[H], hi[H];
    for (size_t i = 0; i < count; i++) {
        const m4_series *s = &set.series[i];
        kairos__arima_fit_result *fit = NULL;
        int rc = KAIROS_OK;
        double best = INFINITY;
        for (int k = 0; k < repeat; k++) {
            kairos__arima_fit_free(fit);
            fit = NULL;
            double t0 = now_seconds();
            if (automatic) {
                size_t nc = 0;
                rc = kairos__arima_auto(&fit, NULL, &nc, s->train, s->n_train, &aopts);
                if (k == 0)
                    models += (double)nc;
            } else {
                rc = kairos__arima_fit(&fit, s->train, s->n_train, &spec);
            }
            if (rc == KAIROS_OK)
                rc = kairos__arima_forecast(fit, H, mean, sd);
            double dt = now_seconds() - t0;
            if (dt < best)
                best = dt;
        }
        times[i] = best;
        if (rc != KAIROS_OK || s->n_test < H) {
            fprintf(stderr, "%s: %s\n", s->id, kairos_last_error());
            failures++;
            kairos__arima_fit_free(fit);
            continue;
        }
        evals += kairos__arima_evaluations(fit);
        iters += kairos__arima_iterations(fit);
        for (size_t h = 0; h < H; h++) {
            lo[h] = mean[h] - Z95 * sd[h];
            hi[h] = mean[h] + Z95 * sd[h];
            in95 += s->test[h] >= lo[h] && s->test[h] <= hi[h];
            in80 += fabs(s->test[h] - mean[h]) <= Z80 * sd[h];
        }
        smape += m4_smape(s->test, mean, H);
        mase += m4_mase(s->train, s->n_train, PERIOD, s->test, mean, H);
        msis += m4_msis(s->train, s->n_train, PERIOD, s->test, lo, hi, H, 0.05);
        scored++;
        kairos__arima_fit_free(fit);
    }
    double total = 0;
    for (size_t i = 0; i < count; i++)
        total += times[i];
    qsort(times, count, sizeof *times, cmp_double);
    double n = scored ? (double)scored : NAN;
    printf("{\"model\":\"%s\",\"method\":\"ML\",\"series\":%zu,"
           "\"failures\":%zu,\"median_ms_per_fit\":%.3f,\"mean_ms_per_fit\":%.3f,"
           "\"p90_ms_per_fit\":%.3f,\"max_ms_per_fit\":%.3f,\"mean_evaluations\":%.1f,"
           "\"mean_iterations\":%.1f,\"smape\":%.3f,\"mase\":%.3f,\"msis\":%.3f,"
           "\"coverage95\":%.4f,\"coverage80\":%.4f,\"mean_models_tried\":%.1f}\n",
           automatic ? "autoarima" : "arima(1,0,1)(0,1,1)[24]", count, failures, 1e3 * times[count / 2], 1e3 * total / (double)count,
           1e3 * times[(size_t)(0.9 * (double)(count - 1))], 1e3 * times[count - 1],
           evals / n, iters / n, smape / n, mase / n, msis / n, (double)in95 / (n * H),
           (double)in80 / (n * H), automatic ? models / (double)count : 1.0);
    free(times);
    m4_free(&set);
    return failures ? 1 : 0;
}
