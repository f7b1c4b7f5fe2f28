/* kairos_model_report_json: a fitted model as one JSON object. */
#include "model_internal.h"

#include <math.h>
#include <string.h>

/* `,"key":` — every member after the first. */
static int key(kairos_buf *b, const char *k)
{
    int rc = kairos__buf_puts(b, ",");
    if (rc == KAIROS_OK)
        rc = kairos__buf_json_string(b, k);
    return rc ? rc : kairos__buf_puts(b, ":");
}

static int order_member(kairos_buf *b, const char *k, bool present, const size_t order[3])
{
    int rc = key(b, k);
    if (rc)
        return rc;
    if (!present)
        return kairos__buf_puts(b, "null");
    return kairos__buf_printf(b, "[%zu,%zu,%zu]", order[0], order[1], order[2]);
}

static int number_member(kairos_buf *b, const char *k, double x)
{
    int rc = key(b, k);
    return rc ? rc : kairos__buf_json_number(b, x);
}

static int coef_member(kairos_buf *b, const kairos_model *m)
{
    int rc = key(b, "coef");
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(b, "{");
    for (size_t i = 0; rc == KAIROS_OK && i < m->n_coef; i++) {
        if (i > 0)
            rc = kairos__buf_puts(b, ",");
        if (rc == KAIROS_OK)
            rc = kairos__buf_json_string(b, m->coef[i].name);
        if (rc == KAIROS_OK)
            rc = kairos__buf_puts(b, ":");
        if (rc == KAIROS_OK)
            rc = kairos__buf_json_number(b, m->coef[i].value);
    }
    return rc ? rc : kairos__buf_puts(b, "}");
}

/* How "auto" chose: the rule, the cross-validation windows, each candidate's score, the
 * members combined with their weights and interval factors, and a note when there is one. */
static int selection_members(kairos_buf *b, const kairos__selection *sel)
{
    int rc = key(b, "selected_by");
    if (rc == KAIROS_OK)
        rc = kairos__buf_json_string(b, sel->rule);
    if (rc == KAIROS_OK)
        rc = kairos__buf_printf(b, ",\"holdout\":%zu,\"origins\":%zu", sel->holdout,
                                sel->origins);
    if (rc == KAIROS_OK)
        rc = key(b, "candidates");
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(b, "{");
    for (size_t i = 0; rc == KAIROS_OK && i < sel->n_scored; i++) {
        if (i > 0)
            rc = kairos__buf_puts(b, ",");
        if (rc == KAIROS_OK)
            rc = kairos__buf_json_string(b, sel->candidate[i]);
        if (rc == KAIROS_OK)
            rc = kairos__buf_puts(b, ":");
        if (rc == KAIROS_OK)
            rc = kairos__buf_json_number(b, sel->score[i]);
    }
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(b, "}");
    if (rc == KAIROS_OK)
        rc = key(b, "members");
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(b, "[");
    for (size_t i = 0; rc == KAIROS_OK && i < sel->n_members; i++) {
        rc = kairos__buf_puts(b, i ? ",{\"model\":" : "{\"model\":");
        if (rc == KAIROS_OK)
            rc = kairos__buf_json_string(b, sel->member[i]);
        if (rc == KAIROS_OK)
            rc = key(b, "weight");
        if (rc == KAIROS_OK)
            rc = kairos__buf_json_number(b, sel->weight[i]);
        for (size_t c = 0; rc == KAIROS_OK && c < sel->n_scored; c++)
            if (strcmp(sel->candidate[c], sel->member[i]) == 0) {
                rc = number_member(b, "widen", sel->widen[c]);
                break;
            }
        if (rc == KAIROS_OK)
            rc = kairos__buf_puts(b, "}");
    }
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(b, "]");
    if (rc == KAIROS_OK && sel->note[0]) {
        rc = key(b, "note");
        if (rc == KAIROS_OK)
            rc = kairos__buf_json_string(b, sel->note);
    }
    return rc;
}

static int write_report(const kairos_model *m, kairos_buf *b)
{
    int rc = kairos__buf_puts(b, "{\"name\":");
    if (rc == KAIROS_OK)
        rc = kairos__buf_json_string(b, m->vt->name);
    if (rc == KAIROS_OK)
        rc = order_member(b, "order", m->has_order, m->order);
    if (rc == KAIROS_OK)
        rc = order_member(b, "seasonal_order", m->has_seasonal_order, m->seasonal_order);
    if (rc == KAIROS_OK)
        rc = key(b, "period");
    if (rc == KAIROS_OK)
        rc = m->period ? kairos__buf_printf(b, "%zu", m->period) : kairos__buf_puts(b, "null");
    if (rc == KAIROS_OK)
        rc = coef_member(b, m);
    if (rc == KAIROS_OK)
        rc = number_member(b, "loglik", m->loglik);
    if (rc == KAIROS_OK)
        rc = number_member(b, "sigma2", m->sigma2);
    if (rc == KAIROS_OK)
        rc = number_member(b, "aic", m->aic);
    if (rc == KAIROS_OK)
        rc = number_member(b, "aicc", m->aicc);
    if (rc == KAIROS_OK)
        rc = number_member(b, "bic", m->bic);
    if (rc == KAIROS_OK)
        rc = key(b, "nobs");
    if (rc == KAIROS_OK)
        rc = kairos__buf_printf(b, "%zu", m->nobs);
    if (rc == KAIROS_OK && m->vt->report_extra)
        rc = m->vt->report_extra(m, b);
    if (rc == KAIROS_OK && m->selection)
        rc = selection_members(b, m->selection);
    return rc ? rc : kairos__buf_puts(b, "}");
}

int kairos_model_report_json(const kairos_model *m, kairos_buf *out)
{
    if (!m || !out)
        return kairos__fail(KAIROS_EINVAL, "kairos_model_report_json: NULL argument");
    /* On failure, take back what this call appended: the caller's text stays as it was. */
    size_t start = out->len;
    int rc = write_report(m, out);
    if (rc && out->data) {
        out->len = start;
        out->data[start] = '\0';
    }
    return rc;
}
