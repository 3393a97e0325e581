import Foundation
import PhoneBootTestSupport
import Testing

/// `phoneboot analyze` on a small version of the benchmark's capture: phones booting among a
/// VLAN's web, TLS, RTP, SIP and DNS traffic, a third of it tagged, a third of its TCP
/// connections never closed.
@Suite("A boot storm among other traffic")
struct BootStormTests {
    static let phones = 200

    /// The report of a 20,000-frame storm, as a JSON object per phone.
    private static func report(_ extraArguments: [String] = []) throws -> (
        summary: [String: Any], phones: [[String: Any]]
    ) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phoneboot-storm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let capture = directory.appendingPathComponent("storm.pcap")
        let written = try BootStormCapture(.init(frames: 20_000, phones: Self.phones)).write(to: capture)
        #expect(written.backgroundSessions > 0)

        let run = try runProgram(
            PacketsCommandTests.executable,
            ["analyze", "--format", "json", "--fail-on", "never"] + extraArguments + [capture.path])
        #expect(run.status == 0, "exit status \(run.status): \(run.error)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let report = try #require((document["captures"] as? [[String: Any]])?.first)
        #expect(report["frames"] as? Int == written.frames)
        return (
            try #require(report["summary"] as? [String: Any]), try #require(report["phones"] as? [[String: Any]])
        )
    }

    @Test("every phone is reported with its DHCP exchange and its four TFTP fetches; the other traffic is dropped")
    func everyPhone() throws {
        let (summary, phones) = try Self.report()
        #expect(summary["phones"] as? Int == Self.phones)
        #expect(summary["otherDevices"] as? Int == 0)
        #expect(phones.count == Self.phones)
        for phone in phones {
            let mac = try #require(phone["mac"] as? String)
            let compact = mac.replacingOccurrences(of: ":", with: "")
            let messages = (phone["dhcp"] as? [[String: Any]])?.first?["messages"] as? [[String: Any]]
            #expect(
                messages?.compactMap { $0["type"] as? String } == ["DISCOVER", "OFFER", "REQUEST", "ACK"], "\(mac)")
            let fetches = try #require(phone["fetches"] as? [[String: Any]])
            let findings = (phone["findings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
            guard phone["bootServer"] != nil else {
                #expect(fetches.isEmpty, "\(mac)")
                #expect(findings.contains("no-boot-server"), "\(mac)")
                continue
            }
            let results = Dictionary(
                fetches.compactMap { fetch in (fetch["file"] as? String).map { ($0, fetch["result"] as? String) } },
                uniquingKeysWith: { first, _ in first })
            #expect(fetches.allSatisfy { $0["protocol"] as? String == "tftp" }, "\(mac)")
            #expect(results.count == 4, "\(mac): \(results.keys.sorted())")
            #expect(results["\(compact).cfg"] == "ok", "\(mac)")
            #expect(results["000000000000.cfg"] == "ok", "\(mac)")
            #expect(results["\(compact)-directory.xml"] == "not-found", "\(mac)")
            #expect(results.keys.contains { $0.hasSuffix(".sip.ld") }, "\(mac)")
        }
    }

    @Test("--all-devices follows the laptops' web traffic too, and lists them beside the phones")
    func allDevices() throws {
        let (summary, phones) = try Self.report(["--all-devices"])
        let listed = try #require(summary["phones"] as? Int)
        #expect(listed > Self.phones)
        // The generator gives the laptops locally administered MACs 02:10:…
        let webFetches = phones.filter { (($0["mac"] as? String) ?? "").hasPrefix("02:10:") }
            .flatMap { ($0["fetches"] as? [[String: Any]]) ?? [] }
        #expect(webFetches.contains { $0["protocol"] as? String == "http" })
        #expect(webFetches.contains { $0["protocol"] as? String == "https" })
    }
}
