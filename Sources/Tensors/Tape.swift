import LinearAlgebra

/// A reverse-mode (and forward-mode) automatic-differentiation tape.
///
/// Every operation on a `Variable` appends a node holding its value and two rules:
/// a *pullback*, mapping the gradient of the output to the gradients of the inputs
/// (vector–Jacobian product), and a *pushforward*, mapping input tangents to the
/// output tangent (Jacobian–vector product). The forward pass runs once; after it,
///
/// - `gradients(of:seed:wrt:)` sweeps backwards (reverse mode, `vᵀJ`), and
/// - `tangents(of:seeds:)` sweeps forwards over the recorded values (forward mode, `Jv`).
///
/// Both can run any number of times on one recording, with different seeds. So the
/// Fisher–vector product `Jᵀ·M·J·v` of a policy needs one recorded forward pass and
/// then, per product, one pushforward and one pullback — no double backward.
///
/// A tape is used from one thread at a time. Record a new tape (or `reset()` one)
/// for every forward pass.
public final class Tape<Scalar: TensorScalar> {
    /// Maps the output's gradient to each input's gradient; `needs[i]` is false
    /// where input i needs none, and the rule may return nil there.
    public typealias Pullback = (_ gradient: Tensor<Scalar>, _ needs: [Bool]) -> [Tensor<Scalar>?]
    /// Maps the inputs' tangents (nil meaning zero; at least one is non-nil) to the output's.
    public typealias Pushforward = (_ tangents: [Tensor<Scalar>?]) -> Tensor<Scalar>

    struct Node {
        let value: Tensor<Scalar>
        let inputs: [Int]
        let requiresGradient: Bool
        let pullback: Pullback?
        let pushforward: Pushforward?
    }

    private(set) var nodes: [Node] = []

    public init() {}

    /// The number of recorded nodes.
    public var count: Int { nodes.count }

    /// Forgets every node, keeping the storage for the next recording.
    public func reset() { nodes.removeAll(keepingCapacity: true) }

    /// A differentiable leaf: parameters, or anything gradients are wanted for.
    public func variable(_ value: Tensor<Scalar>) -> Variable<Scalar> {
        append(Node(value: value, inputs: [], requiresGradient: true, pullback: nil, pushforward: nil))
    }

    /// A constant leaf: data that no gradient flows into.
    public func constant(_ value: Tensor<Scalar>) -> Variable<Scalar> {
        append(Node(value: value, inputs: [], requiresGradient: false, pullback: nil, pushforward: nil))
    }

    /// Records the result of an operation on `inputs` with its two differentiation rules.
    /// This is how new differentiable operations are defined.
    public func record(_ value: Tensor<Scalar>, inputs: [Variable<Scalar>],
                       pullback: @escaping Pullback, pushforward: @escaping Pushforward) -> Variable<Scalar> {
        for input in inputs {
            checkPrecondition(input.tape === self, "Tape: an operand belongs to another tape")
        }
        let indices = inputs.map { $0.index }
        let requires = indices.contains { nodes[$0].requiresGradient }
        return append(Node(value: value, inputs: indices, requiresGradient: requires,
                           pullback: pullback, pushforward: pushforward))
    }

    private func append(_ node: Node) -> Variable<Scalar> {
        nodes.append(node)
        return Variable(tape: self, index: nodes.count - 1)
    }

    func value(at index: Int) -> Tensor<Scalar> { nodes[index].value }

    /// Reverse mode: the gradients of `seed · output` with respect to each of `wrt`.
    ///
    /// `seed` defaults to ones, giving the gradient of a scalar output (or of the sum
    /// of a tensor output). A variable that `output` does not depend on gets zeros.
    public func gradients(of output: Variable<Scalar>, seed: Tensor<Scalar>? = nil,
                          wrt variables: [Variable<Scalar>]) -> [Tensor<Scalar>] {
        checkPrecondition(output.tape === self, "Tape.gradients: output belongs to another tape")
        let outValue = nodes[output.index].value
        let seed = seed ?? Tensor(repeating: 1, shape: outValue.shape)
        checkPrecondition(seed.shape == outValue.shape,
                     "Tape.gradients: seed shape \(seed.shape) does not match output shape \(outValue.shape)")
        let lowest = variables.map { $0.index }.min() ?? output.index
        let requested = Set(variables.map { $0.index })
        var grads = [Tensor<Scalar>?](repeating: nil, count: output.index + 1)
        grads[output.index] = seed
        var index = output.index
        while index > lowest {
            defer { index -= 1 }
            guard let g = grads[index] else { continue }
            let node = nodes[index]
            guard node.requiresGradient, let pullback = node.pullback else { continue }
            let needs = node.inputs.map { nodes[$0].requiresGradient && $0 >= lowest }
            let inputGrads = pullback(g, needs)
            for (k, input) in node.inputs.enumerated() where needs[k] {
                guard let ig = inputGrads[k] else { continue }
                if grads[input] == nil { grads[input] = ig } else { grads[input]! += ig }
            }
            if index != output.index && !requested.contains(index) { grads[index] = nil }  // free early
        }
        return variables.map { v in
            checkPrecondition(v.tape === self, "Tape.gradients: a variable belongs to another tape")
            return (v.index <= output.index ? grads[v.index] : nil) ?? Tensor.zeros(nodes[v.index].value.shape)
        }
    }

    /// Forward mode: the tangents of `outputs` given tangents `seeds` on some variables
    /// (all others held fixed), i.e. the Jacobian–vector products J·v.
    public func tangents(of outputs: [Variable<Scalar>],
                         seeds: [(variable: Variable<Scalar>, tangent: Tensor<Scalar>)]) -> [Tensor<Scalar>] {
        let highest = outputs.map { $0.index }.max() ?? 0
        var tangents = [Tensor<Scalar>?](repeating: nil, count: highest + 1)
        var lowest = highest + 1
        for (v, t) in seeds {
            checkPrecondition(v.tape === self, "Tape.tangents: a seed variable belongs to another tape")
            checkPrecondition(t.shape == nodes[v.index].value.shape,
                         "Tape.tangents: tangent shape \(t.shape) does not match variable shape \(nodes[v.index].value.shape)")
            if v.index <= highest { tangents[v.index] = t; lowest = Swift.min(lowest, v.index) }
        }
        if lowest <= highest {
            for index in (lowest + 1)..<(highest + 1) {
                let node = nodes[index]
                guard let pushforward = node.pushforward else { continue }
                let inputTangents = node.inputs.map { tangents[$0] }
                guard inputTangents.contains(where: { $0 != nil }) else { continue }
                tangents[index] = pushforward(inputTangents)
            }
        }
        return outputs.map { tangents[$0.index] ?? Tensor.zeros(nodes[$0.index].value.shape) }
    }
}

/// A value recorded on a `Tape`: a handle through which operations are differentiated.
public struct Variable<Scalar: TensorScalar> {
    /// The tape this value was recorded on.
    public let tape: Tape<Scalar>
    /// Its position on the tape.
    public let index: Int

    /// The recorded value.
    public var value: Tensor<Scalar> { tape.value(at: index) }
    /// The value's shape.
    public var shape: [Int] { tape.value(at: index).shape }
}
