/* `kairos lint MANIFEST.yaml [--format text|json]`: KEDA best-practice and admission checks.
 * Exit 1 when any finding is an error (contract: DESIGN.md). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_lint_help(FILE *out)
{
    fputs("Usage: kairos lint MANIFEST.yaml... [--format text|json]\n"
          "\n"
          "Check ScaledObject, ScaledJob, TriggerAuthentication, ClusterTriggerAuthentication\n"
          "and HTTPScaledObject manifests (several documents per file; '-' is standard input)\n"
          "against KEDA's CRD schemas, what its admission webhook rejects, and best practice.\n"
          "Each finding has a rule id, a severity, a path such as\n"
          "spec.triggers[1].metadata.threshold, and a fix hint (docs/keda.md lists the rules).\n"
          "\n"
          "Options:\n"
          "  --format text|json   default text\n"
          "  --rules              list the rules and exit\n"
          "\n"
          "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error,\n"
          "3 unreadable or malformed YAML.\n",
          out);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    for (size_t got = 1; buf && got;) {
        if (cap - n < 2) {
            char *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
    }
    int failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (buf && failed) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static int list_rules(void)
{
    static const char *const sev[] = {"info", "warning", "error"};
    for (size_t i = 0; i < kairos_keda_rule_count(); i++) {
        const kairos_keda_rule *r = kairos_keda_rule_get(i);
        printf("%-36s %-8s %s\n", r->id, sev[r->severity], r->summary);
    }
    return cli_finish_output(stdout, "the rules");
}

/* Lint one file; *errors grows by its error count. */
static int lint_one(const char *path, kairos_keda_format format, size_t *errors)
{
    size_t len;
    char *text = slurp(path, &len);
    const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
    if (!text)
        return cli_fail(CLI_EXIT_DATA, "%s: cannot read the file", name);
    kairos_keda_lint *lint = NULL;
    int status = kairos_keda_lint_text(text, len, &lint);
    free(text);
    if (status)
        return cli_fail_status(status, name);
    kairos_buf out = KAIROS_BUF_INIT;
    if (format == KAIROS_KEDA_FORMAT_TEXT && kairos_keda_lint_count(lint))
        printf("%s:\n", name);
    status = kairos_keda_lint_format(lint, format, &out);
    if (status == KAIROS_OK && out.len)
        fwrite(out.data, 1, out.len, stdout);
    *errors += kairos_keda_lint_errors(lint);
    kairos_buf_dispose(&out);
    kairos_keda_lint_free(lint);
    return status ? cli_fail_status(status, name) : CLI_EXIT_OK;
}

int cli_lint_main(int argc, char **argv)
{
    cli_args a;
    cli_args_start(&a, argc, argv, 1);
    const char *pos, *value, *files[256];
    size_t n_files = 0;
    kairos_keda_format format = KAIROS_KEDA_FORMAT_TEXT;
    for (enum cli_arg_kind k; (k = cli_args_next(&a, &pos)) != CLI_ARG_END;) {
        if (k == CLI_ARG_POSITIONAL) {
            if (n_files == sizeof files / sizeof files[0])
                return cli_fail(CLI_EXIT_USAGE, "lint: at most 256 files at once");
            files[n_files++] = pos;
        } else if (!strcmp(a.name, "--format")) {
            static const char *const formats[] = {"text", "json", NULL};
            size_t i;
            int code = cli_args_value(&a, &value);
            if (!code)
                code = cli_parse_choice("--format", value, formats, &i);
            if (code)
                return code;
            format = (kairos_keda_format)i;
        } else if (!strcmp(a.name, "--rules")) {
            return list_rules();
        } else if (!strcmp(a.name, "--help")) {
            cli_lint_help(stdout);
            return CLI_EXIT_OK;
        } else {
            return cli_fail(CLI_EXIT_USAGE, "lint: unknown option %s (see 'kairos help lint')",
                            a.name);
        }
    }
    if (!n_files)
        return cli_fail(CLI_EXIT_USAGE, "lint: give a MANIFEST.yaml ('-' for standard input)");
    size_t errors = 0;
    for (size_t i = 0; i < n_files; i++) {
        int code = lint_one(files[i], format, &errors);
        if (code)
            return code;
    }
    int code = cli_finish_output(stdout, "the findings");
    return code ? code : errors ? CLI_EXIT_LINT : CLI_EXIT_OK;
}
