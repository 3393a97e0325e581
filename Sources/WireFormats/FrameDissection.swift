/// A frame taken apart down to its transport payload: link, IPv4, UDP or TCP; or, for LLDP
/// and CDP, down to the announcement's bytes.
///
/// Dissection stops early, without an error, for anything else that is not IPv4 (ARP, IPv6)
/// and for IP fragments, whose content cannot be known from one piece. Tunnels are opened
/// (see ``Tunnel``): the dissection is then the inner frame's, and ``tunnel`` keeps the outer
/// addresses, where the capture was made. A frame that is no tunnel costs one comparison of
/// its IP protocol or UDP ports more.
public struct FrameDissection: Equatable, Sendable {
    public enum Transport: Equatable, Sendable {
        case udp(UDPHeader)
        case tcp(TCPHeader)
        /// Another IP protocol, or a fragment (see ``IPv4Header/isFragment``).
        case other
    }

    public var link: LinkLayerHeader
    public var ipv4: IPv4Header?
    public var transport: Transport
    /// The transport payload's position in the frame (empty when there is none); for LLDP and
    /// CDP (``LinkDiscovery/carries(etherType:)``), the announcement's.
    public var payload: Range<Int>
    /// Set when the UDP header's own length is impossible (more than the IP payload): the
    /// ports are still known, so the packet can be reported as a malformed DHCP or TFTP one.
    public var transportError: WireFormatError? {
        guard let problem = self.udpLengthProblem, case .udp(let udp) = self.transport else { return nil }
        return udp.lengthError(base: problem.headerOffset, declaredLength: problem.declaredLength)
    }
    /// What ``transportError`` is made from, when it is set: kept as numbers, so that a
    /// dissection holds no string and is copied and dropped as plain bytes (every frame of a
    /// capture is dissected).
    private var udpLengthProblem: UDPLengthProblem?
    /// The (outermost) tunnel the packet was found in, or `nil`.
    public var tunnel: Tunnel?

    /// How deep tunnels are opened inside tunnels.
    static let tunnelDepthLimit = 4

    /// Decodes `frame` as captured with `linkType`.
    public static func dissect(_ frame: Span<UInt8>, linkType: LinkType) throws(WireFormatError) -> FrameDissection {
        if linkType == .ethernet, let plain = Self.dissectPlain(frame) { return plain }
        return try Self.dissectGenerally(frame, linkType: linkType)
    }

    /// ``dissect(_:linkType:)`` without the fixed-offset path for plain frames
    /// (``dissectPlain(_:)``): every link type, tag stack, IP option, fragment and tunnel.
    static func dissectGenerally(_ frame: Span<UInt8>, linkType: LinkType) throws(WireFormatError)
        -> FrameDissection
    {
        let link = try LinkLayerHeader.decode(frame, linkType: linkType)
        return try Self.dissect(frame, link: link, depth: 0)
    }

