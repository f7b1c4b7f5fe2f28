/* Batch forecasting: many series, one call, N threads, one status per series.
 *
 * Each series goes through the same public calls a single forecast uses (series from arrays,
 * fit, forecast), so batch and single results are the same numbers. Threads take chunks of
 * series from a shared atomic cursor; each owns a gather workspace sized for the longest
 * series, and writes only the output rows of the series it took. Nothing else is shared, which
 * is why the results cannot depend on the thread count. */
#include "model_internal.h"

#include <kairos/batch.h>

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int kairos_series_batch_init(kairos_series_batch *batch, unsigned version)
{
    if (!batch)
        return kairos__fail(KAIROS_EINVAL, "kairos_series_batch_init: NULL batch");
    int rc = kairos__check_version(version, KAIROS_SERIES_BATCH_VERSION, "kairos_series_batch");
    if (rc != KAIROS_OK)
        return rc;
    *batch = (kairos_series_batch)KAIROS_SERIES_BATCH_INIT;
    batch->version = version;
    return KAIROS_OK;
}

/* ---- the job, shared read-only by the workers (except the cursor) ----------------------- */

typedef struct batch_job {
    const kairos_series_batch *in;
    kairos_fit_opts fit;
    const kairos_forecast_opts *fc;
    size_t horizon, n_levels, max_len;
    size_t chunk;
    double *mean, *quantiles;
    int *status;
    char *messages;
    size_t message_size;
    atomic_size_t next;     /* first series not yet handed out */
} batch_job;

/* A worker's own memory: values and timestamps of the series it is on, gathered. */
typedef struct batch_worker {
    batch_job *job;
    double *values;
    int64_t *timestamps;
    pthread_t thread;
    bool started;
} batch_worker;

static size_t series_length(const kairos_series_batch *in, size_t i)
{
    return in->offsets ? in->offsets[i + 1] - in->offsets[i] : in->len;
}

/* Where series i starts and how far apart its points are. */
static void series_layout(const kairos_series_batch *in, size_t i, size_t *start, size_t *step)
{
    if (in->offsets) {
        *start = in->offsets[i];
        *step = 1;
    } else {
        *start = i * in->dist;
        *step = in->stride;
    }
}

static int validate_batch(const kairos_series_batch *in, size_t *max_len)
{
    int rc = kairos__check_version(in->version, KAIROS_SERIES_BATCH_VERSION,
                                   "kairos_series_batch");
    if (rc != KAIROS_OK)
        return rc;
    *max_len = 0;
    if (in->offsets) {
        for (size_t i = 0; i < in->n_series; i++) {
            if (in->offsets[i + 1] < in->offsets[i])
                return kairos__fail(KAIROS_EINVAL, "batch offsets decrease at series %zu "
                                    "(%zu then %zu)", i, in->offsets[i], in->offsets[i + 1]);
            size_t n = in->offsets[i + 1] - in->offsets[i];
            *max_len = n > *max_len ? n : *max_len;
        }
    } else {
        if (in->stride == 0)
            return kairos__fail(KAIROS_EINVAL, "dense batch with stride 0");
        if (in->n_series > 0 && in->len > 0) {
            /* the last element any series reads must be addressable */
            size_t last_series = in->n_series - 1;
            if ((in->dist && last_series > SIZE_MAX / in->dist) ||
                (in->len - 1) > SIZE_MAX / in->stride ||
                last_series * in->dist > SIZE_MAX - (in->len - 1) * in->stride)
                return kairos__fail(KAIROS_EINVAL, "dense batch layout overflows size_t");
        }
        *max_len = in->len;
    }
    if (*max_len > 0 && !in->values)
        return kairos__fail(KAIROS_EINVAL, "batch has points but NULL values");
    return KAIROS_OK;
}

static int validate_forecast_opts(const kairos_forecast_opts *fc)
{
    int rc = kairos__check_version(fc->version, KAIROS_FORECAST_OPTS_VERSION,
                                   "kairos_forecast_opts");
    if (rc != KAIROS_OK)
        return rc;
    if (fc->horizon == 0)
        return kairos__fail(KAIROS_EINVAL, "forecast horizon must be at least 1");
    if (fc->n_quantiles && !fc->quantiles)
        return kairos__fail(KAIROS_EINVAL, "%zu quantile levels but a NULL level array",
                            fc->n_quantiles);
    for (size_t j = 0; j < fc->n_quantiles; j++)
        if (!(fc->quantiles[j] > 0.0 && fc->quantiles[j] < 1.0))
            return kairos__fail(KAIROS_EINVAL, "quantile level %g is not strictly between "
                                "0 and 1", fc->quantiles[j]);
    return KAIROS_OK;
}

