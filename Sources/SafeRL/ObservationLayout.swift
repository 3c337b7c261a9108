import Tensors

/// How a policy reads an environment's observation vector.
///
/// - `flat`: one network input of `observation` features and `action` outputs (FastCharge-v0, any Gym task).
/// - `perPack`: `[site | pack 1 | … | pack N]`, as the fleet environments give it (`info["layout"]` at reset:
///   site features, features per pack, packs). One network with shared weights maps each pack's row
///   `[site | pack i]` to that pack's action, so the same weights serve any N (a policy trained on 16 packs runs
///   on 64). Values are the mean of per-pack outputs, a permutation-invariant pooling (Zaheer et al., "Deep Sets",
///   NeurIPS 2017).
public enum ObservationLayout: Sendable, Equatable, Codable {
    case flat(observation: Int, action: Int)
    case perPack(site: Int, pack: Int)

    /// Network input width per row.
    public var rowWidth: Int {
        switch self {
        case let .flat(observation, _): observation
        case let .perPack(site, pack): site + pack
        }
    }

    /// Actions per row.
    public var actionsPerRow: Int {
        switch self {
        case let .flat(_, action): action
        case .perPack: 1
        }
    }

    /// Rows per observation of `length` entries (N packs, or 1).
    public func rows(observationLength length: Int) throws(TrainingError) -> Int {
        switch self {
        case let .flat(observation, _):
            guard length == observation else {
                throw .incompatible("the policy reads \(observation) observation entries, the environment gives \(length)")
            }
            return 1
        case let .perPack(site, pack):
            guard length > site, (length - site) % pack == 0 else {
                throw .incompatible("an observation of \(length) entries is not \(site) site features plus rows of \(pack)")
            }
            return (length - site) / pack
        }
    }

    /// Critic input width: the whole observation (flat), or the site features and the mean, minimum and maximum of
    /// each pack feature over the fleet (per pack) — a permutation-invariant summary of fixed size, so that a
    /// critic costs one row per observation whatever N is.
    public var criticWidth: Int {
        switch self {
        case let .flat(observation, _): observation
        case let .perPack(site, pack): site + 3 * pack
        }
    }

    /// The critic input `[B, criticWidth]` of B observations.
    public func criticInput(_ observations: [[Double]]) -> Tensor<Float> {
        switch self {
        case .flat:
            return input(observations)
        case let .perPack(site, pack):
            let width = criticWidth
            return Tensor(shape: [observations.count, width]) { out in
                for (b, o) in observations.enumerated() {
                    let base = b * width, packs = (o.count - site) / pack
                    for j in 0..<site { out[base + j] = Float(o[j]) }
                    for j in 0..<pack {
                        var sum = 0.0, low = Double.infinity, high = -Double.infinity
                        for i in 0..<packs {
                            let x = o[site + i * pack + j]
                            sum += x; low = min(low, x); high = max(high, x)
                        }
                        out[base + site + j] = Float(sum / Double(max(packs, 1)))
                        out[base + site + pack + j] = Float(low)
                        out[base + site + 2 * pack + j] = Float(high)
                    }
                }
            }
        }
    }

    /// The network input `[B·rows, rowWidth]` of B observations.
    public func input(_ observations: [[Double]]) -> Tensor<Float> {
        rowsInput(count: observations.count, length: observations.first?.count ?? 0) { Float(observations[$0][$1]) }
    }

    /// The network input `[B·rows, rowWidth]` of B observations given as a `[B, length]` tensor.
    public func input(_ observations: Tensor<Float>) -> Tensor<Float> {
        observations.withUnsafeScalars { o in
            let length = observations.shape[1]
            return rowsInput(count: observations.shape[0], length: length) { o[$0 * length + $1] }
        }
    }

    /// Rows of B observations of `length` entries whose entry j of observation b is `entry(b, j)`.
    private func rowsInput(count: Int, length: Int, _ entry: (Int, Int) -> Float) -> Tensor<Float> {
        let width = rowWidth
        switch self {
        case .flat:
            return Tensor(shape: [count, width]) { out in
                for b in 0..<count { for j in 0..<width { out[b * width + j] = entry(b, j) } }
            }
        case let .perPack(site, pack):
            let packs = count == 0 ? 0 : (length - site) / pack
            return Tensor(shape: [count * packs, width]) { out in
                var r = 0
                for b in 0..<count {
                    for i in 0..<packs {
                        let base = r * width
                        for j in 0..<site { out[base + j] = entry(b, j) }
                        let start = site + i * pack
                        for j in 0..<pack { out[base + site + j] = entry(b, start + j) }
                        r += 1
                    }
                }
            }
        }
    }
}
