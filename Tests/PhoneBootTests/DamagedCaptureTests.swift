import Foundation
import Testing

/// `phoneboot analyze` on captures with a damaged record in the middle: what came before is
/// reported, the skip is stated, what comes after is read, and exit 2 only when nothing is usable.
@Suite("phoneboot analyze on damaged captures")
struct DamagedCaptureTests {
    static let original = TestCaptures.projectDirectory.appendingPathComponent("polycom-tftp-boot.pcap")
    static let malformed = TestCaptures.projectDirectory.appendingPathComponent("malformed")

    /// One damaged capture of captures/malformed and where its damage is (make-damaged.py).
    struct Damaged: CustomTestStringConvertible, Sendable {
        let name: String
        let offset: Int
        let skipped: Int
        var testDescription: String { self.name }
    }

    static let damaged = [
        Damaged(name: "polycom-tftp-boot-garbage-header.pcap", offset: 188_420, skipped: 611),
        Damaged(name: "polycom-tftp-boot-bad-block-length.pcapng", offset: 199_224, skipped: 592),
    ]

    private func analyze(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try runProgram(PacketsCommandTests.executable, ["analyze"] + arguments)
    }

    private func json(_ capture: URL) throws -> (status: Int32, report: [String: Any], error: String) {
        let result = try self.analyze(["--all-devices", "--fail-on", "never", "--format", "json", capture.path])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let report = try #require((document["captures"] as? [[String: Any]])?.first)
        return (result.status, report, result.error)
    }

    private func fetches(_ report: [String: Any]) -> [[String: Any]] {
        (report["phones"] as? [[String: Any]] ?? []).flatMap { $0["fetches"] as? [[String: Any]] ?? [] }
    }

    private func macs(_ report: [String: Any]) -> [String] {
        (report["phones"] as? [[String: Any]] ?? []).compactMap { $0["mac"] as? String }
    }

    @Test(
        "a damaged record mid-file: the report before and after it, the skip stated everywhere", arguments: Self.damaged
    )
    func resynchronised(capture: Damaged) throws {
        let url = Self.malformed.appendingPathComponent(capture.name)
        let whole = try self.json(Self.original)
        let damaged = try self.json(url)
        let resumedAt = capture.offset + capture.skipped
        #expect(damaged.status == 0, "\(damaged.error)")

        // stderr: one warning line naming the file, the byte, the bytes skipped and the frame.
        #expect(
            damaged.error.contains(
                "phoneboot: warning: \(url.path): damaged record at byte \(capture.offset); skipped \(capture.skipped) bytes, resumed at byte \(resumedAt) (frame 600)"
            ), "\(damaged.error)")

        // JSON: the structured list.
        let damage = try #require(damaged.report["damage"] as? [[String: Any]])
        #expect(damage.count == 1)
        #expect(damage.first?["offset"] as? Int == capture.offset)
        #expect(damage.first?["skippedBytes"] as? Int == capture.skipped)
        #expect(damage.first?["resumedAt"] as? Int == resumedAt)
        #expect(damage.first?["resumedAtFrame"] as? Int == 600)
        #expect((damaged.report["problem"] as? String)?.hasPrefix("warning:") == true)

        // Only record 600 (one TFTP DATA block of sip.ld) is lost: the same phone, the same
        // fetches with the same results, one frame fewer, frames before the damage unchanged.
        #expect(damaged.report["frames"] as? Int == (whole.report["frames"] as? Int ?? 0) - 1)
        #expect(self.macs(damaged.report) == self.macs(whole.report))
        let before = self.fetches(whole.report)
        let after = self.fetches(damaged.report)
        #expect(after.map { $0["file"] as? String } == before.map { $0["file"] as? String })
        #expect(after.map { $0["result"] as? String } == before.map { $0["result"] as? String })
        // Fetches that began before record 600 keep their frames; later ones are one lower.
        let shifted = before.map { ($0["firstFrame"] as? Int).map { $0 < 600 ? $0 : $0 - 1 } }
        #expect(after.map { $0["firstFrame"] as? Int } == shifted)
        // Fetches after the damage are read; their frames are one lower.
        let lastBefore = try #require(before.last?["lastFrame"] as? Int)
        #expect(after.last?["lastFrame"] as? Int == lastBefore - 1)
        let sipBefore = try #require(before.first { ($0["file"] as? String)?.hasSuffix(".sip.ld") == true })
        let sipAfter = try #require(after.first { ($0["file"] as? String)?.hasSuffix(".sip.ld") == true })
        #expect(sipAfter["bytes"] as? Int == (sipBefore["bytes"] as? Int ?? 0) - 512)
        #expect(sipAfter["missingBlocks"] as? Int == 1)

