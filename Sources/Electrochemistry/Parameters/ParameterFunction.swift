#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A function-valued parameter: an open-circuit potential, a diffusivity, a conductivity or an
/// exchange-current density, as a closed form or an interpolated table.
///
/// The argument conventions are PyBaMM's, in SI units:
/// - `.unary`: `f(sto)` for OCPs [V], entropic changes [V.K-1] and volume changes; `f(T)` [K] for cracking rates.
/// - `.binary`: `f(c_e, T)` for electrolyte diffusivity [m2.s-1] and conductivity [S.m-1] (c_e in mol.m-3,
///   T in K); `f(sto, T)` for particle diffusivities [m2.s-1].
/// - `.exchangeCurrentDensity`: `j0(c_e, c_s_surf, c_s_max, T)` in A.m-2, concentrations in mol.m-3.
public struct ParameterFunction: Sendable {
    /// The function body.
    public enum Body: Sendable {
        case unary(@Sendable (Double) -> Double)
        case binary(@Sendable (Double, Double) -> Double)
        case exchangeCurrentDensity(@Sendable (Double, Double, Double, Double) -> Double)
    }

    /// Argument names, e.g. `["sto"]`, `["c_e", "T"]`, `["c_e", "c_s_surf", "c_s_max", "T"]`.
    public var arguments: [String]
    /// The function itself.
    public var body: Body
    /// Where it comes from, e.g. "closed form, Chen et al. 2020" or "linear interpolation of a table".
    public var provenance: String

    public init(arguments: [String], provenance: String, body: Body) {
        self.arguments = arguments
        self.provenance = provenance
        self.body = body
    }

    /// A function of one argument.
    public static func unary(_ argument: String = "sto", _ provenance: String,
                             _ function: @escaping @Sendable (Double) -> Double) -> ParameterFunction {
        ParameterFunction(arguments: [argument], provenance: provenance, body: .unary(function))
    }

    /// A function of two arguments, the second being temperature [K].
    public static func binary(_ first: String = "c_e", _ provenance: String,
                              _ function: @escaping @Sendable (Double, Double) -> Double) -> ParameterFunction {
        ParameterFunction(arguments: [first, "T"], provenance: provenance, body: .binary(function))
    }

    /// An exchange-current density `j0(c_e, c_s_surf, c_s_max, T)` [A.m-2].
    public static func exchangeCurrentDensity(
        _ provenance: String, _ function: @escaping @Sendable (Double, Double, Double, Double) -> Double
    ) -> ParameterFunction {
        ParameterFunction(arguments: ["c_e", "c_s_surf", "c_s_max", "T"], provenance: provenance,
                          body: .exchangeCurrentDensity(function))
    }

    /// The number of arguments.
    public var arity: Int {
        switch body {
        case .unary: return 1
        case .binary: return 2
        case .exchangeCurrentDensity: return 4
        }
    }

    /// Evaluates the function at `arguments` (whose count must equal ``arity``).
    public func evaluate(_ values: [Double]) -> Double {
        precondition(values.count == arity, "ParameterFunction of \(arity) arguments called with \(values.count)")
        switch body {
        case let .unary(f): return f(values[0])
        case let .binary(f): return f(values[0], values[1])
        case let .exchangeCurrentDensity(f): return f(values[0], values[1], values[2], values[3])
        }
    }
}

/// Physical constants as PyBaMM defines them (CODATA 2018 exact values).
public enum PhysicalConstants {
    /// Faraday constant [C.mol-1].
    public static let faraday = 96485.33212
    /// Molar gas constant [J.mol-1.K-1] = k_B · N_A.
    public static let gasConstant = 8.31446261815324
    /// Boltzmann constant [J.K-1].
    public static let boltzmann = 1.380649e-23
    /// Elementary charge [C].
    public static let elementaryCharge = 1.602176634e-19

    /// The Arrhenius factor `exp(E / R · (1/T_ref − 1/T))` for activation energy `energy` [J.mol-1].
    @inlinable
    public static func arrhenius(_ energy: Double, _ temperature: Double, reference: Double = 298.15) -> Double {
        exp(energy / gasConstant * (1 / reference - 1 / temperature))
    }
}
