#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Electrochemistry
import Gym
import SeededRandom

/// An electricity price over an episode [currency/MWh], one value per step.
///
/// Synthetic (seeded, redrawn at each reset): hourly day-ahead-like prices, constant within each hour —
/// a base `mean`, a morning and a stronger evening peak, a midday solar dip, scaled day to day by a
/// lognormal factor (σ 0.15) with hourly noise (σ 8 %) — the shape of European day-ahead auctions. A CSV
/// with header `t [s], price` (linear between samples, repeated past its end) replaces it.
public struct PriceSignal: Sendable {
    public let mean: Double
    public let times: [Double]
    public let values: [Double]

    public init(mean: Double = 60) {
        self.mean = mean; times = []; values = []
    }

    /// Reads a two-column CSV (`t [s], price`; an optional header, `#` comments); errors name the line.
    public init(csv path: String) throws(GymError) {
        let text: String
        do { text = try ExperimentTextFile.read(path: path) } catch { throw .invalidOption(name: "price_csv", reason: "\(error)") }
        var ts: [Double] = [], vs: [Double] = []
        for (line, raw) in ExperimentTextFile.numberedLines(text) {
            let fields = raw.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
            }.map { String($0) }
            if fields.allSatisfy(\.isEmpty) || fields[0].hasPrefix("#") { continue }
            guard fields.count == 2 else { throw .invalidOption(name: "price_csv", reason: "\(path):\(line): expected 2 columns") }
            guard let t = Double(fields[0]), let v = Double(fields[1]), t.isFinite, v.isFinite else {
                if ts.isEmpty && line == 1 { continue }  // header
                throw .invalidOption(name: "price_csv", reason: "\(path):\(line): not two numbers")
            }
            guard ts.last.map({ t > $0 }) ?? true else {
                throw .invalidOption(name: "price_csv", reason: "\(path):\(line): times must increase")
            }
            ts.append(t); vs.append(v)
        }
        guard ts.count >= 2 else { throw .invalidOption(name: "price_csv", reason: "\(path): needs at least 2 rows") }
        times = ts; values = vs; mean = vs.reduce(0, +) / Double(vs.count)
    }

    /// Prices at steps 0..<steps of `dt` seconds.
    public func series(steps: Int, dt: Double, rng: inout Xoshiro256StarStar) -> [Double] {
        if !times.isEmpty {
            let span = times[times.count - 1] - times[0]
            return (0..<steps).map { k in
                var t = Double(k) * dt
                if t > times[times.count - 1] { t = times[0] + (t - times[0]).truncatingRemainder(dividingBy: span) }
                var i = 0
                while i + 2 < times.count && times[i + 1] < t { i += 1 }
                let u = min(max((t - times[i]) / (times[i + 1] - times[i]), 0), 1)
                return values[i] + u * (values[i + 1] - values[i])
            }
        }
        var hourly: [Double] = []
        var dayFactor = 1.0
        var out = [Double](repeating: 0, count: steps)
        for k in 0..<steps {
            let hour = Int(Double(k) * dt / 3600)
            while hourly.count <= hour {
                let h = Double(hourly.count % 24)
                if hourly.count % 24 == 0 { dayFactor = exp(0.15 * rng.nextStandardNormal()) }
                let shape = 1 + 0.35 * exp(-0.5 * pow((h - 8) / 1.5, 2)) + 0.6 * exp(-0.5 * pow((h - 19) / 1.8, 2))
                    - 0.3 * exp(-0.5 * pow((h - 13) / 2, 2)) - 0.15 * exp(-0.5 * pow((h - 3) / 2, 2))
                hourly.append(mean * shape * dayFactor * (1 + 0.08 * rng.nextStandardNormal()))
            }
            out[k] = hourly[hour]
        }
        return out
    }
}
