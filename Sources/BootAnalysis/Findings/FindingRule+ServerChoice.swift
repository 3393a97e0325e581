import WireFormats

// Whether the phone fetched from the boot server DHCP gave it, or from somewhere else (a boot
// server cached in flash or set statically on the phone).

extension FindingRule {
    /// `boot-server-unused`: a usable boot server the phone never contacted. An error when the
    /// capture went on long enough for a first fetch; info, too soon to tell, when it ended
    /// within ``BootAnalyzer/firstFetchWindow`` of the ACK that gave the boot server with no
    /// fetch after that ACK.
    static let bootServerUnused = FindingRule(
        code: .bootServerUnused, severities: [.info, .error],
        summary: "The phone was given a usable boot server and never contacted it."
    ) { record in
        guard let bootServer = record.bootServer, bootServer.problem == nil,
            let address = bootServer.address ?? record.bootServerAddressByName,
            !record.fetches.contains(where: { $0.server == address })
        else { return [] }
        if let ack = record.bootServerACK, let end = record.captureEnd,
            end &- ack.timestamp < BootAnalyzer.firstFetchWindow,
            !record.fetches.contains(where: { $0.firstFrame > ack.frame })
        {
            let window = BootAnalyzer.firstFetchWindow / 1_000_000_000
            return [
                Finding(
                    code: .bootServerUnused, severity: .info,
                    message: """
                        the phone was given boot server \(bootServer.string.shown) (option \(bootServer.option)) \
                        and the capture ended \(seconds(end &- ack.timestamp)) after that ACK with no fetch yet: \
                        too soon to tell whether it uses \(address) (a phone may take up to \(window) s to send its \
                        first request)
                        """,
                    hint: """
                        Nothing to fix from this capture: capture for at least \(window) s after the phone's DHCP \
                        ACK (a longer --duration, or stop watch later) to see where it fetches from.
                        """,
                    frames: [ack.frame]
                )
            ]
        }
        return [
            Finding(
                code: .bootServerUnused, severity: .error,
                message: """
                    the phone was given boot server \(bootServer.string.shown) (option \(bootServer.option)) \
                    but never contacted \(address)
                    """,
                hint: record.fetches.isEmpty
                    ? """
                    The phone may use a boot server cached in flash or a static one \
                    (device.dhcp.bootSrvUseOpt=Static): clear it in the phone's menu or factory-reset it.
                    """
                    : """
                    The phone fetched from elsewhere: it is not using DHCP's value. Clear the cached or static \
                    boot server, or factory-reset the phone.
                    """,
                frames: [bootServer.frame]
            )
        ]
    }

    /// `fetched-from-other-server`: fetches from a server other than DHCP's boot server.
    static let fetchedFromOtherServer = FindingRule(
        code: .fetchedFromOtherServer, severity: .error,
        summary: "The phone fetched files from a server other than the boot server DHCP named (or named none)."
    ) { record in
        let bootServer = record.bootServer
        let bootAddress = bootServer?.address
        // Without a boot server in the ACK, every fetch is from elsewhere; with one named by
        // host name, which address it stands for is not known here.
        let noneNamed = bootServer == nil && record.hasACK
        let elsewhere = record.fetches.filter { fetch in bootAddress.map { fetch.server != $0 } ?? noneNamed }
        guard !elsewhere.isEmpty else { return [] }
        let servers = Set(elsewhere.map(\.server)).sorted().map(\.description).joined(separator: ", ")
        let files = "\(elsewhere.count) file\(plural(elsewhere.count))"
        let named = bootServer.map { "DHCP named \($0.string.shown)" } ?? "DHCP named no boot server"
        return [
            Finding(
                code: .fetchedFromOtherServer, severity: .error,
                message: "the phone fetched \(files) from \(servers); \(named)",
                hint: """
                    The phone is not using DHCP's value: it has a cached or static boot server. Clear it \
                    (Settings > Network > Provisioning Server) or factory-reset the phone.
                    """,
                frames: elsewhere.flatMap { $0.requestFrames.prefix(1) }
            )
        ]
    }
}
