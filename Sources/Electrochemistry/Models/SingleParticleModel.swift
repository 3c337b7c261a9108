#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra

/// The single-particle model (SPM) and its electrolyte extension (SPMe), isothermal, discretised as
/// PyBaMM 26.10 does (docs/electrochemistry-spec.md §1.3, §1.4, §2).
///
/// SPM: Marquis et al. 2019, "An asymptotic derivation of a single particle model with electrolyte",
/// doi:10.1149/2.0341915jes; the SPMe variant is PyBaMM's "composite" SPMe of the same paper.
///
/// State: one x-averaged spherical particle per electrode (20 uniform finite volumes in r) and, for the
/// SPMe, ε·c_e on 20 + 20 + 20 finite volumes across negative electrode, separator and positive electrode.
/// ``step(current:dt:)`` advances by TR-BDF2 (L-stable, second order) on sub-steps of at most
/// ``maxSubstep`` seconds; all buffers are allocated once in `init`.
public final class SingleParticleModel {
    /// Which model the instance integrates.
    public enum Variant: Sendable, Equatable {
        /// Single-particle model: c_e ≡ c_e,init, no ohmic terms.
        case spm
        /// Single-particle model with electrolyte (PyBaMM composite SPMe).
        case spme
    }

    /// The outputs after a step, in SI units.
    public struct StepResult: Sendable, Equatable {
        /// Time since the start [s].
        public var time: Double
        /// Applied current [A], positive on discharge.
        public var current: Double
        /// Terminal voltage [V].
        public var voltage: Double
        /// Negative particle surface stoichiometry.
        public var stoNSurf: Double
        /// Positive particle surface stoichiometry.
        public var stoPSurf: Double
        /// Negative particle volume-averaged stoichiometry.
        public var stoNAvg: Double
        /// Positive particle volume-averaged stoichiometry.
        public var stoPAvg: Double
    }

    /// Finite volumes per particle (PyBaMM default 20).
    public static let particleVolumes = 20
    /// Finite volumes per x-domain (PyBaMM default 20).
    public static let domainVolumes = 20

    /// The model variant.
    public let variant: Variant
    /// Largest internal TR-BDF2 sub-step [s].
    public var maxSubstep: Double
    /// Time since the start [s].
    public private(set) var time: Double = 0

    let constants: CellConstants
    let negative: Particle
    let positive: Particle
    let electrolyte: Electrolyte?

    /// Builds the model from `parameters` with uniform initial particle stoichiometries `stoN`, `stoP`
    /// (the electrolyte starts at "Initial concentration in electrolyte [mol.m-3]").
    /// `maxSubstep` [s] bounds the internal implicit steps. At 2 s the three 1C fixtures stay within
    /// 0.15 mV of PyBaMM (the same as at 0.25 s); at 10 s the LFP case reaches 5.7 mV. Fixed sub-steps
    /// stand in for error control, which is still to come.
    public init(parameters: ParameterSet, variant: Variant = .spm, stoN: Double, stoP: Double,
                maxSubstep: Double = 2.0) throws(ModelError) {
        guard stoN > 0, stoN < 1 else { throw .invalidStoichiometry(name: "negative", value: stoN) }
        guard stoP > 0, stoP < 1 else { throw .invalidStoichiometry(name: "positive", value: stoP) }
        precondition(maxSubstep > 0, "SingleParticleModel: maxSubstep must be positive")
        self.variant = variant
        self.maxSubstep = maxSubstep
        do {
            let c = try CellConstants(parameters: parameters, variant: variant)
            constants = c
            negative = try Particle(parameters: parameters, electrode: "Negative", temperature: c.temperature,
                                    stoichiometry: stoN, volumes: Self.particleVolumes)
            positive = try Particle(parameters: parameters, electrode: "Positive", temperature: c.temperature,
                                    stoichiometry: stoP, volumes: Self.particleVolumes)
            electrolyte = variant == .spme
                ? try Electrolyte(parameters: parameters, constants: c, volumes: Self.domainVolumes) : nil
        } catch {
            throw .parameter(error)
        }
    }

    /// Advances the state by `dt` seconds at constant `current` [A] (positive on discharge) and returns
    /// the outputs at the end of the step. Allocation-free.
    @discardableResult
    public func step(current: Double, dt: Double) throws(ModelError) -> StepResult {
        guard dt > 0, dt.isFinite else { throw .invalidTimeStep(dt: dt) }
        let count = max(1, Int((dt / maxSubstep).rounded(.up)))
        let h = dt / Double(count)
        let i = current / constants.area
        let fluxN = i / (negative.specificArea * constants.lengthN) / PhysicalConstants.faraday
        let fluxP = -i / (positive.specificArea * constants.lengthP) / PhysicalConstants.faraday
        for k in 0..<count {
            let t = time + Double(k) * h
            try negative.advance(flux: fluxN, h: h, t: t)
            try positive.advance(flux: fluxP, h: h, t: t)
            try electrolyte?.advance(currentDensity: i, h: h, t: t)
        }
        time += dt
        let result = outputs(current: current)
        guard result.voltage.isFinite else { throw .nonFinite(variable: "voltage", t: time) }
        return result
    }

    /// The outputs at the present state for an applied `current` [A].
    public func outputs(current: Double) -> StepResult {
        StepResult(time: time, current: current, voltage: voltage(current: current),
                   stoNSurf: negative.surface / negative.maxConcentration,
                   stoPSurf: positive.surface / positive.maxConcentration,
                   stoNAvg: negative.average / negative.maxConcentration,
                   stoPAvg: positive.average / positive.maxConcentration)
    }

    /// Copies the state into the preallocated snapshot buffers (see ``restoreState()``).
    public func saveState() {
        savedTime = time
        negative.save(); positive.save(); electrolyte?.save()
    }

    /// Returns to the state stored by the last ``saveState()``.
    public func restoreState() {
        time = savedTime
        negative.restore(); positive.restore(); electrolyte?.restore()
    }

    private var savedTime: Double = 0
}

/// TR-BDF2 coefficients (Bank et al. 1985, doi:10.1109/T-ED.1985.22232) with γ = 2 − √2, for which both
/// implicit stages share the matrix I − (γh/2)·A.
enum TRBDF2 {
    static let gamma = 2 - 2.0.squareRoot()
    /// Stage 2: y₁ − (γh/2) f(y₁) = c1·y_γ − c2·y_n.
    static let c1 = 1 / (gamma * (2 - gamma))
    static let c2 = (1 - gamma) * (1 - gamma) / (gamma * (2 - gamma))
}
