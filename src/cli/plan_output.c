/* `kairos plan` output: the CSV schedule of DESIGN.md's contract (which `kairos cost --plan`
 * and `kairos keda --plan` read back) and the JSON document with the plan's totals. */
#include "cli.h"

#include <math.h>

static const char *timestamp_at(const cli_plan_table *t, size_t step)
{
    return t->timestamps + step * CLI_TIMESTAMP_SIZE;
}

/* ---- CSV ------------------------------------------------------------------------------- */

int cli_write_plan_csv(FILE *out, const cli_plan_table *t)
{
    fputs(t->timestamps ? "step,timestamp,demand,replicas,p_shortfall\n"
                        : "step,demand,replicas,p_shortfall\n", out);
    for (size_t i = 0; i < t->horizon; i++) {
        fprintf(out, "%zu,", i + 1);
        if (t->timestamps)
            fprintf(out, "%s,", timestamp_at(t, i));
        cli_put_number(out, t->demand[i]);
        fprintf(out, ",%zu,", t->replicas[i]);
        cli_put_number(out, t->p_shortfall[i]);
        fputc('\n', out);
    }
    return cli_finish_output(out, "the plan");
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* JSON has no NaN or Inf; the planner promises finite values, but a null keeps the
 * document valid should one ever slip through. */
static void put_json_number(FILE *out, double x)
{
    if (isfinite(x))
        cli_put_number(out, x);
    else
        fputs("null", out);
}

static void put_json_values(FILE *out, const char *key, const double *x, size_t n)
{
    fprintf(out, ",\n    \"%s\": [", key);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", out);
        put_json_number(out, x[i]);
    }
    fputc(']', out);
}

static void put_json_counts(FILE *out, const char *key, const size_t *x, size_t n, size_t add)
{
    fprintf(out, "\n    \"%s\": [", key);
    for (size_t i = 0; i < n; i++)
        fprintf(out, i ? ", %zu" : "%zu", (x ? x[i] : i) + add);
    fputc(']', out);
}

static void put_json_member(FILE *out, const char *key, double x, bool last)
{
    fprintf(out, "\n    \"%s\": ", key);
    put_json_number(out, x);
    fputs(last ? "" : ",", out);
}

static void put_json_totals(FILE *out, const cli_plan_table *t)
{
    const kairos_plan_totals *s = t->totals;
    fputs("  \"totals\": {", out);
    put_json_member(out, "replica_hours", s->replica_hours, false);
    put_json_member(out, "hours", s->hours, false);
    fprintf(out, "\n    \"peak_replicas\": %zu,\n    \"peak_step\": %zu,", s->peak_replicas,
            s->peak_step + 1);
    put_json_member(out, "shortfall_replica_minutes", s->shortfall_replica_minutes, false);
    put_json_member(out, "max_p_shortfall", s->max_p_shortfall, false);
    put_json_member(out, "mean_p_shortfall", s->mean_p_shortfall, false);
    fputs("\n    \"planned_on\": ", out);
    if (isnan(s->planned_level)) {
        fputs("\"mean\"", out);
    } else {
        fputs("\"q", out);
        cli_put_number(out, s->planned_level);
        fputc('"', out);
    }
    fprintf(out, ",\n    \"level_extrapolated\": %s,", s->level_extrapolated ? "true" : "false");
    fprintf(out, "\n    \"step_s\": %lld,\n    \"lead_steps\": %zu,"
            "\n    \"stabilization_steps\": %zu\n  }\n",
            (long long)t->step_s, s->lead_steps, s->stabilization_steps);
}

int cli_write_plan_json(FILE *out, const cli_plan_table *t)
{
    fputs("{\n", out);
    if (t->model_json)
        fprintf(out, "  \"model\": %s,\n", t->model_json);
    fputs("  \"plan\": {", out);
    put_json_counts(out, "step", NULL, t->horizon, 1);
    if (t->timestamps) {
        fputs(",\n    \"timestamp\": [", out);
        for (size_t i = 0; i < t->horizon; i++)
            fprintf(out, i ? ", \"%s\"" : "\"%s\"", timestamp_at(t, i));
        fputc(']', out);
    }
    put_json_values(out, "demand", t->demand, t->horizon);
    fputc(',', out);
    put_json_counts(out, "replicas", t->replicas, t->horizon, 0);
    put_json_values(out, "p_shortfall", t->p_shortfall, t->horizon);
    fputs("\n  },\n", out);
    put_json_totals(out, t);
    fputs("}\n", out);
    return cli_finish_output(out, "the plan");
}
