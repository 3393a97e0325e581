/// The result of analysing one capture: one record per phone, and what could not be read.
public struct BootReport: Hashable, Sendable {
    /// The phones, in order of first appearance.
    public var phones: [PhoneRecord]
    /// DHCP clients left out because they do not look like phones (see `--all-devices`), those
    /// not kept included.
    public var otherDevices: Int
    /// The DHCP/TFTP packets that could not be decoded, phone or not: every one, up to
    /// ``BootAnalyzer/malformedLimit``.
    public var malformed: [MalformedPacket]
    /// Malformed packets past ``BootAnalyzer/malformedLimit``: counted, not listed.
    public var malformedNotListed: Int
    /// Clients that did not look like phones: those kept to the end and those forgotten (a
    /// client forgotten and seen again counts twice).
    public var otherDevicesSeen: Int
    /// Clients that did not look like phones forgotten because ``otherDeviceLimit`` was reached:
    /// counted, never listed.
    public var otherDevicesNotKept: Int
    /// The most clients that do not look like phones the analyzer keeps at once.
    public var otherDeviceLimit: Int
    /// What shows that the capture itself missed frames; empty when nothing does.
    public var captureLoss: CaptureLoss
    /// Every distinct LLDP and CDP announcement, switch side and device side, phones or not,
    /// up to ``BootAnalyzer/announcementLimit``.
    public var announcements: [LinkAnnouncement] = []
    /// Distinct announcements past the limit: counted, not listed.
    public var announcementsNotListed = 0

    public init(
        phones: [PhoneRecord], otherDevices: Int, malformed: [MalformedPacket], malformedNotListed: Int = 0,
        otherDevicesSeen: Int = 0,
        otherDevicesNotKept: Int = 0, otherDeviceLimit: Int = BootAnalyzer.Options.defaultOtherDeviceLimit,
        captureLoss: CaptureLoss = CaptureLoss()
    ) {
        self.phones = phones
        self.otherDevices = otherDevices
        self.malformed = malformed
        self.malformedNotListed = malformedNotListed
        self.otherDevicesSeen = otherDevicesSeen
        self.otherDevicesNotKept = otherDevicesNotKept
        self.otherDeviceLimit = otherDeviceLimit
        self.captureLoss = captureLoss
    }

    /// True when clients were forgotten because the table of other clients was full.
    public var reachedOtherDeviceLimit: Bool { self.otherDevicesNotKept > 0 }

    /// All findings of all phones.
    public var findings: [Finding] { self.phones.flatMap(\.findings) }

    /// The worst severity in the report, or `nil` when there is no finding.
    public var worstSeverity: Finding.Severity? {
        var worst: Finding.Severity?
        // By index: each record is read where it is, not copied (a copy retains all it holds).
        for phone in self.phones.indices {
            for finding in self.phones[phone].findings.indices {
                let severity = self.phones[phone].findings[finding].severity
                worst = max(worst ?? severity, severity)
            }
        }
        return worst
    }

    /// The number of findings of `severity` (counted where they are, not copied out).
    public func count(_ severity: Finding.Severity) -> Int {
        var total = 0
        for phone in self.phones.indices {
            for finding in self.phones[phone].findings.indices
            where self.phones[phone].findings[finding].severity == severity {
                total += 1
            }
        }
        return total
    }
}
