/// A battery pack: ``PackLayout/parallel`` strings of ``PackLayout/series`` cells, each cell its own
/// ``CellModel`` with its own capacity, resistance, initial state of charge and health drawn from a seeded
/// ``CellSpread``.
///
/// Usage: build once, then call ``step(current:dt:)`` or ``step(power:dt:)`` every control period; read
/// ``outputs`` (pack V, I, P, SoC, cell extremes, limits hit), ``cellOutputs`` and ``cellStateOfCharge(_:)``.
/// Between periods the drive of each string is a constant current (zero-order hold, as from a converter with a
/// period-long setpoint); the string currents are solved so that every string ends the period at the same
/// terminal voltage (Pack+Step.swift). Cells do not exchange heat with each other; each lumped cell cools to
/// ``ambientTemperature``. The pack uses its cells' single ``CellModel/saveState()`` slot while stepping,
/// so callers must not rely on a cell's saved state across pack steps.
public final class Pack {
    /// How the cells are connected.
    public let layout: PackLayout
    /// The model family of the cells.
    public let fidelity: PackFidelity
    /// The cell type at the pack's new-cell capacity.
    public let design: CellDesign
    /// The cells, string-major (cell k of string j at j·s + k).
    public let cells: [any CellModel]
    /// Each cell's deviation from the nominal cell (the seeded spread).
    public let variations: [CellVariation]
    /// Each cell's present state of health (spread included).
    public internal(set) var health: [CellHealth]
    /// Voltage limits checked on every cell after every step.
    public var limits: CellLimits
    /// Highest allowed cell temperature [K], checked after every step (`nil`: not checked).
    public var maximumTemperature: Double? = 333.15
    /// Passive balancing, or `nil` for none.
    public var balancing: PassiveBalancing?
    /// Ambient temperature [K] of every cell.
    public var ambientTemperature: Double {
        didSet { for cell in cells { cell.ambientTemperature = ambientTemperature } }
    }
    /// Convergence tolerance per series cell [V]: the strings end a step within s × this of each other.
    public var tolerance = 1e-4
    /// Most Newton iterations per step before ``PackError/solveDiverged(t:voltageSpread:iterations:)``.
    public var maxIterations = 30
    /// The pack after the last step.
    public internal(set) var outputs = PackOutputs()
    /// Every cell's outputs after the last step (string-major).
    public internal(set) var cellOutputs: [CellOutputs]
    /// The string currents [A] of the last step (positive on discharge).
    public internal(set) var stringCurrents: [Double]
    /// The present capacity [A.h] of each cell (capacity spread and health included).
    public internal(set) var cellCapacities: [Double]

    // Solver state: string voltages, their slopes dV_j/dI_j (kept across steps), previous iterates, bleed currents.
    var stringVoltages: [Double]
    var slopes: [Double]
    var slopesKnown = false
    var previousCurrents: [Double], previousVoltages: [Double]
    var bleed: [Double]
    /// Electrode windows of the physics cells' aged sets (SoC read-out); empty for the ECM.
    var windows: [StoichiometryWindow]
    /// The cells by concrete type, for the probes' voltage read-out without building full outputs.
    let handles: [CellHandle]
    let thermal: ThermalOption

    /// Builds the pack at rest.
    ///
    /// - Parameters:
    ///   - design: the cell type (``CellDesign/nmc``, ``CellDesign/lfp``, or scaled with ``CellDesign/scaled(toCapacity:)``).
    ///   - layout: series × parallel.
    ///   - fidelity: the cell model family (default ECM).
    ///   - health: the nominal cell's health; each cell gets it with its spread (``CellVariation/health(around:)``).
    ///   - spread: cell-to-cell variation; `seed` fixes the draw.
    ///   - initialSoC: the nominal initial state of charge.
    ///   - limits: cell voltage limits (default: the chemistry's cut-offs).
    public init(design: CellDesign, layout: PackLayout, fidelity: PackFidelity = .ecm, health: CellHealth = .pristine,
                spread: CellSpread = .none, seed: UInt64 = 0, initialSoC: Double = 0.5,
                thermal: ThermalOption = .isothermal, ambientTemperature: Double = 298.15,
                limits: CellLimits? = nil, balancing: PassiveBalancing? = nil) throws(PackError) {
        guard initialSoC.isFinite, (0...1).contains(initialSoC) else {
            throw .invalidSetting(name: "initial state of charge", value: initialSoC, expected: "a value in [0, 1]")
        }
        let n = layout.cellCount
        let variations = spread.sample(count: n, seed: seed)
        var cells: [any CellModel] = [], healths: [CellHealth] = [], windows: [StoichiometryWindow] = []
        cells.reserveCapacity(n)
        for (index, variation) in variations.enumerated() {
            do {
                let cellHealth = try variation.health(around: health)
                let made = try design.makeCell(fidelity: fidelity, health: cellHealth,
                                               capacityFactor: variation.capacityFactor,
                                               initialSoC: variation.initialStateOfCharge(around: initialSoC),
                                               thermal: thermal, ambientTemperature: ambientTemperature)
                cells.append(made.model)
                healths.append(cellHealth)
                if let window = made.window { windows.append(window) }
            } catch {
                throw .cell(index: index, error)
            }
        }
        self.layout = layout
        self.fidelity = fidelity
        self.design = design
        self.cells = cells
        self.variations = variations
        self.health = healths
        self.windows = windows
        handles = cells.map { cell in
            if let ecm = cell as? EquivalentCircuitModel { return .ecm(ecm) }
            if let spm = cell as? SingleParticleModel { return .spm(spm) }
            return .other(cell)
        }
        self.thermal = thermal
        self.limits = limits ?? design.voltageLimits
        self.balancing = balancing
        self.ambientTemperature = ambientTemperature
        cellOutputs = cells.map(\.outputs)
        stringCurrents = Array(repeating: 0, count: layout.parallel)
        stringVoltages = Array(repeating: 0, count: layout.parallel)
        slopes = Array(repeating: 0, count: layout.parallel)
        previousCurrents = stringVoltages
        previousVoltages = stringVoltages
        bleed = Array(repeating: 0, count: n)
        cellCapacities = Array(repeating: 0, count: n)
        refreshCapacities()
        for j in 0..<layout.parallel {
            stringVoltages[j] = (0..<layout.series).reduce(0) { $0 + cellOutputs[layout.cellIndex(string: j, position: $1)].voltage }
        }
        summarise(iterations: 0, balancingPower: 0)
    }

