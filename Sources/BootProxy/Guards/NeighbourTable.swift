import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// Which addresses on the lab interface the kernel already has a link-layer address for
/// (`/proc/net/arp`, flag `ATF_COM`): an answer to one of them leaves at once instead of
/// waiting on ARP.
///
/// Read at most every ``refreshInterval`` nanoseconds, and only when the overall answer limit
/// is reached, so that a flood of forged INFORMs for hosts that do not exist cannot hold back a
/// phone the kernel can already reach.
struct NeighbourTable {
    static let refreshInterval: UInt64 = 100_000_000
    /// `ATF_COM` (linux/if_arp.h): the entry has a link-layer address.
    private static let complete: UInt32 = 0x2

    let device: String
    private var resolved: Set<UInt32> = []
    private var readAt: UInt64?

    init(device: String) {
        self.device = device
    }

    /// True when the kernel has a link-layer address for `address` on the device, as of at
    /// most ``refreshInterval`` before `now`.
    mutating func isResolved(_ address: IPv4Address, now: UInt64) -> Bool {
        if let readAt = self.readAt, now >= readAt, now - readAt < Self.refreshInterval {
            return self.resolved.contains(address.rawValue)
        }
        self.resolved = Self.read(device: self.device)
        self.readAt = now
        return self.resolved.contains(address.rawValue)
    }

    /// The complete entries of `/proc/net/arp` on `device`:
    /// `IP address  HW type  Flags  HW address  Mask  Device`, after a header line.
    private static func read(device: String) -> Set<UInt32> {
        guard let file = fopen("/proc/net/arp", "r") else { return [] }
        defer { fclose(file) }
        var result: Set<UInt32> = []
        var line = [CChar](repeating: 0, count: 512)
        var first = true
        while fgets(&line, Int32(line.count), file) != nil {
            defer { first = false }
            guard !first else { continue }
            let text = line.withUnsafeBufferPointer { buffer in
                String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
            guard fields.count >= 6, fields[5] == device, let address = IPv4Address(fields[0]),
                fields[2].hasPrefix("0x"), let flags = UInt32(fields[2].dropFirst(2), radix: 16),
                flags & Self.complete != 0
            else { continue }
            result.insert(address.rawValue)
        }
        return result
    }
}
