/// What the link layer says about a frame: addresses, VLAN tags and the payload's EtherType.
///
/// Decodes Ethernet II with any stack of 802.1Q/802.1ad tags, Linux SLL and SLL2
/// (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html, `..._SLL2.html`),
/// BSD/OpenBSD loopback, raw IP and Cisco HDLC.
public struct LinkLayerHeader: Equatable, Sendable {
    /// Source MAC address, when the link layer carries one of 6 bytes.
    public var source: MACAddress?
    /// Destination MAC address (Ethernet only: SLL headers carry no destination).
    public var destination: MACAddress?
    /// 802.1Q VLAN IDs, outermost first.
    public var vlans: VLANTags
    /// The protocol of the payload: an EtherType (0x0800 for IPv4).
    public var etherType: UInt16
    /// Where the payload starts, from the start of the frame.
    public var payloadOffset: Int
    /// Where the payload ends, when something before the end of the frame says so (an IEEE
    /// 802.3 length field, the end of a tunnel's outer packet); `nil`: at the end of the frame.
    public var payloadEnd: Int?

    /// EtherType of IPv4 (RFC 894).
    public static let etherTypeIPv4: UInt16 = 0x0800
    /// EtherType of IPv6.
    public static let etherTypeIPv6: UInt16 = 0x86DD

    /// Decodes the link-layer header of `frame` captured with `linkType`.
    public static func decode(_ frame: Span<UInt8>, linkType: LinkType) throws(WireFormatError) -> LinkLayerHeader {
        var reader = ByteReader(frame)
        switch linkType {
        case .ethernet:
            return try Self.decodeEthernet(&reader, end: frame.count)
        case .linuxSLL:
            return try Self.decodeSLL(&reader)
        case .linuxSLL2:
            return try Self.decodeSLL2(&reader)
        case .ieee80211:
            return try Self.decode80211(frame, at: 0)
        case .ieee80211Radiotap:
            // Radiotap: version, pad, then the header length, little-endian (radiotap.org).
            guard frame.count >= 4 else {
                throw .truncated("radiotap", "header", at: 0, need: 4, have: frame.count)
            }
            let length = Int(frame[2]) | Int(frame[3]) << 8
            guard length >= 8, length <= frame.count else {
                throw .badLength(
                    "radiotap", "it_len", at: 2, "header length \(length) with \(frame.count) bytes captured")
            }
            return try Self.decode80211(frame.extracting(length..<frame.count), at: length)
        case .raw, .rawOpenBSD, .ipv4:
            guard let first = frame.isEmpty ? nil : frame[0] else {
                throw .truncated("raw IP", "version", at: 0, need: 1, have: 0)
            }
            let etherType = first >> 4 == 6 ? Self.etherTypeIPv6 : Self.etherTypeIPv4
            return LinkLayerHeader(vlans: VLANTags(), etherType: etherType, payloadOffset: 0)
        case .ciscoHDLC:
            // https://www.tcpdump.org/linktypes/LINKTYPE_C_HDLC.html: address (0x0F unicast,
            // 0x8F broadcast), control 0, then the protocol as an EtherType (0x2000 for CDP).
            guard frame.count >= 4 else {
                throw .truncated("Cisco HDLC", "header", at: 0, need: 4, have: frame.count)
            }
            let proto = UInt16(frame[2]) << 8 | UInt16(frame[3])
            return LinkLayerHeader(vlans: VLANTags(), etherType: proto, payloadOffset: 4)
        case .null, .loop:
            guard frame.count >= 4 else {
                throw .truncated("loopback", "address family", at: 0, need: 4, have: frame.count)
            }
            // DLT_NULL is in the capturing host's byte order, DLT_LOOP in network order; IPv4 is
            // family 2 everywhere, so accept it either way round.
            let family = [frame[0], frame[1], frame[2], frame[3]]
            let isIPv4 = family == [2, 0, 0, 0] || family == [0, 0, 0, 2]
            return LinkLayerHeader(
                vlans: VLANTags(), etherType: isIPv4 ? Self.etherTypeIPv4 : 0, payloadOffset: 4
            )
        default:
            throw WireFormatError(
                code: .unsupported, layer: "link", field: "link type", offset: 0,
                detail:
                    "\(linkType) is not decoded (supported: Ethernet, Linux SLL/SLL2, raw IP, loopback, 802.11, Cisco HDLC)"
            )
        }
    }

    /// An Ethernet frame inside another (a tunnel's payload) at `start..<end` of `frame`;
    /// offsets count from the start of `frame`.
    static func decodeEthernet(_ frame: Span<UInt8>, start: Int, end: Int) throws(WireFormatError)
        -> LinkLayerHeader
    {
        var reader = ByteReader(frame.extracting(start..<end), base: start)
        var link = try Self.decodeEthernet(&reader, end: end)
        link.payloadEnd = min(link.payloadEnd ?? end, end)
        return link
    }

