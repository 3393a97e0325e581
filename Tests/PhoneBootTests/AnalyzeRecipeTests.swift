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

        // The JSON report carries the same recipe with the finding.
        let path = TestCaptures.projectDirectory.appendingPathComponent(file).path
        let run = try runProgram(
            PacketsCommandTests.executable, ["analyze", "--fail-on", "never", "--format", "json", path])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let phones = ((document["captures"] as? [[String: Any]])?.first?["phones"] as? [[String: Any]]) ?? []
        let findings = phones.flatMap { $0["findings"] as? [[String: Any]] ?? [] }
        let recipe = try #require(findings.first { $0["code"] as? String == code }?["recipe"] as? [String: Any])
        #expect(recipe["server"] as? String == "dnsmasq")
        #expect((recipe["lines"] as? [String])?.contains("dhcp-option-force=tag:polycom,160,\"\(value)\"") == true)
    }

    @Test("a finding that is not about the DHCP server's configuration gets no recipe")
    func noRecipe() throws {
        let output = try Self.table("polycom-tftp-boot.pcap")
        #expect(output.contains("file-not-found"))
        #expect(!output.contains("recipe for"))
        let expected = try String(
            contentsOf: TestCaptures.projectDirectory.appendingPathComponent("polycom-tftp-boot.expected.json"),
            encoding: .utf8)
        #expect(!expected.contains("\"recipe\""))
    }
}
