import FleetProtocol
import Testing

@Suite struct TopicTests {
    @Test func everyTopicRoundTrips() throws {
        let topics: [FleetTopic] = [.telemetry(site: "s1", device: "pack-07"), .commands(site: "s1", device: "d"),
                                    .status(site: "S_2", device: "x"), .policy(site: "a", device: "b"),
                                    .allocation(site: "s1"), .demand(site: "s1")]
        for topic in topics {
            #expect(try FleetTopic(parsing: topic.string) == topic)
        }
        #expect(FleetTopic.telemetry(site: "s1", device: "p").string == "pulsebms/s1/p/telemetry")
        #expect(FleetTopic.allocation(site: "s1").string == "pulsebms/s1/coordinator/allocation")
        #expect(FleetTopic.everyDevice(.status, site: "s1") == "pulsebms/s1/+/status")
    }

    @Test func badTopicsAreRefused() {
        let bad = ["pulsebms/s1/p/telemetry/x", "pulsebms/s1/p", "other/s1/p/telemetry", "pulsebms/s 1/p/telemetry",
                   "pulsebms/s1/p/unknown", "pulsebms/s1/coordinator/telemetry", "pulsebms//p/telemetry",
                   "pulsebms/s1/\(String(repeating: "a", count: 65))/telemetry", "pulsebms/s1/pé/status"]
        for topic in bad {
            #expect(throws: ProtocolError.badTopic(topic)) { try FleetTopic(parsing: topic) }
        }
        #expect(FleetTopic.isValidName(String(repeating: "a", count: 64)))
        #expect(!FleetTopic.isValidDevice("coordinator"))
    }
}
