@testable import FleetProtocol
import Foundation
import Testing

@Suite struct JSONScannerTests {
    @Test(arguments: ["", " ", "{", "}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "{a:1}", "{\"a\":01}", "{\"a\":1.}",
                      "{\"a\":-}", "{\"a\":1e}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"x}",
                      "{\"a\":\"\u{1}\"}", "{\"a\":\"\\q\"}", "{\"a\":\"\\ud800\"}", "{\"a\":[1,]}", "{\"a\":1} x",
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
        #expect(throws: ProtocolError.outOfRange(field: "i", value: 18446744073709551615, allowed: "[\(Int64.min), \(Int64.max)]")) {
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
