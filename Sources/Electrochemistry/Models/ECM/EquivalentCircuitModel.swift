#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Thevenin equivalent-circuit cell model with N RC pairs and an optional lumped temperature (Plett 2015,
/// "Battery Management Systems Vol. 1", §2.7–2.10; heat after Bernardi et al. 1985, doi:10.1149/1.2113792).
///
/// State: state of charge z, RC-branch currents i_k, temperature T. With I positive on discharge:
/// ```
/// dz/dt = −I/(3600 Q),   τ_k di_k/dt = I − i_k,   V = OCV(z, T) − I R0 − Σ R_k i_k
/// C_th dT/dt = I² R0 + Σ R_k i_k² − I T ∂OCV/∂T − hA (T − T_amb)        (lumped; T ≡ T_amb when isothermal)
/// ```
/// Over a sub-step of length h the current and the tabulated elements are held at their start values (zero-order
/// hold), and the update is exact: i_k(h) = I + (i_k(0) − I) e^{−h/τ_k}; T relaxes exponentially under the
/// sub-step-average heat, which is integrated in closed form. Current drives take one sub-step per
/// ``maxSubstep``; voltage, power and resistance drives hold a constant I per sub-step of at most
/// ``maxAlgebraicSubstep`` chosen so that the drive holds at its end (implicit, stable for a CV hold).
/// The surface and average stoichiometries in ``outputs`` are both x_0 + z (x_100 − x_0) (resp. y): an ECM has no
/// particle gradients.
///
/// Heat: with I positive on discharge, Bernardi's reversible term is −I T ∂OCV/∂T (heat released on discharge when
/// ∂OCV/∂T < 0). The irreversible part Σ R i² includes the RC pairs that stand for solid diffusion, i.e. it is
/// I (OCV(z_avg) − V) in steady state, whereas PyBaMM's lumped model (no heat of mixing) counts only
/// I (U(z_surf) − V): on a 2C Chen2020 discharge the ECM warms by 63 K against 44 K for PyBaMM's lumped DFN.
public final class EquivalentCircuitModel: CellModel {
    /// The parameter set.
    public let parameters: EquivalentCircuitParameters
    /// Isothermal or lumped.
    public let thermal: ThermalOption
    public var ambientTemperature: Double {
        didSet { if thermal == .isothermal { temperature = ambientTemperature } }
    }
    public internal(set) var drive: CellDrive = .current(0)
    public var nominalCapacity: Double { parameters.nominalCapacity }
    /// Capacity used for coulomb counting [A.h] (the set's ``EquivalentCircuitParameters/capacity`` until
    /// ``updateCapacity(_:)``).
    public internal(set) var capacity: Double { get { scalars[0] } set { scalars[0] = newValue } }
    /// Factor on R0 and every R_k (time constants kept), 1 until ``updateResistanceScale(_:)``.
    public internal(set) var resistanceScale: Double { get { scalars[1] } set { scalars[1] = newValue } }
    /// Longest sub-step under a current drive [s].
    public var maxSubstep: Double = 10
    /// Longest sub-step under a voltage, power or resistance drive [s].
    public var maxAlgebraicSubstep: Double = 1

    /// Time since the model was built [s].
    public internal(set) var time: Double { get { scalars[2] } set { scalars[2] = newValue } }
    /// State of charge z.
    public internal(set) var stateOfCharge: Double { get { scalars[3] } set { scalars[3] = newValue } }
    /// Cell temperature [K].
    public internal(set) var temperature: Double { get { scalars[4] } set { scalars[4] = newValue } }
    /// The present current [A].
    public internal(set) var current: Double { get { scalars[5] } set { scalars[5] = newValue } }
    /// RC-branch currents i_k [A].
    public var branchCurrents: [Double] { (0..<pairs).map { branch[$0] } }
    /// The number of RC pairs.
    let pairs: Int
    /// One allocation for the per-pair buffers (pointers: no exclusivity checks in the hot loops):
    /// i_k, i_k at the sub-step start, frozen R_k and τ_k, R_k at the present state, saved i_k.
    let storage: UnsafeMutablePointer<Double>
    /// The scalar state and sub-step values (capacity, resistance scale, t, z, T, I, charge, sub-step start,
    /// frozen R0 and ∂OCV/∂T, present R0) behind pointer-backed properties: no exclusivity checks when stepping.
    let scalars: UnsafeMutablePointer<Double>
    let branch, branch0, rFrozen, tauFrozen, rNow, savedBranch: UnsafeMutablePointer<Double>
    /// Charge discharged since the start [A.s].
    var charge: Double { get { scalars[6] } set { scalars[6] = newValue } }

