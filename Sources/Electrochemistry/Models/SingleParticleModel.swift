#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The single-particle model (SPM) and its electrolyte extension (SPMe), discretised as PyBaMM 26.10 does
/// (docs/electrochemistry-spec.md §1.3, §1.4, §1.8, §2), as a ``CellModel``.
///
/// SPM: Marquis et al. 2019, "An asymptotic derivation of a single particle model with electrolyte",
/// doi:10.1149/2.0341915jes; the SPMe variant is PyBaMM's "composite" SPMe of the same paper.
///
/// State: one x-averaged spherical particle per electrode (exact modal integration when D_s is constant in
/// the stoichiometry, implicit TR-BDF2 otherwise), for the SPMe ε·c_e on the x-mesh (adaptive TR-BDF2 with
/// an embedded error estimate), and for the lumped thermal option the cell temperature. Since V is explicit
/// in (state, I), the current of a power, voltage or resistance drive is a scalar Newton solve (spec §5).
/// All buffers are allocated in `init`; ``begin(_:)`` and ``advance(by:events:)`` do not allocate.
public final class SingleParticleModel: CellModel {
    /// Which model the instance integrates.
    public enum Variant: Sendable, Equatable {
        /// Single-particle model: c_e ≡ c_e,init, no ohmic terms.
        case spm
        /// Single-particle model with electrolyte (PyBaMM composite SPMe).
        case spme
    }

    /// The model variant, thermal option and mesh.
    public let variant: Variant
    public let thermalOption: ThermalOption
    public let mesh: CellMesh
    /// Largest sub-step [s] when the current is an algebraic unknown (power, voltage, resistance) or the
    /// temperature evolves: the current and the heat are held over a sub-step (predictor–corrector in I).
    public var maxCoupledSubstep = 2.0
    /// Relative tolerance of the SPMe electrolyte error control.
    public var relativeTolerance: Double {
        get { electrolyte?.relativeTolerance ?? 0 }
        set { electrolyte?.relativeTolerance = newValue }
    }

    public var nominalCapacity: Double { constants.nominalCapacity }
    public internal(set) var drive: CellDrive = .current(0)
    public var ambientTemperature: Double {
        get { ambient }
        set {
            ambient = newValue
            guard thermalOption == .isothermal else { return }
            setTemperature(newValue)
            prepareVoltage()
            if let solved = try? solveCurrent(guess: current) { current = solved }
        }
    }

    var constants: CellConstants
    var thermal: ThermalConstants
    let negative: Particle
    let positive: Particle
    let electrolyte: Electrolyte?
    /// The SEI film on the negative particles, when built with a growth law.
    let sei: SEILayer?
    /// Largest sub-step [s] while the SEI grows (its rate is integrated by Heun's method over each sub-step).
    public var maxSEISubstep = 60.0
    /// Relative tolerance of the SEI thickness error control (local error over L).
    public var seiRelativeTolerance = 1e-3

    // State besides the buffers.
    var time = 0.0, dischargeCapacity = 0.0, current = 0.0, temperature = 0.0, ambient = 0.0
    var suggestedStep = 1.0
    var watchingEvents = false
    /// Whether the cached, current-independent part of V matches the state.
    var prepared = false
    /// The overpotentials at the prepared state for the last current asked (outputs, events and heat share them).
    var overpotentialCache = (valid: false, current: 0.0, values: (0.0, 0.0, 0.0, 0.0))
    private var saved = (time: 0.0, capacity: 0.0, current: 0.0, temperature: 0.0, drive: CellDrive.current(0))
    // Temperature-dependent constants and the prepared, current-independent part of V.
    var thermalVoltage = 0.0, rateN = 0.0, rateP = 0.0, ohmicResistance = 0.0
    /// The electrolyte and electrode part of ``ohmicResistance`` (signed, as ∂V/∂I) and the SEI film resistance
    /// (positive, 0 without SEI) [Ω]: ohmicResistance = bulk − film.
    var bulkOhmicResistance = 0.0, seiFilmResistance = 0.0
    var ocvN = 0.0, ocvP = 0.0, concentrationOverpotential = 0.0
    /// Interfacial current density per ampere [m-2] in each electrode (signed: the positive one is negative).
    var densityPerCurrentN = 0.0, densityPerCurrentP = 0.0
    /// 1/(2 j0) on the electrode nodes, with PyBaMM's regularisation sign(b)·√(b² + 10⁻³²), b = 2 j0.
    let inverseExchangeN, inverseExchangeP: UnsafeMutableBufferPointer<Double>

