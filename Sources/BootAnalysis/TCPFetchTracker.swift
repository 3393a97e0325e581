import WireFormats

/// Follows every FTP, HTTP and HTTPS connection of a capture and turns them into fetches.
///
/// A connection is followed when one end is on a stream port (see ``PacketClassifier``); the
/// other end is the client. Its two directions are put back in order by
/// ``TCPStreamReassembler`` and read by the session its content calls for: a server that
/// speaks first with a reply code is FTP, a client that starts with a TLS record is HTTPS,
/// anything else is HTTP (a connection that never carries data is named by its port: 21 FTP,
/// 443 HTTPS, else HTTP). FTP data connections are matched by the end a PASV/EPSV/PORT/EPRT
/// named and counted, not stored. A connection the server never accepts is a fetch with no
/// answer, or an error when it is refused.
struct TCPFetchTracker: Sendable {
    /// What the tracker reports to the analyzer.
    enum Output: Sendable {
        case started(client: IPv4Address, clientMAC: MACAddress?, protocolName: String, server: IPv4Address, file: String, frame: Int)
        case finished(client: IPv4Address, clientMAC: MACAddress?, Fetch)
        case userAgent(client: IPv4Address, clientMAC: MACAddress?, String)
    }

    private enum Session: Sendable {
        case undecided
        case ftp(FTPSession)
        case http(HTTPSession)
        case tls(TLSSession)
    }

    private struct Connection: Sendable {
        var ends: TCPConnectionEnds
        var clientMAC: MACAddress?
        var toServer = TCPStreamReassembler()
        var toClient = TCPStreamReassembler()
        var session = Session.undecided
        var firstFrame: Int
        var lastFrame: Int
        var synFrames: [Int] = []
        var accepted = false
        var refusedFrame: Int?
        var clientClosed = false
        var serverClosed = false
    }

    private struct Endpoint: Hashable, Sendable {
        var address: IPv4Address
        var port: UInt16
    }

    private var connections: [TCPConnectionEnds: Connection] = [:]
    /// FTP data connection ends, to the control connection that named them.
    private var dataEndpoints: [Endpoint: TCPConnectionEnds] = [:]

    /// Takes one TCP segment.
    mutating func consume(_ segment: TCPSegment, packet: DecodedPacket) -> [Output] {
        guard segment.isStream else {
            self.countData(segment, packet: packet)
            return []
        }
        let frame = packet.frameNumber
        let sourceIsServer = segment.fromServer
        let ends = sourceIsServer
            ? TCPConnectionEnds(client: packet.destination, clientPort: packet.destinationPort, server: packet.source, serverPort: packet.sourcePort)
            : TCPConnectionEnds(client: packet.source, clientPort: packet.sourcePort, server: packet.destination, serverPort: packet.destinationPort)
        var outputs: [Output] = []
        let isNewSYN = !sourceIsServer && segment.flags.contains(.syn) && !segment.flags.contains(.ack)
        if isNewSYN, let old = self.connections[ends], old.accepted {
            // The port pair is reused for a new connection: the old one is over.
            self.close(ends, closed: true, frame: frame, outputs: &outputs)
        }
        var connection = self.connections[ends] ?? Connection(
            ends: ends, clientMAC: sourceIsServer ? packet.destinationMAC : packet.sourceMAC, firstFrame: frame, lastFrame: frame
        )
        connection.lastFrame = frame
        if isNewSYN { connection.synFrames.append(frame) }
        if sourceIsServer, segment.flags.contains(.syn) { connection.accepted = true }
        if !segment.flags.contains(.syn), segment.payloadLength > 0 { connection.accepted = true }

        var events: [StreamEvent] = []
        let bytes = sourceIsServer ? connection.toClient.receive(segment) : connection.toServer.receive(segment)
        if !bytes.isEmpty {
            if case .undecided = connection.session {
                connection.session = Self.session(for: ends, firstBytes: bytes, fromServer: sourceIsServer)
            }
            switch connection.session {
            case .ftp(var session):
                if sourceIsServer { session.serverBytes(bytes, frame: frame, events: &events) } else { session.clientBytes(bytes, frame: frame, events: &events) }
                connection.session = .ftp(session)
            case .http(var session):
                if sourceIsServer { session.serverBytes(bytes, frame: frame, events: &events) } else { session.clientBytes(bytes, frame: frame, events: &events) }
                connection.session = .http(session)
            case .tls(var session):
                if sourceIsServer { session.serverBytes(bytes, frame: frame, events: &events) } else { session.clientBytes(bytes, frame: frame, events: &events) }
                connection.session = .tls(session)
            case .undecided:
                break
            }
        }
        if segment.flags.contains(.rst) {
            if sourceIsServer, !connection.accepted { connection.refusedFrame = frame }
            connection.clientClosed = true
            connection.serverClosed = true
        }
        if segment.flags.contains(.fin) {
            if sourceIsServer { connection.serverClosed = true } else { connection.clientClosed = true }
        }
        self.connections[ends] = connection
        self.deliver(events, for: connection, outputs: &outputs)
        if connection.clientClosed && connection.serverClosed {
            self.close(ends, closed: true, frame: frame, outputs: &outputs)
        }
        return outputs
    }

