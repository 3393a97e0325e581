import BootProxy
import Testing
import WireFormats

/// The proxy's log shows each decision's message type and verdict as text; the text is part of
/// its output and must stay word for word.
@Suite("Proxy decisions as the log shows them")
struct ProxyDecisionTextTests {
    static let subnet = IPv4Subnet(address: IPv4Address(192, 0, 2, 1), prefixLength: 24)

    @Test(
        "every verdict's text",
        arguments: [
            (ProxyDecision.Verdict.malformed(nil), "dropped: malformed"),
            (.oversized(limit: 4096), "dropped: oversized (4096 bytes or more)"),
            (.answered, "answered with DHCPACK"),
            (.notInform, "ignored: inform mode answers DHCPINFORM only"),
            (.notServedOUI, "ignored: not a Polycom OUI"),
            (.noClientAddress, "ignored: DHCPINFORM without ciaddr"),
            (
                .clientOffSubnet(IPv4Address(198, 51, 100, 7), subnet),
                "ignored: ciaddr 198.51.100.7 is not a host of 192.0.2.0/24"
            ),
            (
                .relayOffSubnet(IPv4Address(198, 51, 100, 1), subnet),
                "ignored: relayed through giaddr 198.51.100.1, not on 192.0.2.0/24"
            ),
            (.notAnswerable(reason: "no room"), "not answered: unchanged(reason: \"no room\")"),
            (
                .clientRateLimited(.standard),
                "not answered: more than 3 INFORMs from this client (one more every 2000 ms)"
            ),
            (.totalRateLimited(.standard), "not answered: more than 50 answers a second to all clients"),
            (.forwarded(keptRelay: nil), "forwarded upstream"),
            (.forwarded(keptRelay: IPv4Address(192, 0, 2, 200)), "forwarded upstream (giaddr 192.0.2.200 kept)"),
            (.hopLimit(hops: 16, limit: 16), "dropped: hops 16 reached the limit of 16"),
            (.replyOnClientSide, "dropped: a reply on the client side"),
            (.requestOnServerSide, "dropped: a request from the server side"),
            (.passedToRelay(IPv4Address(192, 0, 2, 200)), "passed to relay 192.0.2.200"),
            (.notOfferOrAck(.dhcp(.nak)), "relayed unchanged (NAK)"),
            (.notOfferOrAck(.bootReply), "relayed unchanged (BOOTREPLY)"),
            (.relayedUnchanged(reason: "not a Polycom OUI"), "relayed unchanged: not a Polycom OUI"),
            (
                .relayedWithOptions([.polycomBootServer, .tftpServerName]),
                "relayed with option 160 and option 66 added"
            ),
            (.socketsClosed(.answered), "answered with DHCPACK, not sent: the sockets are closed"),
            (
                .notSent(.answered, failures: "192.0.2.7: Network is unreachable"),
                "answered with DHCPACK, but not sent: 192.0.2.7: Network is unreachable"
            ),
            (
                .partlySent(.forwarded(keptRelay: nil), failures: "198.51.100.9: No route to host"),
                "forwarded upstream (not sent to 198.51.100.9: No route to host)"
            ),
        ])
    func verdicts(verdict: ProxyDecision.Verdict, text: String) {
        #expect(verdict.description == text)
    }

    @Test("message types: the DHCP type, BOOTREQUEST/BOOTREPLY without option 53, ? for bytes that do not decode")
    func messageTypes() {
        #expect(ProxyDecision.MessageType.dhcp(.inform).description == "INFORM")
        #expect(ProxyDecision.MessageType.dhcp(DHCPMessageType(rawValue: 42)).description == "type 42")
        #expect(ProxyDecision.MessageType.bootRequest.description == "BOOTREQUEST")
        #expect(ProxyDecision.MessageType.bootReply.description == "BOOTREPLY")
        #expect(ProxyDecision.MessageType.unreadable.description == "?")
    }
}
