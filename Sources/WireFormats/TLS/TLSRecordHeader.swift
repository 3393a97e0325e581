/// The 5-byte header of a TLS record (RFC 8446 §5.1, RFC 5246 §6.2.1).
public struct TLSRecordHeader: Hashable, Sendable {
    /// The record's content type.
    public struct ContentType: RawRepresentable, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let changeCipherSpec = ContentType(rawValue: 20)
        public static let alert = ContentType(rawValue: 21)
        public static let handshake = ContentType(rawValue: 22)
        public static let applicationData = ContentType(rawValue: 23)
    }

    public static let length = 5
    /// Records carry at most 2^14 bytes plus expansion (RFC 8446 §5.2).
    public static let maximumBodyLength = 16_384 + 2_048

    public let contentType: ContentType
    /// `0x0301` (TLS 1.0) to `0x0303` (TLS 1.2, also in TLS 1.3 records).
    public let version: UInt16
    public let bodyLength: Int

    /// Decodes the header at the start of `bytes`; `offset` is where it is in its stream.
    public init(decoding bytes: some Collection<UInt8>, offset: Int = 0) throws(WireFormatError) {
        let header = Array(bytes.prefix(Self.length))
        guard header.count == Self.length else {
            throw .truncated("TLS", "record header", at: offset, need: Self.length, have: header.count)
        }
        guard (20...24).contains(header[0]) else {
            throw .invalid("TLS", "content type", at: offset, "\(header[0]) is not a TLS record type (20-24)")
        }
        guard header[1] == 3, header[2] <= 4 else {
            throw .invalid("TLS", "record version", at: offset + 1, "\(header[1]).\(header[2]) is not a TLS version")
        }
        let length = Int(header[3]) << 8 | Int(header[4])
        guard length <= Self.maximumBodyLength else {
            throw .badLength(
                "TLS", "record length", at: offset + 3,
                "\(length) bytes is over the \(Self.maximumBodyLength) a record may hold")
        }
        self.contentType = ContentType(rawValue: header[0])
        self.version = UInt16(header[1]) << 8 | UInt16(header[2])
        self.bodyLength = length
    }
}
