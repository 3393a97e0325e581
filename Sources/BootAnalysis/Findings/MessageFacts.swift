import WireFormats

/// What the finding rules search a DHCP message by (``PhoneRecord/lastMessage(where:)``).
struct MessageFacts {
    let type: DHCPMessageType?
    let frame: Int
    let fromClient: Bool
    let server: IPv4Address?
    /// True when the message carried a VLAN discovery option.
    let hasVLANDiscovery: Bool

    /// The facts of `messages[index]`, each read where it lies.
    init(_ messages: [DHCPTransaction.Message], at index: Int) {
        self.type = messages[index].type
        self.frame = messages[index].frame
        self.fromClient = messages[index].fromClient
        self.server = messages[index].server
        self.hasVLANDiscovery = !messages[index].vlanDiscovery.isEmpty
    }
}
