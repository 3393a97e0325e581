/// The 802.1Q VLAN IDs of a frame, outermost first, held inline (up to four tags).
///
/// IEEE 802.1Q §9.6: a tag is a TPID (0x8100, or 0x88A8/0x9100 for a service tag in QinQ)
/// followed by a TCI whose low 12 bits are the VLAN ID. A priority-only tag has VLAN ID 0.
public struct VLANTags: Hashable, Sendable, CustomStringConvertible {
    /// The most tags recorded; deeper stacks are still walked but not kept.
    public static let capacity = 4

    private var packed: UInt64 = 0
    /// The number of tags recorded (at most ``capacity``).
    public private(set) var count: Int = 0

    public init() {}

    public init(_ ids: [UInt16]) {
        for id in ids { self.append(id) }
    }

    mutating func append(_ id: UInt16) {
        guard self.count < Self.capacity else { return }
        self.packed |= UInt64(id & 0x0FFF) << (16 * UInt64(self.count))
        self.count += 1
    }

    /// The VLAN IDs, outermost first.
    public var ids: [UInt16] {
        (0..<self.count).map { UInt16(truncatingIfNeeded: self.packed >> (16 * UInt64($0))) }
    }

    public var isEmpty: Bool { self.count == 0 }

    public var description: String {
        self.ids.map { String($0) }.joined(separator: "/")
    }
}
