import BootAnalysis
import PacketCapture
import WireFormats

/// Reads one capture file (or standard input) through a ``CapturePipeline``: the file source
/// every file-reading command shares. Problems are reported on standard error as they come.
struct CaptureReading {
    /// What reading a capture produced.
    struct Result {
        var summary: CaptureSummary
        var report: BootReport
        /// The events only the end of the capture could tell.
        var finalEvents: [BootEvent]
    }

    let path: String
    let filter: String?

    /// Calls `body` with each DHCP/TFTP/TCP packet, its frame header, the events it caused and
    /// the time of the file's first frame (nanoseconds). `analyzer` `nil`: classify only.
    func run(
        analyzer options: BootAnalyzer.Options?, _ body: (DecodedPacket, FrameHeader, [BootEvent], Int64) -> Void
    ) -> Result {
        var summary = CaptureSummary()
        let empty = BootReport(phones: [], otherDevices: 0, malformed: [])
        var file: CaptureFile
        do {
            file = try CaptureFile(path: self.path, filter: self.filter)
        } catch {
            printError("phoneboot: \(error)")
            summary.problem = .error("\(error)")
            summary.readable = false
            return Result(summary: summary, report: empty, finalEvents: [])
        }
        summary.linkTypeName = file.linkTypeName
        let linkType = LinkType(rawValue: file.linkType)
        guard linkType.isSupported else {
            let error = CaptureError(
                kind: .unsupportedLinkType, path: self.path, reason: "\(file.linkTypeName) (DLT \(file.linkType))",
                hint: "PhoneBoot reads Ethernet, Linux SLL/SLL2, raw IP, loopback and 802.11 captures"
            )
            printError("phoneboot: \(error)")
            summary.problem = .error("\(error)")
            summary.readable = false
            return Result(summary: summary, report: empty, finalEvents: [])
        }
        var pipeline = CapturePipeline(
            linkType: linkType, options: options ?? BootAnalyzer.Options(), analyzing: options != nil
        )
        let end = file.forEachFrame { header, bytes in
            let (packet, events) = pipeline.consume(header, bytes: bytes)
            if let packet { body(packet, header, events, pipeline.firstTimestamp ?? 0) }
        }
        summary.damage = file.damage
        for damage in file.damage where damage.resumedAt != nil {
            printError("phoneboot: warning: \(self.path): \(damage)")
        }
        let skips = file.damage.filter { $0.resumedAt != nil }
        if !skips.isEmpty {
            let bytes = skips.reduce(0) { $0 + $1.skippedBytes }
            summary.problem = .warning(
                "\(skips.count) damaged span\(skips.count == 1 ? "" : "s") skipped (\(bytes) byte\(bytes == 1 ? "" : "s")); "
                    + "frames after a skip are numbered by the records read"
            )
        }
        switch end {
        case .complete:
            break
        case .truncated(let warning) where file.framesRead == 0:
            // Not even the first record is whole: nothing usable.
            summary.problem = .error("\(self.path): \(warning)")
            summary.readable = false
            printError("phoneboot: \(self.path): \(warning)")
        case .truncated(let warning):
            summary.problem = summary.problem.map { $0.adding("\(warning)") } ?? .warning("\(warning)")
            printError("phoneboot: warning: \(self.path): \(warning)")
        case .failed(let error) where file.framesRead > 0:
            // What came before the damage is usable: report it, and say where reading stopped.
            summary.problem = summary.problem.map { $0.adding("\(error)") } ?? .warning("\(error)")
            printError("phoneboot: warning: \(error)")
        case .failed(let error):
            summary.problem = .error("\(error)")
            summary.readable = false
            printError("phoneboot: \(error)")
        }
        let (report, events) = pipeline.finish(summary: &summary)
        return Result(summary: summary, report: report, finalEvents: events)
    }
}
