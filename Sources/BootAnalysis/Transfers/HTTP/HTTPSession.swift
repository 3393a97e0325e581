import WireFormats

/// One HTTP/1.x connection followed request by response (RFC 9112): each request is a fetch,
/// ended by its response's status and the body bytes that followed it.
///
/// Heads are kept until parsed (at most ``maximumHeadLength``); bodies are counted, never
/// stored (but for a master configuration file's, ``CapturedBody``): by `Content-Length`, by chunk sizes for `Transfer-Encoding: chunked`, or up to the
/// end of the connection. Responses pair with requests in order (pipelining included).
struct HTTPSession: StreamSession {
    static let fetchProtocol = FetchProtocol.http

    static let maximumHeadLength = 64 * 1024

    private struct Request: Sendable {
        var head: HTTPRequestHead
        var frame: Int
        var bodyBytes = 0
    }

    private enum Body: Sendable {
        /// Reading a head.
        case none
        /// `remaining` bytes of a body of known length.
        case length(remaining: Int)
        /// A chunked body (RFC 9112 §7.1).
        case chunked(Chunked)
        /// A body that ends with the connection.
        case untilClose
    }

    private struct Chunked: Sendable {
        enum State: Sendable { case size, data, dataEnd, trailer }
        var state = State.size
        var line: [UInt8] = []
        var remaining = 0
    }

    private struct Response: Sendable {
        var request: Request
        var head: HTTPResponseHead
        var frame: Int
        var bytes = 0
        /// The body of a master configuration file (``CapturedBody``); `nil` for any other.
        var body: CapturedBody?

        /// Counts (and, for a master configuration file, keeps) body bytes.
        mutating func take(_ bytes: ArraySlice<UInt8>) {
            self.bytes += bytes.count
            self.body?.append(bytes)
        }
    }

    let ends: TCPConnectionEnds
    private var clientHead: [UInt8] = []
    private var clientBody = Body.none
    private var serverHead: [UInt8] = []
    private var serverBody = Body.none
    private var requests: [Request] = []
    private var response: Response?
    private var clientOffset = 0
    private var serverOffset = 0
    /// Set when a head could not be parsed: the rest of that direction is not read.
    private(set) var clientError: WireFormatError?
    private(set) var serverError: WireFormatError?

    init(ends: TCPConnectionEnds) {
        self.ends = ends
    }

    mutating func clientBytes(_ bytes: [UInt8], frame: Int, events: inout [StreamEvent]) {
        var input = bytes[...]
        while !input.isEmpty, self.clientError == nil {
            switch self.clientBody {
            case .length(let remaining):
                let taken = min(remaining, input.count)
                input = input.dropFirst(taken)
                if let last = self.requests.indices.last { self.requests[last].bodyBytes += taken }
                self.clientBody = remaining - taken == 0 ? .none : .length(remaining: remaining - taken)
            case .chunked, .untilClose:
                // Chunked or unbounded request bodies are counted to the end of the stream.
                if let last = self.requests.indices.last { self.requests[last].bodyBytes += input.count }
                input = input[input.endIndex...]
            case .none:
                guard let head = Self.takeHead(&self.clientHead, from: &input) else {
                    if self.clientHead.count > Self.maximumHeadLength {
                        self.clientError = WireFormatError(
                            code: .invalidLength, layer: "HTTP", field: "request head", offset: self.clientOffset,
                            detail: "no end of head within \(Self.maximumHeadLength) bytes"
                        )
                    }
                    return
                }
                let offset = self.clientOffset
                self.clientOffset += head.count
                do {
                    let request = try HTTPRequestHead(decoding: head, offset: offset)
                    self.requests.append(Request(head: request, frame: frame))
                    events.append(.started(Self.fetchProtocol, file: request.path, frame: frame))
                    if let agent = request.headers["User-Agent"] { events.append(.userAgent(agent)) }
                    if request.headers.isChunked {
                        self.clientBody = .chunked(Chunked())
                    } else if let length = request.headers.contentLength, length > 0 {
                        self.clientBody = .length(remaining: length)
                    }
                } catch {
                    self.clientError = error
                }
            }
        }
    }

