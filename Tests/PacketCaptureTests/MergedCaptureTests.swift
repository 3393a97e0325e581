import Foundation
import PacketCapture
import PhoneBootTestSupport
import Testing

@Suite("Several capture files read as one")
struct MergedCaptureTests {
    /// A frame of one of the test files, told apart by its UDP source port.
    private static func frame(_ id: UInt16) -> [UInt8] {
        PcapFileBuilder.udpFrame(port: 69, sourcePort: id)
    }

    /// The UDP source port of an Ethernet/IPv4/UDP frame: which test frame it is.
    private static func id(_ bytes: Span<UInt8>) -> UInt16 {
        UInt16(bytes[34]) << 8 | UInt16(bytes[35])
    }

    private static var polycomBoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("captures/polycom-tftp-boot.pcap")
    }

    /// Every frame of a capture: number, time, and the bytes.
    private struct Frame: Equatable {
        var number: Int
        var timestamp: Timestamp
        var bytes: [UInt8]
    }

    private static func frames(of path: String, filter: String? = nil) throws -> [Frame] {
        var file = try CaptureFile(path: path, filter: filter)
        var frames: [Frame] = []
        _ = file.forEachFrame { header, bytes in
            frames.append(Frame(number: header.number, timestamp: header.timestamp, bytes: Self.copy(bytes)))
        }
        return frames
    }

    private static func copy(_ bytes: Span<UInt8>) -> [UInt8] {
        (0..<bytes.count).map { bytes[$0] }
    }

    @Test("progress counts the bytes read of every file, up to their whole size at the end")
    func progress() throws {
        let path = Self.polycomBoot.path
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        var capture = MergedCapture(paths: [path, path])
        var reports: [ReadProgress] = []
        capture.forEachFrame(progressInterval: 500, progress: { reports.append($0) }, { _, _, _ in })
        let total = 2 * size
        #expect(reports.count == 2 * 1191 / 500)
        #expect(reports.allSatisfy { $0.totalBytes == total && $0.bytesRead <= total })
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.frames < $1.frames && $0.bytesRead <= $1.bytesRead })
        let end = capture.readProgress
        #expect(end.bytesRead == total)
        #expect(end.frames == 2 * 1191)
        #expect(end.fraction == 1)
    }

    @Test("two files that overlap merge in timestamp order; equal times keep the order the files were given")
    func overlappingFiles() throws {
        var first = PcapFileBuilder()
        first.frames = [(100, 0, Self.frame(1)), (103, 0, Self.frame(2)), (105, 0, Self.frame(3))]
        var second = PcapFileBuilder()
        second.frames = [(102, 0, Self.frame(11)), (103, 0, Self.frame(12)), (104, 0, Self.frame(13))]
        let urls = [try first.write(), try second.write()]
        defer { for url in urls { try? FileManager.default.removeItem(at: url) } }

        var capture = MergedCapture(paths: urls.map(\.path))
        var seen: [(number: Int, id: UInt16, file: Int, fileFrame: Int)] = []
        capture.forEachFrame { header, bytes, origin in
            seen.append((header.number, Self.id(bytes), origin.file, origin.frame))
        }
        #expect(seen.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(seen.map(\.id) == [1, 11, 2, 12, 13, 3])
        #expect(seen.map(\.file) == [0, 1, 0, 1, 1, 0])
        #expect(seen.map(\.fileFrame) == [1, 1, 2, 2, 3, 3])
        let map = capture.frameMap
        #expect(map.frames == 6)
        #expect(map.runs.count == 5)  // 1 | 11 | 2 | 12, 13 | 3
        #expect(map.origin(of: 5).map { [$0.file, $0.frame] } == [1, 3])
        #expect(map.origin(of: 6).map { [$0.file, $0.frame] } == [0, 3])
        #expect(map.origin(of: 7) == nil)
        #expect(map.origin(of: 0) == nil)
        #expect(capture.inputs.map(\.end) == [.complete, .complete])
        #expect(capture.inputs.map(\.framesRead) == [3, 3])
    }

    @Test("a capture cut into a ring of three files reads as the whole file: same frames, same numbers, one run a file")
    func ringBuffer() throws {
        let whole = try Self.frames(of: Self.polycomBoot.path)
        let parts = try PcapFileSplit.ring(Self.polycomBoot, every: 400)
        defer { try? FileManager.default.removeItem(at: parts[0].deletingLastPathComponent()) }
        #expect(parts.count == 3)
        // Given in any order, the files are read in time order.
        for paths in [parts.map(\.path), parts.reversed().map(\.path)] {
            var capture = MergedCapture(paths: paths)
            var merged: [Frame] = []
            capture.forEachFrame { header, bytes, _ in
                merged.append(Frame(number: header.number, timestamp: header.timestamp, bytes: Self.copy(bytes)))
            }
            #expect(merged == whole)
            let runs = capture.frameMap.runs
            #expect(runs.map(\.firstFrame) == [1, 401, 801])
            #expect(runs.map(\.lastFrame) == [400, 800, whole.count])
            #expect(runs.map(\.firstFileFrame) == [1, 1, 1])
            #expect(runs.map { paths[$0.file] } == parts.map(\.path))
            #expect(capture.frameMap.origin(of: 1190).map { [$0.frame] } == [390])
        }
    }

    @Test("with a filter, merged numbers still count every record, as one file's numbers do")
    func filterKeepsNumbers() throws {
        let whole = try Self.frames(of: Self.polycomBoot.path, filter: "udp port 67 or udp port 68")
        let parts = try PcapFileSplit.interleaved(Self.polycomBoot, files: 2)
        defer { try? FileManager.default.removeItem(at: parts[0].deletingLastPathComponent()) }
        var capture = MergedCapture(paths: parts.map(\.path), filter: "udp port 67 or udp port 68")
        var numbers: [Int] = []
        capture.forEachFrame { header, _, _ in numbers.append(header.number) }
        #expect(numbers == whole.map(\.number))
        #expect(numbers == [1, 2, 3, 4])
        #expect(capture.frameMap.frames == 1191)
    }

    @Test("a file that cannot be opened is recorded; the others are read")
    func missingFile() throws {
        var builder = PcapFileBuilder()
        builder.frames = [(100, 0, Self.frame(1)), (101, 0, Self.frame(2))]
        let url = try builder.write()
        defer { try? FileManager.default.removeItem(at: url) }
        var capture = MergedCapture(paths: [url.path, "/nonexistent/ring_2.pcap"])
        var count = 0
        capture.forEachFrame { _, _, _ in count += 1 }
        #expect(count == 2)
        #expect(capture.inputs[0].error == nil)
        #expect(capture.inputs[1].error?.kind == .cannotOpen)
        #expect(capture.linkTypeName == "EN10MB")
    }

    @Test("a file of another link type is not merged")
    func otherLinkType() throws {
        var ethernet = PcapFileBuilder()
        ethernet.frames = [(100, 0, Self.frame(1))]
        var raw = PcapFileBuilder()
        raw.linkType = 101
        raw.frames = [(100, 0, Array(Self.frame(2).dropFirst(14)))]
        let urls = [try ethernet.write(), try raw.write()]
        defer { for url in urls { try? FileManager.default.removeItem(at: url) } }
        var capture = MergedCapture(paths: urls.map(\.path))
        var count = 0
        capture.forEachFrame { _, _, _ in count += 1 }
        #expect(count == 1)
        #expect(capture.inputs[1].error?.kind == .unsupportedLinkType)
    }
}
