/// Finds the frame inside a tunnel's payload (see ``Tunnel`` for the formats and their
/// specifications). Each function returns the inner frame's link-layer header, its offsets
/// counted from the start of the whole frame, or `nil` when the payload is not something
/// decapsulated here (a GRE version 1, a CAPWAP fragment or keep-alive, DTLS); a header cut
/// short is a typed error.
enum TunnelDecapsulation {
    /// The inner frame and what the tunnel header said about it.
    struct Inner {
        var link: LinkLayerHeader
        var kind: Tunnel.Kind
        var identifier: UInt32?
        var originalVLAN: UInt16?
    }

    /// VXLAN's IANA port (RFC 7348 §5).
    static let vxlanPort: UInt16 = 4789
    /// CAPWAP data channel port (RFC 5415 §15.1).
    static let capwapDataPort: UInt16 = 5247

    /// GRE (RFC 2784 §2.1, RFC 2890 §2): flags and version, protocol type, then the optional
    /// checksum, key and sequence number words.
    static func gre(_ frame: Span<UInt8>, start: Int, end: Int) throws(WireFormatError) -> Inner? {
        var reader = ByteReader(frame.extracting(start..<end), base: start)
        guard let flags = reader.readUInt16(), let proto = reader.readUInt16() else {
            throw .truncated("GRE", "header", at: start, need: 4, have: end - start)
        }
        // Version 1 is PPTP's enhanced GRE; the routing bit is RFC 1701's source routing.
        guard flags & 0x0007 == 0, flags & 0x4000 == 0 else { return nil }
        let hasSequence = flags & 0x1000 != 0
        let optional = (flags & 0x8000 != 0 ? 4 : 0) + (flags & 0x2000 != 0 ? 4 : 0) + (hasSequence ? 4 : 0)
        guard reader.remaining >= optional else {
            throw .truncated(
                "GRE", "checksum/key/sequence", at: reader.absoluteOffset, need: optional, have: reader.remaining)
        }
        if flags & 0x8000 != 0 { _ = reader.skip(4) }
        let key = flags & 0x2000 != 0 ? reader.readUInt32() : nil
        if hasSequence { _ = reader.skip(4) }
        let innerStart = reader.absoluteOffset
        switch proto {
        case 0x6558:  // transparent Ethernet bridging
            let link = try LinkLayerHeader.decodeEthernet(frame, start: innerStart, end: end)
            return Inner(link: link, kind: .gre, identifier: key)
        case 0x88BE:
            // ERSPAN type I has no header of its own (and no sequence number); type II has 8 bytes.
            guard hasSequence else {
                let link = try LinkLayerHeader.decodeEthernet(frame, start: innerStart, end: end)
                return Inner(link: link, kind: .erspanI)
            }
            guard let word = reader.readUInt32(), reader.skip(4) else {
                throw .truncated("ERSPAN II", "header", at: innerStart, need: 8, have: end - innerStart)
            }
            let vlan = UInt16(truncatingIfNeeded: word >> 16) & 0x0FFF
            let encapsulation = word >> 11 & 0x3  // 1: ISL, 2: 802.1Q; the tag is no longer in the frame
            let link = try LinkLayerHeader.decodeEthernet(frame, start: innerStart + 8, end: end)
            return Inner(
                link: link, kind: .erspanII, identifier: word & 0x03FF,
                originalVLAN: (encapsulation == 1 || encapsulation == 2) && vlan != 0 && link.vlans.isEmpty
                    ? vlan : nil)
        case 0x22EB:
            guard let word = reader.readUInt32(), reader.skip(6), let last = reader.readUInt16() else {
                throw .truncated("ERSPAN III", "header", at: innerStart, need: 12, have: end - innerStart)
            }
            // The frame type (bits 10-14 of the last word) 0 is Ethernet; the O bit adds an
            // 8-byte platform-specific subheader.
            guard last >> 10 & 0x1F == 0 else { return nil }
            var headerLength = 12
            if last & 0x0001 != 0 {
                guard reader.skip(8) else {
                    throw .truncated(
                        "ERSPAN III", "platform subheader", at: innerStart + 12, need: 8, have: reader.remaining)
                }
                headerLength += 8
            }
            let vlan = UInt16(truncatingIfNeeded: word >> 16) & 0x0FFF
            let link = try LinkLayerHeader.decodeEthernet(frame, start: innerStart + headerLength, end: end)
            return Inner(
                link: link, kind: .erspanIII, identifier: word & 0x03FF,
                originalVLAN: vlan != 0 && link.vlans.isEmpty ? vlan : nil)
        default:
            // Any other EtherType straight after the GRE header: IPv4, LLDP, CDP (0x2000).
            return Inner(
                link: LinkLayerHeader(vlans: VLANTags(), etherType: proto, payloadOffset: innerStart, payloadEnd: end),
                kind: .gre, identifier: key)
        }
    }

