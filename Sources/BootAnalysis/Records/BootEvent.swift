public import WireFormats

/// Something the analyzer saw happen, in capture order: what `--format ndjson` streams and
/// what `watch` prints live.
public enum BootEvent: Hashable, Sendable {
    /// A phone appeared for the first time.
    case phoneSeen(mac: MACAddress, frame: Int)
    /// A DHCP message to or from a phone.
    case dhcp(mac: MACAddress, transactionID: UInt32, message: DHCPTransaction.Message)
    /// A DHCP ACK gave the phone a boot server.
    case bootServer(mac: MACAddress, BootServer)
    /// The phone requested a file.
    case fetchStarted(mac: MACAddress, FetchProtocol, server: IPv4Address, file: String, frame: Int)
    /// A fetch ended (or the capture did).
    case fetchFinished(mac: MACAddress, Fetch)
    /// What the phone's master configuration told it to fetch and what it did, known when
    /// the capture ends (polycom-boot.md §4).
    case plan(mac: MACAddress, BootPlan)
    /// A finding about a phone, raised when the capture ends.
    case finding(mac: MACAddress, Finding)
    /// A DHCP/TFTP packet could not be decoded.
    case malformed(MalformedPacket)

    /// The frame the event is about (its first frame for a finding).
    public var frame: Int {
        switch self {
        case .phoneSeen(_, let frame): frame
        case .dhcp(_, _, let message): message.frame
        case .bootServer(_, let server): server.frame
        case .fetchStarted(_, _, _, _, let frame): frame
        case .fetchFinished(_, let fetch): fetch.lastFrame
        case .plan(_, let plan): plan.master.firstFrame
        case .finding(_, let finding): finding.frames.first ?? 0
        case .malformed(let packet): packet.frame
        }
    }
}