/* ---- one series -------------------------------------------------------------------------- */

static void fill_nan(double *row, size_t n)
{
    for (size_t t = 0; t < n; t++)
        row[t] = NAN;
}

static void keep_message(const batch_job *job, size_t i, int rc)
{
    if (!job->messages)
        return;
    char *dst = job->messages + i * job->message_size;
    const char *msg = rc == KAIROS_OK ? "" : kairos_last_error();
    if (rc != KAIROS_OK && !*msg)
        msg = kairos_strerror(rc);
    size_t n = strlen(msg);
    if (n >= job->message_size)
        n = job->message_size - 1;
    memcpy(dst, msg, n);
    dst[n] = '\0';
}

static int forecast_one(batch_worker *w, size_t i, double *mean, double *quantiles)
{
    const batch_job *job = w->job;
    const kairos_series_batch *in = job->in;
    size_t n = series_length(in, i), start = 0, step = 1;
    series_layout(in, i, &start, &step);

    const double *values = in->values ? in->values + start : NULL;
    const int64_t *timestamps = in->timestamps ? in->timestamps + start : NULL;
    if (step != 1) {            /* gather a strided series into the workspace */
        for (size_t t = 0; t < n; t++) {
            w->values[t] = in->values[start + t * step];
            if (in->timestamps)
                w->timestamps[t] = in->timestamps[start + t * step];
        }
        values = w->values;
        timestamps = in->timestamps ? w->timestamps : NULL;
    }

    kairos_series *series = NULL;
    kairos_model *model = NULL;
    int rc = kairos_series_from_arrays(&series, values, timestamps, n);
    if (rc == KAIROS_OK)
        rc = kairos_model_fit(&model, series, &job->fit);
    if (rc == KAIROS_OK)
        rc = kairos_model_forecast(model, job->fc, mean, job->n_levels ? quantiles : NULL);
    kairos_model_free(model);
    kairos_series_free(series);
    return rc;
}

static void run_series(batch_worker *w, size_t i)
{
    batch_job *job = w->job;
    double *mean = job->mean + i * job->horizon;
    double *quantiles = job->n_levels ? job->quantiles + i * job->n_levels * job->horizon : NULL;
    kairos_clear_error();
    int rc = forecast_one(w, i, mean, quantiles);
    job->status[i] = rc;
    keep_message(job, i, rc);
    if (rc != KAIROS_OK) {
        fill_nan(mean, job->horizon);
        if (quantiles)
            fill_nan(quantiles, job->n_levels * job->horizon);
    }
}

static void *worker_main(void *arg)
{
    batch_worker *w = arg;
    batch_job *job = w->job;
    for (;;) {
        size_t first = atomic_fetch_add_explicit(&job->next, job->chunk, memory_order_relaxed);
        if (first >= job->in->n_series)
            break;
        size_t end = job->in->n_series - first < job->chunk ? job->in->n_series
                                                            : first + job->chunk;
        for (size_t i = first; i < end; i++)
            run_series(w, i);
    }
    return NULL;
}

/* ---- the driver -------------------------------------------------------------------------- */

static int worker_init(batch_worker *w, batch_job *job)
{
    memset(w, 0, sizeof *w);
    w->job = job;
    size_t n = job->max_len ? job->max_len : 1;
    w->values = kairos__malloc_array(n, sizeof *w->values);
    w->timestamps = kairos__malloc_array(n, sizeof *w->timestamps);
    return w->values && w->timestamps ? KAIROS_OK : KAIROS_ENOMEM;
}

static void worker_dispose(batch_worker *w)
{
    free(w->values);
    free(w->timestamps);
}

/* Small chunks keep threads busy when series differ in cost; a few per thread amortise the
 * cursor. The chunk size never changes which thread-independent numbers come out. */
static size_t chunk_size(size_t n_series, size_t n_threads)
{
    size_t chunk = n_series / (n_threads * 16);
    return chunk < 1 ? 1 : chunk > 16 ? 16 : chunk;
}

