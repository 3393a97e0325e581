import Testing
import WireFormats

@testable import BootAnalysis

private typealias Fixture = PhoneRecordFixture

/// The switch's LLDP-MED: class 4, voice on `vlan` (tagged, priority 5, DSCP 46).
private func lldp(voiceVLAN vlan: UInt16, tagged: Bool = true) -> LLDPDU {
    var med = LLDPMED()
    med.deviceClass = 4
    med.networkPolicies = [
        LLDPNetworkPolicy(application: .voice, isTagged: tagged, vlanID: vlan, priority: 5, dscp: 46)
    ]
    return LLDPDU(
        chassisID: LLDPIdentifier(role: .chassis, subtype: 4, bytes: [0x00, 0x00, 0x5E, 0x00, 0x53, 0x01]),
        portID: LLDPIdentifier(role: .port, subtype: 5, bytes: Array("ge-0/0/1".utf8)), timeToLive: 120,
        systemName: "access-sw1", med: med)
}

/// `discovery` as the classifier gives it: a link-layer packet in frame `frame`.
private func packet(_ discovery: LinkDiscovery, frame: Int, from mac: MACAddress, vlans: [UInt16] = []) -> DecodedPacket
{
    DecodedPacket(
        frameNumber: frame, timestamp: Int64(frame) * 1_000_000_000, sourceMAC: mac,
        destinationMAC: MACAddress("01:80:c2:00:00:0e"), vlans: VLANTags(vlans), source: .any, destination: .any,
        sourcePort: 0, destinationPort: 0, content: .discovery(discovery))
}

private let switchMAC = MACAddress(rawValue: 0x0000_5E00_5301)

/// The switch's announcement, as the analyzer keeps it.
private func switchAnnouncement(voiceVLAN vlan: UInt16, frame: Int = 1) -> LinkAnnouncement {
    LinkAnnouncement(
        .lldp(lldp(voiceVLAN: vlan)), packet: packet(.lldp(lldp(voiceVLAN: vlan)), frame: frame, from: switchMAC))
}

/// A DHCP message of the fixture, seen on `vlan` (nil: untagged), a reply carrying `vlanA`
/// in option 128.
private func message(_ type: DHCPMessageType, frame: Int, vlan: UInt16? = nil, vlanA: String? = nil)
    -> DHCPTransaction.Message
{
    var message = Fixture.message(type, frame: frame)
    message.vlans = VLANTags(vlan.map { [$0] } ?? [])
    if let vlanA {
        message.vlanDiscovery =
            VLANDiscoveryLookup(
                DHCPOptions([DHCPOption(code: .vlanDiscovery128, data: Array(vlanA.utf8))])
            ).entries
    }
    return message
}

@Suite("Finding rules: the voice VLAN (LLDP-MED, CDP, VLAN-A=)")
struct VLANFindingTests {
    @Test("vlan-option-malformed names the option, the byte and the fault; silent on a valid string")
    func optionMalformed() throws {
        let bad = Fixture.record([
            Fixture.transaction([message(.discover, frame: 1), message(.offer, frame: 2, vlanA: "VLAN-A=120 ;")])
        ])
        let findings = FindingRule.vlanOptionMalformed.evaluate(bad)
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(finding.severity == .warning && finding.frames == [2])
        #expect(finding.message.contains("option 128 (byte 10: whitespace"))
        let good = Fixture.record([
            Fixture.transaction([message(.discover, frame: 1), message(.offer, frame: 2, vlanA: "VLAN-A=120;")])
        ])
        #expect(FindingRule.vlanOptionMalformed.evaluate(good).isEmpty)
    }

    @Test("vlan-conflict: LLDP-MED says 120, DHCP says 130; silent when they agree")
    func conflict() throws {
        var record = Fixture.record([
            Fixture.transaction([message(.discover, frame: 2), message(.offer, frame: 3, vlanA: "VLAN-A=130;")])
        ])
        record.switchAnnouncements = [switchAnnouncement(voiceVLAN: 120)]
        let finding = try #require(FindingRule.vlanConflict.evaluate(record).first)
        #expect(finding.frames == [1, 3])
        #expect(finding.message.contains("voice VLAN 120") && finding.message.contains("VLAN-A=130"))
        record.transactions = [
            Fixture.transaction([message(.discover, frame: 2), message(.offer, frame: 3, vlanA: "VLAN-A=0x78;")])
        ]
        #expect(FindingRule.vlanConflict.evaluate(record).isEmpty)
    }

