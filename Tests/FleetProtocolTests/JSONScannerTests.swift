@testable import FleetProtocol
import Foundation
import Testing

@Suite struct JSONScannerTests {
    @Test(arguments: ["", " ", "{", "}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "{\"a\":01}", "{\"a\":1.}",
                      "{\"a\":-}", "{\"a\":1e}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"x}",
                      "{\"a\":\"\u{1}\"}", "{\"a\":\"\\q\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\u+041\"}", "{\"a\":\"\\u-000\"}", "{\"a\":[1,]}", "{\"a\":1} x",
                      "{\"a\":1,\"a\":2}", "[1]", "\"s\"", "{\"a\":NaN}", "{\"a\":Infinity}"])
    func malformedDocumentsAreRefused(_ text: String) {
        #expect(throws: ProtocolError.self) { try JSONScanner.object(Array(text.utf8)) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: ProtocolError.self) { try JSONScanner.object([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) }
    }

    @Test func nestingIsBounded() {
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(throws: ProtocolError.self) { try JSONScanner.object(Array("{\"a\":\(deep)}".utf8)) }
    }

    @Test func valuesAreReadAsJSONSerializationReadsThem() throws {
        let text = #"{"n":-12.5e-3,"i":18446744073709551615,"s":"a\"b\\c\/d\n\u00e9\ud83d\ude00","t":true,"f":false,"z":null,"o":{"x":[1,2.5,"q"]}}"#
        let fields = try JSONScanner.object(Array(text.utf8))
        let reference = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(try fields.number("n", in: -1...1) == -12.5e-3)
        #expect(try fields.integer("i", as: UInt64.self) == UInt64.max)
        #expect(try fields.string("s") == reference["s"] as? String)
        #expect(try fields.bool("t") && !(try fields.bool("f")))
        #expect(fields.optional("z") == nil)
        #expect(try fields.object("o").keys == ["x"])
        #expect(throws: ProtocolError.outOfRange(field: "i", value: Double(UInt64.max), allowed: "[\(Int64.min), \(Int64.max)]")) {
            try fields.integer("i", as: Int64.self)
        }
        #expect(throws: ProtocolError.wrongType(field: "n", expected: "an integer")) { try fields.integer("n", as: Int.self) }
        #expect(throws: ProtocolError.wrongType(field: "o.x", expected: "an array of numbers")) { try fields.object("o").numbers("x") }
    }

    @Test func largeObjectsDetectDuplicates() throws {
        let keys = (0..<100).map { "\"d\($0)\":\($0)" }
        #expect(try JSONScanner.object(Array("{\(keys.joined(separator: ","))}".utf8)).pairs.count == 100)
        #expect(throws: ProtocolError.invalidValue(field: "d5", reason: "appears twice")) {
            try JSONScanner.object(Array("{\((keys + ["\"d5\":0"]).joined(separator: ","))}".utf8))
        }
    }
}

/// Mutated payloads of every message type are refused or decoded, never a crash: truncation at every length and
/// 20,000 seeded mutations (byte flips, insertions, deletions, swapped-in JSON tokens).
@Suite struct DecoderMutationTests {
    struct XorShift { var state: UInt64; mutating func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state } }

    @Test func mutatedPayloadsNeverCrashTheDecoders() {
        let payloads: [[UInt8]] = [
            MessageTests.telemetry.encoded(),
            SetpointCommand(header: MessageHeader(seq: 3, timestampMs: 1000), expiresMs: 3000, setpoint: .power(-1500.5)).encoded(),
            SiteAllocation(header: MessageHeader(seq: 9, timestampMs: 10), period: 1, expiresMs: 2010, demand: 1000, allocated: 1000,
                           demandMet: true, allocator: "mpc", devices: ["a": 600, "b": 400], excluded: ["c"]).encoded(),
            DemandMessage(header: MessageHeader(seq: 1, timestampMs: 2), demand: -5000, forecast: [1, 2]).encoded(),
        ]
        let decoders: [([UInt8]) -> Bool] = [
            { (try? Telemetry.decode($0)) != nil }, { (try? SetpointCommand.decode($0)) != nil },
            { (try? SiteAllocation.decode($0)) != nil }, { (try? DeviceStatus.decode($0)) != nil },
            { (try? DemandMessage.decode($0)) != nil },
        ]
        let tokens = ["{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-", "1e999", "0.", "\\u", "\u{0}", "é", "99999999999999999999"]
        var rng = XorShift(state: 0x9E37_79B9_7F4A_7C15)
        var decoded = 0, tried = 0
        for payload in payloads {
            for n in 0..<payload.count { for d in decoders { tried += 1; if d(Array(payload[..<n])) { decoded += 1 } } }
            for _ in 0..<5_000 {
                var p = payload
                for _ in 0..<(1 + Int(rng.next() % 3)) where !p.isEmpty {
                    let at = Int(rng.next() % UInt64(p.count))
                    switch rng.next() % 4 {
                    case 0: p[at] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
                    case 1: p.remove(at: at)
                    case 2: p.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                    default: p.insert(contentsOf: Array(tokens[Int(rng.next() % UInt64(tokens.count))].utf8), at: at)
                    }
                }
                for d in decoders { tried += 1; if d(p) { decoded += 1 } }
            }
        }
        // Most mutations must be refused; some (a changed digit) still decode. Reaching here means no crash.
        #expect(tried > 100_000)
        #expect(decoded < tried / 4)
    }
}