    mutating func serverBytes(_ bytes: [UInt8], frame: Int, events: inout [StreamEvent]) {
        var input = bytes[...]
        while !input.isEmpty, self.serverError == nil {
            switch self.serverBody {
            case .length(let remaining):
                let taken = min(remaining, input.count)
                self.response?.take(input.prefix(taken))
                input = input.dropFirst(taken)
                if remaining - taken == 0 {
                    self.serverBody = .none
                    self.endResponse(frame: frame, complete: true, events: &events)
                } else {
                    self.serverBody = .length(remaining: remaining - taken)
                }
            case .chunked(var chunked):
                let done = Self.readChunked(&chunked, input: &input, count: &self.response)
                self.serverBody = done ? .none : .chunked(chunked)
                if done { self.endResponse(frame: frame, complete: true, events: &events) }
            case .untilClose:
                self.response?.take(input)
                input = input[input.endIndex...]
            case .none:
                guard let head = Self.takeHead(&self.serverHead, from: &input) else {
                    if self.serverHead.count > Self.maximumHeadLength {
                        self.serverError = WireFormatError(
                            code: .invalidLength, layer: "HTTP", field: "response head", offset: self.serverOffset,
                            detail: "no end of head within \(Self.maximumHeadLength) bytes"
                        )
                    }
                    return
                }
                let offset = self.serverOffset
                self.serverOffset += head.count
                do {
                    let head = try HTTPResponseHead(decoding: head, offset: offset)
                    guard !(100...199).contains(head.status) else { continue }  // interim (100 Continue)
                    guard !self.requests.isEmpty else { continue }  // a response to a request before the capture
                    let request = self.requests.removeFirst()
                    let keepsBody =
                        request.head.method == .get && head.status == 200
                        && PolycomCatalogue.isMasterConfigName(request.head.path)
                    self.response = Response(
                        request: request, head: head, frame: frame, body: keepsBody ? CapturedBody() : nil)
                    if request.head.method == .head || head.status == 204 || head.status == 304 {
                        self.endResponse(frame: frame, complete: true, events: &events)
                    } else if head.headers.isChunked {
                        self.serverBody = .chunked(Chunked())
                    } else if let length = head.headers.contentLength {
                        if length == 0 {
                            self.endResponse(frame: frame, complete: true, events: &events)
                        } else {
                            self.serverBody = .length(remaining: length)
                        }
                    } else {
                        self.serverBody = .untilClose
                    }
                } catch {
                    self.serverError = error
                }
            }
        }
    }

    /// The connection or the capture ended (`closed`: the server closed it).
    mutating func finish(closed: Bool, frame: Int, events: inout [StreamEvent]) {
        if self.response != nil {
            let complete: Bool = if case .untilClose = self.serverBody { closed } else { false }
            self.endResponse(frame: frame, complete: complete, events: &events)
        }
        for request in self.requests {
            events.append(
                .finished(
                    self.fetch(
                        request, result: .noAnswer, status: nil, message: "no response", bytes: request.bodyBytes,
                        lastFrame: request.frame, errorFrame: nil)))
        }
        self.requests.removeAll()
    }

    // MARK: - Parts

    /// Moves bytes into `head` until the empty line that ends a head; returns the head
    /// (without that empty line) when complete.
    ///
    /// A line at a time: the bytes up to and with the next line end are moved at once, and the
    /// head is looked at only where a line ends. No more is taken than makes the head one byte
    /// longer than ``maximumHeadLength`` (at least one byte a call).
    private static func takeHead(_ head: inout [UInt8], from input: inout ArraySlice<UInt8>) -> [UInt8]? {
        while !input.isEmpty {
            let lineEnd = input.firstIndex(of: 0x0A)
            let lineLength = lineEnd.map { $0 - input.startIndex + 1 } ?? input.count
            let taken = min(lineLength, max(1, Self.maximumHeadLength + 1 - head.count))
            head.append(contentsOf: input.prefix(taken))
            input = input.dropFirst(taken)
            let count = head.count
            // Empty lines before a head are skipped (RFC 9112 §2.2): line ends left between
            // messages, or sent before the first.
            if lineEnd != nil, taken == lineLength, count == 1 || (count == 2 && head[0] == 0x0D) {
                head.removeAll(keepingCapacity: true)
                continue
            }
            if lineEnd != nil, taken == lineLength, count >= 2 {
                let endsWithCRLFCRLF =
                    count >= 4 && head[count - 4] == 0x0D && head[count - 3] == 0x0A && head[count - 2] == 0x0D
                    && head[count - 1] == 0x0A
                let endsWithLFLF = head[count - 2] == 0x0A && head[count - 1] == 0x0A
                if endsWithCRLFCRLF || endsWithLFLF {
                    let complete = Array(head.dropLast(endsWithCRLFCRLF ? 4 : 2))
                    head.removeAll(keepingCapacity: true)
                    return complete
                }
            }
            if count > Self.maximumHeadLength { return nil }
        }
        return nil
    }

