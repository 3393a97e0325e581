/// Something the analyzer concluded about a phone, with the frames that prove it.
public struct Finding: Hashable, Sendable {
    /// How bad a finding is; ordered, so that `--fail-on` can compare.
    public enum Severity: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case info, warning, error

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            }
        }
    }

    /// A stable, kebab-case identifier (DESIGN §4), for scripts and `--fail-on`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let noDHCPAnswer = Code(rawValue: "no-dhcp-answer")
        public static let dhcpNAK = Code(rawValue: "dhcp-nak")
        public static let noBootServer = Code(rawValue: "no-boot-server")
        public static let bootServerNotRequested = Code(rawValue: "boot-server-not-requested")
        public static let option66Only = Code(rawValue: "option-66-only")
        public static let bootServerConflict = Code(rawValue: "boot-server-conflict")
        public static let bootServerMalformed = Code(rawValue: "boot-server-malformed")
        public static let severalDHCPServers = Code(rawValue: "several-dhcp-servers")
        public static let bootServerUnused = Code(rawValue: "boot-server-unused")
        public static let fetchedFromOtherServer = Code(rawValue: "fetched-from-other-server")
        public static let macConfigMissing = Code(rawValue: "mac-config-missing")
        public static let noMasterConfig = Code(rawValue: "no-master-config")
        public static let applicationMissing = Code(rawValue: "application-missing")
        public static let fileNotFound = Code(rawValue: "file-not-found")
        public static let transferError = Code(rawValue: "transfer-error")
        public static let transferIncomplete = Code(rawValue: "transfer-incomplete")
        public static let noServerAnswer = Code(rawValue: "no-server-answer")
        public static let transferCutByCaptureEnd = Code(rawValue: "transfer-cut-by-capture-end")
        public static let loginFailed = Code(rawValue: "login-failed")
        public static let tlsFailed = Code(rawValue: "tls-failed")
        public static let malformedPacket = Code(rawValue: "malformed-packet")
        public static let masterConfigInvalid = Code(rawValue: "master-config-invalid")
        public static let configFileMissing = Code(rawValue: "config-file-missing")
        public static let configFileSkipped = Code(rawValue: "config-file-skipped")
        public static let applicationMismatch = Code(rawValue: "application-mismatch")
        public static let bootLoop = Code(rawValue: "boot-loop")
        public static let vlanLoop = Code(rawValue: "vlan-loop")
        public static let voiceVLANSilent = Code(rawValue: "voice-vlan-silent")
        public static let vlanConflict = Code(rawValue: "vlan-conflict")
        public static let vlanOptionMalformed = Code(rawValue: "vlan-option-malformed")

        public var description: String { self.rawValue }
    }

    public let code: Code
    public let severity: Severity
    /// One line: what happened.
    public let message: String
    /// What the engineer should change.
    public let hint: String
    /// The 1-based frame numbers that show it, ascending.
    public let frames: [Int]

    public init(code: Code, severity: Severity, message: String, hint: String, frames: [Int]) {
        self.code = code
        self.severity = severity
        self.message = message
        self.hint = hint
        self.frames = frames.ascendingFrames
    }
}
