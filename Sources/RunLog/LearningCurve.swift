import Foundation

/// A learning-curve figure as a standalone SVG document: episode return against environment
/// steps on top, episode cost against steps below with the cost limit as a dashed, labelled line.
///
/// Add one series per run (seed, algorithm); each may carry a ±std band. Points whose step or
/// value is NaN or infinite are left out (lines break there), a series of one point is drawn as
/// a dot, and a panel without any finite point says "no data" — any input gives a valid SVG.
///
///     var curve = LearningCurve(title: "PPO-Lagrangian, fleet-arbitrage-v0", costLimit: 25)
///     try curve.addSeries(name: "seed 1", steps: steps, returns: returns, costs: costs)
///     try RunDirectory.writeAtomically(curve.svg(), to: run.learningCurvePath)
public struct LearningCurve: Sendable {
    /// One run's curves; `costs` is empty if the run has no cost.
    public struct Series: Sendable, Equatable {
        public let name: String
        public let steps: [Double]
        public let returns: [Double]
        public let costs: [Double]
        public let returnStd: [Double]?
        public let costStd: [Double]?
    }

    /// The figure's title.
    public let title: String
    /// The cost limit drawn in the cost panel, if any.
    public let costLimit: Double?
    /// The series added so far, in legend order.
    public private(set) var series: [Series] = []
    /// The figure's width in pixels.
    var width: Double { 760 }

    /// An empty figure.
    public init(title: String, costLimit: Double? = nil) {
        self.title = title
        self.costLimit = costLimit
    }

    /// Adds a series. `returns`, and `costs` unless empty, must have one value per step, as must
    /// `returnStd` and `costStd` when given (`.invalidData` otherwise).
    public mutating func addSeries(name: String, steps: [Double], returns: [Double], costs: [Double] = [],
                                   returnStd: [Double]? = nil, costStd: [Double]? = nil) throws(RunLogError) {
        let lengths: [(String, Int?)] = [("returns", returns.count), ("costs", costs.isEmpty ? nil : costs.count),
                                         ("returnStd", returnStd?.count), ("costStd", costStd?.count)]
        for case let (label, count?) in lengths where count != steps.count {
            throw .invalidData(path: "learning curve \"\(name)\"", detail: "\(label) has \(count) values for \(steps.count) steps")
        }
        if costStd != nil && costs.isEmpty {
            throw .invalidData(path: "learning curve \"\(name)\"", detail: "costStd given without costs")
        }
        series.append(Series(name: name, steps: steps, returns: returns, costs: costs, returnStd: returnStd, costStd: costStd))
    }

    /// Adds a series from metrics columns: steps, return mean and cost mean are required (a
    /// missing cost column gives an empty cost series), the std columns are used when present.
    public mutating func addSeries(name: String, from table: MetricsTable,
                                   steps: String = RunDirectory.Column.environmentSteps,
                                   returns: String = RunDirectory.Column.returnMean,
                                   costs: String = RunDirectory.Column.costMean,
                                   returnStd: String = RunDirectory.Column.returnStd,
                                   costStd: String = RunDirectory.Column.costStd) throws(RunLogError) {
        for required in [steps, returns] where table.column(required) == nil {
            throw .invalidData(path: "learning curve \"\(name)\"", detail: "the metrics have no column \"\(required)\"")
        }
        let costValues = table.column(costs) ?? []
        try addSeries(name: name, steps: table.column(steps)!, returns: table.column(returns)!, costs: costValues,
                      returnStd: table.column(returnStd), costStd: costValues.isEmpty ? nil : table.column(costStd))
    }

    /// The figure as an SVG 1.1 document.
    public func svg() -> String {
        let legendRows = series.isEmpty ? 0 : Int((Double(series.count) / legendColumns).rounded(.up))
        let legendHeight = Double(legendRows) * 20
        let top = 44 + legendHeight
        let height = top + 2 * Self.panelHeight + 8
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(n(width))" height="\(n(height))" \
        viewBox="0 0 \(n(width)) \(n(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text class="title" x="\(n(width / 2))" y="28" text-anchor="middle" font-size="17">\(SVGText.escaped(title))</text>

        """
        out += legend(top: 44)
        let allSteps = series.flatMap { s in
            s.steps.indices.filter { s.returns[$0].isFinite || (!s.costs.isEmpty && s.costs[$0].isFinite) }.map { s.steps[$0] }
        }
        let xScale = ChartScale(covering: allSteps, pixels: (Self.left, width - Self.right))
        out += panel(.returns, top: top, xScale: xScale)
        out += panel(.costs, top: top + Self.panelHeight, xScale: xScale)
        out += "</svg>\n"
        return out
    }

    // MARK: - Layout

    static let left = 78.0, right = 24.0, panelHeight = 265.0
    private var legendColumns: Double { max(1, ((width - Self.left - Self.right) / 180).rounded(.down)) }

    func n(_ value: Double) -> String { SVGText.number(value) }

    /// The legend: a coloured swatch and the name of each series, in rows.
    private func legend(top: Double) -> String {
        guard !series.isEmpty else { return "" }
        var out = "<g class=\"legend\">\n"
        let columns = Int(legendColumns)
        for (index, s) in series.enumerated() {
            let x = Self.left + Double(index % columns) * 180, y = top + Double(index / columns) * 20 + 6
            out += "<line x1=\"\(n(x))\" y1=\"\(n(y))\" x2=\"\(n(x + 22))\" y2=\"\(n(y))\" stroke=\"\(SVGText.colour(index))\" stroke-width=\"3\"/>"
            out += "<text x=\"\(n(x + 28))\" y=\"\(n(y + 4))\">\(SVGText.escaped(s.name))</text>\n"
        }
        return out + "</g>\n"
    }
}
