import CHDF5
import Foundation

/// An open HDF5 file: groups, appendable 2-D `Double` tables, string attributes.
///
/// Create one with `create(at:)` (truncates) or `open(at:mode:)`. The file is closed by
/// `close()` or, at the latest, when the object is released. Object paths are HDF5 paths
/// inside the file ("metrics", "/evaluation/returns"; "/" is the root group).
///
/// Serial libhdf5 is not thread-safe, so every call into it goes through one process-wide
/// lock; an `HDF5File` itself is meant for one owner and is not `Sendable`. Failures of
/// libhdf5 become `RunLogError.hdf5` with the failing call and HDF5's own message, and
/// libhdf5's printing of error stacks to stderr is turned off.
public final class HDF5File {
    /// How an existing file is opened.
    public enum Mode: Sendable {
        case readOnly, readWrite
    }

    /// The path the file was created or opened at.
    public let path: String
    /// Whether the file accepts writes (created, or opened `.readWrite`).
    public let isWritable: Bool
    /// The libhdf5 file identifier, or -1 once closed.
    private var id: hid_t

    private init(path: String, id: hid_t, isWritable: Bool) {
        self.path = path
        self.id = id
        self.isWritable = isWritable
    }

    deinit {
        if id >= 0 { HDF5Library.locked { _ = H5Fclose(id) } }
    }

    /// Creates the file at `path`, replacing any file there. `fileLocking: false` skips
    /// HDF5's `flock()` (for files no other process touches).
    public static func create(at path: String, fileLocking: Bool = true) throws(RunLogError) -> HDF5File {
        try HDF5Library.locked { () throws(RunLogError) -> HDF5File in
            pulse_h5e_silence()
            let fapl = try fileAccess(path: path, fileLocking: fileLocking)
            defer { _ = H5Pclose(fapl) }
            let id = H5Fcreate(path, pulse_h5f_acc_trunc(), pulse_h5p_default(), fapl)
            guard id >= 0 else { throw HDF5Library.failure("H5Fcreate", path) }
            return HDF5File(path: path, id: id, isWritable: true)
        }
    }

    /// Opens the existing file at `path`, read-only by default.
    public static func open(at path: String, mode: Mode = .readOnly, fileLocking: Bool = true) throws(RunLogError) -> HDF5File {
        try HDF5Library.locked { () throws(RunLogError) -> HDF5File in
            pulse_h5e_silence()
            let fapl = try fileAccess(path: path, fileLocking: fileLocking)
            defer { _ = H5Pclose(fapl) }
            let flags = mode == .readOnly ? pulse_h5f_acc_rdonly() : pulse_h5f_acc_rdwr()
            let id = H5Fopen(path, flags, fapl)
            guard id >= 0 else { throw HDF5Library.failure("H5Fopen", path) }
            return HDF5File(path: path, id: id, isWritable: mode == .readWrite)
        }
    }

    /// A file-access property list with HDF5's file locking on or off.
    private static func fileAccess(path: String, fileLocking: Bool) throws(RunLogError) -> hid_t {
        let fapl = H5Pcreate(pulse_h5p_file_access())
        guard fapl >= 0 else { throw HDF5Library.failure("H5Pcreate", path) }
        guard pulse_h5p_set_file_locking(fapl, fileLocking ? 1 : 0) >= 0 else {
            _ = H5Pclose(fapl)
            throw HDF5Library.failure("H5Pset_file_locking", path)
        }
        return fapl
    }

