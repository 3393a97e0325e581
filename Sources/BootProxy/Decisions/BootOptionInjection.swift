public import WireFormats

/// Adds the boot server to a DHCP reply for a Polycom phone (DESIGN §5): option 160, and 66
/// with `--also-66`, replacing a value the server gave only with `--override`.
///
/// The options go before the End option of the main options field (RFC 2131 §4.1); every
/// other byte of the reply stays as the server sent it. A reply must stay within 576 bytes of
/// IP datagram unless the client said it takes more (option 57, RFC 2132 §9.10) or the server
/// already sent more; a reply with no room is left unchanged, with the reason.
public enum BootOptionInjection {
    /// IPv4 and UDP headers in front of a DHCP message.
    static let headerOverhead = 28
    /// The datagram every DHCP client must accept (RFC 2131 §2).
    static let minimumDatagram = 576

    public enum Outcome: Sendable {
        case injected(DHCPMessage, options: [DHCPOptionCode])
        case unchanged(reason: String)
    }

    /// - Parameters:
    ///   - reply: an OFFER or ACK from the server (or built by the proxy).
    ///   - requestedOptions: the client's parameter request list, when known.
    ///   - maximumMessageSize: the client's option 57, when known.
    /// Why a reply for a client outside the policy's OUIs is left alone.
    public static let notMatchingReason = "not a Polycom OUI"

    public static func inject(
        into reply: DHCPMessage, policy: ProxyPolicy, requestedOptions: DHCPOptionCodeSet? = nil,
        maximumMessageSize: Int? = nil
    ) -> Outcome {
        guard case .options(var area) = reply.vendorArea else {
            return .unchanged(reason: "plain BOOTP reply (no options field)")
        }
        guard let mac = reply.clientMAC, policy.matches(mac) else { return .unchanged(reason: Self.notMatchingReason) }
        let value = Array(policy.bootServer.utf8)
        let options = reply.options
        var wanted: [DHCPOptionCode] = [.polycomBootServer]
        let asked66 = requestedOptions?.contains(.tftpServerName) ?? false
        if policy.alsoOption66 || (asked66 && options[.tftpServerName] == nil) { wanted.append(.tftpServerName) }
        if !policy.override {
            wanted.removeAll { options[$0] != nil }
            if wanted.isEmpty {
                return .unchanged(reason: "the server already gives a boot server (160) (--override to replace it)")
            }
        }
        // Replace: drop every occurrence of the options we set, in every field (RFC 3396).
        let replaced = { (element: DHCPOptionArea.Element) -> Bool in
            if case .option(let option) = element { wanted.contains(option.code) } else { false }
        }
        area.elements.removeAll(where: replaced)
        var modified = reply
        modified.fileOptions?.elements.removeAll(where: replaced)
        modified.serverNameOptions?.elements.removeAll(where: replaced)
        let end = area.elements.firstIndex(of: .end) ?? area.elements.endIndex
        var additions = DHCPOptionArea()
        for code in wanted { additions.append(DHCPOption(code: code, data: value)) }
        area.elements.insert(contentsOf: additions.elements, at: end)
        if !area.hasEnd { area.elements.append(.end) }
        // Padding after End is what gives way first.
        let limit = max(
            Self.minimumDatagram - Self.headerOverhead,
            (maximumMessageSize ?? 0) - Self.headerOverhead,
            reply.encodedCount
        )
        modified.vendorArea = .options(area)
        let outsideArea = modified.encodedCount - area.encodedCount
        while outsideArea + area.encodedCount > limit, Self.dropPadding(&area) {}
        modified.vendorArea = .options(area)
        guard modified.encodedCount <= limit else {
            return .unchanged(
                reason: "no room: the reply would be \(modified.encodedCount) bytes, over the \(limit) the client takes"
            )
        }
        return .injected(modified, options: wanted)
    }

    /// Removes one byte of padding (after End first, then trailing bytes); false when none is left.
    private static func dropPadding(_ area: inout DHCPOptionArea) -> Bool {
        if !area.trailing.isEmpty {
            area.trailing.removeLast()
            return true
        }
        for index in area.elements.indices.reversed() {
            if case .pad(let run) = area.elements[index] {
                if run > 1 { area.elements[index] = .pad(count: run - 1) } else { area.elements.remove(at: index) }
                return true
            }
        }
        return false
    }
}
