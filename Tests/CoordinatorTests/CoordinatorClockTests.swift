import Coordinator
import FleetProtocol
import Testing

@Suite struct CoordinatorClockTests {
    @Test func readsLikeTheWallClockAndNeverGoesBack() {
        let first = CoordinatorClock.nowMs
        #expect(abs(first - Double(epochMilliseconds())) < 1_000)
        var last = first
        for _ in 0..<10_000 {
            let now = CoordinatorClock.nowMs
            #expect(now >= last)
            last = now
        }
    }
}
