/* What `kairos run` writes besides the per-step tables: report.json of each workload, the
 * summary table on stdout and DIR/index.html (self-contained: the charts are inlined, the
 * style is in the page, nothing is fetched). The summary's cells come from one function,
 * so the table, the page and report.json always agree. */
#include "run.h"

#include <math.h>
#include <string.h>

/* ---- text helpers ---------------------------------------------------------------------- */

void run_put_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

void run_put_html(FILE *out, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*p, out);
        }
    }
}

void run_format_money(double x, char *out, size_t size)
{
    if (isfinite(x))
        snprintf(out, size, "%+.2f", round(x * 100) / 100 + 0.0);   /* + 0.0: never "-0" */
    else
        snprintf(out, size, "-");
}

static const char *currency(const run_workload *w)
{
    return w->cost.currency ? w->cost.currency : "USD";
}

/* ---- the summary cells ----------------------------------------------------------------- */

enum { N_CELLS = 6, CELL_SIZE = 96 };
static const char *const headers[N_CELLS] = { "WORKLOAD", "MODEL", "DECISION", "PEAK",
                                              "$/MONTH DELTA", "RISK" };

static void summary_cells(const run_workload *w, const run_result *r,
                          char cells[N_CELLS][CELL_SIZE])
{
    snprintf(cells[0], CELL_SIZE, "%s", w->name);
    if (r->code != CLI_EXIT_OK) {
        snprintf(cells[1], CELL_SIZE, "-");
        snprintf(cells[2], CELL_SIZE, "failed");
        for (int i = 3; i < N_CELLS; i++)
            snprintf(cells[i], CELL_SIZE, "-");
        return;
    }
    char money[32];
    run_format_money(r->cost.delta_vs_current, money, sizeof money);
    snprintf(cells[1], CELL_SIZE, "%s", r->model);
    snprintf(cells[2], CELL_SIZE, "%s", kairos_decision_name(r->decision.decision));
    snprintf(cells[3], CELL_SIZE, "%zu", r->totals.peak_replicas);
    if (isfinite(r->cost.delta_vs_current))
        snprintf(cells[4], CELL_SIZE, "%s %.40s", money, currency(w));
    else
        snprintf(cells[4], CELL_SIZE, "-");
    snprintf(cells[5], CELL_SIZE, "%.1f%%", r->totals.max_p_shortfall * 100 + 0.0);
}

/* Right-aligned: the numbers. */
static bool numeric_column(int i)
{
    return i >= 3;
}

void run_print_summary(FILE *out, const run_config *cfg, const run_result *results)
{
    size_t width[N_CELLS];
    for (int i = 0; i < N_CELLS; i++)
        width[i] = strlen(headers[i]);
    for (size_t k = 0; k < cfg->n; k++) {
        char cells[N_CELLS][CELL_SIZE];
        summary_cells(&cfg->workloads[k], &results[k], cells);
        for (int i = 0; i < N_CELLS; i++)
            width[i] = strlen(cells[i]) > width[i] ? strlen(cells[i]) : width[i];
    }
    for (size_t k = 0; k <= cfg->n; k++) {
        char cells[N_CELLS][CELL_SIZE];
        if (k == 0)
            for (int i = 0; i < N_CELLS; i++)
                snprintf(cells[i], CELL_SIZE, "%s", headers[i]);
        else
            summary_cells(&cfg->workloads[k - 1], &results[k - 1], cells);
        for (int i = 0; i < N_CELLS; i++)
            fprintf(out, numeric_column(i) ? "%s%*s" : "%s%-*s", i ? "  " : "",
                    i == N_CELLS - 1 && !numeric_column(i) ? 0 : (int)width[i], cells[i]);
        fputc('\n', out);
    }
}

/* ---- report.json ----------------------------------------------------------------------- */

static void put_number(FILE *out, double x)
{
    if (isfinite(x))
        cli_put_number(out, x + 0.0);
    else
        fputs("null", out);
}

/* Amounts to a millionth, as `kairos cost` writes them. */
static void put_money(FILE *out, double x)
{
    put_number(out, isfinite(x) ? round(x * 1e6) / 1e6 : x);
}

