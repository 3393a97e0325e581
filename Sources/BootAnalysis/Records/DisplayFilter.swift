public import WireFormats

/// A Wireshark display filter (Wireshark 4.0 syntax: `tshark -r FILE -Y '<filter>'`) that shows
/// exactly the frames a finding, a DHCP transaction, a fetch or a phone names, in the capture
/// file the report was made from (frame numbers are that file's).
///
/// What each names, and so shows:
/// - a finding: its ``Finding/frames`` (`frame.number in {1190..1191}`);
/// - a DHCP transaction: its messages' frames, under the client's hardware address and the
///   transaction ID, so that the frame numbers can be deleted to see every message of the
///   exchange (`dhcp.hw.mac_addr == … && dhcp.id == 0x… && frame.number in {1..4}`); a
///   message the analyzer joined by Ethernet address (no usable `chaddr`, RFC 2131 §2) has
///   only its frame number;
/// - a fetch: every frame of its ``Fetch/conversations`` from its first to its last frame
///   (`!icmp && ip.addr == C && ip.addr == S && udp.port == P && udp.port in {69, TID} &&
///   frame.number in {5..9}`); ICMP errors, which quote the same addresses and ports, are not
///   the fetch's;
/// - a phone: the frames of its DHCP transactions and of its fetches, each part as above.
///
/// Built when a report is rendered, never per packet.
public struct DisplayFilter: Hashable, Sendable, CustomStringConvertible {
    /// The filter as Wireshark reads it.
    public let text: String

    public init(text: String) {
        self.text = text
    }

    public var description: String { self.text }

    /// `frame.number in {1..4, 9}`: exactly `frames` (runs of consecutive frames as ranges);
    /// `nil` when there are none.
    public static func frames(_ frames: [Int]) -> DisplayFilter? {
        guard let set = self.frameSet(frames) else { return nil }
        return DisplayFilter(text: "frame.number in \(set)")
    }

    /// A finding's frames.
    public static func finding(_ finding: Finding) -> DisplayFilter? {
        self.frames(finding.frames)
    }

    /// The messages of one DHCP exchange of the client `mac`.
    public static func transaction(_ transaction: DHCPTransaction, mac: MACAddress) -> DisplayFilter? {
        guard let text = self.transactionText(transaction, mac: mac) else { return nil }
        return DisplayFilter(text: text)
    }

    /// The frames of a fetch's conversations from its first to its last frame; `nil` when the
    /// fetch names no conversation (one built by hand).
    public static func fetch(_ fetch: Fetch) -> DisplayFilter? {
        guard let text = self.fetchText(fetch) else { return nil }
        return DisplayFilter(text: text)
    }

    /// The frames of a phone's DHCP transactions and fetches: each part's filter, joined by
    /// `||`, the fetches between the same two hosts under one address test; `nil` when it has
    /// none.
    public static func phone(_ phone: PhoneRecord) -> DisplayFilter? {
        self.filters(of: phone).phone
    }

    /// The filters of a phone and of each of its DHCP transactions and fetches, as
    /// ``phone(_:)``, ``transaction(_:mac:)`` and ``fetch(_:)`` give them, each part worked out
    /// once (a report shows them all).
    public static func filters(of phone: PhoneRecord) -> PhoneFilters {
        let transactionTexts = phone.transactions.map { self.transactionText($0, mac: phone.mac) }
        let fetchParts = phone.fetches.map(self.fetchParts)
        var parts = transactionTexts.compactMap { $0 }
        var groups: [(address: String?, rests: [String])] = []
        for case (let address, let rest)? in fetchParts {
            if let address, let index = groups.firstIndex(where: { $0.address == address }) {
                groups[index].rests.append(rest)
            } else {
                groups.append((address, [rest]))
            }
        }
        for (address, rests) in groups {
            let rest = rests.count == 1 ? rests[0] : "(" + rests.map { "(\($0))" }.joined(separator: " || ") + ")"
            parts.append(self.fetchText(address: address, rest: rest))
        }
        return PhoneFilters(
            phone: parts.isEmpty
                ? nil
                : DisplayFilter(text: parts.count == 1 ? parts[0] : parts.map { "(\($0))" }.joined(separator: " || ")),
            transactions: transactionTexts.map { $0.map(DisplayFilter.init(text:)) },
            fetches: fetchParts.map {
                $0.map { DisplayFilter(text: self.fetchText(address: $0.address, rest: $0.rest)) }
            }
        )
    }

    /// A phone's filters (``filters(of:)``).
    public struct PhoneFilters: Hashable, Sendable {
        /// The phone's: every part below.
        public var phone: DisplayFilter?
        /// Each DHCP transaction's, in the record's order.
        public var transactions: [DisplayFilter?]
        /// Each fetch's, in the record's order.
        public var fetches: [DisplayFilter?]
    }

