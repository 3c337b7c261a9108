import Testing
@testable import Tensors
import SeededRandom

@Suite struct BroadcastingTests {
    @Test func broadcastShapes() {
        let cases: [([Int], [Int], [Int])] = [
            ([2, 3], [2, 3], [2, 3]),
            ([2, 3], [], [2, 3]),
            ([], [4], [4]),
            ([], [], []),
            ([3], [2, 3], [2, 3]),
            ([1, 3], [2, 1], [2, 3]),
            ([3, 1], [1, 4], [3, 4]),
            ([2, 1, 3], [4, 1], [2, 4, 3]),
            ([5, 1, 1], [3, 1], [5, 3, 1]),
            ([1, 1], [7], [1, 7]),
            ([0, 3], [1, 3], [0, 3]),
            ([1], [0], [0]),
        ]
        for (a, b, expected) in cases {
            #expect(DTensor.broadcastShape(a, b) == expected, "\(a) with \(b)")
            #expect(DTensor.broadcastShape(b, a) == expected, "\(b) with \(a)")
        }
    }

    /// Every fast path and the general path of `Tensor.elementwise` against an
    /// explicit multi-index reference, in both operand orders.
    @Test(arguments: broadcastPairs + [ShapePair([4, 4], [4, 1]), ShapePair([2, 2, 2], [2, 1, 1]),
                                       ShapePair([5], [1]), ShapePair([2, 3], [1, 1])])
    func elementwiseMatchesReference(_ pair: ShapePair) {
        var rng = Inputs(seed: 50)
        let a = rng.normal(pair.a), b = rng.awayFromZero(pair.b)
        for op in BinaryOp.allCases {
            #expect(op.apply(a, b) == referenceElementwise(a, b, op.apply), "\(op) \(pair.a) with \(pair.b)")
            #expect(op.apply(b, a) == referenceElementwise(b, a, op.apply), "\(op) \(pair.b) with \(pair.a)")
        }
        let fa = Tensor<Float>(shape: a.shape, scalars: a.scalars.map(Float.init))
        let fb = Tensor<Float>(shape: b.shape, scalars: b.scalars.map(Float.init))
        #expect(fa * fb == referenceElementwise(fa, fb, *), "Float mul \(pair.a) with \(pair.b)")
    }

    static let reducePairs: [ShapePair] = [  // (small, big): small broadcasts to big
        ShapePair([3, 4], [3, 4]), ShapePair([], [3, 4]), ShapePair([4], [3, 4]), ShapePair([1, 4], [3, 4]),
        ShapePair([3, 1], [3, 4]), ShapePair([3, 1], [3, 3]), ShapePair([4, 1], [2, 4, 3]),
        ShapePair([2, 1, 3], [2, 4, 3]), ShapePair([1, 1], [2, 5]), ShapePair([6], [2, 3, 6]),
        ShapePair([2, 3, 1], [2, 3, 6]), ShapePair([1, 3, 1], [2, 3, 4]),
    ]

    @Test(arguments: reducePairs)
    func broadcastedMatchesReference(_ pair: ShapePair) {
        var rng = Inputs(seed: 51)
        let x = rng.normal(pair.a)
        let expected = referenceElementwise(x, DTensor.zeros(pair.b)) { a, _ in a }
        #expect(x.broadcasted(to: pair.b) == expected)
    }

    /// `reduced(toShape:)` is the adjoint of `broadcasted(to:)`: ⟨B x, y⟩ = ⟨x, Bᵀ y⟩,
    /// and it equals the explicit sum over the stretched positions.
    @Test(arguments: reducePairs)
    func reducedIsAdjointOfBroadcasted(_ pair: ShapePair) {
        var rng = Inputs(seed: 52)
        let x = rng.normal(pair.a), y = rng.normal(pair.b)
        let reduced = y.reduced(toShape: pair.a)
        #expect(reduced.shape == pair.a)
        let lhs = inner(x.broadcasted(to: pair.b), y), rhs = inner(x, reduced)
        #expect(abs(lhs - rhs) <= 1e-12 * (1 + abs(lhs)), "⟨Bx, y⟩ = \(lhs), ⟨x, Bᵀy⟩ = \(rhs)")
        // Reference: add every element of y into the element of x it was read from.
        var expected = [Double](repeating: 0, count: x.count)
        let offset = pair.b.count - pair.a.count
        for k in 0..<y.count {
            let index = multiIndex(k, pair.b)
            var flat = 0
            for axis in 0..<pair.a.count { flat = flat * pair.a[axis] + (pair.a[axis] == 1 ? 0 : index[axis + offset]) }
            expected[flat] += y.scalars[k]
        }
        #expect(reduced.maxAbsoluteDifference(DTensor(shape: pair.a, scalars: expected)) <= 1e-12)
    }
}

