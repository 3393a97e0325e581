import WireFormats

// The recipe `analyze` shows under a finding, when the reply the finding is about tells which
// server implementation sent it.

extension FixRecipe {
    /// The recipe for `finding` of `record`: for a finding about the boot server in an ACK
    /// (`no-boot-server`, `option-66-only`, `boot-server-not-requested`,
    /// `boot-server-malformed`), written for the server that sent that ACK, as its OFFER's
    /// option order (else the ACK's) points to; `nil` when the server is not recognised, and for
    /// other findings (`several-dhcp-servers` cannot say which server is the wrong one).
    public static func recipe(for finding: Finding, in record: PhoneRecord) -> FixRecipe? {
        guard Self.codes.contains(finding.code), finding.code != .severalDHCPServers,
            let ack = record.bootServerACK ?? record.acks.last, let server = ack.server,
            let transaction = record.transactions.first(where: { $0.messages.contains(ack) })
        else { return nil }
        let reply = transaction.offers.last { $0.server == server } ?? ack
        let requested = transaction.parameterRequestList?.map(\.rawValue) ?? []
        let guess = DHCPServerKind.guess(order: reply.optionOrder, requested: requested)
        let value: String? =
            if let option160 = ack.option160 {
                BootServerString(option160).withoutQuoteCharacters.masked
            } else if let option66 = ack.option66 {
                BootServerString(option66).withoutQuoteCharacters.masked
            } else {
                // No boot server in the ACK: a usable 160 another server offered in the same
                // exchange, so that the scopes agree.
                transaction.offers.compactMap(\.option160).map(BootServerString.init).first { $0.problem == nil }?
                    .masked
            }
        // A value that is still unusable without its quotes (empty, spaces...) is left for the
        // engineer to fill in.
        let url = value.flatMap { text -> String? in
            let string = BootServerString(text)
            guard string.problem == nil else { return nil }
            return string.scheme == nil ? "tftp://\(text)" : text
        }
        return Self.recipe(for: finding.code, server: guess.kind, bootServer: url, serverAddress: server.description)
    }
}
