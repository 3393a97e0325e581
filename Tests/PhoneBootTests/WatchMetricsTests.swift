import Foundation
import Testing

/// `watch --metrics-address` while a phone boots against dnsmasq: the endpoint scraped with
/// curl from the phone's namespace, its figures checked against what the phone did.
extension WatchCommandTests {
    @Test(
        "metrics: while watch runs, curl scrapes its frames, the phone, its two TFTP fetches by result, and the provisional findings",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func metricsWhileWatching() throws {
        let lab = try NetworkLab(name: "pbwmetric", phoneMAC: "00:04:f2:12:34:57")
        defer { lab.tearDown() }
        _ = try lab.startDNSMasq(
            options: ["160,tftp://\(NetworkLab.serverAddress)"],
            files: ["0004f2123457.cfg": "<APPLICATION APP_FILE_PATH=\"sip.ld\"/>\n"]
        )
        let address = "\(NetworkLab.serverAddress):9465"
        let watch = try lab.start(
            in: lab.server,
            [
                PacketsCommandTests.executable, "watch", "--interface", lab.serverInterface, "--format", "ndjson",
                "--duration", "60", "--log-format", "json", "--metrics-address", address,
            ],
            name: "watch"
        )
        defer { _ = watch.stop() }
        try NetworkLab.waitFor(file: watch.log, containing: "metrics at http://\(address)/metrics", seconds: 10)

        let lease = try lab.runDHClient(vendorClass: "Polycom-VVX410")
        try #require(lease.status == 0, "dhclient got no lease: \(lease.output)")
        for file in ["0004f2123457.cfg", "missing-directory.xml"] {
            try lab.run(
                in: lab.phone,
                [
                    try NetworkLab.tool("curl"), "-s", "-o", "/dev/null", "--max-time", "10",
                    "tftp://\(NetworkLab.serverAddress)/\(file)",
                ], name: "curl")
        }
        // Counters move every second, the provisional findings every ten.
        sleep(UInt32(11))
        let scrape = try lab.run(
            in: lab.phone,
            [try NetworkLab.tool("curl"), "-sS", "--fail", "--max-time", "5", "http://\(address)/metrics"],
            name: "curl-metrics")
        try #require(scrape.status == 0, "curl failed: \(scrape.output)")
        let samples = try ProxyCommandTests.prometheusSamples(scrape.output)
        #expect((samples["phoneboot_watch_frames_total"] ?? 0) >= 10, "\(scrape.output)")
        #expect(samples["phoneboot_watch_frames_dropped_total{by=\"kernel\"}"] == 0)
        #expect(samples["phoneboot_watch_phones"] == 1)
        #expect(samples["phoneboot_watch_fetches_total{protocol=\"tftp\",result=\"ok\"}"] == 1, "\(scrape.output)")
        #expect(samples["phoneboot_watch_fetches_total{protocol=\"tftp\",result=\"not-found\"}"] == 1)
        #expect(samples["phoneboot_watch_events_total{event=\"fetch-finished\"}"] == 2)
        #expect((samples["phoneboot_watch_events_total{event=\"dhcp\"}"] ?? 0) >= 4)
        // The phone's findings so far: the missing directory file is one of them.
        #expect(
            samples.contains { $0.key.hasPrefix("phoneboot_watch_findings{code=\"file-not-found\"") && $0.value == 1 },
            "\(scrape.output)")
        #expect(watch.stop(), "watch did not stop on SIGTERM")

        // Its log: JSON lines on standard error, the start and the stop.
        let log = try String(contentsOf: watch.log, encoding: .utf8)
        let lines = try log.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "not JSON: \($0)")
        }
        #expect(lines.first?["level"] as? String == "notice")
        #expect(lines.first?["logger"] as? String == "phoneboot.watch")
        #expect(lines.contains { ($0["message"] as? String)?.hasPrefix("stopped watching") == true }, "\(log)")
    }
}