    /// The state of charge of cell `index`: coulomb-counted for the ECM, (x̄ − x_0)/(x_100 − x_0) of the negative
    /// particle's average stoichiometry in its aged window for the physics models.
    public func cellStateOfCharge(_ index: Int) -> Double {
        if case let .ecm(cell) = handles[index] { return cell.stateOfCharge }
        let w = windows[index]
        return (cellOutputs[index].stoNAvg - w.x0) / (w.x100 - w.x0)
    }

    /// The pack's usable capacity [A.h]: for each string the smallest cell capacity, summed over strings.
    public var capacity: Double {
        (0..<layout.parallel).reduce(0) { sum, j in
            sum + (0..<layout.series).map { cellCapacities[layout.cellIndex(string: j, position: $0)] }.min()!
        }
    }

    /// Recomputes each cell's present capacity (ECM: the coulomb-counting capacity; physics: the aged window's).
    func refreshCapacities() {
        for k in cells.indices {
            if let ecm = cells[k] as? EquivalentCircuitModel { cellCapacities[k] = ecm.capacity } else { cellCapacities[k] = windows[k].capacity }
        }
    }

    /// Fills ``outputs`` from ``cellOutputs``, the string currents and voltages.
    func summarise(iterations: Int, balancingPower: Double) {
        var o = outputs
        let n = cells.count
        o.time = cellOutputs[0].time
        o.current = stringCurrents.reduce(0, +)
        o.voltage = stringVoltages.reduce(0, +) / Double(layout.parallel)
        o.power = o.current * o.voltage
        var charge = 0.0, total = 0.0, heat = 0.0
        o.minimumCellVoltage = .infinity; o.maximumCellVoltage = -.infinity
        o.minimumTemperature = .infinity; o.maximumTemperature = -.infinity
        o.minimumCellStateOfCharge = .infinity; o.maximumCellStateOfCharge = -.infinity
        var status = PackLimitStatus()
        for k in 0..<n {
            let c = cellOutputs[k], z = cellStateOfCharge(k)
            charge += cellCapacities[k] * z
            total += cellCapacities[k]
            heat += c.heat
            o.minimumCellVoltage = min(o.minimumCellVoltage, c.voltage)
            o.maximumCellVoltage = max(o.maximumCellVoltage, c.voltage)
            o.minimumTemperature = min(o.minimumTemperature, c.temperature)
            o.maximumTemperature = max(o.maximumTemperature, c.temperature)
            o.minimumCellStateOfCharge = min(o.minimumCellStateOfCharge, z)
            o.maximumCellStateOfCharge = max(o.maximumCellStateOfCharge, z)
            var hit = false
            if c.voltage < limits.minimumVoltage { status.belowMinimumVoltage += 1; hit = true }
            if c.voltage > limits.maximumVoltage { status.aboveMaximumVoltage += 1; hit = true }
            if let tMax = maximumTemperature, c.temperature > tMax { status.overTemperature += 1; hit = true }
            if hit && status.firstCell == nil { status.firstCell = k }
        }
        o.stateOfCharge = charge / total
        o.heat = heat
        o.balancingPower = balancingPower
        o.iterations = iterations
        o.limits = status
        outputs = o
    }
}

/// A pack cell by concrete type (no existential dispatch or cast in the probe loop).
enum CellHandle {
    case ecm(EquivalentCircuitModel)
    case spm(SingleParticleModel)
    case other(any CellModel)

    /// The terminal voltage [V] at the present state and current.
    @inline(__always)
    var voltage: Double {
        switch self {
        case let .ecm(cell): return cell.terminalVoltage(current: cell.current)
        case let .spm(cell): return cell.terminalVoltage(current: cell.current).voltage
        case let .other(cell): return cell.outputs.voltage
        }
    }
}
