public import WireFormats

/// One LLDP or CDP announcer as the capture saw it: a switch port telling phones their voice
/// VLAN (polycom-boot.md §0 step 1, §6), or a device saying what it is. Repeats of the same
/// announcement from the same sender are one entry with a count.
public struct LinkAnnouncement: Hashable, Sendable {
    /// Which end of the link sent it.
    public enum Side: String, Hashable, Sendable {
        /// A switch, bridge, router or access point, or a sender that does not say it is an
        /// end device: what the network tells the port.
        case network
        /// A phone or another end device (LLDP telephone or station-only capability,
        /// LLDP-MED endpoint class I-III, CDP phone or host capability, and never a network
        /// announcement from the same MAC): what it says about itself.
        case endpoint
    }

    /// `"LLDP"` or `"CDP"`.
    public var protocolName: String
    public var side: Side
    public var sourceMAC: MACAddress?
    /// The VLAN tags the frame carried.
    public var vlans: VLANTags
    /// LLDP system name, CDP device ID.
    public var name: String?
    /// LLDP port ID, CDP port ID: the sender's port.
    public var port: String?
    /// LLDP system description, CDP platform.
    public var systemDescription: String?
    /// CDP software version; LLDP-MED firmware or software revision.
    public var firmware: String?
    /// LLDP-MED inventory.
    public var manufacturer: String?
    public var model: String?
    public var serialNumber: String?
    /// The voice VLAN announced: an LLDP-MED voice policy (not of unknown policy), or a CDP
    /// VoIP VLAN reply.
    public var voiceVLAN: UInt16?
    /// LLDP-MED: whether voice is to be tagged (CDP's voice VLAN is always tagged).
    public var voiceTagged: Bool?
    public var voicePriority: UInt8?
    public var voiceDSCP: UInt8?
    /// The voice signalling policy, when it differs from voice.
    public var signalingVLAN: UInt16?
    /// CDP native VLAN, LLDP 802.1 port VLAN.
    public var nativeVLAN: UInt16?
    /// The tunnel it came in, if any.
    public var tunnel: Tunnel?
    public var firstFrame: Int
    public var lastFrame: Int
    /// Frames carrying this same announcement.
    public var count = 1

    /// Builds the entry for one decoded frame.
    public init(_ discovery: LinkDiscovery, packet: DecodedPacket) {
        self.sourceMAC = packet.sourceMAC
        self.vlans = packet.vlans
        self.tunnel = packet.tunnel
        self.firstFrame = packet.frameNumber
        self.lastFrame = packet.frameNumber
        self.protocolName = discovery.protocolName
        switch discovery {
        case .lldp(let pdu):
            let stationOnly = (pdu.enabledCapabilities ?? 0) & 0x80 != 0
            let isEndpoint =
                pdu.med?.deviceClass.map { (1...3).contains($0) } ?? (pdu.isTelephone || stationOnly)
            self.side = isEndpoint ? .endpoint : .network
            self.name = pdu.systemName
            self.port = pdu.portID.description
            self.systemDescription = pdu.systemDescription
            self.nativeVLAN = pdu.portVLAN
            if let med = pdu.med {
                self.firmware = med.firmwareRevision ?? med.softwareRevision
                self.manufacturer = med.manufacturer
                self.model = med.model
                self.serialNumber = med.serialNumber
                if let voice = med.voicePolicy, !voice.isUnknown {
                    self.voiceVLAN = voice.vlanID
                    self.voiceTagged = voice.isTagged
                    self.voicePriority = voice.priority
                    self.voiceDSCP = voice.dscp
                }
                if let signaling = med.voiceSignalingPolicy, !signaling.isUnknown,
                    signaling.vlanID != self.voiceVLAN
                {
                    self.signalingVLAN = signaling.vlanID
                }
            }
        case .cdp(let cdp):
            let networkCapabilities: UInt32 = 0x01 | 0x02 | 0x04 | 0x08  // router, bridges, switch
            let capabilities = cdp.capabilities ?? 0
            let isEndpoint = cdp.isPhone || (capabilities & 0x10 != 0 && capabilities & networkCapabilities == 0)
            self.side = isEndpoint ? .endpoint : .network
            self.name = cdp.deviceID
            self.port = cdp.portID
            self.systemDescription = cdp.platform
            self.firmware = cdp.softwareVersion
            self.nativeVLAN = cdp.nativeVLAN
            if let voice = cdp.voiceVLANReply {
                self.voiceVLAN = voice.vlanID
                self.voiceTagged = true
            }
        }
    }

    /// The voice VLAN a phone is told to tag its traffic with: a tagged LLDP-MED voice policy
    /// with a VLAN ID, or a CDP voice VLAN. `nil` when the announcement sends voice untagged.
    public var taggedVoiceVLAN: UInt16? {
        guard let vlan = self.voiceVLAN, self.voiceTagged == true, vlan != 0 else { return nil }
        return vlan
    }

    /// The part number a Polycom phone puts in its LLDP system description
    /// (`Polycom;VVX-VVX_311;3111-48350-001,1;SIP/5.4.5.6840/...;UP/...;`, polycom-boot.md §6).
    public var polycomPartNumber: String? {
        guard let text = self.systemDescription, text.hasPrefix("Polycom;") else { return nil }
        let fields = text.split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count > 2 else { return nil }
        let part = fields[2].split(separator: ",").first.map(String.init) ?? ""
        let groups = part.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.count == 3, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        return part
    }

    /// Whether `other` says the same as this one, from the same sender (frames and count aside).
    func isRepeat(of other: LinkAnnouncement) -> Bool {
        var same = other
        same.firstFrame = self.firstFrame
        same.lastFrame = self.lastFrame
        same.count = self.count
        return same == self
    }
}
