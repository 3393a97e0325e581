import WireFormats

// The boot server the ACK gave the phone (options 160, 66, 150): missing, unusable, ambiguous
// or not asked for. Apart from `no-boot-server`, these look only at the ACK that carried it.

extension FindingRule {
    /// `no-boot-server`: an ACK without a boot server.
    static let noBootServer = FindingRule(
        code: .noBootServer, severity: .error,
        summary: "The phone got a lease but no boot server (none of options 160, 66, 150)."
    ) { record in
        guard record.hasACK, record.bootServerACK == nil else { return [] }
        let acks = record.acks
        return [
            Finding(
                code: .noBootServer, severity: .error,
                message: "the DHCP ACK carries no boot server (none of options 160, 66, 150)",
                hint: """
                    Add option 160 (or 66) to the phone scope, e.g. 160 = "ftp://PlcmSpIp:PlcmSpIp@<server>"; \
                    without it the phone sends DHCPINFORM or uses the server cached in its flash.
                    """,
                frames: acks.map(\.frame)
            )
        ]
    }

    /// `boot-server-malformed`: a boot server a phone cannot use. The value is shown escaped
    /// (``BootServerString/quoted``), so that quote characters it carries itself, a DHCP
    /// server's quoting sent as data (dhcp-server-recipes.md B.14), are told apart from the
    /// quotes around it, and the hint then says how that quoting goes wrong.
    static let bootServerMalformed = FindingRule(
        code: .bootServerMalformed, severity: .error,
        summary: "The boot server in the ACK is not a value a phone can use (empty, quotes, spaces, escapes...)."
    ) { record in
        guard let bootServer = record.bootServer, let ack = record.bootServerACK, let problem = bootServer.problem
        else { return [] }
        // The fallback the phone would try next is empty as well (160 and 66 both sent
        // with length 0): say so, or the fix looks like "remove 160".
        let fallbackEmpty = bootServer.option == .polycomBootServer && ack.option66?.isEmpty == true
        let alsoEmpty = fallbackEmpty ? "; option 66 is empty too" : ""
        let string = bootServer.string
        let quoting =
            string.hasQuoteCharacters && bootServer.problem == string.problem
            ? " (a known DHCP-server quoting mistake: the configuration's quotes were sent as data)" : ""
        return [
            Finding(
                code: .bootServerMalformed, severity: .error,
                message: """
                    option \(bootServer.option) \(string.quoted) is not usable: \(problem)\(quoting)\(alsoEmpty)
                    """,
                hint: quoting.isEmpty
                    ? """
                    Send a plain address, host name or URL as a string, e.g. tftp://192.0.2.10 or \
                    http://prov.example.com/phones (no spaces, no escapes).
                    """
                    : """
                    Send \(string.withoutQuoteCharacters.shown) without the quote characters. dnsmasq removes \
                    quotes only in a configuration file (dhcp-option=\(bootServer.option.rawValue),\
                    \(string.withoutQuoteCharacters.quoted) in dnsmasq.conf); given on its command line, they are \
                    sent as data. In a GUI's string field \
                    (Windows DHCP, pfSense type Text) type the value without quotes.
                    """,
                frames: [ack.frame]
            )
        ]
    }

    /// `option-66-only`: option 66 without 160, which Polycom phones then follow.
    static let option66Only = FindingRule(
        code: .option66Only, severity: .info,
        summary: "The ACK gives option 66 but not 160, so Polycom phones follow 66."
    ) { record in
        guard let ack = record.bootServerACK, let value66 = ack.option66, ack.option160 == nil else { return [] }
        return [
            Finding(
                code: .option66Only, severity: .info,
                message: """
                    only option 66 (\(BootServerString(value66).quoted)) is given; \
                    Polycom phones read it because 160 is absent
                    """,
                hint: """
                    If 66 is meant for other devices (Cisco phones, PXE), give the phones option 160 so they do \
                    not follow it.
                    """,
                frames: [ack.frame]
            )
        ]
    }

    /// `boot-server-conflict`: options 160 and 66 name different hosts.
    static let bootServerConflict = FindingRule(
        code: .bootServerConflict, severity: .warning,
        summary: "Options 160 and 66 in the ACK name different hosts."
    ) { record in
        guard let ack = record.bootServerACK, let value160 = ack.option160, let value66 = ack.option66 else {
            return []
        }
        let one = BootServerString(value160)
        let other = BootServerString(value66)
        guard one.host.lowercased() != other.host.lowercased() else { return [] }
        return [
            Finding(
                code: .bootServerConflict, severity: .warning,
                message: "option 160 names \(one.host) but option 66 names \(other.host); the phone follows 160",
                hint: """
                    Make 66 and 160 name the same server, or drop 66 from the phone scope if it belongs to other \
                    devices.
                    """,
                frames: [ack.frame]
            )
        ]
    }

    /// `boot-server-not-requested`: a boot option the phone's parameter request list lacks.
    static let bootServerNotRequested = FindingRule(
        code: .bootServerNotRequested, severity: .info,
        summary: "The ACK sends a boot option (160, 66, 150) that the phone's parameter request list lacks."
    ) { record in
        guard let ack = record.bootServerACK else { return [] }
        var requested = DHCPOptionCodeSet()
        for transaction in record.transactions {
            for code in transaction.parameterRequestList ?? [] { requested.insert(code) }
        }
        guard !requested.isEmpty else { return [] }
        var unasked: [String] = []
        if ack.option160 != nil, !requested.contains(.polycomBootServer) { unasked.append("160") }
        if ack.option66 != nil, !requested.contains(.tftpServerName) { unasked.append("66") }
        if ack.option150 != nil, !requested.contains(.tftpServerAddress) { unasked.append("150") }
        guard !unasked.isEmpty else { return [] }
        return [
            Finding(
                code: .bootServerNotRequested, severity: .info,
                message: "option \(unasked.joined(separator: " and ")) was sent though the phone did not ask for it",
                hint: """
                    A phone that does not list an option may ignore it: check the phone's boot-server setting \
                    (Custom option number, Option 66).
                    """,
                frames: [ack.frame]
            )
        ]
    }
}
