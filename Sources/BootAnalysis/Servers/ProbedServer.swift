public import WireFormats

/// One DHCP server as a probe saw it: what it offered a phone (RFC 2131 §4.3.1), the boot
/// server in it as the phone would read it (160 over 66 over 150, polycom-boot.md §2.2), a guess
/// of its implementation, and what would go wrong if the phone took its offer.
public struct ProbedServer: Hashable, Sendable {
    /// Option 54, or the IP source when the reply has none.
    public let identifier: IPv4Address
    /// The Ethernet source of its reply.
    public let mac: MACAddress?
    /// `yiaddr` of its offer.
    public let offeredAddress: IPv4Address
    /// Option 160, 66 and 150 as sent (`nil` when absent).
    public let option160: BootServerString?
    public let option66: BootServerString?
    public let option150: [IPv4Address]?
    /// Options 128, 144, 157 and 191 (VLAN discovery, polycom-boot.md §6) as sent.
    public let vlanDiscovery: [DHCPOption]
    /// The same options as the phone reads them (`VLAN-A=`), in the order it examines them.
    public let vlanLookup: VLANDiscoveryLookup
    /// Option 51, seconds.
    public let leaseTime: UInt32?
    /// The option codes of its reply in wire order.
    public let optionOrder: [UInt8]
    /// The implementation the option order points to.
    public let guess: DHCPServerKind.Guess
    /// True when the reply went to the phone's MAC although the DISCOVER asked for broadcast.
    public let unicastDespiteBroadcastFlag: Bool
    /// The frame numbers of its replies (OFFERs, then ACK or NAK).
    public var frames: [Int]

    /// Reads `offer`, sent from `mac` to `destination`, in frame `frame`; `requested` is the
    /// probe's option 55.
    public init(
        offer: DHCPMessage, mac: MACAddress?, destination: MACAddress?, source: IPv4Address, frame: Int,
        requested: [UInt8]
    ) {
        let options = offer.options
        self.identifier = options.serverIdentifier ?? source
        self.mac = mac
        self.offeredAddress = offer.yourAddress
        self.option160 = options.polycomBootServer.map(BootServerString.init)
        self.option66 = options.tftpServerName.map(BootServerString.init)
        self.option150 = options.tftpServerAddresses
        self.vlanDiscovery = [128, 144, 157, 191].compactMap { (code: UInt8) in
            options[DHCPOptionCode(code)].map { DHCPOption(code: DHCPOptionCode(code), data: $0) }
        }
        self.vlanLookup = VLANDiscoveryLookup(options)
        self.leaseTime = options.leaseTime
        self.optionOrder = DHCPServerKind.optionOrder(offer)
        self.guess = DHCPServerKind.guess(reply: offer, requested: requested)
        self.unicastDespiteBroadcastFlag = destination.map { $0 != UDPFrame.broadcastMAC } ?? false
        self.frames = [frame]
    }

    /// The boot server the phone would take from this offer: 160, else 66, else the first
    /// address of 150, with the option it came from.
    public var bootServer: (option: UInt8, value: BootServerString)? {
        if let option160 { return (160, option160) }
        if let option66 { return (66, option66) }
        if let first = self.option150?.first { return (150, BootServerString(first.description)) }
        return nil
    }

    /// What would go wrong if the phone took this offer, as the codes `analyze` gives such an
    /// ACK: `no-boot-server`, `option-66-only`, `boot-server-malformed`.
    public var problems: [Finding.Code] {
        guard let bootServer else { return [.noBootServer] }
        var codes: [Finding.Code] = []
        if bootServer.value.problem != nil { codes.append(.bootServerMalformed) }
        if self.option160 == nil, self.option66 != nil { codes.append(.option66Only) }
        return codes
    }
}
