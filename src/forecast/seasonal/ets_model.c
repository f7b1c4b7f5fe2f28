/* Model "ets": exponential smoothing with additive errors (ets.h), chosen by AICc among
 * ETS(A,N,N), (A,A,N), (A,Ad,N) and, with a period 2..24, (A,N,A), (A,A,A), (A,Ad,A); or the
 * one named by kairos_fit_opts.ets_model. */
#include "seasonal_internal.h"

#include <stdlib.h>

static void ets_free(void *state)
{
    kairos__ets_fit_free(state);
}

static int ets_fit(kairos_model *m, const kairos__fit_data *d)
{
    kairos__ets_fit *fit = NULL;
    int rc;
    if (d->opts->ets_model) {
        kairos__ets_spec spec;
        rc = kairos__ets_parse(d->opts->ets_model, d->period, &spec);
        if (rc == KAIROS_OK)
            rc = kairos__ets_fit_spec(&fit, d->y, d->n, &spec);
    } else {
        rc = kairos__ets_auto(&fit, d->y, d->n, d->period);
    }
    if (rc)
        return rc;
    m->state = fit;
    kairos__nonseasonal ns = { .kind = KAIROS__ADJUSTED_ETS, .ets = fit };
    rc = kairos__nonseasonal_describe(m, &ns);
    m->period = kairos__ets_fit_spec_of(fit)->period;
    return rc;
}

static int ets_predict(const kairos_model *m, size_t horizon, double *mean, double *sd)
{
    return kairos__ets_forecast(m->state, horizon, mean, sd);
}

static int ets_report(const kairos_model *m, kairos_buf *out)
{
    return kairos__report_string(out, "method", kairos__ets_label(m->state));
}

const kairos__model_vtable kairos__ets_model = {
    .name = "ets",
    .flags = KAIROS__MODEL_PERIODIC,   /* seasonal forms when a period is known or inferred */
    .fit = ets_fit,
    .predict = ets_predict,
    .free_state = ets_free,
    .report_extra = ets_report,
};
