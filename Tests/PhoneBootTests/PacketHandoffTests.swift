import BootAnalysis
import Foundation
import PacketCapture
import Testing
import WireFormats

@testable import phoneboot

@Suite("PacketHandoff: batches handed from the reading thread to the analysing one")
struct PacketHandoffTests {
    /// A batch of the packets of a project capture, with their frames' headers.
    private static func batch() throws -> PacketHandoff.Batch {
        let file = TestCaptures.projectDirectory.appendingPathComponent("polycom-tftp-boot.pcap")
        var capture = try CaptureFile(path: file.path)
        var classifier = PacketClassifier(linkType: LinkType(rawValue: capture.linkType))
        var batch = PacketHandoff.Batch()
        _ = capture.forEachFrame { header, bytes in
            guard
                let packet = classifier.classify(
                    frameNumber: header.number, timestamp: header.timestamp.totalNanoseconds, bytes: bytes)
            else { return }
            batch.packets.append(packet)
            batch.headers.append(header)
        }
        return batch
    }

    @Test("a batch sent arrives as the sender filled it, held by the receiver alone: changed in place, not copied")
    func sentBatchIsNotShared() throws {
        let handoff = PacketHandoff(keepsHeaders: true)
        var batch = try Self.batch()
        #expect(batch.count > 10)
        let numbers = batch.headers.map(\.number)
        #expect(batch.packets.map(\.frameNumber) == numbers)
        let sentStorage = batch.packets.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        handoff.send(&batch, firstTimestamp: 7)
        #expect(batch.isEmpty, "the sender is left an empty batch")
        guard case .frames(var received, let firstTimestamp) = handoff.receive() else {
            Issue.record("no batch received")
            return
        }
        #expect(firstTimestamp == 7)
        #expect(received.headers.map(\.number) == numbers)
        #expect(received.packets.map(\.frameNumber) == numbers)
        // Changing the packets where they lie needs the array's only reference; a shared one is
        // copied first, to new storage.
        let changedStorage = received.packets.withUnsafeMutableBufferPointer { packets in
            packets[0].timestamp += 1
            return UnsafeRawPointer(packets.baseAddress)
        }
        #expect(changedStorage == sentStorage)
    }

    @Test("an analysing receiver gets the packets without their headers")
    func headersOnlyWhenKept() throws {
        let handoff = PacketHandoff(keepsHeaders: false)
        #expect(handoff.emptyBatch().headers.capacity == 0)
        var batch = try Self.batch()
        batch.headers = []
        let count = batch.count
        handoff.send(&batch, firstTimestamp: 0)
        guard case .frames(let received, _) = handoff.receive() else {
            Issue.record("no batch received")
            return
        }
        #expect(received.count == count)
        #expect(received.headers.isEmpty)
    }
}
