/// A frame taken apart down to its transport payload: link, IPv4, UDP or TCP; or, for LLDP
/// and CDP, down to the announcement's bytes.
///
/// Dissection stops early, without an error, for anything else that is not IPv4 (ARP, IPv6)
/// and for IP fragments, whose content cannot be known from one piece. Tunnels are opened
/// (see ``Tunnel``): the dissection is then the inner frame's, and ``tunnel`` keeps the outer
/// addresses, where the capture was made. A frame that is no tunnel costs one comparison of
/// its IP protocol or UDP ports more.
public struct FrameDissection: Sendable {
    public enum Transport: Sendable {
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
    public var transportError: WireFormatError?
    /// The (outermost) tunnel the packet was found in, or `nil`.
    public var tunnel: Tunnel?

    /// How deep tunnels are opened inside tunnels.
    static let tunnelDepthLimit = 4

    /// Decodes `frame` as captured with `linkType`.
    public static func dissect(_ frame: Span<UInt8>, linkType: LinkType) throws(WireFormatError) -> FrameDissection {
        let link = try LinkLayerHeader.decode(frame, linkType: linkType)
        return try Self.dissect(frame, link: link, depth: 0)
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
            if let error = udp.lengthError(base: transportStart, declaredLength: declaredLength) {
                // The ports still say what it was; the payload is everything the IP header gives.
                return FrameDissection(
                    link: link, ipv4: ip, transport: .udp(udp), payload: start..<transportEnd, transportError: error
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
