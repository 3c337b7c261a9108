import FleetProtocol
import MQTT

extension FleetCoordinator {
    /// Connects (retrying in the background until the broker answers), subscribes to the site's telemetry, status
    /// and (for a topic demand) demand, and allocates once per period until ``stop()`` or the task's cancellation;
    /// then waits up to 2 s for the broker to acknowledge what was published, disconnects cleanly, writes the rest
    /// of the archive and closes the metrics endpoint. Returns normally when stopped or cancelled.
    public func run() async throws(CoordinatorError) {
        let first = state.withLock { s -> Bool in
            defer { s.started = true }
            return !s.started
        }
        guard first else { throw .invalidConfiguration("a coordinator runs once; make a new one to run again") }
        let c = configuration
        let allocator: any FleetAllocator
        do throws(CoordinatorError) {
            allocator = try makeAllocator(c.allocator, prices: c.prices, policyFeatureStep: c.policyFeatureStep)
            do {
                try client.subscribe(FleetTopic.everyDevice(.telemetry, site: c.site), qos: c.telemetryQoS)
                try client.subscribe(FleetTopic.everyDevice(.status, site: c.site), qos: .atLeastOnce)
                if c.demand == .topic { try client.subscribe(FleetTopic.demand(site: c.site).string, qos: .atLeastOnce) }
                try client.connect()
                try publisher.connect()
            } catch {
                throw CoordinatorError.mqtt(error)
            }
        } catch {
            shutdown()
            throw error
        }
        let clock = ContinuousClock(), start = clock.now
        let period = Duration.milliseconds(Int64((c.period * 1000).rounded(.up)))
        var next = start, sequences = Sequences()
        while true {
            next += period
            guard await sleep(until: next, clock: clock) else { break }
            let now = clock.now
            if now - next > period {
                state.withLock { $0.metrics.overruns += 1 }
                next = now
            }
            allocatePeriod(allocator, elapsed: Self.seconds(now - start), sequences: &sequences)
        }
        if publisher.isConnected { try? await publisher.flush(timeout: 2) }
        shutdown()
    }

    /// Sequence numbers of what the coordinator sends: per device for commands, one for the site allocation.
    struct Sequences {
        var commands: [Int: UInt64] = [:]
        var allocation: UInt64 = 0
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Sleeps until `deadline` in slices of at most 50 ms; false when a stop or a cancellation came first.
    private func sleep(until deadline: ContinuousClock.Instant, clock: ContinuousClock) async -> Bool {
        while true {
            if Task.isCancelled || state.withLock({ $0.stopRequested }) { return false }
            let left = deadline - clock.now
            if left <= .zero { return true }
            try? await Task.sleep(for: min(left, .milliseconds(50)))
        }
    }

    private func shutdown() {
        client.disconnect()
        publisher.disconnect()
        archive?.stop()
        metricsServer?.stop()
        state.withLock { $0.finished = true }
    }

