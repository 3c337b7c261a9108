import Foundation
import Testing
@testable import Electrochemistry

/// The incremental tracker against the batch driver (itself checked against BLAST-Lite).
@Suite struct BlastLiteAgingTrackerTests {
    /// Runs `M` batch and incremental over a profile; returns (max |Δq|, max |Δefc|, rows compared).
    static func agreement<M: BlastLiteFadeModel>(_: M.Type, time: [Double], soc: [Double],
                                                 temperature: [Double]) -> (dq: Double, defc: Double, rows: Int, batch: Int) {
        var batchModel = M()
        let batch = BlastLite.table(&batchModel, time: time, soc: soc, temperature: temperature)
        var tracker = BlastLiteAgingTracker<M>()
        var rows: [[Double]] = [[0, 0, 1]]
        let collect: (M) -> Void = { m in rows.append([m.days, m.efc, m.q]) }
        for k in time.indices {
            tracker.record(time: time[k], soc: soc[k], celsius: temperature[k], onChunk: collect)
        }
        tracker.finish(onChunk: collect)
        var dq = 0.0, defc = 0.0
        let days = batch.column("day")!, efc = batch.column("efc")!, q = batch.column("q")!
        // Compare at the batch's evaluation points (q and EFC of the tracker linearly interpolated in
        // days where its chunks differ; the batch table continues past the profile when it restarts).
        for k in days.indices where days[k] <= rows.last![0] + 1e-9 {
            guard let m = rows.firstIndex(where: { $0[0] >= days[k] - 1e-9 }) else { continue }
            var qi = rows[m][2], ei = rows[m][1]
            if m > 0 && abs(rows[m][0] - days[k]) > 1e-9 {
                let w = (days[k] - rows[m - 1][0]) / (rows[m][0] - rows[m - 1][0])
                qi = rows[m - 1][2] + w * (rows[m][2] - rows[m - 1][2])
                ei = rows[m - 1][1] + w * (rows[m][1] - rows[m - 1][1])
            }
            dq = max(dq, abs(q[k] - qi)); defc = max(defc, abs(efc[k] - ei))
        }
        // Batch rows of the first pass over the profile (BLAST-Lite then restarts it until its summed
        // chunk spans exceed the profile span; the tracker sees the series once).
        let firstPass = days.filter { $0 <= rows.last![0] + 1e-9 }.count
        return (dq, defc, rows.count, firstPass)
    }

    /// Profiles whose reversals are all decided within `maxDeferral` (1 day): chunks identical.
    static let exact: Set = ["daily_full_25C", "twice_daily_80dod_35C", "storage_90soc_40C",
                             "random_partial_varT", "fast_shallow_10C", "hourly_mixed"]

    static func check(_ name: String, _ body: (any BlastLiteFadeModel.Type) -> (dq: Double, defc: Double, rows: Int, batch: Int)) {
        for type in BlastLite.modelTypes {
            let r = body(type)
            print("tracker vs batch \(type.className) \(name): rows \(r.rows)/\(r.batch) max|Δq| \(r.dq) max|Δefc| \(r.defc)")
            if exact.contains(name) {
                #expect(r.dq <= 1e-12, "\(type.className) \(name)")
                #expect(r.defc <= 1e-9, "\(type.className) \(name)")
                #expect(r.rows == r.batch, "\(type.className) \(name)")
            } else {
                // bench_hourly: random-depth daily cycles keep extrema undecided for days; some
                // chunks then end one reversal apart from the batch's.
                #expect(r.dq <= 5e-4, "\(type.className) \(name)")
            }
        }
    }

    @Test func agreesWithBatchOnReferenceProfiles() throws {
        for name in BlastLiteGeneratedTests.profiles {
            let p = try BlastLiteGeneratedTests.profile(name)
            Self.check(name) { type in
                func open<M: BlastLiteFadeModel>(_ t: M.Type) -> (Double, Double, Int, Int) {
                    Self.agreement(t, time: p.time, soc: p.soc, temperature: p.temperature)
                }
                return open(type)
            }
        }
    }

    @Test func memoryStaysBoundedOverTenYearsHourly() {
        var tracker = BlastLiteAgingTracker<BlastLiteNmc811GrSiLGM50>(reservingSamples: 64)
        var rng = SystemRandomNumberGenerator()
        var maxBuffered = 0, maxResidue = 0
        for hour in 0...(10 * 365 * 24) {
            let h = Double(hour % 24)
            let depth = hour % 24 == 0 ? Double.random(in: 0.1...0.9, using: &rng) : 0.5
            let soc = 0.95 - depth * sin(.pi * h / 24) * sin(.pi * h / 24)
            tracker.record(time: Double(hour) * 3600, soc: soc, celsius: 25)
            maxBuffered = max(maxBuffered, tracker.bufferedSampleCount)
            maxResidue = max(maxResidue, tracker.residueCount)
        }
        print("tracker 10 y hourly: chunks \(tracker.chunkCount), max buffered \(maxBuffered), max residue \(maxResidue), q \(tracker.q)")
        #expect(maxBuffered <= 50)   // 1 day + up to 1 day of deferral, hourly
        #expect(maxResidue <= 64)
        #expect(tracker.chunkCount >= 3300)   // 25 h chunks: 1-day rule at hourly samples
        #expect(tracker.q < 1 && tracker.q > 0.5)
    }
}

