/// Typed access to the sections and fields of a BPX document, with errors that give the path of a bad field.
struct BPXReader {
    let root: JSONValue
    let source: String

    func section(_ name: String) throws(ParameterError) -> [String: JSONValue] {
        guard let parameterisation = root["Parameterisation"]?.object else {
            throw .invalidFormat(source: source, path: "Parameterisation", reason: "missing or not an object")
        }
        guard let section = parameterisation[name]?.object else {
            throw .invalidFormat(source: source, path: "Parameterisation.\(name)", reason: "missing or not an object")
        }
        return section
    }

    func optionalNumber(_ section: [String: JSONValue], _ field: String) throws(ParameterError) -> Double? {
        guard let value = section[field] else { return nil }
        guard let number = value.number else {
            throw .invalidFormat(source: source, path: field, reason: "expected a number, found \(value.kindName)")
        }
        guard number.isFinite else { throw .nonFinite(name: field, value: number) }
        return number
    }

    func number(_ section: [String: JSONValue], _ field: String) throws(ParameterError) -> Double {
        guard let number = try optionalNumber(section, field) else {
            throw .invalidFormat(source: source, path: field, reason: "missing required BPX field")
        }
        return number
    }

    /// A BPX function: a number, an expression string in `x`, or a table `{"x": [...], "y": [...]}`.
    func function(_ section: [String: JSONValue], _ field: String,
                  name: String) throws(ParameterError) -> @Sendable (Double) -> Double {
        guard let value = section[field] else {
            throw .invalidFormat(source: source, path: field, reason: "missing required BPX field")
        }
        switch value {
        case let .number(constant):
            return { _ in constant }
        case let .string(text):
            do {
                let expression = try Expression(text)
                return { expression($0) }
            } catch {
                throw .invalidExpression(name: name, expression: text, offset: error.offset, reason: error.reason)
            }
        case let .object(table):
            let x = try ParameterSet.numbers(table["x"], source: source, path: "\(field).x")
            let y = try ParameterSet.numbers(table["y"], source: source, path: "\(field).y")
            let interpolant = try LinearInterpolant(axes: [x], values: y, name: name)
            return { interpolant($0) }
        default:
            throw .invalidFormat(source: source, path: field,
                                 reason: "expected a number, an expression or a table, found \(value.kindName)")
        }
    }
}
