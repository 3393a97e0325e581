import BootAnalysis
import Foundation
import PacketCapture
import Testing
import WireFormats

@testable import phoneboot

@Suite("PacketHandoff: batches handed from the reading thread to the analysing one")
struct PacketHandoffTests {
    /// A batch of the packets of a project capture, each with its frame header.
    private static func batch() throws -> [PacketHandoff.Frame] {
        let file = TestCaptures.projectDirectory.appendingPathComponent("polycom-tftp-boot.pcap")
        var capture = try CaptureFile(path: file.path)
        var classifier = PacketClassifier(linkType: LinkType(rawValue: capture.linkType))
        var frames: [PacketHandoff.Frame] = []
        _ = capture.forEachFrame { header, bytes in
            guard
                let packet = classifier.classify(
                    frameNumber: header.number, timestamp: header.timestamp.totalNanoseconds, bytes: bytes)
            else { return }
            frames.append(PacketHandoff.Frame(packet: packet, header: header))
        }
        return frames
    }

    @Test("a batch sent arrives as the sender filled it, held by the receiver alone: changed in place, not copied")
    func sentBatchIsNotShared() throws {
        let handoff = PacketHandoff()
        var batch = try Self.batch()
        #expect(batch.count > 10)
        let numbers = batch.map(\.header.number)
        let sentStorage = batch.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        handoff.send(&batch, firstTimestamp: 7)
        #expect(batch.isEmpty, "the sender is left an empty batch")
        guard case .frames(var frames, let firstTimestamp) = handoff.receive() else {
            Issue.record("no batch received")
            return
        }
        #expect(firstTimestamp == 7)
        #expect(frames.map(\.header.number) == numbers)
        // Changing the frames where they lie needs the array's only reference; a shared one is
        // copied first, to new storage.
        let changedStorage = frames.withUnsafeMutableBufferPointer { frames in
            frames[0].packet.timestamp += 1
            return UnsafeRawPointer(frames.baseAddress)
        }
        #expect(changedStorage == sentStorage)
    }

}
