/// An IPv4 subnet: a network address and a prefix length (RFC 4632 §3.1), for "is this
/// address on that link?".
public struct IPv4Subnet: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the subnet (host bits zero).
    public let network: IPv4Address
    /// The prefix length, 0 to 32.
    public let prefixLength: Int

    /// The subnet of `address` with a prefix of `prefixLength` bits (clamped to 0...32).
    public init(address: IPv4Address, prefixLength: Int) {
        let length = min(max(prefixLength, 0), 32)
        self.prefixLength = length
        self.network = IPv4Address(rawValue: address.rawValue & Self.mask(length))
    }

    /// The subnet of `address` under `netmask` (`255.255.255.0`); `nil` when the mask's one
    /// bits are not contiguous.
    public init?(address: IPv4Address, netmask: IPv4Address) {
        let ones = netmask.rawValue.nonzeroBitCount
        guard Self.mask(ones) == netmask.rawValue else { return nil }
        self.init(address: address, prefixLength: ones)
    }

    /// The subnet's directed broadcast address (all host bits one).
    public var broadcast: IPv4Address {
        IPv4Address(rawValue: self.network.rawValue | ~Self.mask(self.prefixLength))
    }

    /// True when `address` is in the subnet.
    public func contains(_ address: IPv4Address) -> Bool {
        address.rawValue & Self.mask(self.prefixLength) == self.network.rawValue
    }

    /// True when `address` can be a host of the subnet: in it, and neither its network nor its
    /// broadcast address (a /31 or /32 has no such reserved addresses, RFC 3021).
    public func containsHost(_ address: IPv4Address) -> Bool {
        guard self.contains(address) else { return false }
        guard self.prefixLength < 31 else { return true }
        return address != self.network && address != self.broadcast
    }

    public var description: String { "\(self.network)/\(self.prefixLength)" }

    private static func mask(_ length: Int) -> UInt32 {
        length == 0 ? 0 : UInt32.max << UInt32(32 - length)
    }
}
