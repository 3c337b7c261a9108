/**
 * @file pe_estimator_ekf.h
 * @brief Extended Kalman filter for state of charge on a two-RC equivalent-circuit model.
 *
 * After G. L. Plett, "Extended Kalman filtering for battery management systems of LiPB-based HEV battery
 * packs", J. Power Sources 134 (2004), parts 1-3, 252-292, doi:10.1016/j.jpowsour.2004.02.031..033.
 * State x = [z, v1, v2]: SoC and the voltages over the two RC pairs. With the current i [A, positive =
 * discharge] held over a step of dt [s] (zero-order hold) the discretisation is exact:
 *
 *     z+  = z - eta(i) i dt / (3600 Q)          eta = 1 on discharge, charge_efficiency on charge
 *     vj+ = aj vj + Rj (1 - aj) i,              aj = exp(-dt / tau_j)
 *     y   = OCV(z) - R0 i - v1 - v2             (terminal voltage, the measurement)
 *
 * Jacobians A = diag(1, a1, a2), C = [dOCV/dz, -1, -1]. Process noise per step:
 * Q = diag(q) dt + b b^T var(i) with b = dx+/di; measurement noise var(v) + R0^2 var(i). The covariance
 * update uses the Joseph form, is symmetrised, and is re-initialised to its diagonal if a Cholesky test
 * ever fails (counted). Parameters are for one temperature; the caller may swap configs by temperature.
 */
#ifndef PE_ESTIMATOR_EKF_H
#define PE_ESTIMATOR_EKF_H

#include "pe_estimator.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Model and noise parameters of the SoC filter. */
typedef struct {
    float capacity_ah;         /**< capacity Q between SoC 0 and 1 [A.h] (update it from the SoH estimator) */
    float charge_efficiency;   /**< coulombic efficiency on charge, in (0, 1] */
    float r0_ohm;              /**< series resistance [Ohm] */
    float r1_ohm, tau1_s;      /**< first RC pair: resistance [Ohm], time constant [s] */
    float r2_ohm, tau2_s;      /**< second RC pair */
    pe_ocv_table_t ocv;        /**< OCV(SoC) [V] */
    float process_noise_soc;   /**< SoC random-walk variance growth [1/s] */
    float process_noise_v1;    /**< v1 variance growth [V^2/s] */
    float process_noise_v2;    /**< v2 variance growth [V^2/s] */
    float current_noise_var;   /**< variance of the current sample [A^2] */
    float voltage_noise_var;   /**< variance of the voltage sample [V^2] */
} pe_ekf_config_t;

/** Filter state, owned by the caller. */
typedef struct {
    float x[3];                /**< [SoC, v1 [V], v2 [V]] */
    float p[3][3];             /**< covariance of x */
    float cached_dt_s, cached_tau1_s, cached_tau2_s; /**< step whose decay factors are cached */
    float a1, a2;              /**< exp(-dt/tau1), exp(-dt/tau2) for the cached step */
    float innovation_v;        /**< last measured minus predicted voltage [V] */
    float innovation_var;      /**< its predicted variance [V^2] */
    uint32_t updates;          /**< measurement updates done */
    uint32_t covariance_resets;/**< times the covariance was re-initialised by the positivity guard */
} pe_ekf_state_t;

/** Checks a config: positive capacity, resistances and time constants, efficiency in (0, 1],
 *  non-negative noises with a positive voltage noise, a valid OCV table. */
pe_estimator_status_t pe_ekf_config_validate(const pe_ekf_config_t *config);

/**
 * Starts the filter at SoC `soc` with variance `soc_var`, the RC voltages at 0 with variance `v_rc_var`
 * [V^2] each, and no correlation.
 */
pe_estimator_status_t pe_ekf_init(pe_ekf_state_t *state, float soc, float soc_var, float v_rc_var);

/** Time update: propagates the state and covariance over `dt_s` under the held current `current_a`. */
pe_estimator_status_t pe_ekf_predict(pe_ekf_state_t *state, const pe_ekf_config_t *config, float current_a,
                                     float dt_s);

/** Measurement update with the terminal voltage `voltage_v` sampled while `current_a` flows. */
pe_estimator_status_t pe_ekf_correct(pe_ekf_state_t *state, const pe_ekf_config_t *config, float current_a,
                                     float voltage_v);

/** One full step: pe_ekf_predict over `dt_s` with `current_a`, then pe_ekf_correct with `voltage_v`. */
pe_estimator_status_t pe_ekf_update(pe_ekf_state_t *state, const pe_ekf_config_t *config, float current_a,
                                    float voltage_v, float dt_s);

/** Entry (row, col) of the covariance (0 for indices out of range). */
float pe_ekf_covariance(const pe_ekf_state_t *state, uint32_t row, uint32_t col);

/** 1 when the covariance is symmetric and positive definite (Cholesky succeeds), else 0. */
int pe_ekf_covariance_is_positive(const pe_ekf_state_t *state);

#ifdef __cplusplus
}
#endif

#endif /* PE_ESTIMATOR_EKF_H */
