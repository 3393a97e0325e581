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
    public static func respond(to bytes: [UInt8], serverAddress: IPv4Address, policy: ProxyPolicy) -> ProxyDecision {
        let message: DHCPMessage
        do {
            message = try DHCPMessage(decoding: bytes)
        } catch {
            return ProxyDecision(action: .drop, client: nil, messageType: "?", verdict: "dropped: malformed (\(error))")
        }
        let type = message.messageType?.description ?? (message.isRequest ? "BOOTREQUEST" : "BOOTREPLY")
        let mac = message.clientMAC
        guard message.isRequest, message.messageType == .inform else {
            return ProxyDecision(action: .drop, client: mac, messageType: type, verdict: "ignored: inform mode answers DHCPINFORM only")
        }
        guard let mac, policy.matches(mac) else {
            return ProxyDecision(action: .drop, client: mac, messageType: type, verdict: "ignored: not a Polycom OUI")
        }
        guard message.clientAddress != .any else {
            return ProxyDecision(action: .drop, client: mac, messageType: type, verdict: "ignored: DHCPINFORM without ciaddr")
        }
        let options = message.options
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [DHCPMessageType.ack.rawValue]))
        area.append(DHCPOption(code: .serverIdentifier, data: serverAddress.octets))
        area.elements.append(.end)
        var ack = DHCPMessage(
            op: 2, hardwareType: message.hardwareType, hardwareLength: message.hardwareLength, transactionID: message.transactionID,
            flags: message.flags, clientAddress: message.clientAddress, relayAddress: message.relayAddress,
            clientHardwareAddress: mac, options: area
        )
        ack.clientHardwareAddressField = message.clientHardwareAddressField
        let outcome = BootOptionInjection.inject(
            into: ack, policy: ProxyPolicy(bootServer: policy.bootServer, ouis: policy.ouis, alsoOption66: policy.alsoOption66, override: true),
            requestedOptions: options.parameterRequestList.map(DHCPOptionCodeSet.init), maximumMessageSize: options.maximumMessageSize.map(Int.init)
        )
        guard case .injected(let answer, let injected) = outcome else {
            return ProxyDecision(action: .drop, client: mac, messageType: type, verdict: "not answered: \(outcome)")
        }
        // A relayed INFORM is answered through its relay (RFC 2131 §4.1).
        let destination: ProxyDecision.Destination = message.relayAddress != .any
            ? .unicast(message.relayAddress, DHCPMessage.serverPort)
            : .unicast(message.clientAddress, DHCPMessage.clientPort)
        return ProxyDecision(
            action: .send(answer.encoded(), to: destination), client: mac, messageType: type,
            verdict: "answered with DHCPACK", injected: injected
        )
    }
}
