import WireFormats

/// What a protocol session over TCP reports to ``TCPFetchTracker``.
enum StreamEvent: Sendable {
    /// The client asked for (or began to send) a file.
    case started(FetchProtocol, file: String, frame: Int)
    /// A fetch ended.
    case finished(Fetch)
    /// The client named itself (HTTP `User-Agent`).
    case userAgent(String)
    /// FTP: a data connection will use this end (the server's after PASV/EPSV, the client's
    /// after PORT/EPRT).
    case dataEndpoint(address: IPv4Address, port: UInt16)
}

/// The two ends of a followed TCP connection.
struct TCPConnectionEnds: Hashable, Sendable {
    var client: IPv4Address
    var clientPort: UInt16
    var server: IPv4Address
    var serverPort: UInt16
}
