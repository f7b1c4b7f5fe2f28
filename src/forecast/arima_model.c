/* "arima" and "autoarima": the ARIMA engine (arima/) behind the generic model interface.
 * The engine estimates and predicts; this file maps options in and statistics out. */
#include "model_internal.h"
#include "arima/arima.h"

#include <stdlib.h>

typedef struct arima_state {
    kairos__arima_fit_result *fit;
    kairos__arima_candidate  *tried;     /* autoarima: every model tried, in order */
    size_t                    n_tried;
    bool                      stepwise;  /* autoarima: how the search went */
} arima_state;

static void free_state(void *p)
{
    arima_state *st = p;
    if (!st)
        return;
    kairos__arima_fit_free(st->fit);
    free(st->tried);
    free(st);
}

/* Copy the engine's statistics, orders and coefficients into the generic model. */
static int publish(kairos_model *m, const kairos__arima_fit_result *fit)
{
    const kairos_arima_spec *sp = kairos__arima_spec(fit);
    m->sigma2 = kairos__arima_sigma2(fit);
    m->loglik = kairos__arima_loglik(fit);
    m->aic = kairos__arima_aic(fit);
    m->aicc = kairos__arima_aicc(fit);
    m->bic = kairos__arima_bic(fit);
    m->nobs = kairos__arima_nobs(fit);
    m->period = sp->period > 1 ? sp->period : 0;
    m->has_order = true;
    m->order[0] = (size_t)sp->p;
    m->order[1] = (size_t)sp->d;
    m->order[2] = (size_t)sp->q;
    m->has_seasonal_order = true;
    m->seasonal_order[0] = (size_t)sp->P;
    m->seasonal_order[1] = (size_t)sp->D;
    m->seasonal_order[2] = (size_t)sp->Q;
    for (size_t i = 0; i < kairos__arima_coef_count(fit); i++) {
        int rc = kairos__model_add_coef(m, kairos__arima_coef_name(fit, i),
                                        kairos__arima_coef_value(fit, i));
        if (rc)
            return rc;
    }
    return KAIROS_OK;
}

static int adopt(kairos_model *m, arima_state *st)
{
    m->state = st;   /* freed by the caller through free_state, even if publish fails */
    return publish(m, st->fit);
}

static int fit_arima(kairos_model *m, const kairos__fit_data *d)
{
    const kairos_fit_opts *o = d->opts;
    kairos_arima_spec spec = KAIROS_ARIMA_SPEC_INIT;
    spec.p = o->arima_p;
    spec.d = o->arima_d;
    spec.q = o->arima_q;
    spec.P = o->arima_P;
    spec.D = o->arima_D;
    spec.Q = o->arima_Q;
    bool seasonal = spec.P || spec.D || spec.Q;
    if (seasonal && d->period < 2)
        return kairos__fail(KAIROS_EINVAL, "model 'arima': a seasonal order (%d,%d,%d) needs a "
                            "seasonal period of at least 2 (pass --season)", spec.P, spec.D, spec.Q);
    spec.period = seasonal ? d->period : 0;
    if (o->include_mean >= 0)
        spec.include_mean = o->include_mean;
    if (o->include_drift >= 0)
        spec.include_drift = o->include_drift;
    arima_state *st = calloc(1, sizeof *st);
    if (!st)
        return kairos__fail(KAIROS_ENOMEM, "out of memory fitting an ARIMA model");
    int rc = kairos__arima_fit(&st->fit, d->y, d->n, &spec);
    if (rc) {
        free(st);
        return rc;
    }
    return adopt(m, st);
}

static int fit_autoarima(kairos_model *m, const kairos__fit_data *d)
{
    const kairos_fit_opts *o = d->opts;
    kairos_arima_auto_opts ao = KAIROS_ARIMA_AUTO_OPTS_INIT;
    ao.period = d->period >= 2 ? d->period : 0;
    ao.stepwise = !o->arima_exhaustive;
    if (o->include_mean == 0)
        ao.allow_mean = 0;
    if (o->include_drift == 0)
        ao.allow_drift = 0;
    arima_state *st = calloc(1, sizeof *st);
    if (!st)
        return kairos__fail(KAIROS_ENOMEM, "out of memory searching ARIMA orders");
    st->stepwise = ao.stepwise;
    int rc = kairos__arima_auto(&st->fit, &st->tried, &st->n_tried, d->y, d->n, &ao);
    if (rc) {
        free(st->tried);
        free(st);
        return rc;
    }
    return adopt(m, st);
}

static int predict(const kairos_model *m, size_t h, double *mean, double *sd)
{
    const arima_state *st = m->state;
    return kairos__arima_forecast(st->fit, h, mean, sd);
}

/* ,"search":"stepwise","tried":[{"order":[p,d,q],"seasonal_order":[P,D,Q],"mean":b,
 *  "drift":b,"aicc":x},…] — every candidate, so users can see why this one won. */
static int report_search(const kairos_model *m, kairos_buf *b)
{
    const arima_state *st = m->state;
    int rc = kairos__buf_printf(b, ",\"search\":\"%s\",\"tried\":[",
                                st->stepwise ? "stepwise" : "exhaustive");
    for (size_t i = 0; rc == KAIROS_OK && i < st->n_tried; i++) {
        const kairos_arima_spec *s = &st->tried[i].spec;
        rc = kairos__buf_printf(b, "%s{\"order\":[%d,%d,%d],\"seasonal_order\":[%d,%d,%d],"
                                   "\"period\":%zu,\"mean\":%s,\"drift\":%s,\"aicc\":",
                                i ? "," : "", s->p, s->d, s->q, s->P, s->D, s->Q, s->period,
                                s->include_mean ? "true" : "false",
                                s->include_drift ? "true" : "false");
        if (rc == KAIROS_OK)
            rc = kairos__buf_json_number(b, st->tried[i].aicc);
        if (rc == KAIROS_OK)
            rc = kairos__buf_puts(b, "}");
    }
    return rc ? rc : kairos__buf_puts(b, "]");
}

const kairos__model_vtable kairos__arima_model = {
    .name = "arima",
    .flags = KAIROS__MODEL_PERIODIC,
    .fit = fit_arima,
    .predict = predict,
    .free_state = free_state,
};

const kairos__model_vtable kairos__autoarima_model = {
    .name = "autoarima",
    .flags = KAIROS__MODEL_PERIODIC,
    .fit = fit_autoarima,
    .predict = predict,
    .free_state = free_state,
    .report_extra = report_search,
};
