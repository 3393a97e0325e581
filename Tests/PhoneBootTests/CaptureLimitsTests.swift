import Foundation
import PhoneBootTestSupport
import Testing

/// `phoneboot analyze` never blames the network for the capture's own limits: a transfer the
/// end of the capture cut is `transfer-cut-by-capture-end` (info), one that stalled well before
/// the end stays `transfer-incomplete` (error), and frames the capture itself missed (a TFTP
/// block gap) are said in the findings they could explain and on one capture-level line.
@Suite("phoneboot analyze: the capture's own limits")
struct CaptureLimitsTests {
    static let original = TestCaptures.projectDirectory.appendingPathComponent("polycom-tftp-boot.pcap")
    /// The firmware image the phone reads in polycom-tftp-boot.pcap.
    static let image = "3111-46162-001.sip.ld"

    private struct Report {
        var status: Int32
        var capture: [String: Any]
        var error: String

        var fetches: [[String: Any]] {
            (self.capture["phones"] as? [[String: Any]] ?? []).flatMap { $0["fetches"] as? [[String: Any]] ?? [] }
        }
        var findings: [[String: Any]] {
            (self.capture["phones"] as? [[String: Any]] ?? []).flatMap { $0["findings"] as? [[String: Any]] ?? [] }
        }
        func findings(_ code: String) -> [[String: Any]] { self.findings.filter { $0["code"] as? String == code } }
        var image: [String: Any]? { self.fetches.first { $0["file"] as? String == CaptureLimitsTests.image } }
    }

    /// `analyze --format json` with the default --fail-on, so that the exit status is the one a script sees.
    private func analyze(_ capture: URL) throws -> Report {
        try self.report(
            of: try runProgram(PacketsCommandTests.executable, ["analyze", "--format", "json", capture.path]))
    }

    private func report(of result: (status: Int32, output: String, error: String)) throws -> Report {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let report = try #require((document["captures"] as? [[String: Any]])?.first)
        return Report(status: result.status, capture: report, error: result.error)
    }

