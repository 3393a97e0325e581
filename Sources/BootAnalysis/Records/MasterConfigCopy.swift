public import MasterConfigXML
public import WireFormats

/// A master configuration file (`<mac>.cfg`, `000000000000.cfg`; polycom-boot.md §4.2, §4.3)
/// that the phone fetched successfully, with what PhoneBoot could read of it.
public struct MasterConfigCopy: Hashable, Sendable {
    /// What the capture held of the file.
    public enum Content: Hashable, Sendable {
        /// Read as XML.
        case parsed(MasterConfig)
        /// Not well-formed XML: the parser's error.
        case invalid(MasterConfigError)
        /// Bigger than ``CapturedBody/limit``: not kept, not read.
        case tooLarge(bytes: Int)
        /// The capture did not hold all of it (a block or segment missing, frames cut by the
        /// snap length), or its bytes are not kept for its protocol: why.
        case notHeld(String)
    }

    /// The file as requested.
    public let file: String
    public let server: IPv4Address
    public let fetchProtocol: FetchProtocol
    public let firstFrame: Int
    public let lastFrame: Int
    /// Bytes transferred.
    public let bytes: Int
    public let content: Content
    /// Capture time of its last frame, nanoseconds.
    public let timestamp: Int64

    public init(
        file: String, server: IPv4Address, fetchProtocol: FetchProtocol, firstFrame: Int, lastFrame: Int, bytes: Int,
        content: Content, timestamp: Int64
    ) {
        self.file = file
        self.server = server
        self.fetchProtocol = fetchProtocol
        self.firstFrame = firstFrame
        self.lastFrame = lastFrame
        self.bytes = bytes
        self.content = content
        self.timestamp = timestamp
    }

    /// The parsed file, when it was read.
    public var masterConfig: MasterConfig? {
        if case .parsed(let config) = self.content { return config }
        return nil
    }

    /// This copy with `content` (equal to its own) in place of its own, so that both share
    /// their storage.
    func sharing(_ content: Content) -> MasterConfigCopy {
        MasterConfigCopy(
            file: self.file, server: self.server, fetchProtocol: self.fetchProtocol, firstFrame: self.firstFrame,
            lastFrame: self.lastFrame, bytes: self.bytes, content: content, timestamp: self.timestamp)
    }

    /// `fetch`, with `content` read before from the same bytes.
    init(fetch: Fetch, content: Content, timestamp: Int64) {
        self.init(
            file: fetch.file, server: fetch.server, fetchProtocol: fetch.fetchProtocol, firstFrame: fetch.firstFrame,
            lastFrame: fetch.lastFrame, bytes: fetch.bytes, content: content, timestamp: timestamp)
    }

    /// Reads `fetch`'s body, kept while it ran, when it is a complete master file.
    init(fetch: Fetch, body: CapturedBody?, timestamp: Int64) {
        let content: Content
        if let body {
            if body.isTooLarge {
                content = .tooLarge(bytes: body.total)
            } else if !body.isComplete || body.total != fetch.bytes {
                content = .notHeld("the capture does not hold all of it (\(body.total) of \(fetch.bytes) bytes)")
            } else {
                do {
                    content = .parsed(try MasterConfigParser.parse(body.bytes))
                } catch {
                    content = .invalid(error)
                }
            }
        } else {
            content = .notHeld("its bytes were not kept")
        }
        self.init(fetch: fetch, content: content, timestamp: timestamp)
    }
}
