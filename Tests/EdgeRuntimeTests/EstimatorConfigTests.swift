import EdgeRuntime
import Testing

/// The estimators' config checks: every parameter refuses NaN, infinities and values below its floor, and
/// accepts its boundary values.
@Suite("EdgeRuntime estimator configs")
struct EstimatorConfigTests {
    /// Fields that must be > 0 and fields that may be 0, for the EKF.
    nonisolated(unsafe) static let ekfPositive: [WritableKeyPath<pe_ekf_config_t, Float>] = [\.capacity_ah, \.charge_efficiency, \.tau1_s, \.tau2_s, \.voltage_noise_var]
    nonisolated(unsafe) static let ekfNonnegative: [WritableKeyPath<pe_ekf_config_t, Float>] = [\.r0_ohm, \.r1_ohm, \.r2_ohm, \.process_noise_soc,
                                                                         \.process_noise_v1, \.process_noise_v2, \.current_noise_var]

    @Test func ekfConfigRefusesEveryBadParameter() {
        var good = SoCEstimatorTests.filterConfig()
        #expect(pe_ekf_config_validate(&good) == PE_EST_OK)
        for field in Self.ekfPositive + Self.ekfNonnegative {
            for bad: Float in [.nan, .infinity, -.infinity, -1, -.leastNonzeroMagnitude] {
                var c = good
                c[keyPath: field] = bad
                #expect(pe_ekf_config_validate(&c) == PE_EST_ERR_CONFIG, "\(field) = \(bad) accepted")
            }
            var zero = good
            zero[keyPath: field] = 0
            let expected = Self.ekfNonnegative.contains(field) ? PE_EST_OK : PE_EST_ERR_CONFIG
            #expect(pe_ekf_config_validate(&zero) == expected, "\(field) = 0")
        }
        var c = good
        c.charge_efficiency = 1
        #expect(pe_ekf_config_validate(&c) == PE_EST_OK)
        c.charge_efficiency = 1.0001
        #expect(pe_ekf_config_validate(&c) == PE_EST_ERR_CONFIG)
        #expect(pe_ekf_config_validate(nil) == PE_EST_ERR_NULL)
    }

    nonisolated(unsafe) static let sohPositive: [WritableKeyPath<pe_soh_config_t, Float>] = [\.nominal_capacity_ah, \.min_capacity_ah, \.max_capacity_ah, \.forgetting,
                                                                      \.prior_soc_var, \.prior_charge_var, \.charge_efficiency,
                                                                      \.interval_charge_var, \.variance_ratio]
    nonisolated(unsafe) static let sohNonnegative: [WritableKeyPath<pe_soh_config_t, Float>] = [\.min_delta_soc, \.current_noise_var]

    @Test func capacityConfigRefusesEveryBadParameter() {
        let good = CapacityEstimatorTests.config(PE_SOH_TLS, forgetting: 0.99)
        for field in Self.sohPositive + Self.sohNonnegative {
            for bad: Float in [.nan, .infinity, -.infinity, -1] {
                var c = good
                c[keyPath: field] = bad
                #expect(pe_soh_config_validate(&c) == PE_EST_ERR_CONFIG, "\(field) = \(bad) accepted")
            }
            var zero = good
            zero[keyPath: field] = 0
            let expected = Self.sohNonnegative.contains(field) ? PE_EST_OK : PE_EST_ERR_CONFIG
            #expect(pe_soh_config_validate(&zero) == expected, "\(field) = 0")
        }
        // The variance ratio matters only to total least squares.
        var wls = CapacityEstimatorTests.config(PE_SOH_WLS, forgetting: 0.99)
        wls.variance_ratio = .nan
        #expect(pe_soh_config_validate(&wls) == PE_EST_OK)
        // Upper bounds and ordering.
        for (field, value) in [(\pe_soh_config_t.forgetting, Float(1.01)), (\.min_delta_soc, 1.01), (\.charge_efficiency, 1.01),
                               (\.min_capacity_ah, 5.1), (\.max_capacity_ah, 4.9)] as [(WritableKeyPath<pe_soh_config_t, Float>, Float)] {
            var c = good
            c[keyPath: field] = value
            #expect(pe_soh_config_validate(&c) == PE_EST_ERR_CONFIG, "\(field) = \(value) accepted")
        }
        var c = good
        c.forgetting = 1; c.min_delta_soc = 1; c.charge_efficiency = 1
        #expect(pe_soh_config_validate(&c) == PE_EST_OK)
    }
}
