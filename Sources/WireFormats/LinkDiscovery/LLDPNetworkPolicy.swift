/// An LLDP-MED Network Policy TLV: what VLAN, 802.1p priority and DSCP an application (voice,
/// voice signalling, ...) is to use on this port (ANSI/TIA-1057 §10.2.3).
///
/// The four bytes after the TIA OUI and subtype 2: application type (8 bits), then the
/// Unknown policy flag, the Tagged flag, a reserved bit, the VLAN ID (12 bits), the L2
/// priority (3 bits) and the DSCP value (6 bits).
public struct LLDPNetworkPolicy: Hashable, Sendable, CustomStringConvertible {
    /// The application a policy is for (TIA-1057 §10.2.3.8, Table 12).
    public struct Application: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let voice = Self(rawValue: 1)
        public static let voiceSignaling = Self(rawValue: 2)
        public static let guestVoice = Self(rawValue: 3)
        public static let guestVoiceSignaling = Self(rawValue: 4)
        public static let softphoneVoice = Self(rawValue: 5)
        public static let videoConferencing = Self(rawValue: 6)
        public static let streamingVideo = Self(rawValue: 7)
        public static let videoSignaling = Self(rawValue: 8)

        public var description: String {
            switch self.rawValue {
            case 1: "voice"
            case 2: "voice-signaling"
            case 3: "guest-voice"
            case 4: "guest-voice-signaling"
            case 5: "softphone-voice"
            case 6: "video-conferencing"
            case 7: "streaming-video"
            case 8: "video-signaling"
            default: "application \(self.rawValue)"
            }
        }
    }

    public var application: Application
    /// The U flag: the sender does not know the policy for this application (the other
    /// fields are then meaningless).
    public var isUnknown: Bool
    /// The T flag: the application is to use an 802.1Q-tagged VLAN (``vlanID``); untagged
    /// when false.
    public var isTagged: Bool
    /// The VLAN ID (0 with ``isTagged``: priority-tagged frames on the native VLAN).
    public var vlanID: UInt16
    /// The 802.1p priority (0–7).
    public var priority: UInt8
    /// The DSCP value (0–63).
    public var dscp: UInt8

    public init(
        application: Application, isUnknown: Bool = false, isTagged: Bool, vlanID: UInt16, priority: UInt8,
        dscp: UInt8
    ) {
        self.application = application
        self.isUnknown = isUnknown
        self.isTagged = isTagged
        self.vlanID = vlanID & 0x0FFF
        self.priority = priority & 0x07
        self.dscp = dscp & 0x3F
    }

    /// Decodes the four policy bytes (after OUI and subtype).
    init(application: UInt8, flagsAndFields value: UInt32) {
        self.application = Application(rawValue: application)
        self.isUnknown = value & 0x80_0000 != 0
        self.isTagged = value & 0x40_0000 != 0
        self.vlanID = UInt16(truncatingIfNeeded: value >> 9) & 0x0FFF
        self.priority = UInt8(truncatingIfNeeded: value >> 6) & 0x07
        self.dscp = UInt8(truncatingIfNeeded: value) & 0x3F
    }

    /// `voice vlan 120 tagged priority 5 dscp 46`, or `voice unknown policy`.
    public var description: String {
        if self.isUnknown { return "\(self.application) unknown policy" }
        return "\(self.application) vlan \(self.vlanID) \(self.isTagged ? "tagged" : "untagged")"
            + " priority \(self.priority) dscp \(self.dscp)"
    }
}
