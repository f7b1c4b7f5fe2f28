/* Batch forecasting: layouts (dense, strided, ragged, timestamped), per-series statuses and
 * messages, and results identical bit for bit to single calls whatever the thread count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <kairos/kairos.h>

enum { N_SERIES = 37, LEN = 96, H = 12, K = 3 };
static const double LEVELS[K] = { 0.1, 0.5, 0.9 };

/* A deterministic family of daily-seasonal series with trend and noise, each different. */
static double point(size_t i, size_t t)
{
    double phase = 6.283185307179586 * (double)(t % 24) / 24.0;
    unsigned long long x = (unsigned long long)(i * 7919u + t * 104729u + 17u);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    double noise = (double)(x % 1000u) / 1000.0 - 0.5;
    return 100.0 + (double)i * 3.0 + 20.0 * sin(phase + (double)i) + 0.05 * (double)t * (double)(i % 3)
           + 4.0 * noise;
}

static double *dense_values(void)
{
    double *v = malloc(sizeof *v * N_SERIES * LEN);
    assert_non_null(v);
    for (size_t i = 0; i < N_SERIES; i++)
        for (size_t t = 0; t < LEN; t++)
            v[i * LEN + t] = point(i, t);
    return v;
}

typedef struct outputs {
    double mean[N_SERIES * H];
    double q[N_SERIES * K * H];
    int status[N_SERIES];
} outputs;

static kairos_forecast_opts forecast_opts(void)
{
    kairos_forecast_opts fc = KAIROS_FORECAST_OPTS_INIT;
    fc.horizon = H;
    fc.quantiles = LEVELS;
    fc.n_quantiles = K;
    return fc;
}

/* What the single calls give for one series. */
static void single(const double *values, const int64_t *ts, size_t n, const kairos_fit_opts *fit,
                   double *mean, double *q)
{
    kairos_series *s = NULL;
    kairos_model *m = NULL;
    kairos_forecast_opts fc = forecast_opts();
    assert_int_equal(kairos_series_from_arrays(&s, values, ts, n), KAIROS_OK);
    assert_int_equal(kairos_model_fit(&m, s, fit), KAIROS_OK);
    assert_int_equal(kairos_model_forecast(m, &fc, mean, q), KAIROS_OK);
    kairos_model_free(m);
    kairos_series_free(s);
}

static void run_dense(const double *v, size_t n_threads, const kairos_fit_opts *fit, outputs *o)
{
    kairos_series_batch b = KAIROS_SERIES_BATCH_INIT;
    b.n_series = N_SERIES;
    b.values = v;
    b.len = LEN;
    b.stride = 1;
    b.dist = LEN;
    kairos_forecast_opts fc = forecast_opts();
    memset(o, 0, sizeof *o);
    assert_int_equal(kairos_forecast_batch(&b, fit, &fc, n_threads, o->mean, o->q, o->status),
                     KAIROS_OK);
}

/* ---- tests -------------------------------------------------------------------------------- */

static void results_are_bit_identical_for_any_thread_count(void **state)
{
    (void)state;
    double *v = dense_values();
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    const size_t periods[] = { 24 };
    fit.periods = periods;
    fit.n_periods = 1;           /* auto then scores the seasonal baselines too */
    static outputs ref, got;
    run_dense(v, 0, &fit, &ref);
    for (size_t i = 0; i < N_SERIES; i++)
        assert_int_equal(ref.status[i], KAIROS_OK);
    const size_t threads[] = { 1, 2, 3, 4, 8, 64 };
    for (size_t k = 0; k < sizeof threads / sizeof threads[0]; k++) {
        run_dense(v, threads[k], &fit, &got);
        assert_memory_equal(ref.mean, got.mean, sizeof ref.mean);
        assert_memory_equal(ref.q, got.q, sizeof ref.q);
        assert_memory_equal(ref.status, got.status, sizeof ref.status);
    }
    free(v);
}

