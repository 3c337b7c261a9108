/// The linear solver of the DFN's Newton iterations by block elimination (docs/electrochemistry-spec.md §8.3).
///
/// Each electrode node's particle block A (tridiagonal, a0·I − ∂f_c/∂c) couples to the node's potentials and c_e only
/// through its last row (the surface flux j) and through the surface value in the node's charge rows. Eliminating
/// the particles leaves a Schur complement S = J_xx − J_xc A⁻¹ J_cx on c_e, φ_e, φ_s, I, Q, T with a narrow band,
/// factored by ``DFNBandLU``; A is factored by the Thomas algorithm. Entries come from the cached band of partials;
/// the reduced band is the sparsity probed once at construction (entries outside it are structurally zero).
/// The index tables are flat buffers so that the per-iteration loops neither check bounds nor retain arrays.
final class DFNBlockSolver {
    let n: Int, lower: Int, upper: Int, width: Int
    /// Number of particle blocks and of reduced unknowns.
    let blockCount: Int, rhsCount: Int
    /// Full index of each reduced unknown (ascending).
    let reducedToFull: UnsafeMutablePointer<Int>
    /// Per block: first unknown, size, offset into the per-block buffers, coupling and last-row ranges.
    let blockBase, blockSize, blockOffset, couplingStart, lastRowStart: UnsafeMutablePointer<Int>
    let reduced: DFNBandLU
    // Per block: Thomas factors (sub-diagonal, inverse pivots, modified super-diagonal) and v = A⁻¹ e_last.
    let sub, pivot, sup, lastColumn, rhs, scratch: UnsafeMutablePointer<Double>
    /// Non-particle pairs inside the reduced band: full row, offset in the partials band, offset in the LU storage.
    let pairCount: Int
    let pairRow, pairOffset, pairTarget: UnsafeMutablePointer<Int>
    /// Differential non-particle unknowns other than T: their diagonal offsets in the LU storage; T's diagonal.
    let diagonalCount: Int
    let diagonalTarget: UnsafeMutablePointer<Int>
    let thermalTarget: Int
    /// J_xc entries (non-particle row, particle column, partials offset, row slot) per block, and J_cx entries of
    /// the last particle row (column, partials offset). Row slots number each block's distinct coupled rows.
    let couplingRow, couplingColumn, couplingOffset, couplingSlot: UnsafeMutablePointer<Int>
    let lastRowColumn, lastRowOffset: UnsafeMutablePointer<Int>
    let couplingValue, lastRowValue, slotSum: UnsafeMutablePointer<Double>
    /// Per block the first row slot; per (row slot, last-row entry) the LU storage offset of the fill (−1: none).
    let slotStart, fillTarget: UnsafeMutablePointer<Int>
    /// Groups of consecutive blocks of equal size: blocks `groupFirst[g]..<groupFirst[g+1]`.
    let groupCount: Int
    let groupFirst: UnsafeMutablePointer<Int>
    /// Whether the particle rows are the identity (the algebraic-only system of the consistent initialisation).
    var identityParticles = false

