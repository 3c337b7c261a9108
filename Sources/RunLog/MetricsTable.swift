/// Named columns of `Double`s stored row by row: one row per epoch of a training run.
///
/// What `CSVTable.read(at:)` and `HDF5File.readTable(_:)` return, and what
/// `HDF5File.writeTable(_:to:)` takes. Every row has one value per column.
public struct MetricsTable: Equatable, Sendable {
    /// The column names, in order.
    public let columns: [String]
    /// The rows; each has `columns.count` values.
    public private(set) var rows: [[Double]]

    /// A table of `columns` holding `rows`; throws `.invalidData` (naming `source`) if a row
    /// has the wrong length, a column name is empty or two columns share a name.
    public init(columns: [String], rows: [[Double]] = [], source: String = "table") throws(RunLogError) {
        try Self.validate(columns: columns, source: source)
        for (index, row) in rows.enumerated() where row.count != columns.count {
            throw .invalidData(path: source, detail: "row \(index) has \(row.count) values for \(columns.count) columns")
        }
        self.columns = columns
        self.rows = rows
    }

    /// Throws `.invalidData` if `columns` is empty, has an empty name or a repeated name.
    static func validate(columns: [String], source: String) throws(RunLogError) {
        guard !columns.isEmpty else { throw .invalidData(path: source, detail: "no columns") }
        if let empty = columns.firstIndex(of: "") {
            throw .invalidData(path: source, detail: "column \(empty) has an empty name")
        }
        var seen = Set<String>()
        for name in columns where !seen.insert(name).inserted {
            throw .invalidData(path: source, detail: "column \"\(name)\" appears twice")
        }
    }

    /// The number of rows.
    public var rowCount: Int { rows.count }

    /// The values of the column `name`, or nil if there is no such column.
    public func column(_ name: String) -> [Double]? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[index] }
    }

    /// Appends `row`; throws `.invalidData` if its length is not the number of columns.
    public mutating func append(_ row: [Double]) throws(RunLogError) {
        guard row.count == columns.count else {
            throw .invalidData(path: "table", detail: "row has \(row.count) values for \(columns.count) columns")
        }
        rows.append(row)
    }

    /// The last `count` rows (all of them if there are fewer).
    public func lastRows(_ count: Int) -> ArraySlice<[Double]> { rows.suffix(max(0, count)) }

    /// Whether the two tables hold the same columns and bit-identical values (NaN equals NaN).
    public func isIdentical(to other: MetricsTable) -> Bool {
        columns == other.columns && rows.count == other.rows.count
            && zip(rows, other.rows).allSatisfy { a, b in
                a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
            }
    }
}
