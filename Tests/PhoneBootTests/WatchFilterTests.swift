import Foundation
import Testing

@testable import phoneboot

/// `watch`'s built-in capture filter, compiled by libpcap and applied to the bundled captures
/// through `packets --filter`: it must keep every packet the analyzer reads, untagged and
/// 802.1Q-tagged, LLDP and CDP included.
@Suite("watch's capture filter")
struct WatchFilterTests {
    @Test(
        "the built-in filter keeps every DHCP, TFTP, LLDP and CDP packet, tagged or not",
        arguments: [
            "lldp-vlan-conflict.pcap", "voice-vlan-silent.pcap", "vlan-loop.pcap", "polycom-ascii-vlan.pcap",
            "polycom-tftp-boot.pcap",
        ])
    func keepsEverything(capture: String) throws {
        let file = TestCaptures.projectDirectory.appendingPathComponent(capture).path
        let all = try runProgram(PacketsCommandTests.executable, ["packets", "--quiet", file])
        let filtered = try runProgram(
            PacketsCommandTests.executable, ["packets", "--quiet", "--filter", WatchCommand.baseFilter, file])
        #expect(all.status == 0 && filtered.status == 0, "\(all.error) \(filtered.error)")
        let lines = all.output.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(filtered.output == all.output, "\(capture): the filter dropped packets")
        if capture == "lldp-vlan-conflict.pcap" {
            #expect(lines.contains { $0.contains("  LLDP  ") } && lines.contains { $0.contains("  CDP v") })
        }
    }
}
