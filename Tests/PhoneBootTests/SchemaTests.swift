import Foundation
import Testing

/// `schemas/report.schema.json` and `schemas/event.schema.json` (JSON Schema draft 2020-12)
/// hold for every bundled capture's report and events, checked by a real validator:
/// check-jsonschema (`python3 -m pip install check-jsonschema`), as `python3 -m
/// check_jsonschema`.
@Suite("the JSON schemas, checked by check-jsonschema")
struct SchemaTests {
    static let schemas = TestCaptures.packageRoot.appendingPathComponent("schemas")
    static let captures =
        TestCaptures.projectFiles.filter { $0.pathExtension == "pcap" }
        + TestCaptures.malformedFiles.filter { ["pcap", "pcapng"].contains($0.pathExtension) }

    @Test("every bundled NAME.expected.json, as the document analyze --format json writes, is valid")
    func expectedReportsAreValid() throws {
        let directory = try Self.scratch("reports")
        defer { try? FileManager.default.removeItem(at: directory) }
        var instances: [String] = []
        for capture in Self.captures {
            let expected = capture.deletingPathExtension().appendingPathExtension("expected.json")
            let report = try JSONSerialization.jsonObject(with: try Data(contentsOf: expected))
            let document = try JSONSerialization.data(withJSONObject: ["schemaVersion": 1, "captures": [report]])
            let instance = directory.appendingPathComponent(expected.lastPathComponent)
            try document.write(to: instance)
            instances.append(instance.path)
        }
        #expect(instances.count == Self.captures.count && instances.count >= 20)
        let result = try Self.validate(schema: "report.schema.json", instances)
        #expect(result.status == 0, "\(result.output)\(result.error)")
    }

    @Test("every NDJSON line analyze writes for the bundled captures is valid")
    func eventsAreValid() throws {
        let directory = try Self.scratch("events")
        defer { try? FileManager.default.removeItem(at: directory) }
        var instances: [String] = []
        var kinds: Set<String> = []
        for capture in Self.captures {
            let run = try runProgram(
                PacketsCommandTests.executable,
                ["analyze", "--all-devices", "--fail-on", "never", "--format", "ndjson", capture.path])
            for (index, line) in run.output.split(separator: "\n").enumerated() {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let kind = object?["event"] as? String { kinds.insert(kind) }
                let instance = directory.appendingPathComponent("\(capture.lastPathComponent)-\(index).json")
                try Data(line.utf8).write(to: instance)
                instances.append(instance.path)
            }
        }
        // Every kind of event is among them, so that each branch of the schema is exercised.
        #expect(
            kinds.isSuperset(of: [
                "phone-seen", "dhcp", "boot-server", "fetch-started", "fetch-finished", "plan", "finding",
                "malformed-packet",
                "summary",
            ]), "\(kinds.sorted())")
        let result = try Self.validate(schema: "event.schema.json", instances)
        #expect(result.status == 0, "\(result.output)\(result.error)")
    }

    @Test("the schemas are strict: a key they do not name, or a wrong type, is refused")
    func schemasRefuseDrift() throws {
        let directory = try Self.scratch("drift")
        defer { try? FileManager.default.removeItem(at: directory) }
        let expected = TestCaptures.projectDirectory.appendingPathComponent("polycom-tftp-boot.expected.json")
        var report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: expected)) as? [String: Any])
        var phones = try #require(report["phones"] as? [[String: Any]])
        phones[0]["newKey"] = true
        report["phones"] = phones
        let unknownKey = directory.appendingPathComponent("unknown-key.json")
        try JSONSerialization.data(withJSONObject: ["schemaVersion": 1, "captures": [report]]).write(to: unknownKey)
        #expect(try Self.validate(schema: "report.schema.json", [unknownKey.path]).status != 0)

        let wrongType = directory.appendingPathComponent("wrong-type.json")
        try Data(#"{"file":"x.pcap","frame":"1","event":"phone-seen","mac":"00:04:f2:00:00:01"}"#.utf8).write(
            to: wrongType)
        #expect(try Self.validate(schema: "event.schema.json", [wrongType.path]).status != 0)
    }

    static func scratch(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phoneboot-schema-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// check-jsonschema on `instances` against `schemas/<schema>`, in one run.
    static func validate(schema: String, _ instances: [String]) throws -> (status: Int32, output: String, error: String)
    {
        let python = try #require(which("python3"), "python3 is needed")
        let probe = try runProgram(python, ["-m", "check_jsonschema", "--version"])
        try #require(probe.status == 0, "check-jsonschema is needed: python3 -m pip install check-jsonschema")
        return try runProgram(
            python,
            ["-m", "check_jsonschema", "--schemafile", Self.schemas.appendingPathComponent(schema).path] + instances)
    }
}
