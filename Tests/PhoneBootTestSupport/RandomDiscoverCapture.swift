public import Foundation

/// Writes a large classic pcap of DHCP DISCOVERs from random MAC addresses, fast, for the
/// memory tests and benchmarks: no client looks like a phone (no Polycom OUI, no vendor class,
/// no request for option 66, 150 or 160).
///
/// The output is deterministic for a given `seed`. Each frame is 292 bytes (308 with its pcap
/// record header): a broadcast DISCOVER with options 53 and 55 (1, 3, 6, 15).
public struct RandomDiscoverCapture {
    /// The number of DISCOVERs.
    public var count: Int
    public var seed: UInt64

    public init(count: Int, seed: UInt64 = 0x5048_4F4E_4542_4F4F) {
        self.count = max(0, count)
        self.seed = seed
    }

    /// Bytes per frame in the file, record header included.
    public static let recordSize = 16 + Self.frameTemplate.count

    /// The size of the file ``write(to:)`` makes.
    public var fileSize: Int { 24 + self.count * Self.recordSize }

    /// Writes the capture to `url`, replacing any file there.
    public func write(to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(PcapFileBuilder().bytes))

        // One block of records, filled with the template once; each block only patches the
        // fields that differ (time, MAC, xid), so generating stays fast in debug builds too.
        let perBlock = 8192
        var block = [UInt8](repeating: 0, count: perBlock * Self.recordSize)
        var generator = SplitMix64(seed: self.seed)
        block.withUnsafeMutableBytes { buffer in
            for index in 0..<perBlock {
                let base = index * Self.recordSize
                store32(UInt32(Self.frameTemplate.count), at: base + 8, in: buffer)
                store32(UInt32(Self.frameTemplate.count), at: base + 12, in: buffer)
                for (offset, byte) in Self.frameTemplate.enumerated() { buffer[base + 16 + offset] = byte }
            }
        }
        var written = 0
        while written < self.count {
            let inBlock = min(perBlock, self.count - written)
            block.withUnsafeMutableBytes { buffer in
                for index in 0..<inBlock {
                    let base = index * Self.recordSize
                    let frame = written + index
                    // One DISCOVER a millisecond.
                    store32(UInt32(1_700_000_000 + frame / 1000), at: base, in: buffer)
                    store32(UInt32(frame % 1000 * 1000), at: base + 4, in: buffer)
                    let mac = Self.nonPolycomMAC(generator.next())
                    for byte in 0..<6 {
                        buffer[base + 16 + 6 + byte] = mac[byte]  // Ethernet source
                        buffer[base + 16 + Self.chaddrOffset + byte] = mac[byte]
                    }
                    let xid = UInt32(truncatingIfNeeded: generator.next())
                    for byte in 0..<4 {
                        buffer[base + 16 + Self.xidOffset + byte] = UInt8(truncatingIfNeeded: xid >> (24 - 8 * byte))
                    }
                }
            }
            if inBlock == perBlock {
                try handle.write(contentsOf: Data(block))
            } else {
                try handle.write(contentsOf: Data(block[0..<(inBlock * Self.recordSize)]))
            }
            written += inBlock
        }
    }

    /// A unicast MAC from 48 random bits, moved off the Polycom OUIs.
    static func nonPolycomMAC(_ random: UInt64) -> [UInt8] {
        var mac = (0..<6).map { UInt8(truncatingIfNeeded: random >> (8 * $0)) }
        mac[0] &= 0xFE
        let polycom: [[UInt8]] = [[0x00, 0x04, 0xF2], [0x64, 0x16, 0x7F], [0x48, 0x25, 0x67]]
        if polycom.contains(Array(mac[0..<3])) { mac[2] ^= 0x01 }
        return mac
    }

    static let xidOffset = 14 + 20 + 8 + 4
    static let chaddrOffset = 14 + 20 + 8 + 28

    /// Ethernet, IPv4 0.0.0.0 → 255.255.255.255, UDP 68 → 67, BOOTP request with a zero MAC
    /// and xid, the magic cookie, options 53 (DISCOVER), 55 (1, 3, 6, 15), end.
    static let frameTemplate: [UInt8] = {
        let options: [UInt8] = [53, 1, 1, 55, 4, 1, 3, 6, 15, 255]
        var bootp: [UInt8] = [1, 1, 6, 0, 0, 0, 0, 0, 0, 0, 0x80, 0]
        bootp += [UInt8](repeating: 0, count: 236 - bootp.count)
        bootp += [99, 130, 83, 99] + options
        let udpLength = 8 + bootp.count
        let total = 20 + udpLength
        var ip: [UInt8] = [
            0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 0, 0, 0, 64, 17, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255,
        ]
        var sum: UInt32 = 0
        for index in stride(from: 0, to: ip.count, by: 2) { sum += UInt32(ip[index]) << 8 | UInt32(ip[index + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        let checksum = ~UInt16(sum)
        ip[10] = UInt8(checksum >> 8)
        ip[11] = UInt8(checksum & 0xFF)
        let udp: [UInt8] = [0, 68, 0, 67, UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0]
        let ethernet: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x08, 0x00]
        return ethernet + ip + udp + bootp
    }()
}

/// Little-endian, as the pcap record header of a file written on this machine.
private func store32(_ value: UInt32, at offset: Int, in buffer: UnsafeMutableRawBufferPointer) {
    buffer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self)
}
