#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Initial particle stoichiometries from an initial state of charge, by electrode balancing
/// (Mohtat et al. 2019, doi:10.1149/2.1181910jes), as PyBaMM's `ElectrodeSOHSolver` does with the known
/// value "cyclable lithium capacity".
///
/// With A = L_y · L_z · n_parallel, the electrode capacities and the cyclable lithium are
/// ```
/// Q_n  = ε_n L_n c_max,n F / 3600 · A        Q_p = ε_p L_p c_max,p F / 3600 · A
/// Q_Li = (ε_n L_n c_n,init + ε_p L_p c_p,init) F / 3600 · A
/// ```
/// and the window solves, with Brent's method, at the reference temperature:
/// ```
/// U_p(y_100) − U_n(x_100) = V_max,   y_100 = (Q_Li − x_100 Q_n) / Q_p
/// U_p(y_0)   − U_n(x_0)   = V_min,   y_0   = y_100 + Q_n (x_100 − x_0) / Q_p
/// ```
/// The OCPs are evaluated as PyBaMM applies them: U^ref(clip(s)) + U_asym(s) (see ``openCircuitPotential(_:at:)``).
/// Stoichiometry limits are [1e-6, 1 − 1e-6]; tabulated OCPs are not narrowed to their data range.
public enum InitialState {
    /// The smallest and largest admissible stoichiometry in balancing.
    static let stoichiometryLimit = 1e-6

    /// The negative and positive particle stoichiometries at `initialSoC` ∈ [0, 1].
    ///
    /// Throws ``InitialStateError/stateOfChargeOutOfRange(value:)`` for a SoC outside [0, 1], and the errors of
    /// ``window(parameters:)``.
    public static func stoichiometries(initialSoC: Double, parameters: ParameterSet) throws(InitialStateError)
        -> (negative: Double, positive: Double) {
        guard (0.0...1.0).contains(initialSoC) else { throw .stateOfChargeOutOfRange(value: initialSoC) }
        return try window(parameters: parameters).stoichiometries(atStateOfCharge: initialSoC)
    }

    /// The stoichiometry window (x_0, x_100, y_0, y_100) of `parameters`.
    ///
    /// Throws ``InitialStateError/parameter(_:)`` for a missing or bad parameter,
    /// ``InitialStateError/infeasibleCyclableLithium(capacity:lower:upper:)`` when Q_Li lies outside
    /// [Q_n x_min + Q_p y_min, Q_n x_max + Q_p y_max], and ``InitialStateError/unbracketable(unknown:target:lower:upper:voltageAtLower:voltageAtUpper:)``
    /// when the open-circuit voltage cannot reach an OCV limit.
    public static func window(parameters: ParameterSet) throws(InitialStateError) -> StoichiometryWindow {
        let p = parameters
        func positive(_ name: String) throws(InitialStateError) -> Double {
            do { return try p.scalar(name, in: Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude,
                                     expected: "a positive number") }
            catch { throw .parameter(error) }
        }
        func nonNegative(_ name: String) throws(InitialStateError) -> Double {
            do { return try p.scalar(name, in: 0...Double.greatestFiniteMagnitude, expected: "a non-negative number") }
            catch { throw .parameter(error) }
        }
        let area = try positive("Electrode width [m]") * positive("Electrode height [m]")
            * positive("Number of electrodes connected in parallel to make a cell")
        let scale = PhysicalConstants.faraday / 3600 * area
        let loadingN = try positive("Negative electrode active material volume fraction")
            * positive("Negative electrode thickness [m]")
        let loadingP = try positive("Positive electrode active material volume fraction")
            * positive("Positive electrode thickness [m]")
        let qN = try loadingN * positive("Maximum concentration in negative electrode [mol.m-3]") * scale
        let qP = try loadingP * positive("Maximum concentration in positive electrode [mol.m-3]") * scale
        let qLi = try (loadingN * nonNegative("Initial concentration in negative electrode [mol.m-3]")
            + loadingP * nonNegative("Initial concentration in positive electrode [mol.m-3]")) * scale
        let vMax = try positive("Open-circuit voltage at 100% SOC [V]")
        let vMin = try positive("Open-circuit voltage at 0% SOC [V]")
        let uN: @Sendable (Double) -> Double
        let uP: @Sendable (Double) -> Double
        do {
            uN = try p.unaryFunction("Negative electrode OCP [V]")
            uP = try p.unaryFunction("Positive electrode OCP [V]")
        } catch { throw .parameter(error) }
        let ocv = { (x: Double, y: Double) in openCircuitPotential(uP, at: y) - openCircuitPotential(uN, at: x) }

        let lo = stoichiometryLimit, hi = 1 - stoichiometryLimit
        let qLiMin = qN * lo + qP * lo, qLiMax = qN * hi + qP * hi
        guard qLiMin < qLi, qLi < qLiMax else {
            throw .infeasibleCyclableLithium(capacity: qLi, lower: qLiMin, upper: qLiMax)
        }

        // x_100: the fully charged negative electrode, with all cyclable lithium shared between the two.
        let y100Of = { (x: Double) in (qLi - x * qN) / qP }
        let x100 = try solve("x_100", target: vMax, lower: lo, upper: min(hi, (qLi - lo * qP) / qN)) {
            ocv($0, y100Of($0))
        }
        let y100 = y100Of(x100)

        // x_0: discharge moves Q_n (x_100 − x_0) from the negative into the positive electrode.
        let y0Of = { (x: Double) in y100 + qN * (x100 - x) / qP }
        let x0 = try solve("x_0", target: vMin, lower: max(lo, (qLi - hi * qP) / qN), upper: x100 - 1e-9) {
            ocv($0, y0Of($0))
        }
        return StoichiometryWindow(x0: x0, x100: x100, y0: y0Of(x0), y100: y100, negativeCapacity: qN,
                                   positiveCapacity: qP, cyclableLithiumCapacity: qLi)
    }