    init(constants k: DFNConstants, lower: Int, upper: Int, partials: UnsafeMutablePointer<Double>) {
        n = k.n; self.lower = lower; self.upper = upper; width = lower + upper + 1
        var index = [Int](repeating: -1, count: k.n), blocks = [(base: Int, size: Int)](), m = 0
        for q in 0..<k.nx where k.csIndex[q] >= 0 { blocks.append((k.csIndex[q], q < k.nn ? k.nrN : k.nrP)) }
        var particle = [Bool](repeating: false, count: k.n)
        for b in blocks { for i in 0..<b.size { particle[b.base + i] = true } }
        for i in 0..<k.n where !particle[i] { index[i] = m; m += 1 }
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
        for b in 0..<blocks.count {
            for e in cStart[b]..<cStart[b + 1] { for g in lStart[b]..<lStart[b + 1] { note(cRow[e], lCol[g]) } }
        }
        let lu = DFNBandLU(n: m, lower: kl, upper: ku)
        reduced = lu
        rhsCount = m
        blockCount = blocks.count
        var pr = [Int](), po = [Int](), prr = [Int]()
        for j in 0..<k.n where index[j] >= 0 && j != k.tIndex {
            for i in max(0, j - upper)...min(k.n - 1, j + lower) where index[i] >= 0 && i != k.tIndex
                && lu.contains(index[i], index[j]) {
                pr.append(i); po.append(i - j + upper + j * (lower + upper + 1)); prr.append(lu.offset(index[i], index[j]))
            }
        }
        func ints(_ a: [Int]) -> UnsafeMutablePointer<Int> {
            let p = UnsafeMutablePointer<Int>.allocate(capacity: max(a.count, 1))
            p.initialize(repeating: -1, count: max(a.count, 1))
            for (i, v) in a.enumerated() { p[i] = v }
            return p
        }
        let w = lower + upper + 1
        pairCount = pr.count
        (pairRow, pairOffset, pairTarget) = (ints(pr), ints(po), ints(prr))
        let diagonal = (0..<k.n).filter { index[$0] >= 0 && k.isDifferential($0) && $0 != k.tIndex }
        diagonalCount = diagonal.count
        diagonalTarget = ints(diagonal.map { lu.offset(index[$0], index[$0]) })
        thermalTarget = k.tIndex >= 0 ? lu.offset(index[k.tIndex], index[k.tIndex]) : -1
        reducedToFull = ints((0..<k.n).filter { index[$0] >= 0 })
        var offsets = [Int](), running = 0
        for b in blocks { offsets.append(running); running += b.size }
        (blockBase, blockSize, blockOffset) = (ints(blocks.map { $0.base }), ints(blocks.map { $0.size }), ints(offsets))
        (couplingStart, lastRowStart) = (ints(cStart), ints(lStart))
        var groups = [0]
        for b in 1..<max(blocks.count, 1) where blocks[b].size != blocks[b - 1].size { groups.append(b) }
        groups.append(blocks.count)
        groupCount = groups.count - 1
        groupFirst = ints(groups)
        var slots = [Int](repeating: 0, count: cRow.count), sStart = [0], fill = [Int]()
        for b in 0..<blocks.count {
            var rows = [Int]()
            for e in cStart[b]..<cStart[b + 1] {
                if let s = rows.firstIndex(of: cRow[e]) { slots[e] = sStart[b] + s } else {
                    slots[e] = sStart[b] + rows.count; rows.append(cRow[e])
                }
            }
            for r in rows {
                for g in lStart[b]..<lStart[b + 1] {
                    fill.append(lu.contains(index[r], index[lCol[g]]) ? lu.offset(index[r], index[lCol[g]]) : -1)
                }
            }
            sStart.append(sStart[b] + rows.count)
        }
        (couplingRow, couplingColumn, couplingSlot) = (ints(cRow), ints(cCol), ints(slots))
        couplingOffset = ints((0..<cRow.count).map { cRow[$0] - cCol[$0] + upper + cCol[$0] * w })
        lastRowColumn = ints(lCol)
        var lOff = [Int]()
        for b in 0..<blocks.count {
            let last = blocks[b].base + blocks[b].size - 1
            for g in lStart[b]..<lStart[b + 1] { lOff.append(last - lCol[g] + upper + lCol[g] * w) }
        }
        lastRowOffset = ints(lOff)
        (slotStart, fillTarget) = (ints(sStart), ints(fill))
        let total = blocks.reduce(0) { $0 + $1.size }
        func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
            p.initialize(repeating: 0, count: max(count, 1))
            return p
        }
        (sub, pivot, sup, lastColumn) = (buffer(total), buffer(total), buffer(total), buffer(total))
        (rhs, scratch) = (buffer(m), buffer(k.n))
        (couplingValue, lastRowValue, slotSum) = (buffer(cRow.count), buffer(lCol.count), buffer(sStart[blocks.count]))
    }


    deinit {
        for p in [sub, pivot, sup, lastColumn, rhs, scratch, couplingValue, lastRowValue, slotSum] { p.deallocate() }
        for p in [reducedToFull, blockBase, blockSize, blockOffset, couplingStart, lastRowStart, pairRow, pairOffset,
                  pairTarget, diagonalTarget, couplingRow, couplingColumn, couplingOffset, couplingSlot, lastRowColumn,
                  lastRowOffset, slotStart, fillTarget, groupFirst] { p.deallocate() }
    }

    /// Factors the iteration matrix a0·M + B (`algebraicOnly`: identity differential rows, B's algebraic rows);
    /// false when the reduced matrix is singular or not finite.
    func factor(partials p: UnsafeMutablePointer<Double>, differential: UnsafeMutablePointer<Bool>,
                a0: Double, algebraicOnly: Bool, thermalDiagonal: Double) -> Bool {
        reduced.zero()
        let lu = reduced.band
        for e in 0..<pairCount where !(algebraicOnly && differential[pairRow[e]]) { lu[pairTarget[e]] = p[pairOffset[e]] }
        for e in 0..<diagonalCount { let t = diagonalTarget[e]; lu[t] = algebraicOnly ? 1 : lu[t] + a0 }
        if thermalTarget >= 0 { lu[thermalTarget] = algebraicOnly ? 1 : thermalDiagonal }
        identityParticles = algebraicOnly
        if !algebraicOnly { factorParticles(p, a0: a0) }
        var f = 0  // running index into fillTarget (blocks in order)
        for b in 0..<blockCount {
            let base = blockBase[b], offset = blockOffset[b]
            for e in couplingStart[b]..<couplingStart[b + 1] { couplingValue[e] = p[couplingOffset[e]] }
            if algebraicOnly { continue }
            for e in lastRowStart[b]..<lastRowStart[b + 1] { lastRowValue[e] = p[lastRowOffset[e]] }
            // S[i, j] −= (Σ_c J[i, c] v_c) · J[last, j] for each distinct coupled row i.
            for s in slotStart[b]..<slotStart[b + 1] { slotSum[s] = 0 }
            for e in couplingStart[b]..<couplingStart[b + 1] {
                slotSum[couplingSlot[e]] += couplingValue[e] * lastColumn[offset + couplingColumn[e] - base]
            }
            let count = lastRowStart[b + 1] - lastRowStart[b]
            for s in slotStart[b]..<slotStart[b + 1] {
                let u = slotSum[s]
                for g in 0..<count {
                    let t = fillTarget[f + g]
                    if t >= 0 { lu[t] -= u * lastRowValue[lastRowStart[b] + g] }
                }
                f += count
            }
        }
        return reduced.factor()
    }

    /// Thomas factorisation of every particle block A = a0·I − ∂f_c/∂c, and v = A⁻¹ e_last. The recurrences run
    /// along the shells with the blocks of a group (equal size, consecutive) as the inner loop, so that the
    /// independent chains overlap instead of each waiting on its own divisions.
    func factorParticles(_ p: UnsafeMutablePointer<Double>, a0: Double) {
        let w = width
        for group in 0..<groupCount {
            let first = groupFirst[group], end = groupFirst[group + 1], size = blockSize[first]
            let start = blockOffset[first]
            for i in 0..<size {
                for b in first..<end {
                    let o = start + (b - first) * size + i
                    let diagonal = upper + (blockBase[b] + i) * w
                    let l = i == 0 ? 0 : p[diagonal + 1 - w]  // ∂r_g/∂z_{g−1}
                    let u = i == size - 1 ? 0 : p[diagonal + w - 1]  // ∂r_g/∂z_{g+1}
                    let denominator = p[diagonal] + a0 - (i == 0 ? 0 : l * sup[o - 1])
                    let inverse = 1 / denominator
                    sub[o] = l
                    pivot[o] = inverse
                    sup[o] = u * inverse
                    lastColumn[o] = i == size - 1 ? 1 : 0
                }
            }
        }
        thomas(lastColumn)
    }

    /// Solves A x = b in place for every particle block (x laid out block after block) with the Thomas factors.
    @inline(__always)
    func thomas(_ x: UnsafeMutablePointer<Double>) {
        for group in 0..<groupCount {
            let first = groupFirst[group], end = groupFirst[group + 1], size = blockSize[first]
            let start = blockOffset[first], count = end - first
            for b in 0..<count { x[start + b * size] *= pivot[start + b * size] }
            for i in 1..<size {
                for b in 0..<count {
                    let o = start + b * size + i
                    x[o] = (x[o] - sub[o] * x[o - 1]) * pivot[o]
                }
            }
            for i in stride(from: size - 2, through: 0, by: -1) {
                for b in 0..<count {
                    let o = start + b * size + i
                    x[o] -= sup[o] * x[o + 1]
                }
            }
        }
    }

    /// Solves the iteration matrix times δ = r in place (r holds n values).
    func solve(_ r: UnsafeMutablePointer<Double>) {
        for b in 0..<blockCount {
            let base = blockBase[b], size = blockSize[b], offset = blockOffset[b]
            for i in 0..<size { scratch[offset + i] = r[base + i] }
        }
        if !identityParticles { thomas(scratch) }
        for b in 0..<blockCount {
            let base = blockBase[b], offset = blockOffset[b]
            // r_x −= J_xc y.
            for e in couplingStart[b]..<couplingStart[b + 1] {
                r[couplingRow[e]] -= couplingValue[e] * scratch[offset + couplingColumn[e] - base]
            }
        }
        for i in 0..<rhsCount { rhs[i] = r[reducedToFull[i]] }
        reduced.solve(rhs)
        for i in 0..<rhsCount { r[reducedToFull[i]] = rhs[i] }
        for b in 0..<blockCount {
            let base = blockBase[b], size = blockSize[b], offset = blockOffset[b]
            if identityParticles {
                for i in 0..<size { r[base + i] = scratch[offset + i] }
                continue
            }
            var ax = 0.0
            for g in lastRowStart[b]..<lastRowStart[b + 1] { ax += lastRowValue[g] * r[lastRowColumn[g]] }
            for i in 0..<size { r[base + i] = scratch[offset + i] - lastColumn[offset + i] * ax }
        }
    }
}
