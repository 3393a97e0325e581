import WireFormats

/// Byte fixtures taken from real captures (see each one's source) and small builders.
enum Fixtures {
    /// UDP payload of frame 2 of Zeek's `dhcp.pcap`: a DHCPOFFER from an Aruba controller with
    /// options 53, 54, 51, 1, 3, 6, 4, 67 "network-confg", 28, 42, 43, 60 "ArubaAP", 44, 46, 15.
    static let arubaOffer = bytes(
        "02010600000007c0000000000000000080020661ac13e6070000000090b11c994929"
            + String(repeating: "00", count: 202)
            + "638253633501023604800206983304000003840104ffffff0003048002060106088002010b8002010a040880"
            + "02011480020115430d6e6574776f726b2d636f6e66671c04800206ff2a0c8002011480020115800201162b0b"
            + "3137322e31382e362e33373c07417275626141502c088002681d8002681e2e01020f07636d752e656475ff"
    )

    /// UDP payload of suricata-verify's `dhcp-option-52-overload-both`: a DISCOVER whose option
    /// 52 = 3 puts option 56 pieces in both `sname` and `file`.
    static let overloadBoth = bytes(
        "01010600ac2effff"
            + String(repeating: "00", count: 22)
            + "6c82dc4e000000000000000000003814736e616d65206669656c64206f7665726c6f6164ff"
            + String(repeating: "00", count: 41)
            + "381866696c65206e616d65206669656c64206f7665726c6f6164ff"
            + String(repeating: "00", count: 101)
            + "638253633501013902024e3704011c032b330400000e10340103380750616464696e67003d070100006c82dc"
            + "4eff"
    )

    /// The Polycom option 60 example of the SIP 3.1 Administrator's Guide C-24 (an IP 601).
    static let polycomVendorClassExample: [UInt8] =
        [0x00, 0x00, 0x36, 0x3D, 0x6F]
        + [1, 7] + Array("Polycom".utf8)
        + [2, 21] + Array("SoundPointIP-SPIP_601".utf8)
        + [3, 16] + Array("2345-11605-001,2".utf8)
        + [4, 28] + Array("SIP/Tip.XXXX/08-Jun-07 10:44".utf8)
        + [5, 29] + Array("BR/3.1.0.XXXX/28-Apr-05 13:30".utf8)
        + [0xFF]

    /// Hex text to bytes; traps on bad fixture text (test code only).
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        precondition(digits.count % 2 == 0, "odd hex fixture")
        return stride(from: 0, to: digits.count, by: 2).map { index in
            UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16)!
        }
    }

    /// A DHCP message from the Polycom phone used across tests.
    static func polycomDiscover(options extra: [DHCPOption] = []) -> DHCPMessage {
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [1]))
        area.append(DHCPOption(code: .parameterRequestList, data: [1, 28, 160, 66, 3, 4, 42, 2, 6, 15]))
        area.append(DHCPOption(code: .vendorClassIdentifier, data: polycomVendorClassExample))
        for option in extra { area.append(option) }
        area.elements.append(.end)
        return DHCPMessage(
            op: 1, transactionID: 0x1234_5678, flags: 0x8000,
            clientHardwareAddress: MACAddress("00:04:f2:a1:b2:c3")!, options: area
        )
    }

    /// An Ethernet frame around an IPv4/UDP datagram carrying `payload`.
    static func ethernetFrame(
        vlans: [UInt16] = [], source: IPv4Address = IPv4Address(0, 0, 0, 0),
        destination: IPv4Address = .broadcast, sourcePort: UInt16 = 68, destinationPort: UInt16 = 67,
        payload: [UInt8], fragment: (moreFragments: Bool, offset: Int) = (false, 0)
    ) -> [UInt8] {
        var frame: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x04, 0xF2, 0xA1, 0xB2, 0xC3]
        for (index, vlan) in vlans.enumerated() {
            frame +=
                (index == 0 && vlans.count > 1 ? [0x88, 0xA8] : [0x81, 0x00]) + [UInt8(vlan >> 8), UInt8(vlan & 0xFF)]
        }
        frame += [0x08, 0x00]
        let udpLength = 8 + payload.count
        let totalLength = 20 + udpLength
        let flags = UInt16(fragment.moreFragments ? 0x2000 : 0) | UInt16(fragment.offset / 8)
        frame += [
            0x45, 0x00, UInt8(totalLength >> 8), UInt8(totalLength & 0xFF), 0x00, 0x01,
            UInt8(flags >> 8), UInt8(flags & 0xFF), 64, 17, 0, 0,
        ]
        frame += source.octets + destination.octets
        frame += [
            UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF), UInt8(destinationPort >> 8),
            UInt8(destinationPort & 0xFF),
            UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0,
        ]
        return frame + payload
    }
}
