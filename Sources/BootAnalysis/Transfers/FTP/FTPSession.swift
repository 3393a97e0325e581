import WireFormats

/// One FTP control connection followed command by command (RFC 959 §4, §5.4): who logged in,
/// what was retrieved or stored, and how each transfer ended.
///
/// Each `RETR`/`STOR`/`APPE` is a fetch: ok on 226/250 with the bytes seen on the data
/// connection, not found on 550, access denied on 550 "Permission denied", login failed on
/// 530, an error on any other 4xx/5xx, no answer or incomplete when the capture ends first.
/// A 530 to `USER`/`PASS` is a login-failed fetch of its own (no file). The password of
/// `PASS` is never kept.
///
/// A client may ask `SIZE` or `MDTM` (RFC 3659 §3–4) before it retrieves a file, and give up
/// on a `550` without sending `RETR` (curl does). Such a file was looked for and not found: a
/// read fetch with the 550's code, text and frame, its request the `SIZE`/`MDTM`, reported
/// when the session ends unless the client retrieved the same file after all (then that
/// `RETR` is the one fetch of it) or stored it (the probe was for an upload: `STOR`/`APPE`
/// after `SIZE`, as a client resuming an upload asks). A `SIZE` answered 213 that no `RETR` or
/// `STOR` of the file comes before or after is reported the same way, as an ok size check
/// (``Fetch/sizeCheck``): the client learnt that the file is there and its size, and no more
/// (an `MDTM` answered 213 is a date, asked of files a client already has: no fetch).
struct FTPSession: StreamSession {
    static let fetchProtocol = FetchProtocol.ftp
    /// The most files probed with a 550 or 213 answer held at once, waiting to see whether a
    /// `RETR` or `STOR` of them follows; past it the oldest is reported at once, so that memory
    /// stays bounded.
    static let answeredProbeLimit = 32

    private struct Pending: Sendable {
        var file: String
        var direction: Fetch.Direction
        var frame: Int
    }

    /// A `SIZE`/`MDTM` answered 550 or 213: how it ended, until a `RETR` of the file or the end.
    private struct AnsweredProbe: Sendable {
        var probe: Pending
        var result: Fetch.Result
        var code: Int
        var message: String
        var replyFrame: Int
        /// The size a 213 to `SIZE` gave.
        var size: Int?
    }

    let ends: TCPConnectionEnds
    private(set) var user: String?
    private(set) var loggedIn = false
    private var clientLines = LineSplitter()
    private var serverLines = LineSplitter()
    private var lastCommand: FTPCommand?
    private var lastCommandFrame = 0
    private var pending: Pending?
    /// The `SIZE`/`MDTM` waiting for its reply, and whether it is a `SIZE`.
    private var probe: (file: Pending, isSize: Bool)?
    /// Files probed and answered 550 or 213, not (yet) transferred, in the order of their replies.
    private var answeredProbes: [AnsweredProbe] = []
    /// The files transferred so far (the latest ``answeredProbeLimit``): a `SIZE` of one of
    /// them is no size check of its own.
    private var transferred: [String] = []
    /// The code of a multi-line reply being read (RFC 959 §4.2).
    private var multilineCode: Int?
    /// The current data connection, counted per direction.
    private var dataToClient = TCPByteCounter()
    private var dataToServer = TCPByteCounter()
    private var lastDataFrame = 0
    /// The data connection last named (PASV/EPSV: the server's end; PORT/EPRT: the client's).
    private var dataConversation: FetchConversation?
    /// A master configuration file's bytes (``CapturedBody``), put in order from the data
    /// connection; `nil` for any other transfer.
    private var body: CapturedBody?
    private var bodyStream = TCPStreamReassembler()
    /// Lines that were neither a command nor a reply.
    private(set) var malformedLines = 0

    init(ends: TCPConnectionEnds) {
        self.ends = ends
    }

    mutating func clientBytes(_ bytes: [UInt8], frame: Int, events: inout [StreamEvent]) {
        for (line, offset) in self.clientLines.append(bytes) where !line.isEmpty {
            guard let command = try? FTPCommand(line: line, offset: offset) else {
                self.malformedLines += 1
                continue
            }
            self.command(command, frame: frame, events: &events)
        }
    }

