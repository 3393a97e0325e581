import Foundation
import Testing

/// `phoneboot watch` against real peers: dnsmasq as DHCP+TFTP server, dhclient and curl as a
/// Polycom phone, in namespaces the test creates and removes.
@Suite("phoneboot watch, live, in network namespaces", .serialized)
struct WatchCommandTests {
    @Test(
        "a phone booting against dnsmasq is reported live, and the saved capture replays to the same report",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func phoneBoots() throws {
        let mac = "00:04:f2:12:34:56"
        let lab = try NetworkLab(name: "pbwatch", phoneMAC: mac)
        defer { lab.tearDown() }
        _ = try lab.startDNSMasq(
            options: ["160,tftp://\(NetworkLab.serverAddress)"],
            files: [
                "0004f2123456.cfg": "<APPLICATION APP_FILE_PATH=\"sip.ld\"/>\n", "000000000000.cfg": "<APPLICATION/>\n",
            ]
        )
        let saved = lab.directory.appendingPathComponent("watch.pcap")
        let watch = try lab.start(
            in: lab.phone,
            [
                PacketsCommandTests.executable, "watch", "--interface", lab.phoneInterface, "--format", "ndjson",
                "--write", saved.path, "--duration", "60",
            ],
            name: "watch"
        )
        defer { _ = watch.stop() }
        try NetworkLab.waitFor(file: watch.log, containing: "watching", seconds: 10)

        let lease = try lab.runDHClient(vendorClass: "Polycom-VVX410")
        try #require(lease.status == 0, "dhclient got no lease: \(lease.output)")
        for file in ["0004f2123456.cfg", "missing-directory.xml"] {
            try lab.run(
                in: lab.phone,
                [
                    try NetworkLab.tool("curl"), "-s", "-o", "/dev/null", "--max-time", "10",
                    "tftp://\(NetworkLab.serverAddress)/\(file)",
                ], name: "curl")
        }
        usleep(300_000)
        #expect(watch.stop(), "watch did not stop on SIGTERM")  // as a service manager stops it

        let output = try String(contentsOf: watch.output, encoding: .utf8)
        let events = try output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "not JSON: \($0)")
        }
        let kinds = events.compactMap { $0["event"] as? String }
        #expect(kinds.first == "phone-seen")
        #expect(events.first?["mac"] as? String == mac)
        #expect(kinds.last == "summary")
        let ack = events.first { $0["event"] as? String == "dhcp" && $0["type"] as? String == "ACK" }
        #expect(ack?["option160"] as? String == "tftp://192.0.2.1")
        let boot = events.first { $0["event"] as? String == "boot-server" }?["bootServer"] as? [String: Any]
        #expect(boot?["value"] as? String == "tftp://192.0.2.1")
        #expect(boot?["option"] as? Int == 160)
        let finished = events.filter { $0["event"] as? String == "fetch-finished" }.compactMap {
            $0["fetch"] as? [String: Any]
        }
        #expect(
            finished.map { "\($0["file"] ?? "") \($0["result"] ?? "")" } == [
                "0004f2123456.cfg ok", "missing-directory.xml not-found",
            ])
        let summary = try #require(events.last)
        let capture = summary["capture"] as? [String: Any]
        #expect((capture?["received"] as? Int ?? 0) >= 10)
        #expect(capture?["droppedByKernel"] as? Int == 0)

        // The saved frames replay to the same events, in the same order.
        let replay = try runProgram(
            PacketsCommandTests.executable, ["analyze", "--format", "ndjson", "--fail-on", "never", saved.path])
        #expect(replay.status == 0, "\(replay.error)")
        let replayed = try replay.output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        func comparable(_ events: [[String: Any]]) -> [NSDictionary] {
            events.map { event in
                var event = event
                event.removeValue(forKey: "file")
                event.removeValue(forKey: "capture")
                event.removeValue(forKey: "problem")
                return NSDictionary(dictionary: event)
            }
        }
        #expect(comparable(events) == comparable(replayed), "watch and analyze of the saved capture disagree")
    }

    @Test("no such interface: exit 2, naming the interfaces that exist")
    func noSuchInterface() throws {
        let result = try runProgram(
            PacketsCommandTests.executable, ["watch", "--interface", "pb-no-such0", "--duration", "1"])
        #expect(result.status == 2)
        #expect(result.error.contains("pb-no-such0"))
        #expect(result.error.contains(getuid() == 0 ? "no such interface" : "CAP_NET_RAW"))
        #expect(result.error.split(separator: "\n").count == 1)
    }

    @Test("--help teaches with examples")
    func help() throws {
        let result = try runProgram(PacketsCommandTests.executable, ["watch", "--help"])
        #expect(result.output.contains("sudo phoneboot watch --interface eth1"))
        #expect(result.output.contains("--write"))
        #expect(result.output.contains("CAP_NET_RAW"))
    }
}
