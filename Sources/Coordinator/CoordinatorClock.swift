import FleetProtocol
import Glibc

/// The coordinator's clock for receive times and freshness: epoch milliseconds at the first reading, advanced by
/// the monotonic clock since. It reads like wall-clock time (so telemetry `ts` minus receive time is a latency),
/// but an NTP step of the machine's clock while running does not make every device look stale, or a silent one
/// look fresh. Setpoint commands are stamped with the true wall clock (`epochMilliseconds()`), which the devices
/// compare with their own.
public enum CoordinatorClock {
    private static let anchor: (epochMs: Double, monotonicMs: Double) = (Double(epochMilliseconds()), monotonicMs())

    private static func monotonicMs() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
    }

    /// Now [ms, epoch-anchored, monotonic].
    public static var nowMs: Double { anchor.epochMs + (monotonicMs() - anchor.monotonicMs) }
}
