/** @file kairos/series.h
 *  @brief Metric history: ingest from arrays, CSV and Prometheus JSON; regularize; validate.
 *
 *  A #kairos_series is an immutable-once-built sequence of `double` values (NaN = missing)
 *  with optional `int64_t` Unix-second timestamps and an optional name. Series built from
 *  CSV or Prometheus keep their points in input order; kairos_series_regularize() sorts them
 *  onto a fixed step.
 */
#ifndef KAIROS_SERIES_H
#define KAIROS_SERIES_H

#include <kairos/common.h>

KAIROS_BEGIN_DECLS

/** A metric history. Read-only after construction: share it freely between threads. */
typedef struct kairos_series kairos_series;

/**
 * Build a series from arrays (copied).
 * @param out         receives the new series; set to NULL on failure
 * @param values      n values; NaN marks a missing value; +/-Inf is accepted here and
 *                    rejected by kairos_series_validate()
 * @param timestamps  n Unix-second timestamps, or NULL for an untimed series
 * @param n           number of points (0 is allowed; validation rejects it)
 * @return KAIROS_OK, KAIROS_EINVAL (NULL out, or NULL values with n > 0), KAIROS_ENOMEM.
 * Thread-safety: safe.
 */
KAIROS_API int kairos_series_from_arrays(kairos_series **out, const double *values,
                                         const int64_t *timestamps, size_t n);

/** Release a series. NULL is fine. */
KAIROS_API void kairos_series_free(kairos_series *s);

/** Number of points. 0 for NULL. */
KAIROS_API size_t kairos_series_length(const kairos_series *s);
/** Values, length kairos_series_length(); owned by the series. */
KAIROS_API const double *kairos_series_values(const kairos_series *s);
/** Timestamps (Unix seconds) or NULL when the series has none; owned by the series. */
KAIROS_API const int64_t *kairos_series_timestamps(const kairos_series *s);
/** Fixed step in seconds once regularized (or given), else 0. */
KAIROS_API int64_t kairos_series_step(const kairos_series *s);
/** Name: a CSV column name, or a Prometheus label set like `up{job="api"}`; "" when none. */
KAIROS_API const char *kairos_series_name(const kairos_series *s);

/* ---------------------------------------------------------------------------------------
 * CSV
 * ------------------------------------------------------------------------------------- */

/**
 * How to read CSV. The format: an optional header line; either one value column, or a
 * timestamp column and value columns. Fields may be quoted ("a,b", "say ""hi"""), and a quoted
 * field may span lines; spaces around fields are ignored; a UTF-8 BOM, CRLF or CR line ends
 * and blank lines are accepted. An empty cell, `NA`, `NaN` (any case) or `null` is a missing
 * value. Numbers are read in the "C" locale whatever the process locale is. Timestamps are
 * ISO 8601 (`2024-05-01T13:00:00Z`, `2024-05-01 13:00`, fractional seconds, `Z` or
 * `+HH:MM`/`+HHMM`/`+HH` offsets, or a bare date) or Unix seconds (integer or fractional,
 * rounded to the nearest second).
 *
 * Header: the first non-blank line is a header when its value field (the field a header-less
 * file would take values from) is neither a number nor a missing marker, and always when
 * @ref column is a name.
 *
 * Column choice: with a header, the timestamp column is the one named `timestamp`, `time`,
 * `ts`, `date`, `datetime` or `ds` (any case), else the first column when there are several;
 * the value column is @ref column when set, else `value`, else the first column that is not
 * the timestamp column. Without a header, one column is values; with several, the first is
 * the timestamp and the second the value (@ref column may then be a 1-based column number).
 * When the value column is also the timestamp column, the series is untimed. With a header
 * the series is named after its value column. Points keep their input order.
 */
typedef struct kairos_csv_opts {
    unsigned    version;          /**< KAIROS_CSV_OPTS_VERSION */
    const char *column;           /**< value column name (or 1-based number); NULL = default */
    char        delimiter;        /**< field separator; 0 means ',' */
    /* new fields are appended, never inserted */
} kairos_csv_opts;
#define KAIROS_CSV_OPTS_VERSION 1
#define KAIROS_CSV_OPTS_INIT { KAIROS_CSV_OPTS_VERSION, NULL, 0 }
/** Same as KAIROS_CSV_OPTS_INIT, for bindings. @return KAIROS_OK or KAIROS_EVERSION. */
KAIROS_API int kairos_csv_opts_init(kairos_csv_opts *opts, unsigned version);

