/** @file kairos/batch.h
 *  @brief Forecast many series in one call, on several threads, with one status per series.
 *
 *  The series come as one struct of arrays (#kairos_series_batch): a values array plus either
 *  offsets (ragged series) or a length, a stride and a distance (dense series, FFTW-style), so
 *  a 2-D numpy array of any memory order goes in without copying. Every series is fitted and
 *  forecast exactly as kairos_model_fit() and kairos_model_forecast() would do it alone; the
 *  results land in caller-owned rows. A series that fails gets its own status (and, with
 *  kairos_forecast_batch_messages(), its own message) and NaN rows: one bad series never fails
 *  the batch.
 *
 *  Results are identical bit for bit whatever the thread count: each series is computed by one
 *  thread from read-only inputs into its own rows, with the same code path, and threads share
 *  nothing else. Run OpenBLAS single-threaded (`OPENBLAS_NUM_THREADS=1`) when batches use many
 *  threads, so the two kinds of threads do not compete; the library never changes BLAS settings.
 */
#ifndef KAIROS_BATCH_H
#define KAIROS_BATCH_H

#include <kairos/common.h>
#include <kairos/forecast.h>

KAIROS_BEGIN_DECLS

/**
 * Many series as a struct of arrays; everything is borrowed, read-only, for the call.
 *
 * - **Ragged** (@ref offsets non-NULL): series i is values[offsets[i]] … values[offsets[i+1]−1];
 *   @ref offsets has n_series + 1 non-decreasing entries (offsets[0] need not be 0);
 *   @ref len, @ref stride and @ref dist are ignored.
 * - **Dense** (@ref offsets NULL): every series has @ref len points and point t of series i is
 *   values[i·dist + t·stride] (element counts, not bytes). A C-ordered n×len array has
 *   stride 1, dist len; a Fortran-ordered one stride n_series, dist 1.
 *
 * @ref timestamps, when non-NULL, is indexed exactly like @ref values (Unix seconds). The
 * batch takes each series as it is given: no regularization; timestamps serve period inference
 * and forecast timestamps as for a series built with kairos_series_from_arrays().
 */
typedef struct kairos_series_batch {
    unsigned       version;     /**< KAIROS_SERIES_BATCH_VERSION */
    size_t         n_series;    /**< number of series; 0 is a valid, empty batch */
    const double  *values;      /**< NaN marks a missing value */
    const size_t  *offsets;     /**< ragged: n_series + 1 offsets; NULL when dense */
    size_t         len;         /**< dense: points per series */
    size_t         stride;      /**< dense: distance between points of a series, >= 1 */
    size_t         dist;        /**< dense: distance between the first points of two series */
    const int64_t *timestamps;  /**< optional, indexed like values; NULL = untimed */
    /* new fields are appended, never inserted */
} kairos_series_batch;
#define KAIROS_SERIES_BATCH_VERSION 1
#define KAIROS_SERIES_BATCH_INIT { KAIROS_SERIES_BATCH_VERSION, 0, NULL, NULL, 0, 1, 0, NULL }
/** Same as KAIROS_SERIES_BATCH_INIT, for bindings. @return KAIROS_OK, KAIROS_EINVAL (NULL) or
 *  KAIROS_EVERSION. Thread-safety: safe. */
KAIROS_API int kairos_series_batch_init(kairos_series_batch *batch, unsigned version);

/** Bytes per message that always hold a complete kairos_last_error() text. */
#define KAIROS_BATCH_MESSAGE_SIZE 512

/**
 * Fit @p fit's model to every series of @p in and forecast @p fc->horizon steps.
 *
 * Series i is built with kairos_series_from_arrays(), fitted with kairos_model_fit() and
 * forecast with kairos_model_forecast(), so its numbers equal those of the single calls. When
 * @p fit->horizon is 0 it is taken as @p fc->horizon (it guides `auto`).
 *
 * Work is handed out to the threads in small chunks on demand (series differ in cost).
 * @param n_threads  0 = run everything on the calling thread; N >= 1 = N worker threads
 *                   (capped at n_series). If a thread cannot be started the others take its
 *                   share: results never depend on how many ran.
 * @param mean       caller-owned, n_series × h (row i = series i)
 * @param quantiles  caller-owned, n_series × k × h (block i = series i, row j of the block =
 *                   level fc->quantiles[j]); NULL when fc->n_quantiles is 0
 * @param status     caller-owned, n_series entries: KAIROS_OK or the code of the call that
 *                   failed for that series. A failed series' rows are all NaN.
 * @return KAIROS_OK when the batch ran, even if some series failed (check @p status);
 *   KAIROS_EINVAL for a malformed batch (NULL arrays, decreasing offsets, stride 0), invalid
 *   forecast options (horizon 0, a level outside (0,1)), NULL outputs or sizes that overflow;
 *   KAIROS_EVERSION; KAIROS_ENOMEM when no worker could get its workspace. Invalid *fit*
 *   options (unknown model) fail each series with KAIROS_EINVAL instead. On success the calling
 *   thread's kairos_last_error() is cleared.
 * Thread-safety: safe; the inputs are only read, and every output element is written by
 * exactly one thread.
 */
KAIROS_API int kairos_forecast_batch(const kairos_series_batch *in, const kairos_fit_opts *fit,
                                     const kairos_forecast_opts *fc, size_t n_threads,
                                     double *mean, double *quantiles, int *status);

/**
 * kairos_forecast_batch() that also keeps each failed series' kairos_last_error() text.
 * @param messages      caller-owned, n_series × @p message_size bytes, or NULL. Entry i
 *                      (messages + i·message_size) receives series i's message, NUL-terminated
 *                      and truncated to fit; "" for a series that succeeded.
 * @param message_size  bytes per entry (KAIROS_BATCH_MESSAGE_SIZE never truncates); >= 1 when
 *                      @p messages is non-NULL
 * @return as kairos_forecast_batch(). Thread-safety: as kairos_forecast_batch().
 */
KAIROS_API int kairos_forecast_batch_messages(const kairos_series_batch *in,
                                              const kairos_fit_opts *fit,
                                              const kairos_forecast_opts *fc, size_t n_threads,
                                              double *mean, double *quantiles, int *status,
                                              char *messages, size_t message_size);

KAIROS_END_DECLS

#endif /* KAIROS_BATCH_H */
