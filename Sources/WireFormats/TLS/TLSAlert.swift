/// A plaintext TLS alert (RFC 8446 §6, RFC 5246 §7.2): level and description.
public struct TLSAlert: Hashable, Sendable, CustomStringConvertible {
    public let level: UInt8
    public let descriptionCode: UInt8

    /// Decodes the 2-byte body of an alert record.
    public init(decoding body: some Collection<UInt8>, offset: Int = 0) throws(WireFormatError) {
        let bytes = Array(body.prefix(2))
        guard bytes.count == 2 else { throw .truncated("TLS", "alert", at: offset, need: 2, have: bytes.count) }
        self.level = bytes[0]
        self.descriptionCode = bytes[1]
    }

    public var isFatal: Bool { self.level == 2 }

    /// The RFC's name of the alert: `unknown_ca`, `handshake_failure`...
    public var name: String {
        switch self.descriptionCode {
        case 0: "close_notify"
        case 10: "unexpected_message"
        case 20: "bad_record_mac"
        case 22: "record_overflow"
        case 40: "handshake_failure"
        case 42: "bad_certificate"
        case 43: "unsupported_certificate"
        case 44: "certificate_revoked"
        case 45: "certificate_expired"
        case 46: "certificate_unknown"
        case 47: "illegal_parameter"
        case 48: "unknown_ca"
        case 49: "access_denied"
        case 50: "decode_error"
        case 51: "decrypt_error"
        case 70: "protocol_version"
        case 71: "insufficient_security"
        case 80: "internal_error"
        case 86: "inappropriate_fallback"
        case 90: "user_canceled"
        case 109: "missing_extension"
        case 110: "unsupported_extension"
        case 112: "unrecognized_name"
        case 116: "certificate_required"
        case 120: "no_application_protocol"
        default: "alert \(self.descriptionCode)"
        }
    }

    public var description: String { "\(self.isFatal ? "fatal" : "warning") \(self.name)" }
}
