/// The probed sparsity pattern of the DFN's Jacobian and a column colouring of it for finite differences.
///
/// Columns of one colour share no row, so one perturbed residual per colour yields all their columns
/// (Curtis, Powell & Reid 1974, doi:10.1093/imamat/13.1.117). The colouring is the greedy (first-fit) one in
/// column order (Coleman & Moré 1983, "Estimation of sparse Jacobian matrices and graph coloring problems",
/// doi:10.1137/0720013): particle columns touch 3 rows of their own shell chain, so they pack densely and the
/// colour count is set by the electrolyte and potential columns (≈ 10 instead of the band's 49).
final class DFNColouring {
    /// Rows of column j: `patternRow[patternStart[j]..<patternStart[j+1]]`.
    let patternStart, patternRow: UnsafeMutablePointer<Int>
    /// Columns of colour c: `colourColumn[colourStart[c]..<colourStart[c+1]]`.
    let colourStart, colourColumn: UnsafeMutablePointer<Int>
    let colourCount: Int

    /// `rows[starts[j]..<starts[j+1]]` are the rows of column j (n + 1 starts); columns without rows are not coloured.
    init(n: Int, rows: [Int], starts: [Int]) {
        var colourOf = [Int](repeating: -1, count: n)
        var rowColours = [[Bool]](repeating: [], count: n)  // per row, which colours already use it
        var count = 0
        for j in 0..<n where starts[j + 1] > starts[j] {
            var colour = 0
            while true {
                var free = true
                for f in starts[j]..<starts[j + 1] {
                    let used = rowColours[rows[f]]
                    if colour < used.count && used[colour] { free = false; break }
                }
                if free { break }
                colour += 1
            }
            colourOf[j] = colour
            count = max(count, colour + 1)
            for f in starts[j]..<starts[j + 1] {
                let i = rows[f]
                if rowColours[i].count <= colour { rowColours[i] += [Bool](repeating: false, count: colour + 1 - rowColours[i].count) }
                rowColours[i][colour] = true
            }
        }
        colourCount = count
        func ints(_ a: [Int]) -> UnsafeMutablePointer<Int> {
            let p = UnsafeMutablePointer<Int>.allocate(capacity: max(a.count, 1))
            p.initialize(repeating: 0, count: max(a.count, 1))
            for (i, v) in a.enumerated() { p[i] = v }
            return p
        }
        patternStart = ints(starts)
        patternRow = ints(rows)
        var columns = [Int](), colourStarts = [0]
        for c in 0..<count {
            for j in 0..<n where colourOf[j] == c { columns.append(j) }
            colourStarts.append(columns.count)
        }
        colourStart = ints(colourStarts)
        colourColumn = ints(columns)
    }

    deinit {
        for p in [patternStart, patternRow, colourStart, colourColumn] { p.deallocate() }
    }
}
