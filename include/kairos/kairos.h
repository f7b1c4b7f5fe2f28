/** @file kairos/kairos.h
 *  @brief Umbrella header: include this to get the whole libkairos API. */
#ifndef KAIROS_KAIROS_H
#define KAIROS_KAIROS_H

#include <kairos/common.h>
#include <kairos/version.h>
#include <kairos/series.h>
#include <kairos/forecast.h>
#include <kairos/eval.h>
#include <kairos/batch.h>
#include <kairos/keda.h>
#include <kairos/plan.h>
#include <kairos/cost.h>

#endif /* KAIROS_KAIROS_H */
