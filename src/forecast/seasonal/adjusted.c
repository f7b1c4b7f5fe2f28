/* The non-seasonal model behind the decompositions (the seasonally adjusted series, as
 * forecast::stlf does) and the harmonic regression (its errors): automatic ARIMA or ETS. */
#include "seasonal_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int kairos__adjusted_kind_parse(const char *name, kairos__adjusted_kind *kind)
{
    if (!name || strcmp(name, "arima") == 0 || strcmp(name, "autoarima") == 0) {
        *kind = KAIROS__ADJUSTED_ARIMA;
        return KAIROS_OK;
    }
    if (strcmp(name, "ets") == 0) {
        *kind = KAIROS__ADJUSTED_ETS;
        return KAIROS_OK;
    }
    return kairos__fail(KAIROS_EINVAL, "adjusted_model '%s' is not known (arima, ets)", name);
}

static void arima_label(const kairos__arima_fit_result *fit, char *out, size_t size)
{
    const kairos_arima_spec *s = kairos__arima_spec(fit);
    bool has_mean = false, has_drift = false;
    for (size_t i = 0; i < kairos__arima_coef_count(fit); i++) {
        const char *name = kairos__arima_coef_name(fit, i);
        has_mean = has_mean || strcmp(name, "intercept") == 0;
        has_drift = has_drift || strcmp(name, "drift") == 0;
    }
    snprintf(out, size, "ARIMA(%d,%d,%d)%s", s->p, s->d, s->q,
             has_drift ? " with drift" : has_mean ? " with non-zero mean" : "");
}

static int fit_one(kairos__nonseasonal *ns, const double *y, size_t n,
                   kairos__adjusted_kind kind)
{
    ns->kind = kind;
    if (kind == KAIROS__ADJUSTED_ETS) {
        int rc = kairos__ets_auto(&ns->ets, y, n, 0);
        if (rc == KAIROS_OK)
            snprintf(ns->label, sizeof ns->label, "%s", kairos__ets_label(ns->ets));
        return rc;
    }
    kairos_arima_auto_opts o = KAIROS_ARIMA_AUTO_OPTS_INIT;
    o.period = 0;
    int rc = kairos__arima_auto(&ns->arima, NULL, NULL, y, n, &o);
    if (rc == KAIROS_OK)
        arima_label(ns->arima, ns->label, sizeof ns->label);
    return rc;
}

int kairos__nonseasonal_fit(kairos__nonseasonal *ns, const double *y, size_t n,
                            kairos__adjusted_kind kind)
{
    memset(ns, 0, sizeof *ns);
    int rc = fit_one(ns, y, n, kind);
    if (rc == KAIROS_OK || rc == KAIROS_ENOMEM)
        return rc;
    /* One model failing on awkward data (too short, constant after differencing) is no reason
     * to give up while the other may fit: try it and say so. */
    char why[96];
    snprintf(why, sizeof why, "%s", kairos_last_error());
    kairos__adjusted_kind other = kind == KAIROS__ADJUSTED_ARIMA ? KAIROS__ADJUSTED_ETS
                                                                 : KAIROS__ADJUSTED_ARIMA;
    kairos__nonseasonal_free(ns);
    if (fit_one(ns, y, n, other) != KAIROS_OK) {
        kairos__nonseasonal_free(ns);
        return rc;
    }
    snprintf(ns->note, sizeof ns->note, "%s failed (%s); used %s",
             kind == KAIROS__ADJUSTED_ARIMA ? "ARIMA" : "ETS", why, ns->label);
    kairos_clear_error();
    return KAIROS_OK;
}

size_t kairos__adjusted_skip(const kairos__fit_data *d)
{
    size_t w = d->opts->adjusted_window ? d->opts->adjusted_window : KAIROS__ADJUSTED_WINDOW;
    return d->n > w ? d->n - w : 0;
}

int kairos__nonseasonal_forecast(const kairos__nonseasonal *ns, size_t h, double *mean,
                                 double *sd)
{
    if (ns->ets)
        return kairos__ets_forecast(ns->ets, h, mean, sd);
    return kairos__arima_forecast(ns->arima, h, mean, sd);
}

void kairos__nonseasonal_free(kairos__nonseasonal *ns)
{
    kairos__arima_fit_free(ns->arima);
    kairos__ets_fit_free(ns->ets);
    ns->arima = NULL;
    ns->ets = NULL;
}

int kairos__nonseasonal_describe(kairos_model *m, const kairos__nonseasonal *ns)
{
    int rc = KAIROS_OK;
    if (ns->ets) {
        const kairos__ets_fit *f = ns->ets;
        m->sigma2 = kairos__ets_sigma2(f);
        m->loglik = kairos__ets_loglik(f);
        m->aic = kairos__ets_aic(f);
        m->aicc = kairos__ets_aicc(f);
        m->bic = kairos__ets_bic(f);
        m->nobs = kairos__ets_nobs(f);
        for (size_t i = 0; rc == KAIROS_OK && i < kairos__ets_par_count(f); i++) {
            char name[16];
            kairos__ets_par_name(f, i, name, sizeof name);
            rc = kairos__model_add_coef(m, name, kairos__ets_par(f, i));
        }
        return rc;
    }
    const kairos__arima_fit_result *f = ns->arima;
    const kairos_arima_spec *s = kairos__arima_spec(f);
    m->sigma2 = kairos__arima_sigma2(f);
    m->loglik = kairos__arima_loglik(f);
    m->aic = kairos__arima_aic(f);
    m->aicc = kairos__arima_aicc(f);
    m->bic = kairos__arima_bic(f);
    m->nobs = kairos__arima_nobs(f);
    m->has_order = true;
    m->order[0] = (size_t)s->p;
    m->order[1] = (size_t)s->d;
    m->order[2] = (size_t)s->q;
    for (size_t i = 0; rc == KAIROS_OK && i < kairos__arima_coef_count(f); i++)
        rc = kairos__model_add_coef(m, kairos__arima_coef_name(f, i),
                                    kairos__arima_coef_value(f, i));
    return rc;
}

int kairos__report_size_list(kairos_buf *out, const char *key, const size_t *v, size_t n)
{
    int rc = kairos__buf_printf(out, ",\"%s\":[", key);
    for (size_t i = 0; rc == KAIROS_OK && i < n; i++)
        rc = kairos__buf_printf(out, i ? ",%zu" : "%zu", v[i]);
    return rc ? rc : kairos__buf_puts(out, "]");
}

int kairos__report_string(kairos_buf *out, const char *key, const char *text)
{
    int rc = kairos__buf_printf(out, ",\"%s\":", key);
    return rc ? rc : kairos__buf_json_string(out, text);
}
