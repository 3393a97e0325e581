/// DHCP option 82, relay agent information (RFC 3046 §2): a list of sub-options.
public struct RelayAgentInformation: Hashable, Sendable {
    /// The sub-options in wire order (1 circuit ID, 2 remote ID, 5 link selection, 6 subscriber ID...).
    public var subOptions: [DHCPOption]

    public init(subOptions: [DHCPOption]) {
        self.subOptions = subOptions
    }

    /// Decodes option 82's data; a sub-option that runs past the end is an error.
    public init(decoding data: [UInt8]) throws(WireFormatError) {
        var subOptions: [DHCPOption] = []
        var index = 0
        while index < data.count {
            let code = data[index]
            guard index + 1 < data.count else {
                throw .truncated("DHCP", "option 82 sub-option \(code) length", at: index + 1, need: 1, have: 0)
            }
            let length = Int(data[index + 1])
            guard index + 2 + length <= data.count else {
                throw .badLength(
                    "DHCP", "option 82 sub-option \(code) length", at: index + 1,
                    "sub-option \(code) claims \(length) bytes, only \(data.count - index - 2) left"
                )
            }
            subOptions.append(
                DHCPOption(code: DHCPOptionCode(code), data: Array(data[(index + 2)..<(index + 2 + length)])))
            index += 2 + length
        }
        self.subOptions = subOptions
    }

    /// Sub-option 1.
    public var circuitID: [UInt8]? { self.subOptions.first { $0.code.rawValue == 1 }?.data }
    /// Sub-option 2.
    public var remoteID: [UInt8]? { self.subOptions.first { $0.code.rawValue == 2 }?.data }
    /// Sub-option 5 (RFC 3527).
    public var linkSelection: IPv4Address? {
        self.subOptions.first { $0.code.rawValue == 5 }.flatMap { IPv4Address(octets: $0.data) }
    }

    /// The data of option 82.
    public func encoded() -> [UInt8] {
        self.subOptions.flatMap { [$0.code.rawValue, UInt8(truncatingIfNeeded: $0.data.count)] + $0.data }
    }
}
