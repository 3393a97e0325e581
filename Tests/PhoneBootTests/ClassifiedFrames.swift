import BootAnalysis
import Foundation
import PacketCapture
import WireFormats

/// What our classifier makes of a capture's frames, for the tshark oracles to compare.
enum ClassifiedFrames {
    /// The packets of `file` that `keep` accepts, by frame number.
    static func packets(
        in file: URL, keeping keep: (DecodedPacket) -> Bool
    ) throws(CaptureError) -> [Int: DecodedPacket] {
        var capture = try CaptureFile(path: file.path)
        var classifier = PacketClassifier(linkType: LinkType(rawValue: capture.linkType))
        var packets: [Int: DecodedPacket] = [:]
        _ = capture.forEachFrame { header, bytes in
            guard
                let packet = classifier.classify(
                    frameNumber: header.number, timestamp: header.timestamp.totalNanoseconds, bytes: bytes),
                keep(packet)
            else { return }
            packets[header.number] = packet
        }
        return packets
    }

    /// Classifies every frame of `capture` with `classifier`, in order, and hands each packet to
    /// `body`: what a pipeline's reading half does. Returns the latest frame time (nanoseconds),
    /// where the capture ends; `nil` without frames.
    static func forEachPacket(
        of capture: inout CaptureFile, classifier: inout PacketClassifier, _ body: (DecodedPacket) -> Void
    ) -> Int64? {
        var last: Int64?
        _ = capture.forEachFrame { header, bytes in
            let time = header.timestamp.totalNanoseconds
            last = max(last ?? time, time)
            guard
                let packet = classifier.classify(
                    frameNumber: header.number, timestamp: time, bytes: bytes, originalLength: header.originalLength)
            else { return }
            body(packet)
        }
        return last
    }
}
