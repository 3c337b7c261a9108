import Foundation
import Testing

/// `pulse simulate` end to end: runs the `pulse` executable built next to the test bundle.
@Suite("pulse simulate command")
struct SimulateCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `pulse` executable in the build directory that holds this test bundle's resources.
    static func executable() throws -> URL {
        let directory = Bundle.module.bundleURL.deletingLastPathComponent()
        let url = directory.appendingPathComponent("pulse")
        try #require(FileManager.default.isExecutableFile(atPath: url.path),
                     "no pulse executable at \(url.path): build it first with `swift build -c release --product pulse`")
        return url
    }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryCSV() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("pulse-simulate-\(UUID().uuidString).csv").path
    }

    @Test("SPM 1C discharge writes PyBaMM's columns and row layout")
    func spmDischarge() throws {
        let output = Self.temporaryCSV()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let run = try Self.run(["simulate", "--model", "spm", "--parameters", "Chen2020",
                                "--experiment", "Discharge at 1C until 2.5 V", "--output", output])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "t [s],I [A],V [V],T [K],sto_n_surf,sto_p_surf,sto_n_avg,sto_p_avg,discharge capacity [A.h]")
        #expect(lines.count == 1 + 358)   // 0, 10, …, 3560 s and the 2.5 V crossing, as chen2020_spm_1C
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",").count == 9 })
        #expect(lines[1].hasPrefix("0,5,4.06338868"))
        #expect(run.stdout.contains("358 rows"))
    }

    @Test("A power drive cycle (--profile) on the DFN and the ECM: rows at the samples, I·V = P there")
    func powerProfile() throws {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("pulse-profile-\(UUID().uuidString).csv").path
        try "t [s],P [W]\n0,5\n30,15\n60,-8\n90,0\n".write(toFile: profile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: profile) }
        for model in ["dfn", "ecm"] {
            let output = Self.temporaryCSV()
            defer { try? FileManager.default.removeItem(atPath: output) }
            let run = try Self.run(["simulate", "--model", model, "--parameters", "Chen2020", "--initial-soc", "0.6",
                                    "--profile", profile, "--output", output])
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",").map { Double($0)! } }
            #expect(rows.map { $0[0] } == [0, 30, 60, 90])
            for (row, power) in zip(rows, [5.0, 15, -8, 0]) {
                #expect(abs(row[1] * row[2] - power) < 1e-6, "\(model) at t = \(row[0]) s: I·V = \(row[1] * row[2]) W")
            }
        }
    }

    @Test("A bad step string fails with a message quoting it")
    func badStep() throws {
        let output = Self.temporaryCSV()
        let run = try Self.run(["simulate", "--model", "spm", "--parameters", "Chen2020",
                                "--experiment", "Discharge at 1 parsec until 2.5 V", "--output", output])
        #expect(run.status != 0)
        #expect(run.stderr.contains("\"Discharge at 1 parsec until 2.5 V\""), "stderr: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("Conflicting options are rejected")
    func conflictingOptions() throws {
        let run = try Self.run(["simulate", "--model", "spm", "--parameters", "Chen2020", "--initial-soc", "0.5",
                                "--initial-stoichiometry", "0.5,0.5", "--experiment", "Rest for 1 minute",
                                "--output", Self.temporaryCSV()])
        #expect(run.status != 0)
        #expect(run.stderr.contains("mutually exclusive"), "stderr: \(run.stderr)")
    }

    @Test("An experiment file with an infeasible step: the step is skipped and reported, the rest runs")
    func experimentFileWithSkippedStep() throws {
        let output = Self.temporaryCSV(), steps = output + ".steps"
        defer { for path in [output, steps] { try? FileManager.default.removeItem(atPath: path) } }
        try """
        # skip test
        Discharge at 1C until 3.7 V
        Discharge at 1C until 3.7 V   # already below 3.7 V: skipped
        Rest for 10 minutes (1 minute period)
        """.write(toFile: steps, atomically: true, encoding: .utf8)
        let run = try Self.run(["simulate", "--model", "spme", "--parameters", "Chen2020", "--initial-soc", "0.7",
                                "--ambient", "303.15", "--experiment-file", steps, "--output", output])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("step 2 \"Discharge at 1C until 3.7 V\""), "stdout: \(run.stdout)")
        #expect(run.stdout.contains("SKIPPED") && run.stdout.contains("1 step skipped"), "stdout: \(run.stdout)")
        let rows = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map { Double($0)! } }
        let rest = rows.suffix(11)
        #expect(rest.allSatisfy { $0[1] == 0 && $0[3] == 303.15 })
        #expect(rows[rows.count - 12][0] == rest.first![0])   // the rest starts at the discharge's last time
        #expect(rest.last![0] - rest.first![0] == 600)
    }

    @Test("--sei adds the SEI columns of the reference cases; it needs --model spm or spme")
    func seiColumns() throws {
        let output = Self.temporaryCSV()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let run = try Self.run(["simulate", "--model", "spme", "--parameters", "Chen2020", "--sei", "reaction-limited",
                                "--initial-stoichiometry", "0.9013973983641688,0.2699987322515213",
                                "--experiment", "Discharge at 1C until 2.5 V", "--period", "60", "--output", output])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        let header = "t [s],I [A],V [V],T [K],sto_n_surf,sto_p_surf,sto_n_avg,sto_p_avg,discharge capacity [A.h],"
            + "SEI capacity loss [A.h],SEI thickness [m]"
        #expect(String(lines[0]) == header)
        let rows = lines.dropFirst().map { $0.split(separator: ",").map { Double($0)! } }
        // 61 rows with 11 columns, as the first step of chen2020_spme_sei_reaction_limited_20cyc.
        #expect(rows.count == 61)
        #expect(rows.allSatisfy { $0.count == 11 })
        let first = rows[0], second = rows[1]
        #expect(first[9] == 0)
        #expect(first[10] == 5e-9)
        // PyBaMM at t = 60 s: 5.461914894e-07 A.h, 5.000290706e-09 m.
        let lossError = abs(second[9] / 5.461914894e-07 - 1), thicknessError = abs(second[10] - 5.000290706e-09)
        #expect(lossError < 2e-3)
        #expect(thicknessError < 1e-15)
        // Non-decreasing (near 2.5 V the growth falls below the 10 printed digits), and growing over the step.
        var growing = rows[60][9] > rows[30][9] && rows[60][10] > rows[30][10]
        for k in 1..<rows.count where !(rows[k][9] >= rows[k - 1][9] && rows[k][10] >= rows[k - 1][10]) { growing = false }
        #expect(growing)

        let refused = try Self.run(["simulate", "--model", "dfn", "--parameters", "Chen2020", "--sei", "ec-reaction-limited",
                                    "--experiment", "Rest for 1 minute", "--output", Self.temporaryCSV()])
        #expect(refused.status != 0)
        let refusal = refused.stderr.contains("--sei needs --model spm or spme")
        #expect(refusal, "stderr: \(refused.stderr)")
        let unknown = try Self.run(["simulate", "--model", "spm", "--parameters", "Chen2020", "--sei", "tunnelling",
                                    "--experiment", "Rest for 1 minute", "--output", Self.temporaryCSV()])
        #expect(unknown.status != 0)
        let listsLaws = unknown.stderr.contains("reaction-limited")
        #expect(listsLaws, "stderr: \(unknown.stderr)")
    }

    @Test("--soh and --resistance-growth age the cell: C/5 charge ≈ q of the fresh one; bad values refused")
    func agedCell() throws {
        func delivered(_ model: String, _ parameters: String, _ extra: [String]) throws -> Double {
            let output = Self.temporaryCSV()
            defer { try? FileManager.default.removeItem(atPath: output) }
            let run = try Self.run(["simulate", "--model", model, "--parameters", parameters, "--initial-soc", "1",
                                    "--experiment", "Discharge at C/5 until 2.5 V", "--output", output] + extra)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let last = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").last ?? ""
            return Double(last.split(separator: ",").last ?? "") ?? .nan
        }
        for (model, parameters) in [("spme", "Chen2020"), ("ecm", "nmc")] {
            let ratio = try delivered(model, parameters, ["--soh", "0.8", "--resistance-growth", "1.4"])
                / delivered(model, parameters, [])
            #expect(abs(ratio - 0.8) < 0.02, "\(model): delivered ratio \(ratio)")
        }
        let bad = try Self.run(["simulate", "--model", "spm", "--parameters", "Chen2020", "--soh", "1.2",
                                "--experiment", "Rest for 1 minute", "--output", Self.temporaryCSV()])
        #expect(bad.status != 0 && bad.stderr.contains("capacity retention"))
    }
}