    mutating func serverBytes(_ bytes: [UInt8], frame: Int, events: inout [StreamEvent]) {
        for (line, _) in self.serverLines.append(bytes) {
            let reply = FTPReply(line: line)
            if let code = self.multilineCode {
                // Inside a multi-line reply only "code SP" ends it.
                guard reply.code == code, reply.isLast else { continue }
                self.multilineCode = nil
            } else if let code = reply.code, !reply.isLast {
                self.multilineCode = code
                continue
            }
            guard let code = reply.code else {
                self.malformedLines += 1
                continue
            }
            self.reply(code, reply, frame: frame, events: &events)
        }
    }

    /// A segment of the data connection this session opened.
    mutating func dataSegment(_ segment: TCPSegment, fromServer: Bool, frame: Int) {
        if fromServer { self.dataToClient.receive(segment) } else { self.dataToServer.receive(segment) }
        self.lastDataFrame = frame
        if fromServer, self.body != nil {
            if segment.payloadLength > 0, segment.payload.count != segment.payloadLength {
                // Not copied by the classifier, or cut by the snap length: not all held.
                self.body?.markGap()
            } else {
                self.body?.append(self.bodyStream.receive(segment))
            }
        }
    }

    /// The connection or the capture ended: a transfer still waiting ends as it stands (how the
    /// control connection ended does not matter: the transfer's reply never came).
    mutating func finish(closed: Bool, frame: Int, events: inout [StreamEvent]) {
        for answered in self.answeredProbes { self.report(answered, events: &events) }
        self.answeredProbes = []
        guard let pending = self.pending else { return }
        let bytes = self.dataBytes(pending.direction)
        self.end(
            pending, result: bytes > 0 ? .incomplete : .noAnswer, code: nil,
            message: bytes > 0
                ? "the control connection ended before the transfer's reply" : "no reply to the transfer command",
            frame: max(frame, self.lastDataFrame), events: &events
        )
    }

    // MARK: - Commands and replies

    private mutating func command(_ command: FTPCommand, frame: Int, events: inout [StreamEvent]) {
        self.lastCommand = command
        self.lastCommandFrame = frame
        switch command.verb {
        case .user:
            self.user = command.argument
        case .size, .modificationTime:
            if let file = command.argument {
                self.probe = (Pending(file: file, direction: .read, frame: frame), command.verb == .size)
            }
        case .retrieve, .store, .append, .storeUnique:
            let file = command.argument ?? ""
            self.probe = nil
            // A file probed and found missing, then retrieved after all (the RETR is its fetch),
            // or stored (the probe asked whether an upload would replace or resume a file).
            self.answeredProbes.removeAll { $0.probe.file == file }
            self.transferred.removeAll { $0 == file }
            self.transferred.append(file)
            if self.transferred.count > Self.answeredProbeLimit { self.transferred.removeFirst() }
            if let pending = self.pending {
                // A new transfer before the last one's reply: the last one got none.
                self.end(
                    pending, result: .noAnswer, code: nil, message: "no reply before the next transfer command",
                    frame: frame, events: &events)
            }
            let direction: Fetch.Direction = command.verb == .retrieve ? .read : .upload
            self.pending = Pending(file: file, direction: direction, frame: frame)
            self.body = direction == .read && PolycomCatalogue.isMasterConfigName(file) ? CapturedBody() : nil
            events.append(.started(Self.fetchProtocol, file: file, frame: frame))
        case .port, .extendedPort:
            if let endpoint = command.activeEndpoint {
                self.resetData()
                self.dataConversation = FetchConversation(
                    transport: .tcp, client: endpoint.address, clientPort: endpoint.port, server: self.ends.server,
                    serverPorts: [])
                events.append(.dataEndpoint(address: endpoint.address, port: endpoint.port))
            }
        default:
            break
        }
    }

