import Foundation
import PacketCapture
import Testing
import WireFormats

/// `phoneboot proxy` against real clients and servers in namespaces the tests create and
/// remove: dhcpcd sending DHCPINFORM, dhclient through the relay to dnsmasq.
@Suite("phoneboot proxy, in network namespaces", .serialized)
struct ProxyCommandTests {
    static let bootServer = "tftp://192.0.2.10"

    static var available: Bool {
        NetworkLab.isAvailable
            && (which("dhcpcd") != nil || ProcessInfo.processInfo.environment["PHONEBOOT_REQUIRE_NETNS"] == "1")
    }

    @Test(
        "inform: dhcpcd with a Polycom MAC gets 160 from the proxy; with another MAC, no answer; garbage does not stop it",
        .enabled(if: Self.available, "needs root, ip and dhcpcd"))
    func inform() throws {
        let lab = try NetworkLab(name: "pbinform", phoneMAC: "00:04:f2:aa:00:01")
        defer { lab.tearDown() }
        try NetworkLab.ip(["-n", lab.phone, "addr", "add", "192.0.2.50/24", "dev", lab.phoneInterface])
        let proxy = try ProxyCommandTests.startProxy(
            in: lab, ["--interface", lab.serverInterface, "--boot-server", Self.bootServer, "--log-format", "json"])
        defer { _ = proxy.stop() }

        // Malformed datagrams first: truncated, an option running past the end, random bytes,
        // and an INFORM padded past the proxy's receive slot (which must not be read cut short).
        let inform = Self.inform(mac: MACAddress(rawValue: 0x0004_F2AA_0001), clientAddress: IPv4Address(192, 0, 2, 50))
        var badLength = inform
        badLength[240 + 1] = 200  // option 53's length runs past the end
        let oversized = inform + [UInt8](repeating: 0, count: 5000)
        for garbage in [Array(inform.prefix(150)), badLength, [UInt8](repeating: 0xA5, count: 400), oversized] {
            try Self.sendUDP(in: lab, garbage)
        }

        let answered = try Self.dhcpcdInform(in: lab, timeout: 10, name: "dhcpcd-polycom")
        #expect(answered.output.contains("new_polycom_boot_server='\(Self.bootServer)'"), "\(answered.output)")
        #expect(answered.output.contains("new_dhcp_server_identifier='192.0.2.1'"))

        try NetworkLab.ip(["-n", lab.phone, "link", "set", "dev", lab.phoneInterface, "address", "02:00:00:00:00:01"])
        let ignored = try Self.dhcpcdInform(in: lab, timeout: 5, name: "dhcpcd-other")
        #expect(!ignored.output.contains("new_polycom_boot_server"), "\(ignored.output)")

        #expect(proxy.stop(), "the proxy did not stop on SIGTERM")
        let lines = try Self.jsonLines(proxy.log)
        let verdicts = lines.map { "\($0["client"] ?? "-") \($0["dhcp"] ?? "") \($0["message"] ?? "")" }
        #expect(
            lines.filter { ($0["message"] as? String ?? "").hasPrefix("dropped: malformed") }.count >= 2, "\(verdicts)")
        #expect(lines.contains { ($0["message"] as? String ?? "").hasPrefix("dropped: oversized") }, "\(verdicts)")
        #expect(
            lines.contains {
                $0["client"] as? String == "00:04:f2:aa:00:01" && $0["action"] as? String == "sent"
                    && $0["injected"] as? [Int] == [160]
            }, "\(verdicts)")
        #expect(
            lines.contains {
                $0["client"] as? String == "02:00:00:00:00:01"
                    && ($0["message"] as? String ?? "").contains("not a Polycom OUI")
            }, "\(verdicts)")
        #expect(!lines.contains { $0["client"] as? String == "02:00:00:00:00:01" && $0["action"] as? String == "sent" })
    }

    @Test(
        "--dry-run: the decision is logged as would-send with 160, and dhcpcd gets no answer",
        .enabled(if: Self.available, "needs root, ip and dhcpcd"))
    func dryRun() throws {
        let lab = try NetworkLab(name: "pbdry", phoneMAC: "00:04:f2:aa:00:02")
        defer { lab.tearDown() }
        try NetworkLab.ip(["-n", lab.phone, "addr", "add", "192.0.2.50/24", "dev", lab.phoneInterface])
        let proxy = try ProxyCommandTests.startProxy(
            in: lab,
            ["--interface", lab.serverInterface, "--boot-server", Self.bootServer, "--dry-run", "--log-format", "json"])
        defer { _ = proxy.stop() }

        let unanswered = try Self.dhcpcdInform(in: lab, timeout: 5, name: "dhcpcd-dry")
        #expect(!unanswered.output.contains("new_polycom_boot_server"), "\(unanswered.output)")

        #expect(proxy.stop(), "the proxy did not stop on SIGTERM")
        let lines = try Self.jsonLines(proxy.log)
        let decisions = lines.filter { $0["client"] as? String == "00:04:f2:aa:00:02" }
        #expect(!decisions.isEmpty)
        #expect(
            decisions.allSatisfy { $0["action"] as? String == "would-send" && $0["injected"] as? [Int] == [160] },
            "\(decisions)")
    }

    @Test(
        "relay: dhclient with a Polycom MAC leases with 160; another client's replies are dnsmasq's bytes; option 82 reaches the server; analyze names the injected server",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq, dhclient and curl"))
    func relay() throws {
        let lab = try NetworkLab(name: "pbrelay", phoneMAC: "00:04:f2:bb:00:01")
        defer { lab.tearDown() }
        let upstreamInterface = try lab.addUpstream()
        _ = try lab.startDNSMasq(options: [], files: [:], namespace: lab.upstream, interface: upstreamInterface)
        let phoneCapture = lab.directory.appendingPathComponent("phone.pcap")
        let serverCapture = lab.directory.appendingPathComponent("server.pcap")
        let watchPhone = try lab.start(
            in: lab.phone,
            [
                PacketsCommandTests.executable, "watch", "-i", lab.phoneInterface, "--all-devices", "--write",
                phoneCapture.path, "--duration", "120",
            ], name: "watch-phone")
        let watchServer = try lab.start(
            in: lab.upstream,
            [
                PacketsCommandTests.executable, "watch", "-i", upstreamInterface, "--all-devices", "--write",
                serverCapture.path, "--duration", "120",
            ], name: "watch-server")
        defer {
            _ = watchPhone.stop()
            _ = watchServer.stop()
        }
        try NetworkLab.waitFor(file: watchPhone.log, containing: "watching", seconds: 10)
        try NetworkLab.waitFor(file: watchServer.log, containing: "watching", seconds: 10)
        let proxy = try ProxyCommandTests.startProxy(
            in: lab,
            [
                "-i", lab.serverInterface, "--mode", "relay", "--upstream", "198.51.100.2", "--boot-server",
                Self.bootServer, "--metrics-address", "\(NetworkLab.serverAddress):9464",
            ])
        defer { _ = proxy.stop() }

        // A Polycom phone: its lease carries the injected 160.
        let polycom = try lab.runDHClient(vendorClass: "Polycom-VVX410")
        try #require(polycom.status == 0, "no lease through the relay: \(polycom.output)")
        let leases = try String(contentsOf: lab.directory.appendingPathComponent("dhclient.leases"), encoding: .utf8)
        #expect(leases.contains("option polycom-boot-server \"\(Self.bootServer)\""), "\(leases)")

        // The relay's metrics, scraped by the phone: DISCOVER and REQUEST passed upstream, OFFER
        // and ACK back with 160 added, each reply timed from its request.
        let scrape = try lab.run(
            in: lab.phone,
            [
                try NetworkLab.tool("curl"), "-sS", "--fail", "--max-time", "5",
                "http://\(NetworkLab.serverAddress):9464/metrics",
            ], name: "curl-metrics")
        try #require(scrape.status == 0, "curl failed: \(scrape.output)")
        let samples = try Self.prometheusSamples(scrape.output)
        for (message, verdict) in [
            ("DISCOVER", "passed"), ("REQUEST", "passed"), ("OFFER", "injected"), ("ACK", "injected"),
        ] {
            let key = "phoneboot_proxy_datagrams_total{message=\"\(message)\",verdict=\"\(verdict)\"}"
            #expect((samples[key] ?? 0) >= 1, "\(key): \(scrape.output)")
        }
        let replies =
            (samples["phoneboot_proxy_datagrams_total{message=\"OFFER\",verdict=\"injected\"}"] ?? 0)
            + (samples["phoneboot_proxy_datagrams_total{message=\"ACK\",verdict=\"injected\"}"] ?? 0)
        #expect(samples["phoneboot_proxy_upstream_latency_seconds_count"] == replies, "\(scrape.output)")
        #expect((samples["phoneboot_proxy_upstream_latency_seconds_sum"] ?? 0) > 0)
        #expect(samples["phoneboot_proxy_upstream_latency_seconds_bucket{le=\"+Inf\"}"] == replies)

        // Another client, after the Polycom one let go.
        _ = try lab.run(
            in: lab.phone, [try NetworkLab.tool("sh"), "-c", "kill $(cat \(lab.directory.path)/dhclient.pid)"],
            name: "kill-dhclient")
        try NetworkLab.ip(["-n", lab.phone, "addr", "flush", "dev", lab.phoneInterface])
        try NetworkLab.ip(["-n", lab.phone, "link", "set", "dev", lab.phoneInterface, "address", "02:00:00:00:00:02"])
        let other = try lab.runDHClient(vendorClass: "generic")
        try #require(other.status == 0, "no lease for the other client: \(other.output)")

        // Bad requests: one that has crossed 16 relays, one cut short, one whose option runs
        // past the end. None may reach the server, and the relay goes on to the next.
        var tooFar = Self.discover(mac: MACAddress(rawValue: 0x0004_F2BB_0016), option82: [1, 1, 0])
        tooFar[3] = 16
        var badLength = tooFar
        badLength[3] = 0
        badLength[240 + 1] = 200
        for bad in [tooFar, Array(tooFar.prefix(200)), badLength] {
            try Self.sendUDP(in: lab, bad)
        }

        // A request carrying option 82, as a snooping switch adds it.
        let option82: [UInt8] = [1, 4, 0x00, 0x14, 0x00, 0x07, 2, 6, 0x02, 0x00, 0x00, 0x00, 0x00, 0x09]
        try Self.sendUDP(in: lab, Self.discover(mac: MACAddress(rawValue: 0x0004_F2BB_0009), option82: option82))
        usleep(500_000)
        #expect(watchPhone.stop() && watchServer.stop())

        let serverReplies = try Self.dhcpPayloads(serverCapture)
        let phoneReplies = try Self.dhcpPayloads(phoneCapture)
        let otherMAC = MACAddress(rawValue: 0x0200_0000_0002)
        let sent = serverReplies.filter { $0.message.clientMAC == otherMAC && !$0.message.isRequest }.map(\.bytes)
        let received = phoneReplies.filter { $0.message.clientMAC == otherMAC && !$0.message.isRequest }.map(\.bytes)
        #expect(sent.count >= 2)
        #expect(sent == received, "the relay changed a non-Polycom client's replies")
        let relayed82 = serverReplies.first {
            $0.message.clientMAC == MACAddress(rawValue: 0x0004_F2BB_0009) && $0.message.isRequest
        }
        #expect(relayed82?.message.options[.relayAgentInformation] == option82)
        #expect(relayed82?.message.relayAddress == IPv4Address(192, 0, 2, 1))
        #expect(
            !serverReplies.contains { $0.message.clientMAC == MACAddress(rawValue: 0x0004_F2BB_0016) },
            "a bad request reached the server")
        #expect(proxy.stop(), "the proxy did not stop on SIGTERM")
        let log = try String(contentsOf: proxy.log, encoding: .utf8)
        #expect(
            log.split(separator: "\n").contains {
                $0.contains(" warning phoneboot.proxy: dropped: hops 16 reached the limit of 16 ")
                    && $0.contains(" client=00:04:f2:bb:00:16 dhcp=DISCOVER reason=hop-limit")
            }, "\(log)")
        #expect(log.components(separatedBy: "dropped: malformed").count - 1 == 2, "\(log)")

        let report = try runProgram(
            PacketsCommandTests.executable, ["analyze", "--format", "json", "--fail-on", "never", phoneCapture.path])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        let phones = (document["captures"] as? [[String: Any]])?.first?["phones"] as? [[String: Any]] ?? []
        let phone = phones.first { $0["mac"] as? String == "00:04:f2:bb:00:01" }
        #expect((phone?["bootServer"] as? [String: Any])?["value"] as? String == Self.bootServer)
    }

    // MARK: - Helpers

    /// Starts `phoneboot proxy ARGUMENTS` on the lab's server side and waits until it serves.
    static func startProxy(in lab: borrowing NetworkLab, _ arguments: [String]) throws -> NetworkLab.Background {
        let proxy = try lab.start(in: lab.server, [PacketsCommandTests.executable, "proxy"] + arguments, name: "proxy")
        try NetworkLab.waitFor(file: proxy.log, containing: " mode on ", seconds: 10)
        return proxy
    }

    /// dhcpcd sending DHCPINFORM for 192.0.2.50 from the phone namespace, asking for option
    /// 160 by name; `-T` prints what the server said and configures nothing, `-1` exits after
    /// the answer or the timeout.
    /// `debug`: dhcpcd says every message it sends (`sending INFORM (xid …), next in 4.x seconds`).
    static func dhcpcdInform(in lab: borrowing NetworkLab, timeout: Int, name: String, debug: Bool = false) throws -> (
        status: Int32, output: String
    ) {
        let configuration = lab.directory.appendingPathComponent("dhcpcd.conf")
        try Data("define 160 string polycom_boot_server\noption polycom_boot_server\n".utf8).write(to: configuration)
        return try lab.run(
            in: lab.phone,
            [
                try NetworkLab.tool("timeout"), String(timeout + 5), try NetworkLab.tool("dhcpcd"), "-1", "-4", "-T",
                "-t", String(timeout),
                "-f", configuration.path, "--inform", "192.0.2.50/24", lab.phoneInterface,
            ] + (debug ? ["-d"] : []), name: name)
    }

    /// The proxy's JSON log, one object per line.
    static func jsonLines(_ file: URL) throws -> [[String: Any]] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "not JSON: \($0)")
        }
    }

    static func inform(mac: MACAddress, clientAddress: IPv4Address) -> [UInt8] {
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [DHCPMessageType.inform.rawValue]))
        area.append(DHCPOption(code: .parameterRequestList, data: [1, 160]))
        area.elements.append(.end)
        return DHCPMessage(
            op: 1, transactionID: 0xBAD0_0001, clientAddress: clientAddress, clientHardwareAddress: mac, options: area
        ).encoded()
    }

    static func discover(mac: MACAddress, option82: [UInt8]) -> [UInt8] {
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [DHCPMessageType.discover.rawValue]))
        area.append(DHCPOption(code: .relayAgentInformation, data: option82))
        area.elements.append(.end)
        return DHCPMessage(op: 1, transactionID: 0x0082_0082, clientHardwareAddress: mac, options: area).encoded()
    }

    /// Sends `bytes` from the phone side to the proxy's port 67 (bash's /dev/udp).
    static func sendUDP(in lab: borrowing NetworkLab, _ bytes: [UInt8]) throws {
        let file = lab.directory.appendingPathComponent("datagram.bin")
        try Data(bytes).write(to: file)
        let result = try lab.run(
            in: lab.phone,
            [
                try NetworkLab.tool("bash"), "-c", "cat '\(file.path)' > /dev/udp/\(NetworkLab.serverAddress)/67",
            ], name: "send")
        try #require(result.status == 0, "could not send: \(result.output)")
    }

    /// The DHCP messages of a capture, with their exact UDP payloads.
    static func dhcpPayloads(_ file: URL) throws -> [(bytes: [UInt8], message: DHCPMessage)] {
        var capture = try CaptureFile(path: file.path)
        let linkType = LinkType(rawValue: capture.linkType)
        var result: [(bytes: [UInt8], message: DHCPMessage)] = []
        _ = capture.forEachFrame { _, frame in
            guard let dissection = try? FrameDissection.dissect(frame, linkType: linkType),
                case .udp(let udp) = dissection.transport,
                udp.sourcePort == 67 || udp.destinationPort == 67 || udp.destinationPort == 68
            else { return }
            let payload = frame.extracting(dissection.payload)
            var bytes: [UInt8] = []
            for index in payload.indices { bytes.append(payload[index]) }
            if let message = try? DHCPMessage(decoding: bytes) { result.append((bytes, message)) }
        }
        return result
    }
}