    /// Ethernet II (IEEE 802.3 §3.1) with 802.1Q / 802.1ad tags (IEEE 802.1Q §9.6), or an
    /// IEEE 802.3 frame (a length, not a type) with an LLC/SNAP header (IEEE 802.2, RFC 1042):
    /// SNAP with OUI 0 gives the EtherType after it, SNAP with Cisco's OUI and protocol ID
    /// 0x2000 is CDP and reported as EtherType 0x2000 (as Wireshark registers it), and the
    /// payload then ends where the length field says. `end` is the frame's end in the
    /// reader's offsets.
    private static func decodeEthernet(_ reader: inout ByteReader, end: Int) throws(WireFormatError)
        -> LinkLayerHeader
    {
        guard let destination = reader.readMACAddress(), let source = reader.readMACAddress() else {
            throw .truncated("Ethernet", "addresses", at: reader.base, need: 12, have: reader.remaining)
        }
        var vlans = VLANTags()
        var depth = 0
        while true {
            let at = reader.absoluteOffset
            guard let type = reader.readUInt16() else {
                throw .truncated("Ethernet", "EtherType", at: at, need: 2, have: reader.remaining)
            }
            switch type {
            case 0x8100, 0x88A8, 0x9100:
                let tciAt = reader.absoluteOffset
                guard let tci = reader.readUInt16() else {
                    throw .truncated("802.1Q", "TCI", at: tciAt, need: 2, have: reader.remaining)
                }
                vlans.append(tci & 0x0FFF)
                depth += 1
                // A frame can only hold so many tags; a long run of them is junk, not a stack.
                guard depth <= 16 else {
                    throw .invalid("802.1Q", "tag stack", at: tciAt, "more than 16 stacked VLAN tags")
                }
            case ..<0x0600:
                return Self.decodeLLC(
                    &reader, length: Int(type), end: end, source: source, destination: destination, vlans: vlans)
            default:
                return LinkLayerHeader(
                    source: source, destination: destination, vlans: vlans, etherType: type,
                    payloadOffset: reader.absoluteOffset
                )
            }
        }
    }

    /// The LLC/SNAP header of an IEEE 802.3 frame whose length field is `length`. Without
    /// SNAP (spanning tree, NetBIOS) the EtherType reported is the length itself, which no
    /// decoder claims.
    private static func decodeLLC(
        _ reader: inout ByteReader, length: Int, end: Int, source: MACAddress, destination: MACAddress,
        vlans: VLANTags
    ) -> LinkLayerHeader {
        let start = reader.absoluteOffset
        var link = LinkLayerHeader(
            source: source, destination: destination, vlans: vlans, etherType: UInt16(length), payloadOffset: start)
        guard length >= 8, reader.remaining >= 8, let dsap = reader.readUInt8(), let ssap = reader.readUInt8(),
            let control = reader.readUInt8(), let ouiHigh = reader.readUInt8(), let ouiLow = reader.readUInt16(),
            let protocolID = reader.readUInt16(), dsap == 0xAA, ssap == 0xAA, control == 0x03
        else { return link }
        let oui = UInt32(ouiHigh) << 16 | UInt32(ouiLow)
        if oui == 0 {
            link.etherType = protocolID
        } else if oui == 0x00000C && protocolID == 0x2000 {
            link.etherType = 0x2000
        } else {
            return link
        }
        link.payloadOffset = start + 8
        link.payloadEnd = min(start + length, end)
        return link
    }

    /// Linux cooked capture v1: packet type, ARPHRD type, address length, 8 address bytes, protocol.
    private static func decodeSLL(_ reader: inout ByteReader) throws(WireFormatError) -> LinkLayerHeader {
        guard reader.remaining >= 16 else {
            throw .truncated("SLL", "header", at: 0, need: 16, have: reader.remaining)
        }
        _ = reader.readUInt16()  // packet type
        let hardwareType = reader.readUInt16() ?? 0
        let addressLength = Int(reader.readUInt16() ?? 0)
        let address = reader.readArray(8) ?? []
        let proto = reader.readUInt16() ?? 0
        let source = hardwareType == 1 && addressLength == 6 ? MACAddress(octets: address.prefix(6)) : nil
        return try Self.afterCooked(&reader, source: source, proto: proto)
    }

