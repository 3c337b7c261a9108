/* Safety limits of a pack, as the .pbp SAFETY_LIMITS section carries them (docs/policy-format.md).
 *
 * Each limit has a warning and a fault threshold, each with a debounce count: the number of consecutive
 * samples beyond the threshold before the monitor raises the flag, as in foxBMS 2's diagnosis module
 * (https://docs.foxbms.org, "Diagnosis" and "Safety and Reliability": MSL/RSL/MOL levels with debounce
 * counters). Units: cell voltage [V], current magnitude [A] (current is positive on discharge, as in
 * PyBaMM; the charge limit bounds -I), temperature [degC], state of charge as a fraction in [0, 1].
 */
#ifndef PE_LIMITS_H
#define PE_LIMITS_H

#include <stdint.h>

/** Number of limit records in the section, in the order of pe_limit_index_t. */
#define PE_LIMIT_COUNT 8u
/** Most points of the temperature derating table. */
#define PE_DERATING_MAX 8u

/** Which limit a record is; "upper" limits trip above the threshold, "lower" ones below it. */
typedef enum pe_limit_index {
    PE_LIMIT_CELL_OVERVOLTAGE = 0,      /* upper, V per cell */
    PE_LIMIT_CELL_UNDERVOLTAGE = 1,     /* lower, V per cell */
    PE_LIMIT_CHARGE_OVERCURRENT = 2,    /* upper, A, magnitude of charging current, before derating */
    PE_LIMIT_DISCHARGE_OVERCURRENT = 3, /* upper, A, magnitude of discharging current, before derating */
    PE_LIMIT_OVERTEMPERATURE = 4,       /* upper, degC */
    PE_LIMIT_UNDERTEMPERATURE = 5,      /* lower, degC */
    PE_LIMIT_SOC_HIGH = 6,              /* upper, fraction */
    PE_LIMIT_SOC_LOW = 7                /* lower, fraction */
} pe_limit_index_t;

/** One limit: thresholds and debounce counts (>= 1 consecutive samples). For an upper limit
 *  warning <= fault; for a lower limit warning >= fault. */
typedef struct pe_limit {
    float warning;
    float fault;
    uint16_t warning_debounce;
    uint16_t fault_debounce;
} pe_limit_t;

/** The limits of one pack. The over-current thresholds are multiplied by the derating factor
 *  interpolated linearly in temperature from the table (held constant beyond its ends). */
typedef struct pe_safety_limits {
    pe_limit_t limit[PE_LIMIT_COUNT];       /* indexed by pe_limit_index_t */
    uint32_t derating_count;                /* 1 ... PE_DERATING_MAX */
    float derating_temperature[PE_DERATING_MAX]; /* degC, strictly increasing */
    float derating_charge[PE_DERATING_MAX];      /* factor in [0, 1] on the charge current limits */
    float derating_discharge[PE_DERATING_MAX];   /* factor in [0, 1] on the discharge current limits */
} pe_safety_limits_t;

/** The charge and discharge derating factors at `temperature_c` (linear interpolation, clamped). */
void pe_limits_derating(const pe_safety_limits_t *limits, float temperature_c,
                        float *charge_factor, float *discharge_factor);

#endif
