import Testing
import WireFormats

@Suite("DHCP VLAN discovery strings (VLAN-A=)")
struct VLANDiscoveryStringTests {
    private func parse(_ text: String, option: UInt8 = 128) throws(WireFormatError) -> [UInt16] {
        try VLANDiscoveryString(parsing: Array(text.utf8), option: DHCPOptionCode(option)).vlanIDs
    }

    @Test(
        "decimal, hex and octal all mean VLAN 10 (polycom-boot.md §6)",
        arguments: ["VLAN-A=10;", "VLAN-A=0x0a;", "VLAN-A=0X0A;", "VLAN-A=012;", "VLAN-A=10;ignored after"])
    func forms(text: String) throws {
        #expect(try self.parse(text) == [10])
    }

    @Test("several IDs joined by +, and the bounds 0 and 4095")
    func several() throws {
        #expect(try self.parse("VLAN-A=10+0x14+036;") == [10, 20, 30])
        #expect(try self.parse("VLAN-A=0;") == [0])
        #expect(try self.parse("VLAN-A=4095;") == [4095])
        #expect(try self.parse("VLAN-A=07777;") == [4095])
    }

    @Test(
        "malformed strings name what is wrong and where",
        arguments: [
            ("vlan-a=10;", 0, "does not start with"),
            ("VLAN-A=10", 9, "no \";\""),
            ("VLAN-A=10 ;", 9, "whitespace"),
            ("VLAN-A=;", 7, "empty"),
            ("VLAN-A=10+;", 10, "empty"),
            ("VLAN-A=4096;", 7, "over 4095"),
            ("VLAN-A=0x;", 7, "no hex digits"),
            ("VLAN-A=019;", 9, "not an octal digit"),
            ("VLAN-A=1a;", 8, "not a decimal digit"),
            ("VLAN-A=0x1g;", 10, "not a hex digit"),
        ])
    func malformed(text: String, offset: Int, words: String) {
        do {
            let ids = try self.parse(text, option: 144)
            Issue.record("\(text) parsed as \(ids)")
        } catch {
            #expect(error.offset == offset, "\(text): \(error)")
            #expect(error.detail.contains(words), "\(text): \(error)")
            #expect(error.field.contains("option 144"), "\(text): \(error)")
        }
    }

    @Test("the phone takes the first valid string of 128, 144, 157, 191, or only the custom option")
    func lookup() {
        let options = DHCPOptions([
            DHCPOption(code: .vlanDiscovery191, data: Array("VLAN-A=30;".utf8)),
            DHCPOption(code: .vlanDiscovery128, data: Array("VLAN-A=junk;".utf8)),
            DHCPOption(code: .vlanDiscovery157, data: Array("VLAN-A=20;".utf8)),
            DHCPOption(code: DHCPOptionCode(200), data: Array("VLAN-A=40;".utf8)),
        ])
        let fixed = VLANDiscoveryLookup(options)
        #expect(fixed.entries.map(\.option) == [.vlanDiscovery128, .vlanDiscovery157, .vlanDiscovery191])
        #expect(fixed.chosen?.option == .vlanDiscovery157)
        #expect(fixed.chosen?.value.vlanID == 20)
        #expect(fixed.malformed.map(\.option) == [.vlanDiscovery128])
        let custom = VLANDiscoveryLookup(options, options: [DHCPOptionCode(200)])
        #expect(custom.chosen?.value.vlanIDs == [40])
        #expect(VLANDiscoveryLookup(DHCPOptions([])).entries.isEmpty)
    }
}