    /// The dissection of the frames nearly every capture is made of: Ethernet II, untagged or
    /// with one 802.1Q tag, IPv4 without options and unfragmented, then UDP (no tunnel port,
    /// a length that fits) or TCP (a header that fits), read at their fixed offsets. `nil` for
    /// any other frame, which the general path reads; for these it gives exactly what the
    /// general path gives.
    @inline(__always)
    static func dissectPlain(_ frame: Span<UInt8>) -> FrameDissection? {
        let count = frame.count
        // 14 bytes of Ethernet, then perhaps a 4-byte tag, 20 of IPv4 and 8 of UDP at least.
        guard count >= 14 + 20 + 8 else { return nil }
        // Each field read in one load (bounds-checked once, not byte by byte): plain integers,
        // which any bytes make.
        let bytes = unsafe frame.bytes
        @inline(__always) func read16(_ at: Int) -> UInt16 {
            unsafe bytes.unsafeLoadUnaligned(fromByteOffset: at, as: UInt16.self).bigEndian
        }
        @inline(__always) func read32(_ at: Int) -> UInt32 {
            unsafe bytes.unsafeLoadUnaligned(fromByteOffset: at, as: UInt32.self).bigEndian
        }
        var vlans = VLANTags()
        var ipStart = 14
        switch read16(12) {
        case LinkLayerHeader.etherTypeIPv4:
            break
        case 0x8100 where read16(16) == LinkLayerHeader.etherTypeIPv4:
            vlans.append(read16(14) & 0x0FFF)
            ipStart = 18
        default:
            return nil
        }
        // IPv4 (RFC 791 §3.1): version 4 with a 20-byte header, neither a fragment nor a total
        // length of 0 (which the general path reads as "trust the capture").
        guard count >= ipStart + 20 + 8, frame[ipStart] == 0x45 else { return nil }
        let totalLength = Int(read16(ipStart + 2))
        let flagsAndOffset = read16(ipStart + 6)
        guard totalLength >= 20, flagsAndOffset & 0x3FFF == 0 else { return nil }
        let protocolNumber = frame[ipStart + 9]
        let ip = IPv4Header(
            headerLength: 20, totalLength: totalLength, identification: read16(ipStart + 4), moreFragments: false,
            fragmentOffset: 0, timeToLive: frame[ipStart + 8], protocolNumber: protocolNumber,
            source: IPv4Address(rawValue: read32(ipStart + 12)),
            destination: IPv4Address(rawValue: read32(ipStart + 16)))
        let transportStart = ipStart + 20
        let declaredPayload = totalLength - 20
        let transportEnd = transportStart + min(declaredPayload, count - transportStart)
        let link = LinkLayerHeader(
            source: MACAddress(rawValue: UInt64(read16(6)) << 32 | UInt64(read32(8))),
            destination: MACAddress(rawValue: UInt64(read16(0)) << 32 | UInt64(read32(2))), vlans: vlans,
            etherType: LinkLayerHeader.etherTypeIPv4, payloadOffset: ipStart)
        switch protocolNumber {
        case IPv4Header.protocolUDP:
            guard transportEnd - transportStart >= 8 else { return nil }
            let udp = UDPHeader(
                sourcePort: read16(transportStart), destinationPort: read16(transportStart + 2),
                length: Int(read16(transportStart + 4)))
            guard udp.length >= 8, udp.length <= declaredPayload,
                udp.destinationPort != TunnelDecapsulation.vxlanPort,
                udp.destinationPort != TunnelDecapsulation.capwapDataPort,
                udp.sourcePort != TunnelDecapsulation.capwapDataPort
            else { return nil }
            let payloadEnd = transportStart + min(udp.length, transportEnd - transportStart)
            return FrameDissection(
                link: link, ipv4: ip, transport: .udp(udp), payload: (transportStart + 8)..<payloadEnd)
        case IPv4Header.protocolTCP:
            guard transportEnd - transportStart >= 20 else { return nil }
            let headerLength = Int(frame[transportStart + 12] >> 4) * 4
            guard headerLength >= 20, transportEnd - transportStart >= headerLength else { return nil }
            let tcp = TCPHeader(
                sourcePort: read16(transportStart), destinationPort: read16(transportStart + 2),
                sequenceNumber: read32(transportStart + 4), acknowledgmentNumber: read32(transportStart + 8),
                headerLength: headerLength, flags: TCPHeader.Flags(rawValue: frame[transportStart + 13] & 0x3F),
                window: read16(transportStart + 14))
            return FrameDissection(
                link: link, ipv4: ip, transport: .tcp(tcp), payload: (transportStart + headerLength)..<transportEnd)
        default:
            return nil
        }
    }

