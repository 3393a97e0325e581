public import WireFormats

/// Picks the DHCP and TFTP packets out of a stream of frames and decodes them.
///
/// DHCP is any UDP datagram to or from port 67 or 68. TFTP is any datagram to or from port
/// 69, and any datagram of a transfer a request started (see ``TFTPConversationTable``).
/// Frames that are neither are counted and skipped without allocating.
public struct PacketClassifier: Sendable {
    /// What the classifier has seen so far.
    public struct Counters: Hashable, Sendable {
        public var frames = 0
        public var dhcp = 0
        public var tftp = 0
        /// DHCP/TFTP packets that could not be decoded.
        public var malformed = 0
        /// Frames whose link, IPv4 or UDP/TCP header could not be decoded.
        public var undecodable = 0
        /// IPv4 fragments (their content is not guessed).
        public var fragments = 0

        public init() {}
    }

    public let linkType: LinkType
    public private(set) var counters = Counters()
    /// The first header-level decoding error, to explain ``Counters/undecodable``.
    public private(set) var firstUndecodable: (frame: Int, error: WireFormatError)?
    private var transfers = TFTPConversationTable()

    public init(linkType: LinkType) {
        self.linkType = linkType
    }

    /// Classifies one frame. Returns `nil` for frames that are not DHCP or TFTP.
    public mutating func classify(frameNumber: Int, timestamp: Int64, bytes: Span<UInt8>) -> DecodedPacket? {
        self.counters.frames += 1
        let dissection: FrameDissection
        do {
            dissection = try FrameDissection.dissect(bytes, linkType: self.linkType)
        } catch {
            self.counters.undecodable += 1
            if self.firstUndecodable == nil { self.firstUndecodable = (frameNumber, error) }
            return nil
        }
        guard let ip = dissection.ipv4 else { return nil }
        if ip.isFragment { self.counters.fragments += 1 }
        guard case .udp(let udp) = dissection.transport else { return nil }

        let kind: PacketProtocol
        let ports = (udp.sourcePort, udp.destinationPort)
        if ports.0 == 67 || ports.0 == 68 || ports.1 == 67 || ports.1 == 68 {
            kind = .dhcp
        } else if ports.0 == TFTPPacket.serverPort || ports.1 == TFTPPacket.serverPort
            || self.transfers.contains(
                source: ip.source, sourcePort: udp.sourcePort, destination: ip.destination, destinationPort: udp.destinationPort
            )
        {
            kind = .tftp
        } else {
            return nil
        }

        let content: DecodedPacket.Content
        if ip.isFragment {
            content = .fragment(kind)
        } else if let error = dissection.transportError {
            content = .malformed(kind, error)
            self.counters.malformed += 1
        } else {
            content = self.decode(
                kind, payload: bytes.extracting(dissection.payload), base: dissection.payload.lowerBound, ip: ip, udp: udp
            )
        }
        return DecodedPacket(
            frameNumber: frameNumber, timestamp: timestamp, sourceMAC: dissection.link.source,
            destinationMAC: dissection.link.destination, vlans: dissection.link.vlans, source: ip.source,
            destination: ip.destination, sourcePort: udp.sourcePort, destinationPort: udp.destinationPort, content: content
        )
    }

    private mutating func decode(
        _ kind: PacketProtocol, payload: Span<UInt8>, base: Int, ip: IPv4Header, udp: UDPHeader
    ) -> DecodedPacket.Content {
        switch kind {
        case .dhcp:
            do {
                let message = try DHCPMessage(decoding: payload, base: base)
                self.counters.dhcp += 1
                return .dhcp(message)
            } catch {
                self.counters.malformed += 1
                return .malformed(.dhcp, error)
            }
        case .tftp:
            do {
                let packet = try TFTPPacket(decoding: payload, base: base)
                switch packet {
                case .readRequest, .writeRequest:
                    if udp.destinationPort == TFTPPacket.serverPort {
                        self.transfers.register(client: ip.source, clientPort: udp.sourcePort, server: ip.destination)
                    }
                default:
                    break
                }
                self.counters.tftp += 1
                return .tftp(packet)
            } catch {
                self.counters.malformed += 1
                return .malformed(.tftp, error)
            }
        }
    }
}
