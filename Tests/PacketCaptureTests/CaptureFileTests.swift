import Foundation
import PacketCapture
import PhoneBootTestSupport
import Testing

@Suite("Reading captures through libpcap")
struct CaptureFileTests {
    private func sample() -> PcapFileBuilder {
        var builder = PcapFileBuilder()
        builder.frames = [
            (1_700_000_000, 1, PcapFileBuilder.udpFrame(port: 67)),
            (1_700_000_000, 500_000, PcapFileBuilder.udpFrame(port: 53)),
            (1_700_000_001, 999_999, PcapFileBuilder.udpFrame(port: 69, payload: Array(repeating: 7, count: 100))),
        ]
        return builder
    }

    @Test("frames come out numbered from 1 with their lengths and timestamps")
    func readsFrames() throws {
        let url = try self.sample().write()
        defer { try? FileManager.default.removeItem(at: url) }
        var file = try CaptureFile(path: url.path)
        #expect(file.linkType == 1)
        #expect(file.linkTypeName == "EN10MB")
        var headers: [FrameHeader] = []
        let end = file.forEachFrame { header, bytes in
            #expect(bytes.count == header.capturedLength)
            headers.append(header)
        }
        #expect(end == .complete)
        #expect(headers.map(\.number) == [1, 2, 3])
        #expect(headers[1].timestamp == Timestamp(seconds: 1_700_000_000, nanoseconds: 500_000_000))
        #expect(headers[2].capturedLength == 14 + 20 + 8 + 100)
    }

    @Test("nanosecond files keep their nanoseconds")
    func nanoseconds() throws {
        var builder = self.sample()
        builder.nanosecond = true
        builder.frames[0].fraction = 123_456_789
        let url = try builder.write()
        defer { try? FileManager.default.removeItem(at: url) }
        var file = try CaptureFile(path: url.path)
        var first: Timestamp?
        _ = file.forEachFrame { header, _ in first = first ?? header.timestamp }
        #expect(first?.nanoseconds == 123_456_789)
    }

    @Test("a filter skips frames but keeps the numbers of the whole file")
    func filterKeepsNumbers() throws {
        let url = try self.sample().write()
        defer { try? FileManager.default.removeItem(at: url) }
        var file = try CaptureFile(path: url.path, filter: "udp port 69")
        var numbers: [Int] = []
        _ = file.forEachFrame { header, _ in numbers.append(header.number) }
        #expect(numbers == [3])
    }

    @Test("a bad filter is an invalid-filter error naming the file")
    func badFilter() throws {
        let url = try self.sample().write()
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try CaptureFile(path: url.path, filter: "udp port banana")
            Issue.record("accepted a bad filter")
        } catch {
            #expect(error.kind == .invalidFilter)
            #expect(error.description.contains(url.path))
            #expect(error.description.contains("banana"))
        }
    }

    @Test("a file cut mid-record gives every whole frame and a truncation warning")
    func truncated() throws {
        let url = try self.sample().write(truncatedBy: 30)
        defer { try? FileManager.default.removeItem(at: url) }
        var file = try CaptureFile(path: url.path)
        var count = 0
        let end = file.forEachFrame { _, _ in count += 1 }
        #expect(count == 2)
        guard case .truncated(let warning) = end else {
            Issue.record("expected a truncation warning, got \(end)")
            return
        }
        #expect(warning.contains("record 3"))
    }

    @Test("missing, empty and non-capture files are one-line cannot-open errors")
    func openErrors() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phoneboot-empty-\(UUID().uuidString).pcap")
        try Data().write(to: empty)
        let text = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phoneboot-text-\(UUID().uuidString).pcap")
        try Data("not a capture at all, just some text\n".utf8).write(to: text)
        defer {
            try? FileManager.default.removeItem(at: empty)
            try? FileManager.default.removeItem(at: text)
        }
        let cases: [(String, String)] = [
            ("/nonexistent/phoneboot.pcap", "no such file"),
            (empty.path, "empty"),
            (text.path, "not a pcap or pcapng"),
        ]
        for (path, reason) in cases {
            do {
                _ = try CaptureFile(path: path)
                Issue.record("opened \(path)")
            } catch {
                #expect(error.kind == .cannotOpen)
                #expect(error.path == path)
                #expect(error.description.contains(reason), "\(error)")
                #expect(!error.description.contains("\n"))
            }
        }
    }
}
