import BootProxy
import Testing
import WireFormats

/// DHCP messages as a client and a server would send them.
private enum Messages {
    static let polycom = MACAddress(rawValue: 0x0004_F2AA_0001)
    static let other = MACAddress(rawValue: 0x000C_291F_7406)
    static let agent = IPv4Address(192, 0, 2, 1)
    /// The lab interface's subnet.
    static let subnet = IPv4Subnet(address: agent, prefixLength: 24)
    static let server = IPv4Address(198, 51, 100, 2)

    static func request(
        _ type: DHCPMessageType, mac: MACAddress = polycom, hops: UInt8 = 0, relay: IPv4Address = .any,
        clientAddress: IPv4Address = .any,
        extra: [DHCPOption] = []
    ) -> DHCPMessage {
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [type.rawValue]))
        area.append(DHCPOption(code: .parameterRequestList, data: [1, 3, 6, 66, 160]))
        area.append(DHCPOption(code: .vendorClassIdentifier, string: "Polycom-VVX410"))
        for option in extra { area.append(option) }
        area.elements.append(.end)
        return DHCPMessage(
            op: 1, hops: hops, transactionID: 0x1234_5678, clientAddress: clientAddress, relayAddress: relay,
            clientHardwareAddress: mac,
            options: area
        )
    }

    static func reply(
        _ type: DHCPMessageType, mac: MACAddress = polycom, relay: IPv4Address = agent, options: [DHCPOption] = [],
        padding: Int = 0
    ) -> DHCPMessage {
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [type.rawValue]))
        area.append(DHCPOption(code: .serverIdentifier, data: server.octets))
        area.append(DHCPOption(code: .leaseTime, data: [0, 0, 0x0E, 0x10]))
        for option in options { area.append(option) }
        area.elements.append(.end)
        if padding > 0 { area.elements.append(.pad(count: padding)) }
        return DHCPMessage(
            op: 2, transactionID: 0x1234_5678, yourAddress: IPv4Address(192, 0, 2, 120), relayAddress: relay,
            clientHardwareAddress: mac,
            options: area
        )
    }
}

@Suite("Adding the boot server to a reply (DESIGN §5)")
struct BootOptionInjectionTests {
    let policy = ProxyPolicy(bootServer: "ftp://PlcmSpIp:PlcmSpIp@192.0.2.10")

    @Test("160 goes in before End; every other option stays as the server sent it")
    func injects() throws {
        let reply = Messages.reply(.offer)
        guard case .injected(let modified, let codes) = BootOptionInjection.inject(into: reply, policy: self.policy)
        else {
            Issue.record("not injected")
            return
        }
        #expect(codes == [.polycomBootServer])
        #expect(modified.options.polycomBootServer == "ftp://PlcmSpIp:PlcmSpIp@192.0.2.10")
        let original = reply.encoded()
        let encoded = modified.encoded()
        // The fixed header and the options before End are unchanged; End is still last.
        let end = original.count - 1
        #expect(Array(encoded[..<end]) == Array(original[..<end]))
        #expect(encoded.last == 255)
        #expect(try DHCPMessage(decoding: encoded) == modified)
    }

    @Test("66 only when the phone asks for it or with --also-66")
    func option66() {
        let asked = BootOptionInjection.inject(
            into: Messages.reply(.ack), policy: self.policy,
            requestedOptions: DHCPOptionCodeSet([1, 66, 160].map { DHCPOptionCode(rawValue: $0) }))
        let notAsked = BootOptionInjection.inject(
            into: Messages.reply(.ack), policy: self.policy,
            requestedOptions: DHCPOptionCodeSet([1, 160].map { DHCPOptionCode(rawValue: $0) }))
        var also = self.policy
        also.alsoOption66 = true
        let forced = BootOptionInjection.inject(
            into: Messages.reply(.ack), policy: also,
            requestedOptions: DHCPOptionCodeSet([1].map { DHCPOptionCode(rawValue: $0) }))
        #expect(Self.codes(asked) == [160, 66])
        #expect(Self.codes(notAsked) == [160])
        #expect(Self.codes(forced) == [160, 66])
    }

