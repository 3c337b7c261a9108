import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The look-ups behind `pulse doctor`: dynamic loading for libraries, PATH for programs.
///
/// Only wrapper modules may import the C shims, and the HDF5 and MQTT wrappers do not
/// exist yet, so the libraries are opened with `dlopen` and asked for their versions.
enum Probe {
    private typealias UnsignedVersion = @convention(c) (
        UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?) -> Int32
    private typealias SignedVersion = @convention(c) (
        UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?) -> Int32

    static func hdf5() -> Component {
        let found = symbol("H5get_libversion", in: ["libhdf5_serial.so.103", "libhdf5_serial.so", "libhdf5.so.103", "libhdf5.so"])
        var version: String?
        if let found {
            var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
            if unsafeBitCast(found.address, to: UnsignedVersion.self)(&major, &minor, &release) >= 0 {
                version = "\(major).\(minor).\(release)"
            }
        }
        return Component(name: "HDF5", required: true, purpose: "run logs and datasets (libhdf5)",
                         found: found != nil, version: version, path: found?.path,
                         hint: "apt-get install libhdf5-dev, or bash .ci/install-deps")
    }

    static func libmosquitto() -> Component {
        let found = symbol("mosquitto_lib_version", in: ["libmosquitto.so.1", "libmosquitto.so"])
        var version: String?
        if let found {
            var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
            _ = unsafeBitCast(found.address, to: SignedVersion.self)(&major, &minor, &revision)
            version = "\(major).\(minor).\(revision)"
        }
        return Component(name: "libmosquitto", required: true, purpose: "MQTT client for edge and coordinator",
                         found: found != nil, version: version, path: found?.path,
                         hint: "apt-get install libmosquitto-dev, or bash .ci/install-deps")
    }

    static func broker() -> Component {
        let path = executable("mosquitto")
        // `mosquitto -h` prints "mosquitto version X.Y.Z" as its first line.
        let version = path.flatMap { output(of: $0, ["-h"]) }?
            .split(separator: "\n").first
            .flatMap { $0.hasPrefix("mosquitto version ") ? String($0.dropFirst(18)) : nil }
        return Component(name: "mosquitto", required: false, purpose: "MQTT broker for the round-trip test (.ci/run)",
                         found: path != nil, version: version, path: path,
                         hint: "apt-get install mosquitto, or bash .ci/install-deps")
    }

    static func pkgConfig() -> Component {
        let path = executable("pkg-config")
        let version = path.flatMap { output(of: $0, ["--version"]) }?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return Component(name: "pkg-config", required: false, purpose: "finds the C libraries when building from source",
                         found: path != nil, version: version, path: path,
                         hint: "apt-get install pkg-config, or bash .ci/install-deps")
    }

    /// The first of `libraries` that loads and defines `name`, with the file it came from.
    /// The library stays loaded: HDF5 registers exit handlers of its own.
    private static func symbol(_ name: String, in libraries: [String]) -> (address: UnsafeMutableRawPointer, path: String)? {
        for library in libraries {
            guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let address = dlsym(handle, name) else { continue }
            return (address, mappedFile(containing: address) ?? library)
        }
        return nil
    }

    /// The file mapped at `address` in this process, read from /proc/self/maps.
    private static func mappedFile(containing address: UnsafeMutableRawPointer) -> String? {
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return nil }
        let target = UInt(bitPattern: address)
        for line in maps.split(separator: "\n") {
            // "start-end perms offset dev inode path"
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
                  start <= target, target < end else { continue }
            return String(fields[5]).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// `name` on PATH, or in the sbin directories where Debian puts daemons.
    private static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/sbin", "/sbin"]
        return directories.lazy
            .map { URL(fileURLWithPath: $0).appendingPathComponent(name).path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Standard output of `executable arguments`, or nil if it cannot be run.
    private static func output(of executable: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
