/// A fleet spec that cannot be read: `field` is the path of the bad value (e.g. `chemistries[1].weight`).
public struct FleetSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "fleet spec field '\(field)': \(message)" }
}

extension FleetSpec {
    /// Reads a spec from JSON text (see ``init(json:)``).
    public init(jsonText: String) throws(FleetSpecError) {
        let value: JSONValue
        do { value = try JSONParser.parse(jsonText) } catch {
            throw FleetSpecError(field: "(document)", message: "not valid JSON: \(error.reason) at byte \(error.offset)")
        }
        try self.init(json: value)
    }

    /// Reads a spec from a JSON (or YAML-converted) value. Keys: `name`, `count` (required), `fidelity`
    /// (ecm|spm|spme|dfn), `layouts` (default for the chemistries), `chemistries` (required: objects with `chemistry`
    /// lfp|nmc|lmo, `weight`, `cell_capacity_ah`, `layouts`), `soh` (`range`, `distribution` uniform|normal, `mean`, `sd`),
    /// `resistance_growth` (`per_fade` and `sd`, or `range`), `cell_spread` (`capacity`, `resistance`, `soc`, `soh`,
    /// `truncation`), `initial_soc`. A range is a number or a two-element array [min, max]. Unknown keys are errors.
    public init(json: JSONValue) throws(FleetSpecError) {
        let root = try Reader(json, path: "")
        try root.allow(["name", "count", "fidelity", "layouts", "chemistries", "soh", "resistance_growth", "cell_spread",
                        "initial_soc"])
        let defaultLayouts = try root.layouts("layouts")
        let name = try root.string("name") ?? "custom"
        guard let countValue = try root.number("count") else { throw FleetSpecError(field: "count", message: "missing (the number of packs)") }
        guard countValue >= 1, countValue <= 100_000, countValue == countValue.rounded() else {
            throw FleetSpecError(field: "count", message: "expected a whole number of packs in 1...100000, got \(countValue)")
        }
        var fidelity = PackFidelity.ecm
        if let text = try root.string("fidelity") {
            guard let f = PackFidelity(rawValue: text.lowercased()) else {
                throw FleetSpecError(field: "fidelity", message: "unknown model '\(text)'; known: \(PackFidelity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            fidelity = f
        }
        guard let list = root.value["chemistries"] else { throw FleetSpecError(field: "chemistries", message: "missing (the chemistry mix)") }
        guard let items = list.array, !items.isEmpty else {
            throw FleetSpecError(field: "chemistries", message: "expected a non-empty array, got \(list.kindName)")
        }
        var shares: [Share] = []
        for (index, item) in items.enumerated() {
            let r = try Reader(item, path: "chemistries[\(index)]")
            try r.allow(["chemistry", "weight", "cell_capacity_ah", "layouts"])
            guard let text = try r.string("chemistry") else { throw r.error("chemistry", "missing (lfp, nmc or lmo)") }
            guard let chemistry = FleetChemistry(rawValue: text.lowercased()) else {
                throw r.error("chemistry", "unknown chemistry '\(text)'; known: lfp, nmc, lmo")
            }
            let weight = try r.number("weight") ?? 1
            guard weight > 0, weight.isFinite else { throw r.error("weight", "expected a positive number, got \(weight)") }
            guard let capacity = try r.range("cell_capacity_ah", within: 0.001...100_000) else {
                throw r.error("cell_capacity_ah", "missing (new-cell capacity in A.h: a number or [min, max])")
            }
            guard let layouts = try r.layouts("layouts") ?? defaultLayouts else {
                throw r.error("layouts", "missing here and at the top level (e.g. [\"16s1p\"])")
            }
            shares.append(Share(chemistry: chemistry, weight: weight, cellCapacity: capacity, layouts: layouts))
        }
        var spec = FleetSpec(name: name, count: Int(countValue), fidelity: fidelity, chemistries: shares)
        if let soh = root.value["soh"] {
            let r = try Reader(soh, path: "soh")
            try r.allow(["range", "distribution", "mean", "sd"])
            if let range = try r.range("range", within: 0.01...1) { spec.stateOfHealth = range }
            switch try r.string("distribution")?.lowercased() ?? "uniform" {
            case "uniform": spec.healthDistribution = .uniform
            case "normal":
                guard let mean = try r.number("mean"), spec.stateOfHealth.contains(mean) else {
                    throw r.error("mean", "a normal distribution needs a mean inside the range \(spec.stateOfHealth)")
                }
                guard let sd = try r.number("sd"), sd > 0, sd.isFinite else { throw r.error("sd", "expected a positive standard deviation") }
                spec.healthDistribution = .normal(mean: mean, standardDeviation: sd)
            case let other: throw r.error("distribution", "unknown distribution '\(other)'; known: uniform, normal")
            }
        }
        if let growth = root.value["resistance_growth"] {
            let r = try Reader(growth, path: "resistance_growth")
            try r.allow(["per_fade", "sd", "range"])
            if let range = try r.range("range", within: 0.1...100) {
                guard r.value["per_fade"] == nil else { throw r.error("per_fade", "give either range or per_fade, not both") }
                spec.resistanceGrowth = .range(range)
            } else {
                guard let perFade = try r.number("per_fade"), perFade >= 0, perFade.isFinite else {
                    throw r.error("per_fade", "expected a non-negative number (r = 1 + per_fade·(1 − SoH)), or give range")
                }
                let sd = try r.number("sd") ?? 0
                guard sd >= 0, sd.isFinite else { throw r.error("sd", "expected a non-negative number, got \(sd)") }
                spec.resistanceGrowth = .tied(perFade: perFade, standardDeviation: sd)
            }
        }
        if let spread = root.value["cell_spread"] {
            let r = try Reader(spread, path: "cell_spread")
            try r.allow(["capacity", "resistance", "soc", "soh", "truncation"])
            let values = (try r.number("capacity") ?? 0, try r.number("resistance") ?? 0, try r.number("soc") ?? 0,
                          try r.number("soh") ?? 0, try r.number("truncation") ?? 3)
            do {
                spec.cellSpread = try CellSpread(capacity: values.0, resistance: values.1, stateOfCharge: values.2,
                                                 stateOfHealth: values.3, truncation: values.4)
            } catch {
                guard case let .invalidSetting(name, value, expected) = error else { throw r.error("", "\(error)") }
                let key = ["capacity spread": "capacity", "resistance spread": "resistance", "state-of-charge spread": "soc",
                           "state-of-health spread": "soh"][name] ?? "truncation"
                throw r.error(key, "expected \(expected), got \(value)")
            }
        }
        if let range = try root.range("initial_soc", within: 0...1) { spec.initialStateOfCharge = range }
        self = spec
    }
}

/// Typed access to one JSON object of the spec, with errors naming `path.key`.
private struct Reader {
    let value: JSONValue
    let path: String

    init(_ value: JSONValue, path: String) throws(FleetSpecError) {
        guard value.object != nil else {
            throw FleetSpecError(field: path.isEmpty ? "(document)" : path, message: "expected an object, got \(value.kindName)")
        }
        self.value = value
        self.path = path
    }

    func field(_ key: String) -> String { key.isEmpty ? path : (path.isEmpty ? key : "\(path).\(key)") }
    func error(_ key: String, _ message: String) -> FleetSpecError { FleetSpecError(field: field(key), message: message) }

    func allow(_ keys: Set<String>) throws(FleetSpecError) {
        for key in value.object!.keys.sorted() where !keys.contains(key) {
            throw error(key, "unknown key; known: \(keys.sorted().joined(separator: ", "))")
        }
    }

    func number(_ key: String) throws(FleetSpecError) -> Double? {
        guard let v = value[key] else { return nil }
        guard let x = v.number, x.isFinite else { throw error(key, "expected a number, got \(v.kindName)") }
        return x
    }

    func string(_ key: String) throws(FleetSpecError) -> String? {
        guard let v = value[key] else { return nil }
        guard let s = v.string else { throw error(key, "expected a string, got \(v.kindName)") }
        return s
    }

    /// A non-empty array of layouts such as "16s4p".
    func layouts(_ key: String) throws(FleetSpecError) -> [PackLayout]? {
        guard let list = value[key] else { return nil }
        guard let items = list.array, !items.isEmpty else {
            throw error(key, "expected a non-empty array of strings such as \"16s4p\", got \(list.kindName)")
        }
        var layouts: [PackLayout] = []
        for (k, item) in items.enumerated() {
            guard let s = item.string, let layout = try? PackLayout(s) else {
                throw error("\(key)[\(k)]", "expected a layout such as \"16s4p\", got \(item.string.map { "'\($0)'" } ?? item.kindName)")
            }
            layouts.append(layout)
        }
        return layouts
    }

    /// A number or [min, max] inside `bounds`.
    func range(_ key: String, within bounds: ClosedRange<Double>) throws(FleetSpecError) -> ValueRange? {
        guard let v = value[key] else { return nil }
        let range: ValueRange
        if let x = v.number {
            range = ValueRange(x)
        } else if let a = v.array, a.count == 2, let lo = a[0].number, let hi = a[1].number {
            guard lo <= hi else { throw error(key, "expected [min, max] with min ≤ max, got [\(lo), \(hi)]") }
            range = ValueRange(lo, hi)
        } else {
            throw error(key, "expected a number or a two-number array [min, max], got \(v.kindName)")
        }
        guard bounds.contains(range.lower), bounds.contains(range.upper) else {
            throw error(key, "expected values in [\(bounds.lowerBound), \(bounds.upperBound)], got \(range)")
        }
        return range
    }
}