    /// Runs `body` while holding the lock that serialises every libhdf5 call of `RunLog`; code in the
    /// same process that calls libhdf5 directly (tests of the shim, diagnostics) should use it too.
    public static func withLibraryLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try HDF5Library.locked(body)
    }

    /// Whether the file is still open.
    public var isOpen: Bool { id >= 0 }

    /// Closes the file, writing everything out. Later calls do nothing; any other use throws `.closed`.
    public func close() throws(RunLogError) {
        try HDF5Library.locked { () throws(RunLogError) in
            guard id >= 0 else { return }
            let status = H5Fclose(id)
            id = -1
            guard status >= 0 else { throw HDF5Library.failure("H5Fclose", path) }
        }
    }

    /// Writes the file's buffers to disk, so that the file on disk is complete as of now.
    public func flush() throws(RunLogError) {
        try HDF5Library.locked { () throws(RunLogError) in
            try flushLocked()
        }
    }

    /// Creates the group `group` and any missing parents; does nothing if it exists already.
    public func createGroup(_ group: String) throws(RunLogError) {
        try HDF5Library.locked { () throws(RunLogError) in
            let file = try openID(writing: true)
            let object = Self.normalized(group)
            if try existsLocked(object) {
                let existing = H5Gopen2(file, object, pulse_h5p_default())
                guard existing >= 0 else { throw HDF5Library.failure("H5Gopen2", path, object) }
                _ = H5Gclose(existing)
                return
            }
            let lcpl = try linkCreation()
            defer { _ = H5Pclose(lcpl) }
            let created = H5Gcreate2(file, object, lcpl, pulse_h5p_default(), pulse_h5p_default())
            guard created >= 0 else { throw HDF5Library.failure("H5Gcreate2", path, object) }
            _ = H5Gclose(created)
        }
    }

    /// Whether a group or dataset exists at `object` (every group on the way must exist too).
    public func exists(_ object: String) throws(RunLogError) -> Bool {
        try HDF5Library.locked { () throws(RunLogError) -> Bool in
            _ = try openID(writing: false)
            return try existsLocked(Self.normalized(object))
        }
    }

    // MARK: - Helpers for the extensions; the caller holds the library lock.

    /// The file identifier, after checking that the file is open (and writable, if `writing`).
    func openID(writing: Bool) throws(RunLogError) -> hid_t {
        guard id >= 0 else { throw .closed(path: path) }
        if writing && !isWritable {
            throw .hdf5(call: "write", path: path, object: "/", message: "the file is open read-only")
        }
        return id
    }

    func flushLocked() throws(RunLogError) {
        let file = try openID(writing: false)
        guard H5Fflush(file, H5F_SCOPE_LOCAL) >= 0 else { throw HDF5Library.failure("H5Fflush", path) }
    }

    /// Whether every prefix of the absolute path `object` is a link in the file.
    func existsLocked(_ object: String) throws(RunLogError) -> Bool {
        let file = try openID(writing: false)
        if object == "/" { return true }
        var prefix = ""
        for component in object.split(separator: "/") {
            prefix += "/" + component
            let status = H5Lexists(file, prefix, pulse_h5p_default())
            guard status >= 0 else { throw HDF5Library.failure("H5Lexists", path, prefix) }
            if status == 0 { return false }
        }
        return true
    }

    /// Throws `.missingObject` unless `object` exists.
    func requireLocked(_ object: String) throws(RunLogError) {
        guard try existsLocked(object) else { throw .missingObject(path: path, object: object) }
    }

    /// A link-creation property list that creates missing intermediate groups.
    func linkCreation() throws(RunLogError) -> hid_t {
        let lcpl = H5Pcreate(pulse_h5p_link_create())
        guard lcpl >= 0, H5Pset_create_intermediate_group(lcpl, 1) >= 0 else {
            if lcpl >= 0 { _ = H5Pclose(lcpl) }
            throw HDF5Library.failure("H5Pset_create_intermediate_group", path)
        }
        return lcpl
    }

    /// `object` as an absolute HDF5 path without a trailing slash ("metrics" → "/metrics").
    static func normalized(_ object: String) -> String {
        let parts = object.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + parts.joined(separator: "/")
    }
}

/// The process-wide lock around libhdf5 and the conversion of its error stack to `RunLogError`.
enum HDF5Library {
    private static let lock = NSRecursiveLock()

    /// Runs `body` while holding the libhdf5 lock.
    static func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The error for a failed libhdf5 `call`, with the most specific message of HDF5's error stack.
    static func failure(_ call: String, _ path: String, _ object: String = "/") -> RunLogError {
        var text = [CChar](repeating: 0, count: 512)
        pulse_h5e_innermost_message(&text, text.count)
        let message = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return .hdf5(call: call, path: path, object: object, message: message)
    }
}
