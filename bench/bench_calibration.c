/* Split-conformal calibration on M4 hourly (414 series, horizon 48, period 24): the interval
 * scores and coverage of a model's own quantiles and of the same model calibrated on a
 * backtest of its training part (kairos_model_calibrate), scored on the published test
 * points with the M4 definitions of bench/m4.c. Prints one JSON object.
 *
 *   bench_calibration TRAIN.csv TEST.csv [--model NAME] [--windows K] [--step S]
 *
 * K and S default to the calibration's own defaults (docs/evaluation.md). */
#include "m4.h"

#include <kairos/kairos.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { H = 48, PERIOD = 24 };

typedef struct tally {
    double msis, cover95, cover80;
} tally;

typedef struct config {
    const char *model;
    size_t windows, step;
} config;

/* q rows: 2.5, 97.5, 10 and 90 %. */
static void score(const m4_series *s, const double *q, tally *t)
{
    t->msis += m4_msis(s->train, s->n_train, PERIOD, s->test, q, q + H, H, 0.05);
    for (size_t h = 0; h < H; h++) {
        double y = s->test[h];
        t->cover95 += q[h] <= y && y <= q[H + h];
        t->cover80 += q[2 * H + h] <= y && y <= q[3 * H + h];
    }
}

/* Plain and calibrated quantiles of one series; nonzero when either cannot be made. */
static int run_one(const config *c, const m4_series *s, tally *plain, tally *calibrated)
{
    static const double levels[4] = { 0.025, 0.975, 0.1, 0.9 };
    const size_t period = PERIOD;
    kairos_series *series = NULL;
    kairos_model *m = NULL, *cm = NULL;
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = c->model;
    fit.periods = &period;
    fit.n_periods = 1;
    fit.horizon = H;
    kairos_backtest_opts bt = KAIROS_BACKTEST_OPTS_INIT;
    bt.horizon = H;
    bt.windows = c->windows;
    bt.step = c->step;
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = H;
    fo.quantiles = levels;
    fo.n_quantiles = 4;
    double mean[H], qp[4 * H], qc[4 * H];
    int rc = kairos_series_from_arrays(&series, s->train, NULL, s->n_train);
    if (rc == KAIROS_OK)
        rc = kairos_model_fit(&m, series, &fit);
    if (rc == KAIROS_OK)
        rc = kairos_model_calibrate(&cm, series, &fit, &bt);
    if (rc == KAIROS_OK)
        rc = kairos_model_forecast(m, &fo, mean, qp);
    if (rc == KAIROS_OK)
        rc = kairos_model_forecast(cm, &fo, mean, qc);
    if (rc == KAIROS_OK) {
        score(s, qp, plain);
        score(s, qc, calibrated);
    }
    kairos_model_free(m);
    kairos_model_free(cm);
    kairos_series_free(series);
    return rc;
}

static void print_tally(const char *name, const tally *t, size_t n)
{
    printf("\"%s\": {\"msis\": %.3f, \"coverage95\": %.3f, \"coverage80\": %.3f}", name,
           t->msis / (double)n, t->cover95 / (double)(n * H), t->cover80 / (double)(n * H));
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_calibration TRAIN.csv TEST.csv [--model NAME] "
                        "[--windows K] [--step S]\n");
        return 2;
    }
    config c = { "snaive", 0, 0 };
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--model") == 0)
            c.model = argv[i + 1];
        else if (strcmp(argv[i], "--windows") == 0)
            c.windows = (size_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--step") == 0)
            c.step = (size_t)strtoul(argv[i + 1], NULL, 10);
    }
    m4_set set;
    if (m4_load(&set, argv[1], argv[2]) != 0)
        return 1;
    tally plain = { 0, 0, 0 }, calibrated = { 0, 0, 0 };
    size_t scored = 0, failures = 0;
    for (size_t i = 0; i < set.count; i++) {
        if (run_one(&c, &set.series[i], &plain, &calibrated) == KAIROS_OK)
            scored++;
        else
            failures++;
    }
    printf("{\"model\": \"%s\", \"windows\": %zu, \"step\": %zu, \"series\": %zu, "
           "\"failures\": %zu, ", c.model, c.windows, c.step, scored, failures);
    if (scored) {
        print_tally("plain", &plain, scored);
        fputs(", ", stdout);
        print_tally("calibrated", &calibrated, scored);
    }
    puts("}");
    m4_free(&set);
    return failures ? 1 : 0;
}
