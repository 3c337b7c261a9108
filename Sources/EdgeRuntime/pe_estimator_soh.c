/*
 * Total-capacity estimation by recursive weighted least squares and by total least squares with a
 * fixed variance ratio (Plett 2011, J. Power Sources 196, 2319-2331, doi:10.1016/j.jpowsour.2010.09.048,
 * sections 3-4). Conventions are in pe_estimator_soh.h.
 */
#include "pe_estimator_soh.h"
#include "pe_estimator_internal.h"

#include <math.h>

static int pe_soh_positive(float value) { return isfinite(value) && value > 0.0f; }

pe_estimator_status_t pe_soh_config_validate(const pe_soh_config_t *c) {
    if (c == NULL) return PE_EST_ERR_NULL;
    if (c->method != PE_SOH_WLS && c->method != PE_SOH_TLS) return PE_EST_ERR_CONFIG;
    {
        const float positive[] = {c->nominal_capacity_ah, c->min_capacity_ah, c->max_capacity_ah, c->forgetting,
                                  c->prior_soc_var, c->prior_charge_var, c->charge_efficiency, c->interval_charge_var,
                                  c->method == PE_SOH_TLS ? c->variance_ratio : 1.0f};
        const float nonnegative[] = {c->min_delta_soc, c->current_noise_var};
        if (!pe_all_at_least(positive, 9u, 0.0f, 1) || !pe_all_at_least(nonnegative, 2u, 0.0f, 0)) return PE_EST_ERR_CONFIG;
    }
    if (c->min_capacity_ah > c->nominal_capacity_ah || c->max_capacity_ah < c->nominal_capacity_ah
        || c->forgetting > 1.0f || c->min_delta_soc > 1.0f || c->charge_efficiency > 1.0f) {
        return PE_EST_ERR_CONFIG;
    }
    return PE_EST_OK;
}

/* The capacity from the sums, clamped to the bounds. */
static float pe_soh_solve(const pe_soh_state_t *s, const pe_soh_config_t *c) {
    float q;
    if (c->method == PE_SOH_TLS) {
        /* Root of c2 Q^2 + (delta c1 - c3) Q - delta c2 = 0 with Q > 0 (c2 > 0 for positive data). */
        float delta = c->variance_ratio, d = s->c3 - delta * s->c1;
        q = s->c2 > 0.0f ? (d + sqrtf(d * d + 4.0f * delta * s->c2 * s->c2)) / (2.0f * s->c2) : s->capacity_ah;
    } else {
        q = s->c1 > 0.0f ? s->c2 / s->c1 : s->capacity_ah;
    }
    if (!isfinite(q)) q = s->capacity_ah;
    if (q < c->min_capacity_ah) q = c->min_capacity_ah;
    if (q > c->max_capacity_ah) q = c->max_capacity_ah;
    return q;
}

/* Folds one (x, y) pair into the sums with its weight. */
static void pe_soh_fold(pe_soh_state_t *s, const pe_soh_config_t *c, float x, float soc_var, float y,
                        float charge_var) {
    float w = c->method == PE_SOH_TLS ? 1.0f / soc_var : 1.0f / charge_var;
    s->c1 = c->forgetting * s->c1 + x * x * w;
    s->c2 = c->forgetting * s->c2 + x * y * w;
    s->c3 = c->forgetting * s->c3 + y * y * w;
    s->capacity_ah = pe_soh_solve(s, c);
}

pe_estimator_status_t pe_soh_init(pe_soh_state_t *s, const pe_soh_config_t *c) {
    if (s == NULL || c == NULL) return PE_EST_ERR_NULL;
    if (pe_soh_config_validate(c) != PE_EST_OK) return PE_EST_ERR_CONFIG;
    s->c1 = 0.0f;
    s->c2 = 0.0f;
    s->c3 = 0.0f;
    s->capacity_ah = c->nominal_capacity_ah;
    s->charge_ah = 0.0f;
    s->charge_var = 0.0f;
    s->anchor_soc = 0.0f;
    s->anchor_soc_var = 0.0f;
    s->has_anchor = 0;
    s->samples = 0;
    /* Prior pseudo-sample: a full SoC swing that took exactly the nominal capacity. */
    pe_soh_fold(s, c, 1.0f, c->prior_soc_var, c->nominal_capacity_ah, c->prior_charge_var);
    return PE_EST_OK;
}

pe_estimator_status_t pe_soh_add_sample(pe_soh_state_t *s, const pe_soh_config_t *c, float delta_soc,
                                        float soc_var, float charge_ah, float charge_var) {
    if (s == NULL || c == NULL) return PE_EST_ERR_NULL;
    if (!isfinite(delta_soc) || !isfinite(charge_ah) || !pe_soh_positive(soc_var) || !pe_soh_positive(charge_var)
        || delta_soc < -1.0f || delta_soc > 1.0f) {
        return PE_EST_ERR_INPUT;
    }
    if (fabsf(delta_soc) < c->min_delta_soc) return PE_EST_SKIPPED;
    pe_soh_fold(s, c, delta_soc, soc_var, charge_ah, charge_var);
    if (s->samples != UINT32_MAX) s->samples += 1u;
    return PE_EST_OK;
}

pe_estimator_status_t pe_soh_accumulate(pe_soh_state_t *s, const pe_soh_config_t *c, float current_a, float dt_s) {
    float eta, hours;
    if (s == NULL || c == NULL) return PE_EST_ERR_NULL;
    if (!isfinite(current_a) || !pe_soh_positive(dt_s)) return PE_EST_ERR_INPUT;
    eta = current_a < 0.0f ? c->charge_efficiency : 1.0f;
    hours = dt_s / 3600.0f;
    s->charge_ah += eta * current_a * hours;
    s->charge_var += c->current_noise_var * hours * hours;
    return PE_EST_OK;
}

pe_estimator_status_t pe_soh_anchor(pe_soh_state_t *s, const pe_soh_config_t *c, float soc, float soc_var) {
    pe_estimator_status_t status = PE_EST_SKIPPED;
    if (s == NULL || c == NULL) return PE_EST_ERR_NULL;
    if (!isfinite(soc) || soc < 0.0f || soc > 1.0f || !pe_soh_positive(soc_var)) return PE_EST_ERR_INPUT;
    if (s->has_anchor) {
        status = pe_soh_add_sample(s, c, s->anchor_soc - soc, s->anchor_soc_var + soc_var, s->charge_ah,
                                   s->charge_var + c->interval_charge_var);
    }
    s->anchor_soc = soc;
    s->anchor_soc_var = soc_var;
    s->has_anchor = 1u;
    s->charge_ah = 0.0f;
    s->charge_var = 0.0f;
    return status;
}

float pe_soh_state_of_health(const pe_soh_state_t *s, const pe_soh_config_t *c) {
    if (s == NULL || c == NULL || !(c->nominal_capacity_ah > 0.0f)) return 0.0f;
    return s->capacity_ah / c->nominal_capacity_ah;
}
