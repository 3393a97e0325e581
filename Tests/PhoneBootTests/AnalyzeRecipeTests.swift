import Foundation
import Testing

/// `analyze` shows under a finding about the DHCP server's configuration the recipe for the
/// server it can tell from the reply's option order (the bundled captures' server is dnsmasq).
@Suite("analyze: fix recipes for the server that answered")
struct AnalyzeRecipeTests {
    static func table(_ name: String) throws -> String {
        let file = TestCaptures.projectDirectory.appendingPathComponent(name).path
        let result = try runProgram(PacketsCommandTests.executable, ["analyze", "--fail-on", "never", file])
        #expect(result.status == 0, "\(result.error)")
        return result.output
    }

    @Test(
        "no-boot-server, option-66-only and boot-server-malformed from dnsmasq get dnsmasq's recipe",
        arguments: [
            ("no-boot-server.pcap", "no-boot-server", "ftp://PlcmSpIp:PlcmSpIp@<boot-server>"),
            ("boot-server-quoted.pcap", "boot-server-malformed", "tftp://192.0.2.1"),
            ("boot-server-quoted.pcap", "option-66-only", "tftp://192.0.2.1"),
        ])
    func recipes(file: String, code: String, value: String) throws {
        let lines = try Self.table(file).split(separator: "\n").map(String.init)
        let finding = try #require(lines.firstIndex { $0.contains(" \(code): ") }, "no \(code) in \(file)")
        let next = lines[(finding + 1)...].prefix {
            !$0.hasPrefix("  ERROR") && !$0.hasPrefix("  INFO") && !$0.hasPrefix("  WARNING")
        }
        #expect(next.contains { $0.hasPrefix("      recipe for dnsmasq (told by its option order):") }, "\(next)")
        #expect(next.contains("        dhcp-option-force=tag:polycom,160,\"\(value)\""), "\(next)")
        #expect(next.contains("        dhcp-mac=set:polycom,00:04:f2:*:*:*"))
    }

    @Test("a finding that is not about the DHCP server's configuration gets no recipe")
    func noRecipe() throws {
        let output = try Self.table("polycom-tftp-boot.pcap")
        #expect(output.contains("file-not-found"))
        #expect(!output.contains("recipe for"))
    }
}