@Suite struct MatmulTests {
    static let a: [[Double]] = [[1, 2, 3], [4, 5, 6]]  // 2×3

    func check<S: TensorScalar>(_: S.Type) {
        func t(_ rows: [[Double]]) -> Tensor<S> { Tensor<S>(rows.map { $0.map { S($0) } }) }
        let a = t(Self.a)
        // A·B
        #expect(Tensor.matmul(a, t([[7, 8], [9, 10], [11, 12]])) == t([[58, 64], [139, 154]]))
        #expect(a.matmul(t([[7, 8], [9, 10], [11, 12]])) == t([[58, 64], [139, 154]]))
        // Aᵀ·C
        #expect(Tensor.matmul(a, transposed: true, t([[1, 2], [3, 4]])) == t([[13, 18], [17, 24], [21, 30]]))
        // A·Dᵀ
        #expect(Tensor.matmul(a, transposed: false, t([[1, 0, 2], [0, 1, -1]]), transposed: true) == t([[7, -1], [16, -1]]))
        // Aᵀ·Eᵀ
        #expect(Tensor.matmul(a, transposed: true, t([[1, 2], [3, 4]]), transposed: true)
                == t([[9, 19], [12, 26], [15, 33]]))
        // Row times column, column times row.
        #expect(Tensor.matmul(t([[1, 2, 3]]), t([[4], [5], [6]])) == t([[32]]))
        #expect(Tensor.matmul(t([[1], [2]]), t([[3, 4, 5]])) == t([[3, 4, 5], [6, 8, 10]]))
        // Empty inner dimension gives zeros.
        #expect(Tensor.matmul(Tensor<S>.zeros([2, 0]), Tensor<S>.zeros([0, 3])) == Tensor<S>.zeros([2, 3]))
        #expect(a.transposed() == t([[1, 4], [2, 5], [3, 6]]))
    }

    @Test func handComputedFloat() { check(Float.self) }
    @Test func handComputedDouble() { check(Double.self) }

    /// Transposed flags agree with explicit transposes on random non-square matrices.
    @Test func transposeFlagsMatchExplicitTransposes() {
        var g = Xoshiro256StarStar(seed: 53)
        let a = DTensor.randomNormal([5, 3], using: &g), b = DTensor.randomNormal([5, 4], using: &g)
        let c = DTensor.randomNormal([4, 3], using: &g)
        let naive = { (x: DTensor, y: DTensor) -> DTensor in
            let (m, k, n) = (x.shape[0], x.shape[1], y.shape[1])
            return DTensor(shape: [m, n], scalars: (0..<(m * n)).map { idx in
                (0..<k).reduce(0.0) { $0 + x.scalars[(idx / n) * k + $1] * y.scalars[$1 * n + idx % n] }
            })
        }
        #expect(Tensor.matmul(a, transposed: true, b).maxAbsoluteDifference(naive(a.transposed(), b)) < 1e-12)
        #expect(Tensor.matmul(a, transposed: false, c, transposed: true).maxAbsoluteDifference(naive(a, c.transposed())) < 1e-12)
        #expect(Tensor.matmul(c, transposed: true, b, transposed: true)
                .maxAbsoluteDifference(naive(c.transposed(), b.transposed())) < 1e-12)
    }
}

@Suite struct ReductionAndShapeTests {
    /// x[i, j, k] = 100i + 10j + k over shape [2, 3, 4].
    static let x = DTensor(shape: [2, 3, 4], scalars: (0..<24).map(Self.value))

    static func value(_ flat: Int) -> Double {
        let (i, j, k) = (flat / 12, flat / 4 % 3, flat % 4)
        return Double(100 * i + 10 * j + k)
    }

