import BootAnalysis
import Dispatch
import PacketCapture
import Synchronization
import WireFormats

/// Reads one capture, from one file (or standard input) or from several files read as one (a
/// ring buffer: see ``MergedCapture``), through a ``CapturePipeline``: the file source every
/// file-reading command shares. Problems are reported on standard error as they come.
struct CaptureReading: Sendable {
    /// What reading a capture produced.
    struct Result {
        var summary: CaptureSummary
        var report: BootReport
        /// The events only the end of the capture could tell.
        var finalEvents: [BootEvent]
    }

    /// The files, read as one capture in timestamp order when there are several.
    let paths: [String]
    let filter: String?
    /// Show a progress line on standard error while reading (see ``ProgressLine``).
    var showsProgress = false

    /// One file (`-`: standard input).
    init(path: String, filter: String?) {
        self.paths = [path]
        self.filter = filter
    }

    /// Several files read as one capture: frames merged in timestamp order and numbered 1…N,
    /// the summary's ``CaptureSummary/frameMap`` saying which file each frame is from.
    init(paths: [String], filter: String?) {
        self.paths = paths
        self.filter = filter
    }

    /// Analyses the capture: calls `body` with the events each packet caused (when it caused
    /// any) and the packet's time (nanoseconds since the epoch), in capture order.
    ///
    /// Two threads share the work: one reads the files and classifies their frames (libpcap,
    /// the decoders), the calling one analyses the packets and calls `body`.
    func run(analyzer options: BootAnalyzer.Options, _ body: ([BootEvent], _ time: Int64) -> Void) -> Result {
        self.run(BootAnalyzer(options: options)) { packet, _, analyzer, _ in
            // In place: a packet is not copied out of its batch.
            guard let events = analyzer?.consume(inPlace: &packet), !events.isEmpty else { return }
            body(events, packet.timestamp)
        }
    }

    /// Classifies the capture without analysing it: calls `body` with each DHCP/TFTP/TCP
    /// packet, its frame header and the time of the capture's first frame (nanoseconds), in
    /// capture order, on the calling thread while another reads.
    func run(classifying body: (DecodedPacket, FrameHeader, Int64) -> Void) -> Result {
        self.run(nil) { packet, header, _, firstTimestamp in
            guard let header else { return }
            body(packet, header, firstTimestamp)
        }
    }

    /// Reads on another thread and calls `handle` here with every packet of every batch, in
    /// place, its frame's header (without an analyzer: the headers are kept only then) and
    /// the analyzer; then ends the analyzer, if any.
    private func run(
        _ analyzer: consuming BootAnalyzer?,
        _ handle: (inout DecodedPacket, FrameHeader?, inout BootAnalyzer?, _ firstTimestamp: Int64) -> Void
    ) -> Result {
        var analyzer = analyzer
        let handoff = PacketHandoff(keepsHeaders: analyzer == nil)
        let reading = self
        // The analyzer decodes DHCP messages itself, off the reading thread, which is the busier.
        let defersDHCP = analyzer != nil
        DispatchQueue.global(qos: .userInitiated).async { reading.read(into: handoff, defersDHCPDecoding: defersDHCP) }
        while true {
            switch handoff.receive() {
            case .frames(var batch, let firstTimestamp):
                let headers = batch.headers
                batch.packets.withUnsafeMutableBufferPointer { packets in
                    for index in packets.indices {
                        handle(
                            &packets[index], index < headers.count ? headers[index] : nil, &analyzer, firstTimestamp)
                    }
                }
                handoff.recycle(batch)
                handoff.phonesSeen.store(analyzer?.phonesSeen ?? 0, ordering: .relaxed)
            case .unreadable(let summary):
                return Result(
                    summary: summary, report: BootReport(phones: [], otherDevices: 0, malformed: []), finalEvents: [])
            case .end(let summary, let lastTimestamp):
                handoff.releaseBatches()
                let (report, events) = CapturePipeline.finish(
                    &analyzer, summary: summary, captureEnd: lastTimestamp)
                return Result(summary: summary, report: report, finalEvents: events)
            }
        }
    }

