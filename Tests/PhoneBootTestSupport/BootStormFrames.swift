/// Frame builders for ``BootStormCapture``: Ethernet (optionally 802.1Q-tagged), IPv4, UDP and
/// TCP, written byte by byte so that the generator does not depend on the decoders it feeds.
/// UDP and TCP checksums are left zero (tshark does not check them by default; RFC 768 allows a
/// zero UDP checksum); the IPv4 header checksum is computed.
enum BootStormFrames {
    struct Host: Hashable {
        var mac: [UInt8]
        var address: [UInt8]
    }

    static let broadcastMAC: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]

    static func ethernet(from source: [UInt8], to destination: [UInt8], vlan: UInt16?, payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(18 + payload.count)
        frame += destination
        frame += source
        if let vlan {
            frame += [0x81, 0x00]
            append16(vlan & 0x0FFF | 5 << 13, to: &frame)  // priority 5 (voice)
        }
        frame += [0x08, 0x00]
        frame += payload
        return frame
    }

    static func ipv4(from source: [UInt8], to destination: [UInt8], protocol number: UInt8, payload: [UInt8])
        -> [UInt8]
    {
        let total = 20 + payload.count
        var header: [UInt8] = [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 0, 0x40, 0, 64, number, 0, 0]
        header += source
        header += destination
        var sum: UInt32 = 0
        for index in stride(from: 0, to: 20, by: 2) { sum += UInt32(header[index]) << 8 | UInt32(header[index + 1]) }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        let checksum = ~UInt16(sum)
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xFF)
        return header + payload
    }

    static func udp(sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8]) -> [UInt8] {
        var datagram: [UInt8] = []
        datagram.reserveCapacity(8 + payload.count)
        append16(sourcePort, to: &datagram)
        append16(destinationPort, to: &datagram)
        append16(UInt16(8 + payload.count), to: &datagram)
        datagram += [0, 0]
        return datagram + payload
    }

    struct TCPFlags: OptionSet {
        let rawValue: UInt8
        static let fin = TCPFlags(rawValue: 0x01)
        static let syn = TCPFlags(rawValue: 0x02)
        static let rst = TCPFlags(rawValue: 0x04)
        static let psh = TCPFlags(rawValue: 0x08)
        static let ack = TCPFlags(rawValue: 0x10)
    }

    static func tcp(
        sourcePort: UInt16, destinationPort: UInt16, sequence: UInt32, acknowledgment: UInt32, flags: TCPFlags,
        payload: [UInt8]
    ) -> [UInt8] {
        var segment: [UInt8] = []
        segment.reserveCapacity(20 + payload.count)
        append16(sourcePort, to: &segment)
        append16(destinationPort, to: &segment)
        append32(sequence, to: &segment)
        append32(flags.contains(.ack) ? acknowledgment : 0, to: &segment)
        segment += [0x50, flags.rawValue, 0xFA, 0xF0, 0, 0, 0, 0]
        return segment + payload
    }

    static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
