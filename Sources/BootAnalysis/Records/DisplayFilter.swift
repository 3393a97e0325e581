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
        var text = FilterText()
        text.add("frame.number in ")
        guard text.addFrameSet(frames) else { return nil }
        return DisplayFilter(text: text.string)
    }

    /// A finding's frames.
    public static func finding(_ finding: Finding) -> DisplayFilter? {
        self.frames(finding.frames)
    }

    /// The messages of one DHCP exchange of the client `mac`.
    public static func transaction(_ transaction: DHCPTransaction, mac: MACAddress) -> DisplayFilter? {
        self.transactionText(transaction, mac: mac).map { DisplayFilter(text: $0.string) }
    }

    /// The frames of a fetch's conversations from its first to its last frame; `nil` when the
    /// fetch names no conversation (one built by hand).
    public static func fetch(_ fetch: Fetch) -> DisplayFilter? {
        self.fetchParts(fetch).map { DisplayFilter(text: self.fetchText(address: $0.address, rest: $0.rest).string) }
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
        var groups: [(address: FilterText?, rests: [FilterText])] = []
        for case (let address, let rest)? in fetchParts {
            if let address, let index = groups.firstIndex(where: { $0.address == address }) {
                groups[index].rests.append(rest)
            } else {
                groups.append((address, [rest]))
            }
        }
        for (address, rests) in groups {
            var rest = rests.count == 1 ? rests[0] : FilterText()
            if rests.count > 1 {
                rest.add("(")
                rest.add(.joined(rests))
                rest.add(")")
            }
            parts.append(self.fetchText(address: address, rest: rest))
        }
        return PhoneFilters(
            phone: parts.isEmpty ? nil : DisplayFilter(text: (parts.count == 1 ? parts[0] : .joined(parts)).string),
            transactions: transactionTexts.map { $0.map { DisplayFilter(text: $0.string) } },
            fetches: fetchParts.map { parts in
                parts.map { DisplayFilter(text: self.fetchText(address: $0.address, rest: $0.rest).string) }
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

    private static func transactionText(_ transaction: DHCPTransaction, mac: MACAddress) -> FilterText? {
        var byAddress: [Int] = []
        var byFrame: [Int] = []
        for message in transaction.messages {
            if message.clientHardwareAddressIsMAC {
                byAddress.append(message.frame)
            } else {
                byFrame.append(message.frame)
            }
        }
        var parts: [FilterText] = []
        var text = FilterText()
        // 57 bytes of text, the address and the eight hex digits: 82.
        text.add(room: 96) { out in
            out.append("dhcp.hw.mac_addr == ")
            mac.appendDescription(to: &out)
            out.append(" && dhcp.id == 0x")
            appendHex(transaction.transactionID, to: &out)
            out.append(" && frame.number in ")
        }
        if text.addFrameSet(byAddress) { parts.append(text) }
        text = FilterText()
        text.add("frame.number in ")
        if text.addFrameSet(byFrame) { parts.append(text) }
        guard !parts.isEmpty else { return nil }
        return parts.count == 1 ? parts[0] : .joined(parts)
    }

    private static func fetchText(address: FilterText?, rest: FilterText) -> FilterText {
        var text = FilterText()
        text.add("!icmp && ")
        if let address {
            text.add(address)
            text.add(" && ")
        }
        text.add(rest)
        return text
    }

    /// A fetch's filter in two: the address test when its conversations share one pair of
    /// hosts, and the rest (ports, frame range).
    private static func fetchParts(_ fetch: Fetch) -> (address: FilterText?, rest: FilterText)? {
        let conversations = fetch.conversations
        guard let first = conversations.first else { return nil }
        if conversations.count == 1 {
            var rest = FilterText()
            self.addPorts(of: first, to: &rest)
            rest.add(" && ")
            self.addRange(of: fetch, to: &rest)
            return (self.addressText(first), rest)
        }
        let sharesPair = conversations.allSatisfy {
            ($0.client == first.client && $0.server == first.server)
                || ($0.client == first.server && $0.server == first.client)
        }
        var rest = FilterText()
        rest.add("(")
        for (index, conversation) in conversations.enumerated() {
            if index > 0 { rest.add(" || ") }
            if sharesPair {
                // One address pair (FTP control and data): the ports alone tell the conversations apart.
                var ports = FilterText()
                self.addPorts(of: conversation, to: &ports)
                if ports.hasAnd {
                    rest.add("(")
                    rest.add(ports)
                    rest.add(")")
                } else {
                    rest.add(ports)
                }
            } else {
                rest.add("(")
                rest.add(self.addressText(conversation))
                rest.add(" && ")
                self.addPorts(of: conversation, to: &rest)
                rest.add(")")
            }
        }
        rest.add(") && ")
        self.addRange(of: fetch, to: &rest)
        return (sharesPair ? self.addressText(first) : nil, rest)
    }

    /// `frame.number in {5..9}`: a fetch's frames from its first to its last.
    private static func addRange(of fetch: Fetch, to text: inout FilterText) {
        // 20 bytes of text and two numbers.
        text.add(room: 24 + 2 * decimalWidth) { out in
            out.append("frame.number in {")
            appendDecimal(fetch.firstFrame, to: &out)
            if fetch.firstFrame != fetch.lastFrame {
                out.append("..")
                appendDecimal(fetch.lastFrame, to: &out)
            }
            out.append("}")
        }
    }

    /// `ip.addr == C && ip.addr == S`: the frames between the two hosts, either way.
    private static func addressText(_ conversation: FetchConversation) -> FilterText {
        let same = conversation.client == conversation.server
        var text = FilterText()
        // 26 bytes of text at most, and two addresses.
        text.add(room: 32 + 2 * IPv4Address.descriptionWidth) { out in
            out.append(same ? "ip.src == " : "ip.addr == ")
            conversation.client.appendDescription(to: &out)
            out.append(same ? " && ip.dst == " : " && ip.addr == ")
            conversation.server.appendDescription(to: &out)
        }
        return text
    }

    /// `udp.port == P && udp.port in {69, 1234}`; the transport alone when no port is known.
    private static func addPorts(of conversation: FetchConversation, to text: inout FilterText) {
        let transport: StaticString = conversation.transport == .udp ? "udp" : "tcp"
        let serverPorts = conversation.serverPorts
        // 33 bytes of text at most, the client's port and each server port with its comma
        // (a port is at most 5 digits).
        text.add(room: 48 + 7 * serverPorts.count) { out in
            if let port = conversation.clientPort {
                out.append(transport)
                out.append(".port == ")
                appendDecimal(Int(port), to: &out)
            }
            guard !serverPorts.isEmpty else {
                if conversation.clientPort == nil { out.append(transport) }
                return
            }
            if conversation.clientPort != nil { out.append(" && ") }
            out.append(transport)
            if serverPorts.count == 1 {
                out.append(".port == ")
                appendDecimal(Int(serverPorts[0]), to: &out)
            } else {
                out.append(".port in {")
                for (index, port) in serverPorts.enumerated() {
                    if index > 0 { out.append(", ") }
                    appendDecimal(Int(port), to: &out)
                }
                out.append("}")
            }
        }
    }
}

/// A display filter's text as it is built: UTF-8 bytes, with numbers and addresses written in
/// place (a report builds several filters for every phone).
private struct FilterText: Equatable {
    var bytes: [UInt8] = []

    init() {
        self.bytes.reserveCapacity(160)
    }

    /// Each of `parts` in parentheses, joined by `||`.
    static func joined(_ parts: [FilterText]) -> FilterText {
        var text = FilterText()
        for (index, part) in parts.enumerated() {
            text.add(index == 0 ? "(" : ") || (")
            text.add(part)
        }
        text.add(")")
        return text
    }

    var string: String { String(decoding: self.bytes, as: UTF8.self) }

    /// True when it holds a `&&`: it needs parentheses inside an `||`.
    var hasAnd: Bool {
        self.bytes.indices.dropLast().contains {
            self.bytes[$0] == UInt8(ascii: "&") && self.bytes[$0 + 1] == UInt8(ascii: "&")
        }
    }

    /// Appends what `body` writes into room made once: `room` is the most it writes.
    mutating func add(room: Int, _ body: (inout OutputSpan<UInt8>) -> Void) {
        self.bytes.append(addingCapacity: room, initializingWith: body)
    }

    mutating func add(_ text: StaticString) {
        self.add(room: text.utf8CodeUnitCount) { $0.append(text) }
    }

    mutating func add(_ other: FilterText) {
        other.bytes.withUnsafeBufferPointer { other in
            self.add(room: other.count) { $0.append(copying: other) }
        }
    }

    /// `{1..4, 9}`: `frames` as runs (duplicates and order do not matter); false, adding
    /// nothing, for no frames.
    mutating func addFrameSet(_ frames: [Int]) -> Bool {
        let sorted = frames.ascendingFrames
        guard var start = sorted.first else { return false }
        var end = start
        var first = true
        // A run, after `{` or `, `.
        func flush() {
            let opening: StaticString = first ? "{" : ", "
            first = false
            // At most 4 bytes of text and two numbers.
            self.add(room: 8 + 2 * decimalWidth) { out in
                out.append(opening)
                appendDecimal(start, to: &out)
                if start != end {
                    out.append("..")
                    appendDecimal(end, to: &out)
                }
            }
        }
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
        self.add("}")
        return true
    }
}
