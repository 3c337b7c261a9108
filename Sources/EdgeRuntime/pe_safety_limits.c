/*
 * Safety limits: config validation, temperature derating (piecewise-linear tables, as the SOA module of
 * foxBMS 2 and cell datasheets give current limits over temperature) and the voltage/SoC tapers that
 * bring the allowed current to zero between a warning and a fault threshold.
 */
#include "pe_safety.h"
#include "pe_safety_internal.h"

#include <math.h>

/* Whether a check's condition is "value above threshold" (else "value below threshold"). */
int pe_safety_check_is_over(uint32_t check) {
    return check == PE_SAFETY_CELL_OVERVOLTAGE || check == PE_SAFETY_OVERCURRENT_CHARGE
        || check == PE_SAFETY_OVERCURRENT_DISCHARGE || check == PE_SAFETY_OVERTEMPERATURE
        || check == PE_SAFETY_SOC_HIGH;
}

static pe_safety_status_t pe_derating_validate(const pe_derating_table_t *table) {
    uint32_t i;
    if (table->count < 1u || table->count > PE_SAFETY_MAX_DERATING_POINTS) return PE_SAFETY_ERR_CONFIG;
    for (i = 0; i < table->count; ++i) {
        if (!isfinite(table->temperature_c[i]) || !isfinite(table->factor[i])) return PE_SAFETY_ERR_CONFIG;
        if (table->factor[i] < 0.0f || table->factor[i] > 1.0f) return PE_SAFETY_ERR_CONFIG;
        if (i > 0 && !(table->temperature_c[i] > table->temperature_c[i - 1])) return PE_SAFETY_ERR_CONFIG;
    }
    return PE_SAFETY_OK;
}

pe_safety_status_t pe_safety_config_validate(const pe_safety_config_t *config) {
    const pe_safety_limit_t *lim;
    uint32_t i;
    if (config == NULL) return PE_SAFETY_ERR_NULL;
    lim = config->limits;
    for (i = 0; i < PE_SAFETY_CHECK_COUNT; ++i) {
        if (!isfinite(lim[i].warning) || !isfinite(lim[i].fault)) return PE_SAFETY_ERR_CONFIG;
        if (lim[i].set_count < 1u || lim[i].clear_count < 1u || lim[i].fault_count < 1u) return PE_SAFETY_ERR_CONFIG;
        if (pe_safety_check_is_over(i) ? lim[i].warning > lim[i].fault : lim[i].warning < lim[i].fault) {
            return PE_SAFETY_ERR_CONFIG;
        }
    }
    /* The windows must be open: lower warnings below upper warnings. */
    if (!(lim[PE_SAFETY_CELL_UNDERVOLTAGE].warning < lim[PE_SAFETY_CELL_OVERVOLTAGE].warning)
        || !(lim[PE_SAFETY_UNDERTEMPERATURE].warning < lim[PE_SAFETY_OVERTEMPERATURE].warning)
        || !(lim[PE_SAFETY_SOC_LOW].warning < lim[PE_SAFETY_SOC_HIGH].warning)) {
        return PE_SAFETY_ERR_CONFIG;
    }
    if (!(lim[PE_SAFETY_OVERCURRENT_CHARGE].warning > 0.0f) || !(lim[PE_SAFETY_OVERCURRENT_DISCHARGE].warning > 0.0f)) {
        return PE_SAFETY_ERR_CONFIG;
    }
    /* A setpoint clamped to the limits must never trip an over-current warning by itself. */
    if (!isfinite(config->charge_current_limit_a) || config->charge_current_limit_a < 0.0f
        || config->charge_current_limit_a > lim[PE_SAFETY_OVERCURRENT_CHARGE].warning) {
        return PE_SAFETY_ERR_CONFIG;
    }
    if (!isfinite(config->discharge_current_limit_a) || config->discharge_current_limit_a < 0.0f
        || config->discharge_current_limit_a > lim[PE_SAFETY_OVERCURRENT_DISCHARGE].warning) {
        return PE_SAFETY_ERR_CONFIG;
    }
    if (!isfinite(config->current_deadband_a) || config->current_deadband_a < 0.0f) return PE_SAFETY_ERR_CONFIG;
    if (pe_derating_validate(&config->charge_derating) != PE_SAFETY_OK) return PE_SAFETY_ERR_CONFIG;
    if (pe_derating_validate(&config->discharge_derating) != PE_SAFETY_OK) return PE_SAFETY_ERR_CONFIG;
    return PE_SAFETY_OK;
}

pe_safety_status_t pe_safety_config_set_limit(pe_safety_config_t *config, pe_safety_check_t check,
                                              float warning, float fault,
                                              uint16_t set_count, uint16_t clear_count) {
    pe_safety_limit_t *limit;
    if (config == NULL) return PE_SAFETY_ERR_NULL;
    if ((uint32_t)check >= PE_SAFETY_CHECK_COUNT) return PE_SAFETY_ERR_ARGUMENT;
    limit = &config->limits[check];
    limit->warning = warning;
    limit->fault = fault;
    limit->set_count = set_count;
    limit->clear_count = clear_count;
    limit->fault_count = set_count;
    return PE_SAFETY_OK;
}

