import BootAnalysis
import Testing
import WireFormats

@Suite("Packet classifier on frames the capture cut")
struct PacketClassifierTests {
    /// An Ethernet/IPv4/UDP frame from 192.0.2.`from` to 192.0.2.`to` (checksums left zero).
    private func frame(from: UInt8, to: UInt8, ports: (UInt16, UInt16), payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0x52, 0x54, 0x00, 0xC0, 0x02, to, 0x00, 0x04, 0xF2, 0x00, 0x00, from, 0x08, 0x00]
        let total = 20 + 8 + payload.count
        bytes += [
            0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 1, 0, 0, 64, 17, 0, 0, 192, 0, 2, from, 192, 0, 2, to,
        ]
        let udpLength = 8 + payload.count
        bytes += [UInt8(ports.0 >> 8), UInt8(ports.0 & 0xFF), UInt8(ports.1 >> 8), UInt8(ports.1 & 0xFF)]
        bytes += [UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0]
        return bytes + payload
    }

    private func classify(_ classifier: inout PacketClassifier, _ bytes: [UInt8], frame: Int, keep: Int? = nil)
        -> DecodedPacket?
    {
        let kept = Array(bytes.prefix(keep ?? bytes.count))
        return classifier.classify(frameNumber: frame, timestamp: 0, bytes: kept.span, originalLength: bytes.count)
    }

    @Test("a DATA block cut by the snap length keeps its size from the UDP header")
    func snappedData() throws {
        var classifier = PacketClassifier(linkType: .ethernet)
        let request: [UInt8] = [0, 1] + Array("0004f2000001-phone.cfg".utf8) + [0] + Array("octet".utf8) + [0]
        _ = self.classify(&classifier, self.frame(from: 101, to: 1, ports: (40001, 69), payload: request), frame: 1)
        let data: [UInt8] = [0, 3, 0, 1] + Array(repeating: 0x41, count: 512)
        let packet = try #require(
            self.classify(
                &classifier, self.frame(from: 1, to: 101, ports: (50001, 40001), payload: data), frame: 2, keep: 340))
        guard case .tftp(.data(let block, let count)) = packet.content else {
            Issue.record("not TFTP DATA: \(packet.content)")
            return
        }
        #expect(block == 1)
        #expect(count == 512)
        #expect(packet.snapped == SnappedFrame(captured: 340, original: 558))
    }

    @Test("a whole frame is not marked as cut")
    func wholeFrame() throws {
        var classifier = PacketClassifier(linkType: .ethernet)
        let request: [UInt8] = [0, 1] + Array("x.cfg".utf8) + [0] + Array("octet".utf8) + [0]
        let packet = try #require(
            self.classify(&classifier, self.frame(from: 101, to: 1, ports: (40001, 69), payload: request), frame: 1))
        #expect(packet.snapped == nil)
    }
}
