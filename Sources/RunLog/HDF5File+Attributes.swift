import CHDF5
import Foundation

/// String attributes on the root group, a group or a dataset.
///
/// Strings are written as variable-length UTF-8 (what h5py writes for `str`): one string as a
/// scalar attribute, a list as a 1-D attribute. Reading also accepts fixed-length strings.
/// Writing an attribute that exists replaces it.
extension HDF5File {
    /// Sets the string attribute `name` of `object` ("/" for the file) to `value`.
    public func setAttribute(_ name: String, to value: String, on object: String = "/") throws(RunLogError) {
        try HDF5Library.locked { () throws(RunLogError) in
            try setStringsLocked(name, [value], scalar: true, on: Self.normalized(object))
            try flushLocked()
        }
    }

    /// Sets the string-list attribute `name` of `object` to `values`.
    public func setAttribute(_ name: String, to values: [String], on object: String = "/") throws(RunLogError) {
        try HDF5Library.locked { () throws(RunLogError) in
            try setStringsLocked(name, values, scalar: false, on: Self.normalized(object))
            try flushLocked()
        }
    }

    /// The string attribute `name` of `object`; `.invalidData` if it holds more than one string.
    public func stringAttribute(_ name: String, on object: String = "/") throws(RunLogError) -> String {
        let strings = try stringListAttribute(name, on: object)
        guard strings.count == 1 else {
            throw .invalidData(path: path, detail: "attribute \"\(name)\" of \"\(Self.normalized(object))\" holds \(strings.count) strings, not one")
        }
        return strings[0]
    }

    /// The strings of the attribute `name` of `object` (one for a scalar attribute).
    public func stringListAttribute(_ name: String, on object: String = "/") throws(RunLogError) -> [String] {
        try HDF5Library.locked { () throws(RunLogError) -> [String] in
            try stringsLocked(name, on: Self.normalized(object))
        }
    }

    /// Whether `object` has an attribute `name`.
    public func hasAttribute(_ name: String, on object: String = "/") throws(RunLogError) -> Bool {
        let target = Self.normalized(object)
        return try HDF5Library.locked { () throws(RunLogError) -> Bool in
            let handle = try openObjectLocked(target)
            defer { _ = H5Oclose(handle) }
            let status = H5Aexists(handle, name)
            guard status >= 0 else { throw HDF5Library.failure("H5Aexists", path, target) }
            return status > 0
        }
    }

    // MARK: - Locked helpers

    /// Opens the group or dataset `object` with `H5Oopen`, or throws `.missingObject`.
    private func openObjectLocked(_ object: String) throws(RunLogError) -> hid_t {
        try requireLocked(object)
        let handle = H5Oopen(try openID(writing: false), object, pulse_h5p_default())
        guard handle >= 0 else { throw HDF5Library.failure("H5Oopen", path, object) }
        return handle
    }

    /// A variable-length UTF-8 string type; the caller closes it.
    private func stringTypeLocked() throws(RunLogError) -> hid_t {
        let type = H5Tcopy(pulse_h5t_c_s1())
        guard type >= 0, H5Tset_size(type, pulse_h5t_variable()) >= 0, H5Tset_cset(type, H5T_CSET_UTF8) >= 0 else {
            if type >= 0 { _ = H5Tclose(type) }
            throw HDF5Library.failure("H5Tset_size", path)
        }
        return type
    }

    /// Writes `values` as the attribute `name` of `object`, scalar if `scalar` (then `values` has one element).
    func setStringsLocked(_ name: String, _ values: [String], scalar: Bool, on object: String) throws(RunLogError) {
        _ = try openID(writing: true)
        let handle = try openObjectLocked(object)
        defer { _ = H5Oclose(handle) }
        let existing = H5Aexists(handle, name)
        guard existing >= 0 else { throw HDF5Library.failure("H5Aexists", path, object) }
        if existing > 0, H5Adelete(handle, name) < 0 { throw HDF5Library.failure("H5Adelete", path, object) }
        let type = try stringTypeLocked()
        defer { _ = H5Tclose(type) }
        var dims: [hsize_t] = [hsize_t(values.count)]
        let space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil)
        guard space >= 0 else { throw HDF5Library.failure("H5Screate", path, object) }
        defer { _ = H5Sclose(space) }
        let attribute = H5Acreate2(handle, name, type, space, pulse_h5p_default(), pulse_h5p_default())
        guard attribute >= 0 else { throw HDF5Library.failure("H5Acreate2", path, object) }
        defer { _ = H5Aclose(attribute) }
        let pointers = values.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        var constant = pointers.map { UnsafePointer<CChar>($0) }
        guard H5Awrite(attribute, type, &constant) >= 0 else { throw HDF5Library.failure("H5Awrite", path, object) }
    }

    /// The strings of the attribute `name` of `object`.
    func stringsLocked(_ name: String, on object: String) throws(RunLogError) -> [String] {
        let handle = try openObjectLocked(object)
        defer { _ = H5Oclose(handle) }
        let exists = H5Aexists(handle, name)
        guard exists >= 0 else { throw HDF5Library.failure("H5Aexists", path, object) }
        guard exists > 0 else { throw .missingObject(path: path, object: "\(object) attribute \"\(name)\"") }
        let attribute = H5Aopen(handle, name, pulse_h5p_default())
        guard attribute >= 0 else { throw HDF5Library.failure("H5Aopen", path, object) }
        defer { _ = H5Aclose(attribute) }
        let fileType = H5Aget_type(attribute)
        guard fileType >= 0 else { throw HDF5Library.failure("H5Aget_type", path, object) }
        defer { _ = H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_STRING else {
            throw .invalidData(path: path, detail: "attribute \"\(name)\" of \"\(object)\" is not a string")
        }
        let space = H5Aget_space(attribute)
        guard space >= 0 else { throw HDF5Library.failure("H5Aget_space", path, object) }
        defer { _ = H5Sclose(space) }
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard count > 0 else { return [] }
        let memoryType = H5Tcopy(fileType)
        guard memoryType >= 0 else { throw HDF5Library.failure("H5Tcopy", path, object) }
        defer { _ = H5Tclose(memoryType) }

        if H5Tis_variable_str(fileType) > 0 {
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard H5Aread(attribute, memoryType, &pointers) >= 0 else { throw HDF5Library.failure("H5Aread", path, object) }
            defer { pointers.forEach { if let p = $0 { H5free_memory(p) } } }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let size = H5Tget_size(fileType)
        guard size > 0 else { throw HDF5Library.failure("H5Tget_size", path, object) }
        var bytes = [UInt8](repeating: 0, count: count * size)
        guard H5Aread(attribute, memoryType, &bytes) >= 0 else { throw HDF5Library.failure("H5Aread", path, object) }
        return (0..<count).map { index in
            let field = bytes[(index * size)..<((index + 1) * size)]
            let text = field.prefix { $0 != 0 }
            return String(decoding: text, as: UTF8.self)
        }
    }
}
