/// A set of DHCP option codes (all 256 of them fit in four words): what a parameter request
/// list (option 55, RFC 2132 §9.8) asks for, read without allocating.
public struct DHCPOptionCodeSet: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {}

    public init(_ codes: some Sequence<DHCPOptionCode>) {
        for code in codes { self.insert(code) }
    }

    public func contains(_ code: DHCPOptionCode) -> Bool {
        let bit = UInt64(1) << UInt64(code.rawValue & 63)
        return switch code.rawValue >> 6 {
        case 0: self.words.0 & bit != 0
        case 1: self.words.1 & bit != 0
        case 2: self.words.2 & bit != 0
        default: self.words.3 & bit != 0
        }
    }

    public mutating func insert(_ code: DHCPOptionCode) {
        let bit = UInt64(1) << UInt64(code.rawValue & 63)
        switch code.rawValue >> 6 {
        case 0: self.words.0 |= bit
        case 1: self.words.1 |= bit
        case 2: self.words.2 |= bit
        default: self.words.3 |= bit
        }
    }

    public var isEmpty: Bool { self.words == (0, 0, 0, 0) }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.words == rhs.words }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.words.0)
        hasher.combine(self.words.1)
        hasher.combine(self.words.2)
        hasher.combine(self.words.3)
    }
}
