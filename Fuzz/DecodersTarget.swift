import BootAnalysis
import WireFormats

/// libFuzzer target `decoders`: the same bytes through every other decoder.
///
/// - As a frame of every supported link type: the payload range lies inside the frame, the
///   IPv4 and transport headers lie before it, and every error names a byte of the frame (or
///   its end); a UDP payload then goes through the DHCP and TFTP decoders with its offset.
/// - The payload of an LLDP or CDP frame (and the bytes themselves) through the LLDP and CDP
///   decoders, frames inside tunnels included: every error names a byte of what was decoded.
/// - As a DHCP VLAN discovery string: the IDs are 0–4095, an error points into the string.
/// - As a TFTP packet: decode, encode, decode gives the same packet.
/// - As FTP command and reply lines, HTTP request and response heads, a TLS record with a
///   ClientHello or an alert, a Polycom option 60 and a boot-server string: no trap.
/// - As the payload of a frame `probe` sends: the frame dissects back to the same payload with
///   IPv4 and UDP checksums that verify; as a DHCP reply a probe receives: the server read
///   from it and the implementation guessed, whose reason names the option order.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzInput(data, size).bytes
    for linkType in LinkType.supported { checkDissection(bytes, linkType: linkType) }
    checkTFTP(bytes, base: 0)
    checkLinkDiscovery(bytes)
    exerciseTCPDecoders(bytes)
    _ = PolycomVendorClass(bytes: bytes).map { ($0.description, $0.encoded()) }
    _ = VendorClassIdentifier(bytes: bytes).polycomModel
    let string = BootServerString(String(decoding: bytes, as: UTF8.self))
    _ = (string.masked, string.scheme, string.user, string.host, string.port, string.path, string.problem)
    checkQuoted(string)
    checkProbe(bytes)
    return 0
}

/// ``BootServerString/quoted`` is one quoted string whose inside has no bare quote or control
/// character; ``BootServerString/shown`` is it or the masked value; the value without its
/// quote characters has none left.
private func checkQuoted(_ string: BootServerString) {
    let quoted = Array(string.quoted.unicodeScalars)
    invariant(quoted.count >= 2 && quoted.first == "\"" && quoted.last == "\"", "quoted is not in quotes: \(quoted)")
    var index = 1
    while index < quoted.count - 1 {
        let scalar = quoted[index]
        invariant(scalar != "\"" && scalar.value >= 0x20 && scalar.value != 0x7F, "bare \(scalar) in \(quoted)")
        index += scalar == "\\" ? 2 : 1
    }
    invariant(index == quoted.count - 1, "the closing quote of \(string.quoted) is escaped")
    invariant(string.shown == string.masked || string.shown == string.quoted, "shown is \(string.shown)")
    invariant(!string.withoutQuoteCharacters.hasQuoteCharacters, "quotes left in \(string.withoutQuoteCharacters.raw)")
}

/// An error must point into the bytes decoded (`base..<base + count`) or just past them.
private func checkOffset(_ error: WireFormatError, base: Int, count: Int, _ what: String) {
    invariant(
        (base...(base + count)).contains(error.offset),
        "\(what): error offset \(error.offset) outside \(base)...\(base + count): \(error)")
}

private func checkDissection(_ frame: [UInt8], linkType: LinkType) {
    let dissection: FrameDissection
    do {
        dissection = try FrameDissection.dissect(frame.span, linkType: linkType)
    } catch {
        checkOffset(error, base: 0, count: frame.count, "\(linkType)")
        return
    }
    let payload = dissection.payload
    invariant(
        payload.lowerBound >= 0 && payload.upperBound <= frame.count,
        "\(linkType): payload \(payload) in a \(frame.count)-byte frame")
    invariant(
        dissection.link.payloadOffset <= frame.count,
        "\(linkType): link payload at \(dissection.link.payloadOffset) of \(frame.count)")
    if let error = dissection.transportError { checkOffset(error, base: 0, count: frame.count, "\(linkType) UDP") }
    guard let ip = dissection.ipv4 else {
        do {
            _ = try LinkDiscovery.decode(
                etherType: dissection.link.etherType, payload: frame.span.extracting(payload),
                base: payload.lowerBound)
        } catch {
            checkOffset(error, base: payload.lowerBound, count: payload.count, "\(linkType) LLDP/CDP")
        }
        return
    }
    let transportStart = dissection.link.payloadOffset + ip.headerLength
    invariant(
        transportStart <= payload.lowerBound,
        "\(linkType): payload \(payload) starts inside the IPv4 header (transport at \(transportStart))")
    guard case .udp = dissection.transport, !ip.isFragment, dissection.transportError == nil else { return }
    let udpPayload = Array(frame[payload])
    do {
        _ = try DHCPMessage(decoding: frame.span.extracting(payload), base: payload.lowerBound)
    } catch {
        checkOffset(error, base: payload.lowerBound, count: payload.count, "\(linkType) DHCP")
    }
    checkTFTP(udpPayload, base: payload.lowerBound)
}