static void each_series_equals_its_single_forecast(void **state)
{
    (void)state;
    double *v = dense_values();
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.horizon = H;             /* the batch fills it in from the forecast options */
    static outputs got;
    kairos_fit_opts batch_fit = KAIROS_FIT_OPTS_INIT;
    run_dense(v, 4, &batch_fit, &got);
    for (size_t i = 0; i < N_SERIES; i++) {
        double mean[H], q[K * H];
        single(v + i * LEN, NULL, LEN, &fit, mean, q);
        assert_memory_equal(mean, got.mean + i * H, sizeof mean);
        assert_memory_equal(q, got.q + i * K * H, sizeof q);
    }
    free(v);
}

static void strided_layout_reads_a_column_major_array(void **state)
{
    (void)state;
    double *v = dense_values();
    double *f = malloc(sizeof *f * N_SERIES * LEN);   /* Fortran order: f[t*N + i] */
    assert_non_null(f);
    for (size_t i = 0; i < N_SERIES; i++)
        for (size_t t = 0; t < LEN; t++)
            f[t * N_SERIES + i] = v[i * LEN + t];
    static outputs ref, got;
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "drift";
    run_dense(v, 0, &fit, &ref);
    kairos_series_batch b = KAIROS_SERIES_BATCH_INIT;
    b.n_series = N_SERIES;
    b.values = f;
    b.len = LEN;
    b.stride = N_SERIES;
    b.dist = 1;
    kairos_forecast_opts fc = forecast_opts();
    assert_int_equal(kairos_forecast_batch(&b, &fit, &fc, 3, got.mean, got.q, got.status),
                     KAIROS_OK);
    assert_memory_equal(ref.mean, got.mean, sizeof ref.mean);
    assert_memory_equal(ref.q, got.q, sizeof ref.q);
    free(f);
    free(v);
}

static void ragged_offsets_give_series_of_their_own_length(void **state)
{
    (void)state;
    double *v = dense_values();
    /* series i keeps its first 30 + i points, packed one after another */
    size_t offsets[N_SERIES + 1];
    double *packed = malloc(sizeof *packed * N_SERIES * LEN);
    assert_non_null(packed);
    offsets[0] = 0;
    for (size_t i = 0; i < N_SERIES; i++) {
        size_t n = 30 + i;
        memcpy(packed + offsets[i], v + i * LEN, n * sizeof *v);
        offsets[i + 1] = offsets[i] + n;
    }
    kairos_series_batch b = KAIROS_SERIES_BATCH_INIT;
    b.n_series = N_SERIES;
    b.values = packed;
    b.offsets = offsets;
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "naive";
    kairos_forecast_opts fc = forecast_opts();
    static outputs got;
    assert_int_equal(kairos_forecast_batch(&b, &fit, &fc, 2, got.mean, got.q, got.status),
                     KAIROS_OK);
    for (size_t i = 0; i < N_SERIES; i++) {
        double mean[H], q[K * H];
        single(v + i * LEN, NULL, 30 + i, &fit, mean, q);
        assert_int_equal(got.status[i], KAIROS_OK);
        assert_memory_equal(mean, got.mean + i * H, sizeof mean);
        assert_memory_equal(q, got.q + i * K * H, sizeof q);
    }
    free(packed);
    free(v);
}

static void timestamps_let_seasonal_models_infer_the_period(void **state)
{
    (void)state;
    double *v = dense_values();
    int64_t *ts = malloc(sizeof *ts * N_SERIES * LEN);
    assert_non_null(ts);
    for (size_t i = 0; i < N_SERIES; i++)
        for (size_t t = 0; t < LEN; t++)
            ts[i * LEN + t] = 1714521600 + (int64_t)t * 3600;   /* hourly from 2024-05-01 */
    kairos_series_batch b = KAIROS_SERIES_BATCH_INIT;
    b.n_series = N_SERIES;
    b.values = v;
    b.len = LEN;
    b.dist = LEN;
    b.timestamps = ts;
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "snaive";        /* fails without a period: the timestamps must supply it */
    kairos_forecast_opts fc = forecast_opts();
    static outputs got;
    assert_int_equal(kairos_forecast_batch(&b, &fit, &fc, 4, got.mean, got.q, got.status),
                     KAIROS_OK);
    for (size_t i = 0; i < N_SERIES; i++) {
        assert_int_equal(got.status[i], KAIROS_OK);
        double mean[H], q[K * H];
        single(v + i * LEN, ts + i * LEN, LEN, &fit, mean, q);
        assert_memory_equal(mean, got.mean + i * H, sizeof mean);
        /* snaive with period 24: step 1 repeats the value 24 steps before the end */
        assert_true(got.mean[i * H] == v[i * LEN + LEN - 24]);
    }
    free(ts);
    free(v);
}