    /// VXLAN (RFC 7348 §5): flags (I = 0x08: the VNI is valid), 24 reserved bits, the
    /// 24-bit VNI, 8 reserved bits, then an Ethernet frame.
    static func vxlan(_ frame: Span<UInt8>, start: Int, end: Int) throws(WireFormatError) -> Inner? {
        var reader = ByteReader(frame.extracting(start..<end), base: start)
        guard let first = reader.readUInt32(), let second = reader.readUInt32() else {
            throw .truncated("VXLAN", "header", at: start, need: 8, have: end - start)
        }
        let link = try LinkLayerHeader.decodeEthernet(frame, start: start + 8, end: end)
        return Inner(link: link, kind: .vxlan, identifier: first & 0x0800_0000 != 0 ? second >> 8 : nil)
    }

    /// CAPWAP data (RFC 5415 §4.1, §4.3): the preamble (version 0, type 0; type 1 is DTLS),
    /// then HLEN in 4-byte words, radio ID, wireless binding ID and the T/F/K flags. T set:
    /// a native frame of the binding (802.11 for binding 1, RFC 5416 §4.2), read with its
    /// frame-control bytes swapped as Cisco controllers send it and Wireshark reads it by
    /// default; T clear: an 802.3 frame.
    static func capwap(_ frame: Span<UInt8>, start: Int, end: Int) throws(WireFormatError) -> Inner? {
        var reader = ByteReader(frame.extracting(start..<end), base: start)
        guard let preamble = reader.readUInt8(), let high = reader.readUInt8(), let low = reader.readUInt16() else {
            throw .truncated("CAPWAP", "header", at: start, need: 4, have: end - start)
        }
        guard preamble == 0 else { return nil }  // DTLS, or a version this does not know
        let bits = UInt32(high) << 16 | UInt32(low)
        let headerLength = Int(bits >> 19 & 0x1F) * 4
        let radio = bits >> 14 & 0x1F
        let binding = bits >> 9 & 0x1F
        let native = bits & 0x100 != 0
        let fragment = bits & 0x80 != 0
        let keepAlive = bits & 0x08 != 0
        guard headerLength >= 8, headerLength <= end - start else {
            throw .badLength(
                "CAPWAP", "HLEN", at: start + 1, "header length \(headerLength) with \(end - start) bytes of payload")
        }
        guard !fragment, !keepAlive, start + headerLength < end else { return nil }
        let innerStart = start + headerLength
        if !native {
            let link = try LinkLayerHeader.decodeEthernet(frame, start: innerStart, end: end)
            return Inner(link: link, kind: .capwap, identifier: radio)
        }
        guard binding == 1 else { return nil }
        let link = try LinkLayerHeader.decode80211(
            frame.extracting(innerStart..<end), at: innerStart, swapsFrameControl: true)
        return Inner(link: link, kind: .capwap, identifier: radio)
    }
}
