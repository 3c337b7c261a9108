#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Electrochemistry
import Gym
import SeededRandom

/// The site's power request to the fleet over an episode [W], positive to discharge, one value per step.
///
/// Synthetic shapes (seeded, redrawn at each reset) are built from a site load L(h) over the hour of day h:
/// a base with a morning and an evening Gaussian peak, day-to-day amplitude jitter and AR(1) noise
/// (correlation 0.9 per step), normalised to peak 1:
/// - `peak-shaving`: the fleet discharges L − θ above the threshold θ (`peak_threshold`, share of the peak) and
///   recharges the same energy spread over the night valley (00:00–06:00), so each day's energy balances;
/// - `load-following`: the fleet absorbs L minus its 2-hour moving average (zero mean: fast regulation);
/// then scaled to `scale` × the fleet's rated power, or less if a day's discharged energy would exceed
/// `energyShare` × the fleet's energy (default 0.3: the fleet starts near half charge). A CSV (`t [s], P [W|kW]`, positive to discharge,
/// linear between samples, repeated past its end) replaces the synthetic shape.
public struct SiteDemand: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case peakShaving = "peak-shaving", loadFollowing = "load-following" }
    public let kind: Kind?
    public let profile: Profile?
    public let scale: Double
    public let peakThreshold: Double
    public let energyShare: Double

    /// A synthetic demand of `kind`.
    public init(kind: Kind, scale: Double, peakThreshold: Double = 0.6, energyShare: Double = 0.3) {
        self.kind = kind; profile = nil; self.scale = scale; self.peakThreshold = peakThreshold; self.energyShare = energyShare
    }

    /// A demand read from a CSV power profile.
    public init(csv path: String) throws(GymError) {
        do { profile = try Profile(contentsOfCSV: path, quantity: .power) } catch {
            throw .invalidOption(name: "demand_csv", reason: "\(error)")
        }
        kind = nil; scale = 1; peakThreshold = 0; energyShare = 1
    }

    /// The requests [W] at steps 0..<steps of `dt` seconds, for a fleet rated at `ratedPower` [W] holding
    /// `energy` [Wh].
    public func series(steps: Int, dt: Double, ratedPower: Double, energy: Double, rng: inout Xoshiro256StarStar) -> [Double] {
        if let profile {
            let span = profile.endTime - profile.times[0]
            return (0..<steps).map { k in
                var t = Double(k) * dt
                if span > 0, t > profile.endTime { t = profile.times[0] + (t - profile.times[0]).truncatingRemainder(dividingBy: span) }
                return profile.value(at: t)
            }
        }
        let load = Self.siteLoad(steps: steps, dt: dt, rng: &rng)
        var out = [Double](repeating: 0, count: steps)
        switch kind! {
        case .peakShaving:
            let perDay = max(1, Int((86_400 / dt).rounded()))
            var day = 0
            while day * perDay < steps {
                let range = (day * perDay)..<min(steps, (day + 1) * perDay)
                var shaved = 0.0
                var night: [Int] = []
                for k in range {
                    let hour = (Double(k) * dt / 3600).truncatingRemainder(dividingBy: 24)
                    if load[k] > peakThreshold { out[k] = load[k] - peakThreshold; shaved += out[k] }
                    else if hour < 6 { night.append(k) }
                }
                for k in night { out[k] = -shaved / Double(night.count) }
                day += 1
            }
        case .loadFollowing:
            let window = max(1, Int((7200 / dt).rounded()))
            var sum = 0.0
            for k in 0..<steps {
                sum += load[k]
                if k >= window { sum -= load[k - window] }
                out[k] = load[k] - sum / Double(min(k + 1, window))
            }
        }
        let peak = max(out.map(abs).max() ?? 1, 1e-12)
        // Largest discharged energy of any day (or running sum for load following), in normalised units × s.
        let perDay = max(1, Int((86_400 / dt).rounded()))
        var dailyMax = 0.0
        for start in stride(from: 0, to: steps, by: perDay) {
            var running = 0.0, worst = 0.0
            for k in start..<min(steps, start + perDay) { running += out[k] * dt; worst = max(worst, abs(running)) }
            dailyMax = max(dailyMax, worst)
        }
        var factor = scale * ratedPower / peak
        if dailyMax > 0 { factor = min(factor, energyShare * energy * 3600 / dailyMax) }
        return out.map { $0 * factor }
    }

    /// A normalised daily site load with two peaks, jitter and AR(1) noise.
    static func siteLoad(steps: Int, dt: Double, rng: inout Xoshiro256StarStar) -> [Double] {
        var out = [Double](repeating: 0, count: steps)
        var noise = 0.0
        var morning = 0.0, evening = 0.0, lastDay = -1
        for k in 0..<steps {
            let t = Double(k) * dt, day = Int(t / 86_400), hour = (t / 3600).truncatingRemainder(dividingBy: 24)
            if day != lastDay {
                morning = rng.nextUniform(in: 0.45, 0.65); evening = rng.nextUniform(in: 0.7, 0.9); lastDay = day
            }
            noise = 0.9 * noise + 0.03 * rng.nextStandardNormal()
            let m = morning * exp(-0.5 * pow((hour - 8) / 1.5, 2)), e = evening * exp(-0.5 * pow((hour - 19) / 2, 2))
            out[k] = 0.35 + m + e + noise
        }
        let peak = out.max() ?? 1
        return out.map { $0 / peak }
    }
}
