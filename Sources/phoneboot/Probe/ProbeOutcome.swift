import BootAnalysis
import PacketCapture
import WireFormats

/// What a probe's frames say: numbered in time order as a capture of them would be, run
/// through the same pipeline as `analyze`, with the servers that answered.
struct ProbeOutcome {
    /// The DHCP frames in capture order (frame N is `frames[N - 1]`).
    let frames: [ProbeSession.Frame]
    /// With `--fetch`: what it did, and its frames, numbered after the DHCP frames.
    let fetch: ProbeFetchSession?
    let servers: [ProbedServer]
    let report: BootReport
    let finalEvents: [BootEvent]
    let summary: CaptureSummary
    /// The findings of the analyzer's record of the probe's MAC, each with the recipe for
    /// the server it is about, when one is known.
    let findings: [(finding: Finding, recipe: FixRecipe?)]
    /// Per server: the recipe for each problem its offer would give a phone.
    let serverRecipes: [IPv4Address: [(code: Finding.Code, recipe: FixRecipe?)]]

    init(
        session: ProbeSession, fetch: ProbeFetchSession? = nil, options: BootAnalyzer.Options,
        serverKind: DHCPServerKind?
    ) {
        let frames = session.frames.enumerated().sorted {
            ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset)
        }.map(\.element)
        self.frames = frames
        self.fetch = fetch
        var pipeline = CapturePipeline(linkType: .ethernet, options: options)
        var summary = CaptureSummary()
        summary.linkTypeName = "EN10MB"
        let all = frames.map { (timestamp: $0.timestamp, bytes: $0.bytes) } + (fetch?.frames ?? [])
        for (index, frame) in all.enumerated() {
            if index == frames.count, let local = fetch?.outcome.localAddress {
                // The fetch left from this host's address on the phone's behalf.
                pipeline.attribute(local, to: session.request.mac, frame: index + 1)
            }
            let header = FrameHeader(
                number: index + 1, timestamp: frame.timestamp, capturedLength: frame.bytes.count,
                originalLength: frame.bytes.count)
            _ = pipeline.consume(header, bytes: frame.bytes.span)
        }
        let (report, events) = pipeline.finish(summary: &summary)
        self.report = report
        self.finalEvents = events
        self.summary = summary

        var servers: [ProbedServer] = []
        let requested = session.request.parameterRequestList
        for (index, frame) in frames.enumerated() where !frame.sent {
            let id = frame.message.options.serverIdentifier ?? frame.sourceAddress
            if let known = servers.firstIndex(where: { $0.identifier == id }) {
                servers[known].frames.append(index + 1)
            } else if frame.message.messageType == .offer {
                servers.append(
                    ProbedServer(
                        offer: frame.message, mac: frame.source, destination: frame.destination,
                        source: frame.sourceAddress, frame: index + 1, requested: requested))
            }
        }
        self.servers = servers

        // The value a recipe gives: a usable 160 another server already sends (so that the
        // scopes agree), else the server's own value made usable. Passwords stay masked.
        let good = servers.first { $0.problems.isEmpty && $0.option160 != nil }
        var perServer: [IPv4Address: [(code: Finding.Code, recipe: FixRecipe?)]] = [:]
        for server in servers {
            let kind = serverKind ?? server.guess.kind
            let value = good?.option160?.masked ?? Self.usableValue(of: server)
            perServer[server.identifier] = server.problems.map { code in
                (
                    code,
                    FixRecipe.recipe(
                        for: code, server: kind, bootServer: value, serverAddress: server.identifier.description)
                )
            }
        }
        self.serverRecipes = perServer

        // The analyzer's findings on the probe's phone record, with a recipe for the server
        // each is about: the server that sent the ACK, or for several servers, the one whose
        // offer would leave the phone without a usable boot server.
        let record = report.phones.first { $0.mac == session.request.mac }
        let ackServer = frames.last { $0.isAnswerToRequest }.flatMap { $0.message.options.serverIdentifier }
        let rogue = servers.first { !$0.problems.isEmpty && $0.identifier != good?.identifier }
        let httpsFindings = Self.httpsFindings(fetch, record: record)
        self.findings = ((record?.findings ?? []) + httpsFindings).map { finding in
            let target: ProbedServer? =
                finding.code == .severalDHCPServers
                ? rogue : servers.first { $0.identifier == ackServer }
            guard let target else { return (finding, nil) }
            let value = good?.option160?.masked ?? Self.usableValue(of: target)
            let recipe = FixRecipe.recipe(
                for: finding.code, server: serverKind ?? target.guess.kind, bootServer: value,
                serverAddress: target.identifier.description)
            return (finding, recipe)
        }
    }

    /// Over HTTPS the capture holds only encrypted bytes: the analyzer sees each request's
    /// connection, not its file. The files a size check found missing are findings from the
    /// probe's own requests, each with the frames of its connection (one connection a request,
    /// in order), worded as `analyze` words them.
    static func httpsFindings(_ fetch: ProbeFetchSession?, record: PhoneRecord?) -> [Finding] {
        guard let outcome = fetch?.outcome, outcome.fetchProtocol == "https", let master = outcome.master?.file
        else { return [] }
        let connections = record?.fetches.filter { $0.fetchProtocol == .https } ?? []
        var findings: [Finding] = []
        for (index, step) in outcome.steps.enumerated() {
            guard step.request == .size, case .notFound(let reason) = step.outcome,
                let named = outcome.namedBy[step.file]
            else { continue }
            let frames =
                index < connections.count
                ? Array(Set([connections[index].firstFrame, connections[index].lastFrame])).sorted() : []
            let server = outcome.server?.description ?? outcome.bootServer?.host ?? "the boot server"
            if named.role == .config {
                findings.append(
                    Finding(
                        code: .configFileMissing, severity: .error,
                        message: """
                            \(named.file), named in \(named.attribute) of \(master), was not found on \(server) \
                            (HTTPS \(reason), from the probe's own request); the phone runs without the settings it holds
                            """,
                        hint: """
                            Put \(named.file) in the boot server's directory (mind the case of the name), or remove it \
                            from CONFIG_FILES if it is no longer used.
                            """, frames: frames))
            }
        }
        return findings
    }

    /// Every frame, numbered from 1 as a capture of them would be: the DHCP exchange, then the
    /// fetch's.
    var allFrames: [(timestamp: Timestamp, bytes: [UInt8])] {
        self.frames.map { ($0.timestamp, $0.bytes) } + (self.fetch?.frames ?? [])
    }

    /// The worst severity: of the analyzer's findings and of what each offer would give a phone.
    var worstSeverity: Finding.Severity? {
        var all = self.servers.flatMap(\.problems).map(Self.severity(of:))
        if let worst = self.report.worstSeverity { all.append(worst) }
        all += self.findings.map(\.finding.severity)
        return all.max()
    }

    /// The severity `analyze` gives a finding with `code` on an ACK.
    static func severity(of code: Finding.Code) -> Finding.Severity {
        switch code {
        case .noBootServer, .bootServerMalformed: .error
        case .severalDHCPServers: .warning
        default: .info
        }
    }

    /// The server's own boot server made usable as option 160 (quotes removed; a bare host in
    /// 66 as the TFTP URL it names), password masked; `nil` when nothing usable is left.
    static func usableValue(of server: ProbedServer) -> String? {
        if let value = server.option160?.withoutQuoteCharacters, value.problem == nil { return value.masked }
        if let value = server.option66?.withoutQuoteCharacters, value.problem == nil {
            return value.scheme == nil ? "tftp://\(value.masked)" : value.masked
        }
        return nil
    }
}
