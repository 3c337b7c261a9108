import Testing
@testable import Tensors
import SeededRandom

/// Two operand shapes for a broadcasting binary operation.
struct ShapePair: Sendable, CustomTestStringConvertible {
    let a: [Int], b: [Int]
    init(_ a: [Int], _ b: [Int]) { self.a = a; self.b = b }
    var testDescription: String { "\(a) with \(b)" }
}

/// Every broadcasting pattern the element-wise ops must handle, both ways round.
let broadcastPairs: [ShapePair] = [
    ShapePair([3, 4], [3, 4]),        // same shape
    ShapePair([3, 4], []),            // rank-0 scalar
    ShapePair([], [3, 4]),
    ShapePair([3, 4], [4]),           // row vector against a batch
    ShapePair([4], [3, 4]),
    ShapePair([3, 4], [1, 4]),
    ShapePair([1, 4], [3, 4]),
    ShapePair([3, 4], [3, 1]),        // column
    ShapePair([3, 1], [3, 4]),
    ShapePair([3, 3], [3, 1]),        // square column: the column's count equals the last extent
    ShapePair([3, 1], [3, 3]),
    ShapePair([2, 3, 6], [2, 3, 1]),  // a trailing-1 operand whose count equals the last extent
    ShapePair([2, 1, 3], [4, 1]),     // general 3-D, both stretched
    ShapePair([4, 1], [2, 1, 3]),
    ShapePair([3, 1], [1, 4]),        // outer-product pattern
]

enum BinaryOp: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case add, subtract, multiply, divide, minimum, maximum
    var testDescription: String { rawValue }

    func apply(_ a: DVariable, _ b: DVariable) -> DVariable {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .minimum: .minimum(a, b)
        case .maximum: .maximum(a, b)
        }
    }

    func apply<S>(_ a: S, _ b: S) -> S where S: BinaryFloatingPoint {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .minimum: Swift.min(a, b)
        case .maximum: Swift.max(a, b)
        }
    }

    func apply<S>(_ a: Tensor<S>, _ b: Tensor<S>) -> Tensor<S> {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .minimum: .minimum(a, b)
        case .maximum: .maximum(a, b)
        }
    }

    func operands(_ pair: ShapePair, _ rng: inout Inputs) -> (DTensor, DTensor) {
        switch self {
        case .add, .subtract, .multiply: (rng.normal(pair.a), rng.normal(pair.b))
        case .divide: (rng.normal(pair.a), rng.awayFromZero(pair.b, 0.5, 2))
        case .minimum, .maximum: rng.untied(pair.a, pair.b)
        }
    }
}

@Suite struct VariableOpGradientTests {
    // MARK: Binary arithmetic with broadcasting

    @Test(arguments: BinaryOp.allCases, broadcastPairs)
    func binaryOperation(_ op: BinaryOp, _ pair: ShapePair) {
        var rng = Inputs(seed: 11)
        let (a, b) = op.operands(pair, &rng)
        checkGradient([a, b]) { op.apply($0[0], $0[1]) }
    }

    @Test func negation() {
        var rng = Inputs(seed: 12)
        checkGradient([rng.normal([3, 4])]) { -$0[0] }
        checkGradient([rng.normal([])]) { -$0[0] }
    }

    @Test func scalarArithmetic() {
        var rng = Inputs(seed: 13)
        let x = rng.normal([3, 4])
        checkGradient([x]) { $0[0] + 0.7 }
        checkGradient([x]) { 0.7 + $0[0] }
        checkGradient([x]) { $0[0] - 1.3 }
        checkGradient([x]) { 1.3 - $0[0] }
        checkGradient([x]) { $0[0] * -2.5 }
        checkGradient([x]) { -2.5 * $0[0] }
        checkGradient([x]) { $0[0] / 0.4 }
    }

