/// How the cells of a ``Pack`` are connected: `parallel` strings, each of `series` cells in series.
///
/// The strings share the pack's terminal voltage and their currents add up to the pack current; the cells of a
/// string carry the same (string) current and their voltages add up. This is the "s-then-p" arrangement of the
/// issue ("p parallel strings of s series cells"); a module-first (p-then-s) pack, whose parallel cells are tied
/// at every level, is not modelled. Cells are indexed string-major: cell `k` of string `j` is
/// ``cellIndex(string:position:)`` = j·s + k.
public struct PackLayout: Sendable, Hashable, CustomStringConvertible {
    /// Cells in series per string (s).
    public let series: Int
    /// Strings in parallel (p).
    public let parallel: Int

    /// Throws ``PackError/invalidLayout(_:)`` unless both counts are at least 1.
    public init(series: Int, parallel: Int) throws(PackError) {
        guard series >= 1, parallel >= 1 else { throw .invalidLayout("\(series)s\(parallel)p") }
        self.series = series
        self.parallel = parallel
    }

    /// Reads the usual notation `16s4p` (case-insensitive; `16s` alone is one string).
    public init(_ text: String) throws(PackError) {
        let lower = text.lowercased()
        guard let sIndex = lower.firstIndex(of: "s") else { throw .invalidLayout(text) }
        let seriesText = lower[..<sIndex]
        var rest = lower[lower.index(after: sIndex)...]
        var parallelCount = 1
        if !rest.isEmpty {
            guard rest.last == "p" else { throw .invalidLayout(text) }
            rest = rest.dropLast()
            guard let p = Int(rest) else { throw .invalidLayout(text) }
            parallelCount = p
        }
        guard let s = Int(seriesText) else { throw .invalidLayout(text) }
        do { try self.init(series: s, parallel: parallelCount) } catch { throw .invalidLayout(text) }
    }

    /// The number of cells s·p.
    public var cellCount: Int { series * parallel }

    /// The string-major index of cell `position` (0..<s) of string `string` (0..<p).
    @inline(__always)
    public func cellIndex(string: Int, position: Int) -> Int { string * series + position }

    /// The string (0..<p) that holds cell `index`.
    @inline(__always)
    public func string(ofCell index: Int) -> Int { index / series }

    /// `<s>s<p>p`, e.g. `16s4p`.
    public var description: String { "\(series)s\(parallel)p" }
}
