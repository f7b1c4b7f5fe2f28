/* Reading the M4 competition files and scoring forecasts the way M4 did.
 * Benchmark support code: deliberately independent of libkairos' own parsers and metrics,
 * so it can check them. */
#ifndef KAIROS_BENCH_M4_H
#define KAIROS_BENCH_M4_H

#include <stddef.h>

typedef struct m4_series {
    char    id[16];
    double *train;
    size_t  n_train;
    double *test;
    size_t  n_test;
} m4_series;

typedef struct m4_set {
    m4_series *series;
    size_t     count;
} m4_set;

/* Load the paired train/test files (wide format: "id","v1","v2",...). 0 on success. */
int m4_load(m4_set *set, const char *train_path, const char *test_path);
void m4_free(m4_set *set);

/* M4 definitions (Makridakis et al. 2020): sMAPE in percent; MASE scaled by the in-sample
 * seasonal-naive MAE with period m; MSIS for a (1-alpha) interval, same scale. */
double m4_smape(const double *y, const double *f, size_t h);
double m4_mase(const double *train, size_t n, size_t m, const double *y, const double *f,
               size_t h);
double m4_msis(const double *train, size_t n, size_t m, const double *y, const double *lo,
               const double *hi, size_t h, double alpha);

#endif
