import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import RunLog

@Suite("LearningCurve")
struct LearningCurveTests {
    /// The SVG parsed as XML; fails the test if it is not well-formed.
    static func parse(_ svg: String) throws -> XMLDocument {
        let document = try XMLDocument(xmlString: svg, options: [])
        #expect(document.rootElement()?.name == "svg")
        #expect(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        return document
    }

    /// The elements named `name` with class `className` (any class if nil).
    static func elements(_ document: XMLDocument, _ name: String, class className: String? = nil) throws -> [XMLElement] {
        let filter = className.map { "[@class='\($0)']" } ?? ""
        return try document.nodes(forXPath: "//*[local-name()='\(name)']\(filter)").compactMap { $0 as? XMLElement }
    }

    /// The value of the attribute `name` of `element` (looked up by name in the attribute list,
    /// as FoundationXML's `attribute(forName:)` misses attributes of namespaced elements).
    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name }?.stringValue
    }

    static func number(_ element: XMLElement, _ name: String) -> Double? {
        attribute(element, name).flatMap(Double.init)
    }

    /// Every coordinate in the document is a finite number.
    static func expectFiniteCoordinates(_ document: XMLDocument) throws {
        for element in try elements(document, "*") {
            for attribute in element.attributes ?? [] where ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height"].contains(attribute.name ?? "") {
                let value = attribute.stringValue ?? ""
                if value.hasSuffix("%") { continue }
                #expect(Double(value)?.isFinite == true, "\(attribute.name ?? "")=\"\(value)\"")
            }
            if let points = attribute(element, "points") {
                let numbers = points.split(whereSeparator: { $0 == " " || $0 == "," }).map { Double($0) }
                #expect(numbers.allSatisfy { $0?.isFinite == true }, "\(points)")
            }
        }
    }

    @Test("two series with std bands: well-formed SVG, a line per series and panel, bands, legend, dashed labelled limit at its value")
    func twoSeries() throws {
        var curve = LearningCurve(title: "PPO-Lagrangian <fleet> & \"friends\"", costLimit: 25)
        let steps = (0..<20).map { Double($0) * 50_000 }
        try curve.addSeries(name: "seed 1", steps: steps, returns: steps.map { -100 + $0 / 10_000 },
                            costs: steps.map { 50 - $0 / 20_000 }, returnStd: steps.map { _ in 5 }, costStd: steps.map { _ in 0 })
        try curve.addSeries(name: "seed 2", steps: steps, returns: steps.map { -90 + $0 / 12_000 }, costs: steps.map { _ in 0 })
        let svg = curve.svg()
        let document = try Self.parse(svg)
        #expect(svg.contains("PPO-Lagrangian &lt;fleet&gt; &amp; &quot;friends&quot;"))
        #expect(try Self.elements(document, "polyline", class: "series").count == 4)
        #expect(try Self.elements(document, "polygon", class: "std-band").count == 2)
        let legend = try document.nodes(forXPath: "//*[local-name()='g'][@class='legend']//*[local-name()='text']").map { $0.stringValue ?? "" }
        #expect(legend == ["seed 1", "seed 2"])
        #expect(try Self.elements(document, "text", class: "no-data").isEmpty)
        #expect(try Self.elements(document, "text", class: "tick").contains { $0.stringValue == "0.4M" })

        let limit = try #require(try Self.elements(document, "line", class: "cost-limit").first)
        #expect(Self.attribute(limit, "stroke-dasharray") == "6 4")
        #expect(try Self.elements(document, "text", class: "cost-limit-label").first?.stringValue == "cost limit 25")
        // The costs span 0…50 (ticks 0, 10, …, 50), so the limit of 25 is half-way up the cost plot.
        let plot = try #require(try Self.elements(document, "rect").first { Self.attribute($0, "id") == "cost-plot" })
        let top = try #require(Self.number(plot, "y")), height = try #require(Self.number(plot, "height"))
        #expect(abs(try #require(Self.number(limit, "y1")) - (top + height / 2)) < 0.01)
        #expect(Self.number(limit, "y1") == Self.number(limit, "y2"))
        try Self.expectFiniteCoordinates(document)
    }

    @Test("no series, empty, one-point and NaN data give valid SVGs; NaNs break lines")
    func degenerateData() throws {
        let empty = try Self.parse(LearningCurve(title: "nothing", costLimit: 10).svg())
        #expect(try Self.elements(empty, "text", class: "no-data").count == 2)

        var curve = LearningCurve(title: "sparse", costLimit: .nan)
        try curve.addSeries(name: "empty", steps: [], returns: [], costs: [])
        try curve.addSeries(name: "one point", steps: [1000], returns: [3], costs: [])
        let onePoint = try Self.parse(curve.svg())
        #expect(try Self.elements(onePoint, "circle", class: "series-point").count == 1)
        #expect(try Self.elements(onePoint, "text", class: "no-data").count == 1, "no costs at all: the cost panel has no data")
        #expect(try Self.elements(onePoint, "line", class: "cost-limit").isEmpty)
        try Self.expectFiniteCoordinates(onePoint)

        var gappy = LearningCurve(title: "gaps", costLimit: 1)
        try gappy.addSeries(name: "nan", steps: [0, 1, 2, .nan, 4, 5, 6], returns: [1, 2, .nan, 4, 5, 6, .infinity],
                            costs: [.nan, .nan, .nan, .nan, .nan, .nan, .nan], returnStd: [1, 1, 1, 1, .nan, 1, 1])
        let document = try Self.parse(gappy.svg())
        // Returns: finite at 0,1 and 4,5 (step 3 is NaN, 6 is infinite) → two lines.
        #expect(try Self.elements(document, "polyline", class: "series").count == 2)
        #expect(try Self.elements(document, "polygon", class: "std-band").count == 1, "a band over 0…1; the lone point 5 gets none")
        #expect(try Self.elements(document, "circle").isEmpty)
        #expect(try Self.elements(document, "text", class: "no-data").count == 1)
        try Self.expectFiniteCoordinates(document)

        var flat = LearningCurve(title: "flat", costLimit: 0)
        try flat.addSeries(name: "zeros", steps: [0, 0, 0], returns: [0, 0, 0], costs: [0, 0, 0])
        try Self.expectFiniteCoordinates(try Self.parse(flat.svg()))
    }

    @Test("mismatched lengths and missing columns are typed errors; series from metrics columns")
    func inputs() throws {
        var curve = LearningCurve(title: "t")
        #expect(throws: RunLogError.invalidData(path: "learning curve \"a\"", detail: "returns has 2 values for 3 steps")) {
            try curve.addSeries(name: "a", steps: [1, 2, 3], returns: [1, 2])
        }
        #expect(throws: RunLogError.invalidData(path: "learning curve \"a\"", detail: "costStd has 2 values for 1 steps")) {
            try curve.addSeries(name: "a", steps: [1], returns: [1], costs: [1], costStd: [1, 2])
        }
        let table = try MetricsTable(columns: ["epoch", "env_steps", "return_mean", "return_std"], rows: [[0, 10, 1, 0.5], [1, 20, 2, 0.5]])
        try curve.addSeries(name: "from table", from: table)
        #expect(curve.series.last?.returnStd == [0.5, 0.5] && curve.series.last?.costs == [])
        #expect(throws: RunLogError.self) {
            try curve.addSeries(name: "b", from: try MetricsTable(columns: ["epoch"], rows: [[0]]))
        }
        #expect(curve.series.count == 1)
    }

    @Test("ticks are 1-2-5 steps covering the data, labelled compactly")
    func scale() throws {
        let scale = try #require(ChartScale(covering: [0.3, 97, .nan], pixels: (0, 100)))
        #expect(scale.ticks == [0, 20, 40, 60, 80, 100])
        #expect(scale.pixel(50) == 50)
        let steps = try #require(ChartScale(covering: [0, 1_234_567], pixels: (0, 1)))
        #expect(steps.ticks.map(steps.label) == ["0", "0.5M", "1.0M", "1.5M"])
        let small = try #require(ChartScale(covering: [-0.013, 0.021], pixels: (0, 1)))
        #expect(small.ticks.map(small.label) == ["-0.02", "-0.01", "0", "0.01", "0.02", "0.03"])
        #expect(ChartScale(covering: [.nan, .infinity], pixels: (0, 1)) == nil)
        #expect(ChartScale.niceStep(0.7) == 1 && ChartScale.niceStep(1.2) == 2 && ChartScale.niceStep(3) == 5 && ChartScale.niceStep(20) == 20)
    }
}
