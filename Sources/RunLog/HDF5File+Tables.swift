import CHDF5

/// Appendable 2-D `Double` datasets with a "columns" attribute naming their columns.
///
/// A table is a chunked dataset of shape rows × columns whose row count is unlimited, so a
/// trainer can append one row per epoch. Each append flushes the file, so the file on disk is
/// valid and complete after every append. h5py reads one as
/// `pandas.DataFrame(f["metrics"][...], columns=list(f["metrics"].attrs["columns"]))`.
extension HDF5File {
    /// The name of the string-list attribute that names a table's columns.
    public static let columnsAttribute = "columns"

    /// Creates the empty table `table` (and any missing parent groups) with the given column names,
    /// stored in chunks of `chunkRows` rows. Throws `.invalidData` if an object exists there already.
    public func createTable(_ table: String, columns: [String], chunkRows: Int = 64) throws(RunLogError) {
        let object = Self.normalized(table)
        try MetricsTable.validate(columns: columns, source: "\(path):\(object)")
        guard chunkRows > 0 else { throw .invalidData(path: path, detail: "chunkRows must be positive, got \(chunkRows)") }
        try HDF5Library.locked { () throws(RunLogError) in
            let file = try openID(writing: true)
            if try existsLocked(object) {
                throw .invalidData(path: path, detail: "object \"\(object)\" exists already")
            }
            var dims: [hsize_t] = [0, hsize_t(columns.count)]
            var maxDims: [hsize_t] = [pulse_h5s_unlimited(), hsize_t(columns.count)]
            let space = H5Screate_simple(2, &dims, &maxDims)
            guard space >= 0 else { throw HDF5Library.failure("H5Screate_simple", path, object) }
            defer { _ = H5Sclose(space) }
            let dcpl = H5Pcreate(pulse_h5p_dataset_create())
            guard dcpl >= 0 else { throw HDF5Library.failure("H5Pcreate", path, object) }
            defer { _ = H5Pclose(dcpl) }
            var chunk: [hsize_t] = [hsize_t(chunkRows), hsize_t(columns.count)]
            guard H5Pset_chunk(dcpl, 2, &chunk) >= 0 else { throw HDF5Library.failure("H5Pset_chunk", path, object) }
            let lcpl = try linkCreation()
            defer { _ = H5Pclose(lcpl) }
            let dataset = H5Dcreate2(file, object, pulse_h5t_native_double(), space, lcpl, dcpl, pulse_h5p_default())
            guard dataset >= 0 else { throw HDF5Library.failure("H5Dcreate2", path, object) }
            _ = H5Dclose(dataset)
            try setStringsLocked(Self.columnsAttribute, columns, scalar: false, on: object)
            try flushLocked()
        }
    }

    /// Creates the table `table` holding `contents` (columns and rows).
    public func writeTable(_ contents: MetricsTable, to table: String, chunkRows: Int = 64) throws(RunLogError) {
        try createTable(table, columns: contents.columns, chunkRows: chunkRows)
        try appendRows(contents.rows, to: table)
    }

    /// Appends one row to the table `table`, then flushes the file.
    public func appendRow(_ row: [Double], to table: String) throws(RunLogError) {
        try appendRows([row], to: table)
    }

