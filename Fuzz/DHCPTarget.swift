import WireFormats

/// libFuzzer target `dhcp`: the input is a UDP payload on a DHCP port.
///
/// - ``DHCPMessageSummary`` and ``DHCPMessage`` accept and refuse the same bytes, with the
///   same error, and agree on every field the summary reads.
/// - A decoded message encodes to exactly its bytes, and those bytes decode to an equal
///   message.
/// - A message built from the merged options (long values split, RFC 3396) decodes back to
///   the same merged options.
/// - Option 82 that decodes encodes to its bytes; every typed accessor survives the bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = FuzzInput(data, size).bytes
    let full = Result { () throws(WireFormatError) in try DHCPMessage(decoding: bytes) }
    let summary = Result { () throws(WireFormatError) in try DHCPMessageSummary(decoding: bytes) }
    switch (full, summary) {
    case (.success(let message), .success(let summary)):
        checkAgreement(message, summary)
        checkRoundTrip(message, bytes)
        checkRebuilt(message)
        exerciseAccessors(message.options)
    case (.failure(let fullError), .failure(let summaryError)):
        invariant(fullError == summaryError, "decoder threw \(fullError), summary threw \(summaryError)")
    case (.success, .failure(let error)):
        invariant(false, "the decoder accepted bytes the summary refused: \(error)")
    case (.failure(let error), .success):
        invariant(false, "the summary accepted bytes the decoder refused: \(error)")
    }
    return 0
}

/// The summary's fields are the full decoder's.
private func checkAgreement(_ message: DHCPMessage, _ summary: DHCPMessageSummary) {
    invariant(summary.op == message.op, "op")
    invariant(summary.hops == message.hops, "hops")
    invariant(summary.transactionID == message.transactionID, "xid")
    invariant(summary.flags == message.flags, "flags")
    invariant(summary.clientAddress == message.clientAddress, "ciaddr")
    invariant(summary.relayAddress == message.relayAddress, "giaddr")
    invariant(summary.clientMAC == message.clientMAC, "client MAC \(String(describing: summary.clientMAC))")
    let options = message.options
    invariant(
        summary.messageType == options.messageType, "option 53: summary \(String(describing: summary.messageType))")
    invariant(
        summary.parameterRequestList == options.parameterRequestList.map { DHCPOptionCodeSet($0) },
        "option 55: the summary's set differs from the decoder's list"
    )
    invariant(summary.maximumMessageSize == options.maximumMessageSize, "option 57")
}

/// Decode, encode, decode: the same bytes, the same message.
private func checkRoundTrip(_ message: DHCPMessage, _ bytes: [UInt8]) {
    let encoded = message.encoded()
    invariant(
        encoded.count == message.encodedCount, "encodedCount \(message.encodedCount), encoded \(encoded.count) bytes")
    invariant(encoded == bytes, "encoding a decoded message changed its bytes")
    do throws(WireFormatError) {
        let again = try DHCPMessage(decoding: encoded)
        invariant(again == message, "decoding the encoded bytes gave another message")
    } catch {
        invariant(false, "the encoded bytes do not decode: \(error)")
    }
}

/// The merged options written into a fresh message (no overload, long values split into
/// 255-byte pieces) come back merged the same.
private func checkRebuilt(_ message: DHCPMessage) {
    guard let mac = message.clientMAC else { return }
    var area = DHCPOptionArea()
    for option in message.options where option.code != .overload { area.append(option) }
    area.elements.append(.end)
    let built = DHCPMessage(
        op: message.op, transactionID: message.transactionID, clientHardwareAddress: mac, options: area)
    do throws(WireFormatError) {
        let decoded = try DHCPMessage(decoding: built.encoded())
        invariant(decoded == built, "a built message decodes to another")
        let expected = message.options.filter { $0.code != .overload }
        invariant(Array(decoded.options) == expected, "the merged options of a rebuilt message differ")
    } catch {
        invariant(false, "a message built from decoded options does not decode: \(error)")
    }
}

/// Every typed view of the options, for traps only; option 82 also round-trips.
private func exerciseAccessors(_ options: DHCPOptions) {
    _ = options.validationErrors
    _ = options.vendorClass.map { ($0.description, $0.isPolycom, $0.polycomModel) }
    _ = (options.tftpServerName, options.bootfileName, options.polycomBootServer, options.tftpServerAddresses)
    _ = (options.serverIdentifier, options.requestedIPAddress, options.subnetMask, options.routers)
    _ = (options.domainNameServers, options.hostName, options.domainName, options.leaseTime, options.overload)
    _ = (options.clientIdentifier, options.vendorSpecific, options.vlanDiscovery(.init(rawValue: 144)))
    if let data = options[.relayAgentInformation], let information = try? RelayAgentInformation(decoding: data) {
        invariant(information.encoded() == data, "option 82 does not encode to its bytes")
        _ = (information.circuitID, information.remoteID, information.linkSelection)
    }
}