    static let variableTensorPairs: [ShapePair] = [
        ShapePair([3, 4], [3, 4]), ShapePair([3, 4], [4]), ShapePair([4], [3, 4]),
        ShapePair([3, 1], [3, 4]), ShapePair([3, 4], [3, 1]), ShapePair([], [3, 4]), ShapePair([2, 1, 3], [4, 1]),
    ]

    /// Variable ± Tensor and Variable ⊙ Tensor: the tensor is a constant, not recorded.
    @Test(arguments: variableTensorPairs)
    func variableWithConstantTensor(_ pair: ShapePair) {
        var rng = Inputs(seed: 14)
        let x = rng.normal(pair.a), c = rng.normal(pair.b)
        checkGradient([x]) { $0[0] + c }
        checkGradient([x]) { $0[0] - c }
        checkGradient([x]) { $0[0] * c }
        let tape = Tape<Double>()
        let before = tape.count
        _ = tape.variable(x) * c
        #expect(tape.count == before + 2, "the constant tensor is not recorded")
    }

    // MARK: Matrix product

    @Test func matmul() {
        var rng = Inputs(seed: 15)
        checkGradient([rng.normal([3, 4]), rng.normal([4, 2])]) { $0[0].matmul($0[1]) }
        checkGradient([rng.normal([1, 5]), rng.normal([5, 1])]) { $0[0].matmul($0[1]) }
        checkGradient([rng.normal([4, 1]), rng.normal([1, 3])]) { $0[0].matmul($0[1]) }
        // The same operand on both sides: gradients accumulate.
        checkGradient([rng.normal([3, 3])]) { $0[0].matmul($0[0]) }
    }

    // MARK: Element-wise functions

    @Test func tanh() {
        var rng = Inputs(seed: 16)
        checkGradient([rng.normal([3, 4]) * 1.5]) { $0[0].tanh() }
    }

    @Test func relu() {
        var rng = Inputs(seed: 17)
        checkGradient([rng.awayFromZero([3, 4], 0.1, 2)]) { $0[0].relu() }
    }

    @Test func elu() {
        var rng = Inputs(seed: 18)
        let x = rng.awayFromZero([3, 4], 0.05, 2.5)
        checkGradient([x]) { $0[0].elu() }
        checkGradient([x]) { $0[0].elu(alpha: 0.4) }
    }

    @Test func softplus() {
        var rng = Inputs(seed: 19)
        checkGradient([rng.normal([3, 4]) * 4]) { $0[0].softplus() }
        checkGradient([DTensor([-30, -5, -0.5, 0, 0.5, 5, 30])]) { $0[0].softplus() }
    }

    @Test func exp() {
        var rng = Inputs(seed: 20)
        checkGradient([rng.normal([3, 4]) * 1.5]) { $0[0].exp() }
    }

    @Test func log() {
        var rng = Inputs(seed: 21)
        checkGradient([rng.uniform([3, 4], 0.3, 3)]) { $0[0].log() }
    }

    @Test func squared() {
        var rng = Inputs(seed: 22)
        checkGradient([rng.normal([3, 4])]) { $0[0].squared() }
    }

    @Test func squareRoot() {
        var rng = Inputs(seed: 23)
        checkGradient([rng.uniform([3, 4], 0.3, 3)]) { $0[0].squareRoot() }
    }

