import Testing
@testable import Electrochemistry

/// SEI growth in the SPM/SPMe (reaction-limited, solvent-diffusion-limited, EC-reaction-limited) against PyBaMM 26.10
/// (Fixtures/cases/chen2020_spm*_sei_*_20cyc*: 20 CC–CV cycles, 1C discharge to 2.5 V, C/2 charge to 4.2 V, hold to C/20,
/// 60 s output period; the EC-reaction-limited and the SPM rtol-1e-8 cases were generated for this suite, see their JSON).
@Suite("SEI growth")
struct SEITests {
    /// The voltage and SEI errors of one run against a reference case.
    struct Comparison {
        var rmse = 0.0, maxError = 0.0, pairs = 0, maxTemperatureError = 0.0
        var lossError = 0.0, thicknessError = 0.0, endTimeError = 0.0
    }

    /// Runs the case's experiment with `growth` and compares step by step: within each step the rows share their
    /// times from the step start (PyBaMM's output grid), so row k of a step is paired with the reference's row k,
    /// and the steps' last rows (the located events) with each other. Returns the V errors [V] over all pairs,
    /// and the relative end errors of the SEI capacity loss and thickness.
    static func compare(_ id: String, growth: SEIGrowth, variant: SingleParticleModel.Variant = .spme,
                        thermal: ThermalOption = .isothermal, period: Double = 60) throws -> (SimulationResult, Comparison) {
        let reference = try SimulationReferenceTests.load(id)
        let model = try SingleParticleModel(parameters: .chen2020, variant: variant, stoN: reference.stoN,
                                           stoP: reference.stoP, thermal: thermal, sei: growth)
        let result = try Simulation(experiment: Experiment(reference.steps), defaultPeriod: period).run(model)
        let t = try #require(reference.columns["t [s]"]), v = try #require(reference.columns["V [V]"])
        let temperature = try #require(reference.columns["T [K]"])
        let loss = try #require(reference.columns["SEI capacity loss [A.h]"])
        let thickness = try #require(reference.columns["SEI thickness [m]"])
        // Reference steps: a step starts where a time repeats (the previous step's last row).
        var starts = [0]
        for k in 1..<t.count where t[k] == t[k - 1] { starts.append(k) }
        starts.append(t.count)
        #expect(starts.count - 1 == result.steps.count)
        #expect(result.agingRows.count == result.rows.count)
        var c = Comparison(), sum = 0.0
        for (s, step) in result.steps.enumerated() where s + 1 < starts.count {
            let ours = Array(step.rows), theirs = Array(starts[s]..<starts[s + 1])
            let n = min(ours.count, theirs.count)
            guard n > 0 else { continue }
            var pairs = (0..<(n - 1)).map { (ours[$0], theirs[$0]) }
            pairs.append((ours[ours.count - 1], theirs[theirs.count - 1]))
            for (a, b) in pairs {
                let e = result.rows[a].voltage - v[b]
                sum += e * e
                c.maxError = max(c.maxError, abs(e))
                c.maxTemperatureError = max(c.maxTemperatureError, abs(result.rows[a].temperature - temperature[b]))
                c.pairs += 1
            }
        }
        c.rmse = (sum / Double(max(c.pairs, 1))).squareRoot()
        let end = try #require(result.agingRows.last), last = try #require(result.rows.last)
        c.lossError = (end.seiCapacityLoss - loss[loss.count - 1]) / loss[loss.count - 1]
        c.thicknessError = (end.seiThickness - thickness[thickness.count - 1]) / thickness[thickness.count - 1]
        c.endTimeError = last.time - t[t.count - 1]
        #expect(result.agingRows.first?.seiCapacityLoss == 0)
        #expect(result.agingRows.first?.seiThickness == thickness[0])
        print("\(id): \(result.rows.count) rows (reference \(t.count)), V RMSE \(c.rmse * 1e3) mV, max \(c.maxError * 1e3) mV, "
              + "T max \(c.maxTemperatureError) K; "
              + "end SEI loss \(end.seiCapacityLoss) vs \(loss[loss.count - 1]) A.h (\(c.lossError * 100) %), "
              + "L \(end.seiThickness) vs \(thickness[thickness.count - 1]) m, t_end \(last.time) vs \(t[t.count - 1]) s")
        return (result, c)
    }

