/// A UDP header (RFC 768).
public struct UDPHeader: Hashable, Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// The length field: header plus data.
    public var length: Int

    /// Decodes the header at the start of `bytes` (the IP payload as captured). `declaredLength`
    /// is the IP payload length the IPv4 header gives, which the UDP length may not exceed.
    static func decode(_ bytes: Span<UInt8>, base: Int, declaredLength: Int) throws(WireFormatError) -> (UDPHeader, payloadLength: Int) {
        var reader = ByteReader(bytes, base: base)
        guard let sourcePort = reader.readUInt16(), let destinationPort = reader.readUInt16(),
            let length = reader.readUInt16(), reader.skip(2)
        else {
            throw .truncated("UDP", "header", at: base, need: 8, have: bytes.count)
        }
        guard length >= 8 else {
            throw .badLength("UDP", "length", at: base + 4, "length \(length) is below the 8-byte header")
        }
        let header = UDPHeader(sourcePort: sourcePort, destinationPort: destinationPort, length: Int(length))
        guard Int(length) <= declaredLength else {
            throw .badLength(
                "UDP", "length", at: base + 4, "length \(length) is more than the IP payload (\(declaredLength) bytes)"
            )
        }
        return (header, min(Int(length), bytes.count) - 8)
    }
}
