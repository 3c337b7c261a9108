import NeuralNetworks
import Tensors

/// A `.pbp` policy in memory: what `PolicyFile.encode` writes and `PolicyFile.decode` reads back.
/// The byte layout is specified in `docs/policy-format.md`; the C runtime (`EdgeRuntime`,
/// `pe_policy_load`) reads the same bytes.
public struct PolicyFile: Sendable, Equatable {
    /// "PBPF", the first four bytes.
    public static let magic: [UInt8] = Array("PBPF".utf8)
    /// The format version this code writes and reads.
    public static let version: UInt16 = 1
    public static let headerLength = 32
    public static let sectionEntryLength = 16
    /// Limits shared with the C runtime (`PE_MAX_LAYERS`, `PE_MAX_WIDTH`, `PE_MAX_SECTIONS`).
    public static let maxLayers = 16, maxWidth = 4096, maxSections = 64

    /// Descriptive JSON (environment, names and units, training run); the runtime skips it.
    public var metadata: PolicyMetadata
    /// normalised = clip((obs − mean)·scale, ±clip) per input; clip 0 disables clipping.
    public var normalisation: ObservationNormalisation
    /// The dense layers, input first; all of one precision.
    public var layers: [PolicyLayer]
    /// Which network outputs are actions and how they are squashed and scaled.
    public var action: ActionHead
    /// The pack's safety limits, when the file carries them.
    public var safetyLimits: SafetyLimits?
    /// Sections of types this code does not know (kept as read, written back after the known ones).
    public var otherSections: [RawSection]

    public init(metadata: PolicyMetadata, normalisation: ObservationNormalisation, layers: [PolicyLayer],
                action: ActionHead, safetyLimits: SafetyLimits? = nil, otherSections: [RawSection] = []) {
        self.metadata = metadata
        self.normalisation = normalisation
        self.layers = layers
        self.action = action
        self.safetyLimits = safetyLimits
        self.otherSections = otherSections
    }

    /// The precision of the layers (of the first; `validate` checks they agree).
    public var precision: Precision { layers.first?.precision ?? .f32 }
    /// The observation width.
    public var inputCount: Int { normalisation.mean.count }
    /// The widest tensor (input or any layer output).
    public var maxWidth: Int { layers.reduce(inputCount) { max($0, $1.outputs) } }
    /// The arena the C runtime needs: two buffers of the widest tensor, 4-byte words (f32) or bytes
    /// (int8), rounded up to 4 bytes — the header's arena field.
    public var arenaBytes: Int { (2 * maxWidth * (precision == .f32 ? 4 : 1) + 3) / 4 * 4 }
}

/// f32 or int8 weights and activations.
public enum Precision: UInt32, Sendable, Codable {
    case f32 = 0, int8 = 1
}

/// The activations the runtime implements (`pe_activation_t`).
public enum PolicyActivation: UInt32, Sendable {
    case identity = 0, tanh = 1, relu = 2

    /// The runtime's counterpart of a NeuralNetworks activation, if there is one.
    public init?(_ activation: Activation) {
        switch activation {
        case .identity: self = .identity
        case .tanh: self = .tanh
        case .relu: self = .relu
        case .elu, .softplus: return nil
        }
    }
}

/// Per-input affine normalisation applied before the first layer.
public struct ObservationNormalisation: Sendable, Equatable {
    public var mean: [Float]
    /// 1/std (or any scale) per input.
    public var scale: [Float]
    /// Bound on |normalised input|; 0 for none.
    public var clip: Float

    public init(mean: [Float], scale: [Float], clip: Float = 0) {
        self.mean = mean
        self.scale = scale
        self.clip = clip
    }

    /// The identity: mean 0, scale 1, no clipping.
    public static func identity(inputs: Int) -> ObservationNormalisation {
        ObservationNormalisation(mean: [Float](repeating: 0, count: inputs), scale: [Float](repeating: 1, count: inputs))
    }

    /// One normalised input.
    @inlinable
    public func apply(_ x: Float, at i: Int) -> Float {
        let v = (x - mean[i]) * scale[i]
        return clip > 0 ? min(clip, max(-clip, v)) : v
    }
}

/// Actions: the first `count` outputs of the last layer, squashed into [−1, 1] and mapped linearly onto
/// [low, high]: `a = low + (s + 1)/2·(high − low)` with `s = clamp(squash(y), −1, 1)`, clamped once more to
/// [low, high] against rounding.
public struct ActionHead: Sendable, Equatable {
    public enum Squash: UInt32, Sendable { case tanh = 1, clip = 2 }
    public var squash: Squash
    public var low: [Float]
    public var high: [Float]
    public var count: Int { low.count }

    public init(squash: Squash, low: [Float], high: [Float]) {
        self.squash = squash
        self.low = low
        self.high = high
    }

    /// The action of one raw network output `y` for action `i`.
    @inlinable
    public func apply(_ y: Float, at i: Int) -> Float {
        let s = min(1, max(-1, squash == .tanh ? Float.tanh(y) : y))
        return min(high[i], max(low[i], low[i] + (s + 1) * 0.5 * (high[i] - low[i])))
    }
}

/// A section kept as bytes (an unknown type, preserved on rewrite).
public struct RawSection: Sendable, Equatable {
    public var type: UInt16
    public var required: Bool
    public var bytes: [UInt8]

    public init(type: UInt16, required: Bool, bytes: [UInt8]) {
        self.type = type
        self.required = required
        self.bytes = bytes
    }
}
