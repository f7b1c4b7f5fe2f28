/* The `kairos` program: dispatch to subcommands, --help and --version. Like cmark's CLI it
 * lives beside the library and uses only the public API of the shared libkairos.
 *
 * The program never calls setlocale(): it stays in the "C" locale, so numbers are always
 * read and written with '.' whatever LANG or LC_ALL say. */
#include "cli.h"

#include <string.h>

typedef struct command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
    void (*help)(FILE *out);
} command;

/* Later issues add backtest, keda, lint and run here; the help lists only what this build
 * can do. */
static const command commands[] = {
    { "forecast", "forecast a metric history with quantiles or intervals", cli_forecast_main,
      cli_forecast_help },
    { "plan", "forecast, then plan replicas per step with the risk of a shortfall",
      cli_plan_main, cli_plan_help },
    { "backtest", "score a model on rolling-origin windows of the history (JSON metrics)",
      cli_backtest_main, cli_backtest_help },
    { "cost", "price a replica count or a plan per month", cli_cost_main, cli_cost_help },
    { "keda", "write a KEDA ScaledObject from a plan; 'keda catalog' lists scalers",
      cli_keda_main, cli_keda_help },
    { "lint", "check KEDA manifests against the CRDs, the webhook and best practice",
      cli_lint_main, cli_lint_help },
    { "run", "every workload of a YAML config: files, charts, index.html and a summary",
      cli_run_main, cli_run_help },
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_help(FILE *out)
{
    fprintf(out,
            "Usage: kairos COMMAND [options]\n"
            "\n"
            "Predictive capacity planning from metric history (libkairos %s).\n"
            "\n"
            "Commands:\n",
            kairos_version_string());
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("  help       show this help, or 'kairos help COMMAND' for a command's options\n"
          "\n"
          "Options:\n"
          "  -h, --help     show this help\n"
          "  --version      print the version\n"
          "\n"
          "Exit status: 0 success, 2 usage error, 3 bad input data, 4 model failure.\n"
          "\n"
          "Examples:\n"
          "  kairos forecast examples/data/web-requests.csv --horizon 48 --levels 80,95\n"
          "  kairos plan examples/data/web-requests.csv --horizon 48 \\\n"
          "      --target-per-replica 100 --risk 0.05 > plan.csv\n"
          "  kairos cost --plan plan.csv --cpu 500m --memory 1Gi --current 4\n"
          "  kairos run examples/run/kairos.yaml --out kairos-run\n",
          out);
}

static int unknown_command(const char *name)
{
    return cli_fail(CLI_EXIT_USAGE, "unknown command '%s' (see 'kairos --help')", name);
}

/* `kairos help [COMMAND]` */
static int help_command(int argc, char **argv)
{
    if (argc < 3) {
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    const command *cmd = find_command(argv[2]);
    if (!cmd)
        return unknown_command(argv[2]);
    cmd->help(stdout);
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return cli_fail(CLI_EXIT_USAGE, "no command given (see 'kairos --help')");
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        return help_command(2, argv);
    if (strcmp(name, "help") == 0)
        return help_command(argc, argv);
    if (strcmp(name, "--version") == 0) {
        printf("kairos %s\n", kairos_version_string());
        return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_DATA;
    }
    if (name[0] == '-')
        return cli_fail(CLI_EXIT_USAGE, "unknown option '%s' (see 'kairos --help')", name);
    const command *cmd = find_command(name);
    if (!cmd)
        return unknown_command(name);
    return cmd->run(argc - 1, argv + 1);
}
