import Foundation

/// JSON decoding of the protocol's payloads: every failure becomes a ``ProtocolError`` naming the field.
/// (Encoding is ``JSONWriter``'s.)
public enum FleetJSON {
    /// Decodes a payload of type `T`, refusing oversize, non-JSON, wrong-version, incomplete and out-of-range input.
    public static func decode<T: Decodable>(_ type: T.Type, from payload: [UInt8]) throws(ProtocolError) -> T {
        guard payload.count <= FleetProtocolVersion.maxJSONBytes else {
            throw .tooLarge(bytes: payload.count, limit: FleetProtocolVersion.maxJSONBytes)
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(payload))
        } catch let error as ProtocolError {
            throw error
        } catch let error as DecodingError {
            throw map(error)
        } catch {
            throw .malformedJSON("\(error)")
        }
    }

    private static func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
        let keys = codingPath + (last.map { [$0] } ?? [])
        return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func map(_ error: DecodingError) -> ProtocolError {
        switch error {
        case let .keyNotFound(key, context):
            return .missingField(path(context.codingPath, key))
        case let .typeMismatch(type, context):
            return context.codingPath.isEmpty ? .malformedJSON("the payload is not a JSON object")
                : .wrongType(field: path(context.codingPath), expected: describe(type))
        case let .valueNotFound(type, context):
            return .wrongType(field: path(context.codingPath), expected: describe(type))
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? .malformedJSON(context.debugDescription)
                : .wrongType(field: path(context.codingPath), expected: "a representable value")
        @unknown default:
            return .malformedJSON("\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: "a number"
        case is Int.Type, is Int64.Type, is UInt64.Type, is UInt32.Type: "an integer"
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        default: "of type \(type)"
        }
    }
}

/// A dictionary key given by its string (the protocol's keys, and device names in an allocation).
struct FieldKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == FieldKey {
    /// The header every payload carries: `"v"` (must be the current version), `"seq"` and `"ts"`.
    func header() throws -> MessageHeader {
        let v = try decode(Int.self, forKey: FieldKey("v"))
        guard v == FleetProtocolVersion.current else { throw ProtocolError.unsupportedVersion(v) }
        let seq = try decode(UInt64.self, forKey: FieldKey("seq"))
        let ts = try decode(Int64.self, forKey: FieldKey("ts"))
        guard ts >= 0 else { throw ProtocolError.outOfRange(field: "ts", value: Double(ts), allowed: "[0, ∞) ms") }
        return MessageHeader(seq: seq, timestampMs: ts)
    }

    /// A number in `range`.
    func number(_ name: String, in range: ClosedRange<Double>) throws -> Double {
        let x = try decode(Double.self, forKey: FieldKey(name))
        guard x.isFinite, range.contains(x) else {
            throw ProtocolError.outOfRange(field: name, value: x, allowed: "[\(range.lowerBound), \(range.upperBound)]")
        }
        return x
    }

    /// An optional number in `range` (absent and null both read as nil).
    func optionalNumber(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard contains(FieldKey(name)), try !decodeNil(forKey: FieldKey(name)) else { return nil }
        return try number(name, in: range)
    }

    /// One of the words of `E`.
    func word<E: RawRepresentable>(_ name: String, as: E.Type) throws -> E where E.RawValue == String {
        let s = try decode(String.self, forKey: FieldKey(name))
        guard let e = E(rawValue: s) else { throw ProtocolError.invalidValue(field: name, reason: "unknown value \"\(s)\"") }
        return e
    }
}

/// The fields every payload carries besides `"v"`: the sender's sequence number and its clock [ms since the epoch].
public struct MessageHeader: Sendable, Hashable {
    public var seq: UInt64
    public var timestampMs: Int64
    public init(seq: UInt64, timestampMs: Int64) { self.seq = seq; self.timestampMs = timestampMs }
}

/// Milliseconds since the epoch on this machine's wall clock.
public func epochMilliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}