    @Test("a server's own 160 is kept unless --override")
    func override() {
        let reply = Messages.reply(.ack, options: [DHCPOption(code: .polycomBootServer, string: "tftp://198.51.100.9")])
        guard case .unchanged(let reason) = BootOptionInjection.inject(into: reply, policy: self.policy) else {
            Issue.record("replaced without --override")
            return
        }
        #expect(reason.contains("--override"))
        var policy = self.policy
        policy.override = true
        guard case .injected(let modified, _) = BootOptionInjection.inject(into: reply, policy: policy) else {
            Issue.record("not replaced with --override")
            return
        }
        #expect(modified.options.polycomBootServer == "ftp://PlcmSpIp:PlcmSpIp@192.0.2.10")
        guard case .options(let area) = modified.vendorArea else { return }
        #expect(area.options.filter { $0.code == .polycomBootServer }.count == 1)
    }

    @Test("other clients' replies are not touched")
    func otherOUI() {
        guard
            case .unchanged(let reason) = BootOptionInjection.inject(
                into: Messages.reply(.offer, mac: Messages.other), policy: self.policy)
        else {
            Issue.record("injected into a non-Polycom reply")
            return
        }
        #expect(reason.contains("OUI"))
    }

    @Test("a reply already at 548 bytes gives up its padding, and stays unchanged when there is none to give")
    func sizeLimit() {
        // 236 + 4 + 3 + 6 + 6 + End = 256 bytes; pad to exactly 548.
        let padded = Messages.reply(.offer, padding: 548 - 256)
        guard case .injected(let modified, _) = BootOptionInjection.inject(into: padded, policy: self.policy) else {
            Issue.record("padding was not given up")
            return
        }
        #expect(modified.encodedCount == 548)
        let full = Messages.reply(
            .offer, options: [DHCPOption(code: DHCPOptionCode(rawValue: 224), data: [UInt8](repeating: 7, count: 288))])
        #expect(full.encodedCount == 548)
        guard case .unchanged(let reason) = BootOptionInjection.inject(into: full, policy: self.policy) else {
            Issue.record("a reply went over 576 bytes")
            return
        }
        #expect(reason.contains("no room"))
        // A client that takes 1500 bytes (option 57) gets it.
        #expect(
            Self.codes(BootOptionInjection.inject(into: full, policy: self.policy, maximumMessageSize: 1500)) == [160])
    }

    private static func codes(_ outcome: BootOptionInjection.Outcome) -> [UInt8] {
        if case .injected(_, let codes) = outcome { codes.map(\.rawValue) } else { [] }
    }
}

@Suite("Answering DHCPINFORM (RFC 2131 §4.3.5)")
struct InformResponderTests {
    let policy = ProxyPolicy(bootServer: "tftp://192.0.2.10")

    @Test("a Polycom INFORM gets an ACK with 53, 54 and 160, unicast to ciaddr:68, same xid and chaddr")
    func answers() throws {
        let inform = Messages.request(.inform, clientAddress: IPv4Address(192, 0, 2, 50))
        let decision = InformResponder.respond(
            to: inform.encoded(), serverAddress: Messages.agent, subnet: Messages.subnet, policy: self.policy)
        guard case .send(let bytes, let destination) = decision.action else {
            Issue.record("no answer: \(decision.verdict)")
            return
        }
        #expect(destination == .unicast(IPv4Address(192, 0, 2, 50), 68))
        let ack = try DHCPMessage(decoding: bytes)
        #expect(ack.op == 2)
        #expect(ack.messageType == .ack)
        #expect(ack.transactionID == inform.transactionID)
        #expect(ack.clientMAC == Messages.polycom)
        #expect(ack.clientAddress == IPv4Address(192, 0, 2, 50))
        #expect(ack.yourAddress == .any)
        #expect(ack.options.serverIdentifier == Messages.agent)
        #expect(ack.options.polycomBootServer == "tftp://192.0.2.10")
        #expect(ack.options[.leaseTime] == nil)  // no lease in an answer to INFORM
    }

