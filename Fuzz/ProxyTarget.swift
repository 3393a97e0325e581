import BootProxy
import WireFormats

/// libFuzzer target `proxy`: the proxy's decisions (``InformResponder`` and a ``RelayAgent``
/// that keeps its state across datagrams) on any datagrams.
///
/// Input: one policy byte (bits 0-2 the boot server from ``bootServers``, bit 3 `--also-66`,
/// bit 4 `--override`), then datagrams, each a kind byte (0 INFORM responder, 1 relay from
/// the client side, 2 relay from the server side, modulo 3), a 16-bit big-endian length and
/// that many bytes.
///
/// Checks: nothing that fails to decode is ever sent; everything sent decodes; a request is
/// forwarded with only `hops` and `giaddr` changed; a reply is relayed byte for byte unless
/// the boot server was added for a matching client, and then every other option, the header
/// and the size limit (576 bytes of IP datagram, the client's option 57, or what the server
/// sent) hold; an INFORM answer is a DHCPACK with the boot server, to a phone (or through a
/// relay) on the lab subnet.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let flags = input.byte()
    let policy = ProxyPolicy(
        bootServer: bootServers[Int(flags & 0x07) % bootServers.count], alsoOption66: flags & 0x08 != 0,
        override: flags & 0x10 != 0
    )
    var relay = RelayAgent(agentAddress: agentAddress, policy: policy)
    var requestedSizes: [UInt32: UInt16] = [:]
    while !input.isAtEnd {
        let kind = input.byte() % 3
        let datagram = input.record()
        let decodes = (try? DHCPMessage(decoding: datagram)) != nil
        let decision: ProxyDecision
        switch kind {
        case 0:
            decision = InformResponder.respond(
                to: datagram, serverAddress: agentAddress, subnet: labSubnet, policy: policy)
        case 1: decision = relay.clientDatagram(datagram)
        default: decision = relay.serverDatagram(datagram)
        }
        guard case .send(let sent, let destination) = decision.action else {
            invariant(
                decodes || decision.dropReason == .malformed,
                "\(decision.verdict): bytes that do not decode dropped as \(String(describing: decision.dropReason))")
            continue
        }
        invariant(decodes, "\(decision.verdict): sent a datagram that does not decode")
        let reply: DHCPMessage
        do throws(WireFormatError) {
            reply = try DHCPMessage(decoding: sent)
            _ = try DHCPMessageSummary(decoding: sent)
        } catch {
            invariant(false, "\(decision.verdict): sent bytes that do not decode: \(error)")
            continue
        }
        switch kind {
        case 0: checkInformAnswer(datagram, answer: reply, sent: sent, to: destination, policy: policy)
        case 1:
            checkForwardedRequest(datagram, sent: sent, to: destination)
            if let summary = try? DHCPMessageSummary(decoding: datagram) {
                requestedSizes[summary.transactionID] = summary.maximumMessageSize
            }
        default:
            checkRelayedReply(
                datagram, reply: reply, sent: sent, policy: policy, requestedSizes: requestedSizes,
                injected: decision.injected)
        }
    }
    return 0
}

/// The proxy's own address, on the lab side.
private let agentAddress = IPv4Address(rawValue: 0xC000_0201)
/// The lab interface's subnet: 192.0.2.0/24.
private let labSubnet = IPv4Subnet(address: agentAddress, prefixLength: 24)

/// Boot servers as `--boot-server` takes them, one long enough to need two pieces (RFC 3396).
private let bootServers = [
    "tftp://192.0.2.1", "ftp://PlcmSpIp:PlcmSpIp@192.0.2.10", "http://192.0.2.10/phones/", "192.0.2.1",
    "https://provisioning.example.com:8443/" + String(repeating: "p", count: 280) + "/",
]