@Suite("phoneboot proxy refuses what a phone could not use")
struct ProxyCommandLineTests {
    @Test(
        "unusable boot servers, relay without upstream, bad OUIs: exit 2 with the reason",
        arguments: [
            (["--boot-server", "sftp://192.0.2.10"], "not one a phone supports"),
            (["--boot-server", "ftp://PlcmSpIp:secret@192.0.2.10 "], "spaces"),
            (["--boot-server", "http://192.0.2.300/"], "not a valid IPv4 address"),
            (["--boot-server", "tftp://192.0.2.10", "--mode", "relay"], "--upstream"),
            (
                ["--boot-server", "tftp://192.0.2.10", "--mode", "relay", "--upstream", "dhcp.example"],
                "not an IPv4 address"
            ),
            (["--boot-server", "tftp://192.0.2.10", "--oui", "0004f"], "three bytes of hex"),
        ])
    func refused(arguments: [String], reason: String) throws {
        let result = try runProgram(PacketsCommandTests.executable, ["proxy", "--interface", "lo"] + arguments)
        #expect(result.status == 2)
        #expect(result.error.contains(reason), "\(result.error)")
        #expect(!result.error.contains("secret"), "a password was printed")
    }

    @Test("no such interface: exit 2, naming the interfaces that exist")
    func noSuchInterface() throws {
        let result = try runProgram(
            PacketsCommandTests.executable, ["proxy", "--interface", "pb-none0", "--boot-server", "tftp://192.0.2.10"])
        #expect(result.status == 2)
        #expect(result.error.contains("pb-none0: no such interface"))
        #expect(result.error.contains("lo"))
    }
}
