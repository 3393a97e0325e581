import BootAnalysis
import WireFormats

/// `--format junit`: the report as JUnit XML, the form CI systems (Jenkins, GitLab, GitHub
/// test reporters) show natively. One `<testsuite>` per capture, one `<testcase>` per phone; a
/// phone with findings at or above `--fail-on` fails, its `<failure>` naming the first such
/// finding and listing them all; the phone's whole report is its `<system-out>`. A capture that
/// could not be read is a suite with one `<testcase>` in `<error>`.
struct JUnitRenderer: ReportRenderer {
    /// The severity from which a finding fails its phone's test case; `nil`: none does.
    let failOn: Finding.Severity?

    var showsCaptureCounts: Bool { false }

    var usesEvents: Bool { false }

    func begin(_ output: inout OutputBuffer) {
        output.writeLine(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        output.writeLine(#"<testsuites name="phoneboot analyze">"#)
    }

    func event(_ event: BootEvent, source: String, time: Int64, to output: inout OutputBuffer) {}

    func capture(
        source: String, report: BootReport, finalEvents: [BootEvent], summary: CaptureSummary,
        to output: inout OutputBuffer
    ) {
        let suite = Self.attribute(source)
        guard summary.linkTypeName != nil else {
            let problem = summary.problem.map(String.init(describing:)) ?? "unreadable"
            output.writeLine(#"  <testsuite name="\#(suite)" tests="1" failures="0" errors="1" skipped="0">"#)
            output.writeLine(#"    <testcase classname="\#(suite)" name="read the capture">"#)
            output.writeLine(#"      <error message="\#(Self.attribute(problem))"/>"#)
            output.writeLine("    </testcase>")
            output.writeLine("  </testsuite>")
            return
        }
        let failing = report.phones.map { phone in
            phone.findings.filter { finding in self.failOn.map { finding.severity >= $0 } ?? false }
        }
        let failures = failing.count { !$0.isEmpty }
        output.writeLine(
            #"  <testsuite name="\#(suite)" tests="\#(report.phones.count)" failures="\#(failures)" errors="0" skipped="0">"#
        )
        output.writeLine("    <properties>")
        for (name, value) in [
            ("frames", summary.counters.frames), ("dhcpPackets", summary.counters.dhcp),
            ("tftpPackets", summary.counters.tftp), ("otherDevices", report.otherDevices),
            ("malformedPackets", report.malformed.count + report.malformedNotListed),
        ] {
            output.writeLine(#"      <property name="\#(name)" value="\#(value)"/>"#)
        }
        if let problem = summary.problem {
            output.writeLine(#"      <property name="problem" value="\#(Self.attribute(problem.description))"/>"#)
        }
        output.writeLine("    </properties>")
        let table = ReportTable(palette: ReportTable.Palette(enabled: false))
        for (phone, findings) in zip(report.phones, failing) {
            let name = [phone.mac.description, phone.model].compactMap { $0 }.joined(separator: " ")
            output.writeLine(#"    <testcase classname="\#(suite)" name="\#(Self.attribute(name))">"#)
            if let first = findings.first {
                let message = "\(first.severity.description.uppercased()) \(first.code): \(first.message)"
                output.writeLine(#"      <failure type="\#(first.code)" message="\#(Self.attribute(message))">"#)
                for finding in findings {
                    let frames = finding.frames.map { ReportTable.frameText($0, summary.frameMap) }
                        .joined(separator: ", ")
                    output.writeLine(
                        Self.text(
                            "\(finding.severity.description.uppercased()) \(finding.code): \(finding.message)  [frames \(frames)]"
                        ))
                    output.writeLine(Self.text("    fix: \(finding.hint)"))
                }
                output.writeLine("      </failure>")
            }
            let details = table.details(phone, start: summary.firstTimestamp ?? 0, frameMap: summary.frameMap)
            output.writeLine("      <system-out>\(Self.text(details.joined(separator: "\n")))</system-out>")
            output.writeLine("    </testcase>")
        }
        output.writeLine("  </testsuite>")
    }

    func end(_ output: inout OutputBuffer) {
        output.writeLine("</testsuites>")
    }

    /// Text for an attribute value (XML 1.0 §2.3 and §3.3.3): markup characters and quotes as
    /// entities, line breaks and tabs as character references (so that they survive attribute
    /// normalisation), other control characters, which XML 1.0 forbids, as visible `\u{1}`.
    static func attribute(_ text: String) -> String {
        Self.escaped(text, attribute: true)
    }

    /// Text for element content (XML 1.0 §2.4).
    static func text(_ text: String) -> String {
        Self.escaped(text, attribute: false)
    }

    private static func escaped(_ text: String, attribute: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where attribute: result += "&quot;"
            case "\n" where attribute: result += "&#10;"
            case "\r": result += "&#13;"
            case "\t" where attribute: result += "&#9;"
            case "\n", "\t": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value):
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
