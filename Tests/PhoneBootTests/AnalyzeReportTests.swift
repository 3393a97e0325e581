import Foundation
import Testing

/// `phoneboot analyze` on every bundled capture: the whole report, and the facts tshark sees.
@Suite("phoneboot analyze on the bundled captures")
struct AnalyzeReportTests {
    static let captures =
        TestCaptures.projectFiles.filter { $0.pathExtension == "pcap" }
        + TestCaptures.malformedFiles.filter { ["pcap", "pcapng"].contains($0.pathExtension) }

    /// The report of one capture as parsed JSON (the `captures[0]` object, without `file`).
    static func report(_ capture: URL, extra: [String] = []) throws -> [String: Any] {
        let result = try runProgram(
            PacketsCommandTests.executable,
            ["analyze", "--all-devices", "--fail-on", "never", "--format", "json"] + extra + [capture.path]
        )
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
            "\(capture.lastPathComponent): \(result.error)"
        )
        #expect(document["schemaVersion"] as? Int == 1)
        var report = try #require((document["captures"] as? [[String: Any]])?.first)
        // A file whose reading failed part-way (a broken pcapng block) is reported as far as it
        // was read, with its `problem`, and exits 2 (DESIGN §1); every other capture exits 0.
        let failedReading = (report["problem"] as? String)?.hasPrefix("error") == true
        #expect(result.status == (failedReading ? 2 : 0), "\(capture.lastPathComponent): \(result.error)")
        report.removeValue(forKey: "file")
        // A reading problem names the file: by its name alone, as update-expected.sh writes it.
        if let problem = report["problem"] as? String {
            report["problem"] = problem.replacingOccurrences(of: capture.path, with: capture.lastPathComponent)
        }
        return report
    }

    @Test("every capture has NAME.expected.json and the report matches it", arguments: Self.captures)
    func matchesExpected(capture: URL) throws {
        let expectedURL = capture.deletingPathExtension().appendingPathExtension("expected.json")
        let data = try #require(
            FileManager.default.contents(atPath: expectedURL.path),
            "\(expectedURL.lastPathComponent) is missing: run scripts/update-expected.sh and review it"
        )
        var expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        expected.removeValue(forKey: "file")
        let actual = try Self.report(capture)
        #expect(
            NSDictionary(dictionary: actual).isEqual(to: expected),
            "\(capture.lastPathComponent): report differs from \(expectedURL.lastPathComponent)")
    }

    @Test("the report agrees with what tshark sees: phones, files, TFTP errors, boot server", arguments: Self.captures)
    func agreesWithTshark(capture: URL) throws {
        let tshark = try #require(Tshark.locate(), "tshark is needed: apt-get install tshark")
        let report = try Self.report(capture)
        let phones = report["phones"] as? [[String: Any]] ?? []
        let ourMACs = Set(phones.compactMap { $0["mac"] as? String })

        // Every DHCP client with a Polycom OUI is a phone in the report.
        let clients = try tshark.fields(["dhcp.hw.mac_addr"], file: capture, displayFilter: "dhcp.type == 1")
        let polycomMACs = Set(
            clients.values.compactMap { $0.first?.first }.filter {
                ["00:04:f2", "64:16:7f", "48:25:67"].contains(String($0.prefix(8)))
            })
        #expect(
            polycomMACs.isSubset(of: ourMACs),
            "\(capture.lastPathComponent): tshark sees \(polycomMACs), report has \(ourMACs)")

        // The files requested over TFTP, and from which server, are exactly the fetches in the
        // report (a retransmitted request counts once per frame on both sides).
        let requests = try tshark.fields(
            ["tftp.source_file", "tftp.destination_file", "ip.dst"], file: capture,
            displayFilter: "tftp.opcode == 1 || tftp.opcode == 2"
        )
        let theirFiles = requests.values.map { row in
            "\(row[0].first ?? row[1].first ?? "") from \(row[2].first ?? "")"
        }
        let fetches = phones.flatMap { $0["fetches"] as? [[String: Any]] ?? [] }
        // A damaged file: tshark stops at the damage while the analyzer reads on past it, so
        // only what starts before tshark's last frame is compared.
        let damaged = report["problem"] != nil
        let readable = damaged ? try tshark.frames(file: capture, displayFilter: "frame").max() ?? 0 : Int.max
        var ourFiles: [String] = []
        for fetch in fetches where fetch["protocol"] as? String == "tftp" {
            let frames = (fetch["requestFrames"] as? [Int] ?? []).filter { $0 <= readable }
            let name = "\(fetch["file"] as? String ?? "") from \(fetch["server"] as? String ?? "")"
            ourFiles += Array(repeating: name, count: frames.count)
        }
        #expect(
            theirFiles.sorted() == ourFiles.sorted(),
            "\(capture.lastPathComponent): tshark requests \(theirFiles.sorted()), report \(ourFiles.sorted())")

        try Self.checkTCPFetches(
            capture, fetches: fetches.filter { ($0["firstFrame"] as? Int ?? 0) <= readable }, tshark: tshark)

        // Offers from more than one server (option 54) are reported as such.
        let offers = try tshark.fields(
            ["dhcp.option.dhcp_server_id"], file: capture, displayFilter: "dhcp.option.dhcp == 2")
        let offeringServers = Set(offers.values.compactMap { $0.first?.first })
        let findingCodes = phones.flatMap { $0["findings"] as? [[String: Any]] ?? [] }.compactMap {
            $0["code"] as? String
        }
        if damaged {
            #expect(
                offeringServers.count <= 1 || findingCodes.contains("several-dhcp-servers"),
                "\(capture.lastPathComponent): servers \(offeringServers)")
        } else {
            #expect(
                findingCodes.contains("several-dhcp-servers") == (offeringServers.count > 1),
                "\(capture.lastPathComponent): servers \(offeringServers)")
        }

        // Each TFTP ERROR tshark sees ends a fetch in the report with that error code.
        let errors = try tshark.fields(["tftp.error.code"], file: capture, displayFilter: "tftp.opcode == 5")
        for (frame, row) in errors {
            let code = Int(row.first?.first ?? "")
            let fetch = fetches.first { ($0["lastFrame"] as? Int) == frame }
            #expect(
                fetch != nil && (fetch?["errorCode"] as? Int) == code,
                "\(capture.lastPathComponent) frame \(frame): tshark error \(code.map(String.init) ?? "?") is not the end of a fetch in the report"
            )
            if code == 1 { #expect(fetch?["result"] as? String == "not-found") }
        }

        // The boot server in effect is 160 when the ACK has it, else 66.
        let acks = try tshark.fields(
            ["dhcp.hw.mac_addr", "dhcp.option.captive_portal", "dhcp.option.tftp_server_name"], file: capture,
            displayFilter: "dhcp.option.dhcp == 5"
        )
        for (_, row) in acks.sorted(by: { $0.key < $1.key }) {
            guard let mac = row.first?.first, let phone = phones.first(where: { ($0["mac"] as? String) == mac }) else {
                continue
            }
            let expected = row[1].first ?? (row[2].first)
            let boot = phone["bootServer"] as? [String: Any]
            if let expected, !expected.contains("@") {
                #expect(boot?["value"] as? String == expected, "\(capture.lastPathComponent): boot server of \(mac)")
            } else if expected == nil {
                #expect(boot == nil || (phone["findings"] as? [[String: Any]] ?? []).isEmpty == false)
            }
        }
    }

    /// FTP, HTTP and HTTPS fetches against tshark's own dissection of the same frames.
    /// `repliesEndFetches`: every 530/550 in the capture answers a login or a transfer (true of
    /// our recordings; not of captures where 550 also answers MKD or SITE).
    static func checkTCPFetches(
        _ capture: URL, fetches: [[String: Any]], tshark: Tshark, repliesEndFetches: Bool = true
    ) throws {
        let name = capture.lastPathComponent
        func ours(_ protocolName: String) -> [[String: Any]] {
            fetches.filter { $0["protocol"] as? String == protocolName }
        }

        // FTP: every RETR/STOR is a fetch of that file, in that direction.
        let ftpCommands = try tshark.fields(
            ["ftp.request.command", "ftp.request.arg"], file: capture,
            displayFilter:
                "ip && (ftp.request.command == \"RETR\" || ftp.request.command == \"STOR\" || ftp.request.command == \"APPE\")"
        )
        // A SIZE or MDTM answered 550 whose file the connection never transfers after it is a
        // fetch too (read, not found), and so is a SIZE answered 213 whose file it never
        // transfers at all (a size check); one RETRed or STORed after all is only that transfer.
        let probes = try Self.ftpProbes(capture, tshark: tshark)
        let theirTransfers =
            (ftpCommands.values.map { "\($0[0].first ?? "") \($0[1].first ?? "")" }
            + probes.filter { !$0.transferredLater }.map { "RETR \($0.file)" }).sorted()
        let ourTransfers = ours("ftp").filter { !($0["file"] as? String ?? "").isEmpty }.map { fetch in
            "\(fetch["direction"] as? String == "upload" ? "STOR" : "RETR") \(fetch["file"] as? String ?? "")"
        }.sorted()
        #expect(
            theirTransfers == ourTransfers, "\(name): tshark FTP transfers \(theirTransfers), report \(ourTransfers)")

        // FTP 530 and 550 replies are the login-failed and not-found fetches, frame for frame.
        // tshark reads each segment of the control connection alone, so a reply cut across
        // segments is its first segment there and, in the report, the segment that completes
        // it: the fetch is the first one after its command that ends at or after that frame.
        let ftpReplies = try tshark.fields(
            ["ftp.response.code"], file: capture,
            displayFilter: "ip && (ftp.response.code == 530 || ftp.response.code == 550)")
        let supersededReplies = Set(probes.filter(\.transferredLater).map(\.replyFrame))
        for (frame, row) in ftpReplies where repliesEndFetches && !supersededReplies.contains(frame) {
            let code = Int(row.first?.first ?? "")
            let fetch = ours("ftp").filter {
                ($0["firstFrame"] as? Int ?? .max) < frame && ($0["lastFrame"] as? Int ?? 0) >= frame
            }
            .min { ($0["lastFrame"] as? Int ?? 0) < ($1["lastFrame"] as? Int ?? 0) }
            #expect(
                fetch?["statusCode"] as? Int == code,
                "\(name) frame \(frame): tshark FTP \(code.map(String.init) ?? "?") ends no fetch in the report")
            #expect(fetch?["result"] as? String == (code == 530 ? "login-failed" : "not-found"))
        }

        // HTTP: every request is a fetch of its URI; every final response's code is the status
        // of the fetch of that URI, in order. (tshark numbers a request with a body by the frame
        // that completes it, we by its head, so requests are matched by method and URI.)
        let httpRequests = try tshark.fields(
            ["http.request.method", "http.request.uri"], file: capture, displayFilter: "ip && http.request")
        // The report keeps the path, without the query.
        let theirRequests = httpRequests.values.map {
            "\($0[0].first ?? "") \(($0[1].first ?? "").prefix { $0 != "?" })"
        }.sorted()
        let ourRequests = ours("http").map { fetch in
            "\(fetch["direction"] as? String == "upload" ? "PUT" : "GET") \(fetch["file"] as? String ?? "")"
        }.sorted()
        #expect(theirRequests == ourRequests, "\(name): tshark HTTP requests \(theirRequests), report \(ourRequests)")
        let httpResponses = try tshark.fields(
            ["http.response.code", "http.request_in"], file: capture, displayFilter: "ip && http.response.code >= 200")
        var statusesByURI: [String: [Int]] = [:]
        for (_, row) in httpResponses.sorted(by: { $0.key < $1.key }) {
            guard let code = Int(row[0].first ?? ""), let request = Int(row[1].first ?? ""),
                let uri = httpRequests[request]?[1].first
            else { continue }
            statusesByURI[String(uri.prefix { $0 != "?" }), default: []].append(code)
        }
        var ourStatusesByURI: [String: [Int]] = [:]
        for fetch in ours("http").sorted(by: { ($0["firstFrame"] as? Int ?? 0) < ($1["firstFrame"] as? Int ?? 0) }) {
            if let code = fetch["statusCode"] as? Int {
                ourStatusesByURI[fetch["file"] as? String ?? "", default: []].append(code)
            }
        }
        #expect(
            statusesByURI == ourStatusesByURI,
            "\(name): tshark HTTP statuses \(statusesByURI), report \(ourStatusesByURI)")

        // HTTPS: every ClientHello is a fetch with its server name.
        let hellos = try tshark.fields(
            ["tls.handshake.extensions_server_name"], file: capture, displayFilter: "ip && tls.handshake.type == 1")
        let theirNames = hellos.map { "\($0.key) \($0.value[0].first ?? "")" }.sorted()
        let ourNames = ours("https").map { "\($0["firstFrame"] as? Int ?? 0) \($0["serverName"] as? String ?? "")" }
            .sorted()
        #expect(theirNames == ourNames, "\(name): tshark ClientHellos \(theirNames), report \(ourNames)")
    }

    /// The `SIZE`/`MDTM` commands answered 550, and the `SIZE`s answered 213 whose file the
    /// connection did not transfer before, in `capture`, as tshark dissects them: each with its
    /// file, the frame of its reply, and whether the same connection sent a `RETR` (or
    /// `STOR`/`APPE`) of that file after it. A probe is answered by the next final reply
    /// (2xx-5xx) on its connection.
    static func ftpProbes(
        _ capture: URL, tshark: Tshark
    ) throws -> [(file: String, replyFrame: Int, transferredLater: Bool)] {
        let lines = try tshark.fields(
            ["tcp.stream", "ftp.request.command", "ftp.request.arg", "ftp.response.code"], file: capture,
            displayFilter: "ip && ftp")
        // By TCP stream: the file of the probe awaiting its reply, and whether it is a SIZE.
        var waiting: [String: (file: String, isSize: Bool)] = [:]
        var missing: [(stream: String, file: String, replyFrame: Int, found: Bool)] = []
        var transfers: [(stream: String, file: String, frame: Int)] = []
        for (frame, row) in lines.sorted(by: { $0.key < $1.key }) {
            let stream = row[0].first ?? ""
            for (command, argument) in zip(row[1], row[2] + Array(repeating: "", count: row[1].count)) {
                switch command.uppercased() {
                case "SIZE", "MDTM": waiting[stream] = (argument, command.uppercased() == "SIZE")
                case "RETR", "STOR", "APPE": transfers.append((stream, argument, frame))
                default: break
                }
            }
            guard let code = row[3].compactMap({ Int($0) }).first(where: { $0 >= 200 }),
                let (file, isSize) = waiting.removeValue(forKey: stream)
            else { continue }
            if code == 550 { missing.append((stream, file, frame, false)) }
            if code == 213, isSize { missing.append((stream, file, frame, true)) }
        }
        return missing.compactMap { probe in
            let same = transfers.filter { $0.stream == probe.stream && $0.file == probe.file }
            // A size check only when the file is transferred neither before nor after it.
            if probe.found, same.contains(where: { $0.frame < probe.replyFrame }) { return nil }
            return (probe.file, probe.replyFrame, same.contains { $0.frame > probe.replyFrame })
        }
    }

    @Test("a boot server with quote characters: escaped in the table, kept as data in the JSON")
    func quotedBootServer() throws {
        let capture = try #require(Self.captures.first { $0.lastPathComponent == "boot-server-quoted.pcap" })
        let table = try runProgram(PacketsCommandTests.executable, ["analyze", "--no-color", capture.path])
        #expect(table.output.contains(#"  "\"192.0.2.1\"" (66)  "#), "\(table.output)")
        #expect(table.output.contains(#"  boot  "\"192.0.2.1\""  from option 66"#))
        #expect(table.output.contains(#"ERROR boot-server-malformed: option 66 "\"192.0.2.1\"" is not usable"#))
        #expect(!table.output.contains("\"\"192.0.2.1\"\""))
        let phones = try Self.report(capture)["phones"] as? [[String: Any]]
        let bootServer = try #require(phones?.first?["bootServer"] as? [String: Any])
        #expect(bootServer["value"] as? String == "\"192.0.2.1\"")
    }

    @Test("FTP and HTTP in the reference captures agree with tshark")
    func referenceTCP() throws {
        let tshark = try #require(Tshark.locate(), "tshark is needed: apt-get install tshark")
        let files = TestCaptures.referenceFiles.filter { file in
            ["ftp", "http", "tcp"].contains { file.lastPathComponent.contains($0) }
        }
        for capture in files {
            let result = try runProgram(
                PacketsCommandTests.executable,
                ["analyze", "--all-devices", "--fail-on", "never", "--format", "json", capture.path]
            )
            guard result.status == 0 else { continue }  // files libpcap cannot read are the oracle test's business
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            let phones = (document["captures"] as? [[String: Any]])?.first?["phones"] as? [[String: Any]] ?? []
            try Self.checkTCPFetches(
                capture, fetches: phones.flatMap { $0["fetches"] as? [[String: Any]] ?? [] }, tshark: tshark,
                repliesEndFetches: false)
        }
    }

    @Test("--fail-on decides the exit code from the worst finding")
    func failOn() throws {
        let executable = PacketsCommandTests.executable
        func status(_ name: String, _ arguments: [String]) throws -> Int32 {
            let capture = try #require(Self.captures.first { $0.lastPathComponent == name })
            return try runProgram(executable, ["analyze"] + arguments + [capture.path]).status
        }
        // Worst finding: info (the image was still under way when the capture ended).
        #expect(try status("polycom-tftp-boot-cut-mid-record.pcap", []) == 0)
        #expect(try status("polycom-tftp-boot-cut-mid-record.pcap", ["--fail-on", "warning"]) == 0)
        #expect(try status("polycom-tftp-boot-cut-mid-record.pcap", ["--fail-on", "info"]) == 1)
        // Worst finding: warning (a CONFIG_FILES entry never requested), and an info.
        #expect(try status("polycom-tftp-boot.pcap", ["--fail-on", "error"]) == 0)
        #expect(try status("polycom-tftp-boot.pcap", ["--fail-on", "warning"]) == 1)
        // Worst finding: warning (<mac>.cfg missing).
        #expect(try status("polycom-ascii-vlan.pcap", []) == 0)
        #expect(try status("polycom-ascii-vlan.pcap", ["--fail-on", "error"]) == 0)
        #expect(try status("polycom-ascii-vlan.pcap", ["--fail-on", "warning"]) == 1)
        // Worst finding: error (the TFTP server never answers).
        #expect(try status("tftp-no-answer.pcap", []) == 1)
        #expect(try status("tftp-no-answer.pcap", ["--fail-on", "never"]) == 0)
        #expect(try status("tftp-no-answer.pcap", ["--fail-on", "sometimes"]) == 2)
        #expect(try runProgram(executable, ["analyze", "/nonexistent.pcap"]).status == 2)
    }

    @Test("NDJSON carries each phone's plan once, as the JSON report has it")
    func ndjsonPlan() throws {
        let capture = try #require(Self.captures.first { $0.lastPathComponent == "master-config-plan.pcap" })
        let result = try runProgram(
            PacketsCommandTests.executable, ["analyze", "--format", "ndjson", "--fail-on", "never", capture.path])
        let events = try result.output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let plans = events.filter { $0["event"] as? String == "plan" }
        #expect(plans.count == 1)
        let plan = try #require(plans.first?["plan"] as? [String: Any])
        let files = try #require(plan["files"] as? [[String: Any]])
        #expect(
            files.compactMap { $0["file"] as? String } == [
                "3111-46162-001.sip.ld", "site.cfg", "0004f210410a-lines.cfg", "features.cfg",
            ])
        #expect(files.compactMap { $0["result"] as? String } == ["ok", "ok", "not-found", "ok"])
        let phones = try #require(Self.report(capture)["phones"] as? [[String: Any]])
        let reported = try #require(phones.first?["plan"] as? [String: Any])
        func canonical(_ object: [String: Any]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        #expect(try canonical(reported) == canonical(plan))
    }

    @Test("NDJSON is one event per line in capture order, ending with a summary")
    func ndjson() throws {
        let capture = try #require(Self.captures.first { $0.lastPathComponent == "polycom-tftp-boot.pcap" })
        let result = try runProgram(PacketsCommandTests.executable, ["analyze", "--format", "ndjson", capture.path])
        let lines = result.output.split(separator: "\n")
        let events = try lines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let kinds = events.compactMap { $0["event"] as? String }
        #expect(kinds.first == "phone-seen")
        #expect(kinds.last == "summary")
        #expect(kinds.contains("boot-server"))
        #expect(kinds.filter { $0 == "fetch-started" }.count == kinds.filter { $0 == "fetch-finished" }.count)
        // Events raised as packets arrive carry their packet's frame, so they come in frame order.
        let live: Set<String> = ["phone-seen", "dhcp", "boot-server", "fetch-started"]
        let frames = events.filter { live.contains($0["event"] as? String ?? "") }.compactMap { $0["frame"] as? Int }
        #expect(frames.count > 4)
        #expect(frames == frames.sorted())
    }

    @Test("the table is plain text when not on a terminal, coloured never with --no-color")
    func table() throws {
        let capture = try #require(Self.captures.first { $0.lastPathComponent == "polycom-tftp-boot.pcap" })
        let result = try runProgram(PacketsCommandTests.executable, ["analyze", capture.path])
        #expect(!result.output.contains("\u{1B}["))
        #expect(result.output.contains("PHONE"))
        #expect(result.output.contains("00:04:f2:a1:b2:c3"))
        #expect(result.output.contains("VVX 410"))
    }
}
