/// A provisioning protocol read over one TCP connection (FTP control, HTTP, TLS): what
/// ``TCPFetchTracker`` needs of each, so that it hands bytes over in one place whatever the
/// protocol. A session reports what it sees as ``StreamEvent``s.
protocol StreamSession: Sendable {
    /// The protocol this session reads.
    static var fetchProtocol: FetchProtocol { get }

    init(ends: TCPConnectionEnds)

    /// Bytes from the client, in stream order.
    mutating func clientBytes(_ bytes: [UInt8], frame: Int, events: inout [StreamEvent])

    /// Bytes from the server, in stream order.
    mutating func serverBytes(_ bytes: [UInt8], frame: Int, events: inout [StreamEvent])

    /// The connection ended (`closed`: both sides closed or reset it) or the capture did: what
    /// is still open ends as it stands.
    mutating func finish(closed: Bool, frame: Int, events: inout [StreamEvent])
}

extension StreamSession {
    /// Bytes from either side.
    mutating func receive(_ bytes: [UInt8], fromServer: Bool, frame: Int, events: inout [StreamEvent]) {
        if fromServer {
            self.serverBytes(bytes, frame: frame, events: &events)
        } else {
            self.clientBytes(bytes, frame: frame, events: &events)
        }
    }
}