/**
 * Parse CSV text held in memory (need not be NUL-terminated).
 * @param out   receives a new series on success, NULL on failure
 * @param opts  NULL for defaults; borrowed for the call
 * @return KAIROS_OK; KAIROS_EPARSE naming the line and field for malformed text, a
 *   non-numeric cell, an impossible date or a value out of double range; KAIROS_EDATA when
 *   there are no data lines or the requested column does not exist; KAIROS_EINVAL,
 *   KAIROS_EVERSION, KAIROS_ENOMEM. Thread-safety: safe.
 */
KAIROS_API int kairos_series_parse_csv(kairos_series **out, const char *text, size_t len,
                                       const kairos_csv_opts *opts);

/** Read a CSV file (see kairos_series_parse_csv()); "-" reads standard input.
 *  Adds KAIROS_EIO when the file cannot be opened or read. */
KAIROS_API int kairos_series_read_csv(kairos_series **out, const char *path,
                                      const kairos_csv_opts *opts);

/* ---------------------------------------------------------------------------------------
 * Prometheus
 * ------------------------------------------------------------------------------------- */

/** An ordered list of series, e.g. the result of one Prometheus query. */
typedef struct kairos_series_list kairos_series_list;

/**
 * Parse the body of a Prometheus HTTP API `query_range` response
 * (`{"status":"success","data":{"resultType":"matrix","result":[...]}}`). Each result becomes
 * one series, in response order, named by its metric labels sorted by key with `__name__` in
 * front: `http_requests_total{instance="a",job="api"}` (braces always: `up{}`, `{}`). Sample
 * times are JSON numbers rounded to the nearest second; sample values are JSON strings:
 * "NaN" becomes a missing value, "+Inf", "-Inf" and "Inf" infinities (which
 * kairos_series_validate() rejects). Unknown keys are ignored.
 * @return KAIROS_OK (an empty result gives an empty list); KAIROS_EPARSE for a document that
 *   is not JSON or not a matrix response (message says what was expected where);
 *   KAIROS_EDATA when Prometheus reported `"status":"error"` (message carries its error);
 *   KAIROS_EINVAL, KAIROS_ENOMEM. Thread-safety: safe.
 */
KAIROS_API int kairos_series_parse_prometheus(kairos_series_list **out, const char *body,
                                              size_t len);

/** Number of series in the list; 0 for NULL. */
KAIROS_API size_t kairos_series_list_count(const kairos_series_list *list);
/** The i-th series, owned by the list; NULL when i is out of range. */
KAIROS_API const kairos_series *kairos_series_list_get(const kairos_series_list *list, size_t i);
/** Release the list and every series in it. NULL is fine. */
KAIROS_API void kairos_series_list_free(kairos_series_list *list);

/* ---------------------------------------------------------------------------------------
 * Regularization and validation
 * ------------------------------------------------------------------------------------- */

/** How points that fall into the same step are combined. */
typedef enum kairos_agg {
    KAIROS_AGG_MEAN = 0,   /**< mean of the non-missing values */
    KAIROS_AGG_MAX  = 1,
    KAIROS_AGG_LAST = 2,   /**< the value with the latest timestamp (input order breaks ties) */
    KAIROS_AGG_SUM  = 3
} kairos_agg;

/** How steps with no data are filled. */
typedef enum kairos_fill {
    KAIROS_FILL_NONE     = 0,  /**< leave them missing (NaN); models skip them */
    KAIROS_FILL_LINEAR   = 1,  /**< linear interpolation between the known values on either
                                    side; leading and trailing missing steps stay missing */
    KAIROS_FILL_PREVIOUS = 2   /**< carry the previous value forward; leading missing steps
                                    stay missing */
} kairos_fill;

typedef struct kairos_regularize_opts {
    unsigned    version;   /**< KAIROS_REGULARIZE_OPTS_VERSION */
    int64_t     step_s;    /**< step in seconds; 0 = the median spacing of the distinct
                                timestamps (the lower middle one when their number is even) */
    kairos_agg  agg;       /**< default KAIROS_AGG_MEAN */
    kairos_fill fill;      /**< default KAIROS_FILL_NONE */
    /* new fields are appended, never inserted */
} kairos_regularize_opts;
#define KAIROS_REGULARIZE_OPTS_VERSION 1
#define KAIROS_REGULARIZE_OPTS_INIT \
    { KAIROS_REGULARIZE_OPTS_VERSION, 0, KAIROS_AGG_MEAN, KAIROS_FILL_NONE }
