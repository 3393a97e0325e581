import Testing
import WireFormats

@Suite("LLDP and CDP decoders")
struct LinkDiscoveryTests {
    /// Decodes a frame and returns its announcement.
    private func announcement(_ frame: [UInt8]) throws -> LinkDiscovery? {
        let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        return try LinkDiscovery.decode(
            etherType: dissection.link.etherType, payload: frame.span.extracting(dissection.payload),
            base: dissection.payload.lowerBound)
    }

    @Test("an LLDP-MED network policy from lldpd: voice, untagged, VLAN 0, as tshark decodes it")
    func lldpMEDPolicy() throws {
        guard case .lldp(let pdu)? = try self.announcement(DiscoveryFixtures.lldpMEDPolicy) else {
            Issue.record("not LLDP")
            return
        }
        #expect(pdu.chassisID.subtype == 1)
        #expect(pdu.chassisID.description == "0ac0de9d0a74")
        #expect(pdu.portID.macAddress == MACAddress("3e:3e:3e:3e:3e:3e"))
        #expect(pdu.timeToLive == 16)
        let policy = try #require(pdu.med?.voicePolicy)
        #expect(policy.application == .voice)
        #expect(!policy.isUnknown && !policy.isTagged)
        #expect(policy.vlanID == 0 && policy.priority == 0 && policy.dscp == 0)
    }

    @Test("LLDP-MED class and inventory from a Cisco SG 200 (tshark: V02, 1.0.8.3, SG 200-08P)")
    func lldpInventory() throws {
        guard case .lldp(let pdu)? = try self.announcement(DiscoveryFixtures.lldpSG200) else {
            Issue.record("not LLDP")
            return
        }
        #expect(pdu.portID.text == "g1")
        let med = try #require(pdu.med)
        #expect(med.deviceClass == 4)
        #expect(med.capabilities == 0x002F)
        #expect(med.hardwareRevision == "V02")
        #expect(med.firmwareRevision == "1.0.8.3")
        #expect(med.softwareRevision == "1.0.8.3")
        #expect(med.serialNumber == "XXX11111ZZZ")
        #expect(med.model == "SG 200-08P")
    }

    @Test("CDP from a Cisco IP Phone 7912 in 802.3 + LLC/SNAP")
    func cdpPhone() throws {
        let frame = DiscoveryFixtures.cdpPhone
        let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        #expect(dissection.link.etherType == CDPPacket.protocolID)
        #expect(dissection.link.destination == MACAddress("01:00:0c:cc:cc:cc"))
        guard case .cdp(let cdp)? = try self.announcement(frame) else {
            Issue.record("not CDP")
            return
        }
        #expect(cdp.version == 2 && cdp.timeToLive == 180)
        #expect(cdp.deviceID == "SEP001B53489EE0")
        #expect(cdp.platform == "Cisco IP Phone 7912")
        #expect(cdp.softwareVersion == "CP7912-v8-00-1-060412A")
        #expect(cdp.portID == "Port 1")
        #expect(cdp.isPhone)
    }

