import CHDF5
import Foundation
import RunLog
import Testing

/// libhdf5 links, and a file written with it reads back the same.
///
/// Serial libhdf5 is not thread-safe, so these tests run one at a time, and under RunLog's library lock so that
/// they never overlap the RunLog suites in the same process.
@Suite(.serialized) struct HDF5Tests {
    @Test func libraryVersionIsOneDotSomething() {
        HDF5File.withLibraryLock { checkVersion() }
    }

    func checkVersion() {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        #expect(H5get_libversion(&major, &minor, &release) >= 0)
        #expect(major == 1, "expected HDF5 1.x, got \(major).\(minor).\(release)")
        #expect(minor >= 10)
    }

    @Test func writesAndReadsBackADoubleDataset() throws {
        try HDF5File.withLibraryLock { () throws(any Error) in try writeAndReadBack() }
    }

    func writeAndReadBack() throws {
        // HDF5 flock()s each open file. Exit tests elsewhere in this process spawn children
        // that inherit open descriptors, and with them the lock, so a reopen can fail with
        // EAGAIN while a child lives. The file is private to this test: no lock is needed.
        setenv("HDF5_USE_FILE_LOCKING", "FALSE", 1)
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("pulsebms-hdf5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("values.h5").path
        let written: [Double] = [1.5, -2.25, 3.0e-7, .pi, 42]

        let file = H5Fcreate(path, pulse_h5f_acc_trunc(), pulse_h5p_default(), pulse_h5p_default())
        try #require(file >= 0, "H5Fcreate failed for \(path)")
        var dims: [hsize_t] = [hsize_t(written.count)]
        let space = H5Screate_simple(1, &dims, nil)
        try #require(space >= 0)
        let dataset = H5Dcreate2(file, "values", pulse_h5t_native_double(), space,
                                 pulse_h5p_default(), pulse_h5p_default(), pulse_h5p_default())
        try #require(dataset >= 0)
        #expect(H5Dwrite(dataset, pulse_h5t_native_double(), pulse_h5s_all(), pulse_h5s_all(),
                         pulse_h5p_default(), written) >= 0)
        #expect(H5Dclose(dataset) >= 0)
        #expect(H5Sclose(space) >= 0)
        #expect(H5Fclose(file) >= 0)
        #expect(FileManager.default.fileExists(atPath: path))

        let reopened = H5Fopen(path, pulse_h5f_acc_rdonly(), pulse_h5p_default())
        try #require(reopened >= 0, "H5Fopen failed for \(path)")
        defer { _ = H5Fclose(reopened) }
        let readDataset = H5Dopen2(reopened, "values", pulse_h5p_default())
        try #require(readDataset >= 0)
        defer { _ = H5Dclose(readDataset) }

        let readSpace = H5Dget_space(readDataset)
        defer { _ = H5Sclose(readSpace) }
        #expect(H5Sget_simple_extent_npoints(readSpace) == Int64(written.count))

        var read = [Double](repeating: .nan, count: written.count)
        #expect(H5Dread(readDataset, pulse_h5t_native_double(), pulse_h5s_all(), pulse_h5s_all(),
                        pulse_h5p_default(), &read) >= 0)
        #expect(read == written)
    }
}
