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
        var text = FilterText()
        guard self.writeTransaction(transaction, mac: mac, to: &text) else { return nil }
        return DisplayFilter(text: text.string)
    }

    /// The frames of a fetch's conversations from its first to its last frame; `nil` when the
    /// fetch names no conversation (one built by hand).
    public static func fetch(_ fetch: Fetch) -> DisplayFilter? {
        var pieces = FilterText()
        guard let parts = self.writeFetchParts(fetch, conversations: fetch.conversations, to: &pieces) else {
            return nil
        }
        var text = FilterText()
        self.writeFetch(address: parts.address, rests: CollectionOfOne(parts.rest), of: pieces, to: &text)
        return DisplayFilter(text: text.string)
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
    ///
    /// Every part is written once into one buffer and the filters are put together from its
    /// spans: a few allocations a phone, not a few for each part.
    ///
    /// `conversations`: each fetch's ``Fetch/conversations``, when the caller has them already
    /// (a report writes them too: they are made, not stored, for each call).
    public static func filters(of phone: PhoneRecord, conversations: [[FetchConversation]]? = nil) -> PhoneFilters {
        var pieces = FilterText()
        var transactions: [Range<Int>?] = []
        transactions.reserveCapacity(phone.transactions.count)
        for index in phone.transactions.indices {
            let start = pieces.count
            let written = self.writeTransaction(phone.transactions[index], mac: phone.mac, to: &pieces)
            transactions.append(written ? start..<pieces.count : nil)
        }
        var fetches: [(address: Range<Int>?, rest: Range<Int>)?] = []
        fetches.reserveCapacity(phone.fetches.count)
        for index in phone.fetches.indices {
            fetches.append(
                self.writeFetchParts(
                    phone.fetches[index], conversations: conversations?[index] ?? phone.fetches[index].conversations,
                    to: &pieces))
        }
        // The fetches grouped by their address test, in order of first appearance.
        var groups: [(address: Range<Int>?, rests: [Range<Int>])] = []
        for case (let address, let rest)? in fetches {
            if let address,
                let index = groups.firstIndex(where: { group in
                    group.address.map { pieces.holdsEqual($0, address) } ?? false
                })
            {
                groups[index].rests.append(rest)
            } else {
                groups.append((address, [rest]))
            }
        }
        var text = FilterText()
        let partCount = transactions.count { $0 != nil } + groups.count
        var written = 0
        // Each part, in parentheses and joined by `||` when there are several.
        func writePart(_ write: (inout FilterText) -> Void) {
            if partCount > 1 { text.add(written == 0 ? "(" : ") || (") }
            written += 1
            write(&text)
        }
        for case let range? in transactions {
            writePart { $0.add(pieces, range) }
        }
        for group in groups {
            writePart { self.writeFetch(address: group.address, rests: group.rests, of: pieces, to: &$0) }
        }
        if partCount > 1 { text.add(")") }
        let phoneText = partCount == 0 ? nil : 0..<text.count
        // Each fetch's filter after the phone's, in the same text.
        let fetchTexts = fetches.map { parts in
            parts.map { parts in
                let start = text.count
                self.writeFetch(address: parts.address, rests: CollectionOfOne(parts.rest), of: pieces, to: &text)
                return start..<text.count
            }
        }
        return PhoneFilters(
            pieces: pieces.bytes, composed: text.bytes, phoneText: phoneText, transactionTexts: transactions,
            fetchTexts: fetchTexts)
    }

    /// A phone's filters (``filters(of:)``), kept as their bytes: a report writes them as they
    /// are (``withPhoneText(_:)``, ``withTransactionText(at:_:)``, ``withFetchText(at:_:)``),
    /// without making a string of each. Their text is ASCII letters, digits and punctuation,
    /// never a quote, a backslash or a control character.
    public struct PhoneFilters: Hashable, Sendable {
        /// The DHCP transactions' filters, among the parts of the fetches' ones.
        private let pieces: [UInt8]
        /// The phone's filter, then each fetch's.
        private let composed: [UInt8]
        private let phoneText: Range<Int>?
        private let transactionTexts: [Range<Int>?]
        private let fetchTexts: [Range<Int>?]

        fileprivate init(
            pieces: [UInt8], composed: [UInt8], phoneText: Range<Int>?, transactionTexts: [Range<Int>?],
            fetchTexts: [Range<Int>?]
        ) {
            self.pieces = pieces
            self.composed = composed
            self.phoneText = phoneText
            self.transactionTexts = transactionTexts
            self.fetchTexts = fetchTexts
        }

        /// The phone's: every part below.
        public var phone: DisplayFilter? {
            self.withPhoneText { $0.map { DisplayFilter(text: String(decoding: $0, as: UTF8.self)) } }
        }

        /// Each DHCP transaction's, in the record's order.
        public var transactions: [DisplayFilter?] {
            self.transactionTexts.indices.map { index in
                self.withTransactionText(at: index) {
                    $0.map { DisplayFilter(text: String(decoding: $0, as: UTF8.self)) }
                }
            }
        }

        /// Each fetch's, in the record's order.
        public var fetches: [DisplayFilter?] {
            self.fetchTexts.indices.map { index in
                self.withFetchText(at: index) { $0.map { DisplayFilter(text: String(decoding: $0, as: UTF8.self)) } }
            }
        }

        /// Calls `body` with the bytes of the phone's filter, `nil` when it has none.
        public func withPhoneText<Result>(_ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
            Self.with(self.phoneText, in: self.composed, body)
        }

        /// Calls `body` with the bytes of the filter of the phone's transaction `index`, `nil`
        /// when it has none.
        public func withTransactionText<Result>(
            at index: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> Result
        ) -> Result {
            Self.with(self.transactionTexts[index], in: self.pieces, body)
        }

        /// Calls `body` with the bytes of the filter of the phone's fetch `index`, `nil` when it
        /// has none.
        public func withFetchText<Result>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
            Self.with(self.fetchTexts[index], in: self.composed, body)
        }

        private static func with<Result>(
            _ range: Range<Int>?, in bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>?) -> Result
        ) -> Result {
            guard let range else { return body(nil) }
            return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
        }
    }

    // MARK: - Parts

    /// Writes a DHCP transaction's filter; false, writing nothing, when it has no message.
    private static func writeTransaction(_ transaction: DHCPTransaction, mac: MACAddress, to text: inout FilterText)
        -> Bool
    {
        var byAddress: [Int] = []
        var byFrame: [Int] = []
        // Each message read where it lies (a copy retains its strings and arrays).
        for index in transaction.messages.indices {
            if transaction.messages[index].clientHardwareAddressIsMAC {
                byAddress.append(transaction.messages[index].frame)
            } else {
                byFrame.append(transaction.messages[index].frame)
            }
        }
        let both = !byAddress.isEmpty && !byFrame.isEmpty
        guard !byAddress.isEmpty || !byFrame.isEmpty else { return false }
        if !byAddress.isEmpty {
            if both { text.add("(") }
            // 57 bytes of text, the address and the eight hex digits: 82.
            text.add(room: 96) { out in
                out.append("dhcp.hw.mac_addr == ")
                mac.appendDescription(to: &out)
                out.append(" && dhcp.id == 0x")
                appendHex(transaction.transactionID, to: &out)
                out.append(" && frame.number in ")
            }
            text.addFrameSet(byAddress)
        }
        if !byFrame.isEmpty {
            if both { text.add(") || (") }
            text.add("frame.number in ")
            text.addFrameSet(byFrame)
            if both { text.add(")") }
        }
        return true
    }

    /// `!icmp && ADDRESS && REST`: a fetch's filter, or a group's of fetches between the same
    /// two hosts (`((REST) || (REST))`), from the parts ``writeFetchParts(_:conversations:to:)`` wrote into
    /// `pieces`.
    private static func writeFetch<Rests: Collection<Range<Int>>>(
        address: Range<Int>?, rests: Rests, of pieces: borrowing FilterText, to text: inout FilterText
    ) {
        text.add("!icmp && ")
        if let address {
            text.add(pieces, address)
            text.add(" && ")
        }
        guard rests.count > 1 else {
            if let rest = rests.first { text.add(pieces, rest) }
            return
        }
        for (index, rest) in rests.enumerated() {
            text.add(index == 0 ? "((" : ") || (")
            text.add(pieces, rest)
        }
        text.add("))")
    }

    /// Writes a fetch's filter in two: the address test when its conversations share one pair
    /// of hosts, and the rest (ports, frame range); `nil`, writing nothing, when it names no
    /// conversation.
    private static func writeFetchParts(
        _ fetch: Fetch, conversations: [FetchConversation], to text: inout FilterText
    ) -> (
        address: Range<Int>?, rest: Range<Int>
    )? {
        guard let first = conversations.first else { return nil }
        if conversations.count == 1 {
            let address = text.count..<self.addAddresses(of: first, to: &text)
            let start = text.count
            self.addPorts(of: first, to: &text)
            text.add(" && ")
            self.addRange(of: fetch, to: &text)
            return (address, start..<text.count)
        }
        let sharesPair = conversations.allSatisfy {
            ($0.client == first.client && $0.server == first.server)
                || ($0.client == first.server && $0.server == first.client)
        }
        let address = sharesPair ? text.count..<self.addAddresses(of: first, to: &text) : nil
        let start = text.count
        text.add("(")
        for (index, conversation) in conversations.enumerated() {
            if index > 0 { text.add(" || ") }
            if sharesPair {
                // One address pair (FTP control and data): the ports alone tell the
                // conversations apart, in parentheses when they are two tests.
                let twoTests = conversation.clientPort != nil && !conversation.serverPorts.isEmpty
                if twoTests { text.add("(") }
                self.addPorts(of: conversation, to: &text)
                if twoTests { text.add(")") }
            } else {
                text.add("(")
                _ = self.addAddresses(of: conversation, to: &text)
                text.add(" && ")
                self.addPorts(of: conversation, to: &text)
                text.add(")")
            }
        }
        text.add(") && ")
        self.addRange(of: fetch, to: &text)
        return (address, start..<text.count)
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

    /// `ip.addr == C && ip.addr == S`: the frames between the two hosts, either way. Returns
    /// where the text ends.
    private static func addAddresses(of conversation: FetchConversation, to text: inout FilterText) -> Int {
        let same = conversation.client == conversation.server
        // 26 bytes of text at most, and two addresses.
        text.add(room: 32 + 2 * IPv4Address.descriptionWidth) { out in
            out.append(same ? "ip.src == " : "ip.addr == ")
            conversation.client.appendDescription(to: &out)
            out.append(same ? " && ip.dst == " : " && ip.addr == ")
            conversation.server.appendDescription(to: &out)
        }
        return text.count
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
/// place (a report builds several filters for every phone); parts written once are copied from
/// one text into another by their span.
private struct FilterText: ~Copyable {
    private var sink = ByteSink(capacity: 512)

    var count: Int { self.sink.count }

    var bytes: [UInt8] { self.sink.bytes }

    var string: String { self.sink.withBytes { String(decoding: $0, as: UTF8.self) } }

    /// True when the texts of `first` and `second` are the same bytes.
    func holdsEqual(_ first: Range<Int>, _ second: Range<Int>) -> Bool {
        first.count == second.count && self.sink.withBytes { $0[first].elementsEqual($0[second]) }
    }

    /// Appends what `body` writes into room made once: `room` is the most it writes.
    mutating func add(room: Int, _ body: (inout OutputSpan<UInt8>) -> Void) {
        self.sink.write(room: room, body)
    }

    mutating func add(_ text: StaticString) {
        self.sink.append(text)
    }

    /// The text of `range` in `other`.
    mutating func add(_ other: borrowing FilterText, _ range: Range<Int>) {
        other.sink.withBytes { other in self.sink.append(UnsafeBufferPointer(rebasing: other[range])) }
    }

    /// `{1..4, 9}`: `frames` as runs (duplicates and order do not matter); false, adding
    /// nothing, for no frames.
    @discardableResult
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
