/*
 * Helpers shared by the estimator files; not part of the public API.
 */
#ifndef PE_ESTIMATOR_INTERNAL_H
#define PE_ESTIMATOR_INTERNAL_H

#include <stdint.h>

/* 1 when every one of `count` values is finite and in [low, FLT_MAX], or in (low, FLT_MAX] with `open_low`:
 * the common form of the config checks, kept in one loop for code size. NaN fails every comparison. */
int pe_all_at_least(const float *values, uint32_t count, float low, int open_low);

#endif
