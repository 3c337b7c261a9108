import Foundation

/// A linear map from a data interval onto a pixel interval, with "nice" tick values
/// (1, 2 or 5 times a power of ten) that cover the data. Used by `LearningCurve`.
struct ChartScale: Equatable {
    /// The data interval, widened to whole ticks.
    let lower: Double, upper: Double
    /// The distance between ticks.
    let tickStep: Double
    /// The pixel positions of `lower` and `upper` (for a y axis, `lower` maps to the larger pixel).
    let pixelLower: Double, pixelUpper: Double

    /// A scale over the finite `values` (NaN and infinities are ignored) with about `ticks` ticks.
    /// No finite value gives nil; a single value gets an interval around it.
    init?(covering values: [Double], pixels: (lower: Double, upper: Double), ticks: Int = 5) {
        let finite = values.filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max() else { return nil }
        if high - low <= Swift.max(abs(low), abs(high)) * 1e-12 {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad; high += pad
        }
        let step = Self.niceStep((high - low) / Double(Swift.max(ticks, 1)))
        guard step.isFinite, step > 0 else { return nil }
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
        tickStep = step
        pixelLower = pixels.lower
        pixelUpper = pixels.upper
    }

    /// The smallest of 1, 2, 5 × 10ⁿ that is at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * magnitude >= raw * (1 - 1e-9) {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// The pixel position of `value`.
    func pixel(_ value: Double) -> Double {
        pixelLower + (value - lower) / (upper - lower) * (pixelUpper - pixelLower)
    }

    /// The tick values from `lower` to `upper`.
    var ticks: [Double] {
        let count = Int(((upper - lower) / tickStep).rounded())
        return (0...count).map { lower + Double($0) * tickStep }
    }

    /// The label of the tick `value`: plain decimals with as many digits as the step needs, or
    /// k / M / G suffixes once the values reach ten thousand (environment steps: "250k", "1.5M").
    func label(_ value: Double) -> String {
        let largest = Swift.max(abs(lower), abs(upper))
        var scaled = value, step = tickStep, suffix = ""
        for (factor, name) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where largest >= 1e4 && largest >= factor {
            scaled = value / factor; step = tickStep / factor; suffix = name
            break
        }
        let decimals = Swift.max(0, Int((-log10(step)).rounded(.up)))
        if abs(scaled) < step * 1e-9 { return "0" }
        if abs(scaled) >= 1e6 || (abs(scaled) < 1e-4 && decimals > 6) {
            return String(format: "%.3g", scaled) + suffix
        }
        return String(format: "%.\(decimals)f", scaled) + suffix
    }
}

/// Numbers and text as SVG wants them.
enum SVGText {
    /// A coordinate with two decimals.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let text = String(format: "%.2f", value)
        return text.hasSuffix(".00") ? String(text.dropLast(3)) : text
    }

    /// `text` with the XML special characters escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default:
                // XML 1.0 forbids most control characters, even escaped.
                if let ascii = character.asciiValue, ascii < 0x20, ascii != 0x09, ascii != 0x0A { result += " " } else { result.append(character) }
            }
        }
        return result
    }

    /// The colour of series `index` (the Tableau 10 palette, repeating).
    static func colour(_ index: Int) -> String {
        let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#d62728"]
        return palette[index % palette.count]
    }
}
