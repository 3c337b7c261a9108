import Dispatch
import FleetProtocol
import Foundation
import RunLog
import Synchronization

/// The telemetry archive: every accepted telemetry message, each period's setpoints and the site's demand, as
/// appendable HDF5 tables (RunLog) — an offline dataset to train on.
///
/// Ingest only appends to an in-memory buffer under a lock; a writer thread of its own appends the buffered rows
/// in batches (every `flushInterval` seconds, or sooner when ``batchRows`` telemetry rows wait) and flushes the
/// file after each batch. ``stop()`` writes what is left and closes the file.
///
/// Layout (read with h5py: `pandas.DataFrame(f["telemetry"][...], columns=list(f["telemetry"].attrs["columns"]))`):
/// - `/telemetry`: ``telemetryColumns``; `device` indexes the `devices` attribute (device names, in order of first
///   appearance), `mode` indexes the `modes` attribute; times are ms since the epoch.
/// - `/setpoints`: ``setpointColumns``, one row per device per allocation period.
/// - `/site`: ``siteColumns``, one row per allocation period.
public final class TelemetryArchive: Sendable {
    public static let telemetryColumns = [
        "device", "receive_ms", "ts_ms", "seq", "voltage_v", "current_a", "power_w", "cell_v_min", "cell_v_max",
        "temp_min_c", "temp_max_c", "soc", "soh", "energy_wh", "discharge_current_a", "charge_current_a",
        "discharge_power_w", "charge_power_w", "soc_min", "soc_max", "faults", "warnings", "mode",
    ]
    public static let setpointColumns = ["time_ms", "device", "power_w", "expires_ms"]
    public static let siteColumns = ["time_ms", "demand_w", "allocated_w", "demand_met", "devices", "excluded", "allocation_ms"]
    /// Telemetry rows that wake the writer before its interval ends.
    public static let batchRows = 20_000

    private struct Buffer {
        var telemetry: [(device: Int, receivedMs: Double, telemetry: Telemetry)] = []
        var setpoints: [[Double]] = []
        var site: [[Double]] = []
        var names: [String] = []
        var namesWritten = 0
        var stopping = false, stopped = false
        var rowsWritten = 0
        var lastError: String?
    }

    /// The HDF5 file, touched only by the writer thread once the initialiser has created it.
    private final class FileBox: @unchecked Sendable {
        let file: HDF5File
        init(_ file: HDF5File) { self.file = file }
    }

