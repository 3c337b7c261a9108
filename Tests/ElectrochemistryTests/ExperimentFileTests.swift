import Testing
@testable import Electrochemistry

/// The path of a file under Fixtures/profiles beside this test file.
func experimentFixturePath(_ name: String) -> String {
    let file = "\(#filePath)"
    let directory = file[..<(file.lastIndex(of: "/") ?? file.startIndex)]
    return "\(directory)/Fixtures/profiles/\(name)"
}

@Suite("Experiment files")
struct ExperimentFileTests {
    @Test("comments and blank lines are skipped")
    func commentsAndBlankLines() throws {
        let text = """
        # A CCCV cycle

        Discharge at 1C until 2.5 V   # CC discharge
          Charge at 0.5C until 4.2 V
        Hold at 4.2 V until C/50
        # rest
        Rest for 1 hour (30 seconds period)

        """
        let experiment = try Experiment(parsingFile: text, source: "cycle.txt")
        #expect(experiment.steps.map(\.control) == [.cRate(1), .cRate(-0.5), .voltage(volts: 4.2), .rest])
        #expect(experiment.steps[3].duration == 3600 && experiment.steps[3].period == 30)
        #expect(experiment.steps[0].text == "Discharge at 1C until 2.5 V")
    }

    @Test("a bad line is reported with its number, the source and the step")
    func badLineNumber() {
        let text = "# header\nDischarge at 1C until 2.5 V\n\nRest for ever\nCharge at 1C until 4.2 V\n"
        do {
            _ = try Experiment(parsingFile: text, source: "bad.txt")
            Issue.record("a bad line parsed")
        } catch {
            guard case let .invalidExperimentLine(source, line, step, part, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(source == "bad.txt" && line == 4 && step == "Rest for ever" && part == "ever")
            #expect(error.description.hasPrefix("bad.txt:4: "))
            #expect(error.description.contains("\"Rest for ever\""))
        }
    }

    @Test("CRLF line ends keep the line numbers")
    func crlf() {
        do {
            _ = try Experiment(parsingFile: "Rest for 1 h\r\nRest for 2 h\r\nHold at 4.2 until C/50\r\n", source: "x")
            Issue.record("a bad line parsed")
        } catch {
            #expect(error.description.hasPrefix("x:3: "))
        }
    }

    @Test("a file with only comments is an error")
    func emptyExperiment() {
        #expect(throws: ExperimentError.emptyExperiment(source: "e.txt")) {
            try Experiment(parsingFile: "# nothing\n\n", source: "e.txt")
        }
    }

    @Test("an experiment file is read from disk")
    func readFromDisk() throws {
        let path = experimentFixturePath("cccv_experiment.txt")
        let experiment = try Experiment(contentsOfFile: path)
        #expect(experiment.steps.count == 3)
        #expect(experiment.steps[1].terminations == [.cRateMagnitudeBelow(0.05)])
        #expect(experiment.steps[2].period == 60)
    }

    @Test("a missing experiment file names the path")
    func missingFile() {
        let path = experimentFixturePath("no_such_experiment.txt")
        do {
            _ = try Experiment(contentsOfFile: path)
            Issue.record("a missing file was read")
        } catch {
            guard case let .unreadableFile(failedPath, reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(failedPath == path)
            #expect(reason.contains("No such file"))
            #expect(error.description.contains(path))
        }
    }
}
