import Foundation
import PhoneBootTestSupport
import Testing

/// Every display filter of the JSON report run through tshark: each must show exactly the
/// frames its phone, DHCP exchange, fetch or finding names (issue 13 item 5).
///
/// What each names is read from the report itself: a finding its `frames`, a DHCP exchange
/// its messages' frames, a fetch the frames of its `conversations` from its `firstFrame` to
/// its `lastFrame` (a frame's conversation taken from its own, outermost IPv4 header, as one
/// tshark pass over the capture gives it), a phone the union of its exchanges and fetches.
@Suite("display filters shown against tshark")
struct DisplayFilterTests {
    static let captures =
        TestCaptures.projectFiles.filter { $0.pathExtension == "pcap" }
        + TestCaptures.malformedFiles.filter { ["pcap", "pcapng"].contains($0.pathExtension) }
        + TestCaptures.referenceFiles

    /// One frame's own IPv4 conversation.
    struct Tuple {
        let source: String
        let destination: String
        /// `udp` or `tcp`.
        let transport: String
        let sourcePort: Int
        let destinationPort: Int
    }

    /// One filter of the report and the frames it must show.
    struct Case {
        let what: String
        let filter: String
        let frames: Set<Int>
    }

    @Test("every display filter shows exactly the frames it names", arguments: Self.captures)
    func filtersShowExactlyTheirFrames(capture: URL) throws {
        let tshark = try #require(Tshark.locate(), "tshark is needed: apt-get install tshark")
        let name = capture.lastPathComponent
        let result = try runProgram(
            PacketsCommandTests.executable,
            ["analyze", "--all-devices", "--fail-on", "never", "--format", "json", capture.path]
        )
        let document = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        let report = try #require((document?["captures"] as? [[String: Any]])?.first, "\(name): \(result.error)")
        let phones = report["phones"] as? [[String: Any]] ?? []
        guard !phones.isEmpty else { return }

        // A damaged file: tshark stops at the damage while the analyzer reads on past it, so
        // only the frames tshark reads are compared.
        let damaged = report["problem"] != nil || report["damage"] != nil
        let readable = damaged ? try tshark.frames(file: capture, displayFilter: "frame").max() ?? 0 : Int.max
        let fetches = phones.flatMap { $0["fetches"] as? [[String: Any]] ?? [] }
        let tuples = fetches.isEmpty ? [:] : try Self.tuples(capture, tshark: tshark)
        var cases: [Case] = []
        for phone in phones {
            let mac = phone["mac"] as? String ?? "?"
            var phoneFrames = Set<Int>()
            for transaction in phone["dhcp"] as? [[String: Any]] ?? [] {
                let frames = Set((transaction["messages"] as? [[String: Any]] ?? []).compactMap { $0["frame"] as? Int })
                phoneFrames.formUnion(frames)
                let filter = try #require(
                    transaction["displayFilter"] as? String, "\(name): \(mac) DHCP exchange without a displayFilter")
                cases.append(Case(what: "\(mac) dhcp \(transaction["xid"] ?? "?")", filter: filter, frames: frames))
            }
            for fetch in phone["fetches"] as? [[String: Any]] ?? [] {
                let what = "\(mac) \(fetch["protocol"] ?? "?") \(fetch["file"] ?? "?")"
                let frames = try Self.named(fetch, tuples: tuples, readable: readable, what: "\(name): \(what)")
                phoneFrames.formUnion(frames)
                let filter = try #require(fetch["displayFilter"] as? String, "\(name): \(what) without a displayFilter")
                cases.append(Case(what: what, filter: filter, frames: frames))
            }
            if let filter = phone["displayFilter"] as? String {
                cases.append(Case(what: mac, filter: filter, frames: phoneFrames))
            } else {
                #expect(phoneFrames.isEmpty, "\(name): \(mac) names frames but has no displayFilter")
            }
            for finding in phone["findings"] as? [[String: Any]] ?? [] {
                let frames = Set(finding["frames"] as? [Int] ?? [])
                let what = "\(mac) finding \(finding["code"] ?? "?")"
                guard let filter = finding["displayFilter"] as? String else {
                    #expect(frames.isEmpty, "\(name): \(what) names frames but has no displayFilter")
                    continue
                }
                cases.append(Case(what: what, filter: filter, frames: frames))
            }
        }