    @Test func sumAndMeanAlongAxes() {
        let x = Self.x
        let total: Double = (0..<24).map(Self.value).reduce(0, +)
        #expect(total == 1476)  // 100·12 + 10·(0+1+2)·8 + (0+1+2+3)·6
        #expect(x.sum() == DTensor(total))
        #expect(x.sum().shape == [])
        #expect(x.mean().scalar == x.sum().scalar / 24)

        // Axis 0: 100·(0+1) + 2·(10j + k).
        let s0 = x.sum(alongAxis: 0)
        #expect(s0.shape == [3, 4])
        #expect(s0[1, 2] == 100 + 2 * 12)
        // Axis 1: 3·100i + 10·(0+1+2) + 3k.
        let s1 = x.sum(alongAxis: 1, keepingDimension: true)
        #expect(s1.shape == [2, 1, 4])
        #expect(s1[1, 0, 3] == 300 + 30 + 9)
        // Axis -1 = 2: 4·(100i + 10j) + 6.
        let s2 = x.sum(alongAxis: -1)
        #expect(s2.shape == [2, 3])
        #expect(s2[1, 2] == 4 * 120 + 6)
        #expect(x.sum(alongAxis: 2, keepingDimension: true) == s2.reshaped([2, 3, 1]))
        #expect(x.sum(alongAxis: -3) == s0)

        #expect(x.mean(alongAxis: 1) == x.sum(alongAxis: 1) * (1.0 / 3))
        #expect(x.mean(alongAxis: -1, keepingDimension: true).shape == [2, 3, 1])
        #expect(x.mean(alongAxis: -1, keepingDimension: true)[0, 1, 0] == 11.5)

        let m = DTensor([[1, 2], [3, 4], [5, 6]])
        #expect(m.sum(alongAxis: 0) == DTensor([9, 12]))
        #expect(m.sum(alongAxis: 1) == DTensor([3, 7, 11]))
        #expect(m.mean(alongAxis: 0) == DTensor([3, 4]))
        #expect(m.mean(alongAxis: 1, keepingDimension: true) == DTensor([[1.5], [3.5], [5.5]]))
        #expect(m.max() == 6 && m.min() == 1)
        #expect(m.dot(m) == 91)
        #expect(abs(m.norm() - 91.0.squareRoot()) < 1e-12)
    }

    @Test func concatenateSliceRoundTrip() {
        var rng = Inputs(seed: 54)
        for axis in [0, 1, 2, -1, -2] {
            let a = (axis + 3) % 3
            var parts: [DTensor] = []
            for extent in [1, 3, 2] {
                var shape = [2, 3, 4]
                shape[a] = extent
                parts.append(rng.normal(shape))
            }
            let joined = DTensor.concatenate(parts, alongAxis: axis)
            var expectedShape = [2, 3, 4]
            expectedShape[a] = 6
            #expect(joined.shape == expectedShape)
            #expect(DTensor.concatenate(parts, alongAxis: axis) == DTensor.concatenate(parts, alongAxis: a))
            var start = 0
            for p in parts {
                let range = start..<(start + p.shape[a])
                #expect(joined.slice(range, alongAxis: axis) == p, "axis \(axis), range \(range)")
                // padded is the adjoint of slice.
                let y = rng.normal(p.shape)
                let padded = y.padded(into: joined.shape, at: range, alongAxis: axis)
                #expect(abs(inner(joined.slice(range, alongAxis: axis), y) - inner(joined, padded)) < 1e-12)
                #expect(abs(padded.sum().scalar - y.sum().scalar) < 1e-12)
                start = range.upperBound
            }
            // Element check against explicit indexing.
            for k in 0..<joined.count {
                var index = multiIndex(k, joined.shape)
                var which = 0
                while index[a] >= parts[which].shape[a] { index[a] -= parts[which].shape[a]; which += 1 }
                #expect(joined.scalars[k] == parts[which].scalars[parts[which].flatIndex(index)])
            }
        }
        // Known small case.
        let p = DTensor([[1, 2], [3, 4]]), q = DTensor([[5], [6]])
        #expect(DTensor.concatenate([p, q], alongAxis: 1) == DTensor([[1, 2, 5], [3, 4, 6]]))
        #expect(DTensor.concatenate([p, p], alongAxis: 0) == DTensor([[1, 2], [3, 4], [1, 2], [3, 4]]))
        #expect(DTensor([[1, 2, 5], [3, 4, 6]]).slice(1..<3, alongAxis: 1) == DTensor([[2, 5], [4, 6]]))
        #expect(p.slice(1..<1, alongAxis: 0).shape == [0, 2])
    }

    @Test func reshapeWithInferredExtent() {
        let x = Self.x
        #expect(x.reshaped([-1, 4]).shape == [6, 4])
        #expect(x.reshaped([4, -1]).shape == [4, 6])
        #expect(x.reshaped([-1]).shape == [24])
        #expect(x.reshaped([2, -1, 3]).shape == [2, 4, 3])
        #expect(x.reshaped([-1, 4]).scalars == x.scalars)
        #expect(x.reshaped([24, 1]).reshaped([2, 3, 4]) == x)
        #expect(DTensor(3).reshaped([1, 1]).shape == [1, 1])
        #expect(DTensor([3]).reshaped([]).shape == [])
    }

