/// Decoding helpers for the config structs: every key has a documented default, and a key the struct does not
/// know is an error (a typo must not silently fall back to a default).
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// Throws when the mapping has keys outside `known`.
    func rejectUnknownKeys(_ known: [String], in section: String) throws {
        let present = try container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        let unknown = present.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw TrainingError.invalidConfig("unknown key\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")) in \(section); known: \(known.sorted().joined(separator: ", "))")
        }
    }
}

extension KeyedDecodingContainer {
    func value<T: Decodable>(_ key: Key, default fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }

    func value<T: Decodable & Comparable>(_ key: Key, default fallback: T, in range: ClosedRange<T>) throws -> T {
        let v = try decodeIfPresent(T.self, forKey: key) ?? fallback
        guard range.contains(v) else {
            throw TrainingError.invalidConfig("\(key.stringValue) = \(v) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return v
    }
}
