import Foundation

/// Drawing one panel of a `LearningCurve`: box, grid, ticks, axis labels, std bands, lines and
/// (in the cost panel) the cost limit.
extension LearningCurve {
    /// Which of the two panels.
    enum Panel {
        case returns, costs

        var id: String { self == .returns ? "return" : "cost" }
        var heading: String { self == .returns ? "Episode return" : "Episode cost" }
        var axisLabel: String { self == .returns ? "episode return" : "episode cost" }
    }

    /// The values and std of `series` in `panel`.
    private func data(_ s: Series, _ panel: Panel) -> (values: [Double], std: [Double]?) {
        panel == .returns ? (s.returns, s.returnStd) : (s.costs, s.costStd)
    }

    /// The SVG group of `panel`, whose top edge is at `top`.
    func panel(_ panel: Panel, top: Double, xScale: ChartScale?) -> String {
        let boxTop = top + 28, boxBottom = top + 208, boxLeft = Self.left, boxRight = width - Self.right
        var yValues: [Double] = []
        for s in series {
            let (values, std) = data(s, panel)
            for i in values.indices where s.steps[i].isFinite && values[i].isFinite {
                yValues.append(values[i])
                if let std, std[i].isFinite { yValues += [values[i] - std[i], values[i] + std[i]] }
            }
        }
        let hasData = !yValues.isEmpty
        let limit = panel == .costs ? costLimit.flatMap { $0.isFinite ? $0 : nil } : nil
        if let limit, hasData { yValues.append(limit) }

        var out = "<g class=\"panel\" id=\"\(panel.id)-panel\">\n"
        out += "<text class=\"panel-title\" x=\"\(n(boxLeft))\" y=\"\(n(top + 18))\" font-size=\"14\" font-weight=\"bold\">\(panel.heading)</text>\n"
        out += "<rect id=\"\(panel.id)-plot\" x=\"\(n(boxLeft))\" y=\"\(n(boxTop))\" width=\"\(n(boxRight - boxLeft))\" "
            + "height=\"\(n(boxBottom - boxTop))\" fill=\"none\" stroke=\"#444\"/>\n"
        guard hasData, let xScale, let yScale = ChartScale(covering: yValues, pixels: (boxBottom, boxTop)) else {
            out += "<text class=\"no-data\" x=\"\(n((boxLeft + boxRight) / 2))\" y=\"\(n((boxTop + boxBottom) / 2))\" "
                + "text-anchor=\"middle\" fill=\"#888\" font-size=\"16\">no data</text>\n"
            return out + "</g>\n"
        }

        // Grid, ticks and tick labels.
        for tick in xScale.ticks {
            let x = n(xScale.pixel(tick))
            out += "<line x1=\"\(x)\" y1=\"\(n(boxTop))\" x2=\"\(x)\" y2=\"\(n(boxBottom))\" stroke=\"#e6e6e6\"/>"
            out += "<line x1=\"\(x)\" y1=\"\(n(boxBottom))\" x2=\"\(x)\" y2=\"\(n(boxBottom + 5))\" stroke=\"#444\"/>"
            out += "<text class=\"tick\" x=\"\(x)\" y=\"\(n(boxBottom + 18))\" text-anchor=\"middle\">\(xScale.label(tick))</text>\n"
        }
        for tick in yScale.ticks {
            let y = n(yScale.pixel(tick))
            out += "<line x1=\"\(n(boxLeft))\" y1=\"\(y)\" x2=\"\(n(boxRight))\" y2=\"\(y)\" stroke=\"#e6e6e6\"/>"
            out += "<line x1=\"\(n(boxLeft - 5))\" y1=\"\(y)\" x2=\"\(n(boxLeft))\" y2=\"\(y)\" stroke=\"#444\"/>"
            out += "<text class=\"tick\" x=\"\(n(boxLeft - 8))\" y=\"\(n(yScale.pixel(tick) + 4))\" text-anchor=\"end\">\(yScale.label(tick))</text>\n"
        }
        out += "<text class=\"axis-label\" x=\"\(n((boxLeft + boxRight) / 2))\" y=\"\(n(boxBottom + 38))\" text-anchor=\"middle\">environment steps</text>\n"
        let middle = (boxTop + boxBottom) / 2
        out += "<text class=\"axis-label\" x=\"18\" y=\"\(n(middle))\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 18 \(n(middle)))\">\(panel.axisLabel)</text>\n"

        // Bands first, so that every line is drawn over every band.
        for (index, s) in series.enumerated() {
            let (values, std) = data(s, panel)
            guard let std else { continue }
            for run in Self.runs(values.count, where: { s.steps[$0].isFinite && values[$0].isFinite && std[$0].isFinite }) where run.count > 1 {
                let upper = run.map { "\(n(xScale.pixel(s.steps[$0]))),\(n(yScale.pixel(values[$0] + std[$0])))" }
                let lower = run.reversed().map { "\(n(xScale.pixel(s.steps[$0]))),\(n(yScale.pixel(values[$0] - std[$0])))" }
                out += "<polygon class=\"std-band\" points=\"\((upper + lower).joined(separator: " "))\" "
                    + "fill=\"\(SVGText.colour(index))\" fill-opacity=\"0.18\" stroke=\"none\"/>\n"
            }
        }
        for (index, s) in series.enumerated() {
            let values = data(s, panel).values
            for run in Self.runs(values.count, where: { s.steps[$0].isFinite && values[$0].isFinite }) {
                let points = run.map { (n(xScale.pixel(s.steps[$0])), n(yScale.pixel(values[$0]))) }
                if points.count == 1 {
                    out += "<circle class=\"series-point\" cx=\"\(points[0].0)\" cy=\"\(points[0].1)\" r=\"3.5\" fill=\"\(SVGText.colour(index))\"/>\n"
                } else {
                    out += "<polyline class=\"series\" points=\"\(points.map { "\($0.0),\($0.1)" }.joined(separator: " "))\" "
                        + "fill=\"none\" stroke=\"\(SVGText.colour(index))\" stroke-width=\"1.8\" stroke-linejoin=\"round\"/>\n"
                }
            }
        }

        if let limit {
            let y = n(yScale.pixel(limit))
            out += "<line class=\"cost-limit\" x1=\"\(n(boxLeft))\" y1=\"\(y)\" x2=\"\(n(boxRight))\" y2=\"\(y)\" "
                + "stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n"
            out += "<text class=\"cost-limit-label\" x=\"\(n(boxRight - 6))\" y=\"\(n(yScale.pixel(limit) - 6))\" "
                + "text-anchor=\"end\" fill=\"#d62728\">cost limit \(String(format: "%g", limit))</text>\n"
        }
        return out + "</g>\n"
    }

    /// The maximal runs of consecutive indices in `0..<count` that satisfy `included`.
    static func runs(_ count: Int, where included: (Int) -> Bool) -> [[Int]] {
        var runs: [[Int]] = [], current: [Int] = []
        for index in 0..<count {
            if included(index) {
                current.append(index)
            } else if !current.isEmpty {
                runs.append(current); current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}
