public import WireFormats

/// A frame the capture kept only the start of: its snap length was shorter than the frame.
public struct SnappedFrame: Hashable, Sendable {
    /// The bytes the capture kept.
    public let captured: Int
    /// The frame's length on the wire.
    public let original: Int

    public init(captured: Int, original: Int) {
        self.captured = captured
        self.original = original
    }
}

/// A packet on a DHCP or TFTP port that could not be decoded: counted and reported, never
/// dropped silently.
public struct MalformedPacket: Hashable, Sendable {
    public let frame: Int
    public let protocolName: PacketProtocol
    public let error: WireFormatError
    public let source: IPv4Address
    public let destination: IPv4Address
    /// Set when the capture's snap length cut the frame: the packet was whole on the wire and
    /// the capture lost its end, which is then the likely reason it could not be decoded.
    public let snapped: SnappedFrame?

    public init(
        frame: Int, protocolName: PacketProtocol, error: WireFormatError, source: IPv4Address, destination: IPv4Address,
        snapped: SnappedFrame? = nil
    ) {
        self.frame = frame
        self.protocolName = protocolName
        self.error = error
        self.source = source
        self.destination = destination
        self.snapped = snapped
    }

    /// Why it could not be decoded, saying first when the capture cut the frame.
    public var reason: String {
        guard let snapped else { return self.error.description }
        return
            "captured \(snapped.captured) of \(snapped.original) bytes (cut by the capture's snap length): \(self.error)"
    }
}