pe_safety_status_t pe_safety_config_from_limits(const pe_safety_limits_t *limits, pe_safety_config_t *config) {
    uint32_t i;
    pe_safety_status_t status;
    if (limits == NULL || config == NULL) return PE_SAFETY_ERR_NULL;
    /* pe_limit_index_t and pe_safety_check_t list the same eight checks in the same order. */
    for (i = 0; i < PE_SAFETY_CHECK_COUNT; ++i) {
        const pe_limit_t *from = &limits->limit[i];
        pe_safety_limit_t *to = &config->limits[i];
        to->warning = from->warning;
        to->fault = from->fault;
        to->set_count = from->warning_debounce;
        to->clear_count = from->warning_debounce;
        to->fault_count = from->fault_debounce;
    }
    config->charge_current_limit_a = limits->limit[PE_LIMIT_CHARGE_OVERCURRENT].warning;
    config->discharge_current_limit_a = limits->limit[PE_LIMIT_DISCHARGE_OVERCURRENT].warning;
    config->current_deadband_a = 0.0f;
    status = pe_derating_table_set(&config->charge_derating, limits->derating_temperature, limits->derating_charge,
                                   limits->derating_count);
    if (status != PE_SAFETY_OK) return PE_SAFETY_ERR_CONFIG;
    status = pe_derating_table_set(&config->discharge_derating, limits->derating_temperature,
                                   limits->derating_discharge, limits->derating_count);
    if (status != PE_SAFETY_OK) return PE_SAFETY_ERR_CONFIG;
    return pe_safety_config_validate(config);
}

pe_safety_status_t pe_derating_table_set(pe_derating_table_t *table, const float *temperature_c,
                                         const float *factor, size_t count) {
    pe_derating_table_t candidate;
    size_t i;
    if (table == NULL || temperature_c == NULL || factor == NULL) return PE_SAFETY_ERR_NULL;
    if (count < 1u || count > PE_SAFETY_MAX_DERATING_POINTS) return PE_SAFETY_ERR_ARGUMENT;
    for (i = 0; i < PE_SAFETY_MAX_DERATING_POINTS; ++i) {
        candidate.temperature_c[i] = i < count ? temperature_c[i] : 0.0f;
        candidate.factor[i] = i < count ? factor[i] : 0.0f;
    }
    candidate.count = (uint32_t)count;
    if (pe_derating_validate(&candidate) != PE_SAFETY_OK) return PE_SAFETY_ERR_ARGUMENT;
    *table = candidate;
    return PE_SAFETY_OK;
}

float pe_derating_factor(const pe_derating_table_t *table, float temperature_c) {
    uint32_t i, n;
    float t0, t1, w;
    if (table == NULL || table->count == 0u || !isfinite(temperature_c)) return 0.0f;
    n = table->count;
    if (temperature_c <= table->temperature_c[0]) return table->factor[0];
    if (temperature_c >= table->temperature_c[n - 1u]) return table->factor[n - 1u];
    for (i = 1; i < n - 1u && temperature_c >= table->temperature_c[i]; ++i) {
    }
    t0 = table->temperature_c[i - 1u];
    t1 = table->temperature_c[i];
    w = (temperature_c - t0) / (t1 - t0);
    return table->factor[i - 1u] + w * (table->factor[i] - table->factor[i - 1u]);
}

float pe_derating_factor_range(const pe_derating_table_t *table, float t_min_c, float t_max_c) {
    float lowest, f;
    uint32_t i;
    if (table == NULL) return 0.0f;
    /* A piecewise-linear function attains its minimum over an interval at an end or at a knot inside. */
    lowest = pe_derating_factor(table, t_min_c);
    f = pe_derating_factor(table, t_max_c);
    if (f < lowest) lowest = f;
    for (i = 0; i < table->count; ++i) {
        if (table->temperature_c[i] > t_min_c && table->temperature_c[i] < t_max_c && table->factor[i] < lowest) {
            lowest = table->factor[i];
        }
    }
    return lowest;
}

float pe_safety_taper_over(const pe_safety_limit_t *limit, float value) {
    float span = limit->fault - limit->warning, taper;
    if (!(value > limit->warning)) return 1.0f;
    if (!(span > 0.0f)) return 0.0f;
    taper = (limit->fault - value) / span;
    return taper > 0.0f ? taper : 0.0f;
}

float pe_safety_taper_under(const pe_safety_limit_t *limit, float value) {
    float span = limit->warning - limit->fault, taper;
    if (!(value < limit->warning)) return 1.0f;
    if (!(span > 0.0f)) return 0.0f;
    taper = (value - limit->fault) / span;
    return taper > 0.0f ? taper : 0.0f;
}
