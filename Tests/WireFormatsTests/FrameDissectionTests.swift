import Testing
import WireFormats

@Suite("Link, IPv4 and UDP layers")
struct FrameDissectionTests {
    @Test("an untagged Ethernet frame leads to the DHCP payload")
    func ethernet() throws {
        let payload = Fixtures.polycomDiscover().encoded()
        let frame = Fixtures.ethernetFrame(payload: payload)
        let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        #expect(dissection.link.source == MACAddress("00:04:f2:a1:b2:c3"))
        #expect(dissection.link.destination == MACAddress("ff:ff:ff:ff:ff:ff"))
        #expect(dissection.link.vlans.isEmpty)
        #expect(dissection.ipv4?.destination == .broadcast)
        guard case .udp(let udp) = dissection.transport else {
            Issue.record("no UDP")
            return
        }
        #expect(udp.sourcePort == 68 && udp.destinationPort == 67)
        #expect(Array(frame[dissection.payload]) == payload)
    }

    @Test(
        "802.1Q and QinQ tags keep their VLAN IDs, outermost first",
        arguments: [[UInt16(20)], [100, 20], [30, 20, 10]])
    func vlans(ids: [UInt16]) throws {
        let frame = Fixtures.ethernetFrame(vlans: ids, payload: Fixtures.polycomDiscover().encoded())
        let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        #expect(dissection.link.vlans.ids == ids)
        #expect(dissection.ipv4 != nil)
    }

    @Test("Linux SLL and SLL2 headers")
    func cooked() throws {
        let ip = Array(Fixtures.ethernetFrame(payload: [1, 2, 3, 4]).dropFirst(14))
        let sll: [UInt8] = [0, 0, 0, 1, 0, 6, 0x00, 0x04, 0xF2, 0xA1, 0xB2, 0xC3, 0, 0, 0x08, 0x00]
        let sll2: [UInt8] = [0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 0x64, 0x16, 0x7F, 0x0A, 0x0B, 0x0C, 0, 0]
        let one = try FrameDissection.dissect((sll + ip).span, linkType: .linuxSLL)
        #expect(one.link.source == MACAddress("00:04:f2:a1:b2:c3"))
        #expect(one.ipv4 != nil)
        let two = try FrameDissection.dissect((sll2 + ip).span, linkType: .linuxSLL2)
        #expect(two.link.source == MACAddress("64:16:7f:0a:0b:0c"))
        #expect(two.ipv4 != nil)
        let raw = try FrameDissection.dissect(ip.span, linkType: .raw)
        #expect(raw.ipv4?.protocolNumber == 17)
        let loopback = try FrameDissection.dissect(([2, 0, 0, 0] + ip).span, linkType: .null)
        #expect(loopback.ipv4 != nil)
    }

    @Test("IP fragments are flagged and their content not decoded")
    func fragments() throws {
        let frame = Fixtures.ethernetFrame(payload: [0, 1, 2, 3], fragment: (true, 0))
        let first = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        #expect(first.ipv4?.isFragment == true)
        let later = Fixtures.ethernetFrame(payload: [0, 1, 2, 3], fragment: (false, 1480))
        let dissection = try FrameDissection.dissect(later.span, linkType: .ethernet)
        #expect(dissection.ipv4?.isFragment == true)
        guard case .other = dissection.transport else {
            Issue.record("a non-first fragment was decoded as UDP")
            return
        }
    }

    @Test("a UDP length beyond the IP payload is reported with the ports still known")
    func udpLengthTooLong() throws {
        var frame = Fixtures.ethernetFrame(payload: Array(repeating: 0, count: 20))
        frame[38] = 0x30  // UDP length high byte
        let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        #expect(dissection.transportError?.code == .invalidLength)
        #expect(dissection.transportError?.offset == 38)
    }

    @Test("every truncation of a frame gives a typed error or a shorter dissection, never a trap")
    func everyTruncation() {
        let frame = Fixtures.ethernetFrame(vlans: [100, 20], payload: Fixtures.polycomDiscover().encoded())
        for length in 0...frame.count {
            let prefix = Array(frame.prefix(length))
            for linkType in LinkType.supported {
                _ = try? FrameDissection.dissect(prefix.span, linkType: linkType)
            }
        }
    }

    @Test("an unsupported link type is named")
    func unsupportedLinkType() {
        do {
            _ = try FrameDissection.dissect([UInt8](repeating: 0, count: 40).span, linkType: LinkType(rawValue: 147))
            Issue.record("decoded an unknown link type")
        } catch {
            #expect(error.code == .unsupported)
        }
    }
}