    /// Builds the model from `parameters` with uniform initial particle stoichiometries `stoN`, `stoP`
    /// (the electrolyte starts at "Initial concentration in electrolyte [mol.m-3]"; a lumped cell at
    /// "Initial temperature [K]", an isothermal one at "Ambient temperature [K]"). With `sei`, an SEI film grows
    /// on the negative particles by that law from "Initial SEI thickness [m]" (PyBaMM `"SEI": [law, "none"]`,
    /// "SEI film resistance": "distributed"; one x-averaged film in the SPM, one per negative node in the SPMe, as
    /// PyBaMM's defaults; see ``SEIGrowth``).
    public init(parameters: ParameterSet, variant: Variant = .spm, stoN: Double, stoP: Double,
                thermal: ThermalOption = .isothermal, mesh: CellMesh = CellMesh(),
                sei growth: SEIGrowth? = nil) throws(ModelError) {
        guard stoN > 0, stoN < 1 else { throw .invalidStoichiometry(name: "negative", value: stoN) }
        guard stoP > 0, stoP < 1 else { throw .invalidStoichiometry(name: "positive", value: stoP) }
        try mesh.validate()
        self.variant = variant
        self.thermalOption = thermal
        self.mesh = mesh
        do {
            let c = try CellConstants(parameters: parameters, variant: variant)
            constants = c
            self.thermal = try ThermalConstants(parameters: parameters, required: thermal == .lumped)
            negative = try Particle(parameters: parameters, electrode: "Negative", stoichiometry: stoN,
                                    volumes: mesh.negativeParticle)
            positive = try Particle(parameters: parameters, electrode: "Positive", stoichiometry: stoP,
                                    volumes: mesh.positiveParticle)
            electrolyte = variant == .spme ? try Electrolyte(parameters: parameters, constants: c, mesh: mesh) : nil
            if let growth {
                sei = try Self.makeSEILayer(growth, parameters: parameters, constants: c,
                                            nodes: variant == .spme ? mesh.negativeElectrode : 1)
            } else {
                sei = nil
            }
        } catch {
            throw .parameter(error)
        }
        inverseExchangeN = zeroedBuffer(mesh.negativeElectrode)
        inverseExchangeP = zeroedBuffer(mesh.positiveElectrode)
        ambient = constants.ambientTemperature
        if let layer = sei { refreshSEIFilm(layer) }
        setTemperature(thermal == .lumped ? constants.initialTemperature : ambient)
        prepareVoltage()
    }

    deinit {
        inverseExchangeN.deallocate()
        inverseExchangeP.deallocate()
    }

    /// Recompiles the constants from a changed set (capacity or resistance scaling, aging, new kinetics or
    /// transport functions) without reallocating or losing the state. Kept: time, discharge capacity,
    /// temperature, the drive, the SEI thickness, every particle concentration profile (a changed radius re-diagonalises the
    /// modal basis and re-projects the profile) and ε·c_e. The electrolyte x-geometry (thicknesses, porosities,
    /// Bruggeman exponents of the electrolyte grid) stays that of `init`; the rest of the set is re-read.
    public func updateParameters(_ parameters: ParameterSet) throws(ModelError) {
        do {
            constants = try CellConstants(parameters: parameters, variant: variant)
            thermal = try ThermalConstants(parameters: parameters, required: thermalOption == .lumped)
            try negative.compile(parameters: parameters, electrode: "Negative")
            try positive.compile(parameters: parameters, electrode: "Positive")
            if let layer = sei {
                let fresh = try Self.makeSEILayer(layer.kinetics.growth, parameters: parameters, constants: constants, nodes: 1)
                layer.kinetics = fresh.kinetics
                layer.electrodeVolume = fresh.electrodeVolume
                layer.chi = fresh.chi
                refreshSEIFilm(layer)
            }
        } catch {
            throw .parameter(error)
        }
        setTemperature(temperature)
        prepareVoltage()
        try begin(drive)
    }

    public var outputs: CellOutputs {
        var o = CellOutputs()
        o.time = time
        o.current = current
        o.voltage = terminalVoltage(current: current).voltage
        o.temperature = temperature
        o.stoNSurf = negative.surface / negative.maxConcentration
        o.stoPSurf = positive.surface / positive.maxConcentration
        o.stoNAvg = negative.average / negative.maxConcentration
        o.stoPAvg = positive.average / positive.maxConcentration
        o.dischargeCapacity = dischargeCapacity
        o.heat = heat(current: current)
        return o
    }

    public func saveState() {
        saved = (time, dischargeCapacity, current, temperature, drive)
        negative.save(); positive.save(); electrolyte?.save()
        if let layer = sei { layer.copy(layer.local, to: layer.localSaved) }
    }

    public func restoreState() {
        (time, dischargeCapacity, current, _, drive) = saved
        negative.restore(); positive.restore(); electrolyte?.restore()
        if let layer = sei {
            layer.copy(layer.localSaved, to: layer.local)
            refreshSEIFilm(layer)
        }
        setTemperature(saved.temperature)
        prepareVoltage()
    }
}

/// TR-BDF2 coefficients (Bank et al. 1985, doi:10.1109/T-ED.1985.22232) with γ = 2 − √2, for which both
/// implicit stages share the matrix I − (γh/2)·A.
enum TRBDF2 {
    static let gamma = 2 - 2.0.squareRoot()
    /// Stage 2: y₁ − (γh/2) f(y₁) = c1·y_γ − c2·y_n.
    static let c1 = 1 / (gamma * (2 - gamma))
    static let c2 = (1 - gamma) * (1 - gamma) / (gamma * (2 - gamma))
}