    @Test(
        "never DISCOVER or REQUEST, never another OUI, never garbage",
        arguments: [
            Messages.request(.discover).encoded(),
            Messages.request(.request).encoded(),
            Messages.request(.inform, mac: Messages.other, clientAddress: IPv4Address(192, 0, 2, 50)).encoded(),
            Messages.request(.inform).encoded(),  // no ciaddr
            Array(Messages.request(.inform, clientAddress: IPv4Address(192, 0, 2, 50)).encoded().prefix(200)),
            [UInt8](repeating: 0xFF, count: 300),
            // Addresses no phone on the lab link can have: another subnet, the subnet's own
            // network and broadcast addresses, the proxy's address, a relay that is not on the link.
            Messages.request(.inform, clientAddress: IPv4Address(198, 51, 100, 7)).encoded(),
            Messages.request(.inform, clientAddress: IPv4Address(192, 0, 2, 0)).encoded(),
            Messages.request(.inform, clientAddress: IPv4Address(192, 0, 2, 255)).encoded(),
            Messages.request(.inform, clientAddress: Messages.agent).encoded(),
            Messages.request(.inform, relay: IPv4Address(198, 51, 100, 1), clientAddress: IPv4Address(192, 0, 2, 50))
                .encoded(),
        ])
    func ignores(bytes: [UInt8]) {
        let decision = InformResponder.respond(
            to: bytes, serverAddress: Messages.agent, subnet: Messages.subnet, policy: self.policy)
        guard case .drop = decision.action else {
            Issue.record("answered: \(decision.verdict)")
            return
        }
    }
}

@Suite("Relaying (RFC 1542 §4, RFC 3046)")
struct RelayAgentTests {
    let policy = ProxyPolicy(bootServer: "tftp://192.0.2.10")

    @Test("a request goes upstream with giaddr set and hops + 1; every other byte, option 82 included, is the client's")
    func forwardsRequest() throws {
        var agent = RelayAgent(agentAddress: Messages.agent, policy: self.policy)
        let option82 = DHCPOption(
            code: .relayAgentInformation, data: [1, 4, 0x00, 0x14, 0x00, 0x01, 2, 3, 0x73, 0x77, 0x31])
        let request = Messages.request(.discover, hops: 2, extra: [option82]).encoded()
        let decision = agent.clientDatagram(request)
        guard case .send(let bytes, let destination) = decision.action else {
            Issue.record("not forwarded: \(decision.verdict)")
            return
        }
        #expect(destination == .upstreamServers)
        #expect(bytes[3] == 3)
        #expect(Array(bytes[24..<28]) == Messages.agent.octets)
        var expected = request
        expected[3] = 3
        expected.replaceSubrange(24..<28, with: Messages.agent.octets)
        #expect(bytes == expected)
        #expect(try DHCPMessage(decoding: bytes).options[.relayAgentInformation] == option82.data)
    }

    @Test("hops 16 is dropped; another relay's giaddr is kept and its replies go back to it")
    func hopsAndOtherRelays() {
        var agent = RelayAgent(agentAddress: Messages.agent, policy: self.policy)
        guard case .drop = agent.clientDatagram(Messages.request(.discover, hops: 16).encoded()).action else {
            Issue.record("hops 16 forwarded")
            return
        }
        let otherRelay = IPv4Address(192, 0, 2, 200)
        guard
            case .send(let forwarded, _) = agent.clientDatagram(
                Messages.request(.discover, relay: otherRelay).encoded()
            ).action
        else {
            Issue.record("relayed request dropped")
            return
        }
        #expect(Array(forwarded[24..<28]) == otherRelay.octets)
        let reply = Messages.reply(.offer, relay: otherRelay).encoded()
        guard case .send(let bytes, let destination) = agent.serverDatagram(reply).action else {
            Issue.record("reply for another relay dropped")
            return
        }
        #expect(destination == .unicast(otherRelay, 67))
        #expect(bytes == reply)
    }

    @Test("replies: Polycom OFFER/ACK get 160, broadcast while the client has no address; others pass byte for byte")
    func replies() throws {
        var agent = RelayAgent(agentAddress: Messages.agent, policy: self.policy)
        _ = agent.clientDatagram(Messages.request(.discover).encoded())
        let offer = agent.serverDatagram(Messages.reply(.offer).encoded())
        guard case .send(let bytes, let destination) = offer.action else {
            Issue.record("offer dropped")
            return
        }
        #expect(destination == .broadcastToClients)
        #expect(try DHCPMessage(decoding: bytes).options.polycomBootServer == "tftp://192.0.2.10")
        // The client asked for 66 in its DISCOVER (parameter request list), so it gets it too.
        #expect(offer.injected.map(\.rawValue) == [160, 66])

        let other = Messages.reply(.offer, mac: Messages.other).encoded()
        guard case .send(let passed, _) = agent.serverDatagram(other).action else {
            Issue.record("other client's offer dropped")
            return
        }
        #expect(passed == other)
        let nak = Messages.reply(.nak).encoded()
        guard case .send(let nakBytes, _) = agent.serverDatagram(nak).action else {
            Issue.record("NAK dropped")
            return
        }
        #expect(nakBytes == nak)
    }