        // Each filter run once (a phone with one part has that part's filter).
        var results: [String: Set<Int>] = [:]
        for test in cases {
            let shown = try results[test.filter] ?? tshark.frames(file: capture, displayFilter: test.filter)
            results[test.filter] = shown
            let named = test.frames.filter { $0 <= readable }
            #expect(
                shown == named,
                """
                \(name): \(test.what): `\(test.filter)` shows \(shown.count) frames, names \(named.count); \
                shown and not named \(shown.subtracting(named).sorted().prefix(10)), \
                named and not shown \(named.subtracting(shown).sorted().prefix(10))
                """
            )
        }
    }

    /// The frames a fetch names: those of its conversations from its first to its last frame.
    /// Its first, last and request frames must be among them, or its conversations are wrong
    /// (those tshark reads: up to `readable`).
    static func named(_ fetch: [String: Any], tuples: [Int: Tuple], readable: Int, what: String) throws -> Set<Int> {
        let first = try #require(fetch["firstFrame"] as? Int, "\(what): no firstFrame")
        let last = try #require(fetch["lastFrame"] as? Int, "\(what): no lastFrame")
        let conversations = fetch["conversations"] as? [[String: Any]] ?? []
        #expect(!conversations.isEmpty, "\(what): no conversations")
        var frames = Set<Int>()
        for (frame, tuple) in tuples where frame >= first && frame <= last {
            if conversations.contains(where: { Self.carries($0, tuple) }) { frames.insert(frame) }
        }
        let anchors = Set([first, last] + (fetch["requestFrames"] as? [Int] ?? [])).filter { $0 <= readable }
        #expect(
            anchors.isSubset(of: frames),
            "\(what): frames \(anchors.subtracting(frames).sorted().prefix(10)) are not in its conversations \(conversations)"
        )
        return frames
    }

    /// Whether `tuple` belongs to `conversation` (see `FetchConversation`): its two addresses
    /// are the client and the server, its transport is the conversation's, one of its ports is
    /// the client port (when known) and one is among the server ports (when known).
    static func carries(_ conversation: [String: Any], _ tuple: Tuple) -> Bool {
        guard let client = conversation["client"] as? String, let server = conversation["server"] as? String,
            conversation["transport"] as? String == tuple.transport
        else { return false }
        let hosts = [tuple.source, tuple.destination]
        guard hosts.sorted() == [client, server].sorted() else { return false }
        let ports = [tuple.sourcePort, tuple.destinationPort]
        if let port = conversation["clientPort"] as? Int, !ports.contains(port) { return false }
        let serverPorts = conversation["serverPorts"] as? [Int] ?? []
        return serverPorts.isEmpty || ports.contains(where: serverPorts.contains)
    }

    /// Every UDP and TCP frame's own conversation, from the outermost IPv4 header (an ICMP
    /// error's quoted header, a tunnel's inner one are not the frame's own).
    static func tuples(_ capture: URL, tshark: Tshark) throws -> [Int: Tuple] {
        let rows = try tshark.fields(
            ["ip.src", "ip.dst", "ip.proto", "udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport"],
            file: capture, displayFilter: "ip"
        )
        var tuples: [Int: Tuple] = [:]
        for (frame, row) in rows {
            let first = row.map(\.first)
            guard let source = first[0], let destination = first[1], let proto = first[2] else { continue }
            let (transport, ports): (String, ArraySlice<String?>) =
                switch proto {
                case "17": ("udp", first[3...4])
                case "6": ("tcp", first[5...6])
                default: ("", [])
                }
            guard ports.count == 2, let sourcePort = ports.first.flatMap({ $0 }).flatMap({ Int($0) }),
                let destinationPort = ports.last.flatMap({ $0 }).flatMap({ Int($0) })
            else { continue }
            tuples[frame] = Tuple(
                source: source, destination: destination, transport: transport, sourcePort: sourcePort,
                destinationPort: destinationPort)
        }
        return tuples
    }
}

