import Foundation
import Testing

/// `analyze --format junit` read by a real JUnit consumer: junitparser (PyPI, `python3 -m pip
/// install junitparser`), the library CI tools and report generators use to load JUnit XML.
/// What it reads must be what the JSON report of the same run says.
extension JUnitOutputTests {
    @Test(
        "junitparser loads the output: one suite per capture, one case per phone, the failures and errors the JSON report implies"
    )
    func readByJunitparser() throws {
        let python = try #require(which("python3"), "python3 is needed")
        let probe = try runProgram(python, ["-c", "import junitparser"])
        try #require(probe.status == 0, "junitparser is needed: python3 -m pip install junitparser")
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("phoneboot-no-such.pcap").path
        let paths = Self.captures + [missing]
        let arguments = ["analyze", "--fail-on", "warning", "--separate", "--quiet"]
        let junit = try runProgram(PacketsCommandTests.executable, arguments + ["--format", "junit"] + paths)
        let json = try runProgram(PacketsCommandTests.executable, arguments + ["--format", "json"] + paths)
        #expect(junit.status == 2 && json.status == 2, "an unreadable capture exits 2")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("phoneboot-junit-\(getpid()).xml")
        try Data(junit.output.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        // Per suite: name, tests, failures, errors as junitparser counts them from the cases.
        let script = """
            import sys
            from junitparser import JUnitXml, Failure, Error
            xml = JUnitXml.fromfile(sys.argv[1])
            for suite in xml:
                cases = list(suite)
                failures = sum(1 for case in cases for result in case.result if isinstance(result, Failure))
                errors = sum(1 for case in cases for result in case.result if isinstance(result, Error))
                print(f"{suite.name}\\t{len(cases)}\\t{failures}\\t{errors}\\t{suite.tests}\\t{suite.failures}\\t{suite.errors}")
            """
        let read = try runProgram(python, ["-c", script, file.path])
        try #require(read.status == 0, "junitparser could not read the output: \(read.error)")
        let rows = read.output.split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false)
        }

        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let reports = try #require(object["captures"] as? [[String: Any]])
        #expect(rows.count == paths.count && reports.count == paths.count)
        for (row, report) in zip(rows, reports) {
            let name = try #require(report["file"] as? String)
            #expect(String(row[0]) == name)
            let readable = (report["problem"] as? String)?.hasPrefix("error") != true || report["phones"] != nil
            let phones = (report["phones"] as? [[String: Any]]) ?? []
            let failing = phones.filter { phone in
                ((phone["findings"] as? [[String: Any]]) ?? []).contains {
                    ["warning", "error"].contains($0["severity"] as? String ?? "")
                }
            }
            if name == missing {
                #expect(row[3] == "1", "the unreadable capture is one error: \(row)")
                continue
            }
            #expect(readable)
            // The cases junitparser found, and the suite's own counts, agree with each other and
            // with the JSON report.
            #expect(row[1] == "\(phones.count)" && row[4] == "\(phones.count)", "\(name): \(row)")
            #expect(row[2] == "\(failing.count)" && row[5] == "\(failing.count)", "\(name): \(row)")
            #expect(row[3] == "0" && row[6] == "0", "\(name): \(row)")
        }
    }
}
