#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization

/// A minimal HTTP/1.1 server on 127.0.0.1 for Prometheus: `GET /metrics` answers the text exposition format
/// (`text/plain; version=0.0.4`) that `render` returns; any other path is 404, any other method 405. One request
/// per connection, served in turn on a thread of its own (a scraper asks every few seconds).
public final class MetricsServer: Sendable {
    /// The port listened on (the kernel's choice when 0 was asked for).
    public let port: Int
    private let socketFD: Int32
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let render: @Sendable () -> String

    /// Listens on 127.0.0.1:`port` (0: any free port) and starts serving.
    public init(port: Int, render: @escaping @Sendable () -> String) throws(CoordinatorError) {
        guard (0...65535).contains(port) else { throw .invalidConfiguration("metrics port \(port) is not in 0...65535") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .metricsServer("socket() failed: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .metricsServer("cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        socketFD = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.render = render
        let thread = Thread { [self] in self.serve() }
        thread.name = "pulsebms-metrics"
        thread.start()
    }

    /// Stops listening and waits for the serving thread to end. Idempotent.
    public func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
        close(socketFD)
    }

    private func serve() {
        defer { finished.signal() }
        while !stopping.load(ordering: .acquiring) {
            var poller = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else { continue }
            answer(client)
            close(client)
        }
    }

    /// Reads one request (up to 8 KiB, 2 s) and writes the response.
    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 2048)
        while request.count < 8192 {
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            request += chunk[0..<n]
            if Self.headerEnd(request) { break }
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        let response: (status: String, type: String, body: String)
        if parts.count < 2 {
            response = ("400 Bad Request", "text/plain", "bad request\n")
        } else if parts[0] != "GET" {
            response = ("405 Method Not Allowed", "text/plain", "only GET is served\n")
        } else if parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?") {
            response = ("200 OK", "text/plain; version=0.0.4; charset=utf-8", render())
        } else {
            response = ("404 Not Found", "text/plain", "the metrics are at /metrics\n")
        }
        let body = Array(response.body.utf8)
        let head = "HTTP/1.1 \(response.status)\r\nContent-Type: \(response.type)\r\nContent-Length: \(body.count)\r\n"
            + "Connection: close\r\n\r\n"
        send(client, Array(head.utf8) + body)
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return true
        }
        return false
    }

    private func send(_ client: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let n = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            #else
            let n = bytes.withUnsafeBytes { Darwin.send(client, $0.baseAddress! + sent, $0.count - sent, 0) }
            #endif
            guard n > 0 else { return }
            sent += n
        }
    }
}
