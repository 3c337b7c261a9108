import Foundation
@testable import MQTT
import Testing

/// TLS options reach libmosquitto: a broker listener that requires a client certificate accepts a client with the
/// test CA and its certificate, and refuses one without. Certificates are made by the `openssl` tool for each run.
@Suite(.serialized) struct MQTTTLSTests {
    /// A throw-away CA, a server certificate for 127.0.0.1 and a client certificate, in a temporary directory.
    struct Certificates {
        let directory: URL
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("pulsebms-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try "subjectAltName=IP:127.0.0.1\n".write(toFile: directory.appendingPathComponent("san.ext").path, atomically: true, encoding: .utf8)
            try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1",
                         "-subj", "/CN=PulseBMS test CA"])
            for (name, extra) in [("server", ["-extfile", "san.ext"]), ("client", [])] {
                try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr",
                             "-subj", "/CN=\(name == "server" ? "127.0.0.1" : "pulsebms-client")"])
                try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                             "-out", "\(name).crt", "-days", "1"] + extra)
            }
            // mosquitto started as root drops to its own user, which must be able to read the (throw-away) keys.
            for key in ["ca.key", "server.key", "client.key"] {
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path(key))
            }
        }

        private func openssl(_ arguments: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["openssl"] + arguments
            p.currentDirectoryURL = directory
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw MQTTError.invalidOption("openssl \(arguments.joined(separator: " ")) failed") }
        }
    }

    @Test func clientCertificateAndCAArePassedThrough() async throws {
        let certificates = try Certificates()
        defer { try? FileManager.default.removeItem(at: certificates.directory) }
        let tlsPort = try MosquittoBroker.freePort()
        let broker = try MosquittoBroker(extraConfig: [
            "listener \(tlsPort) 127.0.0.1", "cafile \(certificates.path("ca.crt"))", "certfile \(certificates.path("server.crt"))",
            "keyfile \(certificates.path("server.key"))", "require_certificate true",
        ])
        var options = MQTTOptions(port: tlsPort, clientID: "tls-client")
        options.tls = MQTTTLSOptions(caFile: certificates.path("ca.crt"), certificateFile: certificates.path("client.crt"),
                                     keyFile: certificates.path("client.key"))
        let client = try MQTTClient(options: options)
        try client.connect()
        try await client.waitUntilConnected(timeout: 10)
        try client.subscribe("pulsebms/tls/#")
        try await Task.sleep(for: .milliseconds(100))
        try client.publish("pulsebms/tls/x", Array("over TLS".utf8))
        var received: MQTTMessage?
        for await message in client.messages { received = message; break }
        #expect(received?.payload == Array("over TLS".utf8))
        client.disconnect()

        // Without the client certificate the broker refuses the handshake.
        var anonymous = MQTTOptions(port: tlsPort, clientID: "tls-anonymous")
        anonymous.tls = MQTTTLSOptions(caFile: certificates.path("ca.crt"))
        let refused = try MQTTClient(options: anonymous)
        try refused.connect()
        try await Task.sleep(for: .seconds(2))
        #expect(!refused.isConnected)
        refused.disconnect()
        _ = broker
    }

    @Test func missingCertificateFilesAreTypedErrors() {
        var options = MQTTOptions(clientID: "x")
        options.tls = MQTTTLSOptions(caFile: "/nonexistent/ca.crt")
        #expect(throws: MQTTError.self) { try MQTTClient(options: options) }
    }
}