    /// Reads a chunked body; returns true once its last chunk and trailer are done.
    private static func readChunked(
        _ chunked: inout Chunked, input: inout ArraySlice<UInt8>, count response: inout Response?
    ) -> Bool {
        while let byte = input.first {
            switch chunked.state {
            case .data:
                let taken = min(chunked.remaining, input.count)
                response?.take(input.prefix(taken))
                input = input.dropFirst(taken)
                chunked.remaining -= taken
                if chunked.remaining == 0 {
                    chunked.state = .dataEnd
                }
            case .dataEnd:
                input = input.dropFirst()
                if byte == 0x0A { chunked.state = .size }
            case .size, .trailer:
                input = input.dropFirst()
                guard byte == 0x0A else {
                    if chunked.line.count < 1024 { chunked.line.append(byte) }
                    continue
                }
                let line = chunked.line.last == 0x0D ? chunked.line.dropLast() : chunked.line[...]
                chunked.line.removeAll()
                if chunked.state == .trailer {
                    if line.isEmpty { return true }
                    continue
                }
                let digits = line.prefix { $0 != 0x3B && $0 != 0x20 }  // chunk extensions
                let size = Int(String(decoding: digits, as: UTF8.self), radix: 16) ?? 0
                if size == 0 {
                    chunked.state = .trailer
                } else {
                    chunked.remaining = size
                    chunked.state = .data
                }
            }
        }
        return false
    }

    private mutating func endResponse(frame: Int, complete: Bool, events: inout [StreamEvent]) {
        guard let response = self.response else { return }
        self.response = nil
        let status = response.head.status
        let isUpload = [.put, .post].contains(response.request.head.method)
        var result: Fetch.Result
        var message = response.head.reason
        switch status {
        case 200...299: result = .ok
        case 401, 403: result = .loginFailed
        case 404, 410: result = .notFound
        case 300...399:
            result = .error
            message += response.head.headers["Location"].map { " to \($0)" } ?? ""
        default: result = .error
        }
        if result == .ok, !complete { result = .incomplete }
        if result == .incomplete, let expected = response.head.headers.contentLength {
            message = "\(response.bytes) of \(expected) bytes"
        }
        let bytes = isUpload ? response.request.bodyBytes : response.bytes
        var fetch = self.fetch(
            response.request, result: result, status: status, message: message, bytes: bytes,
            lastFrame: max(frame, response.frame),
            errorFrame: response.frame
        )
        if result == .ok { fetch.capturedBody = response.body }
        if result == .ok, response.request.head.method == .head {
            fetch.sizeCheck = Fetch.SizeCheck(size: response.head.headers.contentLength)
        }
        events.append(.finished(fetch))
    }

    private func fetch(
        _ request: Request, result: Fetch.Result, status: Int?, message: String?, bytes: Int, lastFrame: Int,
        errorFrame: Int?
    ) -> Fetch {
        let method = request.head.method
        return Fetch(
            ends: self.ends, file: request.head.path, direction: method == .put || method == .post ? .upload : .read,
            result: result, bytes: bytes, firstFrame: request.frame, lastFrame: lastFrame,
            requestFrames: [request.frame],
            code: status, message: message, errorFrame: errorFrame,
            detail: .http(
                status: status, user: request.head.basicAuthUser, host: request.head.headers["Host"],
                userAgent: request.head.headers["User-Agent"]
            )
        )
    }
}
