/// Why the proxy sent nothing for a datagram: the key its log counts drops by, so that a flood
/// becomes one summary line a second instead of a line per datagram.
public enum DropReason: String, Sendable, CaseIterable, Comparable {
    /// The bytes are not a DHCP message.
    case malformed
    /// The datagram filled the receive slot and may have been cut short.
    case oversized
    /// Inform mode: not a DHCPINFORM request.
    case notInform = "not-inform"
    /// The client's MAC has none of the served OUIs.
    case notServedOUI = "not-served-oui"
    /// Inform mode: a DHCPINFORM without ciaddr.
    case noClientAddress = "no-ciaddr"
    /// Inform mode: ciaddr (or the relay's giaddr) is not on the lab interface's subnet.
    case offSubnet = "off-subnet"
    /// Inform mode: this client, or all clients together, asked more often than answers are given.
    case rateLimited = "rate-limited"
    /// Relay: the request has crossed the RFC 1542 limit of relays.
    case hopLimit = "hop-limit"
    /// Relay: a reply arrived on the client side, or a request on the server side.
    case wrongDirection = "wrong-direction"
    /// The answer could not be built (no room for the option, say).
    case notAnswerable = "not-answerable"
    /// The socket's send buffer was full: the datagram was dropped, not queued.
    case sendBufferFull = "send-buffer-full"
    /// The kernel refused the send (no route, not permitted...).
    case sendFailed = "send-failed"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
