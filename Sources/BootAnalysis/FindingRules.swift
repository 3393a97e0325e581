import WireFormats

/// The rules that turn a phone's record into findings (DESIGN §4, polycom-boot.md §7).
enum FindingRules {
    static func findings(for record: PhoneRecord) -> [Finding] {
        var findings: [Finding] = []
        findings += self.dhcpFindings(record)
        findings += self.bootServerFindings(record)
        findings += self.fetchFindings(record)
        if !record.malformed.isEmpty {
            let reasons = record.malformed.prefix(3).map { "frame \($0.frame): \($0.reason)" }.joined(separator: "; ")
            let snapped = record.malformed.allSatisfy { $0.snapped != nil }
            findings.append(Finding(
                code: .malformedPacket, severity: .warning,
                message: "\(record.malformed.count) DHCP/TFTP packet\(plural(record.malformed.count)) to or from this phone could not be decoded (\(reasons))",
                hint: snapped
                    ? "The capture kept only the start of these frames: capture again with the whole frame (tcpdump -s 0, dumpcap without -s)."
                    : "Check for a faulty NIC, switch or relay on the path; open the frames in Wireshark to see the bytes.",
                frames: record.malformed.map(\.frame)
            ))
        }
        return findings.sorted { ($0.frames.first ?? 0, $0.code.rawValue) < ($1.frames.first ?? 0, $1.code.rawValue) }
    }

    // MARK: - DHCP

    private static func dhcpFindings(_ record: PhoneRecord) -> [Finding] {
        var findings: [Finding] = []
        for transaction in record.transactions where !transaction.requests.isEmpty && !transaction.answered {
            let kinds = Set(transaction.requests.compactMap { $0.type?.description }).sorted().joined(separator: "/")
            findings.append(Finding(
                code: .noDHCPAnswer, severity: .error,
                message: "\(transaction.requests.count) \(kinds) (xid 0x\(hexString(transaction.transactionID))) got no OFFER or ACK",
                hint: "No DHCP server answered on this VLAN: check the DHCP scope, the relay (ip helper-address) and that the phone is on the VLAN you expect.",
                frames: transaction.requests.map(\.frame)
            ))
        }
        let naks = record.transactions.flatMap(\.naks)
        if !naks.isEmpty {
            findings.append(Finding(
                code: .dhcpNAK, severity: .warning,
                message: "the DHCP server refused the phone's request (NAK) \(naks.count) time\(plural(naks.count))",
                hint: "The phone asked for an address the server will not give (moved VLAN, lease from another scope); it will start over with DISCOVER.",
                frames: naks.map(\.frame)
            ))
        }
        let offers = record.transactions.flatMap(\.offers)
        let servers = Set(offers.compactMap(\.server))
        if servers.count > 1 {
            let described = servers.sorted().map { server in
                let offer = offers.first { $0.server == server }
                let boot = offer.flatMap { offer in
                    offer.option160.map { "160 \(BootServerString($0).masked)" } ?? offer.option66.map { "66 \(BootServerString($0).masked)" }
                }
                return "\(server) (\(boot ?? "no boot server"))"
            }
            let chosen = record.transactions.flatMap(\.acks).last?.server.map { "; the phone took the lease from \($0)" } ?? ""
            findings.append(Finding(
                code: .severalDHCPServers, severity: .warning,
                message: "offers came from \(servers.count) DHCP servers: \(described.joined(separator: ", "))\(chosen)",
                hint: "Only one server should answer on a phone VLAN: find the rogue one (option 54 names it) or make the scopes agree on 66/160.",
                frames: offers.map(\.frame)
            ))
        }
        return findings
    }

    // MARK: - Boot server

