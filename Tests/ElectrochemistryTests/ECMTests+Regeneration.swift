import Testing
@testable import Electrochemistry

/// The shipped ECM sets are what `EquivalentCircuitFit` makes from today's SPMe: refitting reproduces their tables
/// (regenerate them with `pulse fit-ecm --regenerate-shipped Sources/Electrochemistry/Models/ECM`).
@Suite("ECM shipped sets are reproducible")
struct ECMRegenerationTests {
    @Test("refitting reproduces the shipped tables", arguments: ["chen2020", "prada2013"])
    func refit(identifier: String) throws {
        let entry = try #require(EquivalentCircuitFit.shipped.first { $0.identifier == identifier })
        let fitted = try EquivalentCircuitFit.fit(source: entry.source, name: entry.name, citations: entry.citations,
                                                  configuration: entry.configuration)
        let shipped = try EquivalentCircuitParameters.named(identifier)
        func worst(_ a: EquivalentCircuitTable, _ b: EquivalentCircuitTable) -> Double {
            #expect(a.stateOfCharge == b.stateOfCharge && a.temperature == b.temperature)
            let scale = b.values.map(abs).max() ?? 1
            return zip(a.values, b.values).map { abs($0 - $1) / scale }.max() ?? 0
        }
        // Differences relative to each table's largest value (R_k near the 1e-7 Ω floor would dominate otherwise).
        let ocv = worst(fitted.openCircuitVoltage, shipped.openCircuitVoltage)
        let r0 = worst(fitted.seriesResistance, shipped.seriesResistance)
        let pairs = zip(fitted.resistances, shipped.resistances).map { worst($0, $1) }.max() ?? 0
        print("\(identifier): max relative change OCV \(ocv), R0 \(r0), R_k \(pairs)")
        #expect(ocv < 1e-9 && r0 < 1e-6 && pairs < 1e-3, "refit \(identifier) and ship it: OCV \(ocv), R0 \(r0), R_k \(pairs)")
        #expect(fitted.capacity == shipped.capacity && fitted.nominalCapacity == shipped.nominalCapacity)
    }
}
