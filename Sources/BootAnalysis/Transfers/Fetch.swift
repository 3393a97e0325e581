public import WireFormats

/// A file a phone fetched or uploaded, as the report shows it: what every protocol shares
/// (server, file, direction, result, bytes, frames, the error) and, in ``detail``, what only
/// one protocol has (TFTP block size, FTP user, HTTP status and headers, the TLS server name).
public struct Fetch: Hashable, Sendable {
    public enum Result: String, Hashable, Sendable {
        case ok
        case notFound = "not-found"
        case accessDenied = "access-denied"
        case loginFailed = "login-failed"
        case error
        case incomplete
        case noAnswer = "no-answer"
        /// HTTPS: the TLS handshake ended in an alert or was cut off.
        case tlsFailed = "tls-failed"
    }

    /// A file read from the server, or sent to it (TFTP WRQ, FTP STOR, HTTP PUT/POST).
    public enum Direction: String, Hashable, Sendable {
        case read, upload
    }

    /// How a fetch ended badly: the protocol's code (TFTP error code, FTP reply code, HTTP
    /// status), its message or PhoneBoot's own words, and the frame that shows it.
    public struct Failure: Hashable, Sendable {
        public let code: UInt16?
        public let message: String?
        public let frame: Int?

        public init(code: UInt16?, message: String?, frame: Int?) {
            self.code = code
            self.message = message
            self.frame = frame
        }
    }

    /// What only one protocol has. The TCP protocols' cases are boxed (`indirect`): a fetch,
    /// and every phone's array of them, is then the size of the TFTP case, not of the HTTP one.
    public enum Detail: Hashable, Sendable {
        /// RFC 1350, RFC 2348: the block size in effect, and blocks seen twice or never.
        case tftp(blockSize: Int?, duplicateBlocks: Int, missingBlocks: Int)
        /// RFC 959: the `USER` (never a password) and the reply code that ended the transfer.
        indirect case ftp(user: String?, replyCode: Int?)
        /// RFC 9110: the status code, the Basic-auth user, `Host` and `User-Agent`.
        indirect case http(status: Int?, user: String?, host: String?, userAgent: String?)
        /// RFC 8446 §4.1.2: the server name (SNI) of the ClientHello.
        indirect case https(serverName: String?)
    }

    public let server: IPv4Address
    public let serverPort: UInt16?
    public let file: String
    public let direction: Direction
    public let result: Result
    public let bytes: Int
    public let firstFrame: Int
    public let lastFrame: Int
    /// The request frames (retransmissions included).
    public var requestFrames: [Int] {
        switch self.requests {
        case .one(let frame): [frame]
        case .listed(let frames): frames
        }
    }
    /// Set when ``result`` is not `ok`.
    public let failure: Failure?
    public let detail: Detail
    /// True when the fetch was still under way when the capture ended (its last packet within
    /// ``BootAnalyzer/captureEndWindow`` of the capture's end): its ``result`` (`incomplete`,
    /// or `no-answer` to a request not yet sent again) is where the capture stopped, not where
    /// the transfer did.
    public private(set) var isCutByCaptureEnd = false
    /// The conversations that carry its frames: the frames it names are theirs from
    /// ``firstFrame`` to ``lastFrame`` (``DisplayFilter/fetch(_:)`` shows exactly those).
    /// Empty only for a fetch built by hand.
    public var conversations: [FetchConversation] {
        switch self.carriers {
        case .tftp(let client, let clientPort):
            [
                Self.tftpConversation(
                    client: client, clientPort: clientPort, server: self.server, serverPort: self.serverPort)
            ]
        case .listed(let conversations): conversations
        }
    }
    /// The boot stage the fetch belongs to (updater or application), set at the end of the
    /// capture from the order of the phone's fetches and their User-Agent.
    public internal(set) var stage: FetchStage?
    /// Set when the client asked only whether the file is there and how large it is, and
    /// the server said it is: a TFTP read with `tsize` (RFC 2349 §2) that the client ended
    /// with an ERROR after the server's OACK and before any data, an FTP `SIZE` or `MDTM`
    /// answered 213 with no `RETR` after it (RFC 3659 §3–4), an HTTP `HEAD` (RFC 9110 §9.3.2).
    /// The result is `ok` and ``bytes`` is 0: nothing of the file itself was sent.
    public internal(set) var sizeCheck: SizeCheck?
    /// A master configuration file's bytes, kept while it ran; taken off by the analyzer
    /// when it files the fetch with its phone (``MasterConfigCopy``).
    var capturedBody: CapturedBody?
    // A phone keeps every fetch to the end of the capture, and nearly every one has a single
    // request and, for TFTP, a single conversation: held as such, without an array (and, for
    // the conversation, its ports' array) on the heap. The stored forms below are the only
    // ones for each value (``requestFrames``, ``conversations``), so equal fetches stay equal.
    private let requests: RequestFrames
    private let carriers: Carriers

