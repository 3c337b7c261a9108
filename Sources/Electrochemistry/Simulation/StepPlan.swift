/// The schedule of one experiment step, as PyBaMM 26.10 lays it out (docs/electrochemistry-spec.md §0.1, §5):
/// the drive, the active terminations and the local times [s] at which the model is stopped.
///
/// Output rows fall at `t = linspace(0, D, max(round(D/period) + 1, 2))`, with D the step's nominal duration
/// (``ExperimentStep/durationLimit``) and `round` to nearest-even as Python's. When D is not a multiple of the
/// period the rows are evenly spaced in D rather than every `period` (0.7C: D = 10285.7 s, 1030 rows 9.986 s apart).
///
/// A profile step (a drive cycle) is held piecewise constant. PyBaMM interpolates the samples linearly and steps
/// to every sample time; here the model is stopped at every sample time, every output time and at most
/// ``longestHold`` apart in between, and between two stops the drive is the profile's value at their midpoint. For a linear profile that is the interval's mean, so
/// the charge passed is exact and the voltage error is second order in the interval length. Rows fall at the
/// sample times (and at D), or on the linspace above when the step names its own period; a row at a stop carries
/// the profile's value there, and a row where an event fires carries the value held over its interval.
struct StepPlan {
    /// The nominal duration D [s].
    let duration: Double
    /// Events in force: the step's terminations (voltage cut-offs are dropped on Rest and Hold steps, as in
    /// PyBaMM), then the run's voltage limits.
    let events: [StepTermination]
    /// How many of ``events`` are the step's own terminations.
    let stepEventCount: Int
    /// Local stop times, ascending, from 0 to D.
    let stops: [Double]
    /// Whether a row is written at each stop.
    let isOutput: [Bool]

    private let control: ControlMode
    private let nominalCapacity: Double

    init(step: ExperimentStep, defaultPeriod: Double, nominalCapacity: Double, voltageLimits: ClosedRange<Double>?) {
        control = step.control
        self.nominalCapacity = nominalCapacity
        let duration = step.durationLimit
        self.duration = duration
        var events = step.terminations
        if case .rest = step.control { events.removeAll(where: \.isVoltageCutoff) }
        if case .voltage = step.control { events.removeAll(where: \.isVoltageCutoff) }
        stepEventCount = events.count
        if let limits = voltageLimits {
            events += [.voltageBelow(volts: limits.lowerBound), .voltageAbove(volts: limits.upperBound)]
        }
        self.events = events
        let outputs: [Double]
        if case .profile(let profile) = step.control {
            outputs = step.period.map { Self.outputTimes(duration: duration, period: $0) }
                ?? Self.sampleTimes(profile, duration: duration)
            let (merged, flags) = Self.merge(outputs: outputs, samples: Self.sampleTimes(profile, duration: duration),
                                             duration: duration)
            (stops, isOutput) = profile.interpolation == .linear
                ? Self.refine(merged, flags, longest: Self.longestHold) : (merged, flags)
        } else {
            outputs = Self.outputTimes(duration: duration, period: step.period ?? defaultPeriod)
            stops = outputs
            isOutput = [Bool](repeating: true, count: outputs.count)
        }
    }

    /// PyBaMM's row times `linspace(0, D, max(round(D / period) + 1, 2))`.
    static func outputTimes(duration: Double, period: Double) -> [Double] {
        let count = max(Int((duration / period).rounded(.toNearestOrEven)) + 1, 2)
        return (0..<count).map { $0 == count - 1 ? duration : duration * Double($0) / Double(count - 1) }
    }

    /// A profile's sample times below D, then D.
    static func sampleTimes(_ profile: Profile, duration: Double) -> [Double] {
        let tolerance = 1e-9 * max(duration, 1)
        return profile.times.filter { $0 < duration - tolerance } + [duration]
    }

    /// The sorted union of output and sample times (equal within 1e-9·D), flagging the output ones.
    static func merge(outputs: [Double], samples: [Double], duration: Double) -> ([Double], [Bool]) {
        let tolerance = 1e-9 * max(duration, 1)
        var stops: [Double] = [], flags: [Bool] = []
        stops.reserveCapacity(outputs.count + samples.count)
        var i = 0, j = 0
        while i < outputs.count || j < samples.count {
            let output = i < outputs.count ? outputs[i] : .infinity
            let sample = j < samples.count ? samples[j] : .infinity
            if abs(output - sample) <= tolerance {
                stops.append(output); flags.append(true); i += 1; j += 1
            } else if output < sample {
                stops.append(output); flags.append(true); i += 1
            } else {
                stops.append(sample); flags.append(false); j += 1
            }
        }
        return (stops, flags)
    }

    /// The longest interval [s] over which a linearly interpolated profile is held constant. With 1 s, a random
    /// 20 s power profile (±15 W, Chen2020 SPMe and DFN) stays within 0.009 mV of PyBaMM's voltage; holding each
    /// 20 s interval whole gave 0.85 mV.
    static let longestHold = 1.0

    /// Splits every interval longer than `longest` into equal pieces, adding stops without rows.
    static func refine(_ stops: [Double], _ flags: [Bool], longest: Double) -> ([Double], [Bool]) {
        var refined: [Double] = [stops[0]], refinedFlags: [Bool] = [flags[0]]
        for k in 1..<stops.count {
            let pieces = max(1, Int(((stops[k] - stops[k - 1]) / longest).rounded(.up)))
            for piece in 1..<pieces {
                refined.append(stops[k - 1] + (stops[k] - stops[k - 1]) * Double(piece) / Double(pieces))
                refinedFlags.append(false)
            }
            refined.append(stops[k]); refinedFlags.append(flags[k])
        }
        return (refined, refinedFlags)
    }

    /// Whether the drive changes within the step (a profile).
    var varies: Bool {
        if case .profile = control { return true }
        return false
    }

    /// The drive at local time `t` [s].
    func drive(at t: Double) -> CellDrive {
        switch control {
        case .current(let i): return .current(i)
        case .cRate(let c): return .current(c * nominalCapacity)
        case .rest: return .current(0)
        case .power(let p): return .power(p)
        case .voltage(let v): return .voltage(v)
        case .resistance(let r): return .resistance(r)
        case .profile(let profile):
            let value = profile.value(at: t)
            return profile.quantity == .current ? .current(value) : .power(value)
        }
    }

    /// The drive held between the stops `k − 1` and `k`: the value at their midpoint.
    func drive(intoStop k: Int) -> CellDrive {
        drive(at: 0.5 * (stops[k - 1] + stops[k]))
    }

    /// The index in ``events`` of the first one that holds for these outputs, or `nil`.
    func reachedEvent(_ outputs: CellOutputs) -> Int? {
        events.firstIndex {
            $0.isReached(voltage: outputs.voltage, current: outputs.current, nominalCapacity: nominalCapacity)
        }
    }
}
