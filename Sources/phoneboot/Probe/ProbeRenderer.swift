import BootAnalysis
import MasterConfigXML
import WireFormats

/// What the probe was: the first line of every format.
struct ProbeHeading {
    let interface: String
    let request: PolycomDHCPRequest
    let model: String
    let vlan: UInt16?
    let wait: Double
    let lease: Bool
    let repliesNotKept: Int

    var line: String {
        let vlan = self.vlan.map { ", VLAN \($0)" } ?? ""
        let lease = self.lease ? ", lease taken and released" : ", no lease taken"
        return "probe on \(self.interface)\(vlan) as \(self.request.mac) (Polycom \(self.model), "
            + "\(self.request.vendorClassForm.rawValue) option 60, xid 0x\(hexString(self.request.transactionID))), "
            + "\(self.wait.formatted) s\(lease)"
    }
}

/// The probe's output in each format: the servers, then the analyzer's report of the frames.
enum ProbeRenderer {
    static func table(
        _ outcome: ProbeOutcome, heading: ProbeHeading, palette: ReportTable.Palette, filters: Bool,
        to output: inout OutputBuffer
    ) {
        var lines = [heading.line]
        let count = outcome.servers.count
        lines.append("\(count) DHCP server\(count == 1 ? "" : "s") answered")
        if heading.repliesNotKept > 0 { lines.append("\(heading.repliesNotKept) more replies counted, not kept") }
        if !outcome.servers.isEmpty {
            lines.append("")
            let rows =
                [["SERVER", "MAC", "OFFERED", "BOOT SERVER", "LEASE", "SERVER KIND"]]
                + outcome.servers.map { server in
                    [
                        server.identifier.description, server.mac?.description ?? "-",
                        server.offeredAddress.description,
                        server.bootServer.map { "\($0.value.shown) (\($0.option))" } ?? "-",
                        server.leaseTime.map(Self.duration) ?? "-", server.guess.kind.description,
                    ]
                }
            lines += Self.columns(rows)
        }
        for server in outcome.servers {
            lines.append("")
            let frames = server.frames.map { "#\($0)" }.joined(separator: ", ")
            lines.append(
                palette.bold("\(server.identifier)")
                    + "  \(server.mac?.description ?? "")  offered \(server.offeredAddress)  \(frames)")
            lines.append("  options   \(server.optionOrder.map(String.init).joined(separator: ","))")
            lines.append("  kind      \(server.guess.kind) (\(server.guess.reason))")
            lines.append("  160       \(server.option160?.shown ?? "-")")
            lines.append("  66        \(server.option66?.shown ?? "-")")
            lines.append("  150       \(server.option150?.map(\.description).joined(separator: ",") ?? "-")")
            for entry in server.vlanLookup.entries {
                let raw = server.vlanDiscovery.first { $0.code == entry.option }?.data ?? []
                let text = BootServerString(String(decoding: raw, as: UTF8.self)).shown
                let reading: String
                switch entry.result {
                case .success(let value): reading = "the phone moves to VLAN \(value.vlanID)"
                case .failure(let error): reading = "unusable: \(error.detail)"
                }
                lines.append("  \(entry.option.rawValue)       \(text)  (\(reading))")
            }
            if server.unicastDespiteBroadcastFlag {
                lines.append(
                    "  note      the offer came unicast to the phone's MAC although the DISCOVER set the broadcast flag"
                )
            }
            let problems = outcome.serverRecipes[server.identifier] ?? []
            if problems.isEmpty, let boot = server.bootServer {
                lines.append(
                    "  " + palette.severity(nil, "ok")
                        + "  a phone taking this offer boots from \(boot.value.shown) (option \(boot.option))")
            }
            for (code, recipe) in problems {
                let severity = ProbeOutcome.severity(of: code)
                lines.append(
                    "  " + palette.severity(severity, severity.description.uppercased()) + " \(code): "
                        + Self.problemText(code, server: server))
                if let recipe { lines += Self.recipeLines(recipe, indent: "      ") }
            }
        }
        if let fetch = outcome.fetch {
            lines.append("")
            lines += Self.fetchLines(fetch, interface: heading.interface, palette: palette)
        }
        if outcome.findings.contains(where: { $0.recipe != nil }) {
            lines.append("")
            lines.append(palette.bold("fixes for the findings below"))
            for (finding, recipe) in outcome.findings {
                guard let recipe else { continue }
                lines.append("  \(finding.code):")
                lines += Self.recipeLines(recipe, indent: "      ")
            }
        }
        lines.append("")
        output.write(lines.joined(separator: "\n") + "\n")
        output.writeLine(
            ReportTable(palette: palette, filters: filters).render(
                path: heading.interface, report: outcome.report, summary: outcome.summary))
    }

    static func json(_ outcome: ProbeOutcome, heading: ProbeHeading) -> JSONValue {
        .object([
            ("probe", Self.probe(heading)),
            ("servers", .array(outcome.servers.map { Self.server($0, outcome: outcome) })),
            (
                "findings",
                .array(outcome.findings.map { finding, recipe in ReportJSON.finding(finding, recipe: recipe) })
            ),
            ("fetch", outcome.fetch.map(Self.fetch) ?? .null),
            ("report", ReportJSON.capture(path: heading.interface, report: outcome.report, summary: outcome.summary)),
        ])
    }