        // The table's heading says it too.
        let table = try self.analyze([url.path])
        let head = table.output.split(separator: "\n").first.map(String.init) ?? ""
        #expect(
            head.contains(
                "damaged record at byte \(capture.offset): skipped \(capture.skipped) bytes, resumed at byte \(resumedAt) (frame 600)"
            ), "\(head)")
        #expect(table.output.contains("numbered by the records read"))

        // NDJSON: the summary event carries the list.
        let ndjson = try self.analyze(["--format", "ndjson", url.path])
        let summary = try #require(ndjson.output.split(separator: "\n").last)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        #expect((event["damage"] as? [[String: Any]])?.first?["offset"] as? Int == capture.offset)
    }

    @Test("a span cut out of the middle: the phone, its fetches and the frames after the cut are still read")
    func splicedHere() throws {
        var bytes = try Data(contentsOf: Self.original)
        let cut = 200_000..<201_000
        bytes.removeSubrange(cut)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phoneboot-spliced-\(UUID().uuidString).pcap")
        try bytes.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let whole = try self.json(Self.original)
        let spliced = try self.json(url)
        #expect(spliced.status == 0, "\(spliced.error)")
        let damage = try #require(spliced.report["damage"] as? [[String: Any]])
        #expect(damage.count == 1)
        let offset = try #require(damage.first?["offset"] as? Int)
        #expect(offset <= cut.lowerBound + 600)
        #expect(damage.first?["resumedAt"] as? Int == offset + (damage.first?["skippedBytes"] as? Int ?? -1))
        // A thousand bytes hold three or four records of about 300: at most six frames are lost.
        let frames = try #require(spliced.report["frames"] as? Int)
        let wholeFrames = try #require(whole.report["frames"] as? Int)
        #expect(frames >= wholeFrames - 6 && frames < wholeFrames, "\(frames) of \(wholeFrames)")
        #expect(self.macs(spliced.report) == self.macs(whole.report))
        #expect(
            self.fetches(spliced.report).map { $0["file"] as? String }
                == self.fetches(whole.report).map { $0["file"] as? String })
        #expect(spliced.error.contains("damaged record at byte \(offset)"))
    }

    @Test("exit 2 only when nothing usable can be read")
    func exitTwoOnlyWhenNothingRead() throws {
        let directory = FileManager.default.temporaryDirectory
        let original = try Data(contentsOf: Self.original)
        var state: UInt32 = 2024
        let garbage = Data(
            (0..<20_000).map { _ in
                state = state &* 1_103_515_245 &+ 12345
                return UInt8(truncatingIfNeeded: state >> 16)
            })
        let headerThenGarbage = directory.appendingPathComponent("phoneboot-garbage-\(UUID().uuidString).pcap")
        try (original.prefix(24) + garbage).write(to: headerThenGarbage)
        let text = directory.appendingPathComponent("phoneboot-text-\(UUID().uuidString).pcap")
        try Data("phone boot notes, not a capture\n".utf8).write(to: text)
        let halfThenGarbage = directory.appendingPathComponent("phoneboot-half-\(UUID().uuidString).pcap")
        try (original.prefix(188_420) + garbage).write(to: halfThenGarbage)
        defer {
            for url in [headerThenGarbage, text, halfThenGarbage] { try? FileManager.default.removeItem(at: url) }
        }

        let garbageOnly = try self.analyze(["--fail-on", "never", headerThenGarbage.path])
        #expect(garbageOnly.status == 2, "\(garbageOnly.error)")
        #expect(garbageOnly.error.contains(headerThenGarbage.path))
        #expect(garbageOnly.error.contains("record 1"), "\(garbageOnly.error)")

        let notCapture = try self.analyze(["--fail-on", "never", text.path])
        #expect(notCapture.status == 2)
        #expect(notCapture.error.contains("not a pcap or pcapng"))

        // Frames before damage with nothing readable after it: a report and a warning, not exit 2.
        let half = try self.json(halfThenGarbage)
        #expect(half.status == 0, "\(half.error)")
        #expect(half.report["frames"] as? Int == 599)
        #expect(half.error.contains("warning"))
        #expect(half.error.contains("record 600 at byte 188420"), "\(half.error)")
        let damage = try #require(half.report["damage"] as? [[String: Any]])
        #expect(damage.first?["offset"] as? Int == 188_420)
        #expect(damage.first?["skippedBytes"] as? Int == garbage.count)
        #expect(damage.first?["resumedAt"] == nil)
        #expect(self.macs(half.report) == ["00:04:f2:a1:b2:c3"])
    }
}
