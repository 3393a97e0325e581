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
    private var classifier: PacketClassifier
    private var analyzer: BootAnalyzer?
    /// Timestamp of the first frame, nanoseconds since the epoch.
    private(set) var firstTimestamp: Int64?
    /// The latest timestamp of any frame so far, nanoseconds since the epoch: where the capture
    /// ends, for transfers the end cut.
    private(set) var lastTimestamp: Int64?

    init(linkType: LinkType, options: BootAnalyzer.Options = BootAnalyzer.Options(), analyzing: Bool = true) {
        self.classifier = PacketClassifier(linkType: linkType)
        self.analyzer = analyzing ? BootAnalyzer(options: options) : nil
    }

    /// Clients that look like phones so far.
    var phonesSeen: Int { self.analyzer?.phonesSeen ?? 0 }

    /// What the classifier counted so far.
    var counters: PacketClassifier.Counters { self.classifier.counters }
    var firstUndecodable: (frame: Int, error: WireFormatError)? { self.classifier.firstUndecodable }

    /// Classifies one frame and, when it is DHCP, TFTP or a followed TCP segment, analyses it:
    /// the packet (`nil` for any other frame) and the events it caused.
    mutating func consume(_ header: FrameHeader, bytes: Span<UInt8>) -> (packet: DecodedPacket?, events: [BootEvent]) {
        let time = header.timestamp.totalNanoseconds
        if self.firstTimestamp == nil { self.firstTimestamp = time }
        if time > self.lastTimestamp ?? .min { self.lastTimestamp = time }
        guard
            let packet = self.classifier.classify(
                frameNumber: header.number, timestamp: time, bytes: bytes, originalLength: header.originalLength
            )
        else { return (nil, []) }
        return (packet, self.analyzer?.consume(packet) ?? [])
    }

    /// The capture ended: the report, the events only the end can tell (transfers cut off,
    /// findings), and what was read. The capture ends at its last frame's timestamp, or at
    /// `stoppedAt` when later (a live capture stopped after a quiet spell); libpcap's drop
    /// counters in `summary.statistics` count as capture loss.
    mutating func finish(
        summary: inout CaptureSummary, stoppedAt: Int64? = nil
    ) -> (report: BootReport, events: [BootEvent]) {
        summary.counters = self.classifier.counters
        summary.firstUndecodable = self.classifier.firstUndecodable
        summary.firstTimestamp = self.firstTimestamp
        // Taken out, not copied: a copy would keep every record alive twice while the report is drawn.
        guard var analyzer = self.analyzer.take() else {
            return (BootReport(phones: [], otherDevices: 0, malformed: []), [])
        }
        let end = [self.lastTimestamp, stoppedAt].compactMap { $0 }.max()
        let drops = CaptureLoss(
            droppedByKernel: summary.statistics?.droppedByKernel ?? 0,
            droppedByInterface: summary.statistics?.droppedByInterface ?? 0
        )
        let (report, events) = analyzer.finish(captureEnd: end, drops: drops)
        self.analyzer = analyzer
        return (report, events)
    }
}
