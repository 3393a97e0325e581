import DequeModule
public import WireFormats

/// A DHCP relay agent between the lab interface and upstream servers (RFC 1542 §4, RFC 3046),
/// that gives Polycom phones a boot server on the way back (``BootOptionInjection``).
///
/// Requests are forwarded as they came, but for `giaddr` (set to the agent's address when it is
/// zero; kept when another relay set it) and `hops` (incremented; at 16 the request is
/// dropped). Option 82 and every other option pass untouched. Replies go back to the client:
/// unicast to `ciaddr` when it has one, broadcast otherwise (the agent has no ARP entry for an
/// address not yet in use); a reply for another relay's `giaddr` goes to that relay.
public struct RelayAgent: Sendable {
    /// RFC 1542 §4.1.1: a request that has crossed this many relays is dropped.
    public static let maximumHops: UInt8 = 16

    /// The agent's address on the lab interface: the `giaddr` it sets.
    public let agentAddress: IPv4Address
    public let policy: ProxyPolicy
    /// What each client asked for, by transaction, so the reply can honour 55 and 57; the
    /// oldest transactions are forgotten first.
    private var requests: [UInt32: Request] = [:]
    private var requestOrder = Deque<UInt32>()
    private static let rememberedRequests = 4096

    private struct Request {
        var options: DHCPOptionCodeSet?
        var maximumSize: UInt16?
        /// When it was forwarded, on the caller's monotonic clock (nanoseconds).
        var forwardedAt: UInt64?
    }

    public init(agentAddress: IPv4Address, policy: ProxyPolicy) {
        self.agentAddress = agentAddress
        self.policy = policy
    }

    /// A datagram from the lab side: a client's request (or another relay's).
    ///
    /// Read with ``DHCPMessageSummary``: a request is forwarded as it came, so nothing but
    /// the header and options 53, 55 and 57 needs decoding.
    ///
    /// - Parameter now: the time on a monotonic clock, in nanoseconds, remembered with the
    ///   request so that the reply's ``ProxyDecision/upstreamLatency`` can be measured.
    public mutating func clientDatagram(_ bytes: [UInt8], now: UInt64? = nil) -> ProxyDecision {
        let message: DHCPMessageSummary
        do {
            message = try DHCPMessageSummary(decoding: bytes)
        } catch {
            return .malformed(error)
        }
        let type = ProxyDecision.MessageType(message.messageType, otherwise: .bootRequest)
        guard message.isRequest else {
            return ProxyDecision(
                action: .drop(.wrongDirection), client: message.clientMAC, messageType: type,
                verdict: .replyOnClientSide)
        }
        guard message.hops < Self.maximumHops else {
            return ProxyDecision(
                action: .drop(.hopLimit), client: message.clientMAC, messageType: type,
                verdict: .hopLimit(hops: message.hops, limit: Self.maximumHops))
        }
        self.remember(
            message.transactionID,
            Request(
                options: message.parameterRequestList, maximumSize: message.maximumMessageSize, forwardedAt: now))
        // Only hops and giaddr change: every other byte is the client's.
        let keptRelay = message.relayAddress != .any ? message.relayAddress : nil
        let forwarded = DHCPMessage.reencoded(
            bytes, hops: message.hops + 1, relayAddress: keptRelay ?? self.agentAddress)
        return ProxyDecision(
            action: .send(forwarded, to: .upstreamServers), client: message.clientMAC, messageType: type,
            verdict: .forwarded(keptRelay: keptRelay)
        )
    }

    /// A datagram from an upstream server: a reply to relay back.
    ///
    /// Only an OFFER or ACK for a matching client is decoded in full (to add the boot server);
    /// every other reply is checked with ``DHCPMessageSummary`` and passed on byte for byte.
    ///
    /// - Parameter now: the time on the monotonic clock ``clientDatagram(_:now:)`` was given;
    ///   with it, the decision carries the time since the request was forwarded.
    public mutating func serverDatagram(_ bytes: [UInt8], now: UInt64? = nil) -> ProxyDecision {
        let message: DHCPMessageSummary
        do {
            message = try DHCPMessageSummary(decoding: bytes)
        } catch {
            return .malformed(error)
        }
        var decision = self.relayBack(bytes, message)
        if let now, let forwarded = self.requests[message.transactionID]?.forwardedAt, now >= forwarded {
            decision.upstreamLatency = .nanoseconds(Int64(clamping: now - forwarded))
        }
        return decision
    }

    private func relayBack(_ bytes: [UInt8], _ message: DHCPMessageSummary) -> ProxyDecision {
        let messageType = message.messageType
        let type = ProxyDecision.MessageType(messageType, otherwise: .bootReply)
        guard !message.isRequest else {
            return ProxyDecision(
                action: .drop(.wrongDirection), client: message.clientMAC, messageType: type,
                verdict: .requestOnServerSide)
        }
        if message.relayAddress != .any && message.relayAddress != self.agentAddress {
            return ProxyDecision(
                action: .send(bytes, to: .unicast(message.relayAddress, DHCPMessage.serverPort)),
                client: message.clientMAC,
                messageType: type, verdict: .passedToRelay(message.relayAddress)
            )
        }
        let destination: ProxyDecision.Destination =
            message.clientAddress != .any && !message.isBroadcast
            ? .unicast(message.clientAddress, DHCPMessage.clientPort)
            : .broadcastToClients
        guard messageType == .offer || messageType == .ack else {
            return ProxyDecision(
                action: .send(bytes, to: destination), client: message.clientMAC, messageType: type,
                verdict: .notOfferOrAck(type))
        }
        guard let mac = message.clientMAC, self.policy.matches(mac) else {
            return ProxyDecision(
                action: .send(bytes, to: destination), client: message.clientMAC, messageType: type,
                verdict: .relayedUnchanged(reason: BootOptionInjection.notMatchingReason)
            )
        }
        // The summary accepted these bytes, and the full decoder accepts exactly the same.
        guard let reply = try? DHCPMessage(decoding: bytes) else {
            return ProxyDecision(action: .drop(.malformed), client: mac, messageType: type, verdict: .malformed(nil))
        }
        let request = self.requests[message.transactionID]
        switch BootOptionInjection.inject(
            into: reply, policy: self.policy, requestedOptions: request?.options,
            maximumMessageSize: request?.maximumSize.map(Int.init)
        ) {
        case .injected(let modified, let injected):
            let encoded = modified.encoded()
            // --override with the very value the server sent, where it sent it: nothing changed,
            // so nothing is claimed (nor counted) as injected.
            guard encoded != bytes else {
                return ProxyDecision(
                    action: .send(bytes, to: destination), client: mac, messageType: type,
                    verdict: .relayedUnchanged(reason: "the server already gives this boot server, where it would go"))
            }
            return ProxyDecision(
                action: .send(encoded, to: destination), client: mac, messageType: type,
                verdict: .relayedWithOptions(injected), injected: injected
            )
        case .unchanged(let reason):
            return ProxyDecision(
                action: .send(bytes, to: destination), client: mac, messageType: type,
                verdict: .relayedUnchanged(reason: reason))
        }
    }

    private mutating func remember(_ transactionID: UInt32, _ request: Request) {
        if self.requests.updateValue(request, forKey: transactionID) == nil {
            self.requestOrder.append(transactionID)
        }
        if self.requestOrder.count > Self.rememberedRequests, let oldest = self.requestOrder.popFirst() {
            self.requests.removeValue(forKey: oldest)
        }
    }
}
