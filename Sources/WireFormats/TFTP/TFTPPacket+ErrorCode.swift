extension TFTPPacket {
    /// The error code of an ERROR packet (RFC 1350 Appendix, "Error Codes"; 8 from RFC 2347
    /// §2). Any other value is kept: it still decodes, and is named by its number.
    public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt16

        public init(rawValue: UInt16) {
            self.rawValue = rawValue
        }

        /// 0: not defined, see the error message.
        public static let notDefined = Self(rawValue: 0)
        /// 1: file not found.
        public static let fileNotFound = Self(rawValue: 1)
        /// 2: access violation.
        public static let accessViolation = Self(rawValue: 2)
        /// 3: disk full or allocation exceeded.
        public static let diskFull = Self(rawValue: 3)
        /// 4: illegal TFTP operation.
        public static let illegalOperation = Self(rawValue: 4)
        /// 5: unknown transfer ID.
        public static let unknownTransferID = Self(rawValue: 5)
        /// 6: file already exists.
        public static let fileAlreadyExists = Self(rawValue: 6)
        /// 7: no such user.
        public static let noSuchUser = Self(rawValue: 7)
        /// 8: the option negotiation was refused (RFC 2347 §2).
        public static let optionRefused = Self(rawValue: 8)

        /// `file not found`, `access violation`...; `code 42` for a value no RFC names.
        public var name: String {
            switch self.rawValue {
            case 0: "not defined"
            case 1: "file not found"
            case 2: "access violation"
            case 3: "disk full"
            case 4: "illegal operation"
            case 5: "unknown transfer ID"
            case 6: "file already exists"
            case 7: "no such user"
            case 8: "option refused"
            default: "code \(self.rawValue)"
            }
        }

        /// The same as ``name``.
        public var description: String { self.name }
    }
}
