import BootAnalysis
import PacketCapture
import WireFormats

/// Reads one capture file through the classifier: the loop every file-reading command shares.
struct CaptureReading {
    /// How reading went, for the summary and the exit code.
    struct Outcome {
        var linkTypeName: String?
        var counters = PacketClassifier.Counters()
        var firstUndecodable: (frame: Int, error: WireFormatError)?
        /// A warning (truncated file) or the error that stopped reading.
        var problem: String?
        /// False when nothing usable could be read: the file could not be opened, or its first
        /// record was already unreadable and no later one could be found.
        var readable = true
        /// Damaged spans skipped while reading, in file order (frames after a skip are numbered
        /// by the records read).
        var damage: [CaptureDamage] = []
        /// Timestamp of the first frame, nanoseconds since the epoch.
        var firstTimestamp: Int64?
        /// Live captures: what libpcap counted, drops included.
        var statistics: CaptureStatistics?

        /// One line for standard error: what was read.
        func summary(path: String) -> String {
            var text = "\(path == "-" ? "standard input" : path): \(self.counters.frames) frames, \(self.counters.dhcp) DHCP, "
                + "\(self.counters.tftp) TFTP, \(self.counters.malformed) malformed"
            if self.counters.undecodable > 0, let first = self.firstUndecodable {
                text += ", \(self.counters.undecodable) with undecodable headers (first: frame \(first.frame): \(first.error))"
            }
            if self.counters.fragments > 0 { text += ", \(self.counters.fragments) IP fragments not decoded" }
            return text
        }
    }

    let path: String
    let filter: String?

    /// Calls `body` with each DHCP/TFTP packet, its frame header and the time of the file's
    /// first frame (nanoseconds); reports problems on standard error as it goes.
    func run(_ body: (DecodedPacket, FrameHeader, Int64) -> Void) -> Outcome {
        var outcome = Outcome()
        var file: CaptureFile
        do {
            file = try CaptureFile(path: self.path, filter: self.filter)
        } catch {
            printError("phoneboot: \(error)")
            outcome.problem = "error: \(error)"
            outcome.readable = false
            return outcome
        }
        outcome.linkTypeName = file.linkTypeName
        let linkType = LinkType(rawValue: file.linkType)
        guard linkType.isSupported else {
            let error = CaptureError(
                kind: .unsupportedLinkType, path: self.path, reason: "\(file.linkTypeName) (DLT \(file.linkType))",
                hint: "PhoneBoot reads Ethernet, Linux SLL/SLL2, raw IP, loopback and 802.11 captures"
            )
            printError("phoneboot: \(error)")
            outcome.problem = "error: \(error)"
            outcome.readable = false
            return outcome
        }
        var classifier = PacketClassifier(linkType: linkType)
        var firstTimestamp: Int64?
        let end = file.forEachFrame { header, bytes in
            let time = header.timestamp.totalNanoseconds
            let first = firstTimestamp ?? time
            firstTimestamp = first
            if let packet = classifier.classify(frameNumber: header.number, timestamp: time, bytes: bytes, originalLength: header.originalLength) {
                body(packet, header, first)
            }
        }
        outcome.firstTimestamp = firstTimestamp
        outcome.counters = classifier.counters
        outcome.firstUndecodable = classifier.firstUndecodable
        outcome.damage = file.damage
        for damage in file.damage where damage.resumedAt != nil {
            printError("phoneboot: warning: \(self.path): \(damage)")
        }
        let skips = file.damage.filter { $0.resumedAt != nil }
        if !skips.isEmpty {
            let bytes = skips.reduce(0) { $0 + $1.skippedBytes }
            outcome.problem = "warning: \(skips.count) damaged span\(skips.count == 1 ? "" : "s") skipped (\(bytes) byte\(bytes == 1 ? "" : "s")); "
                + "frames after a skip are numbered by the records read"
        }
        switch end {
        case .complete:
            break
        case .truncated(let warning) where file.framesRead == 0:
            // Not even the first record is whole: nothing usable.
            outcome.problem = "error: \(self.path): \(warning)"
            outcome.readable = false
            printError("phoneboot: \(self.path): \(warning)")
        case .truncated(let warning):
            outcome.problem = outcome.problem.map { "\($0); \(warning)" } ?? "warning: \(warning)"
            printError("phoneboot: warning: \(self.path): \(warning)")
        case .failed(let error) where file.framesRead > 0:
            // What came before the damage is usable: report it, and say where reading stopped.
            outcome.problem = outcome.problem.map { "\($0); \(error)" } ?? "warning: \(error)"
            printError("phoneboot: warning: \(error)")
        case .failed(let error):
            outcome.problem = "error: \(error)"
            outcome.readable = false
            printError("phoneboot: \(error)")
        }
        return outcome
    }
}
