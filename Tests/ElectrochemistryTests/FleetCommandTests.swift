import Foundation
import Testing

/// `pulse fleet` end to end, on the built executable (see ``SimulateCommandTests/executable()``).
@Suite("pulse fleet command")
struct FleetCommandTests {
    typealias Run = SimulateCommandTests.Run

    static func run(_ arguments: [String]) throws -> Run { try SimulateCommandTests.run(["fleet"] + arguments) }

    @Test("a preset prints one aligned row per pack, reproducibly")
    func preset() throws {
        let a = try Self.run(["sample", "--preset", "leaf-2nd-life-16", "--seed", "7"])
        #expect(a.status == 0, "\(a.stderr)")
        let lines = a.stdout.split(separator: "\n")
        #expect(lines.count == 18)   // comment, header, 16 packs
        #expect(lines[1].hasPrefix("id") && lines[1].contains("energy_kWh") && lines[1].contains("aging_model"))
        #expect(lines[2].hasPrefix("P001") && lines[2].contains("lmo") && lines[2].contains("16s1p"))
        let columns = lines.dropFirst().map { line -> Int in
            let start = line.firstRange(of: "aging_model") ?? line.firstRange(of: "Lmo_")
            return start.map { line.distance(from: line.startIndex, to: $0.lowerBound) } ?? -1
        }
        #expect(Set(columns).count == 1 && columns[0] > 0)   // aligned
        let b = try Self.run(["sample", "--preset", "leaf-2nd-life-16", "--seed", "7"])
        let c = try Self.run(["sample", "--preset", "leaf-2nd-life-16", "--seed", "8"])
        #expect(a.stdout == b.stdout && a.stdout != c.stdout)
    }

    @Test("--json prints one object per pack")
    func json() throws {
        let r = try Self.run(["sample", "--preset", "mixed-lfp-nmc-64", "--seed", "1", "--json"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 64)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["id"] as? String == "P01" || first?["id"] as? String == "P001")
        #expect((0.6...0.95).contains(first?["soh"] as? Double ?? 0))
    }

    @Test("YAML and JSON specs give the same fleet; a bad field is named")
    func specFiles() throws {
        let directory = FileManager.default.temporaryDirectory
        let yaml = directory.appendingPathComponent("fleet-\(UUID().uuidString).yaml").path
        let json = directory.appendingPathComponent("fleet-\(UUID().uuidString).json").path
        try """
        name: demo
        count: 6
        chemistries:
          - {chemistry: nmc, weight: 2, cell_capacity_ah: [50, 60], layouts: [12s2p]}
          - {chemistry: lfp, cell_capacity_ah: 280, layouts: ["16s1p"]}
        soh: {range: [0.7, 0.9]}
        resistance_growth: {per_fade: 1.5, sd: 0.02}
        """.write(toFile: yaml, atomically: true, encoding: .utf8)
        try """
        {"name": "demo", "count": 6,
         "chemistries": [{"chemistry": "nmc", "weight": 2, "cell_capacity_ah": [50, 60], "layouts": ["12s2p"]},
                         {"chemistry": "lfp", "cell_capacity_ah": 280, "layouts": ["16s1p"]}],
         "soh": {"range": [0.7, 0.9]}, "resistance_growth": {"per_fade": 1.5, "sd": 0.02}}
        """.write(toFile: json, atomically: true, encoding: .utf8)
        let a = try Self.run(["sample", "--spec", yaml, "--seed", "4"])
        let b = try Self.run(["sample", "--spec", json, "--seed", "4"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        #expect(a.stdout == b.stdout && a.stdout.split(separator: "\n").count == 8)
        try "name: demo\ncount: 6\nchemistries: [{chemistry: nca, cell_capacity_ah: 5, layouts: [4s]}]\n"
            .write(toFile: yaml, atomically: true, encoding: .utf8)
        let bad = try Self.run(["sample", "--spec", yaml, "--seed", "4"])
        #expect(bad.status != 0 && bad.stderr.contains("chemistries[0].chemistry") && bad.stderr.contains("nca"))
    }

    @Test("an unknown preset lists the known ones and exits non-zero; presets are listed")
    func unknown() throws {
        let r = try Self.run(["sample", "--preset", "nope", "--seed", "1"])
        #expect(r.status != 0 && r.stderr.contains("leaf-2nd-life-16") && r.stderr.contains("mixed-lfp-nmc-64"))
        let both = try Self.run(["sample", "--preset", "nope", "--spec", "x.json"])
        #expect(both.status != 0)
        let list = try Self.run(["presets"])
        #expect(list.status == 0 && list.stdout.contains("small-mixed-4"))
    }
}
