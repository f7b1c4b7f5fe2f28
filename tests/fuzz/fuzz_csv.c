/* Fuzz target: CSV parsing (with several option sets), timestamps, then regularization. */
#include "fuzz.h"

#include <stdlib.h>

static void parse_and_exercise(const uint8_t *data, size_t size, const kairos_csv_opts *o,
                               unsigned variant)
{
    kairos_series *s = NULL;
    if (kairos_series_parse_csv(&s, (const char *)data, size, o) == KAIROS_OK) {
        if (!s)
            abort();
        fuzz_exercise_series(s, variant);
    } else if (s) {
        abort();   /* failure must leave no output behind */
    }
    kairos_series_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const columns[] = { NULL, "2", "value", "1", "cpu", "3" };
    static const char delimiters[] = { 0, ';', '\t', '|', ' ' };
    unsigned variant = size ? data[size - 1] : 0;

    parse_and_exercise(data, size, NULL, variant);
    kairos_csv_opts o = KAIROS_CSV_OPTS_INIT;
    o.column = columns[variant % 6];
    o.delimiter = delimiters[variant / 6 % 5];
    parse_and_exercise(data, size, &o, variant / 30);

    int64_t t;
    (void)kairos_parse_timestamp((const char *)data, size, &t);
    return 0;
}
