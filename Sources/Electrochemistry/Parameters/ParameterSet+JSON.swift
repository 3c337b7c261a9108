#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loading a parameter set from JSON in the reference format: `{"name", "citations", "scalars": {NAME: number},
/// "functions": {NAME: {"args": [...], "grid": [[...], ...], "values": nested array (C order)}}}`.
/// Functions become linear interpolants of their tables; a `null` value is read as NaN. An exchange-current
/// density table with `c_s_max` is read back into `j0 = k(T) c_e^0.5 c_s^0.5 (c_max − c_s)^0.5` with k(T)
/// interpolated log-linearly in 1/T (exact for an Arrhenius k), falling back to a trilinear table.
extension ParameterSet {
    /// Parses JSON text; `source` names it in errors.
    public init(json text: String, source: String = "JSON") throws(ParameterError) {
        try self.init(jsonValue: ParameterFile.parseJSON(Array(text.utf8), source: source), source: source)
    }

    /// Reads a JSON parameter file.
    public init(jsonFile path: String) throws(ParameterError) {
        try self.init(jsonValue: ParameterFile.readJSON(path: path), source: path)
    }

    /// Builds a set from parsed JSON.
    public init(jsonValue root: JSONValue, source: String) throws(ParameterError) {
        guard let top = root.object else {
            throw .invalidFormat(source: source, path: "$", reason: "expected an object, found \(root.kindName)")
        }
        guard let scalarObject = top["scalars"]?.object else {
            throw .invalidFormat(source: source, path: "$.scalars", reason: "expected an object of numbers")
        }
        var citations = try Self.strings(top["citations"], source: source, path: "$.citations")
        var scalars: [String: Double] = [:]
        for (name, value) in scalarObject {
            switch value {
            case let .number(number): scalars[name] = number
            case .null: scalars[name] = .nan
            case .array where name == "citations":
                citations += try Self.strings(value, source: source, path: "$.scalars.citations")
            case let .string(text) where name == "citations":
                citations.append(text)
            default:
                throw .invalidFormat(source: source, path: "$.scalars[\"\(name)\"]",
                                     reason: "expected a number, found \(value.kindName)")
            }
        }
        var functions: [String: ParameterFunction] = [:]
        for (name, value) in top["functions"]?.object ?? [:] {
            let path = "$.functions[\"\(name)\"]"
            guard let entry = value.object else {
                throw .invalidFormat(source: source, path: path, reason: "expected an object, found \(value.kindName)")
            }
            if entry["error"] != nil { continue }
            functions[name] = try Self.tableFunction(entry, name: name, source: source, path: path)
            scalars[name] = nil
        }
        let title = top["name"]?.string ?? source
        self.init(name: title, citations: citations, scalars: scalars, functions: functions)
    }

    static func strings(_ value: JSONValue?, source: String, path: String) throws(ParameterError) -> [String] {
        guard let value else { return [] }
        guard let array = value.array else {
            throw .invalidFormat(source: source, path: path, reason: "expected an array of strings")
        }
        var result: [String] = []
        for (index, element) in array.enumerated() {
            guard let string = element.string else {
                throw .invalidFormat(source: source, path: "\(path)[\(index)]", reason: "expected a string")
            }
            result.append(string)
        }
        return result
    }

    static func numbers(_ value: JSONValue?, source: String, path: String) throws(ParameterError) -> [Double] {
        guard let array = value?.array else {
            throw .invalidFormat(source: source, path: path, reason: "expected an array of numbers")
        }
        var result: [Double] = []
        result.reserveCapacity(array.count)
        for (index, element) in array.enumerated() {
            switch element {
            case let .number(number): result.append(number)
            case .null: result.append(.nan)
            default: throw .invalidFormat(source: source, path: "\(path)[\(index)]", reason: "expected a number")
            }
        }
        return result
    }

