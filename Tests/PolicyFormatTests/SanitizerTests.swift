import Foundation
@testable import PolicyFormat
import Testing

/// Bad input under AddressSanitizer and UndefinedBehaviorSanitizer: the C sources of `EdgeRuntime` (every
/// `.c` file in the directory) plus `Tests/Fuzz/pbp_mutate.c` compiled with clang, run on an f32 and an int8
/// file. The harness truncates, bit-flips and overwrites them thousands of ways (see its header comment).
@Suite struct PolicyFormatSanitizerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// clang: $CC if set, else the toolchain's, else the first on PATH.
    static var clang: String? {
        let candidates = [ProcessInfo.processInfo.environment["CC"], "/opt/swift/usr/bin/clang", "/usr/bin/clang"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Writes the sample files (f32 and int8, with limits) to `directory`: the harness's inputs and the
    /// fuzzer's seed corpus.
    static func writeSamples(to directory: URL) throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for (name, precision) in [("sample-f32.pbp", Precision.f32), ("sample-int8.pbp", .int8)] {
            let url = directory.appendingPathComponent(name)
            try Data(try sampleFile(precision: precision)).write(to: url)
            paths.append(url.path)
        }
        return paths
    }

    @Test(.enabled(if: clang != nil, "clang is not installed: the sanitizer run is skipped"))
    func mutatedFilesNeverCrashUnderSanitizers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pbp-asan-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let samples = try Self.writeSamples(to: directory)
        let runtime = Self.root.appendingPathComponent("Sources/EdgeRuntime")
        let sources = try FileManager.default.contentsOfDirectory(atPath: runtime.path).filter { $0.hasSuffix(".c") }.sorted()
            .map { runtime.appendingPathComponent($0).path }
        let binary = directory.appendingPathComponent("pbp_mutate").path
        let build = try Self.run(Self.clang!, ["-std=c99", "-g", "-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                                               "-fno-omit-frame-pointer", "-I", runtime.appendingPathComponent("include").path]
                                 + sources + [Self.root.appendingPathComponent("Tests/Fuzz/pbp_mutate.c").path, "-lm", "-o", binary])
        try #require(build.status == 0, "clang failed:\n\(build.output.suffix(4000))")
        let result = try Self.run(binary, samples)
        #expect(result.status == 0, "harness failed:\n\(result.output.suffix(4000))")
        #expect(result.output.contains("failures 0"))
        print("pbp_mutate under ASan+UBSan: \(result.output.split(separator: "\n").last ?? "")")
    }

    /// With PBP_WRITE_CORPUS=DIR, writes the sample files there (how Tests/Fuzz/corpus was made).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PBP_WRITE_CORPUS"] != nil))
    func writeSeedCorpus() throws {
        let paths = try Self.writeSamples(to: URL(fileURLWithPath: ProcessInfo.processInfo.environment["PBP_WRITE_CORPUS"]!))
        #expect(try paths.allSatisfy { try EdgePolicy(bytes: Array(Data(contentsOf: URL(fileURLWithPath: $0)))).actionCount == 3 })
    }
}
