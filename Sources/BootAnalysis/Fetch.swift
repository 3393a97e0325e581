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
    }

    public let protocolName: String
    public let server: IPv4Address
    public let serverPort: UInt16?
    public let file: String
    public let direction: TFTPTransfer.Direction
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

    init(_ transfer: TFTPTransfer) {
        self.protocolName = "tftp"
        self.server = transfer.server
        self.serverPort = transfer.serverPort
        self.file = transfer.file
        self.direction = transfer.direction
        switch transfer.result {
        case .ok: self.result = .ok
        case .notFound: self.result = .notFound
        case .accessViolation: self.result = .accessDenied
        case .otherError: self.result = .error
        case .incomplete: self.result = .incomplete
        case .noAnswer: self.result = .noAnswer
        }
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
    }
}
