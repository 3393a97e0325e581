public import WireFormats

/// Answers a Polycom phone's DHCPINFORM with the boot server (RFC 2131 §3.4, §4.3.5): the
/// phones' own fallback when DHCP gave no boot option (polycom-boot.md §2.3), and safe beside
/// any DHCP server because it hands out no address and answers nothing else.
public enum InformResponder {
    /// Decides what to do with one datagram received on the lab interface.
    ///
    /// - Parameters:
    ///   - bytes: the UDP payload.
    ///   - serverAddress: the proxy's address on that interface (option 54).
    ///   - subnet: the interface's subnet. Only a ciaddr on it is answered (and, for a relayed
    ///     INFORM, only a giaddr on it): an answer to any other address would wait on ARP for a
    ///     host that cannot be there, or go wherever a forged datagram points it.
    public static func respond(to bytes: [UInt8], serverAddress: IPv4Address, subnet: IPv4Subnet, policy: ProxyPolicy)
        -> ProxyDecision
    {
        // The summary accepts exactly what the full decoder does, and has every field used here.
        let message: DHCPMessageSummary
        do {
            message = try DHCPMessageSummary(decoding: bytes)
        } catch {
            return .malformed(error)
        }
        let type = ProxyDecision.MessageType(
            message.messageType, otherwise: message.isRequest ? .bootRequest : .bootReply)
        let mac = message.clientMAC
        guard message.isRequest, message.messageType == .inform else {
            return ProxyDecision(action: .drop(.notInform), client: mac, messageType: type, verdict: .notInform)
        }
        guard let mac, policy.matches(mac) else {
            return ProxyDecision(action: .drop(.notServedOUI), client: mac, messageType: type, verdict: .notServedOUI)
        }
        guard message.clientAddress != .any else {
            return ProxyDecision(
                action: .drop(.noClientAddress), client: mac, messageType: type, verdict: .noClientAddress)
        }
        guard subnet.containsHost(message.clientAddress), message.clientAddress != serverAddress else {
            return ProxyDecision(
                action: .drop(.offSubnet), client: mac, messageType: type,
                verdict: .clientOffSubnet(message.clientAddress, subnet)
            )
        }
        guard message.relayAddress == .any || subnet.containsHost(message.relayAddress) else {
            return ProxyDecision(
                action: .drop(.offSubnet), client: mac, messageType: type,
                verdict: .relayOffSubnet(message.relayAddress, subnet)
            )
        }
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [DHCPMessageType.ack.rawValue]))
        area.append(DHCPOption(code: .serverIdentifier, data: serverAddress.octets))
        area.elements.append(.end)
        // `clientMAC` is set only for htype 1 and hlen 6, the defaults here; chaddr is copied whole.
        var ack = DHCPMessage(
            op: 2, transactionID: message.transactionID, flags: message.flags, clientAddress: message.clientAddress,
            relayAddress: message.relayAddress, clientHardwareAddress: mac, options: area
        )
        ack.clientHardwareAddressField = message.clientHardwareAddressField
        let outcome = BootOptionInjection.inject(
            into: ack,
            policy: ProxyPolicy(
                bootServer: policy.bootServer, ouis: policy.ouis, alsoOption66: policy.alsoOption66, override: true),
            requestedOptions: message.parameterRequestList, maximumMessageSize: message.maximumMessageSize.map(Int.init)
        )
        let answer: DHCPMessage
        let injected: [DHCPOptionCode]
        switch outcome {
        case .injected(let message, let options):
            (answer, injected) = (message, options)
        case .unchanged(let reason):
            return ProxyDecision(
                action: .drop(.notAnswerable), client: mac, messageType: type, verdict: .notAnswerable(reason: reason))
        }
        // A relayed INFORM is answered through its relay (RFC 2131 §4.1).
        let destination: ProxyDecision.Destination =
            message.relayAddress != .any
            ? .unicast(message.relayAddress, DHCPMessage.serverPort)
            : .unicast(message.clientAddress, DHCPMessage.clientPort)
        return ProxyDecision(
            action: .send(answer.encoded(), to: destination), client: mac, messageType: type,
            verdict: .answered, injected: injected
        )
    }
}