    @Test("an LLDP-MED network policy with voice VLAN 120, tagged, priority 5, DSCP 46, in 802.1Q")
    func taggedVoicePolicy() throws {
        // Built from the layouts of 802.1AB §8.5 and TIA-1057 §10.2.3: chassis MAC, port name
        // "ge-0/0/1", TTL 120, the policy, end.
        var pdu: [UInt8] = [0x02, 0x07, 0x04, 0x00, 0x00, 0x5E, 0x00, 0x53, 0x01]
        pdu += [0x04, 0x09, 0x05] + Array("ge-0/0/1".utf8)
        pdu += [0x06, 0x02, 0x00, 120]
        // Application 1, T set, VLAN 120, priority 5, DSCP 46: 0x40 | 120 << 9 | 5 << 6 | 46.
        let bits: UInt32 = 0x40_0000 | 120 << 9 | 5 << 6 | 46
        pdu += [
            0xFE, 0x08, 0x00, 0x12, 0xBB, 0x02, 0x01, UInt8(bits >> 16), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF),
        ]
        pdu += [0x00, 0x00]
        let frame: [UInt8] =
            [
                0x01, 0x80, 0xC2, 0x00, 0x00, 0x0E, 0x00, 0x00, 0x5E, 0x00, 0x53, 0x01, 0x81, 0x00, 0x00, 0x0A, 0x88,
                0xCC,
            ]
            + pdu + [0, 0, 0, 0]
        let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        #expect(dissection.link.vlans.ids == [10])
        guard case .lldp(let decoded)? = try self.announcement(frame) else {
            Issue.record("not LLDP")
            return
        }
        #expect(decoded.portID.text == "ge-0/0/1")
        let policy = try #require(decoded.med?.voicePolicy)
        #expect(policy == LLDPNetworkPolicy(application: .voice, isTagged: true, vlanID: 120, priority: 5, dscp: 46))
        #expect(policy.description == "voice vlan 120 tagged priority 5 dscp 46")
    }

    @Test("a CDP voice VLAN reply (TLV 0x000e) from a switch names the VLAN")
    func cdpVoiceVLANReply() throws {
        var packet: [UInt8] = [0x02, 0xB4, 0x00, 0x00]
        packet += [0x00, 0x01, 0x00, 0x07] + Array("sw1".utf8)
        packet += [0x00, 0x0A, 0x00, 0x06, 0x00, 0x0A]  // native VLAN 10
        packet += [0x00, 0x0E, 0x00, 0x07, 0x01, 0x00, 0x78]  // appliance 1 (phone), VLAN 120
        let cdp = try CDPPacket(decoding: packet)
        #expect(cdp.deviceID == "sw1")
        #expect(cdp.nativeVLAN == 10)
        #expect(cdp.voiceVLANReply == CDPPacket.VoiceVLAN(applianceID: 1, vlanID: 120))
        #expect(cdp.voiceVLANQuery == nil)
    }

    @Test("broken LLDP and CDP give typed errors naming the TLV and offset")
    func malformed() {
        // Port ID first: the chassis ID TLV is missing.
        #expect(throws: WireFormatError(code: .invalidValue, layer: "LLDP", field: "", offset: 0, detail: "")) {
            try LLDPDU(decoding: [0x04, 0x02, 0x05, 0x41])
        }
        // Chassis ID claims 7 bytes, 3 are there: the value is truncated at byte 2.
        #expect(throws: WireFormatError(code: .truncated, layer: "LLDP", field: "", offset: 2, detail: "")) {
            try LLDPDU(decoding: [0x02, 0x07, 0x04, 0x00, 0x00])
        }
        // A network policy of 5 bytes instead of 8.
        let shortPolicy: [UInt8] =
            [0x02, 0x02, 0x07, 0x41, 0x04, 0x02, 0x05, 0x42, 0x06, 0x02, 0x00, 0x10]
            + [0xFE, 0x05, 0x00, 0x12, 0xBB, 0x02, 0x01]
        #expect(throws: WireFormatError(code: .invalidLength, layer: "LLDP-MED", field: "", offset: 12, detail: "")) {
            try LLDPDU(decoding: shortPolicy)
        }
        // A CDP TLV whose length is below its own header.
        #expect(throws: WireFormatError(code: .invalidLength, layer: "CDP", field: "", offset: 6, detail: "")) {
            try CDPPacket(decoding: [0x02, 0xB4, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02])
        }
        #expect(throws: WireFormatError(code: .truncated, layer: "CDP", field: "", offset: 0, detail: "")) {
            try CDPPacket(decoding: [0x02])
        }
    }

    @Test("every truncation of real LLDP and CDP frames is an error or a decoding, never a trap")
    func truncations() {
        for frame in [DiscoveryFixtures.lldpMEDPolicy, DiscoveryFixtures.lldpSG200, DiscoveryFixtures.cdpPhone] {
            for length in 0...frame.count {
                _ = try? self.announcement(Array(frame.prefix(length)))
            }
        }
    }
}