    @Test func clamped() {
        var rng = Inputs(seed: 24)
        // Keep every element at least 0.05 from the bounds -0.5 and 0.8, with some on each side.
        let x = rng.uniform([4, 5], -2, 2).map { v in
            abs(v + 0.5) < 0.05 || abs(v - 0.8) < 0.05 ? v + 0.1 : v
        }
        #expect(x.scalars.contains { $0 < -0.5 } && x.scalars.contains { $0 > 0.8 }
                && x.scalars.contains { $0 > -0.5 && $0 < 0.8 })
        checkGradient([x]) { $0[0].clamped(min: -0.5, max: 0.8) }
    }

    // MARK: Reductions

    @Test func sumAndMean() {
        var rng = Inputs(seed: 25)
        let x = rng.normal([3, 4])
        checkGradient([x]) { $0[0].sum() }
        checkGradient([x]) { $0[0].mean() }
        checkGradient([rng.normal([2, 3, 2])]) { $0[0].mean() }
    }

    struct AxisCase: Sendable, CustomTestStringConvertible {
        let shape: [Int], axis: Int, keep: Bool
        var testDescription: String { "\(shape) axis \(axis)\(keep ? " keeping" : "")" }
    }

    static let axisCases: [AxisCase] = [[3, 4], [2, 3, 4]].flatMap { shape in
        (-1..<shape.count).flatMap { axis in [false, true].map { AxisCase(shape: shape, axis: axis, keep: $0) } }
    }

    @Test(arguments: axisCases)
    func sumAlongAxis(_ c: AxisCase) {
        var rng = Inputs(seed: 26)
        checkGradient([rng.normal(c.shape)]) { $0[0].sum(alongAxis: c.axis, keepingDimension: c.keep) }
    }

    @Test(arguments: axisCases)
    func meanAlongAxis(_ c: AxisCase) {
        var rng = Inputs(seed: 27)
        checkGradient([rng.normal(c.shape)]) { $0[0].mean(alongAxis: c.axis, keepingDimension: c.keep) }
    }

    // MARK: Shape operations

    @Test func reshaped() {
        var rng = Inputs(seed: 28)
        let x = rng.normal([3, 4])
        for shape in [[2, 6], [-1], [4, -1], [2, 2, 3], [12, 1]] {
            checkGradient([x]) { $0[0].reshaped(shape) }
        }
        // Through a reshape and back into a broadcast.
        checkGradient([x, rng.normal([6])]) { ($0[0].reshaped([2, 6]) * $0[1]).tanh() }
    }

    @Test func concatenate() {
        var rng = Inputs(seed: 29)
        checkGradient([rng.normal([1, 3]), rng.normal([2, 3]), rng.normal([3, 3])]) {
            Variable.concatenate($0, alongAxis: 0)
        }
        checkGradient([rng.normal([2, 1]), rng.normal([2, 2]), rng.normal([2, 3])]) {
            Variable.concatenate($0, alongAxis: 1)
        }
        checkGradient([rng.normal([2, 2, 1]), rng.normal([2, 2, 3]), rng.normal([2, 2, 2])]) {
            Variable.concatenate($0, alongAxis: -1)
        }
        checkGradient([rng.normal([2, 1, 2]), rng.normal([2, 3, 2]), rng.normal([2, 2, 2])]) {
            Variable.concatenate($0, alongAxis: 1)
        }
    }

    @Test func slice() {
        var rng = Inputs(seed: 30)
        checkGradient([rng.normal([4, 5])]) { $0[0].slice(1..<3, alongAxis: 0) }
        checkGradient([rng.normal([4, 5])]) { $0[0].slice(2..<5, alongAxis: 1) }
        checkGradient([rng.normal([2, 3, 4])]) { $0[0].slice(0..<1, alongAxis: 1) }
        checkGradient([rng.normal([2, 3, 4])]) { $0[0].slice(1..<3, alongAxis: -1) }
        // Slices of one variable concatenated back: gradients of overlapping uses accumulate.
        checkGradient([rng.normal([4, 3])]) { v in
            Variable.concatenate([v[0].slice(2..<4, alongAxis: 0), v[0].slice(0..<3, alongAxis: 0)], alongAxis: 0).squared()
        }
    }

    // MARK: Chains

    /// A variable used several times (gradient accumulation through `+=`) and a
    /// rank-0 result broadcast back against a matrix.
    @Test func reusedVariableAndScalarBroadcast() {
        var rng = Inputs(seed: 31)
        checkGradient([rng.normal([3, 4]), rng.normal([4])]) { v in
            let x = v[0], b = v[1]
            return x * (x + b).tanh() + x.exp().sum() - (x / (b.squared() + 1)).mean(alongAxis: 0)
        }
    }
}