    /// The capture ended: every open connection ends as it stands.
    mutating func finish() -> [Output] {
        var outputs: [Output] = []
        let open = self.connections.values.sorted { $0.firstFrame < $1.firstFrame }
        for connection in open {
            self.close(connection.ends, closed: false, frame: connection.lastFrame, outputs: &outputs)
        }
        return outputs
    }

    // MARK: - Parts

    private static func session(for ends: TCPConnectionEnds, firstBytes: [UInt8], fromServer: Bool) -> Session {
        if fromServer {
            let reply = FTPReply(line: firstBytes.prefix { $0 != 0x0A })
            if reply.code != nil, !firstBytes.starts(with: Array("HTTP/".utf8)) { return .ftp(FTPSession(ends: ends)) }
        } else if firstBytes.first == TLSRecordHeader.ContentType.handshake.rawValue {
            return .tls(TLSSession(ends: ends))
        } else if ends.serverPort == 21 {
            return .ftp(FTPSession(ends: ends))
        }
        return .http(HTTPSession(ends: ends))
    }

    private mutating func countData(_ segment: TCPSegment, packet: DecodedPacket) {
        let source = Endpoint(address: packet.source, port: packet.sourcePort)
        let destination = Endpoint(address: packet.destination, port: packet.destinationPort)
        let (control, endpointIsSender): (TCPConnectionEnds, Bool)
        if let ends = self.dataEndpoints[destination] {
            (control, endpointIsSender) = (ends, false)
        } else if let ends = self.dataEndpoints[source] {
            (control, endpointIsSender) = (ends, true)
        } else {
            return
        }
        guard var connection = self.connections[control], case .ftp(var session) = connection.session else { return }
        // Passive: the named end is the server's; active: it is the client's.
        let namedIsServer = (endpointIsSender ? packet.source : packet.destination) == control.server
        let fromServer = endpointIsSender == namedIsServer
        session.dataSegment(segment, fromServer: fromServer, frame: packet.frameNumber)
        connection.session = .ftp(session)
        self.connections[control] = connection
    }

    private mutating func deliver(_ events: [StreamEvent], for connection: Connection, outputs: inout [Output]) {
        let ends = connection.ends
        for event in events {
            switch event {
            case .started(let protocolName, let file, let frame):
                outputs.append(.started(client: ends.client, clientMAC: connection.clientMAC, protocolName: protocolName, server: ends.server, file: file, frame: frame))
            case .finished(let fetch):
                outputs.append(.finished(client: ends.client, clientMAC: connection.clientMAC, fetch))
            case .userAgent(let agent):
                outputs.append(.userAgent(client: ends.client, clientMAC: connection.clientMAC, agent))
            case .dataEndpoint(let address, let port):
                self.dataEndpoints = self.dataEndpoints.filter { $0.value != ends }
                self.dataEndpoints[Endpoint(address: address, port: port)] = ends
            }
        }
    }

    private mutating func close(_ ends: TCPConnectionEnds, closed: Bool, frame: Int, outputs: inout [Output]) {
        guard let connection = self.connections.removeValue(forKey: ends) else { return }
        var events: [StreamEvent] = []
        switch connection.session {
        case .ftp(var session):
            session.finish(frame: frame, events: &events)
        case .http(var session):
            session.finish(closed: closed, frame: frame, events: &events)
        case .tls(var session):
            session.finish(closed: closed, frame: frame, events: &events)
        case .undecided:
            if !connection.synFrames.isEmpty, !connection.accepted || connection.refusedFrame != nil {
                events.append(.finished(self.unanswered(connection)))
            }
        }
        self.deliver(events, for: connection, outputs: &outputs)
        if case .ftp = connection.session {
            self.dataEndpoints = self.dataEndpoints.filter { $0.value != ends }
        }
    }

    /// A connection the server never accepted: no answer, or refused with a reset.
    private func unanswered(_ connection: Connection) -> Fetch {
        let ends = connection.ends
        let protocolName = switch ends.serverPort {
        case 21: "ftp"
        case 443: "https"
        default: "http"
        }
        let refused = connection.refusedFrame
        return Fetch(
            protocolName: protocolName, server: ends.server, serverPort: ends.serverPort, file: "", direction: .read,
            result: refused == nil ? .noAnswer : .error, bytes: 0, firstFrame: connection.firstFrame,
            lastFrame: connection.lastFrame, requestFrames: connection.synFrames, statusCode: nil,
            message: refused == nil ? "no answer to \(connection.synFrames.count) connection attempt\(connection.synFrames.count == 1 ? "" : "s") (SYN)" : "connection refused (RST)",
            errorFrame: refused, user: nil, serverName: nil, userAgent: nil
        )
    }
}
