import WireFormats

/// The FTP side of `probe --fetch` (RFC 959; `SIZE` RFC 3659 §4): one control connection,
/// logged in as the boot server string says (`PlcmSpIp`/`PlcmSpIp` when it names no user, as
/// a phone does), binary type, passive data connections, a `RETR` for a whole file and a
/// `SIZE` for a size check.
struct FTPProbeClient: ~Copyable {
    private let control: ProbeSocket
    private let interface: String
    private let server: IPv4Address
    private let timeout: Duration
    /// Bytes of the control connection not yet split into lines.
    private var pending: [UInt8] = []

    /// The user and password a Polycom phone logs in with when the boot server names none
    /// (polycom-boot.md §3).
    static let defaultUser = "PlcmSpIp"
    static let defaultPassword = "PlcmSpIp"

    /// Connects and logs in; the error says which reply refused it.
    static func connect(
        interface: String, server: IPv4Address, port: UInt16, user: String, password: String, timeout: Duration
    ) throws(ProbeFetchError) -> FTPProbeClient {
        let control = try ProbeSocket(.tcp, interface: interface, timeout: timeout, context: "FTP \(server):\(port)")
        try control.connect(to: server, port: port)
        var client = FTPProbeClient(control: control, interface: interface, server: server, timeout: timeout)
        try client.logIn(user: user, password: password)
        return client
    }

    private init(control: consuming ProbeSocket, interface: String, server: IPv4Address, timeout: Duration) {
        self.control = control
        self.interface = interface
        self.server = server
        self.timeout = timeout
    }

    private mutating func logIn(user: String, password: String) throws(ProbeFetchError) {
        let greeting = try self.reply()
        guard greeting.code == 220 else { throw self.refusal("greeting", greeting) }
        let answer = try self.command("USER \(user)")
        if answer.code == 331 {
            // The password is sent, never written anywhere: the refusal shows only the reply.
            let login = try self.command("PASS \(password)")
            guard login.code == 230 || login.code == 202 else { throw self.refusal("login as \(user)", login) }
        } else if answer.code != 230 {
            throw self.refusal("USER \(user)", answer)
        }
        let type = try self.command("TYPE I")
        guard type.code == 200 else { throw self.refusal("TYPE I", type) }
    }

    /// The whole of `file`, up to `limit` bytes, over a passive data connection.
    mutating func file(_ file: String, limit: Int) -> ProbeFetchStep {
        do throws(ProbeFetchError) {
            let passive = try self.command("PASV")
            guard passive.code == 227, let endpoint = passive.reply.passiveEndpoint else {
                throw self.refusal("PASV", passive)
            }
            let data = try ProbeSocket(
                .tcp, interface: self.interface, timeout: self.timeout,
                context: "FTP data \(endpoint.address ?? self.server):\(endpoint.port)")
            try data.connect(to: endpoint.address ?? self.server, port: endpoint.port)
            let start = try self.command("RETR \(file)")
            switch start.code {
            case 150, 125: break
            case 550: return ProbeFetchStep(request: .file, file: file, outcome: .notFound("550 \(start.reply.text)"))
            default: throw self.refusal("RETR \(file)", start)
            }
            var content: [UInt8] = []
            while let (bytes, _, _) = try data.receive(), !bytes.isEmpty {
                content += bytes
                guard content.count <= limit else {
                    return ProbeFetchStep(
                        request: .file, file: file, outcome: .failed("larger than \(limit) bytes: not read to the end"))
                }
            }
            let end = try self.reply()
            guard end.code == 226 || end.code == 250 else { throw self.refusal("RETR \(file)", end) }
            return ProbeFetchStep(request: .file, file: file, outcome: .found(bytes: content, size: content.count))
        } catch {
            return ProbeFetchStep(request: .file, file: file, outcome: .failed(error.description))
        }
    }

    /// Whether `file` is there, and its size (`SIZE`, RFC 3659 §4).
    mutating func size(_ file: String) -> ProbeFetchStep {
        do throws(ProbeFetchError) {
            let answer = try self.command("SIZE \(file)")
            switch answer.code {
            case 213:
                let size = Int(answer.reply.text.filter { !$0.isWhitespace })
                return ProbeFetchStep(request: .size, file: file, outcome: .found(bytes: nil, size: size))
            case 550:
                return ProbeFetchStep(request: .size, file: file, outcome: .notFound("550 \(answer.reply.text)"))
            default:
                throw self.refusal("SIZE \(file)", answer)
            }
        } catch {
            return ProbeFetchStep(request: .size, file: file, outcome: .failed(error.description))
        }
    }

    /// Ends the session politely; its answer does not matter.
    mutating func quit() {
        _ = try? self.command("QUIT")
    }

    // MARK: - Control connection

    private mutating func command(_ line: String) throws(ProbeFetchError) -> (code: Int?, reply: FTPReply) {
        try self.control.send(Array((line + "\r\n").utf8))
        return try self.reply()
    }

    /// The next whole reply (a multi-line one ends with its code and a space, RFC 959 §4.2).
    private mutating func reply() throws(ProbeFetchError) -> (code: Int?, reply: FTPReply) {
        var open: Int?
        while true {
            let line = try self.line()
            let reply = FTPReply(line: line)
            if let code = open {
                if reply.code == code, reply.isLast { return (code, reply) }
                continue
            }
            guard let code = reply.code else { continue }
            if reply.isLast { return (code, reply) }
            open = code
        }
    }

    private mutating func line() throws(ProbeFetchError) -> [UInt8] {
        while true {
            if let end = self.pending.firstIndex(of: 0x0A) {
                var line = Array(self.pending[..<end])
                self.pending.removeSubrange(...end)
                if line.last == 0x0D { line.removeLast() }
                return line
            }
            guard self.pending.count < 8192 else {
                throw ProbeFetchError(self.control.context, "a reply line longer than 8192 bytes")
            }
            guard let (bytes, _, _) = try self.control.receive() else {
                throw ProbeFetchError(self.control.context, "no reply within \(self.timeout)")
            }
            guard !bytes.isEmpty else {
                throw ProbeFetchError(self.control.context, "the server closed the connection")
            }
            self.pending += bytes
        }
    }

    private func refusal(_ what: String, _ answer: (code: Int?, reply: FTPReply)) -> ProbeFetchError {
        ProbeFetchError(self.control.context, "\(what): \(answer.code.map(String.init) ?? "?") \(answer.reply.text)")
    }
}
