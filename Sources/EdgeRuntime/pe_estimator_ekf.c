/*
 * SoC extended Kalman filter on a two-RC equivalent circuit (Plett 2004, J. Power Sources 134, part 3,
 * 277-292, doi:10.1016/j.jpowsour.2004.02.033, Table 1). Model, units and noise conventions are in
 * pe_estimator_ekf.h. Single precision, 3x3 algebra written out; the Joseph-form covariance update
 * (Bucy & Joseph 1968) keeps P symmetric and positive semi-definite under rounding.
 */
#include "pe_estimator_ekf.h"
#include "pe_estimator_internal.h"

#include <math.h>

/* Smallest diagonal entry the positivity guard restores. */
#define PE_EKF_VARIANCE_FLOOR 1e-10f

static int pe_positive_finite(float value) { return isfinite(value) && value > 0.0f; }

pe_estimator_status_t pe_ekf_config_validate(const pe_ekf_config_t *c) {
    if (c == NULL) return PE_EST_ERR_NULL;
    {
        const float positive[] = {c->capacity_ah, c->charge_efficiency, c->tau1_s, c->tau2_s, c->voltage_noise_var};
        const float nonnegative[] = {c->r0_ohm, c->r1_ohm, c->r2_ohm, c->process_noise_soc, c->process_noise_v1,
                                     c->process_noise_v2, c->current_noise_var};
        if (!pe_all_at_least(positive, 5u, 0.0f, 1) || !pe_all_at_least(nonnegative, 7u, 0.0f, 0)
            || c->charge_efficiency > 1.0f) {
            return PE_EST_ERR_CONFIG;
        }
    }
    return pe_ocv_table_validate(&c->ocv) == PE_EST_OK ? PE_EST_OK : PE_EST_ERR_CONFIG;
}

pe_estimator_status_t pe_ekf_init(pe_ekf_state_t *s, float soc, float soc_var, float v_rc_var) {
    uint32_t i, j;
    if (s == NULL) return PE_EST_ERR_NULL;
    if (!isfinite(soc) || soc < 0.0f || soc > 1.0f || !pe_positive_finite(soc_var) || !pe_positive_finite(v_rc_var)) {
        return PE_EST_ERR_INPUT;
    }
    for (i = 0; i < 3u; ++i) {
        for (j = 0; j < 3u; ++j) s->p[i][j] = 0.0f;
    }
    s->x[0] = soc;
    s->x[1] = 0.0f;
    s->x[2] = 0.0f;
    s->p[0][0] = soc_var;
    s->p[1][1] = v_rc_var;
    s->p[2][2] = v_rc_var;
    s->cached_dt_s = 0.0f;
    s->cached_tau1_s = 0.0f;
    s->cached_tau2_s = 0.0f;
    s->a1 = 1.0f;
    s->a2 = 1.0f;
    s->innovation_v = 0.0f;
    s->innovation_var = 0.0f;
    s->updates = 0;
    s->covariance_resets = 0;
    return PE_EST_OK;
}

static float pe_clamp_unit(float z) { return z < 0.0f ? 0.0f : (z > 1.0f ? 1.0f : z); }

pe_estimator_status_t pe_ekf_predict(pe_ekf_state_t *s, const pe_ekf_config_t *c, float current_a, float dt_s) {
    float a[3], b[3], eta, sigma_i2;
    uint32_t i, j;
    if (s == NULL || c == NULL) return PE_EST_ERR_NULL;
    if (!isfinite(current_a) || !pe_positive_finite(dt_s)) return PE_EST_ERR_INPUT;
    /* exp(-dt/tau) only when the step or the time constants change (fixed-rate loops pay it once). */
    if (dt_s != s->cached_dt_s || c->tau1_s != s->cached_tau1_s || c->tau2_s != s->cached_tau2_s) {
        s->a1 = expf(-dt_s / c->tau1_s);
        s->a2 = expf(-dt_s / c->tau2_s);
        s->cached_dt_s = dt_s;
        s->cached_tau1_s = c->tau1_s;
        s->cached_tau2_s = c->tau2_s;
    }
    eta = current_a < 0.0f ? c->charge_efficiency : 1.0f;
    a[0] = 1.0f;
    a[1] = s->a1;
    a[2] = s->a2;
    /* b = dx+/di, through which the current-sensor noise enters the state. */
    b[0] = -eta * dt_s / (3600.0f * c->capacity_ah);
    b[1] = c->r1_ohm * (1.0f - s->a1);
    b[2] = c->r2_ohm * (1.0f - s->a2);
    s->x[0] = pe_clamp_unit(s->x[0] + b[0] * current_a);
    s->x[1] = a[1] * s->x[1] + b[1] * current_a;
    s->x[2] = a[2] * s->x[2] + b[2] * current_a;
    /* P <- A P A^T + diag(q) dt + b b^T var(i), A diagonal. */
    sigma_i2 = c->current_noise_var;
    for (i = 0; i < 3u; ++i) {
        for (j = 0; j < 3u; ++j) s->p[i][j] = a[i] * a[j] * s->p[i][j] + b[i] * b[j] * sigma_i2;
    }
    s->p[0][0] += c->process_noise_soc * dt_s;
    s->p[1][1] += c->process_noise_v1 * dt_s;
    s->p[2][2] += c->process_noise_v2 * dt_s;
    return PE_EST_OK;
}

