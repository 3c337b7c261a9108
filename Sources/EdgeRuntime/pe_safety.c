/*
 * Safety monitor: debounced warning/fault checks with latched faults (after the DIAG/SOA modules of
 * foxBMS 2, where a violated Maximum Safety Limit opens the contactors and the error state can only be
 * left once its cause is gone and a reset is requested). Thresholds, limits and the measurement
 * contract are documented in pe_safety.h; the limit arithmetic lives in pe_safety_limits.c.
 */
#include "pe_safety.h"
#include "pe_safety_internal.h"

#include <math.h>

#define PE_BIT(check) (1u << (uint32_t)(check))

/** Faults that open both directions (voltage and temperature, the foxBMS MSL cases). */
#define PE_SAFETY_BOTH_DIRECTIONS \
    (PE_BIT(PE_SAFETY_CELL_OVERVOLTAGE) | PE_BIT(PE_SAFETY_CELL_UNDERVOLTAGE) | \
     PE_BIT(PE_SAFETY_OVERTEMPERATURE) | PE_BIT(PE_SAFETY_UNDERTEMPERATURE))
/** Faults that stop charging only. */
#define PE_SAFETY_CHARGE_ONLY (PE_BIT(PE_SAFETY_OVERCURRENT_CHARGE) | PE_BIT(PE_SAFETY_SOC_HIGH))
/** Faults that stop discharging only. */
#define PE_SAFETY_DISCHARGE_ONLY (PE_BIT(PE_SAFETY_OVERCURRENT_DISCHARGE) | PE_BIT(PE_SAFETY_SOC_LOW))

static uint16_t pe_saturating_increment(uint16_t count) {
    return count == UINT16_MAX ? count : (uint16_t)(count + 1u);
}

pe_safety_status_t pe_safety_init(pe_safety_state_t *state) {
    uint32_t i;
    if (state == NULL) return PE_SAFETY_ERR_NULL;
    for (i = 0; i < PE_SAFETY_CHECK_COUNT; ++i) {
        state->warning_set[i] = 0;
        state->warning_clear[i] = 0;
        state->fault_set[i] = 0;
    }
    state->warnings = 0;
    state->faults = 0;
    state->fault_condition = 0;
    state->checks = 0;
    return PE_SAFETY_OK;
}

/*
 * One check's debounce: a warning sets after `set_count` consecutive checks with its condition and
 * clears after `clear_count` consecutive checks without; a fault sets after `fault_count` consecutive
 * checks with its condition and then stays latched (only pe_safety_reset clears it).
 */
static void pe_debounce(pe_safety_state_t *state, uint32_t i, const pe_safety_limit_t *limit,
                        int warning_condition, int fault_condition, uint32_t *raised) {
    const uint32_t bit = 1u << i;
    if (warning_condition) {
        state->warning_set[i] = pe_saturating_increment(state->warning_set[i]);
        state->warning_clear[i] = 0;
        if (state->warning_set[i] >= limit->set_count) state->warnings |= bit;
    } else {
        state->warning_set[i] = 0;
        if (state->warnings & bit) {
            state->warning_clear[i] = pe_saturating_increment(state->warning_clear[i]);
            if (state->warning_clear[i] >= limit->clear_count) {
                state->warnings &= ~bit;
                state->warning_clear[i] = 0;
            }
        }
    }
    if (fault_condition) {
        state->fault_set[i] = pe_saturating_increment(state->fault_set[i]);
        state->fault_condition |= bit;
        if (state->fault_set[i] >= limit->fault_count && !(state->faults & bit)) {
            state->faults |= bit;
            *raised |= bit;
        }
    } else {
        state->fault_set[i] = 0;
        state->fault_condition &= ~bit;
    }
}

static int pe_measurement_valid(const pe_measurement_t *m) {
    return isfinite(m->cell_voltage_max_v) && isfinite(m->cell_voltage_min_v) && isfinite(m->current_a)
        && isfinite(m->temperature_max_c) && isfinite(m->temperature_min_c) && isfinite(m->soc)
        && m->cell_voltage_min_v <= m->cell_voltage_max_v && m->temperature_min_c <= m->temperature_max_c;
}

