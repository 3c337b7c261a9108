import Foundation
import Testing

/// `pulse age` end to end on the shipped BLAST-Lite reference profiles (2 days each, repeated to the
/// references' 365 days with --days) and on malformed input.
@Suite("pulse age command")
struct AgeCommandTests {
    static let fixtures = Bundle.module.bundleURL.appendingPathComponent("Fixtures/blast-lite")

    static func runAge(_ arguments: [String]) throws -> SimulateCommandTests.Run {
        try SimulateCommandTests.run(["age"] + arguments)
    }

    static func table(_ path: String) throws -> (header: [String], rows: [[Double]]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        return (lines[0].split(separator: ",").map(String.init),
                lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } })
    }

    @Test("Reproduces every shared BLAST-Lite reference from its 2-day profile", arguments: [
        "Lfp_Gr_250AhPrismatic__twice_daily_80dod_35C",
        "Lmo_Gr_NissanLeaf66Ah_2ndLife_Battery__daily_full_25C",
        "Nmc811_GrSi_LGM50_5Ah_Battery__daily_full_25C",
        "Nmc811_GrSi_LGM50_5Ah_Battery__storage_90soc_40C",
    ])
    func reproducesReference(case name: String) throws {
        let model = name.components(separatedBy: "__")[0]
        let output = SimulateCommandTests.temporaryCSV()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let run = try Self.runAge(["--model", model, "--profile", Self.fixtures.appendingPathComponent("\(name).profile.csv").path,
                                   "--output", output, "--days", "365"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let ours = try Self.table(output)
        let reference = try Self.table(Self.fixtures.appendingPathComponent("\(name).csv").path)
        #expect(ours.header == reference.header)
        #expect(ours.rows.count == reference.rows.count)
        var worst = 0.0
        for (a, b) in zip(ours.rows, reference.rows) {
            for k in 2..<b.count { worst = max(worst, abs(a[k] - b[k])) }
            #expect(abs(a[0] - b[0]) <= 1e-5)
        }
        print("pulse age \(name): max |Δ| over q columns \(worst)")
        #expect(worst <= 1e-5)
    }

    @Test("Without --days the profile's own span is simulated (BLAST-Lite restarts it until then)")
    func ownSpan() throws {
        let output = SimulateCommandTests.temporaryCSV()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let profile = Self.fixtures.appendingPathComponent("Nmc811_GrSi_LGM50_5Ah_Battery__daily_full_25C.profile.csv").path
        let run = try Self.runAge(["--model", "Nmc811_GrSi_LGM50_5Ah_Battery", "--profile", profile, "--output", output])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = try Self.table(output).rows
        let days = try #require(rows.last?[0])
        #expect(days > 2 - 1 / 86_400.0 && days <= 3 + 1e-9)
        let reference = try Self.table(Self.fixtures.appendingPathComponent("Nmc811_GrSi_LGM50_5Ah_Battery__daily_full_25C.csv").path)
        #expect(abs(rows[1][2] - reference.rows[1][2]) < 1e-7)   // first day as in the long run
    }

    @Test("Bad input fails with a clear message and a non-zero status")
    func badInput() throws {
        let good = Self.fixtures.appendingPathComponent("Nmc811_GrSi_LGM50_5Ah_Battery__storage_90soc_40C.profile.csv").path
        let cases: [(profile: String?, model: String, expected: String)] = [
            (nil, "NoSuchModel", "known models: Lfp_Gr_250AhPrismatic"),
            ("t [s],soc\n0,0.5\n600,0.6\n", "Lfp_Gr_250AhPrismatic", "missing column \"T [C]\""),
            ("t [s],soc,T [C]\n0,0.5,25\n0,0.6,25\n", "Lfp_Gr_250AhPrismatic", "does not increase"),
            ("t [s],soc,T [C]\n0,0.5,25\n600,nan,25\n", "Lfp_Gr_250AhPrismatic", "not finite"),
            ("t [s],soc,T [C]\n0,0.5,25\n600,1.2,25\n", "Lfp_Gr_250AhPrismatic", "outside [0, 1]"),
            ("t [s],soc,T [C]\n0,0.5,25\n", "Lfp_Gr_250AhPrismatic", "at least 2 rows"),
            ("t [s],soc,T [C]\n0,0.5,25\n600,x,25\n", "Lfp_Gr_250AhPrismatic", "not a number"),
        ]
        for c in cases {
            var path = good
            if let text = c.profile {
                path = SimulateCommandTests.temporaryCSV()
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
            defer { if c.profile != nil { try? FileManager.default.removeItem(atPath: path) } }
            let output = SimulateCommandTests.temporaryCSV()
            let run = try Self.runAge(["--model", c.model, "--profile", path, "--output", output])
            #expect(run.status != 0)
            #expect(run.stderr.contains(c.expected), "stderr: \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }
}