    // State at the start of the present sub-step, and the elements frozen there.
    var z0: Double { get { scalars[7] } set { scalars[7] = newValue } }
    var temperature0: Double { get { scalars[8] } set { scalars[8] = newValue } }
    var charge0: Double { get { scalars[9] } set { scalars[9] = newValue } }
    var time0: Double { get { scalars[10] } set { scalars[10] = newValue } }
    var r0Frozen: Double { get { scalars[11] } set { scalars[11] = newValue } }
    var entropicFrozen: Double { get { scalars[12] } set { scalars[12] = newValue } }
    // Elements at the present state (scaled), filled by evaluateResistances(); sharedGrid: R0 and every R_k
    // are on one grid, so one located point serves them all.
    var r0Now: Double { get { scalars[13] } set { scalars[13] = newValue } }
    let sharedGrid: Bool
    /// With a shared grid: R0, R_1 … R_N interleaved per grid node (node-major), for one pass per corner.
    let nodeResistances: UnsafeMutablePointer<Double>
    /// The OCV table does not vary with T and there is no entropic table: ∂OCV/∂T ≡ 0.
    let zeroEntropic: Bool
    /// Every τ_k table is a single value (cached in ``tauFrozen`` at init).
    let constantTimeConstants: Bool
    // saveState()/restoreState() storage.
    var savedScalars = (time: 0.0, z: 0.0, temperature: 0.0, current: 0.0, charge: 0.0)
    var savedDrive: CellDrive = .current(0)

    /// Builds the model at `initialSoC` (the set's default when `nil`), at rest, at the ambient temperature.
    public init(parameters: EquivalentCircuitParameters, initialSoC: Double? = nil, thermal: ThermalOption = .isothermal,
                ambientTemperature: Double = 298.15) throws(ModelError) {
        do { try parameters.validate() } catch { throw .parameter(error) }
        let z = initialSoC ?? parameters.initialStateOfCharge
        guard z.isFinite, (0.0...1.0).contains(z) else {
            throw .parameter(.outOfRange(name: "initial state of charge", value: z, expected: "a value in [0, 1]"))
        }
        guard ambientTemperature.isFinite, ambientTemperature > 0 else {
            throw .parameter(.outOfRange(name: "Ambient temperature [K]", value: ambientTemperature, expected: "a positive number"))
        }
        // Own copies of the tables: cells built from one shared set and stepped on different threads would
        // otherwise contend on the reference counts of the same array buffers.
        self.parameters = parameters.withOwnTables()
        self.thermal = thermal
        self.ambientTemperature = ambientTemperature
        scalars = .allocate(capacity: 14)
        scalars.initialize(repeating: 0, count: 14)
        let n = parameters.pairCount
        pairs = n
        storage = .allocate(capacity: max(6 * n, 1))
        storage.initialize(repeating: 0, count: max(6 * n, 1))
        (branch, branch0, rFrozen, tauFrozen, rNow, savedBranch) =
            (storage, storage + n, storage + 2 * n, storage + 3 * n, storage + 4 * n, storage + 5 * n)
        sharedGrid = parameters.resistances.allSatisfy { $0.sharesGrid(with: parameters.seriesResistance) }
        let nodes = parameters.seriesResistance.values.count
        nodeResistances = .allocate(capacity: nodes * (n + 1))
        for q in 0..<nodes {
            nodeResistances[q * (n + 1)] = parameters.seriesResistance.values[q]
            for k in 0..<n { nodeResistances[q * (n + 1) + k + 1] = sharedGrid ? parameters.resistances[k].values[q] : 0 }
        }
        let ocv = parameters.openCircuitVoltage, nt = ocv.temperature.count
        zeroEntropic = parameters.entropicCoefficient == nil
            && ocv.values.indices.allSatisfy { ocv.values[$0] == ocv.values[$0 - $0 % nt] }
        constantTimeConstants = parameters.timeConstants.allSatisfy { $0.values.count == 1 }
        capacity = parameters.capacity
        resistanceScale = 1
        stateOfCharge = z
        temperature = ambientTemperature
        if constantTimeConstants {
            for k in 0..<n { tauFrozen[k] = parameters.timeConstants[k].values[0] }
        }
        saveState()
    }

    deinit {
        storage.deallocate()
        nodeResistances.deallocate()
        scalars.deallocate()
    }

    /// Sets the capacity used for coulomb counting [A.h] (capacity fade), keeping the state of charge.
    public func updateCapacity(_ ampereHours: Double) throws(ModelError) {
        guard ampereHours.isFinite, ampereHours > 0 else {
            throw .parameter(.outOfRange(name: "capacity [A.h]", value: ampereHours, expected: "a positive number"))
        }
        capacity = ampereHours
    }

