import ArgumentParser
import Electrochemistry
import Foundation

/// `pulse age`: NREL BLAST-Lite's semi-empirical capacity fade over a SoC/temperature profile.
struct Age: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a BLAST-Lite capacity-fade model over a SoC and temperature profile; write its evaluation points as CSV.",
        discussion: """
        The profile is a CSV with columns "t [s]", "soc" (in [0, 1]) and "T [C]", time strictly \
        increasing. It is cut into chunks at BLAST-Lite's breakpoints (rainflow turning points: a \
        chunk ends once a day passes without one, or after more than 1 EFC) and the model's states \
        are updated per chunk, exactly as BLAST-Lite 1.1's simulate_battery_life. With --days N the \
        profile is first repeated periodically (period = its span; a last sample at the period's end \
        is not doubled) until it spans N days, so a 2-day profile repeated to 365 days is the same \
        series as the 365-day profile. Without --days the profile's own span is simulated.

        Columns: day, efc, q, q_t (calendar part), q_EFC (cycling part), r where the model has one, \
        then the model's other outputs in BLAST-Lite's names (e.g. q_LLI_t, q_LAM, qNew); one row per \
        BLAST-Lite evaluation point (the first is the initial state).

        Models: \(BlastLite.modelNames.joined(separator: ", ")).
        """)

    @Option(help: "The BLAST-Lite model class name.")
    var model: String

    @Option(help: ArgumentHelp("Profile CSV with columns \"t [s]\", \"soc\", \"T [C]\".", valueName: "FILE"))
    var profile: String

    @Option(help: "The CSV file to write.")
    var output: String

    @Option(help: "Simulated horizon in days (the profile is repeated to reach it).")
    var days: Double?

    func validate() throws {
        if let days, !(days.isFinite && days > 0) {
            throw ValidationError("--days \(days) must be a positive number of days")
        }
    }

    func run() throws {
        do {
            try age()
        } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }

    struct AgeFailure: Error {
        var message: String
    }

    private func age() throws(AgeFailure) {
        var fade: any BlastLiteFadeModel
        do {
            fade = try BlastLite.model(named: model)
        } catch {
            throw AgeFailure(message: error.description)
        }
        let input: AgeProfile
        do {
            input = try AgeProfile(contentsOf: profile)
        } catch {
            throw AgeFailure(message: error.message)
        }
        var series = (time: input.time, soc: input.soc, temperature: input.temperature)
        if let days { series = BlastLite.tile(time: input.time, soc: input.soc, temperature: input.temperature, days: days) }
        let table = BlastLite.table(&fade, time: series.time, soc: series.soc, temperature: series.temperature)
        var text = table.columns.joined(separator: ",") + "\n"
        for row in table.rows {
            text += row.map { Self.format($0) }.joined(separator: ",") + "\n"
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw AgeFailure(message: "cannot write \"\(output)\": \(error.localizedDescription)")
        }
        let last = table.rows[table.rows.count - 1]
        print("\(model): \(table.rows.count) rows over \(Self.format(last[0])) days, \(Self.format(last[1])) EFC, final q = \(Self.format(last[2])) → \(output)")
    }

    /// Shortest round-trip decimal; integers without a fraction.
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