static void a_bad_series_gets_its_own_status_message_and_nan_rows(void **state)
{
    (void)state;
    double *v = dense_values();
    for (size_t t = 0; t < LEN; t++)
        v[5 * LEN + t] = NAN;                /* series 5: all missing */
    v[9 * LEN + 40] = INFINITY;              /* series 9: an infinite value */
    kairos_series_batch b = KAIROS_SERIES_BATCH_INIT;
    b.n_series = N_SERIES;
    b.values = v;
    b.len = LEN;
    b.dist = LEN;
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "naive";
    kairos_forecast_opts fc = forecast_opts();
    static outputs got;
    static char messages[N_SERIES][KAIROS_BATCH_MESSAGE_SIZE];
    assert_int_equal(kairos_forecast_batch_messages(&b, &fit, &fc, 4, got.mean, got.q,
                                                    got.status, &messages[0][0],
                                                    KAIROS_BATCH_MESSAGE_SIZE),
                     KAIROS_OK);
    assert_string_equal(kairos_last_error(), "");
    for (size_t i = 0; i < N_SERIES; i++) {
        if (i == 5 || i == 9) {
            assert_int_equal(got.status[i], KAIROS_EDATA);
            assert_true(strlen(messages[i]) > 0);
            for (size_t t = 0; t < H; t++)
                assert_true(isnan(got.mean[i * H + t]));
            for (size_t t = 0; t < K * H; t++)
                assert_true(isnan(got.q[i * K * H + t]));
        } else {
            assert_int_equal(got.status[i], KAIROS_OK);
            assert_string_equal(messages[i], "");
            assert_true(isfinite(got.mean[i * H]));
        }
    }
    assert_non_null(strstr(messages[9], "infinite"));
    free(v);
}

static void messages_are_truncated_to_the_entry_size(void **state)
{
    (void)state;
    const double v[] = { NAN, NAN, NAN, NAN };
    kairos_series_batch b = KAIROS_SERIES_BATCH_INIT;
    b.n_series = 2;
    b.values = v;
    b.len = 2;
    b.dist = 2;
    kairos_forecast_opts fc = KAIROS_FORECAST_OPTS_INIT;
    fc.horizon = 1;
    double mean[2];
    int status[2];
    char messages[2][8];
    memset(messages, 'x', sizeof messages);
    assert_int_equal(kairos_forecast_batch_messages(&b, NULL, &fc, 0, mean, NULL, status,
                                                    &messages[0][0], 8),
                     KAIROS_OK);
    assert_int_equal(status[0], KAIROS_EDATA);
    assert_int_equal(strlen(messages[0]), 7);
    assert_int_equal(strlen(messages[1]), 7);
}

static void an_unknown_model_fails_every_series_not_the_batch(void **state)
{
    (void)state;
    double *v = dense_values();
    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;
    fit.model = "no-such-model";
    static outputs got;
    run_dense(v, 2, &fit, &got);
    for (size_t i = 0; i < N_SERIES; i++)
        assert_int_equal(got.status[i], KAIROS_EINVAL);
    free(v);
}

