import Testing
import WireFormats

@Suite("The DHCP messages a probe sends as a Polycom phone, and the frames that carry them")
struct PolycomDHCPRequestTests {
    static let mac = MACAddress("00:04:f2:12:34:56")!
    static let vendor = PolycomVendorClass(
        company: "Polycom", model: "VVX-VVX_410", partNumber: "3111-46162-001",
        applicationVersion: "SIP/5.9.5.0614/11-Feb-20 10:34", bootROMVersion: "UP/5.9.5.0614/11-Feb-20 10:20")

    static func request(_ form: PolycomDHCPRequest.VendorClassForm) -> PolycomDHCPRequest {
        PolycomDHCPRequest(mac: Self.mac, transactionID: 0x1234_5678, vendorClass: Self.vendor, vendorClassForm: form)
    }

    @Test("the DISCOVER is broadcast, from the phone's MAC, and decodes back to Polycom's binary option 60")
    func discover() throws {
        let bytes = Self.request(.binary).discover(seconds: 3).encoded()
        let message = try DHCPMessage(decoding: bytes)
        #expect(message.messageType == .discover)
        #expect(message.isBroadcast)
        #expect(message.clientMAC == Self.mac)
        #expect(message.transactionID == 0x1234_5678)
        #expect(message.seconds == 3)
        guard case .polycom(let block) = message.options.vendorClass else {
            Issue.record("option 60 is not read as Polycom's: \(String(describing: message.options.vendorClass))")
            return
        }
        #expect(block.model == "VVX-VVX_410")
        #expect(block.partNumber == "3111-46162-001")
        #expect(block.applicationVersion == "SIP/5.9.5.0614/11-Feb-20 10:34")
        let requested = message.options.parameterRequestList?.map(\.rawValue) ?? []
        #expect(requested.contains(66) && requested.contains(160))
        // Never a lease time, host name or client identifier (dhcp-server-recipes.md §A.4).
        for code: DHCPOptionCode in [.leaseTime, .hostName, .clientIdentifier] { #expect(message.options[code] == nil) }
    }

    @Test("the ASCII form is Polycom-<model> without the family prefix")
    func ascii() throws {
        let message = try DHCPMessage(decoding: Self.request(.ascii).discover().encoded())
        #expect(message.options[.vendorClassIdentifier] == Array("Polycom-VVX410".utf8))
        #expect(message.options.vendorClass?.isPolycom == true)
    }

    @Test("the REQUEST names the offer and its server; the RELEASE gives the address back, unicast")
    func requestAndRelease() throws {
        let offered = IPv4Address(192, 0, 2, 120)
        let server = IPv4Address(192, 0, 2, 1)
        let request = try DHCPMessage(
            decoding: Self.request(.binary).request(offered: offered, server: server).encoded())
        #expect(request.messageType == .request)
        #expect(request.options.requestedIPAddress == offered)
        #expect(request.options.serverIdentifier == server)
        #expect(request.clientAddress == .any)
        let release = try DHCPMessage(
            decoding: Self.request(.binary).release(address: offered, server: server).encoded())
        #expect(release.messageType == .release)
        #expect(release.clientAddress == offered)
        #expect(release.options.serverIdentifier == server)
        #expect(!release.isBroadcast)
    }

    @Test("a frame's IPv4 and UDP checksums verify: the sum over each, checksum included, is zero")
    func checksums() throws {
        let payload = Self.request(.binary).discover().encoded()
        for vlan: UInt16? in [nil, 120] {
            let frame = UDPFrame(
                source: Self.mac, destination: UDPFrame.broadcastMAC, vlan: vlan, sourceAddress: .any,
                destinationAddress: .broadcast, sourcePort: 68, destinationPort: 67, payload: payload
            ).encoded()
            let ip = vlan == nil ? 14 : 18
            #expect(UDPFrame.internetChecksum(Array(frame[ip..<(ip + 20)])) == 0)
            let udp = Array(frame[(ip + 20)...])
            let pseudo: [UInt8] = [0, 0, 0, 0, 255, 255, 255, 255, 0, 17, udp[4], udp[5]]
            #expect(UDPFrame.internetChecksum(pseudo + udp) == 0)
            let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
            #expect(dissection.link.vlans.ids == (vlan.map { [$0] } ?? []))
            #expect(dissection.link.source == Self.mac)
            #expect(Array(frame[dissection.payload]) == payload)
        }
    }

    @Test("the Internet checksum of RFC 1071 §3's example words")
    func rfc1071() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum (ones' complement) to ddf2.
        #expect(UDPFrame.internetChecksum([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]) == ~UInt16(0xDDF2))
        #expect(UDPFrame.internetChecksum([0xFF]) == ~UInt16(0xFF00))
    }

    @Test("a short payload is padded to the 60-byte Ethernet minimum")
    func padding() {
        let frame = UDPFrame(
            source: Self.mac, destination: UDPFrame.broadcastMAC, sourceAddress: .any, destinationAddress: .broadcast,
            sourcePort: 68, destinationPort: 67, payload: [1, 2]
        ).encoded()
        #expect(frame.count == UDPFrame.minimumLength)
    }
}
