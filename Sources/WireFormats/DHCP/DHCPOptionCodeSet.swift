/// A set of DHCP option codes (all 256 of them fit in four words): what a parameter request
/// list (option 55, RFC 2132 §9.8) asks for, read without allocating.
public struct DHCPOptionCodeSet: Hashable, Sendable {
    private var words = SIMD4<UInt64>()

    public init() {}

    public init(_ codes: some Sequence<DHCPOptionCode>) {
        for code in codes { self.insert(code) }
    }

    public func contains(_ code: DHCPOptionCode) -> Bool {
        self.words[Int(code.rawValue >> 6)] & Self.bit(code) != 0
    }

    public mutating func insert(_ code: DHCPOptionCode) {
        self.words[Int(code.rawValue >> 6)] |= Self.bit(code)
    }

    public var isEmpty: Bool { self.words == .zero }

    private static func bit(_ code: DHCPOptionCode) -> UInt64 {
        UInt64(1) << UInt64(code.rawValue & 63)
    }
}
