import FleetProtocol
import MQTT

/// Inbound messages and connection events. Messages arrive on libmosquitto's network thread; each takes the
/// controller's lock for the moment it needs it, so the control loop and the network thread never share
/// unprotected state.
extension EdgeAgent {
    /// A message on one of the device's subscriptions.
    func receive(_ message: MQTTMessage) {
        switch message.topic {
        case commandsTopic:
            guard let command = rejections.accept(message.topic, message.payload, SetpointCommand.decode) else { return }
            let verdict = core.withLock { $0.submit(command, nowMs: clock.nowMs(), epochOffsetMs: clock.epochOffsetMs()) }
            switch verdict {
            case .accepted: break
            case .rejectedExpired: log("command seq \(command.header.seq) refused: expired (\(command.expiresMs) ms) on arrival")
            case .rejectedBackwards: log("command seq \(command.header.seq) refused: issued before the last accepted command")
            case .rejectedInvalid: log("command seq \(command.header.seq) refused: invalid setpoint or expiry")
            case .clockWentBackwards: log("command seq \(command.header.seq) refused: the device clock went backwards")
            }
        case policyTopic:
            guard !message.payload.isEmpty else {
                log("the retained policy was cleared; the loaded policy stays")
                return
            }
            switch core.withLock({ $0.offerPolicy(message.payload) }) {
            case let .swapped(crc):
                log("policy 0x\(String(crc, radix: 16)) swapped in (\(message.payload.count) bytes)")
                state.withLock { $0.birthDue = true }
            case .unchanged:
                break
            case let .refused(reason):
                log("policy refused, the old one stays: \(reason)")
            }
        default:
            rejections.record(.badTopic(message.topic), topic: message.topic)
        }
    }

    /// A connection change: a birth after every (re)connection.
    func handle(_ event: MQTTEvent, _ client: MQTTClient) {
        switch event {
        case .connected:
            log("connected to \(configuration.mqtt.host):\(configuration.mqtt.port) (connection \(client.connectionCount))")
            publishBirth(on: client)
        case let .disconnected(expected, reason):
            if !expected { log("connection lost (\(reason)); reconnecting") }
        case let .refused(code, reason):
            log("the broker refused the connection (\(code)): \(reason)")
        }
    }
}
