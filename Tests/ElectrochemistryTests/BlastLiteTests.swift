import Foundation
import Testing
@testable import Electrochemistry

/// Regenerates the BLAST-Lite 1.1 reference runs (NREL, github.com/NREL/BLAST-Lite) from the profile
/// definitions of the reference README and compares every output column at every evaluation point.
@Suite struct BlastLiteTests {
    /// Reference table (header row of names, then numbers).
    static func reference(_ name: String) throws -> BlastLiteTable {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/blast-lite/\(name)", withExtension: "csv"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let columns = lines[0].split(separator: ",").map(String.init)
        let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        return BlastLiteTable(columns: columns, rows: rows)
    }

    /// Largest |ours − reference| per reference column; fails on a missing column or a row-count change.
    static func compare(_ ours: BlastLiteTable, _ name: String, tolerance: Double = 2e-3) throws -> [String: Double] {
        let ref = try reference(name)
        #expect(ours.rows.count == ref.rows.count, "\(name): \(ours.rows.count) rows, reference \(ref.rows.count)")
        var errors: [String: Double] = [:]
        for column in ref.columns {
            let a = try #require(ours.column(column), "\(name): no column \(column)")
            let b = ref.column(column)!
            errors[column] = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        }
        print("BlastLite \(name): rows \(ours.rows.count)/\(ref.rows.count) max|Δ| "
              + ref.columns.map { "\($0) \(errors[$0]!)" }.joined(separator: ", "))
        for column in ref.columns where column != "day" && column != "efc" {
            #expect(errors[column]! <= tolerance, "\(name) \(column)")
        }
        #expect(errors["day"]! <= 1e-5)   // reference days are printed to 8 significant digits
        return errors
    }

    static func run(_ modelName: String, knots: [(hour: Double, soc: Double)], celsius: Double,
                    days: Int = 365) throws -> BlastLiteTable {
        var model = try BlastLite.model(named: modelName)
        let profile = BlastLite.dailyProfile(knots: knots, days: days)
        let temperature = [Double](repeating: celsius, count: profile.time.count)
        return BlastLite.table(&model, time: profile.time, soc: profile.soc, temperature: temperature)
    }

    static let dailyFull: [(hour: Double, soc: Double)] = [(0, 0.05), (4, 1.0), (17, 1.0), (21, 0.05), (24, 0.05)]
    static let twiceDaily: [(hour: Double, soc: Double)] =
        [(0, 0.1), (3, 0.9), (7, 0.9), (10, 0.1), (12, 0.1), (15, 0.9), (19, 0.9), (22, 0.1), (24, 0.1)]

    @Test func nmc811DailyFull25C() throws {
        let errors = try Self.compare(Self.run("Nmc811_GrSi_LGM50_5Ah_Battery", knots: Self.dailyFull, celsius: 25),
                                      "Nmc811_GrSi_LGM50_5Ah_Battery__daily_full_25C", tolerance: 1e-5)
        // EFC agrees to 5e-6 through the first pass; the two rows after BLAST-Lite restarts the profile
        // (day > 363) differ by 0.004 EFC each, which leaves q unaffected at 1e-6.
        #expect(errors["efc"]! <= 0.01)
    }

    @Test func nmc811Storage90SoC40C() throws {
        let errors = try Self.compare(
            Self.run("Nmc811_GrSi_LGM50_5Ah_Battery", knots: [(0, 0.9), (24, 0.9)], celsius: 40),
            "Nmc811_GrSi_LGM50_5Ah_Battery__storage_90soc_40C", tolerance: 1e-5)
        #expect(errors["efc"]! == 0)
    }

    @Test func lfpTwiceDaily80DoD35C() throws {
        let errors = try Self.compare(Self.run("Lfp_Gr_250AhPrismatic", knots: Self.twiceDaily, celsius: 35),
                                      "Lfp_Gr_250AhPrismatic__twice_daily_80dod_35C", tolerance: 1e-5)
        #expect(errors["efc"]! <= 0.01)
    }

    @Test func lmoDailyFull25C() throws {
        let errors = try Self.compare(
            Self.run("Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery", knots: Self.dailyFull, celsius: 25),
            "Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery__daily_full_25C", tolerance: 1e-5)
        #expect(errors["efc"]! <= 0.01)
    }

