public import WireFormats

/// One DHCP exchange of a client: every message with the same `xid` from or to its MAC.
public struct DHCPTransaction: Hashable, Sendable {
    /// One message of the exchange.
    public struct Message: Hashable, Sendable {
        public let frame: Int
        /// Nanoseconds since the Unix epoch.
        public let timestamp: Int64
        /// `nil` for plain BOOTP.
        public let type: DHCPMessageType?
        public let fromClient: Bool
        /// For replies: the server (option 54, else the IP source).
        public let server: IPv4Address?
        /// For replies: `yiaddr`.
        public let yourAddress: IPv4Address
        /// Boot options in a reply, raw (password not masked here; renderers mask).
        public let option160: String?
        public let option66: String?
        public let option150: [IPv4Address]?
        public let option67: String?
        /// True when option 160 or 66 holds bytes that are not text (sent as an address?).
        public let bootOptionNotText: Bool
        /// False when the message was joined to its client by Ethernet address, its `chaddr`
        /// not being a MAC address (hardware type 1, length 6; RFC 2131 §2).
        public internal(set) var clientHardwareAddressIsMAC = true
        /// For replies: the option codes in wire order (``DHCPServerKind/optionOrder(_:)``),
        /// what tells the server's implementation.
        public internal(set) var optionOrder: [UInt8] = []
        /// The 802.1Q VLAN IDs the message was seen with (outermost first; empty: untagged),
        /// or the VLAN an ERSPAN header says a mirrored frame was on.
        public var vlans = VLANTags()
        /// Replies: the DHCP VLAN discovery options present (`VLAN-A=`, polycom-boot.md §6),
        /// in the order the phone reads them, each parsed or with what is wrong.
        public var vlanDiscovery: [VLANDiscoveryLookup.Entry] = []

        /// The VLAN the message travelled on: the innermost tag, `nil` when untagged.
        public var vlan: UInt16? { self.vlans.ids.last }

        /// The VLAN a reply's valid `VLAN-A=` string moves the phone to, with the option.
        public var announcedVLAN: (option: DHCPOptionCode, vlan: UInt16)? {
            for entry in self.vlanDiscovery {
                if case .success(let value) = entry.result { return (entry.option, value.vlanID) }
            }
            return nil
        }
    }

    public let transactionID: UInt32
    public private(set) var messages: [Message] = []
    /// The parameter request list of the client's last request in this exchange.
    public private(set) var parameterRequestList: [DHCPOptionCode]?

    public init(transactionID: UInt32) {
        self.transactionID = transactionID
    }

    mutating func add(_ message: Message, parameterRequestList: [DHCPOptionCode]?) {
        self.messages.append(message)
        if let parameterRequestList { self.parameterRequestList = parameterRequestList }
    }

    /// The boot options the client asked for (66, 150, 160), in its order.
    public var requestedBootOptions: [DHCPOptionCode] {
        (self.parameterRequestList ?? []).filter {
            [.tftpServerName, .tftpServerAddress, .polycomBootServer].contains($0)
        }
    }

    /// True when ``requestedBootOptions`` is not empty (without building it).
    var asksForBootOption: Bool {
        guard let list = self.parameterRequestList else { return false }
        for code in list where code == .tftpServerName || code == .tftpServerAddress || code == .polycomBootServer {
            return true
        }
        return false
    }

    public var offers: [Message] { self.messages.filter { $0.type == .offer } }
    public var acks: [Message] { self.messages.filter { $0.type == .ack } }
    public var naks: [Message] { self.messages.filter { $0.type == .nak } }

    /// Client messages that expect an answer: DISCOVER and REQUEST.
    public var requests: [Message] {
        self.messages.filter { $0.fromClient && ($0.type == .discover || $0.type == .request) }
    }

    /// True when a server answered anything in this exchange. (Each message tested where it
    /// lies: `contains` would copy each one to its closure.)
    public var answered: Bool { self.messages.indices.contains { !self.messages[$0].fromClient } }
}
