public import Foundation

/// Writes small classic pcap files for tests (https://www.tcpdump.org/manpages/pcap-savefile.5.html).
public struct PcapFileBuilder {
    public var linkType: UInt32 = 1
    public var nanosecond = false
    public var frames: [(seconds: UInt32, fraction: UInt32, bytes: [UInt8])] = []

    public init() {}

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        func le32(_ value: UInt32) { out += withUnsafeBytes(of: value.littleEndian, Array.init) }
        func le16(_ value: UInt16) { out += withUnsafeBytes(of: value.littleEndian, Array.init) }
        le32(self.nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4)
        le16(2)
        le16(4)
        le32(0)
        le32(0)
        le32(65535)
        le32(self.linkType)
        for frame in self.frames {
            le32(frame.seconds)
            le32(frame.fraction)
            le32(UInt32(frame.bytes.count))
            le32(UInt32(frame.bytes.count))
            out += frame.bytes
        }
        return out
    }

    /// Writes the file to a new temporary path and returns it.
    public func write(truncatedBy cut: Int = 0) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("phoneboot-\(UUID().uuidString).pcap")
        try Data(self.bytes.dropLast(cut)).write(to: url)
        return url
    }

    /// A minimal Ethernet/IPv4/UDP frame to `port`.
    public static func udpFrame(port: UInt16, sourcePort: UInt16 = 12345, payload: [UInt8] = [0, 1, 2, 3]) -> [UInt8] {
        let udpLength = 8 + payload.count
        let total = 20 + udpLength
        var frame: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x04, 0xF2, 0x01, 0x02, 0x03, 0x08, 0x00]
        frame += [
            0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 0, 0, 0, 64, 17, 0, 0, 192, 0, 2, 50, 192, 0, 2, 1,
        ]
        frame += [
            UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF), UInt8(port >> 8), UInt8(port & 0xFF),
            UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0,
        ]
        return frame + payload
    }
}
