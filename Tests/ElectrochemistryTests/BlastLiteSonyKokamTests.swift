import Foundation
import Testing
@testable import Electrochemistry

/// The Kokam 75 Ah NMC111, Sony-Murata 3 Ah LFP and Sony-Murata 2.5 Ah NCA|Gr-Si models against
/// BLAST-Lite 1.1 itself, every output column at every evaluation point within 1e-6 (the issue asks
/// for 2e-3): on the seven profiles of docs/validation/blast_reference.py (`generated/`) and on four
/// more made by docs/validation/blast_generate_extra.py (`extra/`, rebuilt from their JSON: a partial
/// daily cycle under seasonal and daily temperature swings, 80 % storage with a weekly cycle at
/// 45 °C, continuous 2–100 % 4 h cycles at 30 ± 8 °C, and full charge with a shallow daily dip at 60 °C).
@Suite struct BlastLiteSonyKokamTests {
    static let models = ["Nmc111_Gr_Kokam75Ah_Battery", "Lfp_Gr_SonyMurata3Ah_Battery",
                         "NCA_GrSi_SonyMurata2p5Ah_Battery"]
    static let extraProfiles = ["daily_partial_seasonal", "weekly_cycle_storage_45C", "cycling_4h_30C",
                                "daily_shallow_60C"]
    /// The `extra/` tables name the calendar and cycling outputs q_t and q_EFC (BLAST-Lite's
    /// q_LLI_t and q_LLI_EFC for the Kokam and LFP models).
    static let extraNames = ["q_t": "q_LLI_t", "q_EFC": "q_LLI_EFC"]

    /// Rebuilds an `extra/` profile: periodic piecewise-linear SoC (period `period_hours`) and a
    /// temperature mean + annual sine + daily cosine peaking at `daily_peak_hour`, every `step_s`.
    static func extraProfile(_ name: String) throws -> (time: [Double], soc: [Double], temperature: [Double]) {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/blast-lite/extra/\(name)", withExtension: "json"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let period = try #require(json["period_hours"] as? Double)
        let days = try #require(json["days"] as? Double), step = try #require(json["step_s"] as? Double)
        let knots = try #require(json["knots"] as? [[Double]])
        let tp = try #require(json["temperature"] as? [String: Double])
        let mean = tp["mean"] ?? 0, annual = tp["annual_amplitude"] ?? 0
        let daily = tp["daily_amplitude"] ?? 0, peak = tp["daily_peak_hour"] ?? 0
        let n = Int((days * 86_400 / step).rounded())
        var time = [Double](), soc = [Double](), temperature = [Double]()
        for i in 0...n {
            let t = Double(i) * step
            let h = (t / 3600).truncatingRemainder(dividingBy: period)
            var value = knots[knots.count - 1][1]
            for k in 1..<knots.count where h <= knots[k][0] {
                let (h0, s0, h1, s1) = (knots[k - 1][0], knots[k - 1][1], knots[k][0], knots[k][1])
                value = h1 > h0 ? s0 + (s1 - s0) * (h - h0) / (h1 - h0) : s1
                break
            }
            time.append(t); soc.append(value)
            temperature.append(mean + annual * sin(2 * Double.pi * t / (365 * 86_400))
                               + daily * cos(2 * Double.pi * (t - peak * 3600) / 86_400))
        }
        return (time, soc, temperature)
    }

    @Test(arguments: models)
    func generatedProfilesWithin1e6(model name: String) throws {
        for profileName in BlastLiteGeneratedTests.profiles
        where !BlastLiteGeneratedTests.withoutReference.contains("\(name)__\(profileName)") {
            let p = try BlastLiteGeneratedTests.profile(profileName)
            var model = try BlastLite.model(named: name)
            let ours = BlastLite.table(&model, time: p.time, soc: p.soc, temperature: p.temperature)
            let errors = try BlastLiteTests.compare(ours, "generated/\(name)__\(profileName)", tolerance: 1e-6)
            #expect(errors["efc"]! <= 1e-6, "\(name) \(profileName)")
        }
    }

    @Test(arguments: models)
    func extraProfilesWithin1e6(model name: String) throws {
        for profileName in Self.extraProfiles {
            let p = try Self.extraProfile(profileName)
            var model = try BlastLite.model(named: name)
            let ours = BlastLite.table(&model, time: p.time, soc: p.soc, temperature: p.temperature)
            let ref = try BlastLiteTests.reference("extra/\(name)__\(profileName)")
            #expect(ours.rows.count == ref.rows.count, "\(name) \(profileName)")
            var report: [String] = []
            for (j, column) in ref.columns.enumerated() {
                let ourName = ours.columns.contains(column) ? column : Self.extraNames[column] ?? column
                #expect(ours.columns.contains(ourName), "\(name): no \(column)")
                guard let a = ours.column(ourName) else { continue }
                let worst = zip(a, ref.rows.map { $0[j] }).map { abs($0 - $1) }.max() ?? .infinity
                report.append("\(column) \(worst)")
                #expect(worst <= 1e-6, "\(name) \(profileName) \(column)")
            }
            print("BlastLite extra/\(name)__\(profileName): " + report.joined(separator: ", "))
        }
    }

    /// A state above the plateau of a colder chunk's sigmoid does not grow (BLAST-Lite returns NaN
    /// here; e.g. the Sony-Murata LFP calendar loss on the bench suite's temperature draws).
    @Test func sigmoidStateAbovePlateauStaysFinite() {
        #expect(BlastLite.sigmoidStep(0.05, 1, 0.04, 1e-3, 0.8) == 0)
        var model = BlastLiteLfpGrSonyMurata3Ah()
        let p = BlastLiteGeneratedTests.benchHourly(days: 365)
        _ = BlastLite.table(&model, time: p.time, soc: p.soc, temperature: p.temperature)
        #expect(model.q.isFinite && model.q < 1 && model.q > 0.8)
        #expect(model.r!.isFinite && model.r! > 1)
    }
}
