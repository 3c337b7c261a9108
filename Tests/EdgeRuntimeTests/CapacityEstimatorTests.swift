import Testing
import EdgeRuntime
import Electrochemistry
import SeededRandom

/// The capacity (SoH) estimator (pe_estimator_soh.h) on a cell whose capacity fades while it cycles.
@Suite("EdgeRuntime capacity estimator")
struct CapacityEstimatorTests {
    static func config(_ method: pe_soh_method_t, forgetting: Float) -> pe_soh_config_t {
        var c = pe_soh_config_t()
        c.method = method
        c.nominal_capacity_ah = 5
        c.min_capacity_ah = 2.5
        c.max_capacity_ah = 5.5
        c.forgetting = forgetting
        c.prior_soc_var = 0.01
        c.prior_charge_var = 0.01
        c.min_delta_soc = 0.2
        c.charge_efficiency = 1
        c.current_noise_var = 0.05 * 0.05
        c.interval_charge_var = 0.01 * 0.01
        c.variance_ratio = 0.5  // var(y) / var(x) ≈ 1e-4 A.h² / 2e-4
        #expect(pe_soh_config_validate(&c) == PE_EST_OK)
        return c
    }

    /// Cycles a 2RC Chen2020 cell (see SoCEstimatorTests) between random SoC points while its capacity fades
    /// linearly by 20 % over 100 cycles. At each rest the SoC is read with a 1 % (1σ) error, as from the OCV;
    /// the charge between rests is counted from the current measured with 50 mA noise. Returns the relative
    /// errors of the estimate at every rest after the first `burnIn` samples.
    static func fade(_ method: pe_soh_method_t, forgetting: Float, seed: UInt64, burnIn: Int) throws -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed)
        let parameters = SoCEstimatorTests.twoRCParameters()
        let start = parameters.capacity
        let cell = try EquivalentCircuitModel(parameters: parameters, initialSoC: 0.9)
        var c = config(method, forgetting: forgetting), s = pe_soh_state_t()
        #expect(pe_soh_init(&s, &c) == PE_EST_OK)
        var errors: [Double] = []
        let cycles = 100
        for cycle in 0..<cycles {
            try cell.updateCapacity(start * (1 - 0.2 * Double(cycle) / Double(cycles)))
            for leg in 0..<2 {
                let soc = cell.stateOfCharge
                let measured = min(1, max(0, soc + rng.nextNormal(standardDeviation: 0.01)))
                let status = pe_soh_anchor(&s, &c, Float(measured), 1e-4)
                #expect(status == PE_EST_OK || status == PE_EST_SKIPPED)
                if status == PE_EST_OK, Int(s.samples) > burnIn {
                    errors.append(Double(s.capacity_ah) / cell.capacity - 1)
                }
                // Discharge to a random low point, or charge to a random high one, at 0.5C … 1C, 10 s steps.
                let target = leg == 0 ? rng.nextUniform(in: 0.1, 0.4) : rng.nextUniform(in: 0.7, 0.95)
                let amps = rng.nextUniform(in: 2.5, 5) * (leg == 0 ? 1 : -1)
                while leg == 0 ? cell.stateOfCharge > target : cell.stateOfCharge < target {
                    _ = try cell.step(current: amps, dt: 10)
                    #expect(pe_soh_accumulate(&s, &c, Float(amps + rng.nextNormal(standardDeviation: 0.05)), 10) == PE_EST_OK)
                }
            }
        }
        return errors
    }

    /// Measured: RMS 0.9 % (seed 5) and 1.6 % (seed 6) after 20 samples, worst 2.5 % and 3.4 %.
    @Test("recursive least squares tracks a 20 % capacity fade", arguments: [UInt64(5), 6])
    func weightedLeastSquares(seed: UInt64) throws {
        let errors = try Self.fade(PE_SOH_WLS, forgetting: 0.9, seed: seed, burnIn: 20)
        let worst = errors.map(abs).max() ?? 1
        let rms = (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
        #expect(errors.count > 150)
        #expect(rms < 0.025)
        #expect(worst < 0.05)
    }

    /// Measured: RMS 1.0 % and 1.7 %, worst 2.5 % and 3.4 %.
    @Test("total least squares tracks a 20 % capacity fade", arguments: [UInt64(5), 6])
    func totalLeastSquares(seed: UInt64) throws {
        let errors = try Self.fade(PE_SOH_TLS, forgetting: 0.9, seed: seed, burnIn: 20)
        let worst = errors.map(abs).max() ?? 1
        let rms = (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
        #expect(errors.count > 150)
        #expect(rms < 0.025)
        #expect(worst < 0.05)
    }

    /// Errors-in-variables: with σ(x) = 0.1 on SoC differences uniform in [0.3, 0.7], least squares is biased low by
    /// E[x²] / (E[x²] + σ²) ≈ 0.963 (regression dilution); total least squares with the right ratio is not.
    @Test("with noisy SoC differences, total least squares removes the bias of least squares")
    func errorsInVariables() {
        var rng = Xoshiro256StarStar(seed: 12)
        var wlsConfig = Self.config(PE_SOH_WLS, forgetting: 1), tlsConfig = Self.config(PE_SOH_TLS, forgetting: 1)
        tlsConfig.variance_ratio = 0.05 * 0.05 / (0.1 * 0.1)
        var wls = pe_soh_state_t(), tls = pe_soh_state_t()
        _ = pe_soh_init(&wls, &wlsConfig)
        _ = pe_soh_init(&tls, &tlsConfig)
        let capacity = 4.2
        for _ in 0..<4000 {
            let x = rng.nextUniform(in: 0.3, 0.7)
            let dz = Float(x + rng.nextNormal(standardDeviation: 0.1))
            let q = Float(capacity * x + rng.nextNormal(standardDeviation: 0.05))
            _ = pe_soh_add_sample(&wls, &wlsConfig, dz, 0.01, q, 0.0025)
            _ = pe_soh_add_sample(&tls, &tlsConfig, dz, 0.01, q, 0.0025)
        }
        let expectedBias = (0.25 + 0.16 / 12) / (0.25 + 0.16 / 12 + 0.01)
        #expect(abs(Double(wls.capacity_ah) / capacity - expectedBias) < 0.01)
        #expect(abs(Double(tls.capacity_ah) / capacity - 1) < 0.01)
    }

    @Test("exact samples give the exact capacity; bounds clamp; small intervals are skipped")
    func exactAndBounds() {
        var c = Self.config(PE_SOH_WLS, forgetting: 1), s = pe_soh_state_t()
        _ = pe_soh_init(&s, &c)
        for dz in [0.3, 0.5, 0.7] as [Float] {
            #expect(pe_soh_add_sample(&s, &c, dz, 1e-4, 4 * dz, 1e-8) == PE_EST_OK)
        }
        #expect(abs(s.capacity_ah - 4) < 1e-3)  // the prior (5 A.h) weighs 1e-6 of these samples
        #expect(abs(pe_soh_state_of_health(&s, &c) - 0.8) < 1e-3)
        #expect(pe_soh_add_sample(&s, &c, 0.1, 1e-4, 0.4, 1e-8) == PE_EST_SKIPPED)
        for _ in 0..<5 { _ = pe_soh_add_sample(&s, &c, 0.5, 1e-4, 0.5, 1e-8) }  // 1 A.h: below the bound
        #expect(s.capacity_ah == 2.5)
        #expect(pe_soh_add_sample(&s, &c, .nan, 1e-4, 1, 1e-4) == PE_EST_ERR_INPUT)
        c.max_capacity_ah = 4  // below the nominal
        #expect(pe_soh_config_validate(&c) == PE_EST_ERR_CONFIG)
    }
}
