/**
 * @file pe_estimator.h
 * @brief Shared pieces of the state estimators: status codes and the OCV(SoC) look-up table.
 *
 * The SoC estimator is in pe_estimator_ekf.h, the capacity (SoH) estimator in pe_estimator_soh.h.
 * Units: V, A (positive = discharge), s, A.h, SoC as a fraction. C99, no allocation, no globals, no I/O.
 */
#ifndef PE_ESTIMATOR_H
#define PE_ESTIMATOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status of an estimator call. */
typedef enum {
    PE_EST_OK = 0,
    PE_EST_ERR_NULL = 1,     /**< a required pointer was NULL */
    PE_EST_ERR_CONFIG = 2,   /**< the config is inconsistent (see the *_config_validate functions) */
    PE_EST_ERR_INPUT = 3,    /**< an input was not finite or out of range; the state is unchanged */
    PE_EST_ERR_NUMERIC = 4,  /**< a numerical safeguard acted (e.g. covariance re-initialised) */
    PE_EST_SKIPPED = 5       /**< nothing to do with this input (e.g. too small a SoC change); not an error */
} pe_estimator_status_t;

/** Most points in an OCV table. */
#define PE_OCV_MAX_POINTS 64u

/** Open-circuit voltage over state of charge, linear between points. */
typedef struct {
    float soc[PE_OCV_MAX_POINTS];       /**< strictly increasing [-] */
    float voltage_v[PE_OCV_MAX_POINTS]; /**< OCV at each point [V] */
    uint32_t count;                     /**< 2 ... PE_OCV_MAX_POINTS */
} pe_ocv_table_t;

/** Fills `table` from `count` points (SoC strictly increasing, all finite); the table is unchanged on error. */
pe_estimator_status_t pe_ocv_table_set(pe_ocv_table_t *table, const float *soc, const float *voltage_v,
                                       size_t count);

/** Checks a table already filled in place (count, order, finiteness). */
pe_estimator_status_t pe_ocv_table_validate(const pe_ocv_table_t *table);

/**
 * OCV [V] at `soc` by linear interpolation, clamped to the end values outside the table; `slope`
 * (optional) receives dOCV/dSoC [V] of the segment used (the end segment outside the table, so that
 * an estimator keeps its sensitivity there).
 */
float pe_ocv_lookup(const pe_ocv_table_t *table, float soc, float *slope);

/** The SoC whose OCV is `voltage_v` (inverse look-up; the table must be strictly increasing in V). */
pe_estimator_status_t pe_ocv_inverse(const pe_ocv_table_t *table, float voltage_v, float *soc);

#ifdef __cplusplus
}
#endif

#endif /* PE_ESTIMATOR_H */
