/// Why a capture could not be opened or read, naming the file and what to do.
public struct CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The failure kind. An open set, so that cases can be added.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The file is missing, unreadable, empty, or not a capture libpcap knows.
        public static let cannotOpen = Kind("cannot open")
        /// The capture filter does not compile.
        public static let invalidFilter = Kind("invalid filter")
        /// The file became unreadable part-way (a corrupt record header, an I/O error).
        public static let readFailed = Kind("read failed")
        /// The capture's link type is not one PhoneBoot decodes.
        public static let unsupportedLinkType = Kind("unsupported link type")
        /// A live capture could not start: no such interface, no permission, interface down.
        public static let cannotCapture = Kind("cannot capture")
        /// The file to save frames to could not be written.
        public static let cannotWrite = Kind("cannot write")
        /// A frame could not be sent on a live interface.
        public static let cannotSend = Kind("cannot send")

        public var description: String { self.name }
    }

    public let kind: Kind
    /// The file as the user named it (`-` for standard input).
    public let path: String
    /// What went wrong, in libpcap's words where it has some.
    public let reason: String
    /// What the user can do about it, when there is something to say.
    public let hint: String?

    public init(kind: Kind, path: String, reason: String, hint: String? = nil) {
        self.kind = kind
        self.path = path
        self.reason = reason
        self.hint = hint
    }

    public var description: String {
        let name = self.path == "-" ? "standard input" : self.path
        var text = "\(name): \(self.kind): \(self.reason)"
        if let hint { text += " (\(hint))" }
        return text
    }
}
