import WireFormats

// The DHCP exchange: answered, refused, or answered by more than one server.

extension FindingRule {
    /// `no-dhcp-answer`: a DISCOVER or REQUEST exchange that no server answered.
    static let noDHCPAnswer = FindingRule(
        code: .noDHCPAnswer, severity: .error,
        summary: "An exchange of DISCOVERs or REQUESTs that no DHCP server answered."
    ) { record in
        // Nearly every exchange was answered: found without gathering requests first.
        guard record.transactions.indices.contains(where: { !record.transactions[$0].answered }) else { return [] }
        return record.transactions.filter { !$0.requests.isEmpty && !$0.answered }.map { transaction in
            let kinds = Set(transaction.requests.compactMap { $0.type?.description }).sorted().joined(separator: "/")
            let xid = hexString(transaction.transactionID)
            return Finding(
                code: .noDHCPAnswer, severity: .error,
                message: """
                    \(transaction.requests.count) \(kinds) (xid 0x\(xid)) got no OFFER or ACK\(record.captureLossClause)
                    """,
                hint: """
                    No DHCP server answered on this VLAN: check the DHCP scope, the relay (ip helper-address) \
                    and that the phone is on the VLAN you expect.
                    """,
                frames: transaction.requests.map(\.frame)
            )
        }
    }

    /// `dhcp-nak`: the server refused a request.
    static let dhcpNAK = FindingRule(
        code: .dhcpNAK, severity: .warning,
        summary: "A DHCP server answered the phone's REQUEST with a NAK."
    ) { record in
        // Nearly every phone has none: looked for in place before the NAKs are gathered.
        guard record.lastMessage(where: { $0.type == .nak }) != nil else { return [] }
        let naks = record.transactions.flatMap(\.naks)
        return [
            Finding(
                code: .dhcpNAK, severity: .warning,
                message: "the DHCP server refused the phone's request (NAK) \(naks.count) time\(plural(naks.count))",
                hint: """
                    The phone asked for an address the server will not give (moved VLAN, lease from another \
                    scope); it will start over with DISCOVER.
                    """,
                frames: naks.map(\.frame)
            )
        ]
    }

    /// `several-dhcp-servers`: offers from more than one server.
    static let severalDHCPServers = FindingRule(
        code: .severalDHCPServers, severity: .warning,
        summary: "Offers to the phone came from more than one DHCP server."
    ) { record in
        // Two servers at least: one offer's server, and another offer's that differs.
        guard let first = record.lastMessage(where: { $0.type == .offer && $0.server != nil })?.server,
            record.lastMessage(where: { $0.type == .offer && $0.server != nil && $0.server != first }) != nil
        else { return [] }
        let offers = record.transactions.flatMap(\.offers)
        let servers = Set(offers.compactMap(\.server))
        guard servers.count > 1 else { return [] }
        let described = servers.sorted().map { server in
            "\(server) (\(bootServerOffered(by: server, in: offers) ?? "no boot server"))"
        }
        let chosen = record.acks.last?.server.map { "; the phone took the lease from \($0)" } ?? ""
        return [
            Finding(
                code: .severalDHCPServers, severity: .warning,
                message: """
                    offers came from \(servers.count) DHCP servers: \(described.joined(separator: ", "))\(chosen)
                    """,
                hint: """
                    Only one server should answer on a phone VLAN: find the rogue one (option 54 names it) or \
                    make the scopes agree on 66/160.
                    """,
                frames: offers.map(\.frame)
            )
        ]
    }

    /// The boot server in `server`'s first offer, as `160 <value>` or `66 <value>` (masked; quoted when it has to be).
    private static func bootServerOffered(by server: IPv4Address, in offers: [DHCPTransaction.Message]) -> String? {
        offers.first { $0.server == server }.flatMap { offer in
            offer.option160.map { "160 \(BootServerString($0).shown)" }
                ?? offer.option66.map { "66 \(BootServerString($0).shown)" }
        }
    }
}