private func checkInformAnswer(
    _ request: [UInt8], answer: DHCPMessage, sent: [UInt8], to destination: ProxyDecision.Destination,
    policy: ProxyPolicy
) {
    guard let question = try? DHCPMessage(decoding: request) else { return }
    invariant(
        question.messageType == .inform && question.isRequest, "answered a \(String(describing: question.messageType))")
    guard let mac = question.clientMAC else { return invariant(false, "answered a client without an Ethernet MAC") }
    invariant(policy.matches(mac), "answered \(mac), outside the policy")
    invariant(answer.op == 2 && answer.messageType == .ack, "the answer is not a DHCPACK")
    invariant(answer.transactionID == question.transactionID, "the answer's xid differs")
    invariant(answer.clientMAC == mac, "the answer is for another MAC")
    invariant(
        answer.options.polycomBootServer == policy.bootServer,
        "the answer's 160 is \(String(describing: answer.options.polycomBootServer))")
    invariant(answer.options.serverIdentifier == agentAddress, "the answer's 54 is not the proxy")
    invariant(
        labSubnet.containsHost(question.clientAddress) && question.clientAddress != agentAddress,
        "answered ciaddr \(question.clientAddress)")
    invariant(
        question.relayAddress == .any || labSubnet.containsHost(question.relayAddress),
        "answered through giaddr \(question.relayAddress)")
    let limit = max(548, Int(question.options.maximumMessageSize ?? 0) - 28)
    invariant(sent.count <= limit, "the answer is \(sent.count) bytes, over \(limit)")
    let expected: ProxyDecision.Destination =
        question.relayAddress != .any
        ? .unicast(question.relayAddress, 67) : .unicast(question.clientAddress, 68)
    invariant(destination == expected, "the answer goes to \(destination), not \(expected)")
}

private func checkForwardedRequest(_ request: [UInt8], sent: [UInt8], to destination: ProxyDecision.Destination) {
    invariant(destination == .upstreamServers, "a request went to \(destination)")
    invariant(sent.count == request.count, "a forwarded request changed size")
    for index in sent.indices where index != 3 && !(24..<28).contains(index) {
        invariant(sent[index] == request[index], "a forwarded request changed byte \(index)")
    }
    invariant(request[0] == 1, "forwarded a BOOTREPLY upstream")
    invariant(sent[3] == request[3] + 1, "hops \(request[3]) forwarded as \(sent[3])")
    let giaddr = Array(request[24..<28])
    let expected = giaddr == [0, 0, 0, 0] ? agentAddress.octets : giaddr
    invariant(Array(sent[24..<28]) == expected, "giaddr forwarded as \(sent[24..<28])")
}

private func checkRelayedReply(
    _ original: [UInt8], reply: DHCPMessage, sent: [UInt8], policy: ProxyPolicy, requestedSizes: [UInt32: UInt16],
    injected: [DHCPOptionCode]
) {
    guard sent != original else {
        return invariant(injected.isEmpty, "claims to have injected \(injected) into unchanged bytes")
    }
    guard let server = try? DHCPMessage(decoding: original) else { return }
    invariant(!injected.isEmpty, "changed a reply without injecting anything")
    invariant(
        server.messageType == .offer || server.messageType == .ack,
        "changed a \(String(describing: server.messageType))")
    guard let mac = server.clientMAC else { return invariant(false, "changed a reply without an Ethernet MAC") }
    invariant(policy.matches(mac), "changed a reply for \(mac), outside the policy")
    let value = Array(policy.bootServer.utf8)
    for code in injected { invariant(reply.options[code] == value, "option \(code) is not the boot server") }
    if !policy.override {
        for code in injected {
            invariant(server.options[code] == nil, "replaced the server's option \(code) without --override")
        }
    }
    let others = { (option: DHCPOption) in !injected.contains(option.code) }
    invariant(
        Array(reply.options).filter(others) == Array(server.options).filter(others),
        "an option other than \(injected) changed")
    invariant(
        reply.op == server.op && reply.hops == server.hops && reply.transactionID == server.transactionID
            && reply.flags == server.flags
            && reply.clientAddress == server.clientAddress && reply.yourAddress == server.yourAddress
            && reply.serverAddress == server.serverAddress && reply.relayAddress == server.relayAddress
            && reply.clientHardwareAddressField == server.clientHardwareAddressField,
        "a header field changed"
    )
    let requested = requestedSizes[server.transactionID].map { Int($0) - 28 } ?? 0
    let limit = max(548, requested, original.count)
    invariant(sent.count <= limit, "the reply grew to \(sent.count) bytes, over \(limit)")
}