    /// ``requestFrames`` as kept.
    private enum RequestFrames: Hashable, Sendable {
        case one(Int)
        /// None, or more than one.
        case listed([Int])

        init(_ frames: [Int]) {
            self = if frames.count == 1, let frame = frames.first { .one(frame) } else { .listed(frames) }
        }
    }

    /// ``conversations`` as kept.
    private enum Carriers: Hashable, Sendable {
        /// A TFTP transfer's one conversation (``tftpConversation(client:clientPort:server:serverPort:)``
        /// with the fetch's server and server port).
        case tftp(client: IPv4Address, clientPort: UInt16)
        case listed([FetchConversation])
    }

    /// The UDP conversation of a TFTP transfer between `client` and `server`: the request to
    /// port 69, the rest from the server's transfer ID (`serverPort`, once it answered).
    private static func tftpConversation(
        client: IPv4Address, clientPort: UInt16, server: IPv4Address, serverPort: UInt16?
    ) -> FetchConversation {
        FetchConversation(
            transport: .udp, client: client, clientPort: clientPort, server: server,
            serverPorts: serverPort.map { [TFTPPacket.serverPort, $0] } ?? [TFTPPacket.serverPort]
        )
    }

    /// What a size check (``Fetch/sizeCheck``) learnt.
    public struct SizeCheck: Hashable, Sendable {
        /// The size the server gave (TFTP `tsize`, FTP 213 to `SIZE`, HTTP `Content-Length`),
        /// when it gave one.
        public let size: Int?

        public init(size: Int?) {
            self.size = size
        }
    }

    public init(
        server: IPv4Address, serverPort: UInt16?, file: String, direction: Direction, result: Result, bytes: Int,
        firstFrame: Int, lastFrame: Int, requestFrames: [Int], failure: Failure?, detail: Detail,
        conversations: [FetchConversation] = []
    ) {
        var carriers = Carriers.listed(conversations)
        if conversations.count == 1, let only = conversations.first, only.transport == .udp,
            let clientPort = only.clientPort,
            only
                == Self.tftpConversation(
                    client: only.client, clientPort: clientPort, server: server, serverPort: serverPort)
        {
            carriers = .tftp(client: only.client, clientPort: clientPort)
        }
        self.init(
            server: server, serverPort: serverPort, file: file, direction: direction, result: result, bytes: bytes,
            firstFrame: firstFrame, lastFrame: lastFrame, requests: RequestFrames(requestFrames), failure: failure,
            detail: detail, carriers: carriers)
    }

    private init(
        server: IPv4Address, serverPort: UInt16?, file: String, direction: Direction, result: Result, bytes: Int,
        firstFrame: Int, lastFrame: Int, requests: RequestFrames, failure: Failure?, detail: Detail,
        carriers: Carriers
    ) {
        self.server = server
        self.serverPort = serverPort
        self.file = file
        self.direction = direction
        self.result = result
        self.bytes = bytes
        self.firstFrame = firstFrame
        self.lastFrame = lastFrame
        self.requests = requests
        self.failure = failure
        self.detail = detail
        self.carriers = carriers
    }

    /// A fetch over TCP (FTP, HTTP, HTTPS): the reply or status `code` and `message` are the
    /// failure only when it failed. `data`: the FTP data connection it used.
    init(
        ends: TCPConnectionEnds, file: String, direction: Direction, result: Result, bytes: Int, firstFrame: Int,
        lastFrame: Int, requestFrames: [Int], code: Int?, message: String?, errorFrame: Int?, detail: Detail,
        data: FetchConversation? = nil
    ) {
        self.init(
            server: ends.server, serverPort: ends.serverPort, file: file, direction: direction, result: result,
            bytes: bytes, firstFrame: firstFrame, lastFrame: lastFrame, requestFrames: requestFrames,
            failure: result == .ok
                ? nil : Failure(code: code.flatMap { UInt16(exactly: $0) }, message: message, frame: errorFrame),
            detail: detail, conversations: [FetchConversation(ends)] + (data.map { [$0] } ?? [])
        )
    }

