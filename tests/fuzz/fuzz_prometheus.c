/* Fuzz target: Prometheus query_range parsing, then every series through regularization. */
#include "fuzz.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kairos_series_list *list = NULL;
    if (kairos_series_parse_prometheus(&list, (const char *)data, size) != KAIROS_OK) {
        if (list)
            abort();   /* failure must leave no output behind */
        return 0;
    }
    size_t count = kairos_series_list_count(list);
    for (size_t i = 0; i < count; i++) {
        const kairos_series *s = kairos_series_list_get(list, i);
        if (!s)
            abort();
        fuzz_exercise_series(s, (unsigned)(size + i));
    }
    if (kairos_series_list_get(list, count))
        abort();
    kairos_series_list_free(list);
    return 0;
}
