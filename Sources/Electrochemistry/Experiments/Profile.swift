/// A current or power that varies in time, such as a drive cycle.
///
/// Samples `(tᵢ, yᵢ)` start at t = 0 s and increase strictly. Between samples the
/// value is interpolated linearly or held from the previous sample:
///
/// ```
/// linear:    y(t) = yᵢ + (yᵢ₊₁ − yᵢ) · (t − tᵢ) / (tᵢ₊₁ − tᵢ),   tᵢ ≤ t < tᵢ₊₁
/// previous:  y(t) = yᵢ,                                        tᵢ ≤ t < tᵢ₊₁
/// ```
///
/// Before the first sample the first value applies and after the last the
/// last value. Values follow PyBaMM's sign: positive on discharge.
public struct Profile: Sendable, Equatable {
    /// What a profile's values are.
    public enum Quantity: String, Sendable, Equatable {
        /// Current [A], positive on discharge.
        case current
        /// Power [W], positive on discharge.
        case power
    }

    /// How a profile fills the time between samples.
    public enum Interpolation: String, Sendable, Equatable {
        /// Straight lines between samples.
        case linear
        /// The value of the latest sample at or before t (zero-order hold).
        case previous
    }

    /// What the values are: current [A] or power [W].
    public let quantity: Quantity
    /// Sample times [s] since the start of the step, from 0, strictly increasing.
    public let times: [Double]
    /// Sample values [A] or [W], positive on discharge.
    public let values: [Double]
    /// How values between samples are found.
    public let interpolation: Interpolation

    /// Creates a profile, checking the samples.
    ///
    /// - Throws: ``ExperimentError/invalidValue(name:value:reason:)`` naming the sample
    ///   that is non-finite or out of order, or the first time if it is not 0.
    public init(
        quantity: Quantity, times: [Double], values: [Double], interpolation: Interpolation = .linear
    ) throws(ExperimentError) {
        guard times.count == values.count else {
            throw .invalidValue(name: "profile sample count", value: Double(values.count),
                                reason: "there are \(times.count) times but \(values.count) values")
        }
        guard times.count >= 2 else {
            throw .invalidValue(name: "profile sample count", value: Double(times.count),
                                reason: "a profile needs at least two samples")
        }
        for i in times.indices {
            guard times[i].isFinite else {
                throw .invalidValue(name: "profile time [s] at sample \(i)", value: times[i], reason: "must be finite")
            }
            guard values[i].isFinite else {
                throw .invalidValue(name: "profile value at sample \(i)", value: values[i], reason: "must be finite")
            }
            if i > 0 && !(times[i] > times[i - 1]) {
                throw .invalidValue(name: "profile time [s] at sample \(i)", value: times[i],
                                    reason: "must be after the previous time \(times[i - 1])")
            }
        }
        guard times[0] == 0 else {
            throw .invalidValue(name: "profile start time [s]", value: times[0], reason: "a profile must start at t = 0")
        }
        self.quantity = quantity
        self.times = times
        self.values = values
        self.interpolation = interpolation
    }

    /// The time of the last sample [s], the default duration of a profile step.
    public var endTime: Double { times[times.count - 1] }

    /// The shortest interval between samples [s], PyBaMM's default output period for drive cycles.
    public var minimumInterval: Double {
        var shortest = Double.infinity
        for i in 1..<times.count { shortest = Swift.min(shortest, times[i] - times[i - 1]) }
        return shortest
    }

    /// The value at time `t` [s] since the start of the step. Allocation-free, O(log n).
    @inlinable
    public func value(at t: Double) -> Double {
        let n = times.count
        if !(t > times[0]) { return values[0] }
        if t >= times[n - 1] { return values[n - 1] }
        let i = sampleIndex(atOrBefore: t)
        switch interpolation {
        case .previous:
            return values[i]
        case .linear:
            let t0 = times[i], t1 = times[i + 1]
            return values[i] + (values[i + 1] - values[i]) * ((t - t0) / (t1 - t0))
        }
    }

    /// The first sample time strictly after `t` [s], or `nil` past the end.
    ///
    /// A solver should not step across it, since the profile has a kink or jump there.
    public func nextBreakpoint(after t: Double) -> Double? {
        if t < times[0] { return times[0] }
        if t >= endTime { return nil }
        return times[sampleIndex(atOrBefore: t) + 1]
    }

    /// The index i with times[i] ≤ t < times[i + 1], for times[0] ≤ t < endTime.
    @usableFromInline
    func sampleIndex(atOrBefore t: Double) -> Int {
        var lo = 0, hi = times.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid } else { hi = mid }
        }
        return lo
    }
}

extension ExperimentStep {
    /// A step that follows a current or power profile for its length, or for
    /// `duration` seconds (holding the last value) if given.
    ///
    /// - Throws: ``ExperimentError/invalidValue(name:value:reason:)`` for a bad duration,
    ///   period or termination value.
    public static func profile(
        _ profile: Profile, duration: Double? = nil, terminations: [StepTermination] = [], period: Double? = nil
    ) throws(ExperimentError) -> ExperimentStep {
        try ExperimentStep(.profile(profile), duration: duration, terminations: terminations, period: period)
    }
}
