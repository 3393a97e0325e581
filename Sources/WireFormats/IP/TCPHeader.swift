/// A TCP header (RFC 9293 §3.1): ports, sequence numbers, flags and window; options skipped.
public struct TCPHeader: Hashable, Sendable {
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let fin = Flags(rawValue: 0x01)
        public static let syn = Flags(rawValue: 0x02)
        public static let rst = Flags(rawValue: 0x04)
        public static let psh = Flags(rawValue: 0x08)
        public static let ack = Flags(rawValue: 0x10)
        public static let urg = Flags(rawValue: 0x20)
    }

    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequenceNumber: UInt32
    public var acknowledgmentNumber: UInt32
    public var headerLength: Int
    public var flags: Flags
    public var window: UInt16

    static func decode(_ bytes: Span<UInt8>, base: Int) throws(WireFormatError) -> TCPHeader {
        var reader = ByteReader(bytes, base: base)
        guard reader.remaining >= 20 else {
            throw .truncated("TCP", "header", at: base, need: 20, have: reader.remaining)
        }
        let sourcePort = reader.readUInt16() ?? 0
        let destinationPort = reader.readUInt16() ?? 0
        let sequence = reader.readUInt32() ?? 0
        let acknowledgment = reader.readUInt32() ?? 0
        let offsetByte = reader.readUInt8() ?? 0
        let flags = reader.readUInt8() ?? 0
        let window = reader.readUInt16() ?? 0
        let headerLength = Int(offsetByte >> 4) * 4
        guard headerLength >= 20 else {
            throw .badLength("TCP", "data offset", at: base + 12, "header length \(headerLength) is below 20")
        }
        guard bytes.count >= headerLength else {
            throw .truncated("TCP", "options", at: base + 20, need: headerLength - 20, have: bytes.count - 20)
        }
        return TCPHeader(
            sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: sequence,
            acknowledgmentNumber: acknowledgment, headerLength: headerLength, flags: Flags(rawValue: flags & 0x3F),
            window: window
        )
    }
}
