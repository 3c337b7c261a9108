/// A BLAST-Lite run as a table: the rows BLAST-Lite's `simulate_battery_life` records (the initial
/// state, then one row per chunk), with the columns every model has — `day`, `efc`, `q`, `q_t` (calendar
/// part), `q_EFC` (cycling part) and `r` where the model has one — then the model's other outputs under
/// BLAST-Lite's names (e.g. `q_LLI_t`, `q_LAM`, `qNew`).
public struct BlastLiteTable: Sendable {
    public var columns: [String]
    public var rows: [[Double]]

    /// The values of column `name`, if present.
    public func column(_ name: String) -> [Double]? {
        guard let k = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[k] }
    }
}

extension BlastLite {
    /// Runs `model` (a fresh one, or one carrying earlier fade) through `simulate` and tabulates every
    /// evaluation point, starting with the current state.
    public static func table(_ model: inout some BlastLiteFadeModel, time: [Double], soc: [Double],
                             temperature: [Double]) -> BlastLiteTable {
        let names = type(of: model).outputNames
        let hasResistance = names.contains("r")
        let extras = names.indices.filter { !["q", "q_t", "q_EFC", "r"].contains(names[$0]) }
        var values: [Double] = []
        func row(_ m: some BlastLiteFadeModel) -> [Double] {
            m.outputs(into: &values)
            var out = [m.days, m.efc, m.q, m.qCalendar, m.qCycling]
            if hasResistance { out.append(m.r ?? 1) }
            for k in extras { out.append(values[k]) }
            return out
        }
        var rows = [row(model)]
        simulate(&model, time: time, soc: soc, temperature: temperature) { m in rows.append(row(m)) }
        let columns = ["day", "efc", "q", "q_t", "q_EFC"] + (hasResistance ? ["r"] : []) + extras.map { names[$0] }
        return BlastLiteTable(columns: columns, rows: rows)
    }

    /// Repeats a profile periodically until it spans `days` days: copy k is shifted by k × (t_last −
    /// t_0), and its first sample is dropped when it falls on the previous copy's last time (a
    /// profile sampled from 0 to 2 days inclusive thus tiles into the same series as the profile
    /// generated directly over `days`). The result ends at the first sample at or after t_0 + days.
    public static func tile(time: [Double], soc: [Double], temperature: [Double], days: Double)
        -> (time: [Double], soc: [Double], temperature: [Double]) {
        guard let first = time.first, let last = time.last, last > first else { return (time, soc, temperature) }
        let end = first + days * 86_400, period = last - first
        var t: [Double] = [], s: [Double] = [], c: [Double] = []
        var copy = 0.0
        outer: while true {
            for k in time.indices {
                let value = time[k] + copy * period
                if let previous = t.last, value <= previous { continue }
                t.append(value); s.append(soc[k]); c.append(temperature[k])
                if value >= end - 1e-9 { break outer }
            }
            copy += 1
        }
        return (t, s, c)
    }
}
