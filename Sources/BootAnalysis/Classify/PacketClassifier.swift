public import WireFormats

/// Picks the DHCP, TFTP and TCP packets out of a stream of frames and decodes them.
///
/// DHCP is any UDP datagram to or from port 67 or 68. TFTP is any datagram to or from port
/// 69, and any datagram of a transfer a request started (see ``TFTPConversationTable``).
/// TCP segments to or from a stream port (21, 80, 443, and any port a boot-server URL in a
/// DHCP reply names) come with their payload; other TCP segments that carry data or open or
/// close a connection come with their length only, for FTP data connections (with their
/// payload too for the few that carry a master configuration file, see ``FTPDataWatch``). Other frames
/// are counted and skipped without allocating.
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
        /// TCP segments of followed streams (FTP control, HTTP, TLS).
        public var tcpStream = 0
        /// LLDP and CDP frames decoded.
        public var lldp = 0
        public var cdp = 0
        /// LLDP and CDP frames that could not be decoded (not in ``malformed``, which counts
        /// the DHCP and TFTP packets the report lists).
        public var malformedDiscovery = 0
        /// Packets found inside a tunnel (GRE, ERSPAN, VXLAN, CAPWAP).
        public var tunnelled = 0

        public init() {}
    }

    public let linkType: LinkType
    public private(set) var counters = Counters()
    /// The first header-level decoding error, to explain ``Counters/undecodable``.
    public private(set) var firstUndecodable: (frame: Int, error: WireFormatError)?
    private var transfers = TFTPConversationTable()
    /// FTP data connections carrying a master configuration file, whose payload is copied.
    private var ftpData = FTPDataWatch()
    /// Ports whose TCP payload is followed: FTP, HTTP, HTTPS and the ports of boot-server URLs.
    private var streamPorts = PortSet(FetchProtocol.streamPorts)
    /// Boot-server strings already read for ports (a server repeats the same few to every
    /// client), bounded by ``learnedLimit``.
    private var learned: Set<String> = []
    /// The bytes of the last option 160 and option 66 read.
    private var lastBootServer: [UInt8] = []
    private var lastTFTPServerName: [UInt8] = []
    private static let learnedLimit = 256
    /// DHCP messages are checked here and decoded by the analyzer
    /// (``DecodedPacket/Content/dhcpUndecoded(_:base:)``).
    public let defersDHCPDecoding: Bool

    /// `defersDHCPDecoding`: a DHCP message is checked (``DHCPMessageSummary``, which accepts
    /// and refuses exactly the bytes ``DHCPMessage`` does) and handed over as its bytes, for
    /// the analyzer to decode: where a capture is read on one thread and analysed on another,
    /// the twenty-odd arrays of a decoded message are then made and freed on the analyzing one.
    /// Counts, malformed packets and the ports learnt from replies are the same either way.
    public init(linkType: LinkType, defersDHCPDecoding: Bool = false) {
        self.linkType = linkType
        self.defersDHCPDecoding = defersDHCPDecoding
    }

    /// Classifies one frame. Returns `nil` for frames that are not DHCP or TFTP.
    /// `originalLength` is the frame's length on the wire, when known: a frame the capture's
    /// snap length cut says so, so that a packet that fails to decode is not blamed on the wire.
    public mutating func classify(frameNumber: Int, timestamp: Int64, bytes: Span<UInt8>, originalLength: Int? = nil)
        -> DecodedPacket?
    {
        var packet: DecodedPacket?
        self.classify(frameNumber: frameNumber, timestamp: timestamp, bytes: bytes, originalLength: originalLength) {
            packet = $0
        }
        return packet
    }

    /// Classifies one frame and calls `emit` with its packet, when it is DHCP, TFTP, LLDP, CDP
    /// or a TCP segment passed on (see ``classify(frameNumber:timestamp:bytes:originalLength:)``).
    /// The packet is made where `emit` takes it from: a reader that puts it in a batch copies
    /// it once, not out of an optional first, and a frame passed over copies nothing.
    public mutating func classify(
        frameNumber: Int, timestamp: Int64, bytes: Span<UInt8>, originalLength: Int? = nil,
        _ emit: (consuming DecodedPacket) -> Void
    ) {
        self.counters.frames += 1
        let dissection: FrameDissection
        do {
            dissection = try FrameDissection.dissect(bytes, linkType: self.linkType)
        } catch {
            self.counters.undecodable += 1
            if self.firstUndecodable == nil { self.firstUndecodable = (frameNumber, error) }
            return
        }
        guard let ip = dissection.ipv4 else {
            guard LinkDiscovery.carries(etherType: dissection.link.etherType),
                let packet = self.classifyDiscovery(
                    dissection, bytes: bytes, frameNumber: frameNumber, timestamp: timestamp,
                    originalLength: originalLength)
            else { return }
            emit(packet)
            return
        }
        if ip.isFragment { self.counters.fragments += 1 }
        if case .tcp(let tcp) = dissection.transport {
            guard !ip.isFragment else { return }
            self.classifyTCP(
                tcp, dissection: dissection, bytes: bytes, frameNumber: frameNumber, timestamp: timestamp, emit)
            return
        }
        guard case .udp(let udp) = dissection.transport else { return }

        let kind: PacketProtocol
        let ports = (udp.sourcePort, udp.destinationPort)
        /// The transfer a datagram off port 69 belongs to (one on port 69 is looked up after
        /// decoding, as a request starts a transfer).
        var conversation: TFTPConversation?
        if ports.0 == 67 || ports.0 == 68 || ports.1 == 67 || ports.1 == 68 {
            kind = .dhcp
        } else if ports.0 == TFTPPacket.serverPort || ports.1 == TFTPPacket.serverPort {
            kind = .tftp
        } else if let known = self.transfers.conversation(
            source: ip.source, sourcePort: udp.sourcePort, destination: ip.destination,
            destinationPort: udp.destinationPort)
        {
            kind = .tftp
            conversation = known
        } else {
            return
        }

        emit(
            self.classifyUDP(
                udp, kind: kind, conversation: conversation, ip: ip, dissection: dissection, bytes: bytes,
                frameNumber: frameNumber, timestamp: timestamp, originalLength: originalLength))
    }

    /// A DHCP or TFTP datagram (`kind`, by its ports; `conversation`: the TFTP transfer it was
    /// found in, when it is off port 69) decoded. A function of its own: the packet is then
    /// built where it is returned, not built, copied and destroyed as it was in the caller.
    private mutating func classifyUDP(
        _ udp: UDPHeader, kind: PacketProtocol, conversation: TFTPConversation?, ip: IPv4Header,
        dissection: FrameDissection, bytes: Span<UInt8>, frameNumber: Int, timestamp: Int64, originalLength: Int?
    ) -> DecodedPacket {
        let content: DecodedPacket.Content
        if ip.isFragment {
            content = .fragment(kind)
        } else if let error = dissection.transportError {
            content = .malformed(kind, error)
            self.counters.malformed += 1
        } else {
            content = self.decode(
                kind, payload: bytes.extracting(dissection.payload), base: dissection.payload.lowerBound, ip: ip,
                udp: udp
            )
        }
        var tftpConversation: TFTPConversation?
        var tftpData: [UInt8]?
        if kind == .tftp {
            // After decoding, so that a request names the transfer it has just started.
            tftpConversation =
                conversation
                ?? self.transfers.conversation(
                    source: ip.source, sourcePort: udp.sourcePort, destination: ip.destination,
                    destinationPort: udp.destinationPort
                )
            // A master configuration file's block: its bytes (after opcode and block number),
            // the only TFTP data ever copied.
            if tftpConversation?.keepsData == true, case .tftp(.data) = content, dissection.payload.count >= 4 {
                let data = dissection.payload.lowerBound + 4..<dissection.payload.upperBound
                tftpData = bytes.extracting(data).withUnsafeBufferPointer { Array($0) }
            }
        }
        if dissection.tunnel != nil { self.counters.tunnelled += 1 }
        // Made once, with every field: the packet is handed over as it is.
        return DecodedPacket(
            frameNumber: frameNumber, timestamp: timestamp, sourceMAC: dissection.link.source,
            destinationMAC: dissection.link.destination, vlans: dissection.link.vlans, source: ip.source,
            destination: ip.destination, sourcePort: udp.sourcePort, destinationPort: udp.destinationPort,
            content: content,
            snapped: originalLength.flatMap {
                $0 > bytes.count ? SnappedFrame(captured: bytes.count, original: $0) : nil
            },
            tftpConversation: tftpConversation, tftpData: tftpData, tunnel: dissection.tunnel
        )
    }

    /// An LLDP or CDP frame: decoded, or malformed with the field and offset.
    private mutating func classifyDiscovery(
        _ dissection: FrameDissection, bytes: Span<UInt8>, frameNumber: Int, timestamp: Int64, originalLength: Int?
    ) -> DecodedPacket? {
        let etherType = dissection.link.etherType
        let content: DecodedPacket.Content
        do {
            guard
                let discovery = try LinkDiscovery.decode(
                    etherType: etherType, payload: bytes.extracting(dissection.payload),
                    base: dissection.payload.lowerBound)
            else { return nil }
            switch discovery {
            case .lldp: self.counters.lldp += 1
            case .cdp: self.counters.cdp += 1
            }
            content = .discovery(discovery)
        } catch {
            self.counters.malformedDiscovery += 1
            content = .malformed(etherType == LLDPDU.etherType ? .lldp : .cdp, error)
        }
        if dissection.tunnel != nil { self.counters.tunnelled += 1 }
        return DecodedPacket(
            frameNumber: frameNumber, timestamp: timestamp, sourceMAC: dissection.link.source,
            destinationMAC: dissection.link.destination, vlans: dissection.link.vlans, source: .any,
            destination: .any, sourcePort: 0, destinationPort: 0, content: content,
            snapped: originalLength.flatMap {
                $0 > bytes.count ? SnappedFrame(captured: bytes.count, original: $0) : nil
            },
            tunnel: dissection.tunnel
        )
    }

    private mutating func decode(
        _ kind: PacketProtocol, payload: Span<UInt8>, base: Int, ip: IPv4Header, udp: UDPHeader
    ) -> DecodedPacket.Content {
        switch kind {
        case .dhcp:
            if self.defersDHCPDecoding { return self.check(dhcp: payload, base: base) }
            do {
                let message = try DHCPMessage(decoding: payload, base: base)
                self.counters.dhcp += 1
                if !message.isRequest {
                    self.learnStreamPorts(
                        bootServer: message.options[.polycomBootServer],
                        tftpServerName: message.options[.tftpServerName])
                }
                return .dhcp(message)
            } catch {
                self.counters.malformed += 1
                return .malformed(.dhcp, error)
            }
        case .tftp:
            do {
                var packet = try TFTPPacket(decoding: payload, base: base)
                // A DATA block whose end the capture's snap length cut: its size is the UDP
                // header's, not what the capture kept, or a full block would look like the
                // short last one and end the transfer (the data itself is never needed).
                if case .data(let block, let count) = packet, udp.length - 8 - 4 > count {
                    packet = .data(block: block, byteCount: udp.length - 8 - 4)
                }
                switch packet {
                case .readRequest(let request):
                    if udp.destinationPort == TFTPPacket.serverPort {
                        self.transfers.register(
                            client: ip.source, clientPort: udp.sourcePort, server: ip.destination,
                            keepsData: PolycomCatalogue.isMasterConfigName(request.filename))
                    }
                case .writeRequest:
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
        case .lldp, .cdp:
            // Not reached: LLDP and CDP are link-layer frames, classified before UDP.
            return .malformed(
                kind,
                WireFormatError(
                    code: .unsupported, layer: kind.rawValue, field: "UDP payload", offset: base,
                    detail: "\(kind.rawValue) is not carried in UDP"))
        }
    }

    private mutating func classifyTCP(
        _ tcp: TCPHeader, dissection: FrameDissection, bytes: Span<UInt8>, frameNumber: Int, timestamp: Int64,
        _ emit: (consuming DecodedPacket) -> Void
    ) {
        guard let ip = dissection.ipv4 else { return }
        let payloadLength = dissection.payload.count
        let sourceIsStreamPort = self.streamPorts.contains(tcp.sourcePort)
        let destinationIsStreamPort = self.streamPorts.contains(tcp.destinationPort)
        let isStream = sourceIsStreamPort || destinationIsStreamPort
        let fromServer = sourceIsStreamPort && !(destinationIsStreamPort && tcp.destinationPort < tcp.sourcePort)
        // A bare ACK tells the analyzer nothing it needs.
        guard payloadLength > 0 || !tcp.flags.isDisjoint(with: [.syn, .fin, .rst]) else { return }
        var payload: [UInt8] = []
        if isStream {
            self.counters.tcpStream += 1
            if payloadLength > 0 {
                payload = bytes.extracting(dissection.payload).withUnsafeBufferPointer { Array($0) }
                let clientEnd =
                    fromServer
                    ? FTPDataWatch.Endpoint(address: ip.destination, port: tcp.destinationPort)
                    : FTPDataWatch.Endpoint(address: ip.source, port: tcp.sourcePort)
                self.ftpData.control(
                    payload, fromServer: fromServer, client: clientEnd,
                    server: fromServer ? ip.source : ip.destination)
            }
        } else if payloadLength > 0, !self.ftpData.isEmpty,
            self.ftpData.keeps(
                source: FTPDataWatch.Endpoint(address: ip.source, port: tcp.sourcePort),
                destination: FTPDataWatch.Endpoint(address: ip.destination, port: tcp.destinationPort))
        {
            // A data connection carrying a master configuration file: its bytes are read.
            payload = bytes.extracting(dissection.payload).withUnsafeBufferPointer { Array($0) }
        }
        let segment = TCPSegment(
            flags: tcp.flags, sequenceNumber: tcp.sequenceNumber, acknowledgmentNumber: tcp.acknowledgmentNumber,
            payloadLength: payloadLength, payload: payload, isStream: isStream,
            fromServer: fromServer
        )
        if dissection.tunnel != nil { self.counters.tunnelled += 1 }
        emit(
            DecodedPacket(
                frameNumber: frameNumber, timestamp: timestamp, sourceMAC: dissection.link.source,
                destinationMAC: dissection.link.destination, vlans: dissection.link.vlans, source: ip.source,
                destination: ip.destination, sourcePort: tcp.sourcePort, destinationPort: tcp.destinationPort,
                content: .tcp(segment), tunnel: dissection.tunnel
            ))
    }

    /// A DHCP message checked, not decoded (``defersDHCPDecoding``): its bytes, or what is
    /// wrong with it; a reply's options 160 and 66 are read for their ports on the way.
    private mutating func check(dhcp payload: Span<UInt8>, base: Int) -> DecodedPacket.Content {
        // Only a reply's boot-server options are wanted (op 1 is a request).
        let isReply = !payload.isEmpty && payload[0] != 1
        var bootServer: [UInt8]?
        var tftpServerName: [UInt8]?
        do {
            _ = try DHCPMessageSummary(decoding: payload, base: base) { code, value in
                guard isReply else { return }
                // A value in several pieces is their bytes joined (RFC 3396 §7), as DHCPOptions gives it.
                if code == .polycomBootServer {
                    bootServer = (bootServer ?? []) + value.withUnsafeBufferPointer { Array($0) }
                } else if code == .tftpServerName {
                    tftpServerName = (tftpServerName ?? []) + value.withUnsafeBufferPointer { Array($0) }
                }
            }
        } catch {
            self.counters.malformed += 1
            return .malformed(.dhcp, error)
        }
        self.counters.dhcp += 1
        if isReply { self.learnStreamPorts(bootServer: bootServer, tftpServerName: tftpServerName) }
        return .dhcpUndecoded(payload.withUnsafeBufferPointer { Array($0) }, base: base)
    }

    /// A reply that names a boot server by URL with a port (option 160 or 66, as their bytes):
    /// follow TCP on that port too.
    private mutating func learnStreamPorts(bootServer: [UInt8]?, tftpServerName: [UInt8]?) {
        // A server sends every client the same values: one seen last time is not read again.
        if let bytes = bootServer, bytes != self.lastBootServer {
            self.lastBootServer = bytes
            self.learnStreamPort(from: DHCPOptions.text(bytes))
        }
        if let bytes = tftpServerName, bytes != self.lastTFTPServerName {
            self.lastTFTPServerName = bytes
            self.learnStreamPort(from: DHCPOptions.text(bytes))
        }
    }

    private mutating func learnStreamPort(from value: String) {
        guard !self.learned.contains(value) else { return }
        if self.learned.count < Self.learnedLimit { self.learned.insert(value) }
        let string = BootServerString(value)
        if let port = string.port, let tcpPort = UInt16(exactly: port),
            string.scheme.flatMap(FetchProtocol.init(scheme:))?.transport != .udp
        {
            self.streamPorts.insert(tcpPort)
        }
    }
}