    private static func bootServerFindings(_ record: PhoneRecord) -> [Finding] {
        var findings: [Finding] = []
        let acks = record.transactions.flatMap(\.acks)
        guard !acks.isEmpty else { return findings }
        guard let bootServer = record.bootServer, let ack = acks.last(where: { $0.frame == bootServer.frame }) else {
            findings.append(Finding(
                code: .noBootServer, severity: .error,
                message: "the DHCP ACK carries no boot server (none of options 160, 66, 150)",
                hint: "Add option 160 (or 66) to the phone scope, e.g. 160 = \"ftp://PlcmSpIp:PlcmSpIp@<server>\"; without it the phone sends DHCPINFORM or uses the server cached in its flash.",
                frames: acks.map(\.frame)
            ))
            return findings
        }
        if let problem = bootServer.problem {
            // The fallback the phone would try next is empty as well (160 and 66 both sent
            // with length 0): say so, or the fix looks like "remove 160".
            let alsoEmpty = bootServer.option == .polycomBootServer && ack.option66?.isEmpty == true ? "; option 66 is empty too" : ""
            findings.append(Finding(
                code: .bootServerMalformed, severity: .error,
                message: "option \(bootServer.option) \"\(bootServer.string.masked)\" is not usable: \(problem)\(alsoEmpty)",
                hint: "Send a plain address, host name or URL as a string, e.g. tftp://192.0.2.10 or http://prov.example.com/phones (no spaces, no escapes).",
                frames: [ack.frame]
            ))
        }
        if ack.option66 != nil && ack.option160 == nil {
            findings.append(Finding(
                code: .option66Only, severity: .info,
                message: "only option 66 (\"\(BootServerString(ack.option66 ?? "").masked)\") is given; Polycom phones read it because 160 is absent",
                hint: "If 66 is meant for other devices (Cisco phones, PXE), give the phones option 160 so they do not follow it.",
                frames: [ack.frame]
            ))
        }
        if let value160 = ack.option160, let value66 = ack.option66 {
            let one = BootServerString(value160)
            let other = BootServerString(value66)
            if one.host.lowercased() != other.host.lowercased() {
                findings.append(Finding(
                    code: .bootServerConflict, severity: .warning,
                    message: "option 160 names \(one.host) but option 66 names \(other.host); the phone follows 160",
                    hint: "Make 66 and 160 name the same server, or drop 66 from the phone scope if it belongs to other devices.",
                    frames: [ack.frame]
                ))
            }
        }
        let requested = Set(record.transactions.compactMap(\.parameterRequestList).flatMap { $0 })
        if !requested.isEmpty {
            var unasked: [String] = []
            if ack.option160 != nil, !requested.contains(.polycomBootServer) { unasked.append("160") }
            if ack.option66 != nil, !requested.contains(.tftpServerName) { unasked.append("66") }
            if ack.option150 != nil, !requested.contains(.tftpServerAddress) { unasked.append("150") }
            if !unasked.isEmpty {
                findings.append(Finding(
                    code: .bootServerNotRequested, severity: .info,
                    message: "option \(unasked.joined(separator: " and ")) was sent though the phone did not ask for it",
                    hint: "A phone that does not list an option may ignore it: check the phone's boot-server setting (Custom option number, Option 66).",
                    frames: [ack.frame]
                ))
            }
        }
        return findings
    }

    // MARK: - Fetches

