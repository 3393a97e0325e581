public import WireFormats

/// A TCP segment the analyzer follows (RFC 9293 §3.1): its header fields and, for the control
/// and request streams (FTP, HTTP, TLS), its payload.
///
/// Segments of any other connection (FTP data connections, HTTP bodies on ports no one asked
/// to follow) carry only their length: they are counted, never stored.
public struct TCPSegment: Hashable, Sendable {
    public var flags: TCPHeader.Flags
    public var sequenceNumber: UInt32
    public var acknowledgmentNumber: UInt32
    /// Payload bytes in the segment as captured.
    public var payloadLength: Int
    /// The payload, for segments of a followed stream; empty otherwise.
    public var payload: [UInt8]
    /// True when the segment belongs to a followed stream (one end on a stream port).
    public var isStream: Bool
    /// For a followed stream: true when the sender is the server (its port is the stream
    /// port; when both are, the lower one).
    public var fromServer: Bool

    public init(
        flags: TCPHeader.Flags, sequenceNumber: UInt32, acknowledgmentNumber: UInt32, payloadLength: Int,
        payload: [UInt8],
        isStream: Bool, fromServer: Bool
    ) {
        self.flags = flags
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.payloadLength = payloadLength
        self.payload = payload
        self.isStream = isStream
        self.fromServer = fromServer
    }

    /// The sequence space the segment occupies: its payload, plus one for SYN and for FIN.
    public var sequenceLength: Int {
        self.payloadLength + (self.flags.contains(.syn) ? 1 : 0) + (self.flags.contains(.fin) ? 1 : 0)
    }
}
