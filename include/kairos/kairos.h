/** @file kairos/kairos.h
 *  @brief Umbrella header: include this to get the whole libkairos API. */
#ifndef KAIROS_KAIROS_H
#define KAIROS_KAIROS_H

#include <kairos/common.h>
#include <kairos/version.h>
#include <kairos/series.h>
#include <kairos/forecast.h>

#endif /* KAIROS_KAIROS_H */
