/* `kairos run CONFIG.yaml [--out DIR] [--jobs N]`: every workload of a configuration —
 * forecast, plan, cost, decision, ScaledObject and chart — on N threads, then DIR/index.html
 * and a summary table on stdout (contract: DESIGN.md; guide: docs/run.md).
 *
 * Workloads are independent: each thread takes the next one, writes its own directory and
 * fills its own slot of the results, and everything shared is printed afterwards in the
 * config's order, so the output never depends on --jobs or on scheduling. */
#include "run.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_JOBS ((size_t)256)

typedef struct run_command {
    const char *config_path;
    const char *out_dir;
    size_t jobs;                /* 0 = one per processor */
    bool help;
} run_command;

/* ---- options --------------------------------------------------------------------------- */

static int parse_args(run_command *cmd, int argc, char **argv)
{
    cli_args a;
    cli_args_start(&a, argc, argv, 1);
    const char *pos = NULL, *value = NULL;
    for (enum cli_arg_kind k; (k = cli_args_next(&a, &pos)) != CLI_ARG_END;) {
        int code = CLI_EXIT_OK;
        if (k == CLI_ARG_POSITIONAL) {
            if (cmd->config_path)
                return cli_fail(CLI_EXIT_USAGE, "run takes one CONFIG, got '%s' and '%s'",
                                cmd->config_path, pos);
            cmd->config_path = pos;
        } else if (!strcmp(a.name, "--out")) {
            code = cli_args_value(&a, &value);
            if (code == CLI_EXIT_OK && !*value)
                code = cli_fail(CLI_EXIT_USAGE, "--out: the directory name is empty");
            cmd->out_dir = value;
        } else if (!strcmp(a.name, "--jobs")) {
            code = cli_args_value(&a, &value);
            if (code == CLI_EXIT_OK)
                code = cli_parse_size("--jobs", value, 1, MAX_JOBS, &cmd->jobs);
        } else if (!strcmp(a.name, "--help") || !strcmp(a.name, "-h")) {
            cmd->help = true;
            return cli_args_flag(&a);
        } else {
            return cli_fail(CLI_EXIT_USAGE, "unknown option '%s' (see 'kairos run --help')",
                            a.name);
        }
        if (code != CLI_EXIT_OK)
            return code;
    }
    if (!cmd->config_path)
        return cli_fail(CLI_EXIT_USAGE, "no CONFIG given (usage: kairos run CONFIG.yaml "
                        "[--out DIR] [--jobs N])");
    return CLI_EXIT_OK;
}

/* mkdir -p: the report may go into a directory that does not exist yet. */
static int make_directories(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return cli_fail(CLI_EXIT_USAGE, "--out: the path is too long");
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return cli_fail(CLI_EXIT_DATA, "cannot create %s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return cli_fail(CLI_EXIT_DATA, "cannot create %s: %s", buf, strerror(errno));
    struct stat st;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
        return cli_fail(CLI_EXIT_DATA, "%s is not a directory", buf);
    return CLI_EXIT_OK;
}

/* ---- the workers ----------------------------------------------------------------------- */

typedef struct run_queue {
    const run_config *cfg;
    const char *out_dir;
    run_result *results;
    pthread_mutex_t lock;
    size_t next, done;
    bool progress;              /* stderr is a terminal */
} run_queue;

static void report_progress(run_queue *q, size_t k)
{
    const run_result *r = &q->results[k];
    q->done++;
    if (!q->progress)
        return;
    fprintf(stderr, "kairos: [%zu/%zu] %s: %s\n", q->done, q->cfg->n,
            q->cfg->workloads[k].name, r->code ? "failed" : "done");
    fflush(stderr);
}

static void *worker(void *arg)
{
    run_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t k = q->next < q->cfg->n ? q->next++ : SIZE_MAX;
        pthread_mutex_unlock(&q->lock);
        if (k == SIZE_MAX)
            return NULL;
        run_workload_execute(&q->cfg->workloads[k], q->out_dir, &q->results[k]);
        pthread_mutex_lock(&q->lock);
        report_progress(q, k);
        pthread_mutex_unlock(&q->lock);
    }
}

static size_t default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

/* Runs every workload; a thread that cannot start leaves its share to the others (and with
 * none started, the calling thread does the work). */
static void run_all(run_queue *q, size_t jobs)
{
    pthread_t threads[MAX_JOBS];
    size_t started = 0;
    if (jobs > q->cfg->n)
        jobs = q->cfg->n;
    for (size_t i = 0; jobs > 1 && i < jobs; i++)
        if (pthread_create(&threads[started], NULL, worker, q) == 0)
            started++;
    if (started == 0)
        worker(q);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
}

static bool any_prometheus(const run_config *cfg)
{
    for (size_t i = 0; i < cfg->n; i++)
        if (cfg->workloads[i].source == RUN_SOURCE_PROMETHEUS)
            return true;
    return false;
}

/* ---- results --------------------------------------------------------------------------- */

/* One stderr line per failed workload, in the config's order; the exit code is the highest
 * of theirs (2 a workload's options, 3 its data, 4 its model). */
static int report_failures(const run_config *cfg, const run_result *results)
{
    int code = CLI_EXIT_OK;
    for (size_t k = 0; k < cfg->n; k++) {
        if (results[k].code == CLI_EXIT_OK)
            continue;
        cli_fail(results[k].code, "workload '%s': %s", cfg->workloads[k].name,
                 results[k].error[0] ? results[k].error : "failed");
        code = results[k].code > code ? results[k].code : code;
    }
    return code;
}

