import Testing
import WireFormats

@Suite("Tunnels: GRE, ERSPAN, VXLAN, CAPWAP")
struct TunnelTests {
    @Test("DHCP inside CAPWAP data (802.11 with swapped frame control) from a real controller capture")
    func capwap() throws {
        let frame = DiscoveryFixtures.dhcpInCAPWAP
        let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        let tunnel = try #require(dissection.tunnel)
        #expect(tunnel.kind == .capwap)
        #expect(tunnel.outerSource == IPv4Address("192.168.10.10"))
        #expect(tunnel.outerDestination == IPv4Address("192.168.10.9"))
        #expect(dissection.link.source == MACAddress("1c:ab:a7:f2:13:9d"))
        #expect(dissection.ipv4?.destination == .broadcast)
        guard case .udp(let udp) = dissection.transport else {
            Issue.record("no UDP inside")
            return
        }
        #expect(udp.sourcePort == 68 && udp.destinationPort == 67)
        let message = try DHCPMessage(
            decoding: frame.span.extracting(dissection.payload), base: dissection.payload.lowerBound)
        #expect(message.messageType == .discover)
        #expect(message.clientMAC == MACAddress("1c:ab:a7:f2:13:9d"))
    }

    @Test("CDP straight inside GRE (protocol 0x2000), outer 802.1Q kept on the tunnel")
    func greCDP() throws {
        let frame = DiscoveryFixtures.cdpInGRE
        let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        let tunnel = try #require(dissection.tunnel)
        #expect(tunnel.kind == .gre)
        #expect(tunnel.outerSource == IPv4Address("10.172.64.6"))
        #expect(tunnel.outerDestination == IPv4Address("10.172.64.7"))
        #expect(!tunnel.outerVLANs.isEmpty)
        let cdp = try CDPPacket(
            decoding: frame.span.extracting(dissection.payload), base: dissection.payload.lowerBound)
        #expect(cdp.deviceID == "R1")
        #expect(cdp.platform == "Linux Unix")
    }

    @Test("CDP mirrored by ERSPAN type II keeps the original VLAN 23 from the header")
    func erspanII() throws {
        let frame = DiscoveryFixtures.cdpInERSPAN
        let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        let tunnel = try #require(dissection.tunnel)
        #expect(tunnel.kind == .erspanII)
        #expect(tunnel.outerSource == IPv4Address("2.2.2.2"))
        #expect(tunnel.originalVLAN == 23)
        #expect(dissection.link.etherType == CDPPacket.protocolID)
        let cdp = try CDPPacket(
            decoding: frame.span.extracting(dissection.payload), base: dissection.payload.lowerBound)
        #expect(cdp.deviceID == "CSR3")
    }

    /// An outer Ethernet/IPv4 frame around `payload` with IP protocol `proto` (UDP gets its
    /// header from `udpPorts`).
    private func outer(proto: UInt8, udpPorts: (UInt16, UInt16)? = nil, payload: [UInt8]) -> [UInt8] {
        var body = payload
        if let (source, destination) = udpPorts {
            let length = 8 + payload.count
            body =
                [UInt8(source >> 8), UInt8(source & 0xFF), UInt8(destination >> 8), UInt8(destination & 0xFF)]
                + [UInt8(length >> 8), UInt8(length & 0xFF), 0, 0] + payload
        }
        let total = 20 + body.count
        let ip: [UInt8] =
            [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 1, 0, 0, 64, proto, 0, 0]
            + [198, 51, 100, 1, 198, 51, 100, 2]
        return [0, 0, 0x5E, 0, 0x53, 0x02, 0, 0, 0x5E, 0, 0x53, 0x01, 0x08, 0x00] + ip + body
    }