pe_safety_status_t pe_safety_check(pe_safety_state_t *state, const pe_safety_config_t *config,
                                   const pe_measurement_t *m, pe_safety_report_t *out) {
    const pe_safety_limit_t *lim;
    float charge_factor, discharge_factor, charge_a, discharge_a, limit;
    uint32_t raised = 0;
    if (state == NULL || config == NULL || m == NULL || out == NULL) return PE_SAFETY_ERR_NULL;
    lim = config->limits;
    if (!pe_measurement_valid(m)) {
        out->warnings = state->warnings;
        out->faults = state->faults;
        out->faults_raised = 0;
        out->charge_limit_a = 0.0f;
        out->discharge_limit_a = 0.0f;
        out->charge_derating = 0.0f;
        out->discharge_derating = 0.0f;
        return PE_SAFETY_ERR_MEASUREMENT;
    }
    charge_factor = pe_derating_factor_range(&config->charge_derating, m->temperature_min_c, m->temperature_max_c);
    discharge_factor = pe_derating_factor_range(&config->discharge_derating, m->temperature_min_c,
                                                m->temperature_max_c);
    /* Currents split into the two directions; within the deadband both count as zero. */
    charge_a = m->current_a < -config->current_deadband_a ? -m->current_a : 0.0f;
    discharge_a = m->current_a > config->current_deadband_a ? m->current_a : 0.0f;

    {
        /* Each check's measured value and its thresholds' scale (the derating of the current checks), in
           pe_safety_check_t order. */
        const float value[PE_SAFETY_CHECK_COUNT] = {m->cell_voltage_max_v, m->cell_voltage_min_v, charge_a, discharge_a,
                                                    m->temperature_max_c, m->temperature_min_c, m->soc, m->soc};
        const float scale[PE_SAFETY_CHECK_COUNT] = {1.0f, 1.0f, charge_factor, discharge_factor, 1.0f, 1.0f, 1.0f, 1.0f};
        uint32_t i;
        for (i = 0; i < PE_SAFETY_CHECK_COUNT; ++i) {
            const float warning = lim[i].warning * scale[i], fault = lim[i].fault * scale[i];
            if (pe_safety_check_is_over(i)) {
                pe_debounce(state, i, &lim[i], value[i] > warning, value[i] > fault, &raised);
            } else {
                pe_debounce(state, i, &lim[i], value[i] < warning, value[i] < fault, &raised);
            }
        }
    }
    if (state->checks != UINT32_MAX) state->checks += 1u;

    /* Charge limit: derated by temperature, tapered to zero between the warning and fault thresholds of
     * the highest cell voltage and of the SoC window's top; the discharge limit likewise at the bottom. */
    limit = config->charge_current_limit_a * charge_factor;
    limit *= pe_safety_taper_over(&lim[PE_SAFETY_CELL_OVERVOLTAGE], m->cell_voltage_max_v);
    limit *= pe_safety_taper_over(&lim[PE_SAFETY_SOC_HIGH], m->soc);
    if (state->faults & (PE_SAFETY_BOTH_DIRECTIONS | PE_SAFETY_CHARGE_ONLY)) limit = 0.0f;
    out->charge_limit_a = limit;

    limit = config->discharge_current_limit_a * discharge_factor;
    limit *= pe_safety_taper_under(&lim[PE_SAFETY_CELL_UNDERVOLTAGE], m->cell_voltage_min_v);
    limit *= pe_safety_taper_under(&lim[PE_SAFETY_SOC_LOW], m->soc);
    if (state->faults & (PE_SAFETY_BOTH_DIRECTIONS | PE_SAFETY_DISCHARGE_ONLY)) limit = 0.0f;
    out->discharge_limit_a = limit;

    out->warnings = state->warnings;
    out->faults = state->faults;
    out->faults_raised = raised;
    out->charge_derating = charge_factor;
    out->discharge_derating = discharge_factor;
    return PE_SAFETY_OK;
}

pe_safety_status_t pe_safety_reset(pe_safety_state_t *state, uint32_t mask, uint32_t *still_latched) {
    uint32_t i, clear;
    if (state == NULL) return PE_SAFETY_ERR_NULL;
    clear = state->faults & mask & ~state->fault_condition;
    for (i = 0; i < PE_SAFETY_CHECK_COUNT; ++i) {
        if (clear & (1u << i)) state->fault_set[i] = 0;
    }
    state->faults &= ~clear;
    if (still_latched != NULL) *still_latched = state->faults;
    return PE_SAFETY_OK;
}

float pe_safety_clamp(const pe_safety_report_t *report, float requested_current_a) {
    if (report == NULL || !isfinite(requested_current_a)) return 0.0f;
    if (requested_current_a > report->discharge_limit_a) return report->discharge_limit_a;
    if (requested_current_a < -report->charge_limit_a) return -report->charge_limit_a;
    return requested_current_a;
}
