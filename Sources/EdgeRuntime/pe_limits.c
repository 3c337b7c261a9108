/* The SAFETY_LIMITS section of a .pbp file and the temperature derating of the current limits.
 * Layout and units: docs/policy-format.md and pe_limits.h. */
#include "pe_policy_internal.h"

/* Upper limits trip above their thresholds (warning <= fault), lower limits below (warning >= fault). */
static int pe_limit_is_upper(uint32_t index)
{
    return index == PE_LIMIT_CELL_OVERVOLTAGE || index == PE_LIMIT_CHARGE_OVERCURRENT ||
           index == PE_LIMIT_DISCHARGE_OVERCURRENT || index == PE_LIMIT_OVERTEMPERATURE || index == PE_LIMIT_SOC_HIGH;
}

/* Physical sanity of one limit's thresholds. */
static int pe_limit_in_range(uint32_t index, float warning, float fault)
{
    switch (index) {
    case PE_LIMIT_CELL_OVERVOLTAGE:
    case PE_LIMIT_CELL_UNDERVOLTAGE:
        return warning > 0.0f && fault > 0.0f && warning <= 10.0f && fault <= 10.0f;
    case PE_LIMIT_CHARGE_OVERCURRENT:
    case PE_LIMIT_DISCHARGE_OVERCURRENT:
        return warning > 0.0f && fault > 0.0f;
    case PE_LIMIT_OVERTEMPERATURE:
    case PE_LIMIT_UNDERTEMPERATURE:
        return warning >= -273.15f && fault >= -273.15f;
    default:
        return warning >= 0.0f && warning <= 1.0f && fault >= 0.0f && fault <= 1.0f;
    }
}

pe_status_t pe_parse_limits(pe_cursor_t c, pe_safety_limits_t *limits)
{
    uint32_t count, i;
    if (!pe_read_u32(&c, &count)) return PE_ERR_BAD_SECTION_LENGTH;
    if (count != PE_LIMIT_COUNT) return PE_ERR_BAD_DIMENSION;
    for (i = 0; i < PE_LIMIT_COUNT; i++) {
        pe_limit_t *l = &limits->limit[i];
        const uint8_t *debounce;
        if (!pe_read_f32(&c, &l->warning) || !pe_read_f32(&c, &l->fault)) return PE_ERR_BAD_SECTION_LENGTH;
        debounce = pe_take(&c, 4);
        if (debounce == NULL) return PE_ERR_BAD_SECTION_LENGTH;
        l->warning_debounce = pe_le16(debounce);
        l->fault_debounce = pe_le16(debounce + 2);
        if (!pe_is_finite(l->warning) || !pe_is_finite(l->fault) || !pe_limit_in_range(i, l->warning, l->fault)) {
            return PE_ERR_BAD_VALUE;
        }
        if (pe_limit_is_upper(i) ? !(l->warning <= l->fault) : !(l->warning >= l->fault)) return PE_ERR_BAD_VALUE;
        if (l->warning_debounce == 0 || l->fault_debounce == 0) return PE_ERR_BAD_VALUE;
    }
    /* The window must be open: under-voltage below over-voltage, cold below hot, SoC low below high. */
    if (!(limits->limit[PE_LIMIT_CELL_UNDERVOLTAGE].warning < limits->limit[PE_LIMIT_CELL_OVERVOLTAGE].warning) ||
        !(limits->limit[PE_LIMIT_UNDERTEMPERATURE].warning < limits->limit[PE_LIMIT_OVERTEMPERATURE].warning) ||
        !(limits->limit[PE_LIMIT_SOC_LOW].warning < limits->limit[PE_LIMIT_SOC_HIGH].warning)) {
        return PE_ERR_BAD_VALUE;
    }
    if (!pe_read_u32(&c, &count)) return PE_ERR_BAD_SECTION_LENGTH;
    if (count == 0 || count > PE_DERATING_MAX) return PE_ERR_BAD_DIMENSION;
    limits->derating_count = count;
    for (i = 0; i < count; i++) {
        float t, ch, dis;
        if (!pe_read_f32(&c, &t) || !pe_read_f32(&c, &ch) || !pe_read_f32(&c, &dis)) return PE_ERR_BAD_SECTION_LENGTH;
        if (!pe_is_finite(t) || !pe_is_finite(ch) || !pe_is_finite(dis)) return PE_ERR_BAD_VALUE;
        if (ch < 0.0f || ch > 1.0f || dis < 0.0f || dis > 1.0f) return PE_ERR_BAD_VALUE;
        if (i > 0 && !(t > limits->derating_temperature[i - 1])) return PE_ERR_BAD_VALUE;
        limits->derating_temperature[i] = t;
        limits->derating_charge[i] = ch;
        limits->derating_discharge[i] = dis;
    }
    if (c.position != c.length) return PE_ERR_BAD_SECTION_LENGTH;
    return PE_OK;
}

void pe_limits_derating(const pe_safety_limits_t *limits, float temperature_c,
                        float *charge_factor, float *discharge_factor)
{
    uint32_t n, i;
    float ch = 1.0f, dis = 1.0f;
    if (limits != NULL && limits->derating_count > 0 && limits->derating_count <= PE_DERATING_MAX) {
        n = limits->derating_count;
        if (temperature_c != temperature_c) { /* NaN: no measurement, no current */
            ch = 0.0f;
            dis = 0.0f;
        } else if (temperature_c <= limits->derating_temperature[0]) {
            ch = limits->derating_charge[0];
            dis = limits->derating_discharge[0];
        } else if (temperature_c >= limits->derating_temperature[n - 1]) {
            ch = limits->derating_charge[n - 1];
            dis = limits->derating_discharge[n - 1];
        } else {
            for (i = 1; i < n && temperature_c > limits->derating_temperature[i]; i++) {}
            {
                float t0 = limits->derating_temperature[i - 1], t1 = limits->derating_temperature[i];
                float w = (temperature_c - t0) / (t1 - t0);
                ch = limits->derating_charge[i - 1] + w * (limits->derating_charge[i] - limits->derating_charge[i - 1]);
                dis = limits->derating_discharge[i - 1] +
                      w * (limits->derating_discharge[i] - limits->derating_discharge[i - 1]);
            }
        }
    }
    if (charge_factor != NULL) *charge_factor = ch;
    if (discharge_factor != NULL) *discharge_factor = dis;
}
