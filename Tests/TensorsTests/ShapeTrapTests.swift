import Testing
@testable import Tensors

/// Shape mismatches are programmer errors: they trap, and the message names both shapes.
///
/// Each body runs in a child process (Swift Testing exit tests); its standard error is
/// captured and searched for both shapes.
@Suite struct ShapeTrapTests {
    /// The child's standard error as text, plus how it ended (for failure messages).
    static func stderrText(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    static func expectBothShapes(_ result: ExitTest.Result?, _ first: String, _ second: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        let text = stderrText(result)
        #expect(text.contains(first) && text.contains(second),
                """
                the trap's message should name \(first) and \(second); the child ended with \
                \(result.map { "\($0.exitStatus)" } ?? "?") and wrote \(result?.standardErrorContent.count ?? 0) bytes \
                to stderr: \(text.filter { $0.isASCII && !$0.isNewline }.prefix(300))
                """, sourceLocation: sourceLocation)
    }

    @Test func matmulInnerDimensionMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let c = Tensor<Double>.matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))
            print(c.shape)
        }
        Self.expectBothShapes(result, "[2, 3]", "[4, 5]")
    }

    @Test func addBroadcastMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let c = Tensor<Float>.zeros([2, 3]) + Tensor<Float>.ones([4, 5])
            print(c.shape)
        }
        Self.expectBothShapes(result, "[2, 3]", "[4, 5]")
    }

    @Test func variableAddBroadcastMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let tape = Tape<Double>()
            let c = tape.variable(.zeros([2, 3])) + tape.variable(.zeros([4, 5]))
            print(c.shape)
        }
        Self.expectBothShapes(result, "[2, 3]", "[4, 5]")
    }

    @Test func gradientsWithWrongSeedShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let tape = Tape<Double>()
            let x = tape.variable(.ones([2, 3]))
            let y = x.tanh()
            let g = tape.gradients(of: y, seed: .ones([4, 5]), wrt: [x])
            print(g.count)
        }
        Self.expectBothShapes(result, "[4, 5]", "[2, 3]")
    }
}
