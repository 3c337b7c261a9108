/*
 * Private helpers shared by pe_safety.c and pe_safety_limits.c (not part of the public headers).
 */
#ifndef PE_SAFETY_INTERNAL_H
#define PE_SAFETY_INTERNAL_H

#include "pe_safety.h"

/** Whether a check trips above its thresholds (over-voltage, over-currents, over-temperature, SoC high). */
int pe_safety_check_is_over(uint32_t check);

/**
 * Taper for an "over" check: 1 up to the warning threshold, falling linearly to 0 at the fault
 * threshold (0 beyond it). With warning == fault it is a step at that threshold.
 */
float pe_safety_taper_over(const pe_safety_limit_t *limit, float value);

/** Taper for an "under" check: 1 down to the warning threshold, 0 at and below the fault threshold. */
float pe_safety_taper_under(const pe_safety_limit_t *limit, float value);

#endif /* PE_SAFETY_INTERNAL_H */