    /// The fixture's SEI loss carries PyBaMM's own solver error: at its default tolerances (rtol 1e-4 on a state near
    /// L₀·a/V̄) PyBaMM ends 0.94 % above its converged answer, 0.014928334 A.h (the same run at rtol 1e-8, atol 1e-10).
    @Test("SPMe reaction-limited SEI, 20 cycles: V within 5 mV RMSE, SEI loss within 2 % of PyBaMM")
    func reactionLimited() throws {
        let (result, c) = try Self.compare("chen2020_spme_sei_reaction_limited_20cyc", growth: .reactionLimited)
        #expect(c.rmse < 5e-3, "V RMSE \(c.rmse * 1e3) mV")
        #expect(abs(c.lossError) < 0.02, "SEI loss error \(c.lossError * 100) %")
        let converged = 0.014928334170002127, loss = try #require(result.agingRows.last).seiCapacityLoss
        #expect(abs(loss / converged - 1) < 2e-4, "SEI loss \(loss) vs PyBaMM at rtol 1e-8 \(converged) A.h")
    }

    @Test("SPM reaction-limited SEI, 20 cycles, against PyBaMM at rtol 1e-8: V within 0.05 mV RMSE, SEI loss within 0.05 %")
    func spmReactionLimitedTight() throws {
        let (_, c) = try Self.compare("chen2020_spm_sei_reaction_limited_20cyc_tight", growth: .reactionLimited, variant: .spm)
        #expect(c.rmse < 5e-5 && c.maxError < 5e-4, "V RMSE \(c.rmse * 1e3) mV, max \(c.maxError * 1e3) mV")
        #expect(abs(c.lossError) < 5e-4 && abs(c.thicknessError) < 5e-4, "SEI loss error \(c.lossError * 100) %")
        #expect(abs(c.endTimeError) < 5, "end time off by \(c.endTimeError) s")
    }

    @Test("SPMe solvent-diffusion-limited SEI, 20 cycles: V within 5 mV RMSE, SEI loss within 2 % of PyBaMM")
    func solventDiffusionLimited() throws {
        let (_, c) = try Self.compare("chen2020_spme_sei_solvent_diffusion_20cyc", growth: .solventDiffusionLimited)
        #expect(c.rmse < 5e-3, "V RMSE \(c.rmse * 1e3) mV")
        #expect(abs(c.lossError) < 0.02, "SEI loss error \(c.lossError * 100) %")
    }
}

extension SEITests {
    @Test("SPMe EC-reaction-limited SEI, 20 cycles: V within 5 mV RMSE, SEI loss within 2 % of PyBaMM")
    func ecReactionLimited() throws {
        let (_, c) = try Self.compare("chen2020_spme_sei_ec_reaction_limited_20cyc", growth: .ecReactionLimited)
        #expect(c.rmse < 5e-3, "V RMSE \(c.rmse * 1e3) mV")
        #expect(abs(c.lossError) < 0.02, "SEI loss error \(c.lossError * 100) %")
    }
}

extension SEITests {
    @Test("SPMe lumped, EC-reaction-limited SEI, 2C/1C/CV against PyBaMM at rtol 1e-7: V, T and SEI loss")
    func lumpedEC() throws {
        let (_, c) = try Self.compare("chen2020_spme_lumped_sei_ec_2C", growth: .ecReactionLimited, thermal: .lumped, period: 10)
        #expect(c.rmse < 1e-4 && c.maxError < 5e-4, "V RMSE \(c.rmse * 1e3) mV, max \(c.maxError * 1e3) mV")
        #expect(c.maxTemperatureError < 0.06, "T max error \(c.maxTemperatureError) K")
        #expect(abs(c.lossError) < 5e-4, "SEI loss error \(c.lossError * 100) %")
    }
}
