/// An IPv4 address (RFC 791 §3.1), in host order.
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address as a 32-bit number: `192.0.2.1` is `0xC000_0201`.
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self.rawValue = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Builds an address from four octets; returns `nil` for any other count.
    public init?(octets: some Collection<UInt8>) {
        guard octets.count == 4 else { return nil }
        self.rawValue = octets.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Parses dotted-quad text (`192.0.2.10`); returns `nil` for anything else. Inlinable, so
    /// that a caller in another module reads a `String` or `Substring` as bytes, not through
    /// the protocol's witnesses (3,000 instructions an address otherwise).
    @inlinable
    public init?(_ text: some StringProtocol) {
        // Four groups of one to three decimal digits, each at most 255, between three dots.
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard digits <= 3, octet <= 255 else { return nil }
            case UInt8(ascii: "."):
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                (octet, digits, dots) = (0, 0, dots + 1)
            default:
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        self.rawValue = value << 8 | octet
    }

    /// `0.0.0.0`.
    public static let any = IPv4Address(rawValue: 0)
    /// `255.255.255.255`.
    public static let broadcast = IPv4Address(rawValue: 0xFFFF_FFFF)

    /// The four octets, first on the wire first.
    public var octets: [UInt8] {
        [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: self.rawValue >> $0) }
    }

    public var description: String {
        // Written into the string's own storage: no array first.
        unsafe String(unsafeUninitializedCapacity: Self.descriptionWidth) { buffer in
            var text = unsafe OutputSpan(buffer: buffer, initializedCount: 0)
            self.appendDescription(to: &text)
            return unsafe text.finalize(for: buffer)
        }
    }

    /// Appends ``description``'s UTF-8 bytes to `text`, without building a string (reports
    /// write many).
    public func appendDescription(to text: inout [UInt8]) {
        text.append(addingCapacity: Self.descriptionWidth) { self.appendDescription(to: &$0) }
    }

    /// The most bytes ``description`` takes: 15.
    public static let descriptionWidth = 15

    /// Appends ``description``'s bytes where room for them (``descriptionWidth``) was made.
    @_lifetime(text: copy text)
    public func appendDescription(to text: inout OutputSpan<UInt8>) {
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift != 24 { text.append(UInt8(ascii: ".")) }
            let octet = UInt8(truncatingIfNeeded: self.rawValue >> UInt32(shift))
            if octet >= 100 { text.append(UInt8(ascii: "0") + octet / 100) }
            if octet >= 10 { text.append(UInt8(ascii: "0") + octet / 10 % 10) }
            text.append(UInt8(ascii: "0") + octet % 10)
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
