public import WireFormats

extension ProxyDecision {
    /// What a datagram was, as its log line names it: the DHCP message type (option 53,
    /// RFC 2132 §9.6) or, for plain BOOTP, the op (RFC 951 §3).
    public enum MessageType: Hashable, Sendable, CustomStringConvertible {
        /// A DHCP message: `DISCOVER`, `ACK`...
        case dhcp(DHCPMessageType)
        /// A message without option 53 read as a request: `BOOTREQUEST`.
        case bootRequest
        /// A message without option 53 read as a reply: `BOOTREPLY`.
        case bootReply
        /// Bytes that do not decode, or a datagram too large to read: `?`.
        case unreadable

        /// The message's DHCP type, or `bootp` when it has none.
        init(_ type: DHCPMessageType?, otherwise bootp: Self) {
            self = type.map(Self.dhcp) ?? bootp
        }

        /// `DISCOVER`, `BOOTREQUEST`, `?`: the text of the log line.
        public var description: String {
            switch self {
            case .dhcp(let type): type.description
            case .bootRequest: "BOOTREQUEST"
            case .bootReply: "BOOTREPLY"
            case .unreadable: "?"
            }
        }
    }
}