    /// Scales R0 and every R_k by `factor` relative to the tables (resistance growth); τ_k stay, so C_k = τ_k/R_k.
    public func updateResistanceScale(_ factor: Double) throws(ModelError) {
        guard factor.isFinite, factor > 0 else {
            throw .parameter(.outOfRange(name: "resistance scale", value: factor, expected: "a positive number"))
        }
        resistanceScale = factor
    }

    /// Fills ``r0Now`` and ``rNow`` with R0 and R_k (times the resistance scale) at (z, T).
    @inline(__always)
    func evaluateResistances(stateOfCharge z: Double, temperature t: Double) {
        let p = parameters, scale = resistanceScale
        if sharedGrid {
            let g = p.seriesResistance.point(stateOfCharge: z, temperature: t), m = pairs + 1
            let a = nodeResistances + g.a * m, b = nodeResistances + g.b * m
            let c = nodeResistances + g.c * m, d = nodeResistances + g.d * m
            let wa = (1 - g.wi) * (1 - g.wj), wb = (1 - g.wi) * g.wj, wc = g.wi * (1 - g.wj), wd = g.wi * g.wj
            r0Now = scale * (wa * a[0] + wb * b[0] + wc * c[0] + wd * d[0])
            for k in 0..<pairs { rNow[k] = scale * (wa * a[k + 1] + wb * b[k + 1] + wc * c[k + 1] + wd * d[k + 1]) }
        } else {
            r0Now = scale * p.seriesResistance.value(stateOfCharge: z, temperature: t)
            for k in 0..<pairs { rNow[k] = scale * p.resistances[k].value(stateOfCharge: z, temperature: t) }
        }
    }

    /// The terminal voltage [V] at the present state for a current `i` [A].
    @inline(__always)
    func terminalVoltage(current i: Double) -> Double {
        evaluateResistances(stateOfCharge: stateOfCharge, temperature: temperature)
        return voltageFromResistances(current: i)
    }

    /// OCV − I R0 − Σ R_k i_k with the resistances last evaluated.
    @inline(__always)
    func voltageFromResistances(current i: Double) -> Double {
        var v = parameters.openCircuitVoltage.value(stateOfCharge: stateOfCharge, temperature: temperature) - i * r0Now
        for k in 0..<pairs { v -= rNow[k] * branch[k] }
        return v
    }

    /// ∂OCV/∂T [V/K] at (z, T): the entropic table, or the temperature slope of the OCV table.
    func entropicCoefficient(stateOfCharge z: Double, temperature t: Double) -> Double {
        if zeroEntropic { return 0 }
        if let table = parameters.entropicCoefficient { return table.value(stateOfCharge: z, temperature: t) }
        return parameters.openCircuitVoltage.temperatureSlope(stateOfCharge: z, temperature: t)
    }

    /// Heat generated [W] at the present state: I² R0 + Σ R_k i_k² − I T ∂OCV/∂T.
    public var heat: Double {
        evaluateResistances(stateOfCharge: stateOfCharge, temperature: temperature)
        return heatFromResistances()
    }

    /// The heat with the resistances last evaluated.
    func heatFromResistances() -> Double {
        let i = current
        var q = i * i * r0Now
        for k in 0..<pairs { q += rNow[k] * branch[k] * branch[k] }
        return q - i * temperature * entropicCoefficient(stateOfCharge: stateOfCharge, temperature: temperature)
    }

    public var outputs: CellOutputs {
        var out = CellOutputs()
        let z = stateOfCharge, p = parameters
        evaluateResistances(stateOfCharge: z, temperature: temperature)
        out.time = time
        out.current = current
        out.voltage = voltageFromResistances(current: current)
        out.temperature = temperature
        out.stoNSurf = p.negativeStoichiometry.empty + z * (p.negativeStoichiometry.full - p.negativeStoichiometry.empty)
        out.stoPSurf = p.positiveStoichiometry.empty + z * (p.positiveStoichiometry.full - p.positiveStoichiometry.empty)
        out.stoNAvg = out.stoNSurf
        out.stoPAvg = out.stoPSurf
        out.dischargeCapacity = charge / 3600
        out.heat = heatFromResistances()
        return out
    }

    public func saveState() {
        savedScalars = (time, stateOfCharge, temperature, current, charge)
        for k in 0..<pairs { savedBranch[k] = branch[k] }
        savedDrive = drive
    }

    public func restoreState() {
        (time, stateOfCharge, temperature, current, charge) = savedScalars
        for k in 0..<pairs { branch[k] = savedBranch[k] }
        drive = savedDrive
    }
}
