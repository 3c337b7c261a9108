/**
 * @file pe_safety.h
 * @brief Device-side battery safety monitor: debounced warning/fault checks and safe current limits.
 *
 * Modelled on the diagnosis of foxBMS 2 (Fraunhofer IISB, BSD-3-Clause; modules DIAG and SOA): every
 * monitored quantity has a warning and a fault threshold, a condition must persist for a number of
 * consecutive checks before it is flagged, and a fault latches until it is reset explicitly after its
 * cause has gone. C99, no allocation, no globals, no I/O: the caller owns the config and the state.
 *
 * Units throughout: voltage in V, current in A with POSITIVE = DISCHARGE (negative = charge, as in
 * PyBaMM and the rest of PulseBMS), temperature in degrees Celsius, state of charge as a fraction in [0, 1].
 */
#ifndef PE_SAFETY_H
#define PE_SAFETY_H

#include "pe_limits.h"
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status of a safety-monitor call. */
typedef enum {
    PE_SAFETY_OK = 0,
    PE_SAFETY_ERR_NULL = 1,        /**< a required pointer was NULL */
    PE_SAFETY_ERR_CONFIG = 2,      /**< the config is inconsistent (see pe_safety_config_validate) */
    PE_SAFETY_ERR_MEASUREMENT = 3, /**< a measurement was not finite or min > max; limits forced to zero */
    PE_SAFETY_ERR_ARGUMENT = 4     /**< an argument is out of range (index, count, table order) */
} pe_safety_status_t;

/** The monitored checks; bit (1u << id) in the warning and fault masks. */
typedef enum {
    PE_SAFETY_CELL_OVERVOLTAGE = 0,    /**< highest cell voltage above threshold [V] */
    PE_SAFETY_CELL_UNDERVOLTAGE = 1,   /**< lowest cell voltage below threshold [V] */
    PE_SAFETY_OVERCURRENT_CHARGE = 2,  /**< charge current magnitude above threshold x derating [A] */
    PE_SAFETY_OVERCURRENT_DISCHARGE = 3, /**< discharge current above threshold x derating [A] */
    PE_SAFETY_OVERTEMPERATURE = 4,     /**< highest temperature above threshold [degC] */
    PE_SAFETY_UNDERTEMPERATURE = 5,    /**< lowest temperature below threshold [degC] */
    PE_SAFETY_SOC_HIGH = 6,            /**< state of charge above the window [-] */
    PE_SAFETY_SOC_LOW = 7,             /**< state of charge below the window [-] */
    PE_SAFETY_CHECK_COUNT = 8
} pe_safety_check_t;

/** Most points in a temperature derating table. */
#define PE_SAFETY_MAX_DERATING_POINTS 8u

/**
 * Thresholds and debounce of one check. For the "over" checks a condition holds when the value is
 * strictly above the threshold (warning <= fault); for the "under" checks when strictly below
 * (warning >= fault). Over-current thresholds are magnitudes [A] at derating factor 1.
 */
typedef struct {
    float warning;          /**< warning threshold (unit of the check) */
    float fault;            /**< fault threshold (unit of the check) */
    uint16_t set_count;     /**< consecutive checks the warning condition must hold to set it, >= 1 */
    uint16_t clear_count;   /**< consecutive checks without the condition to clear a warning, >= 1 */
    uint16_t fault_count;   /**< consecutive checks the fault condition must hold to latch it, >= 1 */
} pe_safety_limit_t;

/** A piecewise-linear derating factor over temperature, clamped beyond the first and last point. */
typedef struct {
    float temperature_c[PE_SAFETY_MAX_DERATING_POINTS]; /**< strictly increasing [degC] */
    float factor[PE_SAFETY_MAX_DERATING_POINTS];        /**< in [0, 1] */
    uint32_t count;                                     /**< 1 ... PE_SAFETY_MAX_DERATING_POINTS */
} pe_derating_table_t;

/** Safety limits of one pack; the `.pbp` safety-limits section fills this at load time. */
typedef struct {
    pe_safety_limit_t limits[PE_SAFETY_CHECK_COUNT]; /**< indexed by pe_safety_check_t */
    float charge_current_limit_a;     /**< allowed charge current magnitude at factor 1 [A], <= its warning */
    float discharge_current_limit_a;  /**< allowed discharge current at factor 1 [A], <= its warning */
    pe_derating_table_t charge_derating;    /**< charge-current factor over temperature */
    pe_derating_table_t discharge_derating; /**< discharge-current factor over temperature */
    float current_deadband_a;         /**< |I| at or below this counts as zero for the current checks [A] */
} pe_safety_config_t;