static void put_member(FILE *out, const char *indent, const char *key, double x, bool last)
{
    fprintf(out, "%s\"%s\": ", indent, key);
    put_number(out, x);
    fputs(last ? "\n" : ",\n", out);
}

static void put_money_member(FILE *out, const char *key, double x, bool last)
{
    fprintf(out, "    \"%s\": ", key);
    put_money(out, x);
    fputs(last ? "\n" : ",\n", out);
}

static void put_source(FILE *out, const run_workload *w)
{
    fputs("  \"source\": ", out);
    if (w->source == RUN_SOURCE_PROMETHEUS) {
        fputs("{\"prometheus\": {\"url\": ", out);
        run_put_json_string(out, w->prometheus.url);
        fputs(", \"query\": ", out);
        run_put_json_string(out, w->prometheus.query);
        fputs("}}", out);
    } else {
        fputs("{\"csv\": ", out);
        run_put_json_string(out, w->csv);
        fputs("}", out);
    }
    fputs(",\n", out);
}

static void put_planned_on(FILE *out, double level)
{
    if (isnan(level)) {
        fputs("\"mean\"", out);
        return;
    }
    fputs("\"q", out);
    cli_put_number(out, level);
    fputc('"', out);
}

static void put_plan(FILE *out, const run_workload *w, const run_result *r)
{
    const kairos_plan_totals *t = &r->totals;
    fputs("  \"plan\": {\n    \"file\": \"plan.csv\",\n", out);
    put_member(out, "    ", "target_per_replica", w->plan.opts.target_per_replica, false);
    put_member(out, "    ", "headroom", w->plan.opts.headroom, false);
    fputs("    \"planned_on\": ", out);
    put_planned_on(out, t->planned_level);
    fprintf(out, ",\n    \"min_replicas\": %zu,\n    \"max_replicas\": %zu,\n"
            "    \"peak_replicas\": %zu,\n    \"peak_step\": %zu,\n",
            w->plan.opts.min_replicas, w->plan.opts.max_replicas, t->peak_replicas,
            t->peak_step + 1);
    put_member(out, "    ", "peak_demand", r->peak_demand, false);
    put_member(out, "    ", "replica_hours", t->replica_hours, false);
    put_member(out, "    ", "max_p_shortfall", t->max_p_shortfall, false);
    put_member(out, "    ", "mean_p_shortfall", t->mean_p_shortfall, false);
    put_member(out, "    ", "shortfall_replica_minutes", t->shortfall_replica_minutes, true);
    fputs("  },\n", out);
}

static void put_cost(FILE *out, const run_workload *w, const run_result *r)
{
    const kairos_cost_report *c = &r->cost;
    fputs("  \"cost\": {\n    \"currency\": ", out);
    run_put_json_string(out, currency(w));
    fputs(",\n", out);
    put_member(out, "    ", "cpu", w->cpu, false);
    put_member(out, "    ", "memory_bytes", w->memory, false);
    put_money_member(out, "replica_hourly", c->replica_hourly, false);
    put_member(out, "    ", "mean_replicas", c->mean_replicas, false);
    put_money_member(out, "plan_month", c->plan_month, false);
    put_money_member(out, "peak_month", c->peak_month, false);
    if (w->plan.opts.current_replicas)
        fprintf(out, "    \"current_replicas\": %zu,\n", w->plan.opts.current_replicas);
    else
        fputs("    \"current_replicas\": null,\n", out);
    put_money_member(out, "current_month", c->current_month, false);
    put_money_member(out, "delta_vs_current", c->delta_vs_current, false);
    put_money_member(out, "savings_vs_peak", c->savings_vs_peak, true);
    fputs("  },\n", out);
}

static void put_decision(FILE *out, const run_result *r)
{
    fputs("  \"decision\": {\n    \"decision\": ", out);
    run_put_json_string(out, kairos_decision_name(r->decision.decision));
    fputs(",\n    \"rule\": ", out);
    run_put_json_string(out, r->decision.rule);
    fprintf(out, ",\n    \"target_replicas\": %zu,\n    \"rationale\": ",
            r->decision.target_replicas);
    run_put_json_string(out, r->rationale.data);
    fputs("\n  },\n", out);
}

