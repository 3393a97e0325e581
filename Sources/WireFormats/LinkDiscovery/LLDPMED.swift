/// What the LLDP-MED TLVs of one LLDPDU say (ANSI/TIA-1057 §10.2): the sender's LLDP-MED
/// capabilities and device class, its network policies, and its inventory.
///
/// A switch sends capabilities and network policies (the voice VLAN); a phone sends its
/// capabilities, the policy it runs with and its inventory (model, firmware, serial number).
public struct LLDPMED: Hashable, Sendable {
    /// The LLDP-MED capabilities bit map (§10.2.2.1): bit 0 capabilities, 1 network policy,
    /// 2 location, 3 extended power PSE, 4 extended power PD, 5 inventory.
    public var capabilities: UInt16?
    /// The device type (§10.2.2.2): 1–3 endpoint class I–III (a phone is class III), 4 network
    /// connectivity (a switch).
    public var deviceClass: UInt8?
    /// Every Network Policy TLV, in order (§10.2.3).
    public var networkPolicies: [LLDPNetworkPolicy] = []
    /// Inventory TLVs (§10.2.6), subtypes 5 to 11.
    public var hardwareRevision: String?
    public var firmwareRevision: String?
    public var softwareRevision: String?
    public var serialNumber: String?
    public var manufacturer: String?
    public var model: String?
    public var assetID: String?

    public init() {}

    /// The device class in TIA-1057's words.
    public var deviceClassName: String? {
        self.deviceClass.map {
            switch $0 {
            case 1: "endpoint class I"
            case 2: "endpoint class II"
            case 3: "endpoint class III"
            case 4: "network connectivity"
            default: "class \($0)"
            }
        }
    }

    /// The first policy for voice, if any.
    public var voicePolicy: LLDPNetworkPolicy? { self.networkPolicies.first { $0.application == .voice } }

    /// The first policy for voice signalling, if any.
    public var voiceSignalingPolicy: LLDPNetworkPolicy? {
        self.networkPolicies.first { $0.application == .voiceSignaling }
    }
}
