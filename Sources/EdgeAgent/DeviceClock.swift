import FleetProtocol

/// The agent's clock for command expiry: wall-clock milliseconds that never go backwards — the epoch time at
/// the agent's start plus the monotonic time elapsed since. Commands carry epoch times; on receipt they are moved
/// onto this clock by the present difference between the epoch and it (``epochOffsetMs()``), which is 0 until
/// the system clock is stepped.
struct DeviceClock: Sendable {
    private let startEpochMs: Int64
    private let start: ContinuousClock.Instant

    init() {
        start = ContinuousClock.now
        startEpochMs = epochMilliseconds()
    }

    /// Milliseconds on the device clock.
    func nowMs() -> UInt64 {
        let elapsed = ContinuousClock.now - start
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        return UInt64(max(0, startEpochMs + ms))
    }

    /// Epoch time minus device time [ms]: an epoch time e is e − offset on the device clock.
    func epochOffsetMs() -> Int64 { epochMilliseconds() - Int64(nowMs()) }
}
