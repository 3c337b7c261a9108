import Foundation

/// A private Eclipse Mosquitto broker on 127.0.0.1, run as a child process: for the integration tests, the
/// `fleet` benchmark and local demos. It listens on a free loopback port (or the one given), keeps its config
/// and log in a temporary directory, and can be stopped and restarted on the same port.
public final class MosquittoBroker: @unchecked Sendable {
    public let port: Int
    public let executable: String
    /// Extra `mosquitto.conf` lines (e.g. `max_queued_messages 0`).
    public let extraConfig: [String]
    private let directory: URL
    private var pid: pid_t?

    /// `mqtt://127.0.0.1:PORT`.
    public var url: String { "mqtt://127.0.0.1:\(port)" }

    /// Starts a broker; throws when the `mosquitto` executable is missing or does not listen within 10 s.
    public init(port: Int? = nil, extraConfig: [String] = [], executable: String? = nil) throws(MQTTError) {
        guard let executable = executable ?? MosquittoBroker.findExecutable() else {
            throw .invalidOption("no mosquitto executable on PATH or in /usr/sbin (apt-get install mosquitto)")
        }
        self.executable = executable
        self.extraConfig = extraConfig
        if let port { self.port = port } else { self.port = try MosquittoBroker.freePort() }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulsebms-broker-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let config = ["listener \(self.port) 127.0.0.1", "allow_anonymous true", "set_tcp_nodelay true"] + extraConfig
            try (config.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("mosquitto.conf"),
                                                              atomically: true, encoding: .utf8)
        } catch {
            throw .invalidOption("cannot write the broker config in \(directory.path): \(error)")
        }
        try start()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts the broker process (again) and waits until it accepts connections.
    public func start() throws(MQTTError) {
        guard pid == nil else { return }
        let log = directory.appendingPathComponent("mosquitto.log").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // Nothing else of this process's (its sockets, an HDF5 file and the lock on it) leaks into the broker.
        for fd in MosquittoBroker.openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        let arguments = [executable, "-c", directory.appendingPathComponent("mosquitto.conf").path]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The child starts with no blocked signals and default handlers: this process's threads may block SIGTERM,
        // and a mask is inherited across exec, which would leave the broker deaf to `stop()`.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none); sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, &argv, environ)
        guard rc == 0 else { throw .invalidOption("cannot start \(executable): \(String(cString: strerror(rc)))") }
        pid = child
        for _ in 0..<200 {
            if MosquittoBroker.accepts(port: port) { return }
            var status: Int32 = 0
            if waitpid(child, &status, WNOHANG) == child { pid = nil; break }
            usleep(50_000)
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        stop()
        throw .timeout("mosquitto to listen on 127.0.0.1:\(port); its log: \(text)")
    }

    /// Stops the broker (SIGTERM) and waits for it to exit. Clients see their connection drop.
    public func stop() { signalAndReap(SIGTERM) }

    /// Kills the broker with SIGKILL, as a crash would.
    public func kill() { signalAndReap(SIGKILL) }

    private func signalAndReap(_ signal: Int32) {
        guard let child = pid else { return }
        pid = nil
        _ = Foundation.kill(child, signal)
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
    }

    public var isRunning: Bool { pid != nil }

    /// This process's open file descriptors (from /proc/self/fd).
    static func openDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { Int32($0) }.filter { fcntl($0, F_GETFD) != -1 }
    }

    static func findExecutable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/mosquitto" } + ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A loopback port the kernel reports free (bind to port 0, read it back, close).
    static func freePort() throws(MQTTError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .invalidOption("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw .invalidOption("cannot find a free loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
