/// Draws from the distributions PulseBMS needs, for any generator.
///
/// The conversions are fixed (53 or 24 high bits for uniforms, Marsaglia's polar
/// method for normals) so that streams are reproducible across platforms.
extension RandomNumberGenerator {
    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [0, 1) with 24 random bits.
    @inlinable
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// Uniform in [low, high).
    @inlinable
    public mutating func nextUniform(in low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUnitDouble()
    }

    /// A standard normal draw (mean 0, variance 1), by Marsaglia's polar method
    /// (Marsaglia & Bray, SIAM Review 6(3), 1964, doi:10.1137/1006063).
    /// One of the pair is discarded so that each call consumes a whole number of draws
    /// and no hidden state is carried.
    @inlinable
    public mutating func nextStandardNormal() -> Double {
        while true {
            let u = 2 * nextUnitDouble() - 1
            let v = 2 * nextUnitDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                return u * (-2 * _log(s) / s).squareRoot()
            }
        }
    }

    /// A normal draw with the given mean and standard deviation.
    @inlinable
    public mutating func nextNormal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        mean + standardDeviation * nextStandardNormal()
    }
}

@usableFromInline
func _log(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.log(x)
    #elseif canImport(Musl)
    return Musl.log(x)
    #else
    return Darwin.log(x)
    #endif
}
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