static void put_keda(FILE *out, const run_workload *w, const run_result *r)
{
    static const char *const modes[] = { "cron", "external", "prometheus", "cpu", "memory" };
    fputs("  \"keda\": {\n    \"file\": \"scaledobject.yaml\",\n    \"mode\": ", out);
    run_put_json_string(out, modes[w->so.mode]);
    fprintf(out, ",\n    \"peak_replicas\": %d,\n    \"max_replicas\": %d,\n",
            (int)r->keda.peak_replicas, (int)r->keda.max_replicas);
    if (w->so.mode == KAIROS_KEDA_MODE_CRON) {
        fprintf(out, "    \"windows\": %zu,\n    \"timezone\": ", r->keda.n_windows);
        run_put_json_string(out, r->keda.timezone);
        fputs(",\n", out);
        put_member(out, "    ", "extra_replica_hours", r->keda.extra_replica_hours, false);
    } else if (w->so.mode != KAIROS_KEDA_MODE_EXTERNAL) {
        put_member(out, "    ", "threshold", r->keda.threshold, false);
    }
    fprintf(out, "    \"lint\": {\"errors\": %zu, \"warnings\": %zu}\n  },\n", r->lint_errors,
            r->lint_warnings);
}

/* The row of the summary table, as numbers. */
static void put_summary(FILE *out, const run_result *r)
{
    fputs("  \"summary\": {\n    \"model\": ", out);
    run_put_json_string(out, r->model);
    fputs(",\n    \"decision\": ", out);
    run_put_json_string(out, kairos_decision_name(r->decision.decision));
    fprintf(out, ",\n    \"peak_replicas\": %zu,\n", r->totals.peak_replicas);
    put_money_member(out, "cost_delta_month", r->cost.delta_vs_current, false);
    put_member(out, "    ", "risk", r->totals.max_p_shortfall, true);
    fputs("  }\n", out);
}

static void put_identity(FILE *out, const run_workload *w, const run_result *r)
{
    fputs("{\n  \"workload\": ", out);
    run_put_json_string(out, w->name);
    fputs(",\n  \"namespace\": ", out);
    if (w->ns)
        run_put_json_string(out, w->ns);
    else
        fputs("null", out);
    fputs(",\n  \"kind\": ", out);
    run_put_json_string(out, w->kind);
    fprintf(out, ",\n  \"status\": \"%s\",\n", r->code ? "failed" : "ok");
    put_source(out, w);
}

int run_write_report_json(FILE *out, const run_workload *w, const run_result *r)
{
    put_identity(out, w, r);
    if (r->code != CLI_EXIT_OK) {
        fprintf(out, "  \"exit_code\": %d,\n  \"error\": ", r->code);
        run_put_json_string(out, r->error);
        fputs("\n}\n", out);
        return cli_finish_output(out, "report.json");
    }
    fprintf(out, "  \"model\": %s,\n", r->model_json.data ? r->model_json.data : "null");
    fprintf(out, "  \"forecast\": {\n    \"file\": \"forecast.csv\",\n    \"horizon\": %zu,\n"
            "    \"step_s\": %lld,\n    \"first\": \"%s\",\n    \"last\": \"%s\"\n  },\n",
            r->horizon, (long long)r->step_s, r->first, r->last);
    put_plan(out, w, r);
    put_cost(out, w, r);
    put_decision(out, r);
    put_keda(out, w, r);
    fputs("  \"chart\": \"chart.svg\",\n", out);
    put_summary(out, r);
    fputs("}\n", out);
    return cli_finish_output(out, "report.json");
}

/* ---- index.html ------------------------------------------------------------------------ */