    static func ndjson(_ outcome: ProbeOutcome, heading: ProbeHeading, to output: inout OutputBuffer) {
        var lines: [JSONValue] = [.object([("event", .string("probe"))] + Self.members(Self.probe(heading)))]
        for server in outcome.servers {
            lines.append(
                .object([("event", .string("dhcp-server"))] + Self.members(Self.server(server, outcome: outcome))))
        }
        if let fetch = outcome.fetch {
            lines.append(.object([("event", .string("fetch"))] + Self.members(Self.fetch(fetch))))
        }
        for (finding, recipe) in outcome.findings {
            lines.append(
                JSONWriter.value { json in
                    json.openObject()
                    json.member("event", "finding")
                    ReportJSON.writeMembers(of: finding, recipe: recipe, to: &json)
                    json.closeObject()
                })
        }
        lines.append(
            .object([("event", .string("summary"))] + Self.members(ReportJSON.summary(outcome.report))))
        for line in lines {
            output.write(line)
            output.write("\n")
        }
    }

    // MARK: - Pieces

    private static func probe(_ heading: ProbeHeading) -> JSONValue {
        .object([
            ("interface", .string(heading.interface)),
            ("mac", .string(heading.request.mac.description)),
            ("model", .string(heading.model)),
            ("vendorClass", .string(heading.request.vendorClassForm.rawValue)),
            ("vendorClassHex", .string(hexString(heading.request.vendorClassBytes))),
            ("parameterRequestList", .array(heading.request.parameterRequestList.map { .int(Int($0)) })),
            ("vlan", heading.vlan.map { .int(Int($0)) } ?? .null),
            ("xid", .string(hexString(heading.request.transactionID))),
            ("waitSeconds", .double(heading.wait)),
            ("lease", .bool(heading.lease)),
            ("repliesNotKept", heading.repliesNotKept > 0 ? .int(heading.repliesNotKept) : .null),
        ])
    }

    private static func server(_ server: ProbedServer, outcome: ProbeOutcome) -> JSONValue {
        func string(_ value: BootServerString?) -> JSONValue { value.map { .string($0.masked) } ?? .null }
        var vlanOptions: [(String, JSONValue)] = []
        for entry in server.vlanLookup.entries {
            let raw = server.vlanDiscovery.first { $0.code == entry.option }?.data ?? []
            var members: [(String, JSONValue)] = [("value", .string(String(decoding: raw, as: UTF8.self)))]
            switch entry.result {
            case .success(let value): members.append(("vlan", .int(Int(value.vlanID))))
            case .failure(let error): members.append(("error", .string(error.detail)))
            }
            vlanOptions.append((String(entry.option.rawValue), .object(members)))
        }
        let problems = outcome.serverRecipes[server.identifier] ?? []
        return .object([
            ("identifier", .string(server.identifier.description)),
            ("mac", .optional(server.mac?.description)),
            ("offeredAddress", .string(server.offeredAddress.description)),
            ("option160", string(server.option160)),
            ("option66", string(server.option66)),
            ("option150", server.option150.map { .array($0.map { .string($0.description) }) } ?? .null),
            (
                "bootServer",
                server.bootServer.map { boot in
                    .object([
                        ("option", .int(Int(boot.option))), ("value", .string(boot.value.masked)),
                        ("scheme", .optional(boot.value.scheme)), ("host", .string(boot.value.host)),
                    ])
                } ?? .null
            ),
            ("vlanDiscovery", .object(vlanOptions)),
            ("leaseTime", server.leaseTime.map { .int(Int($0)) } ?? .null),
            ("optionOrder", .array(server.optionOrder.map { .int(Int($0)) })),
            ("implementation", .string(server.guess.kind.rawValue)),
            ("implementationReason", .string(server.guess.reason)),
            ("unicastDespiteBroadcastFlag", .bool(server.unicastDespiteBroadcastFlag)),
            ("frames", .array(server.frames.map { .int($0) })),
            (
                "problems",
                .array(
                    problems.map { code, recipe in
                        .object([
                            ("code", .string(code.rawValue)),
                            ("severity", .string(ProbeOutcome.severity(of: code).description)),
                            ("message", .string(Self.problemText(code, server: server))),
                            ("recipe", recipe.map(ReportJSON.recipe) ?? .null),
                        ])
                    })
            ),
        ])
    }