    /// Linux cooked capture v2: protocol, reserved, interface index, ARPHRD type, packet type,
    /// address length, 8 address bytes.
    private static func decodeSLL2(_ reader: inout ByteReader) throws(WireFormatError) -> LinkLayerHeader {
        guard reader.remaining >= 20 else {
            throw .truncated("SLL2", "header", at: 0, need: 20, have: reader.remaining)
        }
        let proto = reader.readUInt16() ?? 0
        _ = reader.skip(2 + 4)  // reserved, interface index
        let hardwareType = reader.readUInt16() ?? 0
        _ = reader.readUInt8()  // packet type
        let addressLength = Int(reader.readUInt8() ?? 0)
        let address = reader.readArray(8) ?? []
        let source = hardwareType == 1 && addressLength == 6 ? MACAddress(octets: address.prefix(6)) : nil
        return try Self.afterCooked(&reader, source: source, proto: proto)
    }

    /// An IEEE 802.11 data frame (IEEE 802.11-2020 §9.3.2) with an LLC/SNAP header (RFC 1042).
    ///
    /// Management, control and protected (encrypted) frames carry nothing to decode here and
    /// come back with EtherType 0.
    /// `swapsFrameControl`: the two frame-control bytes come the other way round, as Cisco
    /// access points send them inside CAPWAP.
    static func decode80211(_ frame: Span<UInt8>, at base: Int, swapsFrameControl: Bool = false)
        throws(WireFormatError) -> LinkLayerHeader
    {
        var reader = ByteReader(frame, base: base)
        guard frame.count >= 24 else {
            throw .truncated("802.11", "header", at: base, need: 24, have: frame.count)
        }
        let first = reader.readUInt8() ?? 0
        let second = reader.readUInt8() ?? 0
        let (control, flags) = swapsFrameControl ? (second, first) : (first, second)
        _ = reader.skip(2)  // duration
        let address1 = reader.readArray(6) ?? []
        let address2 = reader.readArray(6) ?? []
        let address3 = reader.readArray(6) ?? []
        _ = reader.skip(2)  // sequence control
        let type = control >> 2 & 0x3
        let subtype = control >> 4
        let toDS = flags & 0x01 != 0
        let fromDS = flags & 0x02 != 0
        let other = LinkLayerHeader(vlans: VLANTags(), etherType: 0, payloadOffset: base + frame.count)
        // Only unprotected data frames that carry a body (not the null-function subtypes).
        guard type == 2, subtype & 0x4 == 0, flags & 0x40 == 0 else { return other }
        var address4: [UInt8] = []
        if toDS && fromDS {
            guard let fourth = reader.readArray(6) else {
                throw .truncated("802.11", "address 4", at: reader.absoluteOffset, need: 6, have: reader.remaining)
            }
            address4 = fourth
        }
        if subtype & 0x8 != 0 {  // QoS data: QoS control, then HT control when the order bit is set
            let extra = flags & 0x80 != 0 ? 6 : 2
            guard reader.skip(extra) else {
                throw .truncated(
                    "802.11", "QoS/HT control", at: reader.absoluteOffset, need: extra, have: reader.remaining)
            }
        }
        let llcAt = reader.absoluteOffset
        guard let dsap = reader.readUInt8(), let ssap = reader.readUInt8(), let llcControl = reader.readUInt8(),
            reader.skip(3), let etherType = reader.readUInt16()
        else {
            throw .truncated("802.11", "LLC/SNAP header", at: llcAt, need: 8, have: frame.count - (llcAt - base))
        }
        guard dsap == 0xAA, ssap == 0xAA, llcControl == 0x03 else { return other }
        let source = fromDS ? (toDS ? address4 : address3) : address2
        let destination = toDS ? address3 : address1
        return LinkLayerHeader(
            source: MACAddress(octets: source), destination: MACAddress(octets: destination), vlans: VLANTags(),
            etherType: etherType, payloadOffset: reader.absoluteOffset
        )
    }

    /// Cooked headers may carry an 802.1Q tag in the payload when the VLAN was not stripped.
    private static func afterCooked(
        _ reader: inout ByteReader, source: MACAddress?, proto: UInt16
    ) throws(WireFormatError) -> LinkLayerHeader {
        var vlans = VLANTags()
        var type = proto
        var depth = 0
        while type == 0x8100 || type == 0x88A8 {
            let at = reader.absoluteOffset
            guard let tci = reader.readUInt16(), let next = reader.readUInt16() else {
                throw .truncated("802.1Q", "tag", at: at, need: 4, have: reader.remaining)
            }
            vlans.append(tci & 0x0FFF)
            type = next
            depth += 1
            guard depth <= 16 else {
                throw .invalid("802.1Q", "tag stack", at: at, "more than 16 stacked VLAN tags")
            }
        }
        return LinkLayerHeader(
            source: source, destination: nil, vlans: vlans, etherType: type, payloadOffset: reader.absoluteOffset
        )
    }
}
