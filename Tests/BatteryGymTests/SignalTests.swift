import Testing
import Foundation
import Gym
import SeededRandom
@testable import BatteryGym

@Suite("Signals")
struct SignalTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("price-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("price CSV: header and comments skipped, linear between samples, repeated past its end")
    func priceCSV() throws {
        let path = try Self.file("t [s], price\n# day-ahead\n0, 40\n3600, 80\r\n7200, 40\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let price = try PriceSignal(csv: path)
        var rng = Xoshiro256StarStar(seed: 0)
        let series = price.series(steps: 5, dt: 1800, rng: &rng)
        #expect(series == [40, 60, 80, 60, 40])
        #expect(abs(price.mean - 160.0 / 3) < 1e-12)
    }

    @Test("price CSV errors name the file and line")
    func priceErrors() throws {
        for (text, fragment) in [("0, 1\n10, x\n", ":2:"), ("0, 1\n0, 2\n", "increase"), ("0, 1, 2\n", "2 columns"), ("0, 1\n", "2 rows")] {
            let path = try Self.file(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: GymError.self) {
                do { _ = try PriceSignal(csv: path) } catch { #expect("\(error)".contains(fragment), "\(error)"); throw error }
            }
        }
        #expect(throws: GymError.self) { try PriceSignal(csv: "/nonexistent/prices.csv") }
    }
}
