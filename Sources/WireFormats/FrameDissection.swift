/// A frame taken apart down to its transport payload: link, IPv4, UDP or TCP.
///
/// Dissection stops early, without an error, for anything that is not IPv4 (ARP, IPv6, LLDP)
/// and for IP fragments, whose content cannot be known from one piece.
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
    /// The transport payload's position in the frame (empty when there is none).
    public var payload: Range<Int>
    /// Set when the UDP header's own length is impossible (more than the IP payload): the
    /// ports are still known, so the packet can be reported as a malformed DHCP or TFTP one.
    public var transportError: WireFormatError?

    /// Decodes `frame` as captured with `linkType`.
    public static func dissect(_ frame: Span<UInt8>, linkType: LinkType) throws(WireFormatError) -> FrameDissection {
        let link = try LinkLayerHeader.decode(frame, linkType: linkType)
        let end = frame.count
        guard link.etherType == LinkLayerHeader.etherTypeIPv4 else {
            return FrameDissection(link: link, ipv4: nil, transport: .other, payload: end..<end)
        }
        let ipStart = link.payloadOffset
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
            return FrameDissection(
                link: link, ipv4: ip, transport: .udp(udp),
                payload: start..<(transportStart + min(udp.length, segment.count)))
        case IPv4Header.protocolTCP:
            let tcp = try TCPHeader.decode(segment, base: transportStart)
            let start = transportStart + tcp.headerLength
            return FrameDissection(link: link, ipv4: ip, transport: .tcp(tcp), payload: start..<transportEnd)
        default:
            return FrameDissection(link: link, ipv4: ip, transport: .other, payload: transportStart..<transportEnd)
        }
    }
}
