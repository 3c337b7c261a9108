/// A quantity tabulated over state of charge × temperature, read by bilinear interpolation and clamped at the
/// edges of the grid (no extrapolation), as ECM look-up tables are used in BMS practice (Plett 2015,
/// "Battery Management Systems Vol. 1", §2.10).
///
/// `values` is row-major: the value at `stateOfCharge[i]`, `temperature[j]` is `values[i * temperature.count + j]`.
/// A grid of one point in an axis makes the table constant along it.
public struct EquivalentCircuitTable: Sendable, Equatable {
    /// State-of-charge grid [-], strictly increasing.
    public var stateOfCharge: [Double]
    /// Temperature grid [K], strictly increasing.
    public var temperature: [Double]
    /// Table values, row-major over (state of charge, temperature).
    public var values: [Double]

    public init(stateOfCharge: [Double], temperature: [Double], values: [Double]) {
        self.stateOfCharge = stateOfCharge
        self.temperature = temperature
        self.values = values
    }

    /// A table with the same value everywhere.
    public init(constant value: Double) {
        self.init(stateOfCharge: [0], temperature: [298.15], values: [value])
    }

    /// The value at (`s`, `t`): bilinear between the four surrounding grid points, clamped to the grid.
    @inlinable
    public func value(stateOfCharge s: Double, temperature t: Double) -> Double {
        value(at: point(stateOfCharge: s, temperature: t))
    }

    /// Where (`s`, `t`) falls on this table's grid, reusable by tables on the same grid.
    @inlinable
    func point(stateOfCharge s: Double, temperature t: Double) -> GridPoint {
        let (i, wi) = Self.locate(stateOfCharge, s)
        let (j, wj) = Self.locate(temperature, t)
        let nt = temperature.count
        let j1 = wj > 0 ? j + 1 : j
        let row0 = i * nt, row1 = wi > 0 ? row0 + nt : row0
        return GridPoint(a: row0 + j, b: row0 + j1, c: row1 + j, d: row1 + j1, wi: wi, wj: wj)
    }

    /// The bilinear value at a point located on this table's grid (or an identical one).
    @inlinable
    func value(at p: GridPoint) -> Double {
        values.withUnsafeBufferPointer { v in
            (1 - p.wi) * ((1 - p.wj) * v[p.a] + p.wj * v[p.b]) + p.wi * ((1 - p.wj) * v[p.c] + p.wj * v[p.d])
        }
    }

    /// Whether `other` has the same grid (so that a ``GridPoint`` of one serves both).
    func sharesGrid(with other: EquivalentCircuitTable) -> Bool {
        stateOfCharge == other.stateOfCharge && temperature == other.temperature
    }

    /// The partial derivative ∂value/∂T at (`s`, `t`) of the piecewise-bilinear interpolant (0 for one temperature).
    public func temperatureSlope(stateOfCharge s: Double, temperature t: Double) -> Double {
        guard temperature.count > 1 else { return 0 }
        let (j, _) = Self.locate(temperature, t)
        let j1 = min(j + 1, temperature.count - 1), j0 = j1 - 1
        let low = value(stateOfCharge: s, temperature: temperature[j0])
        let high = value(stateOfCharge: s, temperature: temperature[j1])
        return (high - low) / (temperature[j1] - temperature[j0])
    }

    /// The lower bracketing index and the weight of the upper point for `x` on `grid`, clamped at both ends.
    @inlinable
    static func locate(_ grid: [Double], _ x: Double) -> (Int, Double) {
        grid.withUnsafeBufferPointer { g in
            let n = g.count
            if n == 1 || !(x > g[0]) { return (0, 0) }
            if x >= g[n - 1] { return (n - 2, 1) }
            var lo = 0, hi = n - 1
            while hi - lo > 1 {
                let mid = (lo + hi) >> 1
                if g[mid] <= x { lo = mid } else { hi = mid }
            }
            return (lo, (x - g[lo]) / (g[hi] - g[lo]))
        }
    }

