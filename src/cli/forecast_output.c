/* `kairos forecast` output: the CSV table and the JSON document of DESIGN.md's contract. */
#include "cli.h"

#include <math.h>

static const char *timestamp_at(const cli_forecast_table *t, size_t step)
{
    return t->timestamps + step * CLI_TIMESTAMP_SIZE;
}

static double column_at(const cli_forecast_table *t, size_t column, size_t step)
{
    return t->columns[column * t->horizon + step];
}


/* ---- CSV ------------------------------------------------------------------------------- */

int cli_write_forecast_csv(FILE *out, const cli_forecast_table *t)
{
    fputs(t->timestamps ? "step,timestamp,mean" : "step,mean", out);
    for (size_t j = 0; j < t->n_columns; j++)
        fprintf(out, ",%s", t->labels[j]);
    fputc('\n', out);
    for (size_t i = 0; i < t->horizon; i++) {
        fprintf(out, "%zu,", i + 1);
        if (t->timestamps)
            fprintf(out, "%s,", timestamp_at(t, i));
        cli_put_number(out, t->mean[i]);
        for (size_t j = 0; j < t->n_columns; j++) {
            fputc(',', out);
            cli_put_number(out, column_at(t, j, i));
        }
        fputc('\n', out);
    }
    return cli_finish_output(out, "the forecast");
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* JSON has no NaN or Inf; the library promises finite forecasts, but a null keeps the
 * document valid should one ever slip through. */
static void put_json_number(FILE *out, double x)
{
    if (!isfinite(x))
        fputs("null", out);
    else
        cli_put_number(out, x);
}

static void put_json_values(FILE *out, const double *x, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", out);
        put_json_number(out, x[i]);
    }
    fputc(']', out);
}

static void put_json_steps(FILE *out, size_t n)
{
    fputc('[', out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, i ? ", %zu" : "%zu", i + 1);
    fputc(']', out);
}

static void put_json_timestamps(FILE *out, const cli_forecast_table *t)
{
    fputc('[', out);
    for (size_t i = 0; i < t->horizon; i++)
        fprintf(out, i ? ", \"%s\"" : "\"%s\"", timestamp_at(t, i));
    fputc(']', out);
}

/* Quantiles nest under "quantiles", keyed by the level ("0.1" from the label "q0.1");
 * interval bounds sit beside "mean" under their own names ("lo80"). */
static void put_json_columns(FILE *out, const cli_forecast_table *t)
{
    if (!t->intervals)
        fputs(",\n    \"quantiles\": {", out);
    for (size_t j = 0; j < t->n_columns; j++) {
        if (t->intervals)
            fprintf(out, ",\n    \"%s\": ", t->labels[j]);
        else
            fprintf(out, "%s\n      \"%s\": ", j ? "," : "", t->labels[j] + 1);
        put_json_values(out, t->columns + j * t->horizon, t->horizon);
    }
    if (!t->intervals)
        fputs(t->n_columns ? "\n    }" : "}", out);
}

int cli_write_forecast_json(FILE *out, const cli_forecast_table *t)
{
    fputs("{\n", out);
    if (t->model_json)
        fprintf(out, "  \"model\": %s,\n", t->model_json);
    fputs("  \"forecast\": {\n    \"step\": ", out);
    put_json_steps(out, t->horizon);
    if (t->timestamps) {
        fputs(",\n    \"timestamp\": ", out);
        put_json_timestamps(out, t);
    }
    fputs(",\n    \"mean\": ", out);
    put_json_values(out, t->mean, t->horizon);
    put_json_columns(out, t);
    fputs("\n  }\n}\n", out);
    return cli_finish_output(out, "the forecast");
}
