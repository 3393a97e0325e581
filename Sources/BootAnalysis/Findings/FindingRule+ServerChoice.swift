import WireFormats

// Whether the phone fetched from the boot server DHCP gave it, or from somewhere else (a boot
// server cached in flash or set statically on the phone).

extension FindingRule {
    /// `boot-server-unused`: a usable boot server the phone never contacted.
    static let bootServerUnused = FindingRule(
        code: .bootServerUnused, severity: .error,
        summary: "The phone was given a usable boot server and never contacted it."
    ) { record in
        guard let bootServer = record.bootServer, bootServer.problem == nil,
            let address = bootServer.address ?? record.bootServerAddressByName,
            !record.fetches.contains(where: { $0.server == address })
        else { return [] }
        return [
            Finding(
                code: .bootServerUnused, severity: .error,
                message: """
                    the phone was given boot server \(bootServer.string.masked) (option \(bootServer.option)) \
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
        let noneNamed = bootServer == nil && !record.acks.isEmpty
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