/// Where the filters appear besides the JSON report: the table with `--filters`, NDJSON
/// findings, and not at all for several files read as one capture.
@Suite("display filters in the table and NDJSON")
struct DisplayFilterOutputTests {
    static let boot = TestCaptures.projectDirectory.appendingPathComponent("polycom-tftp-boot.pcap")

    static func analyze(_ arguments: [String]) throws -> String {
        try runProgram(PacketsCommandTests.executable, ["analyze", "--fail-on", "never"] + arguments).output
    }

    @Test("--filters puts each JSON filter under its line of the table; without it there are none")
    func tableShowsFiltersOnlyWhenAsked() throws {
        let json = try JSONSerialization.jsonObject(
            with: Data(Self.analyze(["--format", "json", Self.boot.path]).utf8))
        let phone = try #require(((json as? [String: Any])?["captures"] as? [[String: Any]])?.first?["phones"])
        let record = try #require((phone as? [[String: Any]])?.first)
        var filters = [record["displayFilter"] as? String]
        filters += (record["dhcp"] as? [[String: Any]] ?? []).map { $0["displayFilter"] as? String }
        filters += (record["fetches"] as? [[String: Any]] ?? []).map { $0["displayFilter"] as? String }
        filters += (record["findings"] as? [[String: Any]] ?? []).map { $0["displayFilter"] as? String }
        // The phone, one DHCP exchange, four fetches, two findings (file-not-found, and
        // config-file-skipped: its master file names phone1.cfg, never asked for).
        #expect(filters.count == 8)
        let table = try Self.analyze(["--filters", Self.boot.path])
        let shown = table.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            return trimmed.hasPrefix("filter: ") ? String(trimmed.dropFirst("filter: ".count)) : nil
        }
        #expect(shown == filters.compactMap { $0 })
        #expect(shown.contains("frame.number in {1190..1191}"))
        #expect(!(try Self.analyze([Self.boot.path])).contains("filter: "))
    }

    @Test("NDJSON finding events carry the finding's display filter")
    func ndjsonFindingsCarryFilters() throws {
        let lines = try Self.analyze(["--format", "ndjson", Self.boot.path]).split(separator: "\n")
        let findings = lines.compactMap { line -> [String: Any]? in
            let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return event?["event"] as? String == "finding" ? event?["finding"] as? [String: Any] : nil
        }
        // file-not-found and config-file-skipped, each with exactly its frames.
        #expect(findings.count == 2)
        #expect(
            findings.compactMap { $0["displayFilter"] as? String }.sorted() == [
                "frame.number in {1190..1191}", "frame.number in {5, 9, 1190}",
            ])
    }

    @Test("several files read as one capture have no display filter, and the table says why")
    func mergedCaptureHasNoFilters() throws {
        let parts = try PcapFileSplit.ring(Self.boot, every: 400)
        defer { try? FileManager.default.removeItem(at: parts[0].deletingLastPathComponent()) }
        let json = try Self.analyze(["--format", "json"] + parts.map(\.path))
        #expect(json.contains("\"frames\""))
        #expect(!json.contains("displayFilter"))
        let table = try Self.analyze(["--filters"] + parts.map(\.path))
        #expect(table.contains("no display filters: frame numbers are the merged capture's"))
        #expect(!table.contains("filter: "))
        let separate = try Self.analyze(["--format", "json", "--separate"] + parts.map(\.path))
        #expect(separate.contains("displayFilter"))
    }
}