static int finish(const run_command *cmd, const run_config *cfg, const run_result *results)
{
    char index[4096];
    snprintf(index, sizeof index, "%s/index.html", cmd->out_dir);
    int index_code = run_write_index(index, cfg, results);
    size_t failed = 0;
    for (size_t k = 0; k < cfg->n; k++)
        failed += results[k].code != CLI_EXIT_OK;
    run_print_summary(stdout, cfg, results);
    printf("\n%zu workload%s: %zu ok, %zu failed. Report: %s\n", cfg->n,
           cfg->n == 1 ? "" : "s", cfg->n - failed, failed, index);
    int code = cli_finish_output(stdout, "the summary");
    int failures = report_failures(cfg, results);
    if (code == CLI_EXIT_OK)
        code = index_code;
    return failures > code ? failures : code;
}

static int run_config_file(const run_command *cmd)
{
    run_config cfg;
    int code = run_config_load(&cfg, cmd->config_path);
    if (code == CLI_EXIT_OK)
        code = make_directories(cmd->out_dir);
    run_result *results = code == CLI_EXIT_OK ? calloc(cfg.n, sizeof *results) : NULL;
    if (code == CLI_EXIT_OK && !results)
        code = cli_fail(CLI_EXIT_MODEL, "out of memory for %zu workloads", cfg.n);
    if (code == CLI_EXIT_OK) {
        run_queue q = { &cfg, cmd->out_dir, results, PTHREAD_MUTEX_INITIALIZER, 0, 0,
                        isatty(STDERR_FILENO) != 0 };
        bool fetch = any_prometheus(&cfg);
        if (fetch)
            run_fetch_global_init();   /* not thread-safe: before any worker starts */
        run_all(&q, cmd->jobs ? cmd->jobs : default_jobs());
        if (fetch)
            run_fetch_global_cleanup();
        pthread_mutex_destroy(&q.lock);
        code = finish(cmd, &cfg, results);
    }
    for (size_t k = 0; results && k < cfg.n; k++)
        run_result_free(&results[k]);
    free(results);
    run_config_free(&cfg);
    return code;
}

int cli_run_main(int argc, char **argv)
{
    run_command cmd = { NULL, "kairos-run", 0, false };
    int code = parse_args(&cmd, argc, argv);
    if (code == CLI_EXIT_OK && cmd.help) {
        cli_run_help(stdout);
        return CLI_EXIT_OK;
    }
    return code == CLI_EXIT_OK ? run_config_file(&cmd) : code;
}

void cli_run_help(FILE *out)
{
    fputs(
"Usage: kairos run CONFIG.yaml [--out DIR] [--jobs N]\n"
"\n"
"Run every workload of a configuration: read its history (a CSV file, or a Prometheus\n"
"range query), forecast it, plan replicas, price the plan, decide what to do (with a\n"
"rationale) and write a KEDA ScaledObject. Each workload gets DIR/<name>/ with\n"
"forecast.csv, plan.csv, report.json, scaledobject.yaml and chart.svg; DIR/index.html\n"
"shows every chart and the summary, which is also printed on stdout:\n"
"  WORKLOAD  MODEL  DECISION  PEAK  $/MONTH DELTA  RISK\n"
"\n"
"Options:\n"
"  --out DIR     where to write (default: kairos-run); created if missing\n"
"  --jobs N      workloads run in parallel (default: one per processor); the files are\n"
"                the same for any N\n"
"  -h, --help    show this help\n"
"\n"
"CONFIG (YAML; every key is in docs/run.md):\n"
"  defaults:            any workload key except name, applied to every workload\n"
"  workloads:\n"
"    - name: web        DNS-1123 label; also the directory name\n"
"      namespace: shop  kind: Deployment\n"
"      source: data/web.csv     (relative to CONFIG) or\n"
"      source: {prometheus: {url: http://prom:9090, query: 'sum(rate(x[5m]))',\n"
"                            step: 5m, window: 14d}}\n"
"      step: 1h  season: [24, 168]  model: auto  horizon: 48  quantiles: [0.1, 0.9]\n"
"      plan: {target_per_replica: 100, headroom: 1.2, risk: 0.05, min: 2, max: 40,\n"
"             max_up_factor: 2, max_down: 0.5, stabilization: 15m, lead_time: 10m}\n"
"      cost: {cpu: 500m, memory: 1Gi, cpu_price: 0.04, memory_price: 0.005}\n"
"      current: {replicas: 6, cpu_limit: 1, memory_limit: 2Gi}\n"
"      signals: {cpu_p95: 350m, memory_peak: 900Mi, confidence: 0.9}\n"
"      keda: {mode: cron, timezone: UTC, max_windows: 24}\n"
"  Unknown keys are errors naming the key and its line.\n"
"\n"
"Progress goes to stderr when it is a terminal. A failing workload does not stop the\n"
"others: it shows as 'failed' in the summary, its report.json says why, and stderr gets\n"
"one line for it.\n"
"\n"
"Exit status: 0 every workload succeeded; 2 the configuration is wrong (nothing is run);\n"
"3 the configuration cannot be read or DIR cannot be written; otherwise the highest\n"
"exit code of the failed workloads (2 options the library rejects, 3 bad data, 4 model\n"
"failure).\n"
"\n"
"Example:\n"
"  kairos run examples/run/kairos.yaml --out report --jobs 4\n",
          out);
}
