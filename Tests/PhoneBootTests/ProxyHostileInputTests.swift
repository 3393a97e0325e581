import Foundation
import PhoneBootTestSupport
import Testing
import WireFormats

/// `phoneboot proxy` under hostile input, against real peers in namespaces the tests create and
/// remove: a reply that cannot be sent must not stop the relay, a flood must not stop or grow
/// the INFORM responder or fill a disk, and a lab interface created anew is noticed.
///
/// In the proxy suite itself, which runs its tests one at a time: dhcpcd instances in
/// different namespaces still share a lock file, so they must not run at once.
extension ProxyCommandTests {
    @Test(
        "hostile input, relay: BOOTREPLYs for an unrouted and a prohibited giaddr fail to send, are logged, and dhclient still leases through the relay",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, dnsmasq and dhclient"))
    func relayKeepsGoingAfterFailedSends() throws {
        let lab = try NetworkLab(name: "pbunr", phoneMAC: "00:04:f2:cc:00:01")
        defer { lab.tearDown() }
        let upstreamInterface = try lab.addUpstream()
        // 198.51.100.128/25 has no route on the relay's host (ENETUNREACH); a part of it is
        // prohibited (EACCES).
        try NetworkLab.ip(["-n", lab.server, "route", "add", "prohibit", "198.51.100.224/27"])
        _ = try lab.startDNSMasq(options: [], files: [:], namespace: lab.upstream, interface: upstreamInterface)
        let proxy = try Self.startProxy(
            in: lab,
            [
                "-i", lab.serverInterface, "--mode", "relay", "--upstream", "198.51.100.2", "--boot-server",
                Self.bootServer, "--log-format", "json",
            ])
        defer { _ = proxy.stop() }

        // The issue's datagram: a 276-byte BOOTREPLY broadcast to port 67 on the phone side,
        // for a relay the proxy's host cannot reach.
        for giaddr in [IPv4Address(198, 51, 100, 200), IPv4Address(198, 51, 100, 230)] {
            let reply = Self.bootReply(relay: giaddr)
            #expect(reply.count == 276)
            try Self.sendDatagram(in: lab, reply, to: "255.255.255.255")
        }
        usleep(300_000)

        let polycom = try lab.runDHClient(vendorClass: "Polycom-VVX410")
        #expect(polycom.status == 0, "no lease through the relay after the failed sends: \(polycom.output)")
        let leases =
            (try? String(contentsOf: lab.directory.appendingPathComponent("dhclient.leases"), encoding: .utf8)) ?? ""
        #expect(leases.contains("option polycom-boot-server \"\(Self.bootServer)\""), "\(leases)")

        #expect(proxy.stop(), "the proxy did not stop on SIGTERM")
        let lines = try Self.jsonLines(proxy.log)
        let failed = lines.filter { $0["reason"] as? String == "send-failed" }.compactMap { $0["message"] as? String }
        #expect(failed.contains { $0.contains("198.51.100.200: ENETUNREACH") }, "\(failed)")
        #expect(failed.contains { $0.contains("198.51.100.230: EACCES") }, "\(failed)")
        let errors = (try? String(contentsOf: proxy.log, encoding: .utf8)) ?? ""
        #expect(!errors.contains("ALERT"), "a socket closed: \(errors)")
    }

    @Test(
        "hostile input, inform: after each of three floods of 20,000 hostile datagrams, dhcpcd's INFORM is answered at once; RSS stays within 16 MB, the log under 2 MB",
        .enabled(if: Self.available, "needs root, ip and dhcpcd"))
    func informSurvivesFloods() throws {
        let lab = try NetworkLab(name: "pbflood", phoneMAC: "00:04:f2:cc:00:02")
        defer { lab.tearDown() }
        try NetworkLab.ip(["-n", lab.phone, "addr", "add", "192.0.2.50/24", "dev", lab.phoneInterface])
        let proxy = try Self.startProxy(
            in: lab, ["--interface", lab.serverInterface, "--boot-server", Self.bootServer, "--log-format", "json"])
        defer { _ = proxy.stop() }
        let flood = lab.directory.appendingPathComponent("flood.bin")
        try Data(Self.framed(Self.hostileDatagrams(count: 20_000, seed: 0xF100D))).write(to: flood)
        // The proxy's memory once it has served one INFORM: the baseline the floods are held to.
        let quiet = Date()
        let first = try Self.dhcpcdInform(in: lab, timeout: 5, name: "dhcpcd-0")
        let quietSeconds = Date().timeIntervalSince(quiet)
        #expect(first.output.contains("new_polycom_boot_server='\(Self.bootServer)'"), "\(first.output)")
        let startRSS = try #require(Self.residentKilobytes(proxy.pid))

        var sizes: [Int] = []
        var times: [Double] = []
        for round in 1...3 {
            let sent = try lab.run(
                in: lab.phone,
                [try NetworkLab.tool("python3"), "-c", Self.sender, flood.path, NetworkLab.serverAddress],
                name: "flood-\(round)")
            #expect(sent.status == 0 && sent.output.contains("20000"), "\(sent.output)")
            // What the kernel queued for the proxy during the flood is read first; the INFORM
            // is sent once the queue is empty, so that it is not dropped by a full receive
            // buffer (which says nothing of the proxy) and its answer shows the proxy after
            // the flood.
            let drained = try Self.waitUntilDrained(in: lab, port: 67, seconds: 15)
            #expect(drained < 15, "round \(round): port 67's receive queue still not empty after 15 s")
            let started = Date()
            let answered = try Self.dhcpcdInform(in: lab, timeout: 10, name: "dhcpcd-\(round)", debug: true)
            let seconds = Date().timeIntervalSince(started)
            #expect(
                answered.output.contains("new_polycom_boot_server='\(Self.bootServer)'"),
                "round \(round): \(answered.output)")
            // Answered at once: dhcpcd sent one INFORM and got its answer, with no retransmission
            // (dhcpcd's own start, slow on a loaded machine, is not the proxy's to answer for).
            let informs = answered.output.components(separatedBy: "sending INFORM").count - 1
            #expect(
                informs == 1,
                "round \(round): dhcpcd sent \(informs) INFORMs and waited \(seconds) s in all (\(quietSeconds) s without a flood): \(answered.output)"
            )
            times.append(seconds)
            let counters = try Self.udpCounters(in: lab)
            print(
                "round \(round): queue drained in \(drained) s; dhcpcd \(seconds) s; UDP delivered \(counters.delivered), receive buffer full \(counters.bufferFull)"
            )
            let rss = try #require(Self.residentKilobytes(proxy.pid))
            sizes.append(rss)
            #expect(rss - startRSS < 16 * 1024, "round \(round): RSS \(startRSS) kB -> \(rss) kB")
        }
        #expect(proxy.stop(), "the proxy did not stop on SIGTERM")
        let log = try Data(contentsOf: proxy.log)
        #expect(log.count < 2 * 1024 * 1024, "the log grew to \(log.count) bytes")
        let lines = try Self.jsonLines(proxy.log)
        let summaries = lines.filter { $0["action"] as? String == "summary" }
        let summarized = summaries.reduce(0) { total, line in
            total + ((line["dropped"] as? [String: Int])?.values.reduce(0, +) ?? 0) + (line["sent"] as? Int ?? 0)
        }
        // Every datagram the kernel handed the proxy is either a line or counted in a summary
        // (the kernel drops what does not fit the socket's receive buffer; it says how many).
        // (The other lines are the proxy's own: the start, and nothing else when all went well.)
        let logged = lines.filter { $0["action"] != nil }.count - summaries.count
        let udp = try Self.udpCounters(in: lab)
        #expect(
            logged + summarized == udp.delivered,
            "\(logged) lines and \(summarized) summarized, the kernel delivered \(udp.delivered) (dropped \(udp.bufferFull))"
        )
        // The flood reached the proxy (on a loaded machine the stack may drop some before UDP).
        #expect(udp.delivered > 10_000, "the proxy read only \(udp.delivered) datagrams")
        #expect(
            summaries.contains { ($0["dropped"] as? [String: Int])?["malformed"] ?? 0 > 0 }, "\(summaries.prefix(3))")
        #expect(
            summaries.contains { ($0["dropped"] as? [String: Int])?["off-subnet"] ?? 0 > 0 }, "\(summaries.prefix(3))")
        let decisions = lines.filter { $0["client"] as? String == "00:04:f2:cc:00:02" }
        let answers = decisions.filter { $0["action"] as? String == "sent" }
        #expect(
            answers.count == 4, "dhcpcd's INFORMs: \(decisions.map { "\($0["time"] ?? "") \($0["message"] ?? "")" })")
        #expect(!summaries.contains { ($0["dropped"] as? [String: Int])?["send-buffer-full"] != nil }, "\(summaries)")
        let errors = (try? String(contentsOf: proxy.log, encoding: .utf8)) ?? ""
        #expect(!errors.contains("ALERT"), "\(errors)")
        print(
            "proxy RSS: start \(startRSS) kB, after each flood \(sizes) kB; dhcpcd answered in \(quietSeconds) s, then \(times) s; log \(log.count) bytes, \(lines.count) lines; read \(udp.delivered), kernel dropped \(udp.bufferFull)"
        )
    }

    @Test(
        "hostile input, inform: the lab interface deleted and created anew is noticed (ALERT), the sockets reopened, and the next INFORM answered",
        .enabled(if: Self.available, "needs root, ip and dhcpcd"))
    func interfaceCreatedAnew() throws {
        let lab = try NetworkLab(name: "pbhealth", phoneMAC: "00:04:f2:cc:00:03")
        defer { lab.tearDown() }
        try NetworkLab.ip(["-n", lab.phone, "addr", "add", "192.0.2.50/24", "dev", lab.phoneInterface])
        let proxy = try Self.startProxy(
            in: lab, ["--interface", lab.serverInterface, "--boot-server", Self.bootServer])
        defer { _ = proxy.stop() }

        // The veth pair goes (as a VLAN interface does when it is reconfigured) and comes back.
        try NetworkLab.ip(["-n", lab.server, "link", "delete", lab.serverInterface])
        try NetworkLab.waitFor(file: proxy.log, containing: "went away", seconds: 5)
        try lab.connect()
        try NetworkLab.ip(["-n", lab.phone, "addr", "add", "192.0.2.50/24", "dev", lab.phoneInterface])
        try NetworkLab.waitFor(file: proxy.log, containing: "open again", seconds: 10)

        let answered = try Self.dhcpcdInform(in: lab, timeout: 10, name: "dhcpcd-after")
        #expect(answered.output.contains("new_polycom_boot_server='\(Self.bootServer)'"), "\(answered.output)")
        #expect(proxy.stop(), "the proxy did not stop on SIGTERM")
    }

    // MARK: - Helpers

    /// Sends each length-prefixed datagram of a file to port 67 of an address (from an
    /// interface, when a third argument names one); prints how many.
    static let sender = """
        import socket, struct, sys
        data = open(sys.argv[1], 'rb').read()
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        if len(sys.argv) > 3:  # an interface: broadcast from a phone that has no address yet
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[3].encode())
        i = sent = 0
        while i < len(data):
            (n,) = struct.unpack_from('>H', data, i)
            try:
                s.sendto(data[i + 2:i + 2 + n], (sys.argv[2], 67))
                sent += 1
            except OSError:
                pass
            i += 2 + n
        print(sent)
        """

    /// The issue's flood: mutated Polycom INFORMs for random ciaddrs (most off the lab subnet,
    /// some on it for hosts that do not exist), truncations, random bytes, and requests that
    /// have crossed 16 relays. Deterministic for a seed.
    static func hostileDatagrams(count: Int, seed: UInt64) -> [[UInt8]] {
        var generator = SplitMix64(seed: seed)
        var datagrams: [[UInt8]] = []
        datagrams.reserveCapacity(count)
        for index in 0..<count {
            let mac = MACAddress(rawValue: 0x0004_F200_0000 | UInt64(generator.next() & 0xFF_FFFF))
            let onSubnet = index % 10 == 0
            let ciaddr =
                onSubnet
                ? IPv4Address(192, 0, 2, UInt8(truncatingIfNeeded: 151 + generator.next() % 100))
                : IPv4Address(rawValue: UInt32(truncatingIfNeeded: generator.next()))
            var bytes = Self.inform(mac: mac, clientAddress: ciaddr)
            switch index % 5 {
            case 0, 1:
                break  // a well-formed INFORM from a Polycom MAC
            case 2:
                bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count))))
            case 3:
                bytes = (0..<Int(generator.next() % 600)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            default:
                bytes[3] = 16
                for _ in 0..<4 {
                    bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            datagrams.append(bytes)
        }
        return datagrams
    }

    /// Each datagram after its length, two bytes big-endian.
    static func framed(_ datagrams: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        for datagram in datagrams {
            bytes += [UInt8(datagram.count >> 8), UInt8(truncatingIfNeeded: datagram.count)] + datagram
        }
        return bytes
    }

    /// A BOOTREPLY (an ACK) for another relay at `relay`, 276 bytes.
    static func bootReply(relay: IPv4Address) -> [UInt8] {
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [DHCPMessageType.ack.rawValue]))
        area.append(DHCPOption(code: .serverIdentifier, data: [198, 51, 100, 2]))
        area.append(DHCPOption(code: .leaseTime, data: [0, 0, 0x0E, 0x10]))
        area.append(DHCPOption(code: .subnetMask, data: [255, 255, 255, 0]))
        area.append(DHCPOption(code: DHCPOptionCode(rawValue: 3), data: [192, 0, 2, 1]))
        area.append(DHCPOption(code: DHCPOptionCode(rawValue: 6), data: [192, 0, 2, 1]))
        area.elements.append(.end)
        area.elements.append(.pad(count: 2))
        return DHCPMessage(
            op: 2, transactionID: 0x0BAD_BEEF, yourAddress: IPv4Address(192, 0, 2, 120), relayAddress: relay,
            clientHardwareAddress: MACAddress(rawValue: 0x0004_F2CC_00FF), options: area
        ).encoded()
    }

    /// Sends `bytes` from the phone side to port 67 of `address` (bash's /dev/udp).
    static func sendDatagram(in lab: borrowing NetworkLab, _ bytes: [UInt8], to address: String) throws {
        let file = lab.directory.appendingPathComponent("datagram.bin")
        try Data(Self.framed([bytes])).write(to: file)
        let result = try lab.run(
            in: lab.phone, [try NetworkLab.tool("python3"), "-c", Self.sender, file.path, address, lab.phoneInterface],
            name: "send")
        try #require(result.status == 0 && result.output.contains("1"), "could not send: \(result.output)")
    }

    /// The server namespace's UDP counters (/proc/net/snmp): datagrams delivered to a socket,
    /// and dropped because a socket's receive buffer was full.
    static func udpCounters(in lab: borrowing NetworkLab) throws -> (delivered: Int, bufferFull: Int) {
        let snmp = try lab.run(in: lab.server, [try NetworkLab.tool("cat"), "/proc/net/snmp"], name: "snmp").output
        let rows = snmp.split(separator: "\n").filter { $0.hasPrefix("Udp: ") }.map {
            $0.split(separator: " ").dropFirst().map(String.init)
        }
        try #require(rows.count == 2, "\(snmp)")
        let values = Dictionary(zip(rows[0], rows[1].compactMap { Int($0) }), uniquingKeysWith: { first, _ in first })
        return (values["InDatagrams"] ?? 0, values["RcvbufErrors"] ?? 0)
    }

    /// Waits until the UDP sockets bound to `port` in the server namespace have nothing
    /// queued (`ss` Recv-Q), at most `seconds`; the seconds it took.
    static func waitUntilDrained(in lab: borrowing NetworkLab, port: Int, seconds: Double) throws -> Double {
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            let sockets = try lab.run(
                in: lab.server, [try NetworkLab.tool("ss"), "-H", "-u", "-a", "-n", "sport = :\(port)"], name: "ss"
            ).output
            let queued = sockets.split(separator: "\n").compactMap { line in
                Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            }
            if !queued.isEmpty, queued.allSatisfy({ $0 == 0 }) { break }
            usleep(50_000)
        }
        return Date().timeIntervalSince(start)
    }

    /// `VmRSS` of a process, in kilobytes.
    static func residentKilobytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        return line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
    }
}