    /// Checks shape, finiteness, strictly increasing grids and the sign of the values; errors name `name`.
    /// `minimum` is the exclusive lower bound of the values (`nil` for none).
    /// The same table in freshly allocated arrays (not sharing storage with `self`).
    func withOwnStorage() -> EquivalentCircuitTable {
        var copy = self
        copy.stateOfCharge = stateOfCharge.map { $0 }
        copy.temperature = temperature.map { $0 }
        copy.values = values.map { $0 }
        return copy
    }

    func validate(name: String, above minimum: Double?) throws(ParameterError) {
        guard !stateOfCharge.isEmpty, !temperature.isEmpty else {
            throw .outOfRange(name: "\(name) grid", value: 0, expected: "at least one point per axis")
        }
        try Self.validateGrid(stateOfCharge, name: "\(name) state-of-charge grid")
        try Self.validateGrid(temperature, name: "\(name) temperature grid [K]")
        guard values.count == stateOfCharge.count * temperature.count else {
            throw .outOfRange(name: "\(name) values", value: Double(values.count),
                              expected: "\(stateOfCharge.count) × \(temperature.count) values")
        }
        let nt = temperature.count
        func field(_ k: Int) -> String { "\(name) at SoC \(stateOfCharge[k / nt]), T \(temperature[k % nt]) K" }
        for (k, value) in values.enumerated() {
            guard value.isFinite else { throw .nonFinite(name: field(k), value: value) }
            if let minimum, !(value > minimum) {
                throw .outOfRange(name: field(k), value: value, expected: "a value > \(minimum)")
            }
        }
    }

    static func validateGrid(_ grid: [Double], name: String) throws(ParameterError) {
        for (k, x) in grid.enumerated() {
            guard x.isFinite else { throw .nonFinite(name: "\(name)[\(k)]", value: x) }
            if k > 0, !(x > grid[k - 1]) {
                throw .outOfRange(name: "\(name)[\(k)]", value: x, expected: "strictly increasing (> \(grid[k - 1]))")
            }
        }
    }
}

/// The four flat indices around a point of a table grid and the bilinear weights of the upper neighbours.
@usableFromInline
struct GridPoint {
    @usableFromInline var a, b, c, d: Int
    @usableFromInline var wi, wj: Double
    @inlinable init(a: Int, b: Int, c: Int, d: Int, wi: Double, wj: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.wi = wi; self.wj = wj
    }
}

extension EquivalentCircuitTable {
    /// `{"soc": [...], "temperature [K]": [...], "values": [[row per SoC]]}`.
    var jsonValue: JSONValue {
        let nt = temperature.count
        let rows = (0..<stateOfCharge.count).map { i in
            JSONValue.array(values[(i * nt)..<((i + 1) * nt)].map { .number($0) })
        }
        return .object(["soc": .array(stateOfCharge.map { .number($0) }),
                        "temperature [K]": .array(temperature.map { .number($0) }),
                        "values": .array(rows)])
    }

    init(json: JSONValue?, source: String, path: String) throws(ParameterError) {
        guard let object = json?.object else {
            throw .invalidFormat(source: source, path: path, reason: "expected a table object")
        }
        func numbers(_ value: JSONValue?, _ sub: String) throws(ParameterError) -> [Double] {
            guard let array = value?.array else {
                throw .invalidFormat(source: source, path: "\(path).\(sub)", reason: "expected an array of numbers")
            }
            var out: [Double] = []
            for (k, element) in array.enumerated() {
                switch element {
                case let .number(x): out.append(x)
                case .null: out.append(.nan)
                default:
                    throw .invalidFormat(source: source, path: "\(path).\(sub)[\(k)]",
                                         reason: "expected a number, found \(element.kindName)")
                }
            }
            return out
        }
        let socs = try numbers(object["soc"], "soc")
        let temps = try numbers(object["temperature [K]"], "temperature [K]")
        guard let rows = object["values"]?.array, rows.count == socs.count else {
            throw .invalidFormat(source: source, path: "\(path).values", reason: "expected \(socs.count) rows")
        }
        var values: [Double] = []
        for (i, row) in rows.enumerated() {
            let r = try numbers(row, "values[\(i)]")
            guard r.count == temps.count else {
                throw .invalidFormat(source: source, path: "\(path).values[\(i)]", reason: "expected \(temps.count) values")
            }
            values += r
        }
        self.init(stateOfCharge: socs, temperature: temps, values: values)
    }
}