    /// Appends `rows` to the table `table`, then flushes the file. Every row must have one value per column.
    public func appendRows(_ rows: [[Double]], to table: String) throws(RunLogError) {
        let object = Self.normalized(table)
        try HDF5Library.locked { () throws(RunLogError) in
            _ = try openID(writing: true)
            let dataset = try openTableLocked(object)
            defer { _ = H5Dclose(dataset) }
            let (count, width) = try shapeLocked(dataset, object)
            for (index, row) in rows.enumerated() where row.count != width {
                throw .invalidData(path: path, detail: "row \(index) has \(row.count) values for the \(width) columns of \"\(object)\"")
            }
            guard !rows.isEmpty else { return }
            var newDims: [hsize_t] = [hsize_t(count + rows.count), hsize_t(width)]
            guard H5Dset_extent(dataset, &newDims) >= 0 else { throw HDF5Library.failure("H5Dset_extent", path, object) }
            let fileSpace = H5Dget_space(dataset)
            guard fileSpace >= 0 else { throw HDF5Library.failure("H5Dget_space", path, object) }
            defer { _ = H5Sclose(fileSpace) }
            var start: [hsize_t] = [hsize_t(count), 0]
            var block: [hsize_t] = [hsize_t(rows.count), hsize_t(width)]
            guard H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &start, nil, &block, nil) >= 0 else {
                throw HDF5Library.failure("H5Sselect_hyperslab", path, object)
            }
            let memorySpace = H5Screate_simple(2, &block, nil)
            guard memorySpace >= 0 else { throw HDF5Library.failure("H5Screate_simple", path, object) }
            defer { _ = H5Sclose(memorySpace) }
            let values = rows.flatMap { $0 }
            guard H5Dwrite(dataset, pulse_h5t_native_double(), memorySpace, fileSpace, pulse_h5p_default(), values) >= 0 else {
                throw HDF5Library.failure("H5Dwrite", path, object)
            }
            try flushLocked()
        }
    }

    /// The number of rows of the table `table`.
    public func rowCount(of table: String) throws(RunLogError) -> Int {
        let object = Self.normalized(table)
        return try HDF5Library.locked { () throws(RunLogError) -> Int in
            _ = try openID(writing: false)
            let dataset = try openTableLocked(object)
            defer { _ = H5Dclose(dataset) }
            return try shapeLocked(dataset, object).rows
        }
    }

    /// Drops the rows of `table` after the first `count` (to resume from an earlier checkpoint), then flushes.
    public func truncateTable(_ table: String, toRows count: Int) throws(RunLogError) {
        let object = Self.normalized(table)
        try HDF5Library.locked { () throws(RunLogError) in
            _ = try openID(writing: true)
            let dataset = try openTableLocked(object)
            defer { _ = H5Dclose(dataset) }
            let (rows, width) = try shapeLocked(dataset, object)
            guard count >= 0, count <= rows else {
                throw .invalidData(path: path, detail: "cannot truncate \"\(object)\" of \(rows) rows to \(count) rows")
            }
            var dims: [hsize_t] = [hsize_t(count), hsize_t(width)]
            guard H5Dset_extent(dataset, &dims) >= 0 else { throw HDF5Library.failure("H5Dset_extent", path, object) }
            try flushLocked()
        }
    }

    /// The columns and rows of the 2-D dataset `table`; its "columns" attribute must name each column.
    public func readTable(_ table: String) throws(RunLogError) -> MetricsTable {
        let object = Self.normalized(table)
        return try HDF5Library.locked { () throws(RunLogError) -> MetricsTable in
            _ = try openID(writing: false)
            let dataset = try openTableLocked(object)
            defer { _ = H5Dclose(dataset) }
            let (count, width) = try shapeLocked(dataset, object)
            var values = [Double](repeating: .nan, count: count * width)
            if !values.isEmpty {
                guard H5Dread(dataset, pulse_h5t_native_double(), pulse_h5s_all(), pulse_h5s_all(),
                              pulse_h5p_default(), &values) >= 0 else {
                    throw HDF5Library.failure("H5Dread", path, object)
                }
            }
            let columns = try stringsLocked(Self.columnsAttribute, on: object)
            guard columns.count == width else {
                throw .invalidData(path: path, detail: "\"\(object)\" has \(width) columns but its columns attribute names \(columns.count)")
            }
            let rows = (0..<count).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
            return try MetricsTable(columns: columns, rows: rows, source: "\(path):\(object)")
        }
    }

    /// Opens the dataset `object`, throwing `.missingObject` if there is none.
    private func openTableLocked(_ object: String) throws(RunLogError) -> hid_t {
        try requireLocked(object)
        let dataset = H5Dopen2(try openID(writing: false), object, pulse_h5p_default())
        guard dataset >= 0 else { throw HDF5Library.failure("H5Dopen2", path, object) }
        return dataset
    }

    /// The (rows, columns) of a 2-D dataset; `.invalidData` for another rank.
    private func shapeLocked(_ dataset: hid_t, _ object: String) throws(RunLogError) -> (rows: Int, columns: Int) {
        let space = H5Dget_space(dataset)
        guard space >= 0 else { throw HDF5Library.failure("H5Dget_space", path, object) }
        defer { _ = H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank == 2 else { throw .invalidData(path: path, detail: "\"\(object)\" has rank \(rank), expected a 2-D table") }
        var dims: [hsize_t] = [0, 0]
        guard H5Sget_simple_extent_dims(space, &dims, nil) >= 0 else {
            throw HDF5Library.failure("H5Sget_simple_extent_dims", path, object)
        }
        return (Int(dims[0]), Int(dims[1]))
    }
}