    /// One period: policy distribution, the demand, the allocation, its publication, the archive and the metrics.
    private func allocatePeriod(_ allocator: any FleetAllocator, elapsed: Double, sequences: inout Sequences) {
        let c = configuration
        let nowMs = epochMilliseconds()
        distributePendingPolicy()
        let (demand, forecast) = demandNow(elapsed: elapsed, nowMs: nowMs, allocator: allocator)
        let clock = ContinuousClock(), t0 = clock.now
        let set = registry.allocationSet(atMs: CoordinatorClock.nowMs, excludeFlagged: c.excludeFlagged)
        let problem = AllocationProblem(devices: set.devices, demand: demand, forecast: forecast, period: c.period,
                                        hourOfDay: c.hourOfDay(atMs: nowMs))
        let result: AllocationResult
        do {
            result = try allocator.allocate(problem)
        } catch {
            c.log?("\(error)")
            state.withLock { $0.metrics.allocationFailures += 1 }
            return
        }
        let allocationMs = Self.seconds(clock.now - t0) * 1000
        if let fallback = result.fallback { c.log?("\(allocator.name): \(fallback)") }

        let expires = nowMs + max(1, Int64((c.commandExpiryPeriods * c.period * 1000).rounded()))
        let connected = publisher.isConnected
        // Commands still unacknowledged from earlier periods beyond one period's worth: the broker is not keeping
        // up, and more would only queue without bound and arrive expired. Skip this period's (counted).
        let backlogged = publisher.unacknowledged > max(set.devices.count, 1)
        var published = 0
        if connected && !backlogged {
            var resets = state.withLock { s in
                defer { s.faultResets.removeAll() }
                return s.faultResets
            }
            var commands = set.devices.enumerated().map { k, d in (d.name, d.index, result.powers[k]) }
            // Excluded devices asked to reset get a 0 W command carrying the request.
            for device in set.excluded where resets.contains(device.name) {
                if let index = registry.device(device.name, atMs: CoordinatorClock.nowMs)?.index { commands.append((device.name, index, 0)) }
            }
            for (name, index, power) in commands {
                let seq = (sequences.commands[index] ?? 0) + 1
                sequences.commands[index] = seq
                let command = SetpointCommand(header: MessageHeader(seq: seq, timestampMs: nowMs), expiresMs: expires,
                                              setpoint: .power(power), resetFaults: resets.remove(name) != nil)
                do {
                    try publisher.publish(FleetTopic.commands(site: c.site, device: name).string, command.encoded(), qos: .atLeastOnce)
                    published += 1
                } catch {
                    c.log?("command to \(name) not sent: \(error)")
                }
            }
            // Requests for devices not known yet wait for a later period.
            if !resets.isEmpty { state.withLock { $0.faultResets.formUnion(resets) } }
        }
        sequences.allocation += 1
        var powers: [String: Double] = [:]
        powers.reserveCapacity(set.devices.count)
        for (k, device) in set.devices.enumerated() { powers[device.name] = result.powers[k] }
        let allocation = SiteAllocation(header: MessageHeader(seq: sequences.allocation, timestampMs: nowMs), period: c.period,
                                        expiresMs: expires, demand: demand, allocated: result.allocated,
                                        demandMet: result.demandMet, allocator: allocator.name, devices: powers,
                                        excluded: set.excluded.map(\.name))
        if connected {
            do {
                try publisher.publish(FleetTopic.allocation(site: c.site).string, allocation.encoded(), qos: .atLeastOnce, retain: true)
            } catch {
                c.log?("site allocation not sent: \(error)")
            }
        }
        let cycleMs = Self.seconds(clock.now - t0) * 1000
        archive?.record(period: nowMs, expiresMs: expires, devices: set.devices.map(\.index), powers: result.powers,
                        demand: demand, demandMet: result.demandMet, excluded: set.excluded.count, allocationMs: allocationMs)
        let telemetry = registry.counters.telemetry
        state.withLock { s in
            var m = s.metrics
            m.lastAllocationMs = allocationMs; m.lastCycleMs = cycleMs
            m.allocationTimes.record(allocationMs)
            m.cycleTimes.record(cycleMs)
            m.allocations += 1
            if result.fallback != nil { m.mpcFallbacks += 1 }
            m.commandsPublished += published
            if backlogged { m.commandPeriodsSkipped += 1 }
            m.demand = demand; m.allocated = result.allocated; m.demandMet = result.demandMet
            m.devicesAllocated = set.devices.count
            if let sample = s.rateSample, Double(nowMs) > sample.ms {
                m.ingestRate = Double(telemetry - sample.count) / ((Double(nowMs) - sample.ms) / 1000)
            }
            s.rateSample = (telemetry, Double(nowMs))
            s.metrics = m
            s.lastAllocation = allocation
        }
        c.onPeriod?(allocation, metrics)
    }

    /// The demand now and its forecast for the periods after: the topic's latest message, or the signal generator
    /// evaluated one period ahead (the MPC's horizon ahead for the MPC).
    private func demandNow(elapsed: Double, nowMs: Int64, allocator: any FleetAllocator) -> (Double, [Double]) {
        let c = configuration
        if c.demand == .topic {
            let message = ingest.demand.message
            return (message?.demand ?? 0, message?.forecast ?? [])
        }
        let steps = max(1, ((allocator as? MPCAllocator)?.mpc.horizon ?? 1) - 1)
        func at(_ k: Int) -> Double {
            let ms = nowMs + Int64((Double(k) * c.period * 1000).rounded())
            return c.demand.value(elapsed: elapsed + Double(k) * c.period, hour: c.hourOfDay(atMs: ms)) ?? 0
        }
        return (at(0), (1...steps).map(at))
    }

    /// Publishes the distributed policy (retained, QoS 1) to the devices that do not have it yet.
    private func distributePendingPolicy() {
        guard let (policy, from) = state.withLock({ s in s.policy.map { ($0, s.policySentTo) } }), publisher.isConnected else { return }
        let names = registry.names
        guard from < names.count else { return }
        var sent = from
        for name in names[from...] {
            do {
                try publisher.publish(FleetTopic.policy(site: configuration.site, device: name).string, policy.bytes, qos: .atLeastOnce, retain: true)
                sent += 1
            } catch {
                configuration.log?("policy to \(name) not sent: \(error)")
                break
            }
        }
        state.withLock { s in
            s.metrics.policiesPublished += sent - from
            if s.policy?.crc == policy.crc, s.policySentTo == from { s.policySentTo = sent }
        }
    }
}