static int run_workers(batch_job *job, size_t n_threads)
{
    size_t n_workers = n_threads ? n_threads : 1;
    batch_worker *workers = kairos__calloc(n_workers, sizeof *workers);
    if (!workers)
        return kairos__fail(KAIROS_ENOMEM, "out of memory for %zu batch workers", n_workers);
    size_t ready = 0;
    while (ready < n_workers && worker_init(&workers[ready], job) == KAIROS_OK)
        ready++;
    if (ready < n_workers)
        worker_dispose(&workers[ready]);   /* the one that failed half-way */
    if (ready == 0) {
        free(workers);
        return kairos__fail(KAIROS_ENOMEM, "out of memory for a batch workspace of %zu points",
                            job->max_len);
    }
    if (n_threads == 0) {
        worker_main(&workers[0]);
    } else {
        /* Workers that cannot start leave their share to the others (the cursor is shared). */
        for (size_t t = 0; t < ready; t++)
            workers[t].started =
                pthread_create(&workers[t].thread, NULL, worker_main, &workers[t]) == 0;
        bool any = false;
        for (size_t t = 0; t < ready; t++)
            any = any || workers[t].started;
        if (!any)
            worker_main(&workers[0]);     /* no thread at all: the caller's thread does it */
        for (size_t t = 0; t < ready; t++)
            if (workers[t].started)
                pthread_join(workers[t].thread, NULL);
    }
    for (size_t t = 0; t < ready; t++)
        worker_dispose(&workers[t]);
    free(workers);
    return KAIROS_OK;
}

static bool mul_overflows(size_t a, size_t b, size_t *out)
{
    if (b && a > SIZE_MAX / b)
        return true;
    *out = a * b;
    return false;
}

int kairos_forecast_batch_messages(const kairos_series_batch *in, const kairos_fit_opts *fit,
                                   const kairos_forecast_opts *fc, size_t n_threads,
                                   double *mean, double *quantiles, int *status,
                                   char *messages, size_t message_size)
{
    if (!in || !fc)
        return kairos__fail(KAIROS_EINVAL, "kairos_forecast_batch: NULL %s",
                            !in ? "batch" : "forecast options");
    batch_job job;
    memset(&job, 0, sizeof job);
    int rc = validate_batch(in, &job.max_len);
    if (rc == KAIROS_OK)
        rc = validate_forecast_opts(fc);
    if (rc != KAIROS_OK)
        return rc;
    size_t cells = 0, qcells = 0;
    if (mul_overflows(in->n_series, fc->horizon, &cells) ||
        mul_overflows(cells, fc->n_quantiles, &qcells) ||
        (messages && mul_overflows(in->n_series, message_size, &(size_t){ 0 })))
        return kairos__fail(KAIROS_EINVAL, "batch output of %zu series × %zu steps overflows "
                            "size_t", in->n_series, fc->horizon);
    if (in->n_series == 0) {
        kairos_clear_error();
        return KAIROS_OK;
    }
    if (!mean || !status || (fc->n_quantiles && !quantiles))
        return kairos__fail(KAIROS_EINVAL, "kairos_forecast_batch: NULL %s",
                            !mean ? "mean" : !status ? "status" : "quantiles");
    if (messages && message_size == 0)
        return kairos__fail(KAIROS_EINVAL, "kairos_forecast_batch: message_size is 0");

    rc = kairos__fit_opts_upgrade(fit, &job.fit);
    if (rc != KAIROS_OK)
        return rc;
    if (job.fit.horizon == 0)
        job.fit.horizon = fc->horizon;

    job.in = in;
    job.fc = fc;
    job.horizon = fc->horizon;
    job.n_levels = fc->n_quantiles;
    job.mean = mean;
    job.quantiles = quantiles;
    job.status = status;
    job.messages = messages;
    job.message_size = message_size;
    if (n_threads > in->n_series)
        n_threads = in->n_series;
    job.chunk = chunk_size(in->n_series, n_threads ? n_threads : 1);
    atomic_init(&job.next, 0);

    rc = run_workers(&job, n_threads);
    if (rc == KAIROS_OK)
        kairos_clear_error();
    return rc;
}

int kairos_forecast_batch(const kairos_series_batch *in, const kairos_fit_opts *fit,
                          const kairos_forecast_opts *fc, size_t n_threads, double *mean,
                          double *quantiles, int *status)
{
    return kairos_forecast_batch_messages(in, fit, fc, n_threads, mean, quantiles, status,
                                          NULL, 0);
}
