public import WireFormats

extension ProxyDecision {
    /// Why the proxy did what it did with a datagram, with the values the log line shows.
    ///
    /// ``description`` is the verdict of the proxy's log line (`phoneboot proxy`, text and
    /// JSON), word for word.
    public indirect enum Verdict: Hashable, Sendable, CustomStringConvertible {
        // MARK: Any mode

        /// The bytes are not a DHCP message; the decoder's reason when there is one.
        case malformed(WireFormatError?)
        /// The datagram filled the receive slot of `limit` bytes (and may have been cut short).
        case oversized(limit: Int)

        // MARK: Inform mode (RFC 2131 §3.4, §4.3.5)

        /// The DHCPINFORM was answered with a DHCPACK.
        case answered
        /// Not a DHCPINFORM request.
        case notInform
        /// The client's MAC has none of the served OUIs.
        case notServedOUI
        /// A DHCPINFORM without `ciaddr`.
        case noClientAddress
        /// `ciaddr` is not a host of the lab interface's subnet.
        case clientOffSubnet(IPv4Address, IPv4Subnet)
        /// The INFORM came through a relay whose `giaddr` is not on the lab interface's subnet.
        case relayOffSubnet(IPv4Address, IPv4Subnet)
        /// The answer could not be built (``BootOptionInjection`` left it unchanged, for `reason`).
        case notAnswerable(reason: String)
        /// This client asked more often than `limits` allow.
        case clientRateLimited(AnswerRateLimiter.Limits)
        /// All clients together asked more often than `limits` allow.
        case totalRateLimited(AnswerRateLimiter.Limits)

        // MARK: Relay mode (RFC 1542 §4)

        /// A request sent upstream, with the agent's `giaddr`, or with `keptRelay`, the
        /// `giaddr` another relay had set.
        case forwarded(keptRelay: IPv4Address?)
        /// A request that had crossed `hops` relays, at or over `limit` (RFC 1542 §4.1.1).
        case hopLimit(hops: UInt8, limit: UInt8)
        /// A reply arrived on the client side.
        case replyOnClientSide
        /// A request arrived on the server side.
        case requestOnServerSide
        /// A reply for another relay's `giaddr`, passed on to it.
        case passedToRelay(IPv4Address)
        /// A reply other than OFFER and ACK, relayed byte for byte.
        case notOfferOrAck(MessageType)
        /// An OFFER or ACK relayed byte for byte, for `reason`.
        case relayedUnchanged(reason: String)
        /// An OFFER or ACK relayed with these options added.
        case relayedWithOptions([DHCPOptionCode])

        // MARK: Sending

        /// `verdict`'s datagram was not sent: the sockets were closed.
        case socketsClosed(Verdict)
        /// `verdict`'s datagram went nowhere; `failures` says what the kernel said, per address.
        case notSent(Verdict, failures: String)
        /// `verdict`'s datagram went to some addresses but not to those `failures` names.
        case partlySent(Verdict, failures: String)

        public var description: String {
            switch self {
            case .malformed(let error?): "dropped: malformed (\(error))"
            case .malformed(nil): "dropped: malformed"
            case .oversized(let limit): "dropped: oversized (\(limit) bytes or more)"
            case .answered: "answered with DHCPACK"
            case .notInform: "ignored: inform mode answers DHCPINFORM only"
            case .notServedOUI: "ignored: \(BootOptionInjection.notMatchingReason)"
            case .noClientAddress: "ignored: DHCPINFORM without ciaddr"
            case .clientOffSubnet(let address, let subnet): "ignored: ciaddr \(address) is not a host of \(subnet)"
            case .relayOffSubnet(let address, let subnet):
                "ignored: relayed through giaddr \(address), not on \(subnet)"
            // The text the log has always shown: the outcome as Swift prints it.
            case .notAnswerable(let reason): "not answered: \(BootOptionInjection.Outcome.unchanged(reason: reason))"
            case .clientRateLimited(let limits):
                "not answered: more than \(limits.clientBurst) INFORMs from this client (one more every \(limits.clientInterval / 1_000_000) ms)"
            case .totalRateLimited(let limits):
                "not answered: more than \(1_000_000_000 / max(limits.totalInterval, 1)) answers a second to all clients"
            case .forwarded(let kept?): "forwarded upstream (giaddr \(kept) kept)"
            case .forwarded(nil): "forwarded upstream"
            case .hopLimit(let hops, let limit): "dropped: hops \(hops) reached the limit of \(limit)"
            case .replyOnClientSide: "dropped: a reply on the client side"
            case .requestOnServerSide: "dropped: a request from the server side"
            case .passedToRelay(let relay): "passed to relay \(relay)"
            case .notOfferOrAck(let type): "relayed unchanged (\(type))"
            case .relayedUnchanged(let reason): "relayed unchanged: \(reason)"
            case .relayedWithOptions(let codes):
                "relayed with \(codes.map { "option \($0.rawValue)" }.joined(separator: " and ")) added"
            case .socketsClosed(let verdict): "\(verdict), not sent: the sockets are closed"
            case .notSent(let verdict, let failures): "\(verdict), but not sent: \(failures)"
            case .partlySent(let verdict, let failures): "\(verdict) (not sent to \(failures))"
            }
        }
    }
}
