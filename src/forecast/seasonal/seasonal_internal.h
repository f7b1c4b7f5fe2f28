/* Shared pieces of the seasonal models (not installed): the non-seasonal model that forecasts
 * a seasonally adjusted series or regression errors, and the model vtables. */
#ifndef KAIROS_FORECAST_SEASONAL_INTERNAL_H
#define KAIROS_FORECAST_SEASONAL_INTERNAL_H

#include "forecast/model_internal.h"
#include "forecast/arima/arima.h"
#include "ets.h"

/* The most periods a decomposition or harmonic regression uses. */
#define KAIROS__MAX_SEASONS 8

typedef enum kairos__adjusted_kind {
    KAIROS__ADJUSTED_ARIMA,   /* automatic non-seasonal ARIMA (kairos__arima_auto) */
    KAIROS__ADJUSTED_ETS      /* ETS chosen by AICc among ANN, AAN, AAdN */
} kairos__adjusted_kind;

/* A fitted non-seasonal model: exactly one of arima / ets is set. */
typedef struct kairos__nonseasonal {
    kairos__adjusted_kind     kind;
    kairos__arima_fit_result *arima;
    kairos__ets_fit          *ets;
    char                      label[48];    /* "ARIMA(1,1,2) with drift", "ETS(A,Ad,N)" */
    char                      note[256];    /* why another model than asked was used; "" */
} kairos__nonseasonal;

/* Parse the adjusted_model option: NULL → ARIMA; "arima"/"autoarima"; "ets". */
int kairos__adjusted_kind_parse(const char *name, kairos__adjusted_kind *kind);

/* Fit @p kind to y[0..n); when it fails for the data (not for memory), the other kind is
 * tried and the note says so. */
int kairos__nonseasonal_fit(kairos__nonseasonal *out, const double *y, size_t n,
                            kairos__adjusted_kind kind);
int kairos__nonseasonal_forecast(const kairos__nonseasonal *ns, size_t h, double *mean,
                                 double *sd);
void kairos__nonseasonal_free(kairos__nonseasonal *ns);
/* Copy the statistics, orders and coefficients of @p ns into the model's summary. */
int kairos__nonseasonal_describe(kairos_model *m, const kairos__nonseasonal *ns);

/* The non-seasonal model sees only the last kairos_fit_opts.adjusted_window points (default
 * KAIROS__ADJUSTED_WINDOW): the decomposition or regression uses the whole history, but the
 * short-memory dynamics left after it are estimated as well from the last few days as from
 * weeks, and the automatic ARIMA search costs time in proportion to the points it sees.
 * Returns how many leading points to skip. */
#define KAIROS__ADJUSTED_WINDOW 1024
size_t kairos__adjusted_skip(const kairos__fit_data *d);

/* Report helpers: `,"key":[a,b]` and `,"key":"text"`. */
int kairos__report_size_list(kairos_buf *out, const char *key, const size_t *v, size_t n);
int kairos__report_string(kairos_buf *out, const char *key, const char *text);

#endif /* KAIROS_FORECAST_SEASONAL_INTERNAL_H */
