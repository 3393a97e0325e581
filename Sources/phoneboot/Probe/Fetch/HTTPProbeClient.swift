import FoundationEssentials
import WireFormats

/// The HTTP side of `probe --fetch` (RFC 9112): one connection a request, `GET` for a whole
/// file and `HEAD` for a size check (RFC 9110 §9.3.2), with a Polycom phone's User-Agent
/// and, when the boot server string carries them, Basic credentials (RFC 7617).
struct HTTPProbeClient {
    let interface: String
    let server: IPv4Address
    let port: UInt16
    /// The `Host` header: the boot server's host as written.
    let host: String
    let userAgent: String
    let credentials: (user: String, password: String)?
    let timeout: Duration

    /// The longest response head read.
    static let maximumHeadLength = 16 * 1024

    /// The whole of `path`, up to `limit` bytes.
    func file(_ path: String, limit: Int) -> ProbeFetchStep {
        self.run(path, method: "GET", request: .file, limit: limit)
    }

    /// Whether `path` is there, and its `Content-Length`, without its content.
    func size(_ path: String) -> ProbeFetchStep {
        self.run(path, method: "HEAD", request: .size, limit: 0)
    }

    private func run(_ path: String, method: String, request: ProbeFetchStep.Request, limit: Int) -> ProbeFetchStep {
        do {
            return try self.exchange(path, method: method, request: request, limit: limit)
        } catch {
            return ProbeFetchStep(request: request, file: path, outcome: .failed(error.description))
        }
    }

    private func exchange(
        _ path: String, method: String, request: ProbeFetchStep.Request, limit: Int
    ) throws(ProbeFetchError) -> ProbeFetchStep {
        let context = "HTTP \(self.server):\(self.port) \(method) \(path)"
        let socket = try ProbeSocket(.tcp, interface: self.interface, timeout: self.timeout, context: context)
        try socket.connect(to: self.server, port: self.port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(self.host)\r\nUser-Agent: \(self.userAgent)\r\n"
        if let (user, password) = self.credentials {
            let token = Data("\(user):\(password)".utf8).base64EncodedString()
            head += "Authorization: Basic \(token)\r\n"
        }
        head += "Accept: */*\r\nConnection: close\r\n\r\n"
        try socket.send(Array(head.utf8))

        var received: [UInt8] = []
        var headEnd: Int?
        var closed = false
        while headEnd == nil {
            guard let (bytes, _, _) = try socket.receive() else {
                throw ProbeFetchError(context, "no response within \(self.timeout)")
            }
            guard !bytes.isEmpty else { throw ProbeFetchError(context, "the server closed the connection") }
            received += bytes
            headEnd = Self.endOfHead(received)
            if headEnd == nil, received.count > Self.maximumHeadLength {
                throw ProbeFetchError(context, "no end of the response head within \(Self.maximumHeadLength) bytes")
            }
        }
        guard let headEnd else { throw ProbeFetchError(context, "no response head") }
        let response: HTTPResponseHead
        do {
            response = try HTTPResponseHead(decoding: Array(received[..<(headEnd - 4)]))
        } catch {
            throw ProbeFetchError(context, "the response head cannot be read: \(error)")
        }
        let status = "\(response.status) \(response.reason)"
        switch response.status {
        case 200...299: break
        case 404, 410: return ProbeFetchStep(request: request, file: path, outcome: .notFound(status))
        default: return ProbeFetchStep(request: request, file: path, outcome: .failed(status))
        }
        let length = response.headers.contentLength
        if request == .size {
            return ProbeFetchStep(request: request, file: path, outcome: .found(bytes: nil, size: length))
        }
        guard !response.headers.isChunked else {
            return ProbeFetchStep(
                request: request, file: path, outcome: .failed("a chunked body, which the probe does not read"))
        }
        var body = Array(received[headEnd...])
        while !closed, length.map({ body.count < $0 }) ?? true {
            guard body.count <= limit else {
                return ProbeFetchStep(
                    request: request, file: path, outcome: .failed("larger than \(limit) bytes: not read to the end"))
            }
            guard let (bytes, _, _) = try socket.receive() else {
                throw ProbeFetchError(context, "the body stopped after \(body.count) bytes")
            }
            if bytes.isEmpty { closed = true } else { body += bytes }
        }
        if let length {
            guard body.count >= length else {
                throw ProbeFetchError(context, "the body ended after \(body.count) of \(length) bytes")
            }
            body.removeSubrange(length...)
        }
        guard body.count <= limit else {
            return ProbeFetchStep(request: request, file: path, outcome: .failed("larger than \(limit) bytes"))
        }
        return ProbeFetchStep(request: request, file: path, outcome: .found(bytes: body, size: length))
    }

    /// The index just past the empty line that ends the head, when it has come.
    private static func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index - 3] == 0x0D && bytes[index - 2] == 0x0A && bytes[index - 1] == 0x0D && bytes[index] == 0x0A {
            return index + 1
        }
        return nil
    }
}
