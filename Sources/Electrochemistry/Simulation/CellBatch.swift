import Dispatch

/// Operating limits of one cell, checked on every step of a ``CellBatch``.
public struct CellLimits: Sendable, Equatable {
    /// Lowest allowed terminal voltage [V].
    public var minimumVoltage: Double
    /// Highest allowed terminal voltage [V].
    public var maximumVoltage: Double

    public init(minimumVoltage: Double, maximumVoltage: Double) {
        self.minimumVoltage = minimumVoltage
        self.maximumVoltage = maximumVoltage
    }
}

/// Which limit a step crossed.
public enum CellLimit: Sendable, Equatable {
    case minimumVoltage
    case maximumVoltage
}

/// What a cell does once it crosses a limit inside a step.
public enum LimitResponse: Sendable, Equatable {
    /// Keep the drive for the whole step and report the first crossing (the environment prices it as a cost).
    case flag
    /// Open the circuit at the crossing, as a BMS contactor would: the rest of the step is a rest.
    case disconnect
}

/// The result of one cell's step in a ``CellBatch``.
public struct CellStepResult: Sendable, Equatable {
    /// The outputs at the end of the step (voltage, current, temperature, stoichiometries, heat).
    public var outputs = CellOutputs()
    /// The first limit crossed during the step, if any.
    public var limit: CellLimit?
    /// Time into the step [s] at which ``limit`` was crossed (the step length when none was).
    public var limitTime: Double = 0

    public init() {}
}

/// Steps many cells — different models, parameters and drives — by the same `dt`, the call an
/// environment or a controller makes on every control period.
///
/// Cells keep their own parameters: change them on the model itself (for example
/// ``SingleParticleModel/updateParameters(_:)``) without rebuilding the batch. ``step(_:dt:)``
/// allocates nothing on one thread: results go into the preallocated ``results``, and the event lists are
/// built once (with threads, Dispatch may allocate its work items).
/// With `threads > 1` the cells are split into contiguous chunks, each stepped on its own thread.
public final class CellBatch {
    /// The cells, in lane order.
    public let cells: [any CellModel]
    /// The limits of each lane; change them freely.
    public var limits: [CellLimits] {
        didSet { rebuildEvents() }
    }
    /// What a lane does after crossing a limit.
    public var response: LimitResponse
    /// Results of the last ``step(_:dt:)``, one per lane.
    public private(set) var results: [CellStepResult]
    /// Threads used by ``step(_:dt:)`` (1 runs on the caller's thread).
    public var threads: Int

    private var events: [[StepTermination]] = []
    private var failures = FailureSlots(count: 0)

    /// - Parameters:
    ///   - cells: the models, one per lane.
    ///   - limits: one per lane.
    ///   - response: ``LimitResponse/flag`` unless given.
    ///   - threads: worker threads (default 1).
    public init(cells: [any CellModel], limits: [CellLimits], response: LimitResponse = .flag, threads: Int = 1) {
        precondition(cells.count == limits.count, "CellBatch: \(cells.count) cells but \(limits.count) limits")
        precondition(threads >= 1, "CellBatch: threads must be at least 1")
        self.cells = cells
        self.limits = limits
        self.response = response
        self.threads = threads
        results = Array(repeating: CellStepResult(), count: cells.count)
        rebuildEvents()
    }

    /// The number of lanes.
    public var count: Int { cells.count }

    /// Advances lane k by `dt` seconds under `drives[k]` and stores its result in `results[k]`.
    ///
    /// - Throws: the first lane's ``ModelError`` (lanes are independent; the others have still been stepped).
    public func step(_ drives: [CellDrive], dt: Double) throws(ModelError) {
        precondition(drives.count == cells.count, "CellBatch: \(drives.count) drives for \(cells.count) cells")
        guard dt > 0, dt.isFinite else { throw .invalidTimeStep(dt: dt) }
        let workers = min(threads, cells.count)
        if workers <= 1 {
            var failure: ModelError?
            for lane in 0..<cells.count {
                do throws(ModelError) { results[lane] = try stepLane(lane, drives[lane], dt) } catch {
                    if failure == nil { failure = error }
                }
            }
            if let failure { throw failure }
            return
        }
        if failures.count < workers { failures = FailureSlots(count: workers) }
        failures.clear()
        let failures = self.failures
        let chunk = (cells.count + workers - 1) / workers
        nonisolated(unsafe) let batch = self
        results.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for lane in (worker * chunk)..<min(batch.cells.count, (worker + 1) * chunk) {
                    do throws(ModelError) { out[lane] = try batch.stepLane(lane, drives[lane], dt) } catch {
                        failures.record(error, worker: worker)
                    }
                }
            }
        }
        if let failure = failures.first { throw failure }
    }

    private func stepLane(_ lane: Int, _ drive: CellDrive, _ dt: Double) throws(ModelError) -> CellStepResult {
        let cell = cells[lane]
        var result = CellStepResult()
        result.limitTime = dt
        try cell.begin(drive)
        let start = cell.outputs.time
        switch try cell.advance(by: dt, events: events[lane]) {
        case .completed:
            break
        case .event(let index):
            result.limit = index == 0 ? .minimumVoltage : .maximumVoltage
            result.limitTime = cell.outputs.time - start
            let remaining = dt - result.limitTime
            if remaining > 1e-9 * dt {
                if response == .disconnect { try cell.begin(.current(0)) }
                _ = try cell.advance(by: remaining, events: [])
            }
        }
        result.outputs = cell.outputs
        return result
    }

    private func rebuildEvents() {
        events = limits.map { [.voltageBelow(volts: $0.minimumVoltage), .voltageAbove(volts: $0.maximumVoltage)] }
    }
}

/// Per-worker error slots, written without locks (each worker owns its slot).
private final class FailureSlots: @unchecked Sendable {
    private var slots: [ModelError?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    var count: Int { slots.count }
    func clear() { for k in slots.indices { slots[k] = nil } }
    func record(_ error: ModelError, worker: Int) { if slots[worker] == nil { slots[worker] = error } }
    var first: ModelError? { slots.lazy.compactMap { $0 }.first }
}