/** Same as KAIROS_REGULARIZE_OPTS_INIT, for bindings. */
KAIROS_API int kairos_regularize_opts_init(kairos_regularize_opts *opts, unsigned version);

/** What kairos_series_regularize() changed. */
typedef struct kairos_regularize_report {
    size_t  points_in;       /**< points in the input */
    size_t  points_out;      /**< steps in the output */
    size_t  reordered;       /**< input points earlier than a point before them in the input */
    size_t  merged;          /**< input points combined into a step another point already had */
    size_t  gaps;            /**< steps with no input point (a step whose points are all
                                  missing is missing, but not a gap) */
    size_t  filled;          /**< of those (and of missing inputs), how many were filled */
    size_t  largest_gap;     /**< longest run of steps with no input data */
    int64_t step_s;          /**< the step used */
} kairos_regularize_report;

/**
 * Put a timestamped series onto a fixed step. The grid starts at the first timestamp rounded
 * down to a multiple of the step (so hourly data lands on whole hours); each point goes to the
 * step containing it (sorted stably, so equal timestamps keep their input order); the
 * non-missing values of points sharing a step are aggregated; steps without data are missing,
 * and missing steps (gaps or not) are filled as asked. The output keeps the input's name; a
 * series already on its grid comes back unchanged.
 * @param out     receives the new, regular series (its kairos_series_step() is the step)
 * @param report  optional; filled on success
 * @return KAIROS_OK; KAIROS_EDATA when @p in has no timestamps or no points, fewer than 2
 *   distinct timestamps and no given step, would need more than 100 million steps, or starts
 *   too close to the 64-bit limit for its grid; KAIROS_EINVAL for bad options (negative step,
 *   unknown aggregation or fill); KAIROS_EVERSION, KAIROS_ENOMEM. Thread-safety: safe.
 */
KAIROS_API int kairos_series_regularize(kairos_series **out, const kairos_series *in,
                                        const kairos_regularize_opts *opts,
                                        kairos_regularize_report *report);

/**
 * Check a series is fit to forecast: at least @p min_length points, at least one non-missing
 * value, and no infinite value.
 * @return KAIROS_OK or KAIROS_EDATA with a message naming the problem (and the index or
 *   timestamp of the first infinite value). KAIROS_EINVAL for NULL. Thread-safety: safe.
 */
KAIROS_API int kairos_series_validate(const kairos_series *s, size_t min_length);

/**
 * Seasonal periods implied by a regular series' step: one day when the step divides a day
 * and the series covers at least two days; also one week when it covers at least three
 * weeks. Periods are in steps, smallest first.
 * @param periods  caller-owned array of @p max entries
 * @param n_out    receives the number of periods written (0 when none can be inferred)
 * @return KAIROS_OK, KAIROS_EINVAL. Thread-safety: safe.
 */
KAIROS_API int kairos_series_infer_periods(const kairos_series *s, size_t *periods,
                                           size_t max, size_t *n_out);

/**
 * Parse an ISO 8601 date-time or Unix-seconds string (the formats kairos_series_parse_csv()
 * accepts) into Unix seconds. Surrounding spaces are ignored; years are 0000-9999; hour 24 and
 * leap seconds (second 60) are rejected.
 * @return KAIROS_OK or KAIROS_EPARSE (message says why, e.g. "timestamp '2024-13-01' is not
 *   a valid date (month 13)"); KAIROS_EINVAL for a NULL @p out, or NULL @p text with len > 0.
 * Thread-safety: safe.
 */
KAIROS_API int kairos_parse_timestamp(const char *text, size_t len, int64_t *out);

/**
 * Format Unix seconds as ISO 8601 UTC (`2024-05-01T13:00:00Z`) into @p out (at least 32 bytes).
 * @return KAIROS_OK or KAIROS_ERANGE for years outside 0000–9999. Thread-safety: safe.
 */
KAIROS_API int kairos_format_timestamp(int64_t t, char *out, size_t size);

KAIROS_END_DECLS

#endif /* KAIROS_SERIES_H */