    /// Flattens a nested array of the given shape in C order.
    static func flatten(_ value: JSONValue, shape: ArraySlice<Int>, source: String, path: String,
                        into result: inout [Double]) throws(ParameterError) {
        guard let count = shape.first else {
            switch value {
            case let .number(number): result.append(number)
            case .null: result.append(.nan)
            default: throw .invalidFormat(source: source, path: path, reason: "expected a number")
            }
            return
        }
        guard let array = value.array, array.count == count else {
            throw .invalidFormat(source: source, path: path, reason: "expected an array of \(count) elements")
        }
        for (index, element) in array.enumerated() {
            try flatten(element, shape: shape.dropFirst(), source: source, path: "\(path)[\(index)]", into: &result)
        }
    }

    static func tableFunction(_ entry: [String: JSONValue], name: String, source: String,
                              path: String) throws(ParameterError) -> ParameterFunction {
        let args = try strings(entry["args"], source: source, path: path + ".args")
        guard let gridArray = entry["grid"]?.array, gridArray.count == args.count, !args.isEmpty else {
            throw .invalidFormat(source: source, path: path + ".grid", reason: "expected one axis per argument")
        }
        var axes: [[Double]] = []
        for (index, axis) in gridArray.enumerated() {
            axes.append(try numbers(axis, source: source, path: "\(path).grid[\(index)]"))
        }
        guard let valuesJSON = entry["values"] else {
            throw .invalidFormat(source: source, path: path + ".values", reason: "missing")
        }
        var values: [Double] = []
        try flatten(valuesJSON, shape: ArraySlice(axes.map(\.count)), source: source, path: path + ".values", into: &values)
        let table = try LinearInterpolant(axes: axes, values: values, name: name)
        let provenance = "linear interpolation of a table from \(source)"
        switch args.count {
        case 1:
            return .unary(args[0], provenance) { table($0) }
        case 2:
            return .binary(args[0], provenance) { table($0, $1) }
        case 3:
            let csMax = entry["c_s_max"]?.number
            if let csMax, let k = arrheniusRateTable(table, csMax: csMax) {
                return .exchangeCurrentDensity("Arrhenius k(T) recovered from a table in \(source)") { ce, cs, cMax, t in
                    k(t) * sqrt(ce) * sqrt(cs) * sqrt(cMax - cs)
                }
            }
            return .exchangeCurrentDensity(provenance) { ce, cs, cMax, t in table(cs / cMax, ce, t) }
        default:
            throw .invalidFormat(source: source, path: path + ".args", reason: "expected 1 to 3 arguments, found \(args.count)")
        }
    }

    /// Recovers k(T_i) from a j0 table over (sto, c_e, T) if the table has the form k(T) c_e^½ c_s^½ (c_max − c_s)^½
    /// to 1e-6, and returns k(T) interpolated linearly in (1/T, ln k).
    static func arrheniusRateTable(_ table: LinearInterpolant, csMax: Double) -> (@Sendable (Double) -> Double)? {
        let (sto, ce, temperature) = (table.axes[0], table.axes[1], table.axes[2])
        var logK: [Double] = []
        for k in temperature.indices {
            var ratios: [Double] = []
            for i in sto.indices {
                for j in ce.indices {
                    let cs = sto[i] * csMax
                    let base = sqrt(ce[j]) * sqrt(cs) * sqrt(csMax - cs)
                    let value = table.values[(i * ce.count + j) * temperature.count + k]
                    if base > 0, value.isFinite { ratios.append(value / base) }
                }
            }
            guard !ratios.isEmpty else { return nil }
            ratios.sort()
            let median = ratios[ratios.count / 2]
            guard median > 0, ratios.allSatisfy({ abs($0 - median) <= 1e-6 * median }) else { return nil }
            logK.append(log(median))
        }
        let inverse = temperature.reversed().map { 1 / $0 }
        guard let rate = try? LinearInterpolant(axes: [inverse], values: logK.reversed(), name: "k(T)") else { return nil }
        return { t in exp(rate(1 / t)) }
    }
}
