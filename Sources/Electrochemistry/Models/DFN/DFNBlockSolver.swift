import LinearAlgebra

/// The linear solver of the DFN's Newton iterations by block elimination (docs/electrochemistry-spec.md §8.3).
///
/// Each electrode node's particle block A (tridiagonal, a0·I − ∂f_c/∂c) couples to the node's potentials and c_e only
/// through its last row (the surface flux j) and through the surface value in the node's charge rows. Eliminating
/// the particles leaves a Schur complement S = J_xx − J_xc A⁻¹ J_cx on c_e, φ_e, φ_s, I, Q, T with a narrow band,
/// factored by LAPACK gbtrf; A is factored by the Thomas algorithm. Entries come from the cached band of partials;
/// the reduced band is the sparsity probed once at construction (entries outside it are structurally zero).
final class DFNBlockSolver {
    let n: Int, lower: Int, upper: Int, width: Int
    /// Reduced index of each unknown, −1 for particle concentrations.
    let reducedIndex: [Int]
    /// First unknown and size of each electrode node's particle block.
    let blocks: [(base: Int, size: Int)]
    var reduced: BandedMatrix<Double>
    // Per block: Thomas factors (sub-diagonal, inverse pivots, modified super-diagonal) and v = A⁻¹ e_last.
    let sub, pivot, sup, lastColumn, rhs, scratch: UnsafeMutablePointer<Double>
    /// Per block, the structural couplings probed at construction: J_xc entries (non-particle row, particle
    /// column) in `couplingStart[b]..<couplingStart[b+1]`, and J_cx entries of the last particle row.
    let rhsCount: Int
    /// Non-particle pairs inside the reduced band: full row, offset in the partials band, reduced row and column.
    let pairRow: [Int], pairOffset: [Int], pairReducedRow: [Int], pairReducedColumn: [Int]
    let couplingRow: [Int], couplingColumn: [Int], couplingStart: [Int]
    let lastRowColumn: [Int], lastRowStart: [Int]
    var couplingValue: [Double], lastRowValue: [Double]

