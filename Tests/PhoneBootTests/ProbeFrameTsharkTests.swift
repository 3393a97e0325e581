import Foundation
import PhoneBootTestSupport
import Testing
import WireFormats

/// The frames `probe` sends, as tshark decodes them: checksums verified, the 802.1Q tag, and the
/// DHCP fields a switch or server looks at.
@Suite("probe frames against tshark")
struct ProbeFrameTsharkTests {
    @Test("tagged and untagged DISCOVER, REQUEST and RELEASE frames decode in tshark with good checksums")
    func frames() throws {
        let tshark = try #require(which("tshark"), "tshark is needed as the decoding oracle: apt-get install tshark")
        let mac = try #require(MACAddress("00:04:f2:ab:cd:ef"))
        let vendor = PolycomVendorClass(
            company: "Polycom", model: "VVX-VVX_410", partNumber: "3111-46162-001",
            applicationVersion: "SIP/5.9.5.0614/11-Feb-20 10:34", bootROMVersion: "UP/5.9.5.0614/11-Feb-20 10:20")
        let request = PolycomDHCPRequest(
            mac: mac, transactionID: 0xCAFE_0001, vendorClass: vendor, vendorClassForm: .binary)
        let server = IPv4Address(192, 0, 2, 1)
        let offered = IPv4Address(192, 0, 2, 123)
        var builder = PcapFileBuilder()
        let messages: [(DHCPMessage, UInt16?, IPv4Address, IPv4Address)] = [
            (request.discover(), nil, .any, .broadcast),
            (request.discover(), 120, .any, .broadcast),
            (request.request(offered: offered, server: server), 4094, .any, .broadcast),
            (request.release(address: offered, server: server), nil, offered, server),
        ]
        for (index, (message, vlan, source, destination)) in messages.enumerated() {
            let frame = UDPFrame(
                source: mac, destination: UDPFrame.broadcastMAC, vlan: vlan, sourceAddress: source,
                destinationAddress: destination, identification: UInt16(index), sourcePort: 68, destinationPort: 67,
                payload: message.encoded())
            builder.frames.append((seconds: 1_700_000_000 + UInt32(index), fraction: 0, bytes: frame.encoded()))
        }
        let file = try builder.write()
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try runProgram(
            tshark,
            [
                "-n", "-r", file.path, "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-T", "fields",
                "-E", "separator=|", "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "vlan.id", "-e",
                "eth.src", "-e", "dhcp.hw.mac_addr", "-e", "dhcp.flags.bc", "-e", "dhcp.option.dhcp", "-e", "ip.src",
                "-e", "ip.dst", "-e", "dhcp.option.request_list_item", "-e", "_ws.expert.severity",
            ])
        #expect(result.status == 0, "\(result.error)")
        let rows = result.output.split(separator: "\n").map {
            $0.split(separator: "|", omittingEmptySubsequences: false)
        }
        try #require(rows.count == 4, "\(result.output)")
        let expected: [(vlan: String, flag: String, type: String, source: String, destination: String)] = [
            ("", "1", "1", "0.0.0.0", "255.255.255.255"), ("120", "1", "1", "0.0.0.0", "255.255.255.255"),
            ("4094", "1", "3", "0.0.0.0", "255.255.255.255"), ("", "0", "7", "192.0.2.123", "192.0.2.1"),
        ]
        for (row, want) in zip(rows, expected) {
            #expect(row[0] == "1", "IPv4 checksum status (1 = good): \(row)")
            #expect(row[1] == "1", "UDP checksum status (1 = good): \(row)")
            #expect(row[2] == want.vlan)
            #expect(row[3] == "00:04:f2:ab:cd:ef")
            #expect(row[4] == "00:04:f2:ab:cd:ef")
            #expect(row[5] == want.flag)
            #expect(row[6] == want.type)
            #expect(row[7] == want.source)
            #expect(row[8] == want.destination)
            #expect(row[10].isEmpty, "tshark's expert info on the frame: \(row[10])")
        }
        #expect(rows[0][9].split(separator: ",").map(String.init) == request.parameterRequestList.map(String.init))
    }
}
