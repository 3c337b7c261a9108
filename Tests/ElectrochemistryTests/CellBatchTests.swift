import Testing
@testable import Electrochemistry

/// ``CellBatch`` on equivalent-circuit cells: the same answers as stepping each cell alone, limits flagged or
/// disconnected, per-cell parameter changes without a rebuild, and threads that change nothing but speed.
@Suite("Cell batch stepping")
struct CellBatchTests {
    static func cells(_ count: Int) throws -> [EquivalentCircuitModel] {
        try (0..<count).map { k in
            try EquivalentCircuitModel(parameters: k % 2 == 0 ? .chen2020 : .prada2013, initialSoC: 0.3 + 0.05 * Double(k))
        }
    }

    static func drives(_ count: Int, step: Int) -> [CellDrive] {
        (0..<count).map { k in
            switch (k + step) % 3 {
            case 0: return .current(Double(k % 5) - 2)
            case 1: return .power(3 + Double(k % 4))
            default: return .current(0.5)
            }
        }
    }

    static let wide = CellLimits(minimumVoltage: 1.5, maximumVoltage: 5)

    @Test func matchesSteppingEachCellAlone() throws {
        let batched = try Self.cells(6), alone = try Self.cells(6)
        let batch = CellBatch(cells: batched, limits: Array(repeating: Self.wide, count: 6))
        for step in 0..<20 {
            let drives = Self.drives(6, step: step)
            try batch.step(drives, dt: 10)
            for k in 0..<6 {
                try alone[k].begin(drives[k])
                _ = try alone[k].advance(by: 10, events: [])
                #expect(batch.results[k].outputs == alone[k].outputs)
                #expect(batch.results[k].limit == nil)
            }
        }
    }

    @Test func threadsGiveTheSameResults() throws {
        let one = CellBatch(cells: try Self.cells(9), limits: Array(repeating: Self.wide, count: 9))
        let two = CellBatch(cells: try Self.cells(9), limits: Array(repeating: Self.wide, count: 9), threads: 2)
        for step in 0..<10 {
            try one.step(Self.drives(9, step: step), dt: 10)
            try two.step(Self.drives(9, step: step), dt: 10)
            #expect(one.results == two.results)
        }
    }

    @Test func flagsTheCrossingAndKeepsTheDrive() throws {
        let cell = try EquivalentCircuitModel(parameters: .chen2020, initialSoC: 0.05)
        let v0 = cell.outputs.voltage
        let batch = CellBatch(cells: [cell], limits: [CellLimits(minimumVoltage: v0 - 0.15, maximumVoltage: 4.2)])
        var flagged = false
        for _ in 0..<60 where !flagged {
            try batch.step([.current(5)], dt: 10)
            if let limit = batch.results[0].limit {
                flagged = true
                #expect(limit == .minimumVoltage)
                #expect(batch.results[0].limitTime > 0 && batch.results[0].limitTime <= 10)
                #expect(batch.results[0].outputs.current == 5)
                #expect(batch.results[0].outputs.voltage < v0 - 0.15)
            }
        }
        #expect(flagged)
    }

    @Test func disconnectRestsForTheRestOfTheStep() throws {
        let cell = try EquivalentCircuitModel(parameters: .chen2020, initialSoC: 0.9)
        let batch = CellBatch(cells: [cell], limits: [CellLimits(minimumVoltage: 2.5, maximumVoltage: cell.outputs.voltage + 0.05)],
                              response: .disconnect)
        try batch.step([.current(-10)], dt: 60)
        let result = batch.results[0]
        #expect(result.limit == .maximumVoltage)
        #expect(result.limitTime < 60)
        #expect(result.outputs.current == 0)
        #expect(abs(result.outputs.time - 60) < 1e-9)
    }

    @Test func parameterChangesNeedNoRebuild() throws {
        let cells = try Self.cells(2)
        let batch = CellBatch(cells: cells, limits: Array(repeating: Self.wide, count: 2))
        try cells[0].updateResistanceScale(2)
        try batch.step([.current(5), .current(5)], dt: 10)
        let reference = try EquivalentCircuitModel(parameters: .chen2020, initialSoC: 0.3)
        try reference.updateResistanceScale(2)
        try reference.begin(.current(5))
        _ = try reference.advance(by: 10, events: [])
        #expect(batch.results[0].outputs == reference.outputs)
    }

    @Test func rejectsABadTimeStep() throws {
        let batch = CellBatch(cells: try Self.cells(1), limits: [Self.wide])
        #expect(throws: ModelError.invalidTimeStep(dt: 0)) { try batch.step([.current(1)], dt: 0) }
    }
}