static const char page_style[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#222;"
    "background:#f4f5f7;margin:0;padding:24px}\n"
    "main{max-width:1000px;margin:0 auto}\n"
    "h1{font-size:26px;margin:0 0 4px}\n"
    "h2{font-size:19px;margin:0 0 8px}\n"
    ".meta{color:#555;margin:0 0 18px}\n"
    "table{border-collapse:collapse;width:100%;background:#fff;margin:0 0 28px;"
    "border:1px solid #ddd}\n"
    "th,td{padding:7px 12px;border-bottom:1px solid #e3e3e3;text-align:left;font-size:14px}\n"
    "th{background:#eef0f3}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:16px 20px;"
    "margin:0 0 24px}\n"
    "section svg{width:100%;height:auto;display:block}\n"
    ".failed{color:#b00020;font-weight:bold}\n"
    ".rationale{line-height:1.5;font-size:14px}\n"
    ".files{font-size:13px;color:#555}\n"
    ".files a{margin-right:14px}\n";

static void html_summary_row(FILE *out, const run_workload *w, const run_result *r)
{
    char cells[N_CELLS][CELL_SIZE];
    summary_cells(w, r, cells);
    fputs("<tr>", out);
    for (int i = 0; i < N_CELLS; i++) {
        fprintf(out, "<td%s>", numeric_column(i) ? " class=\"num\""
                             : (i == 2 && r->code) ? " class=\"failed\"" : "");
        if (i == 0)
            fprintf(out, "<a href=\"#w-%s\">", w->name);
        run_put_html(out, cells[i]);
        fputs(i == 0 ? "</a></td>" : "</td>", out);
    }
    fputs("</tr>\n", out);
}

static void html_summary(FILE *out, const run_config *cfg, const run_result *results)
{
    fputs("<table>\n<thead><tr><th>workload</th><th>model</th><th>decision</th>"
          "<th class=\"num\">peak replicas</th><th class=\"num\">$/month delta</th>"
          "<th class=\"num\">risk (max per step)</th></tr></thead>\n<tbody>\n", out);
    for (size_t k = 0; k < cfg->n; k++)
        html_summary_row(out, &cfg->workloads[k], &results[k]);
    fputs("</tbody>\n</table>\n", out);
}

/* The chart inline, without its XML declaration (which HTML does not allow there). */
static void html_chart(FILE *out, const run_result *r)
{
    const char *svg = r->svg;
    size_t len = r->svg_len;
    if (len > 5 && !strncmp(svg, "<?xml", 5)) {
        const char *nl = memchr(svg, '\n', len);
        if (nl) {
            len -= (size_t)(nl + 1 - svg);
            svg = nl + 1;
        }
    }
    fwrite(svg, 1, len, out);
}

static void html_section(FILE *out, const run_workload *w, const run_result *r)
{
    fprintf(out, "<section id=\"w-%s\">\n<h2>", w->name);
    run_put_html(out, w->name);
    fputs("</h2>\n", out);
    if (r->code != CLI_EXIT_OK) {
        fprintf(out, "<p class=\"failed\">failed (exit %d): ", r->code);
        run_put_html(out, r->error);
        fprintf(out, "</p>\n<p class=\"files\"><a href=\"%s/report.json\">report.json</a>"
                "</p>\n</section>\n", w->name);
        return;
    }
    html_chart(out, r);
    fputs("<p class=\"rationale\">", out);
    run_put_html(out, r->rationale.data);
    fputs("</p>\n<p class=\"files\">", out);
    static const char *const files[] = { "forecast.csv", "plan.csv", "scaledobject.yaml",
                                         "chart.svg", "report.json" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        fprintf(out, "<a href=\"%s/%s\">%s</a>", w->name, files[i], files[i]);
    fputs("</p>\n</section>\n", out);
}

int run_write_index(const char *path, const run_config *cfg, const run_result *results)
{
    FILE *out = fopen(path, "wb");
    if (!out)
        return cli_fail(CLI_EXIT_DATA, "cannot write %s", path);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>kairos run: ", out);
    run_put_html(out, cfg->path);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n"
            "<h1>Capacity plan</h1>\n<p class=\"meta\">", page_style);
    run_put_html(out, cfg->path);
    fprintf(out, " \xc2\xb7 %zu workload%s \xc2\xb7 kairos %s</p>\n", cfg->n,
            cfg->n == 1 ? "" : "s", kairos_version_string());
    html_summary(out, cfg, results);
    for (size_t k = 0; k < cfg->n; k++)
        html_section(out, &cfg->workloads[k], &results[k]);
    fputs("</main>\n</body>\n</html>\n", out);
    int code = cli_finish_output(out, path);
    if (fclose(out) != 0 && code == CLI_EXIT_OK)
        code = cli_fail(CLI_EXIT_DATA, "cannot write %s", path);
    return code;
}
