import WireFormats

/// A tshark field and how to compute the same value from our decoding.
protocol OracleField {
    var name: String { get }
    /// Compare only tshark's first occurrence (fields that other options repeat).
    var firstOnly: Bool { get }
}

/// The DHCP fields compared with tshark, formatted as `tshark -T fields` prints them.
struct DHCPOracleFields: OracleField, Sendable {
    let name: String
    var firstOnly = false
    /// Our values, or `nil` when the value cannot be compared as text (non-printable bytes).
    let extract: @Sendable (DHCPMessage) -> [String]?

    static let all: [DHCPOracleFields] = [
        .init(name: "dhcp.type") { [String($0.op)] },
        .init(name: "dhcp.hw.type", firstOnly: true) { ["0x" + hexByte($0.hardwareType)] },
        .init(name: "dhcp.hw.len") { [String($0.hardwareLength)] },
        .init(name: "dhcp.hops") { [String($0.hops)] },
        .init(name: "dhcp.id") { ["0x" + hex($0.transactionID, width: 8)] },
        // tshark reads a byte-swapped-looking secs little-endian (its expert note "Seconds
        // elapsed appears to be encoded as little-endian"); we flag the same pattern.
        .init(name: "dhcp.secs") { message in
            [String(message.secondsAppearLittleEndian ? message.secondsByteSwapped : message.seconds)]
        },
        .init(name: "dhcp.flags") { ["0x" + hex(UInt32($0.flags), width: 4)] },
        .init(name: "dhcp.ip.client") { [$0.clientAddress.description] },
        .init(name: "dhcp.ip.your") { [$0.yourAddress.description] },
        .init(name: "dhcp.ip.server") { [$0.serverAddress.description] },
        .init(name: "dhcp.ip.relay") { [$0.relayAddress.description] },
        .init(name: "dhcp.hw.mac_addr", firstOnly: true) { message in message.clientMAC.map { [$0.description] } },
        .init(name: "dhcp.server") { message in
            message.serverNameOptions == nil ? fixedString(message.serverNameField) : nil
        },
        .init(name: "dhcp.file") { message in message.fileOptions == nil ? fixedString(message.bootFileField) : nil },
        .init(name: "dhcp.option.type") { message in
            walk(message).compactMap { element -> String? in
                switch element {
                case .pad, .end: "0"  // tshark lists pad runs inside an area, and the end, as 0
                case .option(let option): String(option.code.rawValue)
                }
            }
        },
        .init(name: "dhcp.option.length") { message in
            walk(message).compactMap { element -> String? in
                if case .option(let option) = element { String(option.data.count) } else { nil }
            }
        },
        .init(name: "dhcp.option.dhcp") { message in
            occurrences(message, .messageType).compactMap { $0.count == 1 ? String($0[0]) : nil }
        },
        .init(name: "dhcp.option.request_list_item") { message in
            occurrences(message, .parameterRequestList).flatMap { $0.map { String($0) } }
        },
        .init(name: "dhcp.option.vendor_class_id") { strings(occurrences($0, .vendorClassIdentifier)) },
        .init(name: "dhcp.option.tftp_server_name") { strings(occurrences($0, .tftpServerName)) },
        .init(name: "dhcp.option.bootfile_name") { strings(occurrences($0, .bootfileName)) },
        .init(name: "dhcp.option.captive_portal") { strings(occurrences($0, .polycomBootServer)) },
        .init(name: "dhcp.option.hostname") { strings(occurrences($0, .hostName)) },
        .init(name: "dhcp.option.tftp_server_address") { addressList(occurrences($0, .tftpServerAddress)) },
        .init(name: "dhcp.option.router") { addressList(occurrences($0, .router)) },
        .init(name: "dhcp.option.domain_name_server") { addressList(occurrences($0, .domainNameServer)) },
        .init(name: "dhcp.option.dhcp_server_id") { singleAddress(occurrences($0, .serverIdentifier)) },
        .init(name: "dhcp.option.requested_ip_address") { singleAddress(occurrences($0, .requestedIPAddress)) },
        .init(name: "dhcp.option.subnet_mask") { singleAddress(occurrences($0, .subnetMask)) },
        .init(name: "dhcp.option.ip_address_lease_time") { message in
            occurrences(message, .leaseTime).compactMap {
                $0.count == 4 ? String($0.reduce(0) { $0 << 8 | UInt32($1) }) : nil
            }
        },
        .init(name: "dhcp.option.option_overload") { message in
            occurrences(message, .overload).compactMap { $0.count == 1 ? String($0[0]) : nil }
        },
        .init(name: "dhcp.option.dhcp_max_message_size") { message in
            occurrences(message, .maximumMessageSize).compactMap {
                $0.count == 2 ? String(UInt16($0[0]) << 8 | UInt16($0[1])) : nil
            }
        },
        .init(name: "dhcp.option.agent_information_option.agent_circuit_id") { message in
            relaySubOption(message, 1)
        },
        .init(name: "dhcp.option.agent_information_option.agent_remote_id") { message in
            relaySubOption(message, 2)
        },
    ]