    /// Solves `voltage(x) = target` for `x` in `[lower, upper]` with Brent's method to 1e-15.
    static func solve(_ unknown: String, target: Double, lower: Double, upper: Double,
                      _ voltage: (Double) -> Double) throws(InitialStateError) -> Double {
        guard lower < upper else {
            throw .unbracketable(unknown: unknown, target: target, lower: lower, upper: upper,
                                 voltageAtLower: voltage(lower), voltageAtUpper: voltage(upper))
        }
        do {
            return try BrentRootFinder.root(in: lower, upper, xtol: 1e-15) { voltage($0) - target }
        } catch {
            switch error {
            case .notBracketed:
                throw .unbracketable(unknown: unknown, target: target, lower: lower, upper: upper,
                                     voltageAtLower: voltage(lower), voltageAtUpper: voltage(upper))
            case let .noConvergence(iterations, at):
                throw .noConvergence(unknown: unknown, iterations: iterations, at: at)
            }
        }
    }

    /// An OCP [V] at stoichiometry `s` as PyBaMM 26.10 applies it at the reference temperature:
    /// ```
    /// U(s) = U^ref(clip(s)) + U_asym(s),   clip(s) = min(max(s, 1e-10), 1 − 1e-10)
    /// U_asym(s) = A0(s) − A0(1 − s)
    /// A0(s) = a [ln(1 + exp(−b (max(s, s_lim) − c))) − b min(0, s − s_lim)],   s_lim = c − ln(2/ε)/b
    /// ```
    /// with a = 205.0568621937484, b = 6910.192179565431, c = −7.7e-4. The barrier is evaluated on the
    /// unclipped `s` and is negligible for 0.005 < s < 0.995.
    public static func openCircuitPotential(_ reference: (Double) -> Double, at s: Double) -> Double {
        let clipped = min(max(s, 1e-10), 1 - 1e-10)
        return reference(clipped) + (asymptote(s) - asymptote(1 - s))
    }

    /// The one-sided barrier A0(s) of ``openCircuitPotential(_:at:)``.
    static func asymptote(_ s: Double) -> Double {
        let a = 205.0568621937484, b = 6910.192179565431, c = -7.7e-4
        let limit = c - log(2 / Double.ulpOfOne) / b
        return a * (log1p(exp(-b * (max(limit, s) - c))) - b * min(0, s - limit))
    }
}