static void malformed_batches_are_refused_up_front(void **state)
{
    (void)state;
    const double v[] = { 1, 2, 3, 4 };
    double mean[4];
    int status[2];
    kairos_forecast_opts fc = KAIROS_FORECAST_OPTS_INIT;
    fc.horizon = 1;
    kairos_series_batch b = KAIROS_SERIES_BATCH_INIT;
    b.n_series = 2;
    b.values = v;
    b.len = 2;
    b.dist = 2;

    b.stride = 0;
    assert_int_equal(kairos_forecast_batch(&b, NULL, &fc, 0, mean, NULL, status), KAIROS_EINVAL);
    assert_non_null(strstr(kairos_last_error(), "stride"));
    b.stride = 1;

    const size_t decreasing[] = { 0, 3, 2 };
    b.offsets = decreasing;
    assert_int_equal(kairos_forecast_batch(&b, NULL, &fc, 0, mean, NULL, status), KAIROS_EINVAL);
    assert_non_null(strstr(kairos_last_error(), "offsets"));
    b.offsets = NULL;

    fc.horizon = 0;
    assert_int_equal(kairos_forecast_batch(&b, NULL, &fc, 0, mean, NULL, status), KAIROS_EINVAL);
    fc.horizon = 1;

    const double bad_level[] = { 1.5 };
    fc.quantiles = bad_level;
    fc.n_quantiles = 1;
    assert_int_equal(kairos_forecast_batch(&b, NULL, &fc, 0, mean, mean, status), KAIROS_EINVAL);
    fc.quantiles = NULL;
    fc.n_quantiles = 0;

    assert_int_equal(kairos_forecast_batch(&b, NULL, &fc, 0, NULL, NULL, status), KAIROS_EINVAL);
    assert_int_equal(kairos_forecast_batch(&b, NULL, &fc, 0, mean, NULL, NULL), KAIROS_EINVAL);
    assert_int_equal(kairos_forecast_batch(NULL, NULL, &fc, 0, mean, NULL, status),
                     KAIROS_EINVAL);

    b.version = 99;
    assert_int_equal(kairos_forecast_batch(&b, NULL, &fc, 0, mean, NULL, status),
                     KAIROS_EVERSION);
}

static void an_empty_batch_succeeds_and_writes_nothing(void **state)
{
    (void)state;
    kairos_series_batch b = KAIROS_SERIES_BATCH_INIT;
    kairos_forecast_opts fc = KAIROS_FORECAST_OPTS_INIT;
    assert_int_equal(kairos_forecast_batch(&b, NULL, &fc, 8, NULL, NULL, NULL), KAIROS_OK);
}

static void init_function_matches_the_macro(void **state)
{
    (void)state;
    kairos_series_batch a = KAIROS_SERIES_BATCH_INIT, b;
    memset(&b, 0xff, sizeof b);
    assert_int_equal(kairos_series_batch_init(&b, KAIROS_SERIES_BATCH_VERSION), KAIROS_OK);
    assert_int_equal(a.version, b.version);
    assert_int_equal(a.stride, b.stride);
    assert_null(b.values);
    assert_null(b.offsets);
    assert_int_equal(kairos_series_batch_init(&b, 2), KAIROS_EVERSION);
    assert_int_equal(kairos_series_batch_init(NULL, 1), KAIROS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(results_are_bit_identical_for_any_thread_count),
        cmocka_unit_test(each_series_equals_its_single_forecast),
        cmocka_unit_test(strided_layout_reads_a_column_major_array),
        cmocka_unit_test(ragged_offsets_give_series_of_their_own_length),
        cmocka_unit_test(timestamps_let_seasonal_models_infer_the_period),
        cmocka_unit_test(a_bad_series_gets_its_own_status_message_and_nan_rows),
        cmocka_unit_test(messages_are_truncated_to_the_entry_size),
        cmocka_unit_test(an_unknown_model_fails_every_series_not_the_batch),
        cmocka_unit_test(malformed_batches_are_refused_up_front),
        cmocka_unit_test(an_empty_batch_succeeds_and_writes_nothing),
        cmocka_unit_test(init_function_matches_the_macro),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
