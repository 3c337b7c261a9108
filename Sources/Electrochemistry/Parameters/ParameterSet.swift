/// A battery parameter set: scalars and function-valued parameters keyed by PyBaMM's names with units,
/// e.g. `"Negative particle radius [m]"` or `"Positive electrode OCP [V]"`. All values are SI.
///
/// Built-in sets (``chen2020``, ``prada2013``, ``ecker2015``, ``marquis2019``, ``okane2022``) carry the
/// papers' closed forms; user sets load from JSON (``init(json:source:)``) or BPX (``init(bpx:source:)``).
/// Changing a value is a plain mutation (``setScalar(_:_:)``), so models can re-read parameters without
/// rebuilding anything.
public struct ParameterSet: Sendable {
    /// A short name such as "Chen2020".
    public var name: String
    /// The publications behind the set, with DOIs where known.
    public var citations: [String]
    /// Numeric parameters by PyBaMM name with units.
    public var scalars: [String: Double]
    /// Function-valued parameters by PyBaMM name with units.
    public var functions: [String: ParameterFunction]

    public init(name: String, citations: [String] = [], scalars: [String: Double],
                functions: [String: ParameterFunction] = [:]) {
        self.name = name
        self.citations = citations
        self.scalars = scalars
        self.functions = functions
    }

    /// Whether the set has a scalar or function called `name`.
    public func contains(_ name: String) -> Bool {
        scalars[name] != nil || functions[name] != nil
    }

    /// All parameter names, sorted.
    public var names: [String] {
        (Array(scalars.keys) + Array(functions.keys)).sorted()
    }

    /// The finite scalar `name`; throws ``ParameterError/missing(name:)`` or
    /// ``ParameterError/nonFinite(name:value:)``, or ``ParameterError/wrongKind(name:expected:)`` if `name`
    /// is a function.
    public func scalar(_ name: String) throws(ParameterError) -> Double {
        guard let value = scalars[name] else {
            if functions[name] != nil { throw .wrongKind(name: name, expected: "a number, found a function") }
            throw .missing(name: name)
        }
        guard value.isFinite else { throw .nonFinite(name: name, value: value) }
        return value
    }

    /// The scalar `name`, or `defaultValue` if absent (a present but non-finite value still throws).
    public func scalar(_ name: String, default defaultValue: Double) throws(ParameterError) -> Double {
        scalars[name] == nil && functions[name] == nil ? defaultValue : try scalar(name)
    }

    /// The scalar `name`, required to lie in `range` (described in errors by `expected`).
    public func scalar(_ name: String, in range: ClosedRange<Double>, expected: String) throws(ParameterError) -> Double {
        let value = try scalar(name)
        guard range.contains(value) else { throw .outOfRange(name: name, value: value, expected: expected) }
        return value
    }

    /// The function `name` as stored.
    public func function(_ name: String) throws(ParameterError) -> ParameterFunction {
        guard let function = functions[name] else {
            if scalars[name] != nil { throw .wrongKind(name: name, expected: "a function, found a number") }
            throw .missing(name: name)
        }
        return function
    }

    /// `f(x)` for the parameter `name`; a scalar stands for a constant function, as in PyBaMM.
    public func unaryFunction(_ name: String) throws(ParameterError) -> @Sendable (Double) -> Double {
        if functions[name] == nil { let value = try scalar(name); return { _ in value } }
        let function = try function(name)
        guard case let .unary(f) = function.body else {
            throw .wrongKind(name: name, expected: "a function of 1 argument, found \(function.arity)")
        }
        return f
    }

    /// `f(x, T)` for the parameter `name`; a scalar stands for a constant function, as in PyBaMM.
    public func binaryFunction(_ name: String) throws(ParameterError) -> @Sendable (Double, Double) -> Double {
        if functions[name] == nil { let value = try scalar(name); return { _, _ in value } }
        let function = try function(name)
        guard case let .binary(f) = function.body else {
            throw .wrongKind(name: name, expected: "a function of 2 arguments, found \(function.arity)")
        }
        return f
    }

    /// `j0(c_e, c_s_surf, c_s_max, T)` [A.m-2] for the parameter `name`; a scalar stands for a constant.
    public func exchangeCurrentDensity(_ name: String) throws(ParameterError)
        -> @Sendable (Double, Double, Double, Double) -> Double {
        if functions[name] == nil { let value = try scalar(name); return { _, _, _, _ in value } }
        let function = try function(name)
        guard case let .exchangeCurrentDensity(f) = function.body else {
            throw .wrongKind(name: name, expected: "an exchange-current density of 4 arguments, found \(function.arity)")
        }
        return f
    }

    /// Sets the scalar `name`, replacing a function of that name.
    public mutating func setScalar(_ name: String, _ value: Double) {
        functions[name] = nil
        scalars[name] = value
    }

    /// Sets the function `name`, replacing a scalar of that name.
    public mutating func setFunction(_ name: String, _ function: ParameterFunction) {
        scalars[name] = nil
        functions[name] = function
    }

    /// A copy with the scalars in `changes` set.
    public func updating(_ changes: [String: Double]) -> ParameterSet {
        var copy = self
        for (name, value) in changes { copy.setScalar(name, value) }
        return copy
    }

    /// The built-in sets by name.
    public static let builtIn: [String: ParameterSet] = [
        "Chen2020": chen2020, "Prada2013": prada2013, "Ecker2015": ecker2015,
        "Marquis2019": marquis2019, "OKane2022": okane2022,
    ]

    /// The built-in set called `name` (case-insensitive), e.g. "Chen2020" or "chen2020".
    public static func named(_ name: String) throws(ParameterError) -> ParameterSet {
        for (key, set) in builtIn where key.lowercased() == name.lowercased() { return set }
        throw .unknownParameterSet(name: name, known: builtIn.keys.sorted())
    }
}