    /// A TFTP transfer as it ended.
    init(_ transfer: TFTPTransfer) {
        let failed =
            transfer.result != .ok
            && (transfer.errorCode != nil || transfer.errorMessage != nil || transfer.errorFrame != nil)
        self.init(
            server: transfer.server, serverPort: transfer.serverPort, file: transfer.file,
            direction: transfer.direction, result: transfer.result, bytes: transfer.bytes,
            firstFrame: transfer.firstFrame, lastFrame: transfer.lastFrame,
            requests: RequestFrames(transfer.requestFrames),
            failure: failed
                ? Failure(code: transfer.errorCode, message: transfer.errorMessage, frame: transfer.errorFrame) : nil,
            detail: .tftp(
                blockSize: transfer.blockSize, duplicateBlocks: transfer.duplicateBlocks,
                missingBlocks: transfer.missingBlocks
            ),
            carriers: .tftp(client: transfer.client, clientPort: transfer.clientPort)
        )
        if transfer.isSizeCheck { self.sizeCheck = SizeCheck(size: transfer.offeredSize) }
    }

    /// This fetch, marked as cut by the end of the capture when it qualifies: still open when
    /// the capture ended, its last packet at `lastTime` within ``BootAnalyzer/captureEndWindow``
    /// of `captureEnd` (capture time, nanoseconds), and either `incomplete` or without an answer
    /// to a request not yet sent again (a retransmitted request already waited out one timeout).
    func endedWithCapture(lastTime: Int64, captureEnd: Int64?) -> Fetch {
        guard let captureEnd, captureEnd &- lastTime <= BootAnalyzer.captureEndWindow else { return self }
        guard self.result == .incomplete || (self.result == .noAnswer && self.requestCount <= 1) else {
            return self
        }
        var fetch = self
        fetch.isCutByCaptureEnd = true
        return fetch
    }

    /// The number of ``requestFrames``.
    var requestCount: Int {
        switch self.requests {
        case .one: 1
        case .listed(let frames): frames.count
        }
    }

    /// This fetch without the bytes kept of it.
    var withoutBody: Fetch {
        guard self.capturedBody != nil else { return self }
        var fetch = self
        fetch.capturedBody = nil
        return fetch
    }

    /// The protocol, from the detail: one source of truth.
    public var fetchProtocol: FetchProtocol {
        switch self.detail {
        case .tftp: .tftp
        case .ftp: .ftp
        case .http: .http
        case .https: .https
        }
    }

    // MARK: - Convenience views of failure and detail

    public var errorCode: UInt16? { self.failure?.code }
    public var errorMessage: String? { self.failure?.message }
    public var errorFrame: Int? { self.failure?.frame }

    /// TFTP: the negotiated block size (RFC 2348), or 512.
    public var blockSize: Int? {
        if case .tftp(let size, _, _) = self.detail { return size }
        return nil
    }

    public var duplicateBlocks: Int {
        if case .tftp(_, let duplicates, _) = self.detail { return duplicates }
        return 0
    }

    public var missingBlocks: Int {
        if case .tftp(_, _, let missing) = self.detail { return missing }
        return 0
    }

    /// FTP: the reply code that ended the fetch; HTTP: the status code.
    public var statusCode: Int? {
        switch self.detail {
        case .ftp(_, let code): code
        case .http(let status, _, _, _): status
        case .tftp, .https: nil
        }
    }

    /// FTP `USER` or the HTTP Basic user (never a password).
    public var user: String? {
        switch self.detail {
        case .ftp(let user, _): user
        case .http(_, let user, _, _): user
        case .tftp, .https: nil
        }
    }

    /// HTTP `Host`, or the TLS server name (SNI).
    public var serverName: String? {
        switch self.detail {
        case .http(_, _, let host, _): host
        case .https(let name): name
        case .tftp, .ftp: nil
        }
    }

    /// HTTP `User-Agent`.
    public var userAgent: String? {
        if case .http(_, _, _, let agent) = self.detail { return agent }
        return nil
    }
}