    @Test func initialisersAndIndexing() {
        var t = DTensor([[1, 2, 3], [4, 5, 6]])
        #expect(t.shape == [2, 3] && t.rank == 2 && t.count == 6)
        #expect(t[1, 2] == 6 && t[0, 1] == 2)
        t[1, 0] = 9
        #expect(t.scalars == [1, 2, 3, 9, 5, 6])
        #expect(DTensor(2.5).shape == [] && DTensor(2.5).scalar == 2.5)
        #expect(DTensor.ones([2, 2]).scalars == [1, 1, 1, 1])
        #expect(DTensor(shape: [3]) { for i in 0..<3 { $0[i] = Double(i) } } == DTensor([0, 1, 2]))
        var s = DTensor([1, 2, 3])
        s += DTensor([1, 1, 1])
        s += DTensor(10)
        #expect(s == DTensor([12, 13, 14]))
        s.addScaled(DTensor([1, 2, 3]), alpha: -2)
        #expect(s == DTensor([10, 9, 8]))
    }
}

@Suite struct FloatDoubleAgreementTests {
    /// The same operations in Float and Double agree to single precision.
    @Test func elementwiseAndReductionsAgree() {
        var g = Xoshiro256StarStar(seed: 55)
        let d = DTensor.randomNormal([7, 9], using: &g) * 2
        let dPositive = DTensor.randomUniform([7, 9], low: 0.1, high: 5, using: &g)
        let row = DTensor.randomNormal([9], using: &g)
        let w = DTensor.randomNormal([9, 5], using: &g)
        func f(_ t: DTensor) -> Tensor<Float> { Tensor<Float>(shape: t.shape, scalars: t.scalars.map(Float.init)) }
        func agree(_ what: String, _ a: Tensor<Float>, _ b: DTensor, tolerance: Double = 2e-6) {
            let worst = zip(a.scalars, b.scalars).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(a.shape == b.shape && worst <= tolerance, "\(what): worst relative difference \(worst)")
        }
        let (x, p, r, m) = (f(d), f(dPositive), f(row), f(w))
        agree("exp", x.exp(), d.exp())
        agree("tanh", x.tanh(), d.tanh())
        agree("log", p.log(), dPositive.log())
        agree("squareRoot", p.squareRoot(), dPositive.squareRoot())
        agree("softplus", x.softplus(), d.softplus())
        agree("elu", x.elu(), d.elu())
        agree("relu", x.relu(), d.relu())
        agree("squared", x.squared(), d.squared())
        agree("clamped", x.clamped(min: -1, max: 1), d.clamped(min: -1, max: 1))
        agree("add row", x + r, d + row)
        agree("mul, sub, div", x * r - x / p, d * row - d / dPositive)
        agree("maximum", Tensor.maximum(x, r), Tensor.maximum(d, row))
        agree("matmul", x.matmul(m), d.matmul(w), tolerance: 1e-5)
        agree("sum axis 0", x.sum(alongAxis: 0), d.sum(alongAxis: 0), tolerance: 1e-5)
        agree("mean axis 1", x.mean(alongAxis: 1), d.mean(alongAxis: 1), tolerance: 1e-5)
        agree("sum", x.sum(), d.sum(), tolerance: 1e-5)
    }
}

@Suite struct DeterminismTests {
    @Test func randomNormalIsReproducible() {
        var a = Xoshiro256StarStar(seed: 2024), b = Xoshiro256StarStar(seed: 2024), c = Xoshiro256StarStar(seed: 2025)
        let ta = DTensor.randomNormal([4, 5], using: &a)
        #expect(ta == DTensor.randomNormal([4, 5], using: &b))
        #expect(ta != DTensor.randomNormal([4, 5], using: &c))
        // The next draws continue the same stream.
        #expect(DTensor.randomNormal([3], using: &a) == DTensor.randomNormal([3], using: &b))

        var fa = Xoshiro256StarStar(seed: 7), fb = Xoshiro256StarStar(seed: 7)
        let f1 = Tensor<Float>.randomNormal([8], mean: 1, standardDeviation: 0.1, using: &fa)
        #expect(f1 == Tensor<Float>.randomNormal([8], mean: 1, standardDeviation: 0.1, using: &fb))
        #expect(f1.scalars.allSatisfy { abs($0 - 1) < 1 })

        var ua = Xoshiro256StarStar(seed: 9), ub = Xoshiro256StarStar(seed: 9)
        let u = DTensor.randomUniform([100], low: -2, high: 3, using: &ua)
        #expect(u == DTensor.randomUniform([100], low: -2, high: 3, using: &ub))
        #expect(u.scalars.allSatisfy { $0 >= -2 && $0 < 3 })
    }

    @Test func randomNormalHasRoughlyUnitMoments() {
        var g = Xoshiro256StarStar(seed: 3)
        let t = DTensor.randomNormal([20_000], mean: 2, standardDeviation: 0.5, using: &g)
        let mean = t.mean().scalar
        let variance = (t - mean).squared().mean().scalar
        #expect(abs(mean - 2) < 0.02)
        #expect(abs(variance - 0.25) < 0.02)
    }
}
