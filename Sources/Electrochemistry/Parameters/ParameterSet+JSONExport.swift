/// Writing a parameter set as JSON in the reference format, sampling each function on PyBaMM's export grids:
/// stoichiometry 0…1 in 501 points; c_e 0…4000 mol.m-3 in 201 points; temperatures 263.15–333.15 K; for
/// exchange-current densities sto 0…1 in 101 points × c_e {250, …, 3000} × T, with `c_s_surf = sto · c_s_max`.
extension ParameterSet {
    /// The temperatures [K] of the export grid.
    public static let exportTemperatures = [263.15, 273.15, 283.15, 298.15, 313.15, 333.15]
    /// The electrolyte concentrations [mol.m-3] of the exchange-current-density export grid.
    public static let exportExchangeConcentrations = [250.0, 500, 1000, 1500, 2000, 3000]

    static func uniform(_ from: Double, _ to: Double, count: Int) -> [Double] {
        (0..<count).map { from + (to - from) * Double($0) / Double(count - 1) }
    }

    /// The set as a JSON value; fails if an exchange-current density's maximum concentration is missing.
    public func jsonValue() throws(ParameterError) -> JSONValue {
        var scalarMembers: [String: JSONValue] = [:]
        for (name, value) in scalars { scalarMembers[name] = .number(value) }
        var functionMembers: [String: JSONValue] = [:]
        for (name, function) in functions {
            functionMembers[name] = try sampled(function, name: name)
        }
        return .object([
            "name": .string(self.name),
            "citations": .array(citations.map(JSONValue.string)),
            "scalars": .object(scalarMembers),
            "functions": .object(functionMembers),
        ])
    }

    /// The set as JSON text (see ``jsonValue()``).
    public func jsonString() throws(ParameterError) -> String {
        try jsonValue().serialized()
    }

    /// Writes the set as JSON to `path`.
    public func writeJSON(path: String) throws(ParameterError) {
        try ParameterFile.write(jsonString(), path: path)
    }

    private func sampled(_ function: ParameterFunction, name: String) throws(ParameterError) -> JSONValue {
        func numbers(_ values: [Double]) -> JSONValue { .array(values.map(JSONValue.number)) }
        let temperatures = Self.exportTemperatures
        switch function.body {
        case let .unary(f):
            let isTemperature = function.arguments.first?.hasPrefix("T") ?? false
            let grid = isTemperature ? temperatures : Self.uniform(0, 1, count: 501)
            return .object(["args": .array(function.arguments.map(JSONValue.string)),
                            "grid": .array([numbers(grid)]), "values": numbers(grid.map(f))])
        case let .binary(f):
            let first = function.arguments.first == "sto" ? Self.uniform(0, 1, count: 501) : Self.uniform(0, 4000, count: 201)
            let values = first.map { x in numbers(temperatures.map { f(x, $0) }) }
            return .object(["args": .array(function.arguments.map(JSONValue.string)),
                            "grid": .array([numbers(first), numbers(temperatures)]), "values": .array(values)])
        case let .exchangeCurrentDensity(f):
            let electrode = name.hasPrefix("Negative") ? "negative" : "positive"
            let csMax = try scalar("Maximum concentration in \(electrode) electrode [mol.m-3]")
            let sto = Self.uniform(0, 1, count: 101)
            let ce = Self.exportExchangeConcentrations
            let values = sto.map { x in
                JSONValue.array(ce.map { c in numbers(temperatures.map { f(c, x * csMax, csMax, $0) }) })
            }
            return .object(["args": .array([.string("sto"), .string("c_e [mol.m-3]"), .string("T [K]")]),
                            "grid": .array([numbers(sto), numbers(ce), numbers(temperatures)]),
                            "values": .array(values), "c_s_max": .number(csMax),
                            "note": .string("c_s_surf = sto * c_s_max")])
        }
    }
}
