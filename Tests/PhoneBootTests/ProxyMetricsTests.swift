import Foundation
import Testing
import WireFormats

/// `proxy --metrics-address`: the Prometheus endpoint scraped with curl from the phone's
/// namespace while the proxy runs, its counters checked against the datagrams sent.
extension ProxyCommandTests {
    @Test(
        "metrics: after 2 Polycom INFORMs, 1 from another OUI and 2 malformed datagrams, curl scrapes exactly those counts",
        .enabled(if: Self.available, "needs root, ip, curl and dhcpcd"))
    func metricsCountWhatWasSent() throws {
        let lab = try NetworkLab(name: "pbmetric", phoneMAC: "00:04:f2:aa:00:07")
        defer { lab.tearDown() }
        try NetworkLab.ip(["-n", lab.phone, "addr", "add", "192.0.2.50/24", "dev", lab.phoneInterface])
        let address = "\(NetworkLab.serverAddress):9464"
        let proxy = try Self.startProxy(
            in: lab,
            [
                "--interface", lab.serverInterface, "--boot-server", Self.bootServer, "--log-format", "json",
                "--metrics-address", address,
            ])
        defer { _ = proxy.stop() }

        let client = IPv4Address(192, 0, 2, 50)
        try Self.sendUDP(in: lab, Self.inform(mac: MACAddress(rawValue: 0x0004_F2AA_0007), clientAddress: client))
        try Self.sendUDP(in: lab, Self.inform(mac: MACAddress(rawValue: 0x6416_7FAA_0008), clientAddress: client))
        try Self.sendUDP(in: lab, Self.inform(mac: MACAddress(rawValue: 0x0200_0000_0009), clientAddress: client))
        // Cut short inside the fixed header, and before the magic cookie.
        try Self.sendUDP(in: lab, [0x01, 0x01])
        try Self.sendUDP(
            in: lab, Array(Self.inform(mac: MACAddress(rawValue: 0x0004_F2AA_0007), clientAddress: client).prefix(150)))
        usleep(500_000)

        let scrape = try lab.run(
            in: lab.phone,
            [try NetworkLab.tool("curl"), "-sS", "--fail", "--max-time", "5", "http://\(address)/metrics"],
            name: "curl-metrics")
        try #require(scrape.status == 0, "curl failed: \(scrape.output)")
        let samples = try Self.prometheusSamples(scrape.output)
        let datagrams = "phoneboot_proxy_datagrams_total"
        #expect(samples["\(datagrams){message=\"INFORM\",verdict=\"injected\"}"] == 2, "\(scrape.output)")
        #expect(samples["\(datagrams){message=\"INFORM\",verdict=\"dropped\"}"] == 1, "\(scrape.output)")
        #expect(samples["\(datagrams){message=\"unreadable\",verdict=\"dropped\"}"] == 2, "\(scrape.output)")
        #expect(samples["phoneboot_proxy_dropped_total{reason=\"not-served-oui\"}"] == 1)
        #expect(samples["phoneboot_proxy_dropped_total{reason=\"malformed\"}"] == 2)
        #expect(samples["phoneboot_proxy_options_injected_total{option=\"160\"}"] == 2)
        // Nothing else was counted: the datagram counters add up to what was sent.
        let total = samples.filter { $0.key.hasPrefix(datagrams + "{") }.values.reduce(0, +)
        #expect(total == 5, "\(samples)")

        let notFound = try lab.run(
            in: lab.phone,
            [try NetworkLab.tool("curl"), "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://\(address)/"],
            name: "curl-404")
        #expect(notFound.output == "404")
        #expect(proxy.stop(), "the proxy did not stop on SIGTERM")
    }

    /// Prometheus text exposition samples (`name{labels} value`), keyed by `name{labels}`;
    /// comment lines skipped, every other line must parse.
    static func prometheusSamples(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            let value = try #require(parts.count == 2 ? Double(parts[1]) : nil, "not a sample: \(line)")
            samples[String(parts[0])] = value
        }
        return samples
    }
}
