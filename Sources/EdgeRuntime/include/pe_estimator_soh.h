/**
 * @file pe_estimator_soh.h
 * @brief Recursive total-capacity (state-of-health) estimator from SoC changes and counted charge.
 *
 * Between two points with trustworthy SoC (after a rest, from the OCV; or from the EKF when its variance
 * is small) the charge counted is y = Q x with x = z_start - z_end and y = integral of eta(i) i dt / 3600
 * [A.h] (positive = discharge). Q is fitted through the origin by recursive sums with a forgetting factor
 * gamma (G. L. Plett, "Recursive approximate weighted total least squares estimation of battery cell
 * total capacity", J. Power Sources 196 (2011) 2319-2331, doi:10.1016/j.jpowsour.2010.09.048):
 *
 *     c1 <- gamma c1 + x^2 w,   c2 <- gamma c2 + x y w,   c3 <- gamma c3 + y^2 w
 *
 *  - PE_SOH_WLS (weighted least squares, errors in y only): w = 1 / var(y), Q = c2 / c1.
 *  - PE_SOH_TLS (total least squares, errors in both with var(y) = delta var(x), Plett's TLS case):
 *    w = 1 / var(x), Q solves c2 Q^2 + (delta c1 - c3) Q - delta c2 = 0, i.e.
 *    Q = (c3 - delta c1 + sqrt((c3 - delta c1)^2 + 4 delta c2^2)) / (2 c2).
 *    WLS is biased low when the SoC differences are noisy; TLS is not.
 *
 * The nominal capacity enters as a prior pseudo-sample (x = 1, y = Q_nom). The estimate is clamped to
 * [min_capacity_ah, max_capacity_ah].
 */
#ifndef PE_ESTIMATOR_SOH_H
#define PE_ESTIMATOR_SOH_H

#include "pe_estimator.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which fit the capacity estimator uses. */
typedef enum {
    PE_SOH_WLS = 0, /**< weighted least squares, errors in the counted charge only */
    PE_SOH_TLS = 1  /**< total least squares, errors in both with a fixed variance ratio */
} pe_soh_method_t;

/** Capacity estimator settings. */
typedef struct {
    pe_soh_method_t method;
    float nominal_capacity_ah;   /**< prior and reference for SoH [A.h] */
    float min_capacity_ah;       /**< lower bound of the estimate [A.h], > 0 */
    float max_capacity_ah;       /**< upper bound [A.h] */
    float forgetting;            /**< gamma in (0, 1]; 1 keeps every sample */
    float prior_soc_var;         /**< variance of the prior's x = 1 (its weight; larger = weaker prior) */
    float prior_charge_var;      /**< variance of the prior's y = Q_nom [A.h^2] */
    float min_delta_soc;         /**< smallest |x| used; smaller intervals carry too little information */
    float charge_efficiency;     /**< coulombic efficiency on charge, in (0, 1] */
    float current_noise_var;     /**< variance of one current sample [A^2], accumulated into var(y) */
    float interval_charge_var;   /**< variance added to var(y) per interval (offset, quantisation) [A.h^2] */
    float variance_ratio;        /**< delta = var(y) / var(x) for PE_SOH_TLS [A.h^2] */
} pe_soh_config_t;

/** Estimator state, owned by the caller. */
typedef struct {
    float c1, c2, c3;            /**< the recursive sums */
    float capacity_ah;           /**< present estimate [A.h] */
    float charge_ah;             /**< charge counted since the last anchor [A.h], positive = discharged */
    float charge_var;            /**< its variance from current noise [A.h^2] */
    float anchor_soc;            /**< SoC at the last anchor */
    float anchor_soc_var;        /**< its variance */
    uint32_t has_anchor;         /**< 1 once an anchor is set */
    uint32_t samples;            /**< samples fitted (not counting the prior) */
} pe_soh_state_t;

/** Checks the settings (positive, ordered bounds containing the nominal, gamma in (0, 1], ...). */
pe_estimator_status_t pe_soh_config_validate(const pe_soh_config_t *config);

/** Starts from the prior: capacity = nominal, no anchor, no charge counted. */
pe_estimator_status_t pe_soh_init(pe_soh_state_t *state, const pe_soh_config_t *config);

/** Adds one sample: SoC change `delta_soc` (start - end) with variance `soc_var`, charge `charge_ah` with
 *  variance `charge_var`. PE_EST_SKIPPED when |delta_soc| < min_delta_soc. */
pe_estimator_status_t pe_soh_add_sample(pe_soh_state_t *state, const pe_soh_config_t *config, float delta_soc,
                                        float soc_var, float charge_ah, float charge_var);

/** Counts the charge of `current_a` [A, positive = discharge] held for `dt_s` [s] since the last anchor. */
pe_estimator_status_t pe_soh_accumulate(pe_soh_state_t *state, const pe_soh_config_t *config, float current_a,
                                        float dt_s);

/**
 * Marks a point of trusted SoC `soc` (variance `soc_var`). With a previous anchor, the interval since it
 * becomes a sample (PE_EST_OK, or PE_EST_SKIPPED if too small); either way a new interval starts here.
 */
pe_estimator_status_t pe_soh_anchor(pe_soh_state_t *state, const pe_soh_config_t *config, float soc,
                                    float soc_var);

/** State of health: capacity estimate / nominal capacity (0 on NULL). */
float pe_soh_state_of_health(const pe_soh_state_t *state, const pe_soh_config_t *config);

#ifdef __cplusplus
}
#endif

#endif /* PE_ESTIMATOR_SOH_H */
