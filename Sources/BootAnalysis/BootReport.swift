/// The result of analysing one capture: one record per phone, and what could not be read.
public struct BootReport: Hashable, Sendable {
    /// The phones, in order of first appearance.
    public var phones: [PhoneRecord]
    /// DHCP clients left out because they do not look like phones (see `--all-devices`).
    public var otherDevices: Int
    /// Every DHCP/TFTP packet that could not be decoded, phone or not.
    public var malformed: [MalformedPacket]

    public init(phones: [PhoneRecord], otherDevices: Int, malformed: [MalformedPacket]) {
        self.phones = phones
        self.otherDevices = otherDevices
        self.malformed = malformed
    }

    /// All findings of all phones.
    public var findings: [Finding] { self.phones.flatMap(\.findings) }

    /// The worst severity in the report, or `nil` when there is no finding.
    public var worstSeverity: Finding.Severity? { self.findings.map(\.severity).max() }

    /// The number of findings of `severity`.
    public func count(_ severity: Finding.Severity) -> Int {
        self.findings.filter { $0.severity == severity }.count
    }
}
