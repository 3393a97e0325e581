public import WireFormats

/// A packet on a DHCP or TFTP port that could not be decoded: counted and reported, never
/// dropped silently.
public struct MalformedPacket: Hashable, Sendable {
    public let frame: Int
    public let protocolName: PacketProtocol
    public let error: WireFormatError
    public let source: IPv4Address
    public let destination: IPv4Address

    public init(frame: Int, protocolName: PacketProtocol, error: WireFormatError, source: IPv4Address, destination: IPv4Address) {
        self.frame = frame
        self.protocolName = protocolName
        self.error = error
        self.source = source
        self.destination = destination
    }
}
