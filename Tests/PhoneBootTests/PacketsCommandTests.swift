import Foundation
import PhoneBootTestSupport
import Testing
import WireFormats

/// `phoneboot packets` run as a user runs it: the built executable, its output and exit code.
@Suite("phoneboot packets")
struct PacketsCommandTests {
    /// The `phoneboot` executable built beside the test bundle.
    static var executable: String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("phoneboot").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return TestCaptures.packageRoot.appendingPathComponent(".build/debug/phoneboot").path
    }

    private func run(_ arguments: [String], standardInput: URL? = nil) throws -> (
        status: Int32, output: String, error: String
    ) {
        try runProgram(Self.executable, arguments, standardInput: standardInput)
    }

    /// A capture with one DHCP ACK carrying option 160 with a password, and 66.
    private func ackCapture() throws -> URL {
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [5]))
        area.append(DHCPOption(code: .serverIdentifier, data: [192, 0, 2, 1]))
        area.append(DHCPOption(code: .polycomBootServer, string: "ftp://PlcmSpIp:S3cretPass@192.0.2.10/phones"))
        area.append(DHCPOption(code: .tftpServerName, string: "192.0.2.1"))
        area.elements.append(.end)
        let ack = DHCPMessage(
            op: 2, transactionID: 0xCAFE_F00D, yourAddress: IPv4Address("192.0.2.100")!,
            clientHardwareAddress: MACAddress("00:04:f2:a1:b2:c3")!, options: area
        )
        var builder = PcapFileBuilder()
        builder.frames = [
            (1_700_000_000, 0, PcapFileBuilder.udpFrame(port: 53)),
            (1_700_000_000, 1000, PcapFileBuilder.udpFrame(port: 68, sourcePort: 67, payload: ack.encoded())),
        ]
        return try builder.write()
    }

    @Test("one line per DHCP packet, with frame number, xid, 160 named as the Polycom boot server, passwords masked")
    func textLines() throws {
        let url = try self.ackCapture()
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try self.run(["packets", url.path])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1)
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("     2 "))
        #expect(line.contains("DHCP ACK"))
        #expect(line.contains("xid 0xcafef00d"))
        #expect(line.contains("160 boot-server(Polycom) \"ftp://PlcmSpIp:***@192.0.2.10/phones\""))
        #expect(line.contains("66 tftp-server \"192.0.2.1\""))
        #expect(!result.output.contains("S3cretPass"))
        #expect(result.error.contains("2 frames, 1 DHCP, 0 TFTP, 0 malformed"))
    }

    @Test("JSON output is one valid document with the same packets and no password")
    func json() throws {
        let url = try self.ackCapture()
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try self.run(["packets", "--format", "json", url.path])
        #expect(result.status == 0)
        #expect(!result.output.contains("S3cretPass"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(document["schemaVersion"] as? Int == 1)
        let files = try #require(document["files"] as? [[String: Any]])
        let packets = try #require(files.first?["packets"] as? [[String: Any]])
        #expect(packets.count == 1)
        let dhcp = try #require(packets.first?["dhcp"] as? [String: Any])
        #expect(packets.first?["frame"] as? Int == 2)
        #expect(dhcp["messageType"] as? String == "ACK")
        #expect(dhcp["xid"] as? String == "0xcafef00d")
        #expect(dhcp["polycomBootServer"] as? String == "ftp://PlcmSpIp:***@192.0.2.10/phones")
        #expect(dhcp["clientMAC"] as? String == "00:04:f2:a1:b2:c3")
    }

    @Test("standard input is read with '-'")
    func standardInput() throws {
        let url = try self.ackCapture()
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try self.run(["packets", "-"], standardInput: url)
        #expect(result.status == 0)
        #expect(result.output.contains("DHCP ACK"))
        #expect(result.error.contains("standard input"))
    }

    @Test("a truncated capture lists every whole packet and warns")
    func truncatedCapture() throws {
        var builder = PcapFileBuilder()
        builder.frames = (0..<3).map { index in
            (1_700_000_000, UInt32(index), PcapFileBuilder.udpFrame(port: 69, payload: [0, 4, 0, UInt8(index)]))
        }
        let url = try builder.write(truncatedBy: 5)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try self.run(["packets", url.path])
        #expect(result.status == 0)
        #expect(result.output.split(separator: "\n").count == 2)
        #expect(result.error.contains("warning"))
        #expect(result.error.contains("record 3"))
    }

    @Test(
        "unusable input exits 2 with the file and the reason on one line",
        arguments: [
            (["packets", "/nonexistent/capture.pcap"], "/nonexistent/capture.pcap: cannot open: no such file"),
            (["packets", "--filter", "port banana", "/dev/null"], "cannot open"),
            (["packets"], "Missing expected argument"),
            (["packets", "--format", "xml", "x.pcap"], "xml"),
        ])
    func unusableInput(arguments: [String], message: String) throws {
        let result = try self.run(arguments)
        #expect(result.status == 2)
        #expect(result.error.contains(message), "stderr: \(result.error)")
    }

    @Test("--help teaches with examples")
    func help() throws {
        let result = try self.run(["packets", "--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("Examples:"))
        #expect(result.output.contains("--filter"))
        #expect(result.output.contains("boot server (Polycom)"))
    }
}
