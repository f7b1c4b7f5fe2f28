/* Forecast a CSV metric history one day ahead and print the mean with an 80 % interval.
 *
 *   cc forecast_csv.c $(pkg-config --cflags --libs kairos) -o forecast_csv
 *   ./forecast_csv examples/data/web-requests.csv
 */
#include <kairos/kairos.h>
#include <stdio.h>

enum { HORIZON = 24 };

static int fail(const char *what, int rc)
{
    fprintf(stderr, "%s: %s: %s\n", what, kairos_strerror(rc), kairos_last_error());
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.csv\n", argv[0]);
        return 2;
    }
    kairos_series *raw = NULL, *regular = NULL;
    int rc = kairos_series_read_csv(&raw, argv[1], NULL);
    if (rc)
        return fail(argv[1], rc);

    /* Sort, merge duplicates and mark gaps on the median step. */
    kairos_regularize_report report;
    rc = kairos_series_regularize(&regular, raw, NULL, &report);
    kairos_series_free(raw);
    if (rc)
        return fail("regularize", rc);

    kairos_fit_opts fit = KAIROS_FIT_OPTS_INIT;   /* model "auto", seasons inferred */
    fit.horizon = HORIZON;
    kairos_model *model = NULL;
    rc = kairos_model_fit(&model, regular, &fit);
    kairos_series_free(regular);   /* the model keeps what it needs */
    if (rc)
        return fail("fit", rc);

    double level = 80, q[2], mean[HORIZON], bounds[2 * HORIZON];
    int64_t when[HORIZON];
    kairos_levels_to_quantiles(&level, 1, q);
    kairos_forecast_opts fo = KAIROS_FORECAST_OPTS_INIT;
    fo.horizon = HORIZON;
    fo.quantiles = q;
    fo.n_quantiles = 2;
    rc = kairos_model_forecast(model, &fo, mean, bounds);
    if (rc == KAIROS_OK)
        rc = kairos_model_forecast_timestamps(model, HORIZON, when);
    if (rc) {
        kairos_model_free(model);
        return fail("forecast", rc);
    }

    kairos_model_info info = KAIROS_MODEL_INFO_INIT;
    kairos_model_describe(model, &info);
    printf("model %s (period %zu), %zu points merged, %zu gaps\n", info.name, info.period,
           report.merged, report.gaps);
    printf("step  timestamp             mean      lo80      hi80\n");
    for (int h = 0; h < HORIZON; h++) {
        char ts[32];
        kairos_format_timestamp(when[h], ts, sizeof ts);
        printf("%4d  %s  %8.1f  %8.1f  %8.1f\n", h + 1, ts, mean[h], bounds[h],
               bounds[HORIZON + h]);
    }
    kairos_model_free(model);
    return 0;
}