    @Test func registryListsModelsAndRejectsUnknownNames() {
        #expect(BlastLite.modelNames.contains("Lfp_Gr_250AhPrismatic"))
        for name in BlastLite.modelNames {
            let model = try? BlastLite.model(named: name)
            #expect(model.map { type(of: $0).className } == name)
            #expect(model?.q == 1)
        }
        do {
            _ = try BlastLite.model(named: "Nope")
            Issue.record("no error for an unknown model")
        } catch {
            #expect(error.known == BlastLite.modelNames)
            #expect(error.description.contains("Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery"))
        }
    }

    @Test func tilingTwoDaysGivesTheLongProfile() {
        let knots = Self.twiceDaily
        let short = BlastLite.dailyProfile(knots: knots, days: 2), long = BlastLite.dailyProfile(knots: knots, days: 30)
        let tiled = BlastLite.tile(time: short.time, soc: short.soc,
                                   temperature: [Double](repeating: 25, count: short.time.count), days: 30)
        #expect(tiled.time == long.time)
        #expect(zip(tiled.soc, long.soc).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func turningPointsUseLastSampleOfPlateau() {
        let series = [0.0, 1, 1, 1, 0, 0, 2]
        #expect(BlastLite.reversalIndices(series) == [0, 3, 5, 6])
    }

    /// BLAST-Lite's state laws: the first step from y = 0 lands on the trajectory; explicit steps of
    /// dx then follow it to O(dx) (forward Euler on dy/dx written as a function of y).
    @Test func stateLawsFollowTheirTrajectories() {
        let laws: [(name: String, step: (Double, Double) -> Double, trajectory: (Double) -> Double)] = [
            ("power", { BlastLite.powerStep($0, $1, 0.02, 0.6) }, { 0.02 * pow($0, 0.6) }),
            ("powerB", { BlastLite.powerBStep($0, $1, 0.03, 0.7) }, { pow(0.03 * $0, 0.7) }),
            ("sigmoid", { BlastLite.sigmoidStep($0, $1, 0.1, 0.05, 1.2) },
             { 2 * 0.1 * (0.5 - 1 / (1 + exp(pow(0.05 * $0, 1.2)))) }),
        ]
        for law in laws {
            #expect(abs(law.step(0, 1) - law.trajectory(1)) <= 1e-15, "\(law.name)")
            var y = law.trajectory(1)
            let dx = 0.01
            for _ in 0..<9_900 { y += law.step(y, dx) }
            let exact = law.trajectory(100)
            #expect(abs(y - exact) <= 0.01 * exact, "\(law.name): \(y) vs \(exact)")
            #expect(law.step(y, 0) == 0)
        }
        // BLAST-Lite's exponential relaxation uses dy/dx = τ y∞² / (y∞ − y0) (not τ (y∞ − y0)), floored at 0.
        #expect(BlastLite.exponentialRelaxStep(0.01, 2, 0.05, 0.1) == 0.1 * 0.05 * 0.05 / (0.05 - 0.01) * 2)
        #expect(BlastLite.exponentialRelaxStep(0.06, 2, 0.05, 0.1) == 0)
    }

    @Test("every registered model tabulates day, efc, q, q_t, q_EFC first, then r where it has one")
    func standardColumns() throws {
        let profile = BlastLite.dailyProfile(knots: [(0, 0.2), (6, 0.9), (18, 0.9), (24, 0.2)], days: 20)
        let temperature = [Double](repeating: 30, count: profile.time.count)
        for name in BlastLite.modelNames {
            var model = try BlastLite.model(named: name)
            func run(_ m: inout some BlastLiteFadeModel) -> BlastLiteTable {
                BlastLite.table(&m, time: profile.time, soc: profile.soc, temperature: temperature)
            }
            let table = run(&model)
            #expect(Array(table.columns.prefix(5)) == ["day", "efc", "q", "q_t", "q_EFC"], "\(name): \(table.columns)")
            #expect(table.columns.contains("r") == (model.r != nil), "\(name)")
            let last = try #require(table.rows.last)
            #expect(last[2] < 1 && last.allSatisfy(\.isFinite), "\(name): \(last)")
        }
    }
}