    init(constants k: DFNConstants, lower: Int, upper: Int, partials: UnsafeMutablePointer<Double>) {
        n = k.n; self.lower = lower; self.upper = upper; width = lower + upper + 1
        var index = [Int](repeating: -1, count: k.n), blocks = [(base: Int, size: Int)](), m = 0
        for q in 0..<k.nx where k.csIndex[q] >= 0 { blocks.append((k.csIndex[q], q < k.nn ? k.nrN : k.nrP)) }
        var particle = [Bool](repeating: false, count: k.n)
        for b in blocks { for i in 0..<b.size { particle[b.base + i] = true } }
        for i in 0..<k.n where !particle[i] { index[i] = m; m += 1 }
        reducedIndex = index
        self.blocks = blocks
        // Reduced band: every non-particle pair with a partial derivative, plus the fill of each node's elimination
        // (rows coupled to its particle columns × columns coupled to its last particle row).
        var kl = 1, ku = 1
        func note(_ i: Int, _ j: Int) {
            guard index[i] >= 0, index[j] >= 0 else { return }
            kl = max(kl, index[i] - index[j]); ku = max(ku, index[j] - index[i])
        }
        for j in 0..<k.n where index[j] >= 0 {
            for i in max(0, j - upper)...min(k.n - 1, j + lower) where partials[i - j + upper + j * (lower + upper + 1)] != 0 {
                note(i, j)
            }
        }
        var cRow = [Int](), cCol = [Int](), cStart = [0], lCol = [Int](), lStart = [0]
        for b in blocks {
            let last = b.base + b.size - 1
            for c in b.base...last {
                for i in max(0, c - upper)...min(k.n - 1, c + lower) where index[i] >= 0
                    && partials[i - c + upper + c * (lower + upper + 1)] != 0 {
                    cRow.append(i); cCol.append(c)
                }
            }
            cStart.append(cRow.count)
            for j in max(0, last - upper)...min(k.n - 1, last + lower) where index[j] >= 0
                && partials[last - j + upper + j * (lower + upper + 1)] != 0 {
                lCol.append(j)
            }
            lStart.append(lCol.count)
        }
        (couplingRow, couplingColumn, couplingStart, lastRowColumn, lastRowStart) = (cRow, cCol, cStart, lCol, lStart)
        for b in 0..<blocks.count {
            for e in cStart[b]..<cStart[b + 1] { for g in lStart[b]..<lStart[b + 1] { note(cRow[e], lCol[g]) } }
        }
        couplingValue = [Double](repeating: 0, count: cRow.count)
        lastRowValue = [Double](repeating: 0, count: lCol.count)
        reduced = BandedMatrix(n: m, lower: kl, upper: ku)
        rhsCount = m
        var pr = [Int](), po = [Int](), prr = [Int](), prc = [Int]()
        for j in 0..<k.n where index[j] >= 0 && j != k.tIndex {
            for i in max(0, j - upper)...min(k.n - 1, j + lower) where index[i] >= 0 && i != k.tIndex
                && reduced.contains(index[i], index[j]) {
                pr.append(i); po.append(i - j + upper + j * (lower + upper + 1)); prr.append(index[i]); prc.append(index[j])
            }
        }
        (pairRow, pairOffset, pairReducedRow, pairReducedColumn) = (pr, po, prr, prc)
        let total = blocks.reduce(0) { $0 + $1.size }
        func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            return p
        }
        (sub, pivot, sup, lastColumn) = (buffer(total), buffer(total), buffer(total), buffer(total))
        (rhs, scratch) = (buffer(m), buffer(k.n))
    }

    deinit {
        for p in [sub, pivot, sup, lastColumn, rhs, scratch] { p.deallocate() }
    }

    @inline(__always)
    func entry(_ p: UnsafeMutablePointer<Double>, _ i: Int, _ j: Int) -> Double {
        (i - j <= lower && j - i <= upper && i >= 0 && i < n) ? p[i - j + upper + j * width] : 0
    }

    /// Factors the iteration matrix a0·M + B (`algebraicOnly`: identity differential rows, B's algebraic rows).
    func factor(partials p: UnsafeMutablePointer<Double>, differential: UnsafeMutablePointer<Bool>,
                         a0: Double, algebraicOnly: Bool, thermalIndex: Int, thermalDiagonal: Double) throws(LAPACKError) {
        reduced.zero()
        for e in 0..<pairRow.count where !(algebraicOnly && differential[pairRow[e]]) {
            reduced[pairReducedRow[e], pairReducedColumn[e]] = p[pairOffset[e]]
        }
        for i in 0..<n where reducedIndex[i] >= 0 && differential[i] && i != thermalIndex {
            let r = reducedIndex[i]
            reduced[r, r] = algebraicOnly ? 1 : reduced[r, r] + a0
        }
        if thermalIndex >= 0 { reduced[reducedIndex[thermalIndex], reducedIndex[thermalIndex]] = algebraicOnly ? 1 : thermalDiagonal }
        var offset = 0
        for (bi, b) in blocks.enumerated() {
            // Thomas factorisation of A (identity in the algebraic-only system).
            for i in 0..<b.size {
                let g = b.base + i
                let d = algebraicOnly ? 1 : entry(p, g, g) + a0
                let l = algebraicOnly || i == 0 ? 0 : entry(p, g, g - 1)
                let u = algebraicOnly || i == b.size - 1 ? 0 : entry(p, g, g + 1)
                let denominator = d - (i > 0 ? l * sup[offset + i - 1] : 0)
                sub[offset + i] = l
                pivot[offset + i] = 1 / denominator
                sup[offset + i] = u / denominator
            }
            for e in couplingStart[bi]..<couplingStart[bi + 1] { couplingValue[e] = entry(p, couplingRow[e], couplingColumn[e]) }
            let last = b.base + b.size - 1
            for e in lastRowStart[bi]..<lastRowStart[bi + 1] {
                lastRowValue[e] = algebraicOnly ? 0 : entry(p, last, lastRowColumn[e])
            }
            if !algebraicOnly {
                for i in 0..<b.size { lastColumn[offset + i] = i == b.size - 1 ? 1 : 0 }
                thomas(lastColumn, offset, b.size)
                // S[i, j] −= (Σ_c J[i, c] v_c) · J[last, j], row by row of the couplings (grouped by column then row).
                var e = couplingStart[bi]
                while e < couplingStart[bi + 1] {
                    let i = couplingRow[e]
                    var u = 0.0
                    for f in e..<couplingStart[bi + 1] where couplingRow[f] == i {
                        u += couplingValue[f] * lastColumn[offset + couplingColumn[f] - b.base]
                    }
                    // Only the first occurrence of row i applies the update.
                    var first = true
                    for f in couplingStart[bi]..<e where couplingRow[f] == i { first = false; break }
                    if first && u != 0 {
                        for g in lastRowStart[bi]..<lastRowStart[bi + 1] {
                            let ri = reducedIndex[i], rj = reducedIndex[lastRowColumn[g]]
                            if reduced.contains(ri, rj) { reduced[ri, rj] -= u * lastRowValue[g] }
                        }
                    }
                    e += 1
                }
            }
            offset += b.size
        }
        try reduced.factor()
    }

    /// Solves A x = b in place on x[offset..<offset+size] with the stored Thomas factors.
    @inline(__always)
    func thomas(_ x: UnsafeMutablePointer<Double>, _ offset: Int, _ size: Int) {
        x[offset] *= pivot[offset]
        for i in 1..<size { x[offset + i] = (x[offset + i] - sub[offset + i] * x[offset + i - 1]) * pivot[offset + i] }
        for i in stride(from: size - 2, through: 0, by: -1) { x[offset + i] -= sup[offset + i] * x[offset + i + 1] }
    }

    /// Solves the iteration matrix times δ = r in place (r holds n values).
    func solve(_ r: UnsafeMutablePointer<Double>, partials p: UnsafeMutablePointer<Double>,
                        algebraicOnly: Bool) throws(LAPACKError) {
        var offset = 0
        for b in blocks {
            for i in 0..<b.size { scratch[offset + i] = r[b.base + i] }
            offset += b.size
        }
        offset = 0
        for (bi, b) in blocks.enumerated() {
            if !algebraicOnly { thomas(scratch, offset, b.size) }
            // r_x −= J_xc y.
            for e in couplingStart[bi]..<couplingStart[bi + 1] {
                r[couplingRow[e]] -= couplingValue[e] * scratch[offset + couplingColumn[e] - b.base]
            }
            offset += b.size
        }
        for i in 0..<n where reducedIndex[i] >= 0 { rhs[reducedIndex[i]] = r[i] }
        try reduced.solve(UnsafeMutableBufferPointer(start: rhs, count: rhsCount))
        for i in 0..<n where reducedIndex[i] >= 0 { r[i] = rhs[reducedIndex[i]] }
        offset = 0
        for (bi, b) in blocks.enumerated() {
            var ax = 0.0
            for g in lastRowStart[bi]..<lastRowStart[bi + 1] { ax += lastRowValue[g] * r[lastRowColumn[g]] }
            for i in 0..<b.size { r[b.base + i] = scratch[offset + i] - lastColumn[offset + i] * ax }
            offset += b.size
        }
    }
}