int pe_ekf_covariance_is_positive(const pe_ekf_state_t *s) {
    float d0, d1, d2, l10, l20, l21;
    uint32_t i, j;
    if (s == NULL) return 0;
    for (i = 0; i < 3u; ++i) {
        for (j = 0; j < 3u; ++j) {
            if (!isfinite(s->p[i][j]) || s->p[i][j] != s->p[j][i]) return 0;
        }
    }
    /* LDL^T: positive definite exactly when every pivot is positive. */
    d0 = s->p[0][0];
    if (!(d0 > 0.0f)) return 0;
    l10 = s->p[1][0] / d0;
    l20 = s->p[2][0] / d0;
    d1 = s->p[1][1] - l10 * l10 * d0;
    if (!(d1 > 0.0f)) return 0;
    l21 = (s->p[2][1] - l20 * l10 * d0) / d1;
    d2 = s->p[2][2] - l20 * l20 * d0 - l21 * l21 * d1;
    return d2 > 0.0f;
}

pe_estimator_status_t pe_ekf_correct(pe_ekf_state_t *s, const pe_ekf_config_t *c, float current_a, float voltage_v) {
    float slope, ocv, predicted, r, pc[3], k[3], m[3][3], t[3][3], cv[3], innovation, var;
    uint32_t i, j, l;
    if (s == NULL || c == NULL) return PE_EST_ERR_NULL;
    if (!isfinite(current_a) || !isfinite(voltage_v)) return PE_EST_ERR_INPUT;
    ocv = pe_ocv_lookup(&c->ocv, s->x[0], &slope);
    predicted = ocv - c->r0_ohm * current_a - s->x[1] - s->x[2];
    cv[0] = slope;
    cv[1] = -1.0f;
    cv[2] = -1.0f;
    r = c->voltage_noise_var + c->r0_ohm * c->r0_ohm * c->current_noise_var;
    for (i = 0; i < 3u; ++i) pc[i] = s->p[i][0] * cv[0] + s->p[i][1] * cv[1] + s->p[i][2] * cv[2];
    var = cv[0] * pc[0] + cv[1] * pc[1] + cv[2] * pc[2] + r;
    if (!pe_positive_finite(var)) return PE_EST_ERR_NUMERIC;
    innovation = voltage_v - predicted;
    for (i = 0; i < 3u; ++i) {
        k[i] = pc[i] / var;
        s->x[i] += k[i] * innovation;
    }
    s->x[0] = pe_clamp_unit(s->x[0]);
    /* Joseph form: P <- (I - K C) P (I - K C)^T + K r K^T. */
    for (i = 0; i < 3u; ++i) {
        for (j = 0; j < 3u; ++j) m[i][j] = (i == j ? 1.0f : 0.0f) - k[i] * cv[j];
    }
    for (i = 0; i < 3u; ++i) {
        for (j = 0; j < 3u; ++j) {
            t[i][j] = 0.0f;
            for (l = 0; l < 3u; ++l) t[i][j] += m[i][l] * s->p[l][j];
        }
    }
    for (i = 0; i < 3u; ++i) {
        for (j = 0; j <= i; ++j) {
            float sum = k[i] * r * k[j];
            for (l = 0; l < 3u; ++l) sum += t[i][l] * m[j][l];
            s->p[i][j] = sum;
        }
    }
    for (i = 0; i < 3u; ++i) {
        for (j = i + 1u; j < 3u; ++j) s->p[i][j] = s->p[j][i]; /* exact symmetry */
    }
    s->innovation_v = innovation;
    s->innovation_var = var;
    if (s->updates != UINT32_MAX) s->updates += 1u;
    if (!pe_ekf_covariance_is_positive(s)) {
        /* Rounding broke positivity: keep the variances, drop the correlations. */
        for (i = 0; i < 3u; ++i) {
            float d = fabsf(s->p[i][i]);
            for (j = 0; j < 3u; ++j) s->p[i][j] = 0.0f;
            s->p[i][i] = isfinite(d) && d > PE_EKF_VARIANCE_FLOOR ? d : PE_EKF_VARIANCE_FLOOR;
        }
        if (s->covariance_resets != UINT32_MAX) s->covariance_resets += 1u;
        return PE_EST_ERR_NUMERIC;
    }
    return PE_EST_OK;
}

pe_estimator_status_t pe_ekf_update(pe_ekf_state_t *s, const pe_ekf_config_t *c, float current_a, float voltage_v,
                                    float dt_s) {
    pe_estimator_status_t status;
    if (s == NULL || c == NULL) return PE_EST_ERR_NULL;
    if (!isfinite(voltage_v)) return PE_EST_ERR_INPUT;
    status = pe_ekf_predict(s, c, current_a, dt_s);
    if (status != PE_EST_OK) return status;
    return pe_ekf_correct(s, c, current_a, voltage_v);
}

float pe_ekf_covariance(const pe_ekf_state_t *s, uint32_t row, uint32_t col) {
    if (s == NULL || row >= 3u || col >= 3u) return 0.0f;
    return s->p[row][col];
}