    private mutating func reply(_ code: Int, _ reply: FTPReply, frame: Int, events: inout [StreamEvent]) {
        switch code {
        case 227, 229:
            if let endpoint = reply.passiveEndpoint {
                self.resetData()
                self.dataConversation = FetchConversation(
                    transport: .tcp, client: self.ends.client, clientPort: nil,
                    server: endpoint.address ?? self.ends.server, serverPorts: [endpoint.port])
                events.append(.dataEndpoint(address: endpoint.address ?? self.ends.server, port: endpoint.port))
            }
            return
        case 230:
            self.loggedIn = true
            return
        default:
            break
        }
        if let (probe, isSize) = self.probe, self.pending == nil, code >= 200 {
            // The final reply to SIZE/MDTM: 213 (the file is there) or 550 (it is not) matter;
            // 500/502 is a server without the command.
            self.probe = nil
            let result: Fetch.Result
            switch code {
            case 213 where isSize && !self.transferred.contains(probe.file): result = .ok
            case 550: result = reply.text.lowercased().contains("permission") ? .accessDenied : .notFound
            default: return
            }
            let size = code == 213 ? Int(reply.text.trimmingSpaces) : nil
            self.answeredProbes.removeAll { $0.probe.file == probe.file }
            self.answeredProbes.append(
                AnsweredProbe(
                    probe: probe, result: result, code: code, message: reply.text, replyFrame: frame, size: size))
            if self.answeredProbes.count > Self.answeredProbeLimit {
                self.report(self.answeredProbes.removeFirst(), events: &events)
            }
            return
        }
        if let pending = self.pending {
            switch code {
            case 110...199:
                return  // preliminary: the transfer is starting
            case 226, 250:
                self.end(pending, result: .ok, code: code, message: reply.text, frame: frame, events: &events)
            case 530:
                self.end(pending, result: .loginFailed, code: code, message: reply.text, frame: frame, events: &events)
            case 550 where reply.text.lowercased().contains("permission"):
                self.end(pending, result: .accessDenied, code: code, message: reply.text, frame: frame, events: &events)
            case 550:
                self.end(pending, result: .notFound, code: code, message: reply.text, frame: frame, events: &events)
            case 400...599:
                self.end(pending, result: .error, code: code, message: reply.text, frame: frame, events: &events)
            default:
                break
            }
        } else if code == 530, let verb = self.lastCommand?.verb, verb == .user || verb == .password {
            let fetch = Fetch(
                ends: self.ends, file: "", direction: .read, result: .loginFailed, bytes: 0,
                firstFrame: self.lastCommandFrame, lastFrame: frame, requestFrames: [self.lastCommandFrame], code: code,
                message: reply.text, errorFrame: frame, detail: .ftp(user: self.user, replyCode: code)
            )
            events.append(.finished(fetch))
        }
    }

    private mutating func end(
        _ pending: Pending, result: Fetch.Result, code: Int?, message: String?, frame: Int, events: inout [StreamEvent]
    ) {
        var fetch = Fetch(
            ends: self.ends, file: pending.file, direction: pending.direction, result: result,
            bytes: self.dataBytes(pending.direction), firstFrame: pending.frame,
            lastFrame: max(frame, self.lastDataFrame),
            requestFrames: [pending.frame], code: code, message: message, errorFrame: result == .ok ? nil : frame,
            detail: .ftp(user: self.user, replyCode: code), data: self.dataConversation
        )
        if result == .ok { fetch.capturedBody = self.body }
        self.body = nil
        self.pending = nil
        events.append(.finished(fetch))
    }

    /// A file probed with SIZE/MDTM, never retrieved: a fetch that failed (550), or an ok size
    /// check (213).
    private func report(_ answered: AnsweredProbe, events: inout [StreamEvent]) {
        let probe = answered.probe
        events.append(.started(Self.fetchProtocol, file: probe.file, frame: probe.frame))
        var fetch = Fetch(
            ends: self.ends, file: probe.file, direction: .read, result: answered.result, bytes: 0,
            firstFrame: probe.frame, lastFrame: answered.replyFrame, requestFrames: [probe.frame], code: answered.code,
            message: answered.message, errorFrame: answered.replyFrame,
            detail: .ftp(user: self.user, replyCode: answered.code)
        )
        if answered.result == .ok { fetch.sizeCheck = Fetch.SizeCheck(size: answered.size) }
        events.append(.finished(fetch))
    }

    private func dataBytes(_ direction: Fetch.Direction) -> Int {
        direction == .read ? self.dataToClient.bytes : self.dataToServer.bytes
    }

    private mutating func resetData() {
        self.dataToClient = TCPByteCounter()
        self.dataToServer = TCPByteCounter()
        self.lastDataFrame = 0
        self.bodyStream = TCPStreamReassembler()
    }
}

extension String {
    /// The text without the spaces around it (a 213's size: `213 1234`).
    fileprivate var trimmingSpaces: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " || $0 == "\r" }.reversed())
    }
}
