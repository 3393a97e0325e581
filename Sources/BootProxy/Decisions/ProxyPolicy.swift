public import WireFormats

/// What the proxy gives Polycom phones, and to whom: the settings every decision reads.
public struct ProxyPolicy: Hashable, Sendable {
    /// The boot-server string to give, as the phone will read it (already validated).
    public var bootServer: String
    /// Client OUIs (the MAC's first three bytes) that get it.
    public var ouis: Set<UInt32>
    /// Also give option 66, not only when the client asks for it.
    public var alsoOption66: Bool
    /// Replace a boot server the DHCP server already gave.
    public var override: Bool

    public init(
        bootServer: String, ouis: Set<UInt32> = MACAddress.polycomOUIs, alsoOption66: Bool = false,
        override: Bool = false
    ) {
        self.bootServer = bootServer
        self.ouis = ouis
        self.alsoOption66 = alsoOption66
        self.override = override
    }

    /// True when `mac` has one of ``ouis``.
    public func matches(_ mac: MACAddress) -> Bool {
        self.ouis.contains(mac.oui)
    }
}
