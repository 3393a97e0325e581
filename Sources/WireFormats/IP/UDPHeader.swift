/// A UDP header (RFC 768).
public struct UDPHeader: Hashable, Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// The length field: header plus data.
    public var length: Int

    /// Decodes the header at the start of `bytes`; throws only when fewer than 8 bytes are there.
    static func decode(_ bytes: Span<UInt8>, base: Int) throws(WireFormatError) -> UDPHeader {
        var reader = ByteReader(bytes, base: base)
        guard let sourcePort = reader.readUInt16(), let destinationPort = reader.readUInt16(),
            let length = reader.readUInt16(), reader.skip(2)
        else {
            throw .truncated("UDP", "header", at: base, need: 8, have: bytes.count)
        }
        return UDPHeader(sourcePort: sourcePort, destinationPort: destinationPort, length: Int(length))
    }

    /// What is wrong with the length field of a header at frame offset `base`, if anything:
    /// below the header's own 8 bytes, or more than the IP payload length `declaredLength`.
    func lengthError(base: Int, declaredLength: Int) -> WireFormatError? {
        if self.length < 8 {
            return .badLength("UDP", "length", at: base + 4, "length \(self.length) is below the 8-byte header")
        }
        if self.length > declaredLength {
            return .badLength(
                "UDP", "length", at: base + 4,
                "length \(self.length) is more than the IP payload (\(declaredLength) bytes)")
        }
        return nil
    }
}
