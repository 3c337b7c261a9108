import Coordinator
import Foundation
import FleetProtocol
import SeededRandom
import Testing

/// The fixed-bucket histogram against exact percentiles, and its Prometheus exposition.
@Suite struct HistogramTests {
    @Test func percentilesAreWithinOneBucketOfTheExactOnes() {
        var rng = Xoshiro256StarStar(seed: 7)
        var h = LatencyHistogram()
        var samples: [Double] = []
        for _ in 0..<20_000 {
            // Log-normal around 3 ms with a tail: what a loaded ingest path looks like.
            let x = 3 * exp(0.8 * rng.nextStandardNormal())
            samples.append(x); h.record(x)
        }
        samples.sort()
        for p in [0.5, 0.9, 0.99, 0.999] {
            let exact = samples[Int(p * Double(samples.count)) - 1]
            // One bucket is at most 10 % of the value.
            #expect(abs(h.percentile(p) - exact) <= 0.1 * exact, "p\(p): \(h.percentile(p)) against \(exact)")
        }
        #expect(h.count == 20_000)
        #expect(abs(h.sum - samples.reduce(0, +)) < 1e-6 * h.sum)
        #expect(h.maximum == samples.last!)
    }

    @Test func edgesEmptyNegativeAndOverflow() {
        var h = LatencyHistogram()
        #expect(h.percentile(0.99) == 0)
        h.record(-3)           // clocks a little apart: first bucket
        h.record(.nan)         // ignored
        h.record(250_000)      // above the largest bound: the maximum answers
        #expect(h.count == 2)
        #expect(h.percentile(0.25) <= LatencyHistogram.bounds[0])
        #expect(h.percentile(1) == 250_000)
        #expect(h.cumulativeCount(atMost: 1) == 1 && h.cumulativeCount(atMost: .infinity) == 2)
        var other = LatencyHistogram()
        other.record(2)
        h.merge(other)
        #expect(h.count == 3 && h.cumulativeCount(atMost: 2) == 2 && h.cumulativeCount(atMost: 1) == 1)
    }

    @Test func prometheusTextCarriesTheCountersAndCumulativeBuckets() {
        var m = CoordinatorMetrics()
        m.ingested = 42
        m.rejectionsByReason = [.outOfRange: 3]
        m.devices = DeviceRegistry.Counts(online: 5, stale: 1, offline: 2)
        for x in [0.5, 1.5, 7, 70, 700] { m.latency.record(x) }
        let text = m.prometheusText()
        #expect(text.contains("pulsebms_coordinator_telemetry_ingested_total 42\n"))
        #expect(text.contains("pulsebms_coordinator_rejections_total{reason=\"out_of_range\"} 3\n"))
        #expect(text.contains("pulsebms_coordinator_rejections_total{reason=\"malformed\"} 0\n"))
        #expect(text.contains("pulsebms_coordinator_devices{state=\"stale\"} 1\n"))
        #expect(text.contains("pulsebms_coordinator_telemetry_latency_seconds_bucket{le=\"0.001\"} 1\n"))
        #expect(text.contains("pulsebms_coordinator_telemetry_latency_seconds_bucket{le=\"0.01\"} 3\n"))
        #expect(text.contains("pulsebms_coordinator_telemetry_latency_seconds_bucket{le=\"0.1\"} 4\n"))
        #expect(text.contains("pulsebms_coordinator_telemetry_latency_seconds_bucket{le=\"+Inf\"} 5\n"))
        #expect(text.contains("pulsebms_coordinator_telemetry_latency_seconds_count 5\n"))
        #expect(text.contains("# TYPE pulsebms_coordinator_telemetry_latency_seconds histogram\n"))
        // Every sample line is `name{labels} number`.
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2 && (Double(parts[1]) != nil || parts[1] == "+Inf"), "\(line)")
        }
    }
}
