/// The fields of one JSON object, with typed, range-checked accessors whose errors name the field by its path
/// (`limits.soc_min`).
struct JSONFields {
    var pairs: [JSONPair] = []
    /// The object's own path in the payload ("" at the top).
    let path: String

    init(path: String) { self.path = path }

    func index(of key: String) -> Int? { pairs.firstIndex { $0.key == key } }
    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    var keys: [String] { pairs.map(\.key) }

    /// The value of `key`, or nil when absent or null.
    func optional(_ key: String) -> JSONValue? {
        guard let k = index(of: key) else { return nil }
        if case .null = pairs[k].value { return nil }
        return pairs[k].value
    }

    func required(_ key: String) throws(ProtocolError) -> JSONValue {
        guard let k = index(of: key) else { throw .missingField(name(key)) }
        return pairs[k].value
    }

    /// A number in `range`.
    func number(_ key: String, in range: ClosedRange<Double>) throws(ProtocolError) -> Double {
        try number(key, try required(key), in: range)
    }

    /// An optional number in `range` (absent and null read as nil).
    func optionalNumber(_ key: String, in range: ClosedRange<Double>) throws(ProtocolError) -> Double? {
        guard let v = optional(key) else { return nil }
        return try number(key, v, in: range)
    }

    /// `v`, the value of `key`, as a number in `range`.
    func number(_ key: String, _ v: JSONValue, in range: ClosedRange<Double>) throws(ProtocolError) -> Double {
        guard case let .number(x, _) = v else { throw .wrongType(field: name(key), expected: "a number") }
        guard x.isFinite, range.contains(x) else {
            throw .outOfRange(field: name(key), value: x, allowed: "[\(range.lowerBound), \(range.upperBound)]")
        }
        return x
    }

    /// An integer of type `T` (written without a fraction or exponent, and within `T`'s range).
    func integer<T: FixedWidthInteger>(_ key: String, as: T.Type) throws(ProtocolError) -> T {
        try integer(key, try required(key))
    }

    func optionalInteger<T: FixedWidthInteger>(_ key: String, as: T.Type) throws(ProtocolError) -> T? {
        guard let v = optional(key) else { return nil }
        return try integer(key, v)
    }

    private func integer<T: FixedWidthInteger>(_ key: String, _ v: JSONValue) throws(ProtocolError) -> T {
        guard case let .number(x, text) = v else { throw .wrongType(field: name(key), expected: "an integer") }
        guard let n = T(text) else {
            let integral = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
            if integral { throw .outOfRange(field: name(key), value: x, allowed: "[\(T.min), \(T.max)]") }
            throw .wrongType(field: name(key), expected: "an integer")
        }
        return n
    }

    func string(_ key: String) throws(ProtocolError) -> String {
        guard case let .string(s) = try required(key) else { throw .wrongType(field: name(key), expected: "a string") }
        return s
    }

    func optionalString(_ key: String) throws(ProtocolError) -> String? {
        guard let v = optional(key) else { return nil }
        guard case let .string(s) = v else { throw .wrongType(field: name(key), expected: "a string") }
        return s
    }

    func bool(_ key: String) throws(ProtocolError) -> Bool {
        guard case let .bool(b) = try required(key) else { throw .wrongType(field: name(key), expected: "a boolean") }
        return b
    }

    func object(_ key: String) throws(ProtocolError) -> JSONFields {
        guard case let .object(o) = try required(key) else { throw .wrongType(field: name(key), expected: "an object") }
        return o
    }

    func optionalObject(_ key: String) throws(ProtocolError) -> JSONFields? {
        guard let v = optional(key) else { return nil }
        guard case let .object(o) = v else { throw .wrongType(field: name(key), expected: "an object") }
        return o
    }

    /// An optional array of strings (absent or null: empty).
    func strings(_ key: String) throws(ProtocolError) -> [String] {
        guard let v = optional(key) else { return [] }
        guard case let .array(items) = v else { throw .wrongType(field: name(key), expected: "an array of strings") }
        var out: [String] = []
        for item in items {
            guard case let .string(s) = item else { throw .wrongType(field: name(key), expected: "an array of strings") }
            out.append(s)
        }
        return out
    }

    /// An optional array of numbers (absent or null: empty).
    func numbers(_ key: String) throws(ProtocolError) -> [Double] {
        guard let v = optional(key) else { return [] }
        guard case let .array(items) = v else { throw .wrongType(field: name(key), expected: "an array of numbers") }
        var out: [Double] = []
        for item in items {
            guard case let .number(x, _) = item else { throw .wrongType(field: name(key), expected: "an array of numbers") }
            out.append(x)
        }
        return out
    }

    /// One of the words of `E`.
    func word<E: RawRepresentable>(_ key: String, as: E.Type) throws(ProtocolError) -> E where E.RawValue == String {
        let s = try string(key)
        guard let e = E(rawValue: s) else { throw .invalidValue(field: name(key), reason: "unknown value \"\(s)\"") }
        return e
    }

    /// The header every payload carries: `"v"` (must be the current version), `"seq"` and `"ts"`.
    func header() throws(ProtocolError) -> MessageHeader {
        let v = try integer("v", as: Int.self)
        guard v == FleetProtocolVersion.current else { throw .unsupportedVersion(v) }
        let seq = try integer("seq", as: UInt64.self)
        let ts = try integer("ts", as: Int64.self)
        guard ts >= 0 else { throw .outOfRange(field: "ts", value: Double(ts), allowed: "[0, ∞) ms") }
        return MessageHeader(seq: seq, timestampMs: ts)
    }
}