    @Test("a DHCP DISCOVER in VXLAN (VNI 5000) and in ERSPAN type III with its platform subheader")
    func vxlanAndERSPANIII() throws {
        let inner = Fixtures.ethernetFrame(vlans: [30], payload: Fixtures.polycomDiscover().encoded())
        let vxlan = self.outer(
            proto: 17, udpPorts: (49152, 4789), payload: [0x08, 0, 0, 0, 0x00, 0x13, 0x88, 0x00] + inner)
        let erspan3 = self.outer(
            proto: 47,
            payload: [0x10, 0x00, 0x22, 0xEB, 0, 0, 0, 7]  // GRE with a sequence number, ERSPAN III
                + [0x20, 0x1E, 0x00, 0x2A, 0, 0, 0, 0, 0, 0, 0x00, 0x01] + [UInt8](repeating: 0, count: 8) + inner)
        for (frame, kind, identifier) in [(vxlan, Tunnel.Kind.vxlan, UInt32(5000)), (erspan3, .erspanIII, 42)] {
            let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
            #expect(dissection.tunnel?.kind == kind)
            #expect(dissection.tunnel?.identifier == identifier)
            #expect(dissection.tunnel?.outerSource == IPv4Address("198.51.100.1"))
            #expect(dissection.link.vlans.ids == [30])
            #expect(dissection.link.source == MACAddress("00:04:f2:a1:b2:c3"))
            let message = try DHCPMessage(
                decoding: frame.span.extracting(dissection.payload), base: dissection.payload.lowerBound)
            #expect(message.clientMAC == MACAddress("00:04:f2:a1:b2:c3"))
        }
    }

    @Test("GRE with key carrying bridged Ethernet, and plain IPv4 in GRE")
    func greForms() throws {
        let inner = Fixtures.ethernetFrame(payload: Fixtures.polycomDiscover().encoded())
        let bridged = self.outer(proto: 47, payload: [0x20, 0x00, 0x65, 0x58, 0, 0, 0, 9] + inner)
        let dissection = try FrameDissection.dissect(bridged.span, linkType: .ethernet)
        #expect(dissection.tunnel?.kind == .gre && dissection.tunnel?.identifier == 9)
        #expect(dissection.ipv4?.destination == .broadcast)
        let ipOnly = self.outer(proto: 47, payload: [0x00, 0x00, 0x08, 0x00] + Array(inner.dropFirst(14)))
        let plain = try FrameDissection.dissect(ipOnly.span, linkType: .ethernet)
        #expect(plain.tunnel?.kind == .gre)
        #expect(plain.link.source == nil)
        #expect(plain.ipv4?.destination == .broadcast)
        #expect(try DHCPMessage(decoding: ipOnly.span.extracting(plain.payload)).messageType == .discover)
    }

    @Test("tunnel headers cut short are typed errors; what is no tunnel stays the outer packet")
    func brokenAndOther() throws {
        let vxlan = self.outer(proto: 17, udpPorts: (49152, 4789), payload: [0x08, 0, 0])
        #expect(throws: WireFormatError(code: .truncated, layer: "VXLAN", field: "", offset: 42, detail: "")) {
            try FrameDissection.dissect(vxlan.span, linkType: .ethernet)
        }
        // CAPWAP over DTLS (preamble type 1) is not opened.
        let dtls = self.outer(proto: 17, udpPorts: (5247, 40000), payload: [0x01, 0, 0, 0, 0x17, 0xFE])
        let dissection = try FrameDissection.dissect(dtls.span, linkType: .ethernet)
        #expect(dissection.tunnel == nil)
        guard case .udp(let udp) = dissection.transport else {
            Issue.record("no UDP")
            return
        }
        #expect(udp.sourcePort == 5247)
        // GRE version 1 (PPTP) is not opened.
        let pptp = self.outer(proto: 47, payload: [0x30, 0x01, 0x88, 0x0B, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(try FrameDissection.dissect(pptp.span, linkType: .ethernet).tunnel == nil)
        // Every truncation of a tunnelled frame: an error or a shorter dissection.
        for frame in [DiscoveryFixtures.dhcpInCAPWAP, DiscoveryFixtures.cdpInGRE, DiscoveryFixtures.cdpInERSPAN] {
            for length in 0...frame.count {
                _ = try? FrameDissection.dissect(Array(frame.prefix(length)).span, linkType: .ethernet)
            }
        }
    }
}
