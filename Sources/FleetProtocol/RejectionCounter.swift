import Synchronization

/// Thread-safe tallies of refused messages, by reason, with the most recent refusals kept for the log and
/// the metrics endpoint. A decoder that refuses a message records it here and never crashes.
public final class RejectionCounter: Sendable {
    /// One refusal: when, on which topic, and why.
    public struct Entry: Sendable, Equatable {
        public var topic: String
        public var error: ProtocolError
    }

    private struct State {
        var counts: [RejectionReason: Int] = [:]
        var recent: [Entry] = []
    }

    private let state = Mutex(State())
    private let keep: Int
    private let log: (@Sendable (String) -> Void)?

    /// `keep`: how many recent refusals to remember; `log`: called with one line per refusal (e.g. to stderr).
    public init(keep: Int = 32, log: (@Sendable (String) -> Void)? = nil) {
        self.keep = max(keep, 0)
        self.log = log
    }

    /// Counts `error` for a message on `topic`.
    public func record(_ error: ProtocolError, topic: String) {
        state.withLock { s in
            s.counts[error.reason, default: 0] += 1
            if keep > 0 {
                if s.recent.count == keep { s.recent.removeFirst() }
                s.recent.append(Entry(topic: topic, error: error))
            }
        }
        log?("rejected message on \(topic): \(error)")
    }

    /// Refusals of one reason so far.
    public func count(_ reason: RejectionReason) -> Int { state.withLock { $0.counts[reason] ?? 0 } }

    /// All refusals so far.
    public var total: Int { state.withLock { $0.counts.values.reduce(0, +) } }

    /// Every reason with its count (zeros included), in declaration order.
    public var counts: [(reason: RejectionReason, count: Int)] {
        let counts = state.withLock { $0.counts }
        return RejectionReason.allCases.map { ($0, counts[$0] ?? 0) }
    }

    /// The most recent refusals, oldest first.
    public var recent: [Entry] { state.withLock { $0.recent } }
}

extension RejectionCounter {
    /// Decodes `payload` with `decode`; a refusal is counted, logged and returned as nil.
    ///
    ///     if let telemetry = rejections.accept(topic, payload, Telemetry.decode) { … }
    public func accept<T>(_ topic: String, _ payload: [UInt8], _ decode: ([UInt8]) throws(ProtocolError) -> T) -> T? {
        do {
            return try decode(payload)
        } catch {
            record(error, topic: topic)
            return nil
        }
    }
}
