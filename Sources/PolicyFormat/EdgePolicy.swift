import EdgeRuntime

/// The C runtime (`EdgeRuntime`) from Swift: a `.pbp` file loaded by `pe_policy_load` into an arena it owns,
/// run by `pe_policy_infer`. What a device runs, so tests and benchmarks compare against exactly this.
///
/// Not thread-safe: inference writes the arena.
public final class EdgePolicy {
    /// The file bytes, 16-byte aligned (the runtime reads weights in place and needs 4).
    private let storage: UnsafeMutableRawBufferPointer
    private let arena: UnsafeMutableRawBufferPointer
    private let policy: UnsafeMutablePointer<pe_policy_t>

    /// Loads `bytes`; throws `.runtime` with the runtime's status and message when it refuses them.
    public init(bytes: [UInt8]) throws(PolicyFormatError) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { storage.copyMemory(from: $0) }
        self.storage = storage
        var arenaBytes = 0
        let sizing = pe_policy_arena_size(storage.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.count, &arenaBytes)
        // A header too short or foreign to size from still goes to pe_policy_load, for its precise status.
        arena = .allocate(byteCount: max(sizing == PE_OK ? min(arenaBytes, 1 << 20) : 4, 4), alignment: 16)
        policy = .allocate(capacity: 1)
        let status = pe_policy_load(storage.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.count,
                                    arena.baseAddress!.assumingMemoryBound(to: UInt8.self), arena.count, policy)
        // Every stored property is set, so a throw here still runs deinit, which frees them.
        guard status == PE_OK else {
            throw .runtime(status: Int(status.rawValue), message: String(cString: pe_status_string(status)))
        }
    }

    deinit {
        storage.deallocate()
        arena.deallocate()
        policy.deallocate()
    }

    public var inputCount: Int { Int(policy.pointee.input_count) }
    public var actionCount: Int { Int(policy.pointee.action_count) }
    public var layerCount: Int { Int(policy.pointee.layer_count) }
    public var precision: Precision { policy.pointee.precision == PE_PRECISION_INT8 ? .int8 : .f32 }
    public var arenaBytes: Int { policy.pointee.arena_bytes }
    public var crc32: UInt32 { policy.pointee.crc32 }
    /// Whether the file carried a SAFETY_LIMITS section.
    public var hasSafetyLimits: Bool { policy.pointee.has_limits != 0 }
    /// The loaded C struct, for passing to other runtime functions.
    public var limits: pe_safety_limits_t { policy.pointee.limits }

    /// The actions for one observation of `inputCount` values.
    public func infer(_ observation: [Float]) throws(PolicyFormatError) -> [Float] {
        guard observation.count == inputCount else {
            throw .badDimension("an observation of \(observation.count) values for a policy of \(inputCount) inputs")
        }
        var actions = [Float](repeating: 0, count: actionCount)
        let status = observation.withUnsafeBufferPointer { o in
            actions.withUnsafeMutableBufferPointer { a in pe_policy_infer(policy, o.baseAddress!, a.baseAddress!) }
        }
        guard status == PE_OK else {
            throw .runtime(status: Int(status.rawValue), message: String(cString: pe_status_string(status)))
        }
        return actions
    }

    /// The raw call, for benchmarks: `observation` holds `inputCount` values, `actions` room for `actionCount`.
    @inline(__always)
    public func infer(_ observation: UnsafePointer<Float>, into actions: UnsafeMutablePointer<Float>) -> pe_status_t {
        pe_policy_infer(policy, observation, actions)
    }
}
