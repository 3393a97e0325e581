public import WireFormats

/// A file a phone fetched or uploaded, as the report shows it (protocol-neutral).
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

    public let protocolName: String
    public let server: IPv4Address
    public let serverPort: UInt16?
    public let file: String
    public let direction: Direction
    public let result: Result
    public let bytes: Int
    public let blockSize: Int?
    public let firstFrame: Int
    public let lastFrame: Int
    /// The request frames (retransmissions included).
    public let requestFrames: [Int]
    public let errorCode: UInt16?
    public let errorMessage: String?
    public let errorFrame: Int?
    public let duplicateBlocks: Int
    public let missingBlocks: Int
    /// FTP: the reply code that ended the fetch; HTTP: the status code.
    public let statusCode: Int?
    /// FTP `USER` or the HTTP Basic user (never a password).
    public let user: String?
    /// HTTP `Host`, or the TLS server name (SNI).
    public let serverName: String?
    /// HTTP `User-Agent`.
    public let userAgent: String?

    /// A fetch over TCP (FTP, HTTP, HTTPS).
    init(
        protocolName: String, server: IPv4Address, serverPort: UInt16, file: String, direction: Direction,
        result: Result, bytes: Int, firstFrame: Int, lastFrame: Int, requestFrames: [Int], statusCode: Int?,
        message: String?, errorFrame: Int?, user: String?, serverName: String?, userAgent: String?
    ) {
        self.protocolName = protocolName
        self.server = server
        self.serverPort = serverPort
        self.file = file
        self.direction = direction
        self.result = result
        self.bytes = bytes
        self.blockSize = nil
        self.firstFrame = firstFrame
        self.lastFrame = lastFrame
        self.requestFrames = requestFrames
        self.statusCode = statusCode
        self.errorCode = result == .ok ? nil : statusCode.flatMap { UInt16(exactly: $0) }
        self.errorMessage = result == .ok ? nil : message
        self.errorFrame = result == .ok ? nil : errorFrame
        self.duplicateBlocks = 0
        self.missingBlocks = 0
        self.user = user
        self.serverName = serverName
        self.userAgent = userAgent
    }

    init(_ transfer: TFTPTransfer) {
        self.protocolName = "tftp"
        self.server = transfer.server
        self.serverPort = transfer.serverPort
        self.file = transfer.file
        self.direction = transfer.direction
        self.result = transfer.result
        self.bytes = transfer.bytes
        self.blockSize = transfer.blockSize
        self.firstFrame = transfer.firstFrame
        self.lastFrame = transfer.lastFrame
        self.requestFrames = transfer.requestFrames
        self.errorCode = transfer.errorCode
        self.errorMessage = transfer.errorMessage
        self.errorFrame = transfer.errorFrame
        self.duplicateBlocks = transfer.duplicateBlocks
        self.missingBlocks = transfer.missingBlocks
        self.statusCode = nil
        self.user = nil
        self.serverName = nil
        self.userAgent = nil
    }
}
