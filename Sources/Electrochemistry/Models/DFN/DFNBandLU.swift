/// The banded LU factorisation with partial pivoting of the DFN's reduced (Schur complement) system, in place.
///
/// The algorithm and storage are LAPACK's unblocked `dgbtf2`/`dgbtrs` (Anderson et al., LAPACK Users' Guide, 3rd ed.,
/// SIAM 1999, §5.3.2): column-major band with `lower` extra rows for the fill of row interchanges,
/// A[i, j] at `band[(lower + upper + i − j) + j·ldab]`, `ldab = 2·lower + upper + 1`. Written out here because the
/// reduced system is small (≈ 160 unknowns, 4/4 band): the per-column BLAS calls and LAPACKE's NaN scan of the
/// library path cost more than the arithmetic.
final class DFNBandLU {
    let n: Int, lower: Int, upper: Int, ldab: Int
    let band: UnsafeMutablePointer<Double>
    let pivots: UnsafeMutablePointer<Int>
    /// 1/U[j, j], so that the back substitution multiplies.
    let inverseDiagonal: UnsafeMutablePointer<Double>

    init(n: Int, lower: Int, upper: Int) {
        self.n = n; self.lower = lower; self.upper = upper
        ldab = 2 * lower + upper + 1
        band = .allocate(capacity: max(ldab * n, 1))
        band.initialize(repeating: 0, count: max(ldab * n, 1))
        pivots = .allocate(capacity: max(n, 1))
        pivots.initialize(repeating: 0, count: max(n, 1))
        inverseDiagonal = .allocate(capacity: max(n, 1))
        inverseDiagonal.initialize(repeating: 0, count: max(n, 1))
    }

    deinit {
        band.deallocate()
        pivots.deallocate()
        inverseDiagonal.deallocate()
    }

    /// Whether (i, j) is inside the band and the matrix.
    @inline(__always)
    func contains(_ i: Int, _ j: Int) -> Bool {
        i >= 0 && j >= 0 && i < n && j < n && i - j <= lower && j - i <= upper
    }

    /// The storage offset of A[i, j] (inside the band).
    @inline(__always)
    func offset(_ i: Int, _ j: Int) -> Int { (lower + upper + i - j) + j * ldab }

    func zero() { band.update(repeating: 0, count: ldab * n) }

    /// Factors in place, A = P·L·U; returns false when a pivot is zero or a value is not finite.
    func factor() -> Bool {
        let kv = upper + lower, ld = ldab
        var ju = 0, finite = true
        for j in 0..<n {
            let column = band + j * ld
            if j + kv < n {
                let fill = band + (j + kv) * ld
                for i in 0..<lower { fill[i] = 0 }
            }
            let km = min(lower, n - 1 - j)
            var jp = 0, largest = abs(column[kv])
            if km > 0 {
                for i in 1...km where abs(column[kv + i]) > largest { largest = abs(column[kv + i]); jp = i }
            }
            pivots[j] = j + jp
            guard largest != 0, largest.isFinite else { finite = false; break }
            ju = max(ju, min(j + upper + jp, n - 1))
            if jp != 0 {
                for c in j...ju {
                    let a = (kv + jp - (c - j)) + c * ld, b = (kv - (c - j)) + c * ld
                    let t = band[a]; band[a] = band[b]; band[b] = t
                }
            }
            inverseDiagonal[j] = 1 / column[kv]
            if km > 0 {
                let inverse = inverseDiagonal[j]
                for i in 1...km { column[kv + i] *= inverse }
                if ju > j {
                    for c in (j + 1)...ju {
                        let target = band + (kv - (c - j)) + c * ld
                        let y = target[0]
                        if y != 0 { for i in 1...km { target[i] -= column[kv + i] * y } }
                    }
                }
            }
        }
        return finite
    }

    /// Solves A·x = b in place with the factors (b holds n values).
    func solve(_ b: UnsafeMutablePointer<Double>) {
        let kv = upper + lower, ld = ldab
        if lower > 0 && n > 1 {
            for j in 0..<(n - 1) {
                let lm = min(lower, n - 1 - j), l = pivots[j]
                if l != j { let t = b[l]; b[l] = b[j]; b[j] = t }
                let bj = b[j]
                if bj != 0 {
                    let column = band + j * ld + kv
                    for i in 1...lm { b[j + i] -= column[i] * bj }
                }
            }
        }
        var j = n - 1
        while j >= 0 {
            if b[j] != 0 {
                let column = band + j * ld
                let t = b[j] * inverseDiagonal[j]
                b[j] = t
                let first = max(0, j - kv)
                if first < j { for i in first..<j { b[i] -= t * column[kv + i - j] } }
            }
            j -= 1
        }
    }
}
