#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FleetProtocol
import Synchronization

/// Where the site demand comes from [W, positive when the site draws from the packs].
public enum DemandSignal: Sendable, Equatable {
    /// A fixed demand.
    case constant(watts: Double)
    /// `amplitude` · sin(2π t / `period`), t seconds since the coordinator started.
    case sine(amplitude: Double, period: Double)
    /// A simple daily profile scaled to `peak` [W] at the local hour of day h: morning and evening discharge peaks
    /// and a midday charge (solar) trough,
    /// ```
    /// D(h) = peak · [0.6·g(h; 8, 1.5) + g(h; 19, 2) − 0.5·g(h; 13, 2)],   g(h; μ, σ) = exp(−(h − μ)² / 2σ²)
    /// ```
    case daily(peak: Double)
    /// The latest `DemandMessage` on `pulsebms/{site}/coordinator/demand` (0 W until one arrives); its forecast is
    /// passed on to the allocators.
    case topic

    /// Parses `constant:W`, `sine:AMPLITUDE_W:PERIOD_S`, `daily:PEAK_W` or `topic`.
    public init(parsing text: String) throws(CoordinatorError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func number(_ s: String, _ what: String) throws(CoordinatorError) -> Double {
            guard let x = Double(s), x.isFinite, abs(x) <= 1e10 else {
                throw .invalidConfiguration("demand \"\(text)\": \(what) \"\(s)\" is not a finite number within ±1e10")
            }
            return x
        }
        switch parts[0] {
        case "constant" where parts.count == 2: self = .constant(watts: try number(parts[1], "the power"))
        case "sine" where parts.count == 3:
            let period = try number(parts[2], "the period")
            guard period > 0 else { throw .invalidConfiguration("demand \"\(text)\": the period must be positive") }
            self = .sine(amplitude: try number(parts[1], "the amplitude"), period: period)
        case "daily" where parts.count == 2: self = .daily(peak: try number(parts[1], "the peak"))
        case "topic" where parts.count == 1: self = .topic
        default:
            throw .invalidConfiguration("demand \"\(text)\" is not constant:W, sine:AMPLITUDE_W:PERIOD_S, daily:PEAK_W or topic")
        }
    }

    /// The generated demand [W] at `elapsed` seconds since the start and local hour of day `hour` (nil for `topic`).
    public func value(elapsed: Double, hour: Double) -> Double? {
        switch self {
        case let .constant(watts): return watts
        case let .sine(amplitude, period): return amplitude * sin(2 * Double.pi * elapsed / period)
        case let .daily(peak):
            func g(_ mu: Double, _ sigma: Double) -> Double { exp(-(hour - mu) * (hour - mu) / (2 * sigma * sigma)) }
            return peak * (0.6 * g(8, 1.5) + g(19, 2) - 0.5 * g(13, 2))
        case .topic: return nil
        }
    }
}

/// The latest demand received on the demand topic (thread-safe: set on the MQTT thread, read by the loop).
final class DemandInbox: Sendable {
    private let latest = Mutex<DemandMessage?>(nil)

    func update(_ message: DemandMessage) { latest.withLock { $0 = message } }
    var message: DemandMessage? { latest.withLock { $0 } }
}
