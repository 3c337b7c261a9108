import EdgeRuntime
import Foundation
import PulseBMS

/// Timings of the device-side monitor and estimators of `EdgeRuntime` (issue 8, item 5), run by suite `edge`.
///
/// - `safety_check_ns`: one `pe_safety_check` (eight debounced checks, derating over the pack's temperature span,
///   voltage and SoC tapers) on a stream of 1024 measurements that wander across the warning bands (NMC limits:
///   4.15/4.25 V, 3.0/2.7 V, 10/15 A charge, 20/30 A discharge, 50/60 °C, 0/−10 °C, SoC 5–95 %; six-point
///   charge derating). Target ≤ 1000 ns.
/// - `ekf_update_ns`: one `pe_ekf_update` (predict and correct of the 2RC SoC filter, 41-point OCV table) at a
///   fixed 1 s step on a stream of 1024 (current, voltage) samples.
/// Each key is the median over 101 batches of 20,000 calls of the batch time per call.
enum EdgeMonitorBench {
    static func run(into report: inout Report) throws {
        if report.wants("safety_check_ns") { report.add("safety_check_ns", try safetyCheck(), threads: 1) }
        if report.wants("ekf_update_ns") { report.add("ekf_update_ns", try ekfUpdate(), threads: 1) }
    }

    /// Median per-call time [ns] of `body(k)` over batches of `calls` calls.
    static func medianNanoseconds(batches: Int = 101, calls: Int = 20_000, _ body: (Int) -> Void) -> Double {
        let clock = ContinuousClock()
        for k in 0..<calls { body(k) }  // warm-up
        var samples: [Double] = []
        for _ in 0..<batches {
            let elapsed = clock.measure { for k in 0..<calls { body(k) } }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            samples.append(seconds / Double(calls) * 1e9)
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    static func safetyConfig() throws -> pe_safety_config_t {
        var c = pe_safety_config_t()
        let limits: [(pe_safety_check_t, Float, Float)] = [
            (PE_SAFETY_CELL_OVERVOLTAGE, 4.15, 4.25), (PE_SAFETY_CELL_UNDERVOLTAGE, 3.0, 2.7),
            (PE_SAFETY_OVERCURRENT_CHARGE, 10, 15), (PE_SAFETY_OVERCURRENT_DISCHARGE, 20, 30),
            (PE_SAFETY_OVERTEMPERATURE, 50, 60), (PE_SAFETY_UNDERTEMPERATURE, 0, -10),
            (PE_SAFETY_SOC_HIGH, 0.95, 0.98), (PE_SAFETY_SOC_LOW, 0.05, 0.02),
        ]
        for (check, warning, fault) in limits { _ = pe_safety_config_set_limit(&c, check, warning, fault, 3, 5) }
        c.charge_current_limit_a = 8
        c.discharge_current_limit_a = 16
        c.current_deadband_a = 0.05
        let ct: [Float] = [-10, 0, 10, 25, 45, 55], cf: [Float] = [0, 0.2, 0.6, 1, 1, 0]
        let dt: [Float] = [-20, 25, 50, 60], df: [Float] = [0.3, 1, 1, 0]
        _ = pe_derating_table_set(&c.charge_derating, ct, cf, ct.count)
        _ = pe_derating_table_set(&c.discharge_derating, dt, df, dt.count)
        guard pe_safety_config_validate(&c) == PE_SAFETY_OK else { throw EdgeBenchError.config("safety") }
        return c
    }

    static func safetyCheck() throws -> Double {
        var config = try safetyConfig(), state = pe_safety_state_t(), out = pe_safety_report_t()
        _ = pe_safety_init(&state)
        var rng = Xoshiro256StarStar(seed: 8)
        let stream = (0..<1024).map { _ in
            let v = Float(rng.nextUniform(in: 2.8, 4.2)), t = Float(rng.nextUniform(in: -5, 55))
            return pe_measurement_t(cell_voltage_max_v: v + 0.05, cell_voltage_min_v: v, current_a: Float(rng.nextUniform(in: -12, 25)),
                                    temperature_max_c: t + 3, temperature_min_c: t, soc: Float(rng.nextUniform(in: 0.03, 0.97)))
        }
        var sink: Float = 0
        let ns = stream.withUnsafeBufferPointer { measurements in
            medianNanoseconds { k in
                _ = pe_safety_check(&state, &config, measurements.baseAddress! + (k & 1023), &out)
                sink += out.charge_limit_a
                if k & 1023 == 0 { _ = pe_safety_reset(&state, ~0, nil) }
            }
        }
        guard sink.isFinite, state.checks > 0 else { throw EdgeBenchError.config("safety result") }
        return ns
    }

    static func ekfUpdate() throws -> Double {
        var c = pe_ekf_config_t()
        let p = EquivalentCircuitParameters.chen2020
        c.capacity_ah = Float(p.capacity); c.charge_efficiency = 1
        c.r0_ohm = 0.025; c.r1_ohm = 0.005; c.tau1_s = 5; c.r2_ohm = 0.01; c.tau2_s = 400
        let socs = (0...40).map { Float($0) / 40 }
        let volts = socs.map { Float(p.openCircuitVoltage.value(stateOfCharge: Double($0), temperature: 298.15)) }
        _ = pe_ocv_table_set(&c.ocv, socs, volts, socs.count)
        c.process_noise_soc = 1e-10; c.process_noise_v1 = 1e-8; c.process_noise_v2 = 1e-8
        c.current_noise_var = 2.5e-3; c.voltage_noise_var = 2.5e-5
        guard pe_ekf_config_validate(&c) == PE_EST_OK else { throw EdgeBenchError.config("ekf") }
        var state = pe_ekf_state_t()
        _ = pe_ekf_init(&state, 0.6, 0.09, 0.01)
        var rng = Xoshiro256StarStar(seed: 9)
        let samples = (0..<1024).map { _ -> (Float, Float) in
            let i = rng.nextUniform(in: -5, 8)
            return (Float(i), Float(3.7 - 0.03 * i + rng.nextNormal(standardDeviation: 0.005)))
        }
        let ns = samples.withUnsafeBufferPointer { s in
            medianNanoseconds { k in
                let (i, v) = s[k & 1023]
                _ = pe_ekf_update(&state, &c, i, v, 1)
                if k & 1023 == 0 { _ = pe_ekf_init(&state, 0.6, 0.09, 0.01) }  // keep the SoC inside the table
            }
        }
        guard state.x.0.isFinite else { throw EdgeBenchError.config("ekf result") }
        return ns
    }
}

enum EdgeBenchError: Error, CustomStringConvertible {
    case config(String)
    var description: String {
        switch self { case .config(let what): "edge bench: invalid \(what)" }
    }
}