    private static func fetchFindings(_ record: PhoneRecord) -> [Finding] {
        var findings: [Finding] = []
        let fetches = record.fetches
        let bootServer = record.bootServer
        let bootAddress = bootServer?.address

        if let bootServer, bootServer.problem == nil, let address = bootAddress ?? Self.addressByName(bootServer, fetches),
           !fetches.contains(where: { $0.server == address })
        {
            findings.append(Finding(
                code: .bootServerUnused, severity: .error,
                message: "the phone was given boot server \(bootServer.string.masked) (option \(bootServer.option)) but never contacted \(address)",
                hint: fetches.isEmpty
                    ? "The phone may use a boot server cached in flash or a static one (device.dhcp.bootSrvUseOpt=Static): clear it in the phone's menu or factory-reset it."
                    : "The phone fetched from elsewhere: it is not using DHCP's value. Clear the cached or static boot server, or factory-reset the phone.",
                frames: [bootServer.frame]
            ))
        }
        let elsewhere = fetches.filter { fetch in bootAddress.map { fetch.server != $0 } ?? (bootServer == nil && !record.transactions.flatMap(\.acks).isEmpty) }
        if !elsewhere.isEmpty {
            let servers = Set(elsewhere.map(\.server)).sorted().map(\.description).joined(separator: ", ")
            let named = bootServer.map { "DHCP named \($0.string.masked)" } ?? "DHCP named no boot server"
            findings.append(Finding(
                code: .fetchedFromOtherServer, severity: .error,
                message: "the phone fetched \(elsewhere.count) file\(plural(elsewhere.count)) from \(servers); \(named)",
                hint: "The phone is not using DHCP's value: it has a cached or static boot server. Clear it (Settings > Network > Provisioning Server) or factory-reset the phone.",
                frames: elsewhere.flatMap { $0.requestFrames.prefix(1) }
            ))
        }

        let macConfigs = fetches.filter { PolycomCatalogue.fileKind($0.file, mac: record.mac) == .macConfig }
        let defaultConfigs = fetches.filter { PolycomCatalogue.fileKind($0.file, mac: record.mac) == .defaultConfig }
        for fetch in macConfigs where fetch.result == .notFound {
            findings.append(Finding(
                code: .macConfigMissing, severity: .warning,
                message: "\(fetch.file) was not found on \(fetch.server); the phone falls back to 000000000000.cfg",
                hint: "Create \(record.mac.compactHex).cfg (lowercase, no separators) on the boot server if this phone needs its own settings.",
                frames: [fetch.requestFrames.first, fetch.errorFrame].compactMap { $0 }
            ))
        }
        let masterAttempts = macConfigs + defaultConfigs
        // For servers that answered "no such file" (or "not yours"); a refused login, a failed
        // TLS handshake or a silent server have findings of their own.
        if !masterAttempts.isEmpty && !masterAttempts.contains(where: { $0.result == .ok })
            && masterAttempts.contains(where: { $0.result == .notFound || $0.result == .accessDenied }) {
            findings.append(Finding(
                code: .noMasterConfig, severity: .error,
                message: "no master configuration could be fetched (\(masterAttempts.map { "\($0.file): \($0.result.rawValue)" }.joined(separator: ", ")))",
                hint: "Put 000000000000.cfg (or <mac>.cfg) in the boot server's root, readable by the phone's account.",
                frames: masterAttempts.flatMap { [$0.requestFrames.first, $0.errorFrame].compactMap { $0 } }
            ))
        }
        for fetch in fetches {
            let kind = PolycomCatalogue.fileKind(fetch.file, mac: record.mac)
            let frames = [fetch.requestFrames.first, fetch.errorFrame].compactMap { $0 }
            switch fetch.result {
            case .notFound where kind == .application:
                findings.append(Finding(
                    code: .applicationMissing, severity: .error,
                    message: "the application image \(fetch.file) was not found on \(fetch.server)",
                    hint: "Copy the firmware (\(fetch.file)) to the boot server, or fix APP_FILE_PATH in the master configuration.",
                    frames: frames
                ))
            case .notFound where kind == .optional:
                findings.append(Finding(
                    code: .fileNotFound, severity: .info,
                    message: "\(fetch.file) was not found on \(fetch.server); the phone asks for it on every boot and carries on without it",
                    hint: "Nothing to do unless this phone should have its own \(fetch.file).",
                    frames: frames
                ))
            case .notFound where kind != .macConfig && kind != .defaultConfig:
                findings.append(Finding(
                    code: .fileNotFound, severity: .warning,
                    message: "\(fetch.file) was not found on \(fetch.server)",
                    hint: "Create the file, or remove it from CONFIG_FILES / the master configuration if it is not needed.",
                    frames: frames
                ))
            case .accessDenied, .error:
                let protocolName = fetch.fetchProtocol.displayName
                let what = fetch.file.isEmpty ? "the connection to \(fetch.server)" : "\(fetch.file) from \(fetch.server)"
                let reason = fetch.errorCode.map { "\(protocolName) \(fetch.fetchProtocol.errorCodePrefix)\($0)" } ?? protocolName
                let hint = switch (fetch.fetchProtocol, fetch.result) {
                case (.tftp, .accessDenied): "Make the file readable by the TFTP server (permissions, --tftp-secure ownership)."
                case (_, .accessDenied): "Give the phone's account read (and, for uploads, write) permission on the file."
                case (_, _) where fetch.file.isEmpty: "Check that the \(protocolName) server runs on \(fetch.server) and accepts connections from the phones."
                default: "Check the \(protocolName) server's log for the reason."
                }
                findings.append(Finding(
                    code: .transferError, severity: .error,
                    message: "\(what) failed: \(reason)\(fetch.errorMessage.map { " \"\($0)\"" } ?? "")",
                    hint: hint,
                    frames: frames
                ))
            case .loginFailed:
                let user = fetch.user.map { " as \($0)" } ?? ""
                findings.append(Finding(
                    code: .loginFailed, severity: .error,
                    message: fetch.file.isEmpty
                        ? "the \(fetch.fetchProtocol.displayName) login\(user) on \(fetch.server) was refused (\(fetch.errorCode.map(String.init) ?? "?") \(fetch.errorMessage ?? ""))"
                        : "\(fetch.file) on \(fetch.server) was refused for lack of credentials\(user) (\(fetch.errorMessage ?? "?"))",
                    hint: "Make the user and password in the boot-server URL (option 160/66) match an account on the server; Polycom's factory default is PlcmSpIp/PlcmSpIp.",
                    frames: frames
                ))
            case .tlsFailed:
                findings.append(Finding(
                    code: .tlsFailed, severity: .error,
                    message: "the TLS handshake with \(fetch.serverName ?? fetch.server.description) failed: \(fetch.errorMessage ?? "no reason seen")",
                    hint: "An unknown_ca or bad_certificate alert from the phone means it does not trust the server's certificate: add the issuing CA to the phone as a custom certificate, or use a certificate from a widely recognised CA; handshake_failure points at a cipher or protocol version mismatch.",
                    frames: frames
                ))
            case .incomplete:
                let how = switch (fetch.fetchProtocol, fetch.direction) {
                case (.tftp, .read): "no last block"
                case (.tftp, .upload): "upload not acknowledged"
                default: fetch.errorMessage ?? "the connection ended early"
                }
                findings.append(Finding(
                    code: .transferIncomplete, severity: .error,
                    message: "\(fetch.file.isEmpty ? "the connection to \(fetch.server)" : fetch.file) from \(fetch.server) stopped after \(fetch.bytes) bytes (\(how))",
                    hint: fetch.fetchProtocol == .tftp
                        ? "Look for loss or a firewall timing out the UDP flow between phone and server; a smaller blksize can help across a lossy path."
                        : "Look for loss, a reset or a proxy/firewall cutting the TCP connection between phone and server (or a capture that stopped too soon).",
                    frames: [fetch.firstFrame, fetch.lastFrame]
                ))
            default:
                break
            }
        }
        let unanswered = fetches.filter { $0.result == .noAnswer }
        for server in Set(unanswered.map(\.server)).sorted() {
            let requests = unanswered.filter { $0.server == server }
            let protocols = Set(requests.map(\.fetchProtocol)).sorted { $0.rawValue < $1.rawValue }
            let files = requests.map { $0.file.isEmpty ? "\($0.fetchProtocol) connection" : $0.file }
            let ports = protocols.map { fetchProtocol in
                switch fetchProtocol {
                case .tftp: "a TFTP server runs on \(server) and that UDP 69 and the return ports are"
                case .ftp: "an FTP server listens on \(server) port 21 and that it and the passive data ports are"
                case .http, .https:
                    "a web server listens on \(server) (port \(requests.first { $0.fetchProtocol == fetchProtocol }?.serverPort.map(String.init) ?? "80")) and is"
                }
            }
            findings.append(Finding(
                code: .noServerAnswer, severity: .error,
                message: "\(requests.count) request\(plural(requests.count)) to \(server) (\(files.joined(separator: ", "))) got no answer at all",
                hint: "Check that \(ports.joined(separator: "; that ")) not filtered between the phone and it.",
                frames: requests.flatMap(\.requestFrames)
            ))
        }
        return findings
    }

    /// For a boot server named by host name: the address the phone reached it at, known from
    /// an HTTP `Host` or a TLS server name equal to that name.
    private static func addressByName(_ bootServer: BootServer, _ fetches: [Fetch]) -> IPv4Address? {
        let host = bootServer.string.host.lowercased()
        guard !host.isEmpty else { return nil }
        return fetches.first { fetch in
            guard let name = fetch.serverName?.lowercased() else { return false }
            return name == host || name.hasPrefix(host + ":")
        }?.server
    }
}

private func plural(_ count: Int) -> String { count == 1 ? "" : "s" }
