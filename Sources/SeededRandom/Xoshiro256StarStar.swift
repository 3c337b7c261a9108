/// The one seeded pseudo-random generator of PulseBMS: xoshiro256** 1.0.
///
/// Blackman & Vigna, "Scrambled linear pseudorandom number generators",
/// ACM TOMS 47(4), 2021, doi:10.1145/3460772. Its 256-bit state is filled from the
/// 64-bit seed by SplitMix64, as the authors recommend, so every seed (0 included)
/// gives a well-mixed, non-zero state.
///
/// The same seed gives the same stream on every platform: pass a generator
/// explicitly to every function that draws, and derive independent streams with
/// `split()` or `jump()` instead of reseeding.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable {
    /// The four state words; never all zero.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose state is expanded from `seed` by SplitMix64.
    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        state = (sm.next(), sm.next(), sm.next(), sm.next())
    }

    /// A generator restored from a saved state (for checkpoints).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        self.state = state
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    @inlinable
    public mutating func next() -> UInt64 { advance() }

    @usableFromInline
    mutating func advance() -> UInt64 {
        let result = Self.rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = Self.rotl(state.3, 45)
        return result
    }

    /// Advances the state by 2^128 draws: non-overlapping sub-streams for parallel work.
    public mutating func jump() {
        let table: [UInt64] = [0x180e_c6d3_3cfd_0aba, 0xd5a6_1266_f0c9_392c,
                               0xa958_2618_e03f_c9aa, 0x39ab_dc45_29b1_661c]
        var s: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for word in table {
            for bit in 0..<64 {
                if word & (UInt64(1) << UInt64(bit)) != 0 {
                    s.0 ^= state.0; s.1 ^= state.1; s.2 ^= state.2; s.3 ^= state.3
                }
                _ = advance()
            }
        }
        state = s
    }

    /// A new generator on an independent stream; `self` moves past it.
    public mutating func split() -> Xoshiro256StarStar {
        let child = self
        jump()
        return child
    }

    public static func == (a: Self, b: Self) -> Bool { a.state == b.state }
    public func hash(into h: inout Hasher) {
        h.combine(state.0); h.combine(state.1); h.combine(state.2); h.combine(state.3)
    }
}

/// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014, doi:10.1145/2660193.2660195),
/// used only to expand seeds.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
