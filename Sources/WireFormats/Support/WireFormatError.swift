/// A decoding failure: which protocol, which field, at which byte offset, and why.
///
/// Equality compares the ``code``, the ``layer`` and the ``offset``, so tests can match on what
/// went wrong and where without depending on the wording of ``detail``.
public struct WireFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is. An open set, so that cases can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case truncated, invalidLength, invalidValue, unsupported, overloadLoop
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The bytes ended before the field did.
        public static let truncated = Code(.truncated)
        /// A length field claims more (or fewer) bytes than the format allows.
        public static let invalidLength = Code(.invalidLength)
        /// A field holds a value the format forbids.
        public static let invalidValue = Code(.invalidValue)
        /// A valid value that this decoder does not handle (for example an unknown link type).
        public static let unsupported = Code(.unsupported)
        /// DHCP option 52 points at a field that is itself being read as overload.
        public static let overloadLoop = Code(.overloadLoop)

        public var description: String {
            switch self.base {
            case .truncated: "truncated"
            case .invalidLength: "invalid length"
            case .invalidValue: "invalid value"
            case .unsupported: "unsupported"
            case .overloadLoop: "option overload loop"
            }
        }
    }

    /// The failure kind.
    public let code: Code
    /// The protocol being decoded: `"Ethernet"`, `"IPv4"`, `"DHCP"`, `"TFTP"`...
    public let layer: String
    /// The field, as the RFC names it (`"option 66 length"`, `"chaddr"`).
    public let field: String
    /// Offset of the offending byte from the start of the frame (or of the buffer decoded).
    public let offset: Int
    /// A human sentence with the numbers involved.
    public let detail: String

    public init(code: Code, layer: String, field: String, offset: Int, detail: String) {
        self.code = code
        self.layer = layer
        self.field = field
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        "\(self.layer) \(self.field) at byte \(self.offset): \(self.detail)"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.layer == rhs.layer && lhs.offset == rhs.offset
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
        hasher.combine(self.layer)
        hasher.combine(self.offset)
    }

    @inline(never)
    static func truncated(_ layer: String, _ field: String, at offset: Int, need: Int, have: Int) -> Self {
        Self(
            code: .truncated, layer: layer, field: field, offset: offset,
            detail: "needs \(need) byte\(need == 1 ? "" : "s"), only \(max(have, 0)) left"
        )
    }

    @inline(never)
    static func invalid(_ layer: String, _ field: String, at offset: Int, _ detail: String) -> Self {
        Self(code: .invalidValue, layer: layer, field: field, offset: offset, detail: detail)
    }

    @inline(never)
    static func badLength(_ layer: String, _ field: String, at offset: Int, _ detail: String) -> Self {
        Self(code: .invalidLength, layer: layer, field: field, offset: offset, detail: detail)
    }
}
