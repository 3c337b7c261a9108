/// A ``CellModel`` over the fixed-step ``SingleParticleModel`` (SPM/SPMe, isothermal), for current drives.
///
/// ``SingleParticleModel`` steps at a constant current with ``SingleParticleModel/step(current:dt:)``; this
/// type adds what the protocol needs on top of it: the drive, the charge counter (∫I dt / 3600, exact for
/// piecewise-constant current), events and a snapshot of its own. An event inside an ``advance(by:events:)`` is
/// located by bisection on the step length to 1e-6 s, re-integrating from the start of the interval each time
/// (the wrapped model's snapshot is reserved for this), and the state is left just past the crossing.
///
/// Power, voltage and resistance drives need the current as an algebraic unknown, which the wrapped model does
/// not solve for: ``begin(_:)`` rejects them with ``ModelError/infeasibleDrive(t:reason:)``. The temperature
/// is "Ambient temperature [K]" of the parameters, fixed when the model is built.
public final class SingleParticleCell: CellModel {
    /// The wrapped model.
    public let model: SingleParticleModel
    public let nominalCapacity: Double
    public private(set) var drive: CellDrive = .current(0)

    /// The temperature the wrapped model was built at [K]; setting anything else makes ``begin(_:)`` throw.
    public var ambientTemperature: Double

    private var time = 0.0
    private var charge = 0.0
    private var snapshot: (time: Double, charge: Double, drive: CellDrive) = (0, 0, .current(0))
    private var savedNegative: [Double], savedPositive: [Double], savedElectrolyte: [Double]

    /// Builds the model from `parameters` with uniform initial particle stoichiometries.
    public init(parameters: ParameterSet, variant: SingleParticleModel.Variant = .spm,
                stoN: Double, stoP: Double) throws(ModelError) {
        model = try SingleParticleModel(parameters: parameters, variant: variant, stoN: stoN, stoP: stoP)
        do {
            nominalCapacity = try parameters.scalar("Nominal cell capacity [A.h]")
        } catch {
            throw .parameter(error)
        }
        ambientTemperature = model.constants.temperature
        savedNegative = [Double](repeating: 0, count: model.negative.count)
        savedPositive = [Double](repeating: 0, count: model.positive.count)
        savedElectrolyte = [Double](repeating: 0, count: model.electrolyte?.count ?? 0)
    }

    public var outputs: CellOutputs {
        let current = if case .current(let i) = drive { i } else { 0.0 }
        let row = model.outputs(current: current)
        var out = CellOutputs()
        out.time = time
        out.current = current
        out.voltage = row.voltage
        out.temperature = model.constants.temperature
        out.stoNSurf = row.stoNSurf
        out.stoPSurf = row.stoPSurf
        out.stoNAvg = row.stoNAvg
        out.stoPAvg = row.stoPAvg
        out.dischargeCapacity = charge
        return out
    }

    public func begin(_ drive: CellDrive) throws(ModelError) {
        guard ambientTemperature == model.constants.temperature else {
            throw .infeasibleDrive(t: time, reason: "the single-particle model was built at \(model.constants.temperature) K "
                                   + "and cannot change to an ambient temperature of \(ambientTemperature) K")
        }
        guard case .current(let i) = drive else {
            throw .infeasibleDrive(t: time, reason: "this single-particle model takes current drives only, not \(drive)")
        }
        guard i.isFinite else { throw .nonFinite(variable: "current", t: time) }
        self.drive = drive
    }

    public func advance(by dt: Double, events: [StepTermination]) throws(ModelError) -> AdvanceStop {
        guard dt > 0, dt.isFinite else { throw .invalidTimeStep(dt: dt) }
        guard case .current(let current) = drive else { return .completed }
        model.saveState()
        _ = try model.step(current: current, dt: dt)
        guard firstReached(events, current: current) != nil else {
            finish(current: current, dt: dt)
            return .completed
        }
        var low = 0.0, high = dt
        while high - low > 1e-6 {
            let mid = 0.5 * (low + high)
            model.restoreState()
            _ = try model.step(current: current, dt: mid)
            if firstReached(events, current: current) == nil { low = mid } else { high = mid }
        }
        model.restoreState()
        _ = try model.step(current: current, dt: high)
        finish(current: current, dt: high)
        return .event(firstReached(events, current: current) ?? 0)
    }

    public func saveState() {
        snapshot = (time, charge, drive)
        for k in savedNegative.indices { savedNegative[k] = model.negative.c[k] }
        for k in savedPositive.indices { savedPositive[k] = model.positive.c[k] }
        if let electrolyte = model.electrolyte {
            for k in savedElectrolyte.indices { savedElectrolyte[k] = electrolyte.u[k] }
        }
    }

    public func restoreState() {
        (time, charge, drive) = snapshot
        for k in savedNegative.indices { model.negative.c[k] = savedNegative[k] }
        for k in savedPositive.indices { model.positive.c[k] = savedPositive[k] }
        if let electrolyte = model.electrolyte {
            for k in savedElectrolyte.indices { electrolyte.u[k] = savedElectrolyte[k] }
        }
    }

    private func finish(current: Double, dt: Double) {
        time += dt
        charge += current * dt / 3600
    }

    /// The index of the first event reached at the wrapped model's present state.
    private func firstReached(_ events: [StepTermination], current: Double) -> Int? {
        guard !events.isEmpty else { return nil }
        let voltage = model.voltage(current: current)
        return events.firstIndex {
            $0.isReached(voltage: voltage, current: current, nominalCapacity: nominalCapacity)
        }
    }
}
