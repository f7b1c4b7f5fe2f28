/* The generated catalog tables (catalog_data.c, built from scalers-schema.json). */
#ifndef KAIROS_KEDA_CATALOG_H
#define KAIROS_KEDA_CATALOG_H
#include <kairos/keda.h>
extern const kairos_keda_scaler kk_catalog[];
extern const size_t kk_catalog_n;
extern const char kk_catalog_keda_version[];
#endif
