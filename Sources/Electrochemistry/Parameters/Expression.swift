#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A safe arithmetic expression in one variable, as BPX writes functions: `"0.1297 * (x / 1000) ** 3 - 2.51 * (x / 1000) ** 1.5"`.
///
/// Supports numbers (`1`, `.5`, `2.`, `3e-4`), the variable, `+ - * / **`, parentheses, unary `+`/`-`, and the
/// functions `exp log log10 sqrt abs tanh sinh cosh`. Precedence follows Python: `**` binds tighter than unary
/// minus on its left and is right-associative (`-x ** 2 == -(x ** 2)`, `2 ** -1 == 0.5`,
/// `2 ** 3 ** 2 == 512`). Nothing else is accepted, so evaluating a file's expression cannot run code.
public struct Expression: Sendable, CustomStringConvertible {
    /// A parse failure at character `offset` (UTF-8 bytes from the start).
    public struct Failure: Error, Equatable, Sendable {
        public var offset: Int
        public var reason: String
    }

    indirect enum Node: Sendable {
        case constant(Double)
        case variable
        case negate(Node)
        case binary(UInt8, Node, Node)
        case function(String, Node)
    }

    static let functionNames: Set<String> = ["exp", "log", "log10", "sqrt", "abs", "tanh", "sinh", "cosh"]

    let root: Node
    /// The source text.
    public let text: String

    /// Parses `text` with variable name `variable`.
    public init(_ text: String, variable: String = "x") throws(Failure) {
        var parser = ExpressionParser(bytes: Array(text.utf8), variable: variable)
        root = try parser.parseAll()
        self.text = text
    }

    public var description: String { text }

    /// Evaluates the expression at `x`.
    public func callAsFunction(_ x: Double) -> Double {
        Expression.evaluate(root, x)
    }

    static func evaluate(_ node: Node, _ x: Double) -> Double {
        switch node {
        case let .constant(value): return value
        case .variable: return x
        case let .negate(operand): return -evaluate(operand, x)
        case let .binary(op, lhs, rhs):
            let a = evaluate(lhs, x), b = evaluate(rhs, x)
            switch op {
            case UInt8(ascii: "+"): return a + b
            case UInt8(ascii: "-"): return a - b
            case UInt8(ascii: "*"): return a * b
            case UInt8(ascii: "/"): return a / b
            default: return pow(a, b)
            }
        case let .function(name, argument):
            let a = evaluate(argument, x)
            switch name {
            case "exp": return exp(a)
            case "log": return log(a)
            case "log10": return log10(a)
            case "sqrt": return sqrt(a)
            case "abs": return abs(a)
            case "tanh": return tanh(a)
            case "sinh": return sinh(a)
            default: return cosh(a)
            }
        }
    }
}

/// Recursive-descent parser for ``Expression``.
struct ExpressionParser {
    let bytes: [UInt8]
    let variable: String
    var position = 0

    init(bytes: [UInt8], variable: String) {
        self.bytes = bytes
        self.variable = variable
    }

    func failure(_ reason: String) -> Expression.Failure { Expression.Failure(offset: position, reason: reason) }

    mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
    }

    mutating func peek() -> UInt8? {
        skipSpaces()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func parseAll() throws(Expression.Failure) -> Expression.Node {
        if peek() == nil { throw failure("empty expression") }
        let node = try parseSum()
        if let byte = peek() { throw failure("unexpected '\(Character(Unicode.Scalar(byte)))'") }
        return node
    }

    mutating func parseSum() throws(Expression.Failure) -> Expression.Node {
        var node = try parseProduct()
        while let op = peek(), op == UInt8(ascii: "+") || op == UInt8(ascii: "-") {
            position += 1
            node = .binary(op, node, try parseProduct())
        }
        return node
    }

    mutating func parseProduct() throws(Expression.Failure) -> Expression.Node {
        var node = try parseUnary()
        while let op = peek(), op == UInt8(ascii: "*") || op == UInt8(ascii: "/") {
            if op == UInt8(ascii: "*"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "*") { break }
            position += 1
            node = .binary(op, node, try parseUnary())
        }
        return node
    }

    mutating func parseUnary() throws(Expression.Failure) -> Expression.Node {
        switch peek() {
        case UInt8(ascii: "-"): position += 1; return .negate(try parseUnary())
        case UInt8(ascii: "+"): position += 1; return try parseUnary()
        default: return try parsePower()
        }
    }

    mutating func parsePower() throws(Expression.Failure) -> Expression.Node {
        let base = try parsePrimary()
        if peek() == UInt8(ascii: "*"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "*") {
            position += 2
            return .binary(UInt8(ascii: "^"), base, try parseUnary())
        }
        return base
    }

    mutating func parsePrimary() throws(Expression.Failure) -> Expression.Node {
        guard let byte = peek() else { throw failure("unexpected end of expression") }
        if byte == UInt8(ascii: "(") {
            position += 1
            let node = try parseSum()
            guard peek() == UInt8(ascii: ")") else { throw failure("expected ')'") }
            position += 1
            return node
        }
        if (0x30...0x39).contains(byte) || byte == UInt8(ascii: ".") { return .constant(try parseNumber()) }
        if isIdentifierStart(byte) {
            let start = position
            while position < bytes.count, isIdentifierStart(bytes[position]) || (0x30...0x39).contains(bytes[position]) {
                position += 1
            }
            let name = String(decoding: bytes[start..<position], as: UTF8.self)
            if name == variable { return .variable }
            guard Expression.functionNames.contains(name) else {
                throw Expression.Failure(offset: start, reason: "unknown name '\(name)'")
            }
            guard peek() == UInt8(ascii: "(") else { throw failure("expected '(' after \(name)") }
            position += 1
            let argument = try parseSum()
            guard peek() == UInt8(ascii: ")") else { throw failure("expected ')' closing \(name)(") }
            position += 1
            return .function(name, argument)
        }
        throw failure("unexpected '\(Character(Unicode.Scalar(byte)))'")
    }

    func isIdentifierStart(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "_")
    }

    mutating func parseNumber() throws(Expression.Failure) -> Double {
        let start = position
        var digits = 0
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1; digits += 1 }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1; digits += 1 }
        }
        if digits == 0 { throw Expression.Failure(offset: start, reason: "malformed number") }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            var exponentDigits = 0
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1; exponentDigits += 1 }
            if exponentDigits == 0 { throw failure("malformed exponent") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw Expression.Failure(offset: start, reason: "malformed number '\(text)'")
        }
        return value
    }
}
