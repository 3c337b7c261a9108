import Electrochemistry
import Foundation

/// Text forms of a sampled fleet: an aligned table and JSON lines.
enum FleetTable {
    static let header = ["id", "chemistry", "layout", "cell_Ah", "energy_kWh", "soh", "r_growth", "soc0", "aging_model"]

    static func row(_ p: SampledPack) -> [String] {
        [p.id, p.chemistry.rawValue, p.layout.description, String(format: "%.1f", p.cellCapacity),
         String(format: "%.2f", p.energy), String(format: "%.3f", p.stateOfHealth), String(format: "%.3f", p.resistanceGrowth),
         String(format: "%.2f", p.initialStateOfCharge), p.agingModel]
    }

    /// Columns padded to their widest cell; numbers right-aligned, text left-aligned.
    static func table(_ packs: [SampledPack]) -> String {
        let rows = [header] + packs.map(row)
        let numeric: Set<Int> = [3, 4, 5, 6, 7]
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { cells in
            cells.enumerated().map { c, text in
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return numeric.contains(c) ? pad + text : (c == cells.count - 1 ? text : text + pad)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// One pack as a compact JSON object (keys sorted).
    static func jsonLine(_ p: SampledPack) -> String {
        JSONValue.object([
            "id": .string(p.id), "chemistry": .string(p.chemistry.rawValue), "layout": .string(p.layout.description),
            "series": .number(Double(p.layout.series)), "parallel": .number(Double(p.layout.parallel)),
            "cell_capacity_ah": .number(p.cellCapacity), "energy_kwh": .number(p.energy), "soh": .number(p.stateOfHealth),
            "resistance_growth": .number(p.resistanceGrowth), "initial_soc": .number(p.initialStateOfCharge),
            "seed": .string(String(p.seed)), "aging_model": .string(p.agingModel),
        ]).serialized()
    }
}