    /// Dissects from the network layer on, the link layer being `link`.
    private static func dissect(_ frame: Span<UInt8>, link: LinkLayerHeader, depth: Int) throws(WireFormatError)
        -> FrameDissection
    {
        let end = min(link.payloadEnd ?? frame.count, frame.count)
        guard link.etherType == LinkLayerHeader.etherTypeIPv4 else {
            let payload =
                LinkDiscovery.carries(etherType: link.etherType) && link.payloadOffset <= end
                ? link.payloadOffset..<end : end..<end
            return FrameDissection(link: link, ipv4: nil, transport: .other, payload: payload)
        }
        let ipStart = link.payloadOffset
        guard ipStart <= end else {
            throw .truncated("IPv4", "header", at: end, need: 20, have: 0)
        }
        let (ip, ipPayloadLength, declaredLength) = try IPv4Header.decode(
            frame.extracting(ipStart..<end), base: ipStart)
        let transportStart = ipStart + ip.headerLength
        let transportEnd = transportStart + ipPayloadLength
        if ip.isFragment {
            // A first fragment still holds the UDP header, so its ports can be named; its
            // content is not decoded without the other fragments.
            if ip.fragmentOffset == 0, ip.protocolNumber == IPv4Header.protocolUDP, ipPayloadLength >= 8 {
                let udp = try UDPHeader.decode(frame.extracting(transportStart..<transportEnd), base: transportStart)
                return FrameDissection(
                    link: link, ipv4: ip, transport: .udp(udp), payload: (transportStart + 8)..<transportEnd)
            }
            return FrameDissection(link: link, ipv4: ip, transport: .other, payload: transportStart..<transportEnd)
        }
        let segment = frame.extracting(transportStart..<transportEnd)
        switch ip.protocolNumber {
        case IPv4Header.protocolUDP:
            let udp = try UDPHeader.decode(segment, base: transportStart)
            let start = transportStart + 8
            if udp.length < 8 || udp.length > declaredLength {  // what lengthError(base:declaredLength:) refuses
                // The ports still say what it was; the payload is everything the IP header gives.
                return FrameDissection(
                    link: link, ipv4: ip, transport: .udp(udp), payload: start..<transportEnd,
                    udpLengthProblem: UDPLengthProblem(headerOffset: transportStart, declaredLength: declaredLength)
                )
            }
            let payloadEnd = transportStart + min(udp.length, segment.count)
            let ports = (udp.sourcePort, udp.destinationPort)
            if ports.1 == TunnelDecapsulation.vxlanPort || ports.1 == TunnelDecapsulation.capwapDataPort
                || ports.0 == TunnelDecapsulation.capwapDataPort, depth < Self.tunnelDepthLimit
            {
                let inner =
                    ports.1 == TunnelDecapsulation.vxlanPort
                    ? try TunnelDecapsulation.vxlan(frame, start: start, end: payloadEnd)
                    : try TunnelDecapsulation.capwap(frame, start: start, end: payloadEnd)
                if let inner {
                    return try Self.open(inner, in: frame, outer: link, ip: ip, end: payloadEnd, depth: depth)
                }
            }
            return FrameDissection(link: link, ipv4: ip, transport: .udp(udp), payload: start..<payloadEnd)
        case IPv4Header.protocolTCP:
            let tcp = try TCPHeader.decode(segment, base: transportStart)
            let start = transportStart + tcp.headerLength
            return FrameDissection(link: link, ipv4: ip, transport: .tcp(tcp), payload: start..<transportEnd)
        case IPv4Header.protocolGRE where depth < Self.tunnelDepthLimit:
            if let inner = try TunnelDecapsulation.gre(frame, start: transportStart, end: transportEnd) {
                return try Self.open(inner, in: frame, outer: link, ip: ip, end: transportEnd, depth: depth)
            }
            return FrameDissection(link: link, ipv4: ip, transport: .other, payload: transportStart..<transportEnd)
        default:
            return FrameDissection(link: link, ipv4: ip, transport: .other, payload: transportStart..<transportEnd)
        }
    }

    /// Dissects a tunnel's inner frame and records the tunnel (the outer one, when they nest).
    private static func open(
        _ inner: TunnelDecapsulation.Inner, in frame: Span<UInt8>, outer: LinkLayerHeader, ip: IPv4Header, end: Int,
        depth: Int
    ) throws(WireFormatError) -> FrameDissection {
        var link = inner.link
        link.payloadEnd = min(link.payloadEnd ?? end, end)
        var dissection = try Self.dissect(frame, link: link, depth: depth + 1)
        dissection.tunnel = Tunnel(
            kind: inner.kind, outerSource: ip.source, outerDestination: ip.destination, outerVLANs: outer.vlans,
            identifier: inner.identifier, originalVLAN: inner.originalVLAN)
        return dissection
    }
}

/// A UDP header whose length field is impossible (``FrameDissection/transportError``): where
/// the header is in the frame and the IP payload length it exceeds.
private struct UDPLengthProblem: Equatable, Sendable {
    var headerOffset: Int
    var declaredLength: Int
}
