/// Errors raised while building or stepping a ``Pack``.
public enum PackError: Error, Sendable, Equatable {
    /// A series or parallel count below 1, or a layout string that is not `<s>s<p>p`.
    case invalidLayout(String)
    /// A spread, balancing or pack setting outside its range; `name` says which.
    case invalidSetting(name: String, value: Double, expected: String)
    /// A cell index outside the pack, or a list whose length is not the cell count.
    case cellCount(expected: Int, got: Int)
    /// Building or stepping cell `cell` (string-major index) failed.
    case cell(index: Int, ModelError)
    /// The string-current Newton iteration did not bring the string voltages within the tolerance.
    case solveDiverged(t: Double, voltageSpread: Double, iterations: Int)
    /// The pack cannot deliver the asked power (above the maximum of its linearised voltage–current curve).
    case infeasiblePower(watts: Double, maximum: Double)
}

extension PackError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidLayout(text): return "invalid pack layout '\(text)': expected <series>s<parallel>p with counts ≥ 1, e.g. 16s4p"
        case let .invalidSetting(name, value, expected): return "pack setting \(name) = \(value): expected \(expected)"
        case let .cellCount(expected, got): return "pack has \(expected) cells, got \(got)"
        case let .cell(index, error): return "pack cell \(index): \(error)"
        case let .solveDiverged(t, spread, iterations):
            return "pack string currents did not converge at t = \(t) s: string voltages \(spread) V apart after \(iterations) iterations"
        case let .infeasiblePower(watts, maximum): return "pack power \(watts) W exceeds its present maximum \(maximum) W"
        }
    }
}
