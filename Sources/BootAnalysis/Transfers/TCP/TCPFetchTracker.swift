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
///
/// State is kept per open connection only. The analyzer ends connections that stayed silent
/// too long (``expire(before:)``) as the end of the capture would end them.
/// Unless every client is followed, an HTTP or HTTPS connection whose first request shows
/// that it is not provisioning traffic (a client that does not look like a phone, asking for
/// a file that is not a provisioning file, without a Polycom User-Agent) is dropped there:
/// nothing of it is reported, and the rest of it is neither stored nor parsed.
struct TCPFetchTracker: Sendable {
    /// What the tracker reports to the analyzer.
    enum Output: Sendable {
        case started(
            client: IPv4Address, clientMAC: MACAddress?, FetchProtocol, server: IPv4Address, file: String, frame: Int)
        case finished(client: IPv4Address, clientMAC: MACAddress?, Fetch)
        case userAgent(client: IPv4Address, clientMAC: MACAddress?, String)
    }

    private struct Connection: Sendable {
        var ends: TCPConnectionEnds
        var clientMAC: MACAddress?
        var toServer = TCPStreamReassembler()
        var toClient = TCPStreamReassembler()
        /// `nil` until the first bytes tell which protocol the connection speaks.
        var session: (any StreamSession)?
        var firstFrame: Int
        var lastFrame: Int
        var synFrames: [Int] = []
        var accepted = false
        var refusedFrame: Int?
        var clientClosed = false
        var serverClosed = false
        /// Capture time of the last segment, nanoseconds.
        var lastTime: Int64
        /// Its first request has been seen (and the connection kept or dropped).
        var judged = false
    }

    /// What is left of a connection dropped as not provisioning traffic: enough to see it end.
    private struct DroppedConnection: Sendable {
        /// Capture time of the last segment, nanoseconds.
        var lastTime: Int64
        var clientClosed = false
        var serverClosed = false

        /// Takes one segment's flags; true once both ends closed it (or one reset it).
        mutating func isOver(after segment: TCPSegment, fromServer: Bool, time: Int64) -> Bool {
            self.lastTime = time
            if segment.flags.contains(.rst) { (self.clientClosed, self.serverClosed) = (true, true) }
            if segment.flags.contains(.fin) {
                if fromServer { self.serverClosed = true } else { self.clientClosed = true }
            }
            return self.clientClosed && self.serverClosed
        }
    }

    private struct Endpoint: Hashable, Sendable {
        var address: IPv4Address
        var port: UInt16
    }

    private var connections: [TCPConnectionEnds: Connection] = [:]
    /// Connections dropped as not provisioning traffic, until they end or fall silent.
    private var dropped: [TCPConnectionEnds: DroppedConnection] = [:]
    /// FTP data connection ends, to the control connection that named them.
    private var dataEndpoints: [Endpoint: TCPConnectionEnds] = [:]
    /// Follow every connection to its end, whoever the client is (`--all-devices`).
    let followsEveryClient: Bool
    /// Connections dropped as not provisioning traffic.
    private(set) var droppedConnections = 0
    /// Bytes of followed streams given up as never captured (``TCPStreamReassembler/skippedBytes``),
    /// over every connection.
    private(set) var skippedBytes = 0
    /// The frame at which bytes were first given up as never captured.
    private(set) var firstSkipFrame: Int?

    init(followsEveryClient: Bool = true) {
        self.followsEveryClient = followsEveryClient
    }

    /// The number of connections followed now.
    var openConnections: Int { self.connections.count + self.dropped.count }

