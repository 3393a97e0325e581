import BootAnalysis
import Foundation
import Testing
import WireFormats

/// LLDP-MED and CDP from a real peer: lldpd (Debian package `lldpd`) plays the access switch
/// in the lab's server namespace and announces a voice VLAN on the veth; tcpdump records
/// what reaches the phone side. Our decoder must read the values lldpd was configured with,
/// and agree with tshark on every field (``DiscoveryComparison``).
@Suite("LLDP and CDP from lldpd", .serialized)
struct LLDPLabTests {
    @Test(
        "lldpd's LLDP-MED voice policy and CDP reach the phone side and decode as configured",
        .enabled(if: NetworkLab.isAvailable, "needs root, ip, tcpdump and lldpd"))
    func lldpdAnnouncements() throws {
        let lldpd = try #require(which("lldpd"), "lldpd is needed for this test (apt-get install lldpd)")
        let tcpdump = try #require(which("tcpdump"), "tcpdump is needed for this test (apt-get install tcpdump)")
        let tshark = try #require(Tshark.locate(), "tshark is needed as the decoding oracle")
        let lab = try NetworkLab(name: "pblldp", phoneMAC: "00:04:f2:00:00:14")
        defer { lab.tearDown() }
        let capture = lab.directory.appendingPathComponent("lldp.pcap")
        // Every program ends by `timeout -s KILL`: SIGTERM does not reach programs spawned from
        // the test runner (they inherit its signal mask), and tcpdump -U has written each
        // packet as it came.
        let timeout = try NetworkLab.tool("timeout")
        let recorder = try lab.start(
            in: lab.phone,
            [
                timeout, "-s", "KILL", "12", tcpdump, "-i", lab.phoneInterface, "-U", "-w", capture.path,
                "ether proto 0x88cc or ether dst 01:00:0c:cc:cc:cc",
            ], name: "tcpdump")
        try NetworkLab.waitFor(file: recorder.log, containing: "listening on", seconds: 10)
        let configuration = lab.directory.appendingPathComponent("lldpd.conf")
        try """
        configure lldp tx-interval 1
        configure system hostname access-sw1
        configure med policy application voice tagged vlan 120 priority voice dscp 46
        configure med policy application voice-signaling tagged vlan 120 priority excellent-effort dscp 24

        """.write(to: configuration, atomically: true, encoding: .utf8)
        // LLDP alone first, then CDP forced (lldpd sends LLDP only while no CDP is forced).
        for (name, protocols) in [("lldpd-lldp", ["-M", "4"]), ("lldpd-cdp", ["-cc"])] {
            try lab.run(
                in: lab.server,
                [
                    timeout, "-s", "KILL", "4", lldpd, "-d", "-I", lab.serverInterface, "-u",
                    lab.directory.appendingPathComponent("\(name).socket").path, "-O", configuration.path,
                ] + protocols, name: name)
        }
        _ = recorder.stop(waiting: 12)

        let packets = try DiscoveryComparison.decode(capture)
        let announcements = packets.values.compactMap { packet -> LinkDiscovery? in
            if case .discovery(let discovery) = packet.content { return discovery }
            return nil
        }
        let allLLDP = announcements.compactMap { if case .lldp(let pdu) = $0 { pdu } else { nil } }
        // A shutdown LLDPDU (TTL 0, the mandatory TLVs only; 802.1AB §9.2.7.2) may be there when
        // a daemon stops: it is compared with tshark below, not with the configuration.
        let lldp = allLLDP.filter { $0.timeToLive > 0 }
        let cdp = announcements.compactMap { if case .cdp(let packet) = $0 { packet } else { nil } }
        #expect(lldp.count >= 2, "LLDP frames: \(lldp.count)")
        #expect(cdp.count >= 2, "CDP frames: \(cdp.count)")
        for pdu in lldp {
            #expect(pdu.systemName == "access-sw1")
            #expect(pdu.med?.deviceClass == 4)
            #expect(
                pdu.med?.voicePolicy
                    == LLDPNetworkPolicy(application: .voice, isTagged: true, vlanID: 120, priority: 5, dscp: 46))
            #expect(pdu.med?.voiceSignalingPolicy?.vlanID == 120)
            #expect(pdu.med?.voiceSignalingPolicy?.dscp == 24)
        }
        for packet in cdp { #expect(packet.deviceID == "access-sw1") }
        let tally = try DiscoveryComparison(tshark: tshark, file: capture).run()
        #expect(
            tally.lldp == allLLDP.count && tally.cdp == cdp.count,
            "tshark agreed on \(tally.lldp) LLDP, \(tally.cdp) CDP")
        print(
            "lldpd lab: \(tally.lldp) LLDP and \(tally.cdp) CDP frames agree with tshark (\(tally.fieldValues) field values)"
        )
    }
}
