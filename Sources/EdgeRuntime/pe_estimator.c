/*
 * OCV(SoC) look-up table shared by the estimators: linear interpolation with the segment slope, which
 * the extended Kalman filter uses as dOCV/dSoC in its measurement Jacobian (Plett 2004, J. Power
 * Sources 134, part 3, 277-292, doi:10.1016/j.jpowsour.2004.02.033; the Jacobian C_k).
 */
#include "pe_estimator.h"
#include "pe_estimator_internal.h"

#include <float.h>
#include <math.h>

int pe_all_at_least(const float *values, uint32_t count, float low, int open_low) {
    uint32_t i;
    for (i = 0; i < count; ++i) {
        if (!(values[i] >= low && values[i] <= FLT_MAX) || (open_low && values[i] == low)) return 0;
    }
    return 1;
}

pe_estimator_status_t pe_ocv_table_validate(const pe_ocv_table_t *table) {
    uint32_t i;
    if (table == NULL) return PE_EST_ERR_NULL;
    if (table->count < 2u || table->count > PE_OCV_MAX_POINTS) return PE_EST_ERR_CONFIG;
    for (i = 0; i < table->count; ++i) {
        if (!isfinite(table->soc[i]) || !isfinite(table->voltage_v[i])) return PE_EST_ERR_CONFIG;
        if (i > 0 && !(table->soc[i] > table->soc[i - 1u])) return PE_EST_ERR_CONFIG;
    }
    return PE_EST_OK;
}

pe_estimator_status_t pe_ocv_table_set(pe_ocv_table_t *table, const float *soc, const float *voltage_v,
                                       size_t count) {
    size_t i;
    if (table == NULL || soc == NULL || voltage_v == NULL) return PE_EST_ERR_NULL;
    if (count < 2u || count > PE_OCV_MAX_POINTS) return PE_EST_ERR_CONFIG;
    for (i = 0; i < count; ++i) {
        if (!isfinite(soc[i]) || !isfinite(voltage_v[i])) return PE_EST_ERR_CONFIG;
        if (i > 0 && !(soc[i] > soc[i - 1u])) return PE_EST_ERR_CONFIG;
    }
    for (i = 0; i < PE_OCV_MAX_POINTS; ++i) {
        table->soc[i] = i < count ? soc[i] : 0.0f;
        table->voltage_v[i] = i < count ? voltage_v[i] : 0.0f;
    }
    table->count = (uint32_t)count;
    return PE_EST_OK;
}

/* Index of the segment [i, i + 1] holding `soc` (binary search), the end segments outside the table. */
static uint32_t pe_ocv_segment(const pe_ocv_table_t *table, float soc) {
    uint32_t lo = 0, hi = table->count - 1u;
    while (hi - lo > 1u) {
        uint32_t mid = (lo + hi) >> 1;
        if (table->soc[mid] <= soc) lo = mid; else hi = mid;
    }
    return lo;
}

float pe_ocv_lookup(const pe_ocv_table_t *table, float soc, float *slope) {
    uint32_t i, n;
    float ds, dv;
    if (table == NULL || table->count < 2u) {
        if (slope != NULL) *slope = 0.0f;
        return 0.0f;
    }
    n = table->count;
    i = pe_ocv_segment(table, soc);
    ds = table->soc[i + 1u] - table->soc[i];
    dv = table->voltage_v[i + 1u] - table->voltage_v[i];
    if (slope != NULL) *slope = dv / ds;
    if (!(soc > table->soc[0])) return table->voltage_v[0];
    if (soc >= table->soc[n - 1u]) return table->voltage_v[n - 1u];
    return table->voltage_v[i] + (soc - table->soc[i]) * (dv / ds);
}

pe_estimator_status_t pe_ocv_inverse(const pe_ocv_table_t *table, float voltage_v, float *soc) {
    uint32_t lo, hi, n;
    if (table == NULL || soc == NULL) return PE_EST_ERR_NULL;
    if (!isfinite(voltage_v)) return PE_EST_ERR_INPUT;
    n = table->count;
    if (n < 2u || n > PE_OCV_MAX_POINTS) return PE_EST_ERR_CONFIG;
    for (lo = 1; lo < n; ++lo) {
        if (!(table->voltage_v[lo] > table->voltage_v[lo - 1u])) return PE_EST_ERR_CONFIG;
    }
    if (voltage_v <= table->voltage_v[0]) { *soc = table->soc[0]; return PE_EST_OK; }
    if (voltage_v >= table->voltage_v[n - 1u]) { *soc = table->soc[n - 1u]; return PE_EST_OK; }
    lo = 0;
    hi = n - 1u;
    while (hi - lo > 1u) {
        uint32_t mid = (lo + hi) >> 1;
        if (table->voltage_v[mid] <= voltage_v) lo = mid; else hi = mid;
    }
    *soc = table->soc[lo] + (voltage_v - table->voltage_v[lo]) * (table->soc[hi] - table->soc[lo])
        / (table->voltage_v[hi] - table->voltage_v[lo]);
    return PE_EST_OK;
}
