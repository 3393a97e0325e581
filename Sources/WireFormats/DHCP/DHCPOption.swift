/// One DHCP option: a code and its data, without the length byte (RFC 2132 §2).
public struct DHCPOption: Hashable, Sendable {
    public var code: DHCPOptionCode
    public var data: [UInt8]

    public init(code: DHCPOptionCode, data: [UInt8]) {
        self.code = code
        self.data = data
    }

    public init(code: DHCPOptionCode, string: String) {
        self.init(code: code, data: Array(string.utf8))
    }
}