    @Test("malformed datagrams on either side are dropped with a reason, never a trap")
    func malformed() {
        var agent = RelayAgent(agentAddress: Messages.agent, policy: self.policy)
        var generator = SystemRandomNumberGenerator()
        let good = Messages.request(.discover).encoded()
        for length in 0..<good.count {
            _ = agent.clientDatagram(Array(good.prefix(length)))
            _ = agent.serverDatagram(Array(Messages.reply(.ack).encoded().prefix(length)))
        }
        for _ in 0..<500 {
            var bytes = good
            for _ in 0..<8 {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = .random(in: 0...255, using: &generator)
            }
            _ = agent.clientDatagram(bytes)
            bytes[0] = 2
            _ = agent.serverDatagram(bytes)
            _ = InformResponder.respond(
                to: bytes, serverAddress: Messages.agent, subnet: Messages.subnet, policy: self.policy)
        }
        let decision = agent.clientDatagram(Array(good.prefix(100)))
        #expect(decision.verdict.description.hasPrefix("dropped: malformed"))
    }
}

@Suite("Limiting INFORM answers")
struct AnswerRateLimiterTests {
    static let second: UInt64 = 1_000_000_000
    let limits = AnswerRateLimiter.Limits(
        clientBurst: 3, clientInterval: 2 * second, totalBurst: 5, totalInterval: second / 10, trackedClients: 4)

    @Test("a client gets its burst, then one answer per interval")
    func perClient() {
        var limiter = AnswerRateLimiter(limits: self.limits)
        let start: UInt64 = 100 * Self.second
        let verdicts = (0..<4).map { _ in limiter.admit(Messages.polycom, now: start) }
        #expect(verdicts == [.allowed, .allowed, .allowed, .clientLimited])
        #expect(limiter.admit(Messages.polycom, now: start + Self.second) == .clientLimited)
        #expect(limiter.admit(Messages.polycom, now: start + 2 * Self.second) == .allowed)
        // Another client is not held back by the first.
        #expect(limiter.admit(Messages.other, now: start + 2 * Self.second) == .allowed)
    }

    @Test("all clients together get the overall burst, then the overall rate; a reachable client is exempt")
    func overall() {
        var limiter = AnswerRateLimiter(limits: self.limits)
        let start: UInt64 = 100 * Self.second
        let clients = (1...6).map { MACAddress(rawValue: 0x0004_F200_0000 + UInt64($0)) }
        let verdicts = clients.map { limiter.admit($0, now: start) }
        #expect(verdicts == [.allowed, .allowed, .allowed, .allowed, .allowed, .totalLimited])
        #expect(limiter.admit(clients[5], now: start, exemptFromTotal: true) == .allowed)
        #expect(limiter.admit(clients[5], now: start + Self.second / 10) == .allowed)
    }

    @Test("the table of clients stays at its bound, oldest forgotten first")
    func bounded() {
        var limiter = AnswerRateLimiter(limits: self.limits)
        for index in 0..<1000 {
            _ = limiter.admit(MACAddress(rawValue: 0x0004_F200_0000 + UInt64(index)), now: UInt64(index) * Self.second)
        }
        #expect(limiter.trackedClientCount == 4)
    }
}

@Suite("The lab subnet (RFC 4632 §3.1)")
struct IPv4SubnetTests {
    @Test("hosts of a /24: not the network, not the broadcast, not another subnet")
    func hosts() throws {
        let subnet = try #require(
            IPv4Subnet(address: IPv4Address(192, 0, 2, 1), netmask: IPv4Address(255, 255, 255, 0)))
        #expect(subnet.description == "192.0.2.0/24")
        #expect(subnet.containsHost(IPv4Address(192, 0, 2, 50)))
        #expect(!subnet.containsHost(IPv4Address(192, 0, 2, 0)))
        #expect(!subnet.containsHost(IPv4Address(192, 0, 2, 255)))
        #expect(!subnet.containsHost(IPv4Address(198, 51, 100, 50)))
        #expect(IPv4Subnet(address: IPv4Address(192, 0, 2, 1), netmask: IPv4Address(255, 0, 255, 0)) == nil)
        #expect(
            IPv4Subnet(address: IPv4Address(192, 0, 2, 1), prefixLength: 31).containsHost(IPv4Address(192, 0, 2, 0)))
    }
}