    /// `--fetch`: the boot server used, each request and its answer as the client saw it,
    /// the master file read, and what was not done and why. The analyzer's record of the
    /// same frames (`report`) is the evidence.
    private static func fetch(_ session: ProbeFetchSession) -> JSONValue {
        let outcome = session.outcome
        var master: JSONValue = .null
        if let (file, result) = outcome.master {
            switch result {
            case .success(let config):
                master = .object([
                    ("file", .string(file)),
                    ("appFilePath", .optional(config.attributes["APP_FILE_PATH"])),
                    ("configFiles", .optional(config.attributes["CONFIG_FILES"])),
                ])
            case .failure(let error):
                master = .object([("file", .string(file)), ("error", .string(error.description))])
            }
        }
        return .object([
            ("bootServer", .optional(outcome.bootServer?.masked)),
            ("option", outcome.option.map { .int(Int($0)) } ?? .null),
            ("protocol", .optional(outcome.fetchProtocol)),
            ("server", .optional(outcome.server?.description)),
            ("localAddress", .optional(outcome.localAddress?.description)),
            (
                "steps",
                .array(
                    outcome.steps.map { step in
                        var members: [(String, JSONValue)] = [
                            ("request", .string(step.request.rawValue)), ("file", .string(step.file)),
                        ]
                        switch step.outcome {
                        case .found(let bytes, let size):
                            members.append(("result", .string("found")))
                            if let bytes { members.append(("bytes", .int(bytes.count))) }
                            if let size { members.append(("size", .int(size))) }
                        case .notFound(let reason):
                            members += [("result", .string("not-found")), ("reason", .string(reason))]
                        case .failed(let reason):
                            members += [("result", .string("failed")), ("reason", .string(reason))]
                        }
                        return .object(members)
                    })
            ),
            ("master", master),
            (
                "notChecked",
                .array(
                    outcome.notChecked.map { .object([("file", .string($0.file)), ("reason", .string($0.reason))]) })
            ),
            ("notDone", .optional(outcome.notDone)),
            ("frames", .int(session.frames.count)),
            ("framesNotKept", session.framesNotKept > 0 ? .int(session.framesNotKept) : .null),
        ])
    }

    private static func fetchLines(
        _ session: ProbeFetchSession, interface: String, palette: ReportTable.Palette
    ) -> [String] {
        let outcome = session.outcome
        var lines: [String] = []
        var heading = "fetch as the phone"
        if let boot = outcome.bootServer, let option = outcome.option {
            heading += " from \(boot.shown) (option \(option))"
        }
        if let local = outcome.localAddress { heading += ", from \(local) (this host's address on \(interface))" }
        lines.append(palette.bold(heading))
        let width = outcome.steps.map(\.file.count).max() ?? 0
        for step in outcome.steps {
            let text: String
            switch step.outcome {
            case .found: text = palette.severity(nil, step.outcomeText)
            case .notFound, .failed: text = palette.severity(.error, step.outcomeText)
            }
            let padding = String(repeating: " ", count: width - step.file.count)
            lines.append("  \(step.request == .file ? "file" : "size")  \(step.file)\(padding)  \(text)")
        }
        if let (file, result) = outcome.master {
            switch result {
            case .success(let config):
                let image = config.attributes["APP_FILE_PATH"].map { "APP_FILE_PATH \"\($0)\"" } ?? "no APP_FILE_PATH"
                let files = config.attributes["CONFIG_FILES"].map { "CONFIG_FILES \"\($0)\"" } ?? "no CONFIG_FILES"
                lines.append("  master  \(file): \(image), \(files)")
            case .failure(let error):
                lines.append("  master  \(file): " + palette.severity(.error, "cannot be read: \(error)"))
            }
        }
        for (file, reason) in outcome.notChecked { lines.append("  not checked  \(file): \(reason)") }
        if let reason = outcome.notDone { lines.append("  " + palette.severity(.warning, "not done: \(reason)")) }
        var frames = "  \(session.frames.count) frames captured, numbered after the DHCP frames"
        if session.framesNotKept > 0 { frames += " (\(session.framesNotKept) more not kept)" }
        lines.append(frames)
        return lines
    }

    private static func members(_ value: JSONValue) -> [(String, JSONValue)] {
        if case .object(let members) = value { return members }
        return []
    }

    private static func recipeLines(_ recipe: FixRecipe, indent: String) -> [String] {
        var lines = ["\(indent)fix (\(recipe.server)): \(recipe.summary)"] + recipe.lines.map { "\(indent)  \($0)" }
        if recipe.lines.contains(where: { $0.contains(":***@") }) {
            lines.append("\(indent)  (*** is the password, masked here: write the real one)")
        }
        return lines
    }

    /// What a phone taking `server`'s offer would get wrong.
    static func problemText(_ code: Finding.Code, server: ProbedServer) -> String {
        switch code {
        case .noBootServer:
            return "a phone taking this offer gets no boot server (none of options 160, 66, 150)"
        case .option66Only:
            return "a phone taking this offer follows option 66 (\(server.option66?.shown ?? "")): no option 160"
        case .bootServerMalformed:
            let problem = server.bootServer?.value.problem ?? "it cannot be used"
            return "the boot server \(server.bootServer?.value.shown ?? "") is unusable: \(problem)"
        default:
            return code.rawValue
        }
    }

    /// `1h`, `8d`, `90s`.
    static func duration(_ seconds: UInt32) -> String {
        if seconds == UInt32.max { return "infinite" }
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// Rows as aligned columns, two spaces apart.
    static func columns(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
    }
}

extension Double {
    /// `4`, `2.5`: seconds as typed.
    fileprivate var formatted: String {
        self == self.rounded() ? String(Int(self)) : String(self)
    }
}
