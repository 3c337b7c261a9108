import Foundation
import Testing
@testable import Electrochemistry

/// Regenerates the shipped ECM sets (EquivalentCircuitParameters+Chen2020.swift, +Prada2013.swift) by fitting them
/// to the SPMe. Runs only when ECM_REGENERATE_DIR names the output directory:
/// `ECM_REGENERATE_DIR=Sources/Electrochemistry/Models/ECM swift test -c release --filter ECMRegeneration`.
@Suite("ECMRegeneration")
struct ECMRegenerationTests {
    static let directory = ProcessInfo.processInfo.environment["ECM_REGENERATE_DIR"]

    @Test("regenerate the shipped ECM parameter sources", .enabled(if: directory != nil))
    func regenerate() throws {
        let directory = try #require(Self.directory)
        for (identifier, file) in [("chen2020", "Chen2020"), ("prada2013", "Prada2013")] {
            let start = Date()
            let source = try EquivalentCircuitFit.regenerateSource(identifier)
            try source.write(toFile: "\(directory)/EquivalentCircuitParameters+\(file).swift", atomically: true, encoding: .utf8)
            print("\(identifier): fitted in \(Date().timeIntervalSince(start)) s")
        }
    }
}
