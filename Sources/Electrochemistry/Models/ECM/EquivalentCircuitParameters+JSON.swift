/// JSON form of ``EquivalentCircuitParameters`` (with this module's ``JSONParser``; no Foundation):
/// ```
/// {"name", "citations": [...], "nominal capacity [A.h]", "capacity [A.h]", "heat capacity [J.K-1]", "heat transfer [W.K-1]",
///  "minimum voltage [V]", "maximum voltage [V]", "initial soc",
///  "negative stoichiometry": [x0, x100], "positive stoichiometry": [y0, y100],
///  "ocv [V]": TABLE, "entropic coefficient [V.K-1]": TABLE (optional), "r0 [Ohm]": TABLE,
///  "rc pairs": [{"r [Ohm]": TABLE, "tau [s]": TABLE}, ...]}
/// TABLE = {"soc": [...], "temperature [K]": [...], "values": [[row per soc]]}
/// ```
/// Loading validates the result (``EquivalentCircuitParameters/validate()``).
extension EquivalentCircuitParameters {
    /// Reads and validates a JSON parameter file.
    public init(contentsOfFile path: String) throws(ParameterError) {
        try self.init(jsonValue: ParameterFile.readJSON(path: path), source: path)
    }

    /// Parses and validates JSON text; `source` names it in errors.
    public init(json text: String, source: String = "JSON") throws(ParameterError) {
        try self.init(jsonValue: ParameterFile.parseJSON(Array(text.utf8), source: source), source: source)
    }

    /// Builds and validates a set from parsed JSON.
    public init(jsonValue root: JSONValue, source: String) throws(ParameterError) {
        guard let top = root.object else {
            throw .invalidFormat(source: source, path: "$", reason: "expected an object, found \(root.kindName)")
        }
        func number(_ key: String) throws(ParameterError) -> Double {
            switch top[key] {
            case let .number(x)?: return x
            case .null?: return .nan
            case nil: throw .missing(name: key)
            case let other?: throw .invalidFormat(source: source, path: "$.\(key)", reason: "expected a number, found \(other.kindName)")
            }
        }
        func pair(_ key: String) throws(ParameterError) -> (Double, Double) {
            guard let array = top[key]?.array, array.count == 2, let a = array[0].number, let b = array[1].number else {
                throw .invalidFormat(source: source, path: "$.\(key)", reason: "expected two numbers")
            }
            return (a, b)
        }
        guard let name = top["name"]?.string else {
            throw .invalidFormat(source: source, path: "$.name", reason: "expected a string")
        }
        var citations: [String] = []
        for (k, entry) in (top["citations"]?.array ?? []).enumerated() {
            guard let text = entry.string else {
                throw .invalidFormat(source: source, path: "$.citations[\(k)]", reason: "expected a string")
            }
            citations.append(text)
        }
        guard let pairs = top["rc pairs"]?.array else {
            throw .invalidFormat(source: source, path: "$.rc pairs", reason: "expected an array of RC pairs")
        }
        var resistances: [EquivalentCircuitTable] = [], timeConstants: [EquivalentCircuitTable] = []
        for (k, entry) in pairs.enumerated() {
            resistances.append(try EquivalentCircuitTable(json: entry["r [Ohm]"], source: source, path: "$.rc pairs[\(k)].r [Ohm]"))
            timeConstants.append(try EquivalentCircuitTable(json: entry["tau [s]"], source: source, path: "$.rc pairs[\(k)].tau [s]"))
        }
        let entropicKey = "entropic coefficient [V.K-1]"
        self.init(
            name: name, citations: citations, nominalCapacity: try number("nominal capacity [A.h]"),
            capacity: try number("capacity [A.h]"),
            openCircuitVoltage: try EquivalentCircuitTable(json: top["ocv [V]"], source: source, path: "$.ocv [V]"),
            entropicCoefficient: nil,
            seriesResistance: try EquivalentCircuitTable(json: top["r0 [Ohm]"], source: source, path: "$.r0 [Ohm]"),
            resistances: resistances, timeConstants: timeConstants,
            heatCapacity: try number("heat capacity [J.K-1]"), heatTransfer: try number("heat transfer [W.K-1]"),
            minimumVoltage: try number("minimum voltage [V]"), maximumVoltage: try number("maximum voltage [V]"),
            initialStateOfCharge: try number("initial soc"),
            negativeStoichiometry: try pair("negative stoichiometry"), positiveStoichiometry: try pair("positive stoichiometry"))
        if let value = top[entropicKey], value != .null {
            entropicCoefficient = try EquivalentCircuitTable(json: value, source: source, path: "$.\(entropicKey)")
        }
        try validate()
    }

    /// The set as JSON (compact, sorted keys; numbers round-trip exactly).
    public var jsonValue: JSONValue {
        var top: [String: JSONValue] = [
            "name": .string(name),
            "citations": .array(citations.map { .string($0) }),
            "nominal capacity [A.h]": .number(nominalCapacity),
            "capacity [A.h]": .number(capacity),
            "heat capacity [J.K-1]": .number(heatCapacity),
            "heat transfer [W.K-1]": .number(heatTransfer),
            "minimum voltage [V]": .number(minimumVoltage),
            "maximum voltage [V]": .number(maximumVoltage),
            "initial soc": .number(initialStateOfCharge),
            "negative stoichiometry": .array([.number(negativeStoichiometry.empty), .number(negativeStoichiometry.full)]),
            "positive stoichiometry": .array([.number(positiveStoichiometry.empty), .number(positiveStoichiometry.full)]),
            "ocv [V]": openCircuitVoltage.jsonValue,
            "r0 [Ohm]": seriesResistance.jsonValue,
            "rc pairs": .array(zip(resistances, timeConstants).map { r, tau in
                .object(["r [Ohm]": r.jsonValue, "tau [s]": tau.jsonValue])
            }),
        ]
        if let entropicCoefficient { top["entropic coefficient [V.K-1]"] = entropicCoefficient.jsonValue }
        return .object(top)
    }

    /// The set as JSON text (see ``jsonValue``).
    public var jsonString: String { jsonValue.serialized() }

    /// Writes the set as JSON to `path`.
    public func write(toFile path: String) throws(ParameterError) {
        try ParameterFile.write(jsonString, path: path)
    }
}