/** One measurement of the pack, from the cell monitor and the SoC estimator. */
typedef struct {
    float cell_voltage_max_v;  /**< highest cell voltage [V] */
    float cell_voltage_min_v;  /**< lowest cell voltage [V] */
    float current_a;           /**< pack current [A], positive = discharge */
    float temperature_max_c;   /**< highest cell temperature [degC] */
    float temperature_min_c;   /**< lowest cell temperature [degC] */
    float soc;                 /**< state of charge [-] */
} pe_measurement_t;

/** Debounce counters and flags, owned by the caller; zero it with pe_safety_init. */
typedef struct {
    uint16_t warning_set[PE_SAFETY_CHECK_COUNT];   /**< consecutive checks with the warning condition */
    uint16_t warning_clear[PE_SAFETY_CHECK_COUNT]; /**< consecutive checks without it, while warned */
    uint16_t fault_set[PE_SAFETY_CHECK_COUNT];     /**< consecutive checks with the fault condition */
    uint32_t warnings;        /**< active warnings, bit per check */
    uint32_t faults;          /**< latched faults, bit per check */
    uint32_t fault_condition; /**< fault conditions present at the last check, bit per check */
    uint32_t checks;          /**< number of checks run (saturates) */
} pe_safety_state_t;

/** Result of one check: flags and the current limits for the next control step. */
typedef struct {
    uint32_t warnings;          /**< active warnings, bit per check */
    uint32_t faults;            /**< latched faults, bit per check */
    uint32_t faults_raised;     /**< faults that latched in this check */
    float charge_limit_a;       /**< largest allowed charge current magnitude [A], >= 0 */
    float discharge_limit_a;    /**< largest allowed discharge current [A], >= 0 */
    float charge_derating;      /**< temperature factor applied to the charge limit */
    float discharge_derating;   /**< temperature factor applied to the discharge limit */
} pe_safety_report_t;

/** Checks a config: thresholds finite and ordered, counts >= 1, tables ordered, limits <= warnings. */
pe_safety_status_t pe_safety_config_validate(const pe_safety_config_t *config);

/** Sets the thresholds and debounce counts of one check (the fault latches after `set_count` too). */
pe_safety_status_t pe_safety_config_set_limit(pe_safety_config_t *config, pe_safety_check_t check,
                                              float warning, float fault,
                                              uint16_t set_count, uint16_t clear_count);

/**
 * The monitor's config from the safety-limits table of a .pbp file (pe_limits.h): per check the warning and
 * fault thresholds, the warning set and clear counts = the warning debounce, the fault count = the fault
 * debounce; the allowed charge and discharge currents at factor 1 = the over-current warnings; the derating
 * table's charge and discharge factors; no current deadband. Validates the result.
 */
pe_safety_status_t pe_safety_config_from_limits(const pe_safety_limits_t *limits, pe_safety_config_t *config);

/** Fills a derating table from `count` (temperature [degC], factor) points; validates the order. */
pe_safety_status_t pe_derating_table_set(pe_derating_table_t *table, const float *temperature_c,
                                         const float *factor, size_t count);

/** The derating factor at `temperature_c`: linear between points, constant beyond the ends. */
float pe_derating_factor(const pe_derating_table_t *table, float temperature_c);

/** The smallest derating factor over the interval [t_min_c, t_max_c] (the pack's spread of temperatures). */
float pe_derating_factor_range(const pe_derating_table_t *table, float t_min_c, float t_max_c);

/** Resets the state: no warnings, no faults, counters zero. */
pe_safety_status_t pe_safety_init(pe_safety_state_t *state);

/**
 * Runs every check on `m`, updates the debounce counters and flags in `state`, and fills `out` with
 * the flags and the charge/discharge current limits for the next step. On a non-finite measurement
 * (or min > max) the state is left unchanged, `out` carries the present flags with both limits zero,
 * and PE_SAFETY_ERR_MEASUREMENT is returned. The config is assumed valid (validate it once at load).
 */
pe_safety_status_t pe_safety_check(pe_safety_state_t *state, const pe_safety_config_t *config,
                                   const pe_measurement_t *m, pe_safety_report_t *out);

/**
 * Clears the latched faults in `mask` whose fault condition was absent at the last check; faults
 * whose condition persists stay latched. `still_latched` (optional) receives the remaining faults.
 */
pe_safety_status_t pe_safety_reset(pe_safety_state_t *state, uint32_t mask, uint32_t *still_latched);

/**
 * Clamps a requested current [A, positive = discharge] into [-charge_limit_a, discharge_limit_a]
 * of `report`. A NULL report or a non-finite request gives 0.
 */
float pe_safety_clamp(const pe_safety_report_t *report, float requested_current_a);

#ifdef __cplusplus
}
#endif

#endif /* PE_SAFETY_H */