    public let path: String
    public let flushInterval: Double
    private let buffer = Mutex(Buffer())
    private let wake = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)

    /// Creates (replacing) the file at `path` with its three tables, and starts the writer thread.
    public init(path: String, flushInterval: Double = 0.5) throws(CoordinatorError) {
        guard flushInterval > 0 else { throw .invalidConfiguration("the archive flush interval \(flushInterval) s must be positive") }
        self.path = path; self.flushInterval = flushInterval
        let box: FileBox
        do {
            let file = try HDF5File.create(at: path)
            try file.createTable("telemetry", columns: Self.telemetryColumns, chunkRows: 4096)
            try file.setAttribute("modes", to: Telemetry.Mode.allCases.map(\.rawValue), on: "telemetry")
            try file.createTable("setpoints", columns: Self.setpointColumns, chunkRows: 4096)
            try file.createTable("site", columns: Self.siteColumns, chunkRows: 256)
            try file.setAttribute("description", to: "PulseBMS coordinator telemetry archive (times in ms since the epoch, "
                                  + "powers positive on discharge)")
            box = FileBox(file)
        } catch {
            throw CoordinatorError(error)
        }
        Self.closeOnExec(path)
        let thread = Thread { [self] in self.writerLoop(box) }
        thread.name = "pulsebms-archive"
        thread.start()
    }

    /// Buffers one accepted telemetry of device `index` (named `name`).
    public func record(device index: Int, name: String, receivedMs: Double, telemetry: Telemetry) {
        let wakeWriter = buffer.withLock { b -> Bool in
            guard !b.stopping else { return false }
            if index >= b.names.count { b.names += [String](repeating: "", count: index + 1 - b.names.count) }
            if b.names[index].isEmpty { b.names[index] = name }
            b.telemetry.append((index, receivedMs, telemetry))
            return b.telemetry.count == Self.batchRows
        }
        if wakeWriter { wake.signal() }
    }

    /// Buffers one period's setpoints and its site row.
    public func record(period timeMs: Int64, expiresMs: Int64, devices: [Int], powers: [Double], demand: Double,
                       demandMet: Bool, excluded: Int, allocationMs: Double) {
        let t = Double(timeMs), e = Double(expiresMs)
        let rows = devices.indices.map { [t, Double(devices[$0]), powers[$0], e] }
        let site = [t, demand, powers.reduce(0, +), demandMet ? 1 : 0, Double(devices.count), Double(excluded), allocationMs]
        buffer.withLock { b in
            guard !b.stopping else { return }
            b.setpoints += rows
            b.site.append(site)
        }
    }

    /// Writes what is buffered, closes the file and ends the writer thread; later records are dropped. Idempotent.
    public func stop() {
        let first = buffer.withLock { b -> Bool in
            defer { b.stopping = true }
            return !b.stopping
        }
        guard first else { return }
        wake.signal()
        finished.wait()
        finished.signal()   // let a concurrent second caller through too
    }

    /// Telemetry rows written to the file so far.
    public var rowsWritten: Int { buffer.withLock { $0.rowsWritten } }
    /// The last write failure, if any (the writer keeps going).
    public var lastError: String? { buffer.withLock { $0.lastError } }

    private func writerLoop(_ box: FileBox) {
        while true {
            _ = wake.wait(timeout: .now() + flushInterval)
            let (telemetry, setpoints, site, names, stopping) = buffer.withLock { b in
                defer { b.telemetry.removeAll(keepingCapacity: true); b.setpoints = []; b.site = [] }
                let names = b.names.count > b.namesWritten ? b.names : nil
                b.namesWritten = b.names.count
                return (b.telemetry, b.setpoints, b.site, names, b.stopping)
            }
            let error = write(box.file, telemetry: telemetry, setpoints: setpoints, site: site, names: names)
            buffer.withLock { b in
                if let error { b.lastError = error } else { b.rowsWritten += telemetry.count }
            }
            if stopping {
                try? box.file.close()
                finished.signal()
                return
            }
        }
    }

    private func write(_ file: HDF5File, telemetry: [(device: Int, receivedMs: Double, telemetry: Telemetry)],
                       setpoints: [[Double]], site: [[Double]], names: [String]?) -> String? {
        do {
            if !telemetry.isEmpty { try file.appendRows(telemetry.map(Self.row), to: "telemetry") }
            if !setpoints.isEmpty { try file.appendRows(setpoints, to: "setpoints") }
            if !site.isEmpty { try file.appendRows(site, to: "site") }
            if let names { try file.setAttribute("devices", to: names, on: "telemetry") }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Marks this process's descriptors of the file at `path` close-on-exec. libhdf5 opens files without
    /// `O_CLOEXEC`, so a child started while the archive is open (a broker, an agent) would inherit the descriptor
    /// and, with it, HDF5's `flock` on the file: the file would stay locked after ``stop()`` until the child exits.
    static func closeOnExec(_ path: String) {
        #if os(Linux)
        guard let target = realpath(path, nil) else { return }
        defer { free(target) }
        let wanted = String(cString: target)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let fd = Int32(entry),
                  let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)"),
                  link == wanted else { continue }
            _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        }
        #endif
    }

    /// One telemetry row in the order of ``telemetryColumns``.
    static func row(_ entry: (device: Int, receivedMs: Double, telemetry: Telemetry)) -> [Double] {
        let t = entry.telemetry, l = t.limits
        let mode = Double(Telemetry.Mode.allCases.firstIndex(of: t.mode) ?? 0)
        return [Double(entry.device), entry.receivedMs, Double(t.header.timestampMs), Double(t.header.seq), t.voltage,
                t.current, t.power, t.cellVoltageMin, t.cellVoltageMax, t.temperatureMin, t.temperatureMax,
                t.stateOfCharge, t.stateOfHealth, t.energy, l.dischargeCurrent, l.chargeCurrent, l.dischargePower,
                l.chargePower, l.socMin, l.socMax, Double(t.faults), Double(t.warnings), mode]
    }
}
