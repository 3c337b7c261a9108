import Foundation
import FleetProtocol

extension CoordinatorMetrics {
    /// Coarse cumulative buckets of the exposed latency histograms [ms] (each is one of ``LatencyHistogram/bounds``).
    static let exposedBucketsMs: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000]

    /// The metrics in the Prometheus text exposition format (version 0.0.4), times in seconds as the format's
    /// conventions ask.
    public func prometheusText() -> String {
        var out = PrometheusWriter()
        out.metric("pulsebms_coordinator_messages_received_total", "counter", "MQTT messages received on the subscribed topics", Double(received))
        out.metric("pulsebms_coordinator_telemetry_ingested_total", "counter", "Telemetry messages accepted", Double(ingested))
        out.metric("pulsebms_coordinator_ingest_rate_messages_per_second", "gauge", "Telemetry accepted per second over the last period", ingestRate)
        out.metric("pulsebms_coordinator_telemetry_latency_p50_seconds", "gauge", "Median telemetry-to-state latency", latencyP50Ms / 1000)
        out.metric("pulsebms_coordinator_telemetry_latency_p99_seconds", "gauge", "99th percentile telemetry-to-state latency", latencyP99Ms / 1000)
        out.histogram("pulsebms_coordinator_telemetry_latency_seconds", "Telemetry-to-state latency (receive time minus ts)", latency)
        out.metric("pulsebms_coordinator_allocation_seconds", "gauge", "Compute time of the last allocation", lastAllocationMs / 1000)
        out.metric("pulsebms_coordinator_allocation_p99_seconds", "gauge", "99th percentile allocation compute time", allocationP99Ms / 1000)
        out.metric("pulsebms_coordinator_allocation_cycle_seconds", "gauge", "Last allocation including publishing every command", lastCycleMs / 1000)
        out.histogram("pulsebms_coordinator_allocation_duration_seconds", "Allocation compute time", allocationTimes)
        out.histogram("pulsebms_coordinator_cycle_duration_seconds", "Allocation cycle time, publication included", cycleTimes)
        out.metric("pulsebms_coordinator_allocations_total", "counter", "Allocations published", Double(allocations))
        out.metric("pulsebms_coordinator_allocation_failures_total", "counter", "Periods whose allocation failed", Double(allocationFailures))
        out.metric("pulsebms_coordinator_allocation_overruns_total", "counter", "Periods started a full period late", Double(overruns))
        out.metric("pulsebms_coordinator_mpc_fallbacks_total", "counter", "MPC plans replaced by the one-step allocation", Double(mpcFallbacks))
        out.header("pulsebms_coordinator_devices", "gauge", "Devices by state")
        out.sample("pulsebms_coordinator_devices", ["state": "online"], Double(devices.online))
        out.sample("pulsebms_coordinator_devices", ["state": "stale"], Double(devices.stale))
        out.sample("pulsebms_coordinator_devices", ["state": "offline"], Double(devices.offline))
        out.metric("pulsebms_coordinator_devices_allocated", "gauge", "Devices in the last allocation", Double(devicesAllocated))
        out.header("pulsebms_coordinator_rejections_total", "counter", "Refused messages by reason")
        for reason in RejectionReason.allCases {
            out.sample("pulsebms_coordinator_rejections_total", ["reason": reason.rawValue], Double(rejectionsByReason[reason] ?? 0))
        }
        out.metric("pulsebms_coordinator_lost_messages_total", "counter", "Telemetry missing from the devices' sequence numbers", Double(lostMessages))
        out.metric("pulsebms_coordinator_duplicate_messages_total", "counter", "Telemetry received twice", Double(duplicates))
        out.metric("pulsebms_coordinator_sequence_restarts_total", "counter", "Device telemetry sequences that restarted", Double(restarts))
        out.header("pulsebms_coordinator_supervisor_flags_raised_total", "counter", "Supervisor flags raised, by flag")
        for (_, name) in SupervisorFlags.all {
            out.sample("pulsebms_coordinator_supervisor_flags_raised_total", ["flag": name], Double(flagsRaised[name] ?? 0))
        }
        out.header("pulsebms_coordinator_supervisor_flags_active", "gauge", "Online devices with the flag active")
        for (_, name) in SupervisorFlags.all {
            out.sample("pulsebms_coordinator_supervisor_flags_active", ["flag": name], Double(flagsActive[name] ?? 0))
        }
        out.metric("pulsebms_coordinator_demand_watts", "gauge", "Site demand of the last period", demand)
        out.metric("pulsebms_coordinator_allocated_watts", "gauge", "Power allocated in the last period", allocated)
        out.metric("pulsebms_coordinator_demand_met", "gauge", "1 when the last allocation met the demand", demandMet ? 1 : 0)
        out.metric("pulsebms_coordinator_commands_published_total", "counter", "Setpoint commands published", Double(commandsPublished))
        out.metric("pulsebms_coordinator_command_periods_skipped_total", "counter", "Periods whose commands were held back by an unacknowledged backlog", Double(commandPeriodsSkipped))
        out.metric("pulsebms_coordinator_policies_published_total", "counter", "Policy files published to devices", Double(policiesPublished))
        out.metric("pulsebms_coordinator_archive_rows_total", "counter", "Telemetry rows written to the archive", Double(archiveRows))
        out.metric("pulsebms_coordinator_mqtt_connected", "gauge", "1 while connected to the broker", connected ? 1 : 0)
        return out.text
    }
}

/// Builds the text exposition: `# HELP`, `# TYPE`, then samples `name{label="value"} number`.
struct PrometheusWriter {
    private(set) var text = ""

    mutating func header(_ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, _ labels: [String: String], _ value: Double) {
        let rendered = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escape($0.value))\"" }
        text += name + (rendered.isEmpty ? "" : "{\(rendered.joined(separator: ","))}") + " \(Self.format(value))\n"
    }

    mutating func sample(_ name: String, _ value: Double) { sample(name, [:], value) }

    mutating func metric(_ name: String, _ type: String, _ help: String, _ value: Double) {
        header(name, type, help)
        sample(name, value)
    }

    /// A histogram [ms] exposed in seconds with the coarse buckets of ``CoordinatorMetrics/exposedBucketsMs``.
    mutating func histogram(_ name: String, _ help: String, _ h: LatencyHistogram) {
        header(name, "histogram", help)
        for bound in CoordinatorMetrics.exposedBucketsMs {
            sample(name + "_bucket", ["le": Self.format(bound / 1000)], Double(h.cumulativeCount(atMost: bound)))
        }
        sample(name + "_bucket", ["le": "+Inf"], Double(h.count))
        sample(name + "_sum", h.sum / 1000)
        sample(name + "_count", Double(h.count))
    }

    static func format(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "+Inf" : "-Inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