    init(name: String, firstOnly: Bool = false, extract: @escaping @Sendable (DHCPMessage) -> [String]?) {
        self.name = name
        self.firstOnly = firstOnly
        self.extract = extract
    }
}

/// The TFTP fields compared with tshark.
struct TFTPOracleFields: OracleField, Sendable {
    let name: String
    let firstOnly = false
    let extract: @Sendable (TFTPPacket) -> [String]?

    static let all: [TFTPOracleFields] = [
        .init(name: "tftp.opcode") { [String($0.opcode)] },
        // tshark repeats the file name and mode on every packet of a transfer, from its
        // conversation table; they are compared where they are on the wire, in RRQ and WRQ.
        .init(name: "tftp.source_file") { packet in
            switch packet {
            case .readRequest(let request): printable(request.filename)
            case .writeRequest: []
            default: nil
            }
        },
        .init(name: "tftp.destination_file") { packet in
            switch packet {
            case .writeRequest(let request): printable(request.filename)
            case .readRequest: []
            default: nil
            }
        },
        .init(name: "tftp.type") { packet in
            switch packet {
            case .readRequest(let request), .writeRequest(let request): printable(request.mode)
            default: nil
            }
        },
        .init(name: "tftp.block") { packet in
            switch packet {
            case .data(let block, _), .acknowledgment(let block): [String(block)]
            default: []
            }
        },
        .init(name: "tftp.error.code") { packet in
            if case .error(let code, _) = packet { return [String(code)] }
            return []
        },
        .init(name: "tftp.error.message") { packet in
            if case .error(_, let message) = packet { return printable(message) }
            return []
        },
        .init(name: "tftp.option.name") { packet in
            optionStrings(packet, \.name)
        },
        .init(name: "tftp.option.value") { packet in
            optionStrings(packet, \.value)
        },
    ]

    init(name: String, extract: @escaping @Sendable (TFTPPacket) -> [String]?) {
        self.name = name
        self.extract = extract
    }
}

// MARK: - Helpers

/// The option elements in the order tshark walks them: the `options` field, with the
/// overloaded `sname` and then `file` areas dissected where option 52 stands.
private func walk(_ message: DHCPMessage) -> [DHCPOptionArea.Element] {
    guard case .options(let main) = message.vendorArea else { return [] }
    var elements: [DHCPOptionArea.Element] = []
    for element in main.elements {
        elements.append(element)
        if case .option(let option) = element, option.code == .overload {
            elements += message.serverNameOptions?.elements ?? []
            elements += message.fileOptions?.elements ?? []
        }
    }
    return elements
}

/// The data of every occurrence of `code`, unmerged, in tshark's order.
private func occurrences(_ message: DHCPMessage, _ code: DHCPOptionCode) -> [[UInt8]] {
    walk(message).compactMap { element in
        if case .option(let option) = element, option.code == code { option.data } else { nil }
    }
}

/// Text values, or `nil` (not comparable) when one holds bytes tshark would escape.
private func strings(_ values: [[UInt8]]) -> [String]? {
    var result: [String] = []
    for value in values {
        let text = value.prefix { $0 != 0 }
        guard text.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        result.append(String(decoding: text, as: UTF8.self))
    }
    // tshark prints an empty string as nothing at all, as if the option were absent (a binary
    // Polycom option 60 starts with a NUL, so its text is empty).
    return result.allSatisfy(\.isEmpty) ? [] : result
}

/// A text field as tshark prints it: nothing when empty, `nil` (not comparable) when it holds
/// bytes tshark would escape.
private func printable(_ text: String) -> [String]? {
    guard !text.isEmpty else { return [] }
    return text.utf8.allSatisfy { (0x20...0x7E).contains($0) } ? [text] : nil
}

/// A fixed-size BOOTP text field (`sname`, `file`); tshark shows nothing when it is empty.
private func fixedString(_ field: [UInt8]) -> [String]? {
    guard field.first != 0 else { return [] }
    return strings([field])
}

private func addressList(_ values: [[UInt8]]) -> [String]? {
    var result: [String] = []
    for value in values {
        guard value.count % 4 == 0 else { return nil }
        result += stride(from: 0, to: value.count, by: 4).compactMap {
            IPv4Address(octets: value[$0..<($0 + 4)])?.description
        }
    }
    return result
}

private func singleAddress(_ values: [[UInt8]]) -> [String]? {
    values.compactMap { IPv4Address(octets: $0)?.description }
}

private func relaySubOption(_ message: DHCPMessage, _ code: UInt8) -> [String]? {
    guard let relay = message.options.relayAgentInformation else { return [] }
    return relay.subOptions.filter { $0.code.rawValue == code }.map { hexString($0.data) }
}

private func optionStrings(_ packet: TFTPPacket, _ key: KeyPath<TFTPOption, String>) -> [String]? {
    let options: [TFTPOption]
    switch packet {
    case .readRequest(let request), .writeRequest(let request): options = request.options
    case .optionAcknowledgment(let list): options = list
    default: return []
    }
    var result: [String] = []
    for option in options {
        let text = option[keyPath: key]
        guard text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        result.append(text)  // in a list, tshark keeps empty names and values as ""
    }
    return result
}

private func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
