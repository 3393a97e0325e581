/// The DHCP messages a Polycom phone sends while it boots, for a probe that asks the network
/// as a phone would: DISCOVER, REQUEST and RELEASE (RFC 2131 §4.4.1, §4.4.6).
///
/// What is sent follows ../shared/reference/polycom-boot.md §1 and
/// dhcp-server-recipes.md §A.5: `chaddr` is the phone's MAC, the BROADCAST flag is set, option 60
/// is Polycom's binary vendor class (enterprise 13885, ``PolycomVendorClass``) or the ASCII
/// form `Polycom-VVX410`, and option 55 is a list captured from Polycom phones that asks for
/// 66, 160 and the VLAN-discovery options. Options 12, 51 and 61 are never sent (a server
/// that honours a requested lease time gives the probe a lease it does not want).
public struct PolycomDHCPRequest: Hashable, Sendable {
    /// How option 60 is written.
    public enum VendorClassForm: String, Hashable, Sendable, CaseIterable {
        /// Polycom's binary block: `00 00 36 3d`, a length, sub-options 1-5, `ff`.
        case binary
        /// `Polycom-<model>`, as `device.dhcp.option60Type="ASCII"` sends it.
        case ascii
    }

    /// A parameter request list captured from Polycom phones with the VLAN-discovery options on
    /// (the "Polycom Conference IP Phone" entry of polycom-boot.md §1.1): 191, 157, 144, 128,
    /// 66, 160, 7, 54, 42, 15, 6, 4, 3, 2, 1. Descending, as the phone sends it: servers that
    /// follow the client's order (ISC dhcpd, 1 last) can then be told from those that sort
    /// (Kea) and from those that put 1 and 28 first (dnsmasq).
    public static let parameterRequestList: [UInt8] = [191, 157, 144, 128, 66, 160, 7, 54, 42, 15, 6, 4, 3, 2, 1]

    /// The phone's MAC: `chaddr` and the Ethernet source.
    public var mac: MACAddress
    /// The transaction ID of every message of the exchange.
    public var transactionID: UInt32
    /// The vendor class the phone describes itself with.
    public var vendorClass: PolycomVendorClass
    /// The form option 60 takes.
    public var vendorClassForm: VendorClassForm
    /// Option 55.
    public var parameterRequestList: [UInt8]

    public init(
        mac: MACAddress, transactionID: UInt32, vendorClass: PolycomVendorClass, vendorClassForm: VendorClassForm,
        parameterRequestList: [UInt8] = Self.parameterRequestList
    ) {
        self.mac = mac
        self.transactionID = transactionID
        self.vendorClass = vendorClass
        self.vendorClassForm = vendorClassForm
        self.parameterRequestList = parameterRequestList
    }

    /// Option 60's bytes: the binary block, or `Polycom-` and the model without its family
    /// prefix (`VVX-VVX_410` gives `Polycom-VVX410`).
    public var vendorClassBytes: [UInt8] {
        switch self.vendorClassForm {
        case .binary:
            return self.vendorClass.encoded()
        case .ascii:
            let model = self.vendorClass.model ?? "Phone"
            let name = model.split(separator: "-", maxSplits: 1).last.map(String.init) ?? model
            return Array("Polycom-\(name.filter { $0 != "_" })".utf8)
        }
    }

    /// The DISCOVER, broadcast, `secs` as the phone has waited.
    public func discover(seconds: UInt16 = 0) -> DHCPMessage {
        self.message(.discover, seconds: seconds, extra: [])
    }

    /// The REQUEST that takes `offered` from the server `server` (RFC 2131 §4.3.2, SELECTING:
    /// options 50 and 54, `ciaddr` zero), broadcast.
    public func request(offered: IPv4Address, server: IPv4Address, seconds: UInt16 = 0) -> DHCPMessage {
        self.message(
            .request, seconds: seconds,
            extra: [
                DHCPOption(code: .requestedIPAddress, data: offered.octets),
                DHCPOption(code: .serverIdentifier, data: server.octets),
            ])
    }

    /// The RELEASE of `address` to `server` (RFC 2131 §4.4.6: `ciaddr` the address, option 54
    /// the server, unicast, no broadcast flag).
    public func release(address: IPv4Address, server: IPv4Address) -> DHCPMessage {
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [DHCPMessageType.release.rawValue]))
        area.append(DHCPOption(code: .serverIdentifier, data: server.octets))
        area.elements.append(.end)
        return DHCPMessage(
            op: 1, transactionID: self.transactionID, clientAddress: address, clientHardwareAddress: self.mac,
            options: area)
    }

    private func message(_ type: DHCPMessageType, seconds: UInt16, extra: [DHCPOption]) -> DHCPMessage {
        var area = DHCPOptionArea()
        area.append(DHCPOption(code: .messageType, data: [type.rawValue]))
        for option in extra { area.append(option) }
        area.append(DHCPOption(code: .maximumMessageSize, data: [0x05, 0xDC]))
        area.append(DHCPOption(code: .vendorClassIdentifier, data: self.vendorClassBytes))
        area.append(DHCPOption(code: .parameterRequestList, data: self.parameterRequestList))
        area.elements.append(.end)
        return DHCPMessage(
            op: 1, transactionID: self.transactionID, seconds: seconds, flags: 0x8000, clientHardwareAddress: self.mac,
            options: area)
    }
}