/// The LLDP, CDP and VLAN-A= decoders straight on the bytes.
private func checkLinkDiscovery(_ bytes: [UInt8]) {
    do {
        let pdu = try LLDPDU(decoding: bytes)
        _ = (pdu.chassisID.description, pdu.portID.description, pdu.med?.networkPolicies.map(\.description))
    } catch {
        checkOffset(error, base: 0, count: bytes.count, "LLDP")
    }
    do {
        _ = try CDPPacket(decoding: bytes)
    } catch {
        checkOffset(error, base: 0, count: bytes.count, "CDP")
    }
    do {
        let string = try VLANDiscoveryString(parsing: bytes, option: .vlanDiscovery128)
        invariant(
            !string.vlanIDs.isEmpty && string.vlanIDs.allSatisfy { $0 <= 4095 }, "VLAN-A= IDs \(string.vlanIDs)")
    } catch {
        checkOffset(error, base: 0, count: bytes.count, "VLAN-A=")
    }
}

/// Decode, encode, decode: the same TFTP packet (DATA keeps only its size).
private func checkTFTP(_ bytes: [UInt8], base: Int) {
    let packet: TFTPPacket
    do {
        packet = try TFTPPacket(decoding: bytes.span, base: base)
    } catch {
        checkOffset(error, base: base, count: bytes.count, "TFTP")
        return
    }
    _ = (packet.name, packet.opcode)
    if case .readRequest(let request) = packet { _ = request.requestedBlockSize }
    do throws(WireFormatError) {
        let again = try TFTPPacket(decoding: packet.encoded())
        invariant(again == packet, "TFTP \(packet.name) re-encoded decodes to \(again.name), not the same packet")
    } catch {
        invariant(false, "TFTP \(packet.name) re-encoded does not decode: \(error)")
    }
}

/// The decoders of what TCP carries: each line as FTP, the whole as HTTP heads and TLS.
private func exerciseTCPDecoders(_ bytes: [UInt8]) {
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(64) {
        let trimmed = line.last == 0x0D ? line.dropLast() : line
        _ = (try? FTPCommand(line: trimmed))?.description
        _ = FTPReply(line: trimmed)
    }
    if let request = try? HTTPRequestHead(decoding: bytes) {
        _ = (
            request.headers["Host"], request.headers["User-Agent"], request.headers.contentLength,
            request.headers.isChunked
        )
    }
    if let response = try? HTTPResponseHead(decoding: bytes) {
        _ = (response.status, response.headers.contentLength, response.headers.isChunked)
    }
    if let header = try? TLSRecordHeader(decoding: bytes) {
        let body = bytes.dropFirst(TLSRecordHeader.length)
        _ = (header.contentType, header.version, header.bodyLength)
        _ = try? TLSClientHello(decoding: Array(body), offset: TLSRecordHeader.length)
        _ = (try? TLSAlert(decoding: body, offset: TLSRecordHeader.length))?.description
    }
    _ = try? TLSClientHello(decoding: bytes)
}

/// What `probe` builds around these bytes and reads from them.
private func checkProbe(_ bytes: [UInt8]) {
    let mac = MACAddress(rawValue: 0x0004_F212_3456)
    let payload = Array(bytes.prefix(UDPFrame.maximumPayload))
    let frame = UDPFrame(
        source: mac, destination: UDPFrame.broadcastMAC, vlan: bytes.first.map { UInt16($0) + 1 }, sourceAddress: .any,
        destinationAddress: .broadcast, sourcePort: 68, destinationPort: 67, payload: payload
    ).encoded()
    do {
        let dissection = try FrameDissection.dissect(frame.span, linkType: .ethernet)
        invariant(Array(frame[dissection.payload]) == payload, "the probe frame's payload did not come back")
        let ip = dissection.link.payloadOffset
        invariant(UDPFrame.internetChecksum(Array(frame[ip..<(ip + 20)])) == 0, "IPv4 checksum")
    } catch {
        invariant(false, "a probe frame did not dissect: \(error)")
    }
    guard let reply = try? DHCPMessage(decoding: bytes) else { return }
    let server = ProbedServer(
        offer: reply, mac: mac, destination: nil, source: .any, frame: 1,
        requested: PolycomDHCPRequest.parameterRequestList)
    let order = server.optionOrder.map(String.init).joined(separator: ",")
    invariant(server.guess.reason.contains(order), "the guess does not name the order \(order): \(server.guess.reason)")
    _ = (server.problems, server.bootServer, server.vlanLookup.chosen)
}
