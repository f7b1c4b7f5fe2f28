/* Fuzz target: the KEDA manifest parser and linter, then both output formats. Checks the
 * promises of the API: failure leaves no handle, every finding is complete, counts agree. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>
#include <kairos/keda.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kairos_keda_lint *lint = (kairos_keda_lint *)(uintptr_t)1;
    int rc = kairos_keda_lint_text((const char *)data, size, &lint);
    if (rc != KAIROS_OK) {
        if (lint)
            abort(); /* a failure must leave no output behind */
        return 0;
    }
    size_t n = kairos_keda_lint_count(lint), errors = 0;
    for (size_t i = 0; i < n; i++) {
        const kairos_keda_finding *f = kairos_keda_lint_get(lint, i);
        if (!f || !f->rule || !f->path || !f->message || !f->hint || !f->kind || !f->name)
            abort();
        if (f->severity != KAIROS_KEDA_INFO && f->severity != KAIROS_KEDA_WARNING &&
            f->severity != KAIROS_KEDA_ERROR)
            abort();
        errors += f->severity == KAIROS_KEDA_ERROR;
    }
    if (kairos_keda_lint_get(lint, n) || errors != kairos_keda_lint_errors(lint))
        abort();
    for (int fmt = 0; fmt < 2; fmt++) {
        kairos_buf out = KAIROS_BUF_INIT;
        if (kairos_keda_lint_format(lint, (kairos_keda_format)fmt, &out) == KAIROS_OK && n &&
            (!out.data || strlen(out.data) != out.len))
            abort();
        kairos_buf_dispose(&out);
    }
    kairos_keda_lint_free(lint);
    return 0;
}