    /// The reading thread: opens the files, classifies every frame, sends the packets in
    /// batches, then what was read.
    private func read(into handoff: PacketHandoff, defersDHCPDecoding: Bool) {
        var summary = CaptureSummary()
        let several = self.paths.count > 1
        var capture = MergedCapture(paths: self.paths, filter: self.filter)
        for input in capture.inputs {
            guard let error = input.error else { continue }
            printError("phoneboot: \(error)")
            if several { summary.problem = Self.joining(summary.problem, .error("\(error)")) }
        }
        guard let rawLinkType = capture.linkType, let linkTypeName = capture.linkTypeName else {
            // No file could be opened.
            summary.inputs = capture.inputs
            if !several, let error = capture.inputs.first?.error { summary.problem = .error("\(error)") }
            summary.readable = false
            handoff.send(.unreadable(summary))
            return
        }
        let linkType = LinkType(rawValue: rawLinkType)
        guard linkType.isSupported else {
            let path = capture.inputs.first { $0.linkTypeName != nil }?.path ?? self.paths[0]
            let error = CaptureError(
                kind: .unsupportedLinkType, path: path, reason: "\(linkTypeName) (DLT \(rawLinkType))",
                hint: "PhoneBoot reads Ethernet, Linux SLL/SLL2, raw IP, loopback and 802.11 captures"
            )
            printError("phoneboot: \(error)")
            summary.linkTypeName = linkTypeName
            summary.problem = .error("\(error)")
            summary.readable = false
            handoff.send(.unreadable(summary))
            return
        }
        summary.linkTypeName = linkTypeName
        var classifier = FrameClassifier(linkType: linkType, defersDHCPDecoding: defersDHCPDecoding)
        var batch = handoff.emptyBatch()
        let keepsHeaders = handoff.keepsHeaders
        var progress = ProgressLine(label: several ? "\(self.paths.count) files" : self.paths[0])
        capture.forEachFrame(
            progressInterval: self.showsProgress ? ProgressLine.frameInterval : 0,
            progress: { progress.update($0, phones: handoff.phonesSeen.load(ordering: .relaxed)) },
            { header, bytes, _ in
                var classified = false
                classifier.classify(header, bytes: bytes) { packet in
                    batch.packets.append(packet)
                    classified = true
                }
                guard classified else { return }
                if keepsHeaders { batch.headers.append(header) }
                guard batch.count == PacketHandoff.batchSize else { return }
                handoff.send(&batch, firstTimestamp: classifier.firstTimestamp ?? 0)
            }
        )
        if !batch.isEmpty { handoff.send(&batch, firstTimestamp: classifier.firstTimestamp ?? 0) }
        progress.clear()
        var readable = false
        for input in capture.inputs where input.error == nil {
            let (problem, usable) = Self.problem(reading: input, naming: several)
            if let problem { summary.problem = several ? Self.joining(summary.problem, problem) : problem }
            readable = readable || usable
        }
        summary.readable = readable
        summary.inputs = capture.inputs
        if several {
            summary.frameMap = capture.frameMap
        } else {
            summary.damage = capture.inputs.first?.damage ?? []
        }
        classifier.describe(into: &summary)
        handoff.send(.end(summary, lastTimestamp: classifier.lastTimestamp))
    }

    /// What went wrong reading one file, said on standard error as well, and whether what was
    /// read of it is usable. `naming`: the capture has several files, so a problem names its file.
    private static func problem(reading input: MergedCapture.Input, naming: Bool) -> (CaptureProblem?, Bool) {
        var problem: CaptureProblem?
        var usable = true
        for damage in input.damage where damage.resumedAt != nil {
            printError("phoneboot: warning: \(input.path): \(damage)")
        }
        let skips = input.damage.filter { $0.resumedAt != nil }
        if !skips.isEmpty {
            let bytes = skips.reduce(0) { $0 + $1.skippedBytes }
            problem = .warning(
                (naming ? "\(input.path): " : "")
                    + "\(skips.count) damaged span\(skips.count == 1 ? "" : "s") skipped (\(bytes) byte\(bytes == 1 ? "" : "s")); "
                    + "frames after a skip are numbered by the records read"
            )
        }
        switch input.end {
        case .complete, nil:
            break
        case .truncated(let warning) where input.framesRead == 0:
            // Not even the first record is whole: nothing usable.
            problem = .error("\(input.path): \(warning)")
            usable = false
            printError("phoneboot: \(input.path): \(warning)")
        case .truncated(let warning):
            let text = (naming ? "\(input.path): " : "") + warning
            problem = problem.map { $0.adding(text) } ?? .warning(text)
            printError("phoneboot: warning: \(input.path): \(warning)")
        case .failed(let error) where input.framesRead > 0:
            // What came before the damage is usable: report it, and say where reading stopped.
            problem = problem.map { $0.adding("\(error)") } ?? .warning("\(error)")
            printError("phoneboot: warning: \(error)")
        case .failed(let error):
            problem = .error("\(error)")
            usable = false
            printError("phoneboot: \(error)")
        }
        return (problem, usable)
    }

    /// Two problems as one: an error when either is.
    private static func joining(_ first: CaptureProblem?, _ second: CaptureProblem) -> CaptureProblem {
        guard let first else { return second }
        let severity: CaptureProblem.Severity = first.severity == .error ? .error : second.severity
        return CaptureProblem(severity: severity, text: "\(first.text); \(second.text)")
    }
}
