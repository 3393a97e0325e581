import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `phoneboot analyze --format junit`: a suite per capture, a test case per phone, failing at
/// `--fail-on`, read back by an XML parser and held against the JSON report of the same run.
@Suite("analyze --format junit")
struct JUnitOutputTests {
    /// Every bundled capture, the malformed ones included, one report each.
    static var captures: [String] {
        (TestCaptures.projectFiles + TestCaptures.malformedFiles).map(\.path)
    }

    private static func analyze(_ format: String, failOn: String, _ paths: [String]) throws -> (
        status: Int32, output: String
    ) {
        let run = try runProgram(
            PacketsCommandTests.executable,
            ["analyze", "--format", format, "--fail-on", failOn, "--separate", "--quiet"] + paths)
        return (run.status, run.output)
    }

    @Test(
        "suites, test cases and failures agree with the JSON report, and every failing finding reads back exactly",
        arguments: ["error", "warning", "never"])
    func agreesWithJSON(failOn: String) throws {
        let junit = try Self.analyze("junit", failOn: failOn, Self.captures)
        let json = try Self.analyze("json", failOn: failOn, Self.captures)
        #expect(junit.status == json.status)
        let document = try XMLDocument(xmlString: junit.output)
        let suites = try document.nodes(forXPath: "/testsuites/testsuite").compactMap { $0 as? XMLElement }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let reports = try #require(object["captures"] as? [[String: Any]])
        #expect(suites.count == Self.captures.count)
        #expect(reports.count == Self.captures.count)
        let rank = ["info": 0, "warning": 1, "error": 2]
        let threshold = rank[failOn]
        for (suite, report) in zip(suites, reports) {
            let file = try #require(report["file"] as? String)
            #expect(suite.attribute(forName: "name")?.stringValue == file)
            let phones = try #require(report["phones"] as? [[String: Any]])
            let cases = try suite.nodes(forXPath: "testcase").compactMap { $0 as? XMLElement }
            #expect(cases.count == phones.count, "\(file)")
            #expect(suite.attribute(forName: "tests")?.stringValue == "\(phones.count)", "\(file)")
            var failing = 0
            for (testCase, phone) in zip(cases, phones) {
                let findings = (phone["findings"] as? [[String: Any]]) ?? []
                let failingFindings = findings.filter { finding in
                    guard let threshold, let severity = (finding["severity"] as? String).flatMap({ rank[$0] }) else {
                        return false
                    }
                    return severity >= threshold
                }
                let failure = try testCase.nodes(forXPath: "failure").first as? XMLElement
                #expect((failure != nil) == !failingFindings.isEmpty, "\(file) \(phone["mac"] ?? "")")
                if let failure {
                    failing += 1
                    let text = failure.stringValue ?? ""
                    for finding in failingFindings {
                        let message = try #require(finding["message"] as? String)
                        #expect(text.contains(message), "\(file): \(message)")
                    }
                    #expect(
                        failure.attribute(forName: "type")?.stringValue == failingFindings.first?["code"] as? String)
                }
                let mac = try #require(phone["mac"] as? String)
                #expect(testCase.attribute(forName: "name")?.stringValue?.hasPrefix(mac) == true)
                let out = try testCase.nodes(forXPath: "system-out").first?.stringValue ?? ""
                #expect(out.hasPrefix(mac), "\(file)")
            }
            #expect(suite.attribute(forName: "failures")?.stringValue == "\(failing)", "\(file)")
        }
    }

    @Test("a capture that cannot be read is a suite in error, and the command exits 2")
    func unreadable() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("phoneboot-no-such.pcap").path
        let run = try Self.analyze("junit", failOn: "error", [missing])
        #expect(run.status == 2)
        let document = try XMLDocument(xmlString: run.output)
        let error = try #require(
            try document.nodes(forXPath: "/testsuites/testsuite/testcase/error").first as? XMLElement)
        #expect(error.attribute(forName: "message")?.stringValue?.contains("no such file") == true)
        let suite = try #require(try document.nodes(forXPath: "/testsuites/testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "errors")?.stringValue == "1")
    }
}
