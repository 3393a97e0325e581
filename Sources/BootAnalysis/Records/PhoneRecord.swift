public import WireFormats

/// Everything the capture shows about one phone (DESIGN §4): who it is, what it asked DHCP for
/// and got, the boot server in effect, the files it fetched, and the findings.
public struct PhoneRecord: Hashable, Sendable {
    public let mac: MACAddress
    /// From the OUI (`Polycom`, `Poly`), when known.
    public var vendor: String?
    /// The product name: `VVX 410`, `SoundPoint IP 550`.
    public var model: String?
    /// Where ``model`` came from: `option 60`, `file name`.
    public var modelSource: ModelSource?
    public var partNumber: String?
    public var applicationVersion: String?
    public var bootROMVersion: String?
    /// Option 60 as the phone sent it (display form).
    public var vendorClass: String?
    /// Addresses the phone was given or used, in order of appearance.
    public var addresses: [IPv4Address] = []
    /// VLAN IDs its frames carried (outermost first per frame), in order of appearance.
    public var vlans: [UInt16] = []
    public var transactions: [DHCPTransaction] = []
    public var bootServer: BootServer?
    public var fetches: [Fetch] = []
    /// The master configuration files (`<mac>.cfg`, `000000000000.cfg`) it fetched
    /// successfully, in order, with what could be read of each (polycom-boot.md §4.3).
    public var masterConfigs: [MasterConfigCopy] = []
    /// What the master configuration it used told it to fetch, and what it did (set at the
    /// end of the capture); `nil` when no master file was read.
    public var plan: BootPlan?
    public var findings: [Finding] = []
    /// DHCP/TFTP packets to or from this phone that could not be decoded.
    public var malformed: [MalformedPacket] = []
    /// What shows that the capture itself missed frames, the whole capture's (set at its end,
    /// for the findings that missing frames could explain).
    public var captureLoss = CaptureLoss()
    /// When the capture ended (nanoseconds, as ``DHCPTransaction/Message/timestamp``): its last
    /// frame, or the moment a live capture stopped; set at its end, `nil` when not known. A
    /// phone's silence after its ACK, or after its master file, says something only if the
    /// capture went on long enough (``BootAnalyzer/firstFetchWindow``, `config-file-skipped`).
    public var captureEnd: Int64?
    /// What the phone announced about itself by LLDP or CDP (model, firmware, the VLAN it
    /// runs with), each distinct announcement once.
    public var advertised: [LinkAnnouncement] = []
    /// What the network told the phone's port by LLDP-MED or CDP (voice VLAN, priority,
    /// DSCP), when the capture shows one network device announcing (see
    /// ``BootReport/announcements`` for all).
    public var switchAnnouncements: [LinkAnnouncement] = []
    /// First and last frame in which the phone appears.
    public var firstFrame: Int
    public var lastFrame: Int

    public init(mac: MACAddress, frame: Int) {
        self.mac = mac
        self.vendor = PolycomCatalogue.vendor(of: mac)
        self.firstFrame = frame
        self.lastFrame = frame
    }

    /// The phone's model as Polycom's files name it (`VVX410`, `SPIP550`; polycom-boot.md §5.1),
    /// from its part number, else from its model; `nil` when neither is known.
    public var modelTag: String? {
        if let part = self.partNumber, let model = PolycomCatalogue.model(partNumber: part) { return model.modelString }
        return self.model.flatMap(PolycomCatalogue.modelString(productName:))
    }

    /// The frames of the DHCP DISCOVERs that began each of the phone's boots (the first of each
    /// transaction), in order.
    public var bootFrames: [Int] {
        // Each message tested where it lies: `first(where:)` on the messages would copy each one
        // to its closure.
        var frames: [Int] = []
        for transaction in self.transactions.indices {
            let messages = self.transactions[transaction].messages
            if let index = messages.indices.first(where: {
                messages[$0].fromClient && messages[$0].type == .discover
            }) {
                frames.append(messages[index].frame)
            }
        }
        return frames.sorted()
    }

    /// The worst severity among the findings, or `nil` when there are none.
    public var verdict: Finding.Severity? { self.findings.lazy.map(\.severity).max() }

    /// True when the record looks like a phone (DESIGN §4): a Polycom OUI or vendor class, a
    /// request for option 66, 150 or 160, or a provisioning fetch.
    /// Asked for every packet of every client, so the cheap tests come first and none allocates.
    public var looksLikePhone: Bool {
        if self.vendorClassIsPolycom || PolycomCatalogue.isPolycom(self.mac) { return true }
        for transaction in self.transactions where transaction.asksForBootOption { return true }
        return self.fetches.contains { PolycomCatalogue.isProvisioningFile($0.file) }
    }

    var vendorClassIsPolycom = false
}
