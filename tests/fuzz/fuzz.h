/* Shared by the fuzz targets and the corpus replayer. */
#ifndef KAIROS_FUZZ_H
#define KAIROS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <kairos/series.h>

/* The libFuzzer entry point each target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Validate, format and (when the grid stays small) regularize a parsed series, checking the
 * invariants regularization promises; aborts on a broken one so the fuzzer reports it.
 * @p variant picks the aggregation and the fill. */
void fuzz_exercise_series(const kairos_series *s, unsigned variant);

#endif
