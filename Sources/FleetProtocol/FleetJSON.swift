import Glibc

/// Reading a payload: the size limit, then ``JSONScanner``. (Writing is ``JSONWriter``'s.)
enum FleetJSON {
    /// The payload's top-level object, refusing oversize and malformed input.
    static func fields(_ payload: [UInt8]) throws(ProtocolError) -> JSONFields {
        guard payload.count <= FleetProtocolVersion.maxJSONBytes else {
            throw .tooLarge(bytes: payload.count, limit: FleetProtocolVersion.maxJSONBytes)
        }
        return try JSONScanner.object(payload)
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