    /// Takes one TCP segment. `clientIsPhone`: whether the connection's client is known to be
    /// a phone (its traffic is then always followed); asked only when a connection's first
    /// request is judged, once a connection, not for every segment.
    mutating func consume(
        _ segment: TCPSegment, packet: DecodedPacket, clientIsPhone: () -> Bool = { true }
    ) -> [Output] {
        guard segment.isStream else {
            self.countData(segment, packet: packet)
            return []
        }
        let frame = packet.frameNumber
        let sourceIsServer = segment.fromServer
        let ends =
            sourceIsServer
            ? TCPConnectionEnds(
                client: packet.destination, clientPort: packet.destinationPort, server: packet.source,
                serverPort: packet.sourcePort)
            : TCPConnectionEnds(
                client: packet.source, clientPort: packet.sourcePort, server: packet.destination,
                serverPort: packet.destinationPort)
        var outputs: [Output] = []
        let isNewSYN = !sourceIsServer && segment.flags.contains(.syn) && !segment.flags.contains(.ack)
        if isNewSYN {
            // The port pair is reused for a new connection: the old one is over.
            if let old = self.connections[ends], old.accepted {
                self.close(ends, closed: true, frame: frame, outputs: &outputs)
            }
            self.dropped.removeValue(forKey: ends)
        }
        // A connection dropped as not provisioning traffic: only its end is watched for. Looked
        // up first, as most segments of a VLAN's other traffic are of such connections (a
        // connection is never in both tables).
        if !self.dropped.isEmpty, let index = self.dropped.index(forKey: ends) {
            if self.dropped.values[index].isOver(after: segment, fromServer: sourceIsServer, time: packet.timestamp) {
                self.dropped.remove(at: index)
            }
            return outputs
        }
        // Taken out while it changes, so that its session is not copied; put back below.
        var connection: Connection
        if let existing = self.connections.removeValue(forKey: ends) {
            connection = existing
        } else {
            connection = Connection(
                ends: ends, clientMAC: sourceIsServer ? packet.destinationMAC : packet.sourceMAC, firstFrame: frame,
                lastFrame: frame, lastTime: packet.timestamp
            )
        }
        connection.lastFrame = frame
        connection.lastTime = packet.timestamp
        if isNewSYN { connection.synFrames.append(frame) }
        if sourceIsServer, segment.flags.contains(.syn) { connection.accepted = true }
        if !segment.flags.contains(.syn), segment.payloadLength > 0 { connection.accepted = true }

        var events: [StreamEvent] = []
        let skippedBefore = connection.toClient.skippedBytes + connection.toServer.skippedBytes
        let bytes = sourceIsServer ? connection.toClient.receive(segment) : connection.toServer.receive(segment)
        let skipped = connection.toClient.skippedBytes + connection.toServer.skippedBytes - skippedBefore
        if skipped > 0 {
            self.skippedBytes += skipped
            self.firstSkipFrame = self.firstSkipFrame ?? frame
        }
        if !bytes.isEmpty {
            if connection.session == nil {
                connection.session = Self.session(for: ends, firstBytes: bytes, fromServer: sourceIsServer)
            }
            connection.session?.receive(bytes, fromServer: sourceIsServer, frame: frame, events: &events)
        }
        if !connection.judged, !events.isEmpty {
            connection.judged = events.contains { if case .started = $0 { true } else { false } }
            if connection.judged, !self.followsEveryClient,
                Self.showsNoProvisioning(events, session: connection.session), !clientIsPhone()
            {
                // Nothing of it is reported: only its end is watched for.
                self.drop(connection, segment: segment, fromServer: sourceIsServer)
                return outputs
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

    /// The capture ended: every open connection ends as it stands. `captureEnd`: the capture's
    /// last timestamp (nanoseconds), so that a fetch still under way then is marked as cut by
    /// the end of the capture (``Fetch/endedWithCapture(lastTime:captureEnd:)``).
    mutating func finish(captureEnd: Int64? = nil) -> [Output] {
        self.end(self.connections.values.sorted { $0.firstFrame < $1.firstFrame }, captureEnd: captureEnd)
    }

    /// Ends, as they stand, the connections silent since before `time` (capture time,
    /// nanoseconds), in the order they began.
    mutating func expire(before time: Int64) -> [Output] {
        if self.dropped.values.contains(where: { $0.lastTime < time }) {
            self.dropped = self.dropped.filter { $0.value.lastTime >= time }
        }
        let idle = self.connections.values.filter { $0.lastTime < time }
        guard !idle.isEmpty else { return [] }
        return self.end(idle.sorted { $0.firstFrame < $1.firstFrame })
    }

    /// Ends `open` as they stand; with `captureEnd`, the capture ended them.
    private mutating func end(_ open: [Connection], captureEnd: Int64? = nil) -> [Output] {
        var outputs: [Output] = []
        for connection in open {
            var closing: [Output] = []
            self.close(connection.ends, closed: false, frame: connection.lastFrame, outputs: &closing)
            for output in closing {
                guard case .finished(let client, let clientMAC, let fetch) = output else {
                    outputs.append(output)
                    continue
                }
                let ended = fetch.endedWithCapture(lastTime: connection.lastTime, captureEnd: captureEnd)
                outputs.append(.finished(client: client, clientMAC: clientMAC, ended))
            }
        }
        return outputs
    }

    /// Stops following `connection` (taken out of ``connections``): only its end is watched for.
    private mutating func drop(_ connection: Connection, segment: TCPSegment, fromServer: Bool) {
        self.droppedConnections += 1
        var stub = DroppedConnection(
            lastTime: connection.lastTime, clientClosed: connection.clientClosed, serverClosed: connection.serverClosed)
        if !stub.isOver(after: segment, fromServer: fromServer, time: connection.lastTime) {
            self.dropped[connection.ends] = stub
        }
    }

    /// True when the first request of an HTTP or HTTPS connection shows no provisioning: its
    /// file is not a provisioning file and no Polycom User-Agent came with it.
    private static func showsNoProvisioning(_ events: [StreamEvent], session: (any StreamSession)?) -> Bool {
        guard session is HTTPSession || session is TLSSession else { return false }
        var started = false
        for event in events {
            switch event {
            case .started(_, let file, _):
                if PolycomCatalogue.isProvisioningFile(file) { return false }
                started = true
            case .userAgent(let agent):
                if PolycomUserAgent(agent) != nil { return false }
            case .finished, .dataEndpoint:
                break
            }
        }
        return started
    }

    // MARK: - Parts

    /// The session the first bytes call for: a server that speaks first with a reply code is
    /// FTP, a client that starts with a TLS handshake record is HTTPS, a client on the FTP port
    /// is FTP, anything else HTTP.
    private static func session(for ends: TCPConnectionEnds, firstBytes: [UInt8], fromServer: Bool) -> any StreamSession
    {
        if fromServer {
            let reply = FTPReply(line: firstBytes.prefix { $0 != 0x0A })
            if reply.code != nil, !firstBytes.starts(with: Array("HTTP/".utf8)) { return FTPSession(ends: ends) }
        } else if firstBytes.first == TLSRecordHeader.ContentType.handshake.rawValue {
            return TLSSession(ends: ends)
        } else if FetchProtocol.stream(serverPort: ends.serverPort) == .ftp {
            return FTPSession(ends: ends)
        }
        return HTTPSession(ends: ends)
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
        guard var connection = self.connections[control], var session = connection.session as? FTPSession else {
            return
        }
        connection.lastTime = packet.timestamp
        // Passive: the named end is the server's; active: it is the client's.
        let namedIsServer = (endpointIsSender ? packet.source : packet.destination) == control.server
        let fromServer = endpointIsSender == namedIsServer
        session.dataSegment(segment, fromServer: fromServer, frame: packet.frameNumber)
        connection.session = session
        self.connections[control] = connection
    }

    private mutating func deliver(_ events: [StreamEvent], for connection: Connection, outputs: inout [Output]) {
        let ends = connection.ends
        for event in events {
            switch event {
            case .started(let fetchProtocol, let file, let frame):
                outputs.append(
                    .started(
                        client: ends.client, clientMAC: connection.clientMAC, fetchProtocol, server: ends.server,
                        file: file, frame: frame))
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
        if var session = connection.session {
            session.finish(closed: closed, frame: frame, events: &events)
        } else if !connection.synFrames.isEmpty, !connection.accepted || connection.refusedFrame != nil {
            events.append(.finished(self.unanswered(connection)))
        }
        self.deliver(events, for: connection, outputs: &outputs)
        if connection.session is FTPSession {
            self.dataEndpoints = self.dataEndpoints.filter { $0.value != ends }
        }
    }

    /// A connection the server never accepted: no answer, or refused with a reset.
    private func unanswered(_ connection: Connection) -> Fetch {
        let ends = connection.ends
        let refused = connection.refusedFrame
        let attempts = connection.synFrames.count
        return Fetch(
            ends: ends, file: "", direction: .read, result: refused == nil ? .noAnswer : .error, bytes: 0,
            firstFrame: connection.firstFrame, lastFrame: connection.lastFrame, requestFrames: connection.synFrames,
            code: nil,
            message: refused == nil
                ? "no answer to \(attempts) connection attempt\(attempts == 1 ? "" : "s") (SYN)"
                : "connection refused (RST)",
            errorFrame: refused, detail: Self.emptyDetail(FetchProtocol.stream(serverPort: ends.serverPort))
        )
    }

    /// The detail of a fetch that never carried a byte.
    private static func emptyDetail(_ fetchProtocol: FetchProtocol) -> Fetch.Detail {
        switch fetchProtocol {
        case .ftp: .ftp(user: nil, replyCode: nil)
        case .https: .https(serverName: nil)
        case .http, .tftp: .http(status: nil, user: nil, host: nil, userAgent: nil)
        }
    }
}
