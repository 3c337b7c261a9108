import Testing
@testable import Electrochemistry

/// The safe expression evaluator used for BPX functions.
@Suite("BPX expressions")
struct ParameterSetExpressionTests {
    @Test("precedence and associativity follow Python", arguments: [
        ("1 + 2 * 3", 0.0, 7.0), ("-x ** 2", 3, -9), ("2 ** -1", 0, 0.5), ("2 ** 3 ** 2", 0, 512),
        ("(1 + 2) * 3", 0, 9), ("8 / 4 / 2", 0, 1), ("10 - 4 - 3", 0, 3), ("--x", 2, 2), ("+x", 5, 5),
        ("-(x - 1)", 3, -2), ("2 * -x", 4, -8), (".5 + 2.", 0, 2.5), ("1e-3 * 1E3", 0, 1), ("x**0.5", 16, 4),
        ("exp(0) + log(1) + sqrt(9) + abs(-2) + tanh(0)", 0, 6), ("log10(1000)", 0, 3), ("cosh(0) - sinh(0)", 0, 1),
    ])
    func evaluates(text: String, x: Double, expected: Double) throws {
        let expression = try Expression(text)
        #expect(abs(expression(x) - expected) < 1e-12, "\(text) at \(x) = \(expression(x))")
    }

    @Test("the Nyman 2008 conductivity string from the BPX files")
    func nyman() throws {
        let expression = try Expression("0.1297 * (x / 1000) ** 3 - 2.51 * (x / 1000) ** 1.5 + 3.329 * (x / 1000)")
        let closedForm = ClosedForms.electrolyteConductivityNyman2008()
        for c in stride(from: 0.0, through: 4000, by: 250) { #expect(abs(expression(c) - closedForm(c, 298.15)) < 1e-13) }
    }

    @Test("invalid expressions are rejected with the offset", arguments: [
        ("", 0), ("2 +", 3), ("(1", 2), ("foo(2)", 0), ("1 2", 2), ("2 ** ", 5), ("x // 2", 3), ("import os", 0),
        ("exp 2", 4), ("1e", 2), ("x)", 1), ("y", 0), ("__import__('os')", 0), ("2 * . ", 4),
    ])
    func rejects(text: String, offset: Int) {
        #expect(throws: Expression.Failure.self) { try Expression(text) }
        do { _ = try Expression(text) } catch { #expect(error.offset == offset, "\(text): \(error)") }
    }

    @Test("domain errors give NaN or infinity, never a crash")
    func domain() throws {
        #expect(try Expression("log(x)")(-1).isNaN)
        #expect(try Expression("1 / x")(0) == .infinity)
        #expect(try Expression("sqrt(x)")(-4).isNaN)
    }
}
