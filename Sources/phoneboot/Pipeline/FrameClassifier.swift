import BootAnalysis
import PacketCapture
import WireFormats

/// The reading half of a ``CapturePipeline``: frames in, decoded packets out, and the
/// timestamps that bound the capture. It runs where the frames are read (the reading thread
/// of ``CaptureReading``); the analyzer may run elsewhere.
struct FrameClassifier: Sendable {
    private var classifier: PacketClassifier
    /// Timestamp of the first frame, nanoseconds since the epoch.
    private(set) var firstTimestamp: Int64?
    /// The latest timestamp of any frame so far, nanoseconds since the epoch: where the capture
    /// ends, for transfers the end cut.
    private(set) var lastTimestamp: Int64?

    /// `defersDHCPDecoding`: DHCP messages are checked here and decoded by the analyzer
    /// (``PacketClassifier/defersDHCPDecoding``).
    init(linkType: LinkType, defersDHCPDecoding: Bool = false) {
        self.classifier = PacketClassifier(linkType: linkType, defersDHCPDecoding: defersDHCPDecoding)
    }

    /// Calls `emit` with the packet a frame holds, when it is DHCP, TFTP or a followed TCP
    /// segment.
    mutating func classify(_ header: FrameHeader, bytes: Span<UInt8>, _ emit: (consuming DecodedPacket) -> Void) {
        let time = header.timestamp.totalNanoseconds
        if self.firstTimestamp == nil { self.firstTimestamp = time }
        if time > self.lastTimestamp ?? .min { self.lastTimestamp = time }
        self.classifier.classify(
            frameNumber: header.number, timestamp: time, bytes: bytes, originalLength: header.originalLength, emit)
    }

    /// What was read, into `summary`: the classifier's counts and the first frame's time.
    func describe(into summary: inout CaptureSummary) {
        summary.counters = self.classifier.counters
        summary.firstUndecodable = self.classifier.firstUndecodable
        summary.firstTimestamp = self.firstTimestamp
    }
}
