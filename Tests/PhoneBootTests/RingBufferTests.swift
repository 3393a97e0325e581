import Foundation
import PhoneBootTestSupport
import Testing

/// `phoneboot analyze` on several files: a ring buffer read as one capture, overlapping files
/// merged in time, and `--separate`.
@Suite("phoneboot analyze on several files")
struct RingBufferTests {
    static let boot = TestCaptures.projectDirectory.appendingPathComponent("polycom-tftp-boot.pcap")

    /// The JSON document `analyze --format json` writes for `files`, and its exit status.
    static func analyze(_ files: [URL], _ extra: [String] = []) throws -> (document: [String: Any], status: Int32) {
        let result = try runProgram(
            PacketsCommandTests.executable,
            ["analyze", "--all-devices", "--fail-on", "never", "--format", "json"] + extra + files.map(\.path)
        )
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.error)")
        return (document, result.status)
    }

    /// The captures of a document.
    static func captures(_ document: [String: Any]) -> [[String: Any]] {
        document["captures"] as? [[String: Any]] ?? []
    }

    /// `value` without what only a capture of several files has (which file's frame a frame
    /// is), and without what only a capture of one file has (display filters, which name that
    /// file's frames).
    static func withoutFileNaming(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, member) in object
            where !["fileFrames", "firstFileFrame", "lastFileFrame", "displayFilter"].contains(key) {
                result[key] = Self.withoutFileNaming(member)
            }
            return result
        }
        if let array = value as? [Any] { return array.map(Self.withoutFileNaming) }
        return value
    }

    static func same(_ lhs: Any?, _ rhs: Any?) -> Bool {
        guard let lhs, let rhs else { return lhs == nil && rhs == nil }
        return NSArray(array: [Self.withoutFileNaming(lhs)]).isEqual(to: [Self.withoutFileNaming(rhs)])
    }

    @Test(
        "a TFTP boot cut into a ring of three files reads as one capture: the same phone record and findings as the whole file"
    )
    func ringIsOneCapture() throws {
        let parts = try PcapFileSplit.ring(Self.boot, every: 400)
        defer { try? FileManager.default.removeItem(at: parts[0].deletingLastPathComponent()) }
        let whole = try #require(Self.captures(try Self.analyze([Self.boot]).document).first)
        let (document, status) = try Self.analyze(parts)
        #expect(status == 0)
        let captures = Self.captures(document)
        #expect(captures.count == 1)
        let merged = try #require(captures.first)
        #expect(merged["file"] as? String == parts[0].path)
        for key in ["frames", "dhcpPackets", "tftpPackets", "summary", "phones", "malformedPackets"] {
            #expect(Self.same(merged[key], whole[key]), "\(key) differs from the whole file's")
        }
        #expect(merged["problem"] == nil)
        // The image crosses both file boundaries and is whole.
        let phone = try #require((merged["phones"] as? [[String: Any]])?.first)
        let fetches = phone["fetches"] as? [[String: Any]] ?? []
        let image = try #require(fetches.first { $0["file"] as? String == "3111-46162-001.sip.ld" })
        #expect(image["result"] as? String == "ok")
        #expect(image["bytes"] as? Int == 300_000)
        let first = try #require(image["firstFileFrame"] as? [String: Any])
        let last = try #require(image["lastFileFrame"] as? [String: Any])
        #expect(first["file"] as? String == parts[0].path)
        #expect(first["frame"] as? Int == 15)
        #expect(last["file"] as? String == parts[2].path)
        #expect(last["frame"] as? Int == 389)
        // The finding names file and frame.
        let finding = try #require(
            (phone["findings"] as? [[String: Any]])?.first { $0["code"] as? String == "file-not-found" })
        let evidence = finding["fileFrames"] as? [[String: Any]] ?? []
        #expect(evidence.map { $0["file"] as? String } == [parts[2].path, parts[2].path])
        #expect(evidence.map { $0["frame"] as? Int } == [390, 391])
        // Which merged frames each file holds.
        let files = merged["files"] as? [[String: Any]] ?? []
        #expect(files.map { $0["file"] as? String } == parts.map(\.path))
        #expect(files.map { $0["frames"] as? Int } == [400, 400, 391])
        #expect(files.map { $0["firstFrame"] as? Int } == [1, 401, 801])
        #expect(files.map { $0["lastFrame"] as? Int } == [400, 800, 1191])
        #expect(files.map { ($0["runs"] as? [Any])?.count } == [1, 1, 1])
    }

    @Test("two files that overlap in time (alternate records) merge in timestamp order into the whole boot")
    func overlappingFilesMerge() throws {
        let parts = try PcapFileSplit.interleaved(Self.boot, files: 2)
        defer { try? FileManager.default.removeItem(at: parts[0].deletingLastPathComponent()) }
        let whole = try #require(Self.captures(try Self.analyze([Self.boot]).document).first)
        let merged = try #require(Self.captures(try Self.analyze(parts).document).first)
        for key in ["frames", "summary", "phones"] {
            #expect(Self.same(merged[key], whole[key]), "\(key) differs from the whole file's")
        }
        let files = merged["files"] as? [[String: Any]] ?? []
        #expect(files.map { $0["frames"] as? Int } == [596, 595])
        // Frame 2 of the capture is the second file's first frame.
        let phone = try #require((merged["phones"] as? [[String: Any]])?.first)
        let finding = try #require(
            (phone["findings"] as? [[String: Any]])?.first { $0["code"] as? String == "file-not-found" })
        let evidence = finding["fileFrames"] as? [[String: Any]] ?? []
        #expect(evidence.map { $0["file"] as? String } == [parts[1].path, parts[0].path])  // #1190, #1191
        #expect(evidence.map { $0["frame"] as? Int } == [595, 596])
    }

    @Test(
        "--separate reads each file as a capture of its own: the transfer the file's end cut is cut by the capture end")
    func separate() throws {
        let parts = try PcapFileSplit.ring(Self.boot, every: 400)
        defer { try? FileManager.default.removeItem(at: parts[0].deletingLastPathComponent()) }
        let captures = Self.captures(try Self.analyze(parts, ["--separate"]).document)
        #expect(captures.map { $0["file"] as? String } == parts.map(\.path))
        #expect(captures.map { $0["frames"] as? Int } == [400, 400, 391])
        #expect(captures.allSatisfy { $0["files"] == nil })
        let findings = captures.map { capture in
            (capture["phones"] as? [[String: Any]] ?? []).flatMap { $0["findings"] as? [[String: Any]] ?? [] }
                .compactMap { $0["code"] as? String }
        }
        #expect(findings == [["transfer-cut-by-capture-end"], [], ["file-not-found"]])
    }

    @Test("the table maps the capture's frames to the files, and a finding names file and frame")
    func table() throws {
        let parts = try PcapFileSplit.ring(Self.boot, every: 400)
        defer { try? FileManager.default.removeItem(at: parts[0].deletingLastPathComponent()) }
        let result = try runProgram(PacketsCommandTests.executable, ["analyze"] + parts.map(\.path))
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(
            lines.first?.hasPrefix("3 files as one capture: 1191 frames (4 DHCP, 1187 TFTP), 1 phone, 0 errors") == true
        )
        #expect(lines.contains("  frames #1-400 are \(parts[0].path) #1-400"))
        #expect(lines.contains("  frames #401-800 are \(parts[1].path) #1-400"))
        #expect(lines.contains("  frames #801-1191 are \(parts[2].path) #1-391"))
        #expect(
            result.output.contains("#15-1189 (\(parts[0].path) #15 to \(parts[2].path) #389)"))
        #expect(
            result.output.contains("[frames #1190 (\(parts[2].path) #390), #1191 (\(parts[2].path) #391)]"))
        #expect(!result.output.contains("transfer-incomplete"))
    }

    @Test("a file of the ring that cannot be read is named; the rest is reported, and the exit status is 2")
    func missingFile() throws {
        let parts = try PcapFileSplit.ring(Self.boot, every: 400)
        defer { try? FileManager.default.removeItem(at: parts[0].deletingLastPathComponent()) }
        let missing = parts[0].deletingLastPathComponent().appendingPathComponent("ring_00009.pcap")
        let (document, status) = try Self.analyze(parts + [missing])
        #expect(status == 2)
        let capture = try #require(Self.captures(document).first)
        #expect((capture["problem"] as? String)?.hasPrefix("error: \(missing.path): cannot open") == true)
        let files = capture["files"] as? [[String: Any]] ?? []
        #expect(files.count == 4)
        #expect((files.last?["problem"] as? String)?.contains("no such file") == true)
        #expect((capture["summary"] as? [String: Any])?["errors"] as? Int == 0)
    }
}
