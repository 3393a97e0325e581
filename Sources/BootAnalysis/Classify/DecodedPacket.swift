public import WireFormats

/// A DHCP, TFTP or followed TCP packet from a capture, with where it was in the file and who
/// sent it.
public struct DecodedPacket: Sendable {
    /// What the UDP payload turned out to be.
    ///
    /// The large, rare payloads (a DHCP message, an announcement, a decoding error) are boxed,
    /// so that the TFTP and TCP packets that are most of a capture stay small to copy and hand
    /// between threads.
    public enum Content: Sendable {
        indirect case dhcp(DHCPMessage)
        /// A DHCP message checked but not yet decoded: the UDP payload and its offset in the
        /// frame. Only a classifier that ``PacketClassifier/defersDHCPDecoding`` makes it, for
        /// the analyzer to decode (``decodingDHCP()``); ``DHCPMessageSummary`` accepted the
        /// bytes, so ``DHCPMessage`` decodes them.
        case dhcpUndecoded([UInt8], base: Int)
        case tftp(TFTPPacket)
        /// The payload is on a DHCP or TFTP port but could not be decoded.
        indirect case malformed(PacketProtocol, WireFormatError)
        /// The first fragment of a fragmented IP datagram on a DHCP or TFTP port: its content
        /// needs the other fragments and is not guessed.
        case fragment(PacketProtocol)
        /// A TCP segment: of an FTP, HTTP or TLS stream (with its payload), or of any other
        /// connection (length only, for FTP data connections).
        case tcp(TCPSegment)
        /// An LLDP or CDP announcement (a link-layer frame: the addresses are 0.0.0.0 and the
        /// ports 0; the MAC addresses say who sent it). One that cannot be decoded is
        /// ``malformed(_:_:)`` with ``PacketProtocol/lldp`` or ``PacketProtocol/cdp``.
        indirect case discovery(LinkDiscovery)
    }

    // `content` is declared first so that the memberwise initialiser (the one that builds a
    // packet in place: an initialiser assigning each field built it on the stack, copied it,
    // retaining every field, and destroyed the first, for every packet) has other labels than
    // the public one, which calls it.
    public var content: Content
    /// The frame's number in its file, from 1.
    public var frameNumber: Int
    /// Capture time, nanoseconds since the Unix epoch.
    public var timestamp: Int64
    public var sourceMAC: MACAddress?
    public var destinationMAC: MACAddress?
    /// 802.1Q VLAN IDs, outermost first.
    public var vlans: VLANTags
    public var source: IPv4Address
    public var destination: IPv4Address
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Set when the capture kept fewer bytes than the frame had on the wire (its snap length
    /// cut the frame); `nil` for a whole frame.
    public var snapped: SnappedFrame?
    /// TFTP: the transfer the packet belongs to, when the classifier saw its request.
    public var tftpConversation: TFTPConversation?
    /// TFTP DATA of a master configuration transfer (``TFTPConversation/keepsData``): the
    /// block's bytes, for the analyzer to read the file; `nil` for every other packet.
    public var tftpData: [UInt8]?
    /// The tunnel the packet came in (GRE, ERSPAN, VXLAN, CAPWAP), with its outer addresses:
    /// where it was captured. The other fields are the inner packet's.
    public var tunnel: Tunnel?
}

extension DecodedPacket {
    /// A packet; what the memberwise initialiser (in ``DecodedPacket``) takes, `content` in
    /// its place among the addresses' fields.
    public init(
        frameNumber: Int, timestamp: Int64, sourceMAC: MACAddress?, destinationMAC: MACAddress?, vlans: VLANTags,
        source: IPv4Address, destination: IPv4Address, sourcePort: UInt16, destinationPort: UInt16, content: Content,
        snapped: SnappedFrame? = nil, tftpConversation: TFTPConversation? = nil, tftpData: [UInt8]? = nil,
        tunnel: Tunnel? = nil
    ) {
        self.init(
            content: content, frameNumber: frameNumber, timestamp: timestamp, sourceMAC: sourceMAC,
            destinationMAC: destinationMAC, vlans: vlans, source: source, destination: destination,
            sourcePort: sourcePort, destinationPort: destinationPort, snapped: snapped,
            tftpConversation: tftpConversation, tftpData: tftpData, tunnel: tunnel)
    }
}

extension DecodedPacket.Content {
    /// The message of ``dhcpUndecoded(_:base:)`` decoded, or the decoder's error (never
    /// expected: the bytes were checked); `nil` for any other content.
    public func decodedDHCP() -> Result<DHCPMessage, WireFormatError>? {
        guard case .dhcpUndecoded(let bytes, let base) = self else { return nil }
        return Result { () throws(WireFormatError) in try DHCPMessage(decoding: bytes.span, base: base) }
    }

    /// ``dhcpUndecoded(_:base:)`` decoded: ``dhcp(_:)``, or ``malformed(_:_:)`` with the
    /// decoder's error; any other content as it is.
    public func decodingDHCP() -> Self {
        switch self.decodedDHCP() {
        case .success(let message)?: .dhcp(message)
        case .failure(let error)?: .malformed(.dhcp, error)
        case nil: self
        }
    }
}

/// The application protocols the classifier recognises.
public enum PacketProtocol: String, Sendable, Hashable {
    case dhcp = "DHCP"
    case tftp = "TFTP"
    case lldp = "LLDP"
    case cdp = "CDP"

    /// LLDP and CDP: link-layer announcements, not IP packets.
    public var isLinkDiscovery: Bool { self == .lldp || self == .cdp }
}