    @Test("voice-vlan-silent: DISCOVERs on the announced voice VLAN with no OFFER; silent once answered")
    func voiceVLANSilent() throws {
        var record = Fixture.record([
            Fixture.transaction([message(.discover, frame: 2, vlan: 120), message(.discover, frame: 5, vlan: 120)])
        ])
        record.switchAnnouncements = [switchAnnouncement(voiceVLAN: 120)]
        let finding = try #require(FindingRule.voiceVLANSilent.evaluate(record).first)
        #expect(finding.severity == .error && finding.frames == [1, 2, 5])
        record.transactions = [
            Fixture.transaction([message(.discover, frame: 2, vlan: 120), message(.offer, frame: 3, vlan: 120)])
        ]
        #expect(FindingRule.voiceVLANSilent.evaluate(record).isEmpty)
        // An untagged voice policy gives no VLAN to be silent on.
        record.switchAnnouncements = [
            LinkAnnouncement(
                .lldp(lldp(voiceVLAN: 120, tagged: false)),
                packet: packet(.lldp(lldp(voiceVLAN: 120, tagged: false)), frame: 1, from: switchMAC))
        ]
        record.transactions = [Fixture.transaction([message(.discover, frame: 2, vlan: 120)])]
        #expect(FindingRule.voiceVLANSilent.evaluate(record).isEmpty)
    }

    @Test("vlan-loop: VLAN-A=120 untagged, unanswered DISCOVERs on 120, back untagged; silent when 120 answers")
    func loop() throws {
        let untagged = Fixture.transaction(
            xid: 1,
            [
                message(.discover, frame: 1), message(.offer, frame: 2, vlanA: "VLAN-A=120;"),
                message(.request, frame: 3), message(.ack, frame: 4, vlanA: "VLAN-A=120;"),
            ])
        let lost = Fixture.transaction(
            xid: 2, [message(.discover, frame: 5, vlan: 120), message(.discover, frame: 6, vlan: 120)])
        let back = Fixture.transaction(xid: 3, [message(.discover, frame: 7)])
        let finding = try #require(FindingRule.vlanLoop.evaluate(Fixture.record([untagged, lost, back])).first)
        #expect(finding.severity == .error)
        #expect(finding.frames == [2, 5, 6, 7])
        #expect(finding.message.contains("the untagged VLAN gave VLAN-A=120"))
        let answered = Fixture.transaction(
            xid: 2, [message(.discover, frame: 5, vlan: 120), message(.offer, frame: 6, vlan: 120)])
        #expect(FindingRule.vlanLoop.evaluate(Fixture.record([untagged, answered, back])).isEmpty)
        #expect(FindingRule.vlanLoop.evaluate(Fixture.record([untagged, lost])).isEmpty)
    }

    @Test("the analyzer lists every announcement, gives a lone switch's to the phone and the phone's own model")
    func analyzerRecords() throws {
        var analyzer = BootAnalyzer()
        for frame in [1, 3] { _ = analyzer.consume(packet(.lldp(lldp(voiceVLAN: 120)), frame: frame, from: switchMAC)) }
        var phoneLLDP = LLDPDU(
            chassisID: LLDPIdentifier(role: .chassis, subtype: 4, bytes: Fixture.mac.octets),
            portID: LLDPIdentifier(role: .port, subtype: 3, bytes: Fixture.mac.octets), timeToLive: 120,
            systemDescription: "Polycom;VVX-VVX_311;3111-48350-001,1;SIP/5.4.5.6840/26-Oct-16 17:49;UP/5.6.5.6003;")
        phoneLLDP.enabledCapabilities = 0x24
        _ = analyzer.consume(packet(.lldp(phoneLLDP), frame: 2, from: Fixture.mac))
        // The phone's DHCP: a DISCOVER with a boot-option request, so that it is a phone.
        let discover = DHCPMessage(
            op: 1, transactionID: 7, flags: 0, clientHardwareAddress: Fixture.mac,
            options: {
                var area = DHCPOptionArea()
                area.append(DHCPOption(code: .messageType, data: [1]))
                area.append(DHCPOption(code: .parameterRequestList, data: [1, 3, 160, 66]))
                area.elements.append(.end)
                return area
            }())
        _ = analyzer.consume(
            DecodedPacket(
                frameNumber: 4, timestamp: 4_000_000_000, sourceMAC: Fixture.mac, destinationMAC: nil,
                vlans: VLANTags([120]), source: .any, destination: .broadcast, sourcePort: 68, destinationPort: 67,
                content: .dhcp(discover)))
        let report = analyzer.finish().report
        #expect(report.announcements.count == 2)
        #expect(report.announcements.first?.count == 2 && report.announcements.first?.lastFrame == 3)
        let phone = try #require(report.phones.first)
        #expect(phone.switchAnnouncements.map(\.taggedVoiceVLAN) == [120])
        #expect(phone.advertised.count == 1 && phone.advertised.first?.side == .endpoint)
        #expect(phone.model == "VVX 311" && phone.modelSource == .linkDiscovery)
        #expect(phone.transactions.first?.messages.first?.vlan == 120)
        #expect(phone.findings.contains { $0.code == .voiceVLANSilent })
    }
}
