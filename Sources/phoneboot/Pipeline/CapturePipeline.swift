import BootAnalysis
import PacketCapture
import WireFormats

/// Frames in, packets and boot events out: the classifier and the analyzer joined once, for
/// every command and every source (a file, standard input, a live interface, the frames a
/// probe collects).
///
/// Feed it each frame with ``consume(_:bytes:)``; ``finish(summary:)`` ends the analysis. A pipeline
/// made with `analyzing: false` only classifies (`packets`).
struct CapturePipeline {
    private var frames: FrameClassifier
    private var analyzer: BootAnalyzer?

    init(linkType: LinkType, options: BootAnalyzer.Options = BootAnalyzer.Options(), analyzing: Bool = true) {
        self.frames = FrameClassifier(linkType: linkType)
        self.analyzer = analyzing ? BootAnalyzer(options: options) : nil
    }

    /// Classifies one frame and, when it is DHCP, TFTP or a followed TCP segment, analyses it:
    /// the packet (`nil` for any other frame) and the events it caused.
    mutating func consume(_ header: FrameHeader, bytes: Span<UInt8>) -> (packet: DecodedPacket?, events: [BootEvent]) {
        var classified: DecodedPacket?
        self.frames.classify(header, bytes: bytes) { classified = $0 }
        guard let packet = classified else { return (nil, []) }
        return (packet, self.analyzer?.consume(packet) ?? [])
    }

    /// Files the frames from and to `address` with the client `mac` from here on
    /// (``BootAnalyzer/attribute(_:to:frame:)``).
    mutating func attribute(_ address: IPv4Address, to mac: MACAddress, frame: Int) {
        self.analyzer?.attribute(address, to: mac, frame: frame)
    }

    /// The capture ended: the report, the events only the end can tell (transfers cut off,
    /// findings), and what was read. The capture ends at its last frame's timestamp, or at
    /// `stoppedAt` when later (a live capture stopped after a quiet spell); libpcap's drop
    /// counters in `summary.statistics` count as capture loss.
    /// The findings so far, if the capture ended now (``BootAnalyzer/provisionalFindings()``);
    /// none when the pipeline only classifies.
    func provisionalFindings() -> [(mac: MACAddress, finding: Finding)] {
        self.analyzer?.provisionalFindings() ?? []
    }

    mutating func finish(
        summary: inout CaptureSummary, stoppedAt: Int64? = nil
    ) -> (report: BootReport, events: [BootEvent]) {
        self.frames.describe(into: &summary)
        let end = [self.frames.lastTimestamp, stoppedAt].compactMap { $0 }.max()
        return Self.finish(&self.analyzer, summary: summary, captureEnd: end)
    }

    /// Ends `analyzer` (taken out, so that no copy keeps every record alive twice while the
    /// report is drawn): the report and the final events; an empty report without one.
    static func finish(
        _ analyzer: inout BootAnalyzer?, summary: CaptureSummary, captureEnd: Int64?
    ) -> (report: BootReport, events: [BootEvent]) {
        guard var analyzer = analyzer.take() else {
            return (BootReport(phones: [], otherDevices: 0, malformed: []), [])
        }
        let drops = CaptureLoss(
            droppedByKernel: summary.statistics?.droppedByKernel ?? 0,
            droppedByInterface: summary.statistics?.droppedByInterface ?? 0
        )
        return analyzer.finish(captureEnd: captureEnd, drops: drops)
    }
}