    /// Runs `phoneboot` with `arguments` and then the path of a new pcap file of `header` and
    /// `records` (each with its 16-byte record header); the file is removed afterwards.
    private func run(_ arguments: [String], _ header: [UInt8], _ records: [[UInt8]]) throws -> (
        status: Int32, output: String, error: String
    ) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phoneboot-limits-\(UUID().uuidString).pcap")
        try Data(header + records.joined()).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try runProgram(PacketsCommandTests.executable, arguments + [url.path])
    }

    /// `analyze --format json` of a new pcap file of `header` and `records`.
    private func analyze(_ header: [UInt8], _ records: [[UInt8]]) throws -> Report {
        try self.report(of: try self.run(["analyze", "--format", "json"], header, records))
    }

    /// The records of polycom-tftp-boot.pcap, and the index of one in the middle of the image
    /// (a DATA block of it, found by its TFTP opcode).
    private func originalRecords() throws -> (header: [UInt8], records: [[UInt8]], midImage: Int) {
        let (header, records) = try PcapFileSplit.records(of: Self.original)
        let data = records.indices.filter { Self.tftpOpcode(records[$0]) == 3 }
        let midImage = try #require(data.count > 100 ? data[data.count / 2] : nil)
        return (header, records, midImage)
    }

    /// The TFTP opcode of an untagged Ethernet/IPv4/UDP record, or `nil` for anything else.
    private static func tftpOpcode(_ record: [UInt8]) -> UInt16? {
        let frame = Array(record.dropFirst(16))
        guard frame.count > 14 + 20 + 8 + 2, frame[12] == 0x08, frame[13] == 0x00, frame[14 + 9] == 17 else {
            return nil
        }
        let udp = 14 + Int(frame[14] & 0x0F) * 4
        return UInt16(frame[udp + 8]) << 8 | UInt16(frame[udp + 9])
    }

    /// A record `seconds` after `record`, carrying a UDP datagram to port 5060 that none of
    /// PhoneBoot's protocols claims: the capture goes on, the transfer does not.
    private static func unrelatedRecord(after record: [UInt8], seconds: UInt32) -> [UInt8] {
        let time = UInt32(record[0]) | UInt32(record[1]) << 8 | UInt32(record[2]) << 16 | UInt32(record[3]) << 24
        let frame = PcapFileBuilder.udpFrame(port: 5060, sourcePort: 5060, payload: Array("SIP/2.0 200 OK".utf8))
        var header: [UInt8] = []
        for value in [time + seconds, 0, UInt32(frame.count), UInt32(frame.count)] {
            header += withUnsafeBytes(of: value.littleEndian, Array.init)
        }
        header.replaceSubrange(4..<8, with: record[4..<8])
        return header + frame
    }

    @Test("the image cut mid-way by the end of the capture: info, exit 0")
    func cutByCaptureEnd() throws {
        let (header, records, midImage) = try self.originalRecords()
        let report = try self.analyze(header, Array(records[...midImage]))
        #expect(report.status == 0, "\(report.error)")
        let image = try #require(report.image)
        #expect(image["result"] as? String == "incomplete")
        #expect(image["cutByCaptureEnd"] as? Bool == true)
        #expect(report.findings("transfer-incomplete").isEmpty)
        let cut = try #require(report.findings("transfer-cut-by-capture-end").first)
        #expect(cut["severity"] as? String == "info")
        #expect((cut["message"] as? String)?.hasPrefix("\(Self.image) from 192.0.2.1 was still under way") == true)
        #expect(cut["frames"] as? [Int] == [image["firstFrame"] as? Int ?? 0, midImage + 1])
        // Nothing was lost: the capture simply stopped.
        #expect(report.capture["captureLoss"] == nil)
    }

    @Test("the same image stalled 30 s before the capture ended stays transfer-incomplete, exit 1")
    func stalledStaysAnError() throws {
        let (header, records, midImage) = try self.originalRecords()
        let later = Self.unrelatedRecord(after: records[midImage], seconds: 30)
        let report = try self.analyze(header, Array(records[...midImage]) + [later])
        #expect(report.status == 1, "\(report.error)")
        #expect(report.capture["frames"] as? Int == midImage + 2)
        let image = try #require(report.image)
        #expect(image["result"] as? String == "incomplete")
        #expect(image["cutByCaptureEnd"] == nil)
        #expect(report.findings("transfer-cut-by-capture-end").isEmpty)
        let incomplete = try #require(report.findings("transfer-incomplete").first)
        #expect(incomplete["severity"] as? String == "error")
        #expect((incomplete["message"] as? String)?.contains("the capture itself") == false)
    }

    @Test("a TFTP block the capture missed: the loss is said in transfer-incomplete and on the capture")
    func blockGapIsCaptureLoss() throws {
        let (header, records, midImage) = try self.originalRecords()
        // Drop one DATA block of the image, keep 50 more records, then stall 30 s.
        let kept = Array(records[...(midImage - 1)]) + Array(records[(midImage + 1)...(midImage + 50)])
        let later = try #require(kept.last.map { Self.unrelatedRecord(after: $0, seconds: 30) })
        let report = try self.analyze(header, kept + [later])
        #expect(report.status == 1, "\(report.error)")
        // The gap shows at the first DATA block after the dropped one (frame numbers are 1-based).
        let nextData = try #require(
            kept.indices.first { $0 >= midImage && Self.tftpOpcode(kept[$0]) == 3 }.map { $0 + 1 })
        let image = try #require(report.image)
        #expect(image["missingBlocks"] as? Int == 1)
        let loss = try #require(report.capture["captureLoss"] as? [String: Any])
        #expect(loss["missingTFTPBlocks"] as? Int == 1)
        #expect(loss["firstTFTPGapFrame"] as? Int == nextData)
        let incomplete = try #require(report.findings("transfer-incomplete").first)
        #expect(
            (incomplete["message"] as? String)?.hasSuffix(
                "; the capture itself lost frames (a TFTP block never seen, the gap at frame \(nextData)): "
                    + "this may be the capture, not the network") == true, "\(incomplete)")

        let table = try self.run(["analyze", "--no-color"], header, kept + [later])
        #expect(
            table.output.contains(
                "  capture loss: the capture itself missed frames (a TFTP block never seen, the gap at frame \(nextData))"
            ), "\(table.output)")
    }

    @Test("an HTTP download cut by the end of the capture: info, exit 0; stalled, an error")
    func httpCutByCaptureEnd() throws {
        let http = TestCaptures.projectDirectory.appendingPathComponent("http-boot.pcap")
        let (header, records) = try PcapFileSplit.records(of: http)
        // Half-way through the file is inside the 100 000-byte image's body.
        let kept = Array(records[..<(records.count / 2)])
        let cut = try self.analyze(header, kept)
        #expect(cut.status == 0, "\(cut.error)")
        let image = try #require(cut.fetches.first { ($0["file"] as? String)?.hasSuffix(Self.image) == true })
        #expect(image["result"] as? String == "incomplete")
        #expect(image["cutByCaptureEnd"] as? Bool == true)
        #expect(cut.findings("transfer-cut-by-capture-end").count == 1)
        #expect(cut.findings("transfer-incomplete").isEmpty)

        let later = try #require(kept.last.map { Self.unrelatedRecord(after: $0, seconds: 30) })
        let stalled = try self.analyze(header, kept + [later])
        #expect(stalled.status == 1, "\(stalled.error)")
        #expect(stalled.findings("transfer-incomplete").count == 1)
        #expect(stalled.findings("transfer-cut-by-capture-end").isEmpty)
    }

    @Test("the whole capture: no loss, no cut")
    func wholeCaptureIsClean() throws {
        let report = try self.analyze(Self.original)
        #expect(report.status == 0)
        #expect(report.capture["captureLoss"] == nil)
        #expect(report.fetches.allSatisfy { $0["cutByCaptureEnd"] == nil })
    }
}