    // MARK: - Parts

    private static func transactionText(_ transaction: DHCPTransaction, mac: MACAddress) -> String? {
        let byAddress = transaction.messages.filter { $0.clientHardwareAddressIsMAC }.map(\.frame)
        let byFrame = transaction.messages.filter { !$0.clientHardwareAddressIsMAC }.map(\.frame)
        var parts: [String] = []
        if let set = self.frameSet(byAddress) {
            var text = "dhcp.hw.mac_addr == "
            text.reserveCapacity(96)
            text += mac.description
            text += " && dhcp.id == 0x"
            text += hexString(transaction.transactionID)
            text += " && frame.number in "
            text += set
            parts.append(text)
        }
        if let set = self.frameSet(byFrame) { parts.append("frame.number in " + set) }
        guard !parts.isEmpty else { return nil }
        return parts.count == 1 ? parts[0] : parts.map { "(\($0))" }.joined(separator: " || ")
    }

    private static func fetchText(_ fetch: Fetch) -> String? {
        guard let (address, rest) = self.fetchParts(fetch) else { return nil }
        return self.fetchText(address: address, rest: rest)
    }

    private static func fetchText(address: String?, rest: String) -> String {
        var text = "!icmp && "
        text.reserveCapacity(9 + (address?.utf8.count ?? 0) + 4 + rest.utf8.count)
        if let address {
            text += address
            text += " && "
        }
        text += rest
        return text
    }

    /// A fetch's filter in two: the address test when its conversations share one pair of
    /// hosts, and the rest (ports, frame range).
    private static func fetchParts(_ fetch: Fetch) -> (address: String?, rest: String)? {
        let conversations = fetch.conversations
        guard let first = conversations.first else { return nil }
        var range = "frame.number in {"
        range += String(fetch.firstFrame)
        if fetch.firstFrame != fetch.lastFrame {
            range += ".."
            range += String(fetch.lastFrame)
        }
        range += "}"
        if conversations.count == 1 {
            var rest = self.portText(first)
            rest += " && "
            rest += range
            return (self.addressText(first), rest)
        }
        let sharesPair = conversations.allSatisfy {
            ($0.client == first.client && $0.server == first.server)
                || ($0.client == first.server && $0.server == first.client)
        }
        if sharesPair {
            // One address pair (FTP control and data): the ports alone tell the conversations apart.
            let ports = conversations.map { conversation in
                let text = self.portText(conversation)
                return text.contains(" && ") ? "(\(text))" : text
            }
            return (self.addressText(first), "(" + ports.joined(separator: " || ") + ") && " + range)
        }
        let each = conversations.map { "(\(self.addressText($0)) && \(self.portText($0)))" }
        return (nil, "(" + each.joined(separator: " || ") + ") && " + range)
    }

    /// `ip.addr == C && ip.addr == S`: the frames between the two hosts, either way.
    private static func addressText(_ conversation: FetchConversation) -> String {
        let same = conversation.client == conversation.server
        var text = same ? "ip.src == " : "ip.addr == "
        text.reserveCapacity(60)
        text += conversation.client.description
        text += same ? " && ip.dst == " : " && ip.addr == "
        text += conversation.server.description
        return text
    }

    /// `udp.port == P && udp.port in {69, 1234}`; the transport alone when no port is known.
    private static func portText(_ conversation: FetchConversation) -> String {
        let transport = conversation.transport == .udp ? "udp" : "tcp"
        var text = ""
        text.reserveCapacity(64)
        if let port = conversation.clientPort {
            text += transport
            text += ".port == "
            text += String(port)
        }
        let serverPorts = conversation.serverPorts
        guard !serverPorts.isEmpty else { return text.isEmpty ? transport : text }
        if !text.isEmpty { text += " && " }
        text += transport
        if serverPorts.count == 1 {
            text += ".port == "
            text += String(serverPorts[0])
        } else {
            text += ".port in {"
            for (index, port) in serverPorts.enumerated() {
                if index > 0 { text += ", " }
                text += String(port)
            }
            text += "}"
        }
        return text
    }

    /// `{1..4, 9}`, or `nil` for no frames.
    static func frameSet(_ frames: [Int]) -> String? {
        // Frames usually come in order, each once.
        let inOrder = zip(frames, frames.dropFirst()).allSatisfy { $0 < $1 }
        let sorted = inOrder ? frames : Array(Set(frames)).sorted()
        guard var start = sorted.first else { return nil }
        var pieces: [String] = []
        var end = start
        func flush() { pieces.append(start == end ? "\(start)" : "\(start)..\(end)") }
        for frame in sorted.dropFirst() {
            if frame == end &+ 1 {
                end = frame
            } else {
                flush()
                start = frame
                end = frame
            }
        }
        flush()
        return "{" + pieces.joined(separator: ", ") + "}"
    }
}
