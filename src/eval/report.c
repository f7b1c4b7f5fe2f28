/* kairos_backtest_result_json: a backtest's per-window and aggregate metrics as one JSON
 * object (layout in kairos/eval.h and docs/evaluation.md). */
#include "eval_internal.h"

#include <math.h>

/* `"key":` preceded by a comma unless @p first. */
static int key(kairos_buf *b, const char *k, bool first)
{
    int rc = first ? KAIROS_OK : kairos__buf_puts(b, ",");
    if (rc == KAIROS_OK)
        rc = kairos__buf_json_string(b, k);
    return rc ? rc : kairos__buf_puts(b, ":");
}

static int number(kairos_buf *b, const char *k, double x)
{
    int rc = key(b, k, false);
    return rc ? rc : kairos__buf_json_number(b, x);
}

static int count(kairos_buf *b, const char *k, size_t n, bool first)
{
    int rc = key(b, k, first);
    return rc ? rc : kairos__buf_printf(b, "%zu", n);
}

static int number_list(kairos_buf *b, const char *k, const double *x, size_t n)
{
    int rc = key(b, k, false);
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(b, "[");
    for (size_t i = 0; rc == KAIROS_OK && i < n; i++) {
        if (i)
            rc = kairos__buf_puts(b, ",");
        if (rc == KAIROS_OK)
            rc = kairos__buf_json_number(b, x[i]);
    }
    return rc ? rc : kairos__buf_puts(b, "]");
}

/* `"k":{"<level>":value,...}` — levels spelled as the shortest number that reads back. */
static int keyed_by_level(kairos_buf *b, const char *k, const double *levels,
                          const double *values, size_t n)
{
    int rc = key(b, k, false);
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(b, "{");
    for (size_t i = 0; rc == KAIROS_OK && i < n; i++) {
        char name[40];
        kairos__format_double(levels[i], name, sizeof name);
        rc = key(b, name, i == 0);
        if (rc == KAIROS_OK)
            rc = kairos__buf_json_number(b, values[i]);
    }
    return rc ? rc : kairos__buf_puts(b, "}");
}

/* The members every metrics object has, after "n". */
static int metric_members(kairos_buf *b, const kairos_backtest_result *r,
                          const kairos_metrics *m, const double *pinball,
                          const double *coverage)
{
    int rc = number(b, "mae", m->mae);
    if (rc == KAIROS_OK)
        rc = number(b, "rmse", m->rmse);
    if (rc == KAIROS_OK)
        rc = number(b, "mape", m->mape);
    if (rc == KAIROS_OK)
        rc = number(b, "smape", m->smape);
    if (rc == KAIROS_OK)
        rc = number(b, "mase", m->mase);
    if (rc == KAIROS_OK)
        rc = number(b, "msis", m->msis);
    if (rc == KAIROS_OK)
        rc = keyed_by_level(b, "pinball", r->quantiles, pinball, r->n_quantiles);
    if (rc == KAIROS_OK)
        rc = keyed_by_level(b, "coverage", r->levels, coverage, r->n_levels);
    return rc;
}

static int start_time(kairos_buf *b, const kairos_backtest_window *w, bool timed)
{
    int rc = key(b, "start", false);
    if (rc || !timed)
        return rc ? rc : kairos__buf_puts(b, "null");
    char text[32];
    if (kairos_format_timestamp(w->start_time, text, sizeof text) != KAIROS_OK)
        return kairos__buf_printf(b, "%lld", (long long)w->start_time);
    return kairos__buf_json_string(b, text);
}

static int window_object(kairos_buf *b, const kairos_backtest_result *r, size_t k, bool timed)
{
    const kairos_backtest_window *w = &r->windows[k];
    int rc = kairos__buf_puts(b, k ? ",{" : "{");
    if (rc == KAIROS_OK)
        rc = count(b, "window", k + 1, true);
    if (rc == KAIROS_OK)
        rc = count(b, "origin", w->origin, false);
    if (rc == KAIROS_OK)
        rc = start_time(b, w, timed);
    if (rc == KAIROS_OK)
        rc = key(b, "model", false);
    if (rc == KAIROS_OK)
        rc = kairos__buf_json_string(b, w->model);
    if (rc == KAIROS_OK)
        rc = key(b, "period", false);
    if (rc == KAIROS_OK)
        rc = w->period ? kairos__buf_printf(b, "%zu", w->period) : kairos__buf_puts(b, "null");
    if (rc == KAIROS_OK)
        rc = number(b, "scale", w->scale);
    if (rc == KAIROS_OK)
        rc = count(b, "n", w->metrics.n, false);
    if (rc == KAIROS_OK)
        rc = metric_members(b, r, &w->metrics, w->pinball, w->coverage);
    return rc ? rc : kairos__buf_puts(b, "}");
}

static int write_result(kairos_buf *b, const kairos_backtest_result *r, bool timed)
{
    int rc = kairos__buf_puts(b, "{");
    if (rc == KAIROS_OK)
        rc = count(b, "horizon", r->horizon, true);
    if (rc == KAIROS_OK)
        rc = count(b, "windows", r->n_windows, false);
    if (rc == KAIROS_OK)
        rc = count(b, "step", r->step, false);
    if (rc == KAIROS_OK)
        rc = count(b, "season", r->season, false);
    if (rc == KAIROS_OK)
        rc = number(b, "msis_level", r->msis_level);
    if (rc == KAIROS_OK)
        rc = number_list(b, "quantiles", r->quantiles, r->n_quantiles);
    if (rc == KAIROS_OK)
        rc = number_list(b, "levels", r->levels, r->n_levels);
    if (rc == KAIROS_OK)
        rc = key(b, "per_window", false);
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(b, "[");
    for (size_t k = 0; rc == KAIROS_OK && k < r->n_windows; k++)
        rc = window_object(b, r, k, timed);
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(b, "]");
    if (rc == KAIROS_OK)
        rc = key(b, "aggregate", false);
    if (rc == KAIROS_OK)
        rc = kairos__buf_puts(b, "{");
    if (rc == KAIROS_OK)
        rc = count(b, "n", r->overall.n, true);
    if (rc == KAIROS_OK)
        rc = metric_members(b, r, &r->overall, r->pinball, r->coverage);
    return rc ? rc : kairos__buf_puts(b, "}}");
}

int kairos_backtest_result_json(const kairos_backtest_result *result, kairos_buf *out)
{
    if (!result || !out)
        return kairos__fail(KAIROS_EINVAL, "kairos_backtest_result_json: NULL argument");
    if (!result->internal)
        return kairos__fail(KAIROS_EINVAL, "kairos_backtest_result_json: the result is empty "
                                           "(no successful kairos_backtest() filled it)");
    size_t start = out->len;
    int rc = write_result(out, result, result->timed != 0);
    if (rc && out->data) {
        out->len = start;
        out->data[start] = '\0';
    }
    return rc;
}
