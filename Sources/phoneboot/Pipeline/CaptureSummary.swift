import BootAnalysis
import PacketCapture
import WireFormats

/// What reading one capture source produced besides the report: the link type, what the
/// classifier counted, damage skipped, what went wrong, and a live capture's libpcap counters.
/// The renderers take it with the ``BootReport``; it is filled by the pipeline, never by them.
struct CaptureSummary: Sendable {
    var linkTypeName: String?
    var counters = PacketClassifier.Counters()
    var firstUndecodable: (frame: Int, error: WireFormatError)?
    /// A warning (truncated file) or the error that stopped reading.
    var problem: CaptureProblem?
    /// False when nothing usable could be read: the file could not be opened, or its first
    /// record was already unreadable and no later one could be found.
    var readable = true
    /// Damaged spans skipped while reading one file, in file order (frames after a skip are
    /// numbered by the records read). Several files: each one's are in ``inputs``.
    var damage: [CaptureDamage] = []
    /// Timestamp of the first frame, nanoseconds since the epoch.
    var firstTimestamp: Int64?
    /// The files read and how each ended (one for a single file, none live).
    var inputs: [MergedCapture.Input] = []
    /// Several files read as one capture: which file, and which of its frames, each frame
    /// number is. `nil` for one file, whose numbers are its own.
    var frameMap: CaptureFrameMap?
    /// Live captures: what libpcap counted, drops included.
    var statistics: CaptureStatistics?

    /// One line for standard error: what was read.
    func line(source: String) -> String {
        var text =
            "\(source == "-" ? "standard input" : source): \(self.counters.frames) frames, \(self.counters.dhcp) DHCP, "
            + "\(self.counters.tftp) TFTP, \(self.counters.malformed) malformed"
        if self.counters.undecodable > 0, let first = self.firstUndecodable {
            text +=
                ", \(self.counters.undecodable) with undecodable headers (first: frame \(first.frame): \(first.error))"
        }
        if self.counters.fragments > 0 { text += ", \(self.counters.fragments) IP fragments not decoded" }
        let discovery = self.counters.lldp + self.counters.cdp + self.counters.malformedDiscovery
        if discovery > 0 {
            text += ", \(self.counters.lldp) LLDP, \(self.counters.cdp) CDP"
            if self.counters.malformedDiscovery > 0 { text += " (\(self.counters.malformedDiscovery) more malformed)" }
        }
        if self.counters.tunnelled > 0 { text += ", \(self.counters.tunnelled) packets found inside tunnels" }
        return text
    }
}
