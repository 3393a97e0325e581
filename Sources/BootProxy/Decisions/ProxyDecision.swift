public import WireFormats

/// What the proxy does with one datagram, and why: one log line each.
public struct ProxyDecision: Sendable {
    /// Where a datagram goes.
    public enum Destination: Hashable, Sendable {
        /// To this address and port.
        case unicast(IPv4Address, UInt16)
        /// To 255.255.255.255 on the lab interface, client port 68.
        case broadcastToClients
        /// To every upstream server, port 67.
        case upstreamServers
    }

    public enum Action: Sendable {
        /// Send these bytes.
        case send([UInt8], to: Destination)
        /// Send nothing, for this reason.
        case drop(DropReason)
    }

    public let action: Action
    /// The client, when the datagram could be read.
    public let client: MACAddress?
    /// `DISCOVER`, `ACK`...
    public let messageType: MessageType
    /// `answered with DHCPACK`, `forwarded upstream`, `ignored: not a Polycom OUI`...
    public let verdict: Verdict
    /// Options the proxy added or replaced.
    public let injected: [DHCPOptionCode]
    /// Relay mode, a reply from upstream: the time since the agent forwarded the request of the
    /// same transaction (the last one, for a REQUEST after an OFFER).
    public var upstreamLatency: Duration?

    /// Bytes that do not decode: dropped, with the decoder's reason.
    public static func malformed(_ error: WireFormatError) -> ProxyDecision {
        ProxyDecision(action: .drop(.malformed), client: nil, messageType: .unreadable, verdict: .malformed(error))
    }

    /// The reason when the action is a drop.
    public var dropReason: DropReason? {
        if case .drop(let reason) = self.action { reason } else { nil }
    }

    /// This decision with its send turned into a drop: rate-limited, or refused by the kernel.
    public func dropped(_ reason: DropReason, verdict: Verdict) -> ProxyDecision {
        ProxyDecision(
            action: .drop(reason), client: self.client, messageType: self.messageType, verdict: verdict, injected: [])
    }

    public init(
        action: Action, client: MACAddress?, messageType: MessageType, verdict: Verdict, injected: [DHCPOptionCode] = []
    ) {
        self.action = action
        self.client = client
        self.messageType = messageType
        self.verdict = verdict
        self.injected = injected
    }
}
