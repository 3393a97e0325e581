/// The options of a DHCP message merged into one value per code, with typed accessors.
///
/// RFC 3396 §7: when a code appears more than once, its values are concatenated in order
/// (the `options` field, then `file`, then `sname`). Codes keep the order of their first
/// appearance. Accessors return `nil` when an option is absent or its value cannot be the
/// type the RFC gives it; ``validationErrors`` says which.
public struct DHCPOptions: Hashable, Sendable, Sequence {
    private var storage: [DHCPOption]

    public init(_ options: [DHCPOption]) {
        // Nearly every message has each code once: then the options are the storage as they are.
        var seen = InlineArray<4, UInt64>(repeating: 0)
        var repeats = false
        for option in options {
            let code = Int(option.code.rawValue)
            let bit = UInt64(1) << UInt64(code & 63)
            repeats = repeats || seen[code >> 6] & bit != 0
            seen[code >> 6] |= bit
        }
        if !repeats {
            self.storage = options
            return
        }
        self.storage = []
        self.merge(options)
    }

    mutating func merge(_ options: [DHCPOption]) {
        for option in options {
            if let index = self.storage.firstIndex(where: { $0.code == option.code }) {
                self.storage[index].data.append(contentsOf: option.data)
            } else {
                self.storage.append(option)
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[DHCPOption]> { self.storage.makeIterator() }

    /// The codes present, in order of first appearance.
    public var codes: [DHCPOptionCode] { self.storage.map(\.code) }

    public var isEmpty: Bool { self.storage.isEmpty }

    /// The merged data of `code`, or `nil` when absent.
    public subscript(code: DHCPOptionCode) -> [UInt8]? {
        self.storage.first { $0.code == code }?.data
    }

    // MARK: - Typed values

    /// Option 53.
    public var messageType: DHCPMessageType? {
        guard let data = self[.messageType], data.count == 1 else { return nil }
        return DHCPMessageType(rawValue: data[0])
    }

    /// Option 55: the options the client asks for, in its order.
    public var parameterRequestList: [DHCPOptionCode]? {
        self[.parameterRequestList].map { $0.map(DHCPOptionCode.init(rawValue:)) }
    }

    /// True when the parameter request list names `code`.
    public func requests(_ code: DHCPOptionCode) -> Bool {
        self.parameterRequestList?.contains(code) ?? false
    }

    /// Option 60, decoded in both the Polycom binary form and plain text.
    public var vendorClass: VendorClassIdentifier? {
        self[.vendorClassIdentifier].map(VendorClassIdentifier.init(bytes:))
    }

    /// Option 66: the TFTP server name, which phones read as a boot-server string.
    public var tftpServerName: String? { self.string(.tftpServerName) }

    /// Option 67.
    public var bootfileName: String? { self.string(.bootfileName) }

    /// Option 160: the Polycom boot server (a string: address, host name or URL).
    public var polycomBootServer: String? { self.string(.polycomBootServer) }

    /// Option 150 (RFC 5859): TFTP server addresses.
    public var tftpServerAddresses: [IPv4Address]? { self.addresses(.tftpServerAddress) }

    /// Option 54.
    public var serverIdentifier: IPv4Address? { self.address(.serverIdentifier) }

    /// Option 50.
    public var requestedIPAddress: IPv4Address? { self.address(.requestedIPAddress) }

    /// Option 1.
    public var subnetMask: IPv4Address? { self.address(.subnetMask) }

    /// Option 3.
    public var routers: [IPv4Address]? { self.addresses(.router) }

    /// Option 6.
    public var domainNameServers: [IPv4Address]? { self.addresses(.domainNameServer) }

    /// Option 12.
    public var hostName: String? { self.string(.hostName) }

    /// Option 15.
    public var domainName: String? { self.string(.domainName) }

    /// Option 51, in seconds.
    public var leaseTime: UInt32? { self.uint32(.leaseTime) }

    /// Option 57.
    public var maximumMessageSize: UInt16? {
        guard let data = self[.maximumMessageSize], data.count == 2 else { return nil }
        return UInt16(data[0]) << 8 | UInt16(data[1])
    }

    /// Option 52.
    public var overload: UInt8? {
        guard let data = self[.overload], data.count == 1 else { return nil }
        return data[0]
    }

    /// Option 61, raw (type byte first).
    public var clientIdentifier: [UInt8]? { self[.clientIdentifier] }

    /// Option 43, raw: its meaning depends on the vendor class.
    public var vendorSpecific: [UInt8]? { self[.vendorSpecific] }

    /// Option 82 (RFC 3046), split into sub-options.
    public var relayAgentInformation: RelayAgentInformation? {
        guard let data = self[.relayAgentInformation] else { return nil }
        return try? RelayAgentInformation(decoding: data)
    }

    /// Options 128/144/157/191: Polycom DHCP VLAN discovery strings (`VLAN-A=10;`).
    public func vlanDiscovery(_ code: DHCPOptionCode) -> String? { self.string(code) }

    // MARK: - Validation

    /// Every typed option whose value does not fit its RFC type, as errors naming the option.
    public var validationErrors: [String] {
        var errors: [String] = []
        for option in self.storage {
            let count = option.data.count
            switch option.code {
            case .messageType where count != 1,
                .overload where count != 1:
                errors.append("option \(option.code) must be 1 byte, is \(count)")
            case .maximumMessageSize where count != 2:
                errors.append("option 57 must be 2 bytes, is \(count)")
            case .serverIdentifier where count != 4, .requestedIPAddress where count != 4,
                .subnetMask where count != 4, .leaseTime where count != 4:
                errors.append("option \(option.code) must be 4 bytes, is \(count)")
            case .router, .domainNameServer, .tftpServerAddress:
                if count == 0 || count % 4 != 0 {
                    errors.append("option \(option.code) must be a non-empty multiple of 4 bytes, is \(count)")
                }
            case .relayAgentInformation:
                do throws(WireFormatError) {
                    _ = try RelayAgentInformation(decoding: option.data)
                } catch {
                    errors.append("option 82: \(error.detail)")
                }
            default:
                break
            }
        }
        return errors
    }

    // MARK: - Helpers

    private func string(_ code: DHCPOptionCode) -> String? {
        self[code].map(Self.text)
    }

    /// An option's value as the text accessors read it (``polycomBootServer``,
    /// ``tftpServerName``): the bytes before the first NUL, as UTF-8, bytes that are not UTF-8
    /// replaced.
    public static func text(_ value: [UInt8]) -> String {
        nulTerminatedString(value)
    }

    private func address(_ code: DHCPOptionCode) -> IPv4Address? {
        guard let data = self[code], data.count == 4 else { return nil }
        return IPv4Address(octets: data)
    }

    private func addresses(_ code: DHCPOptionCode) -> [IPv4Address]? {
        guard let data = self[code], !data.isEmpty, data.count % 4 == 0 else { return nil }
        return stride(from: 0, to: data.count, by: 4).compactMap { IPv4Address(octets: data[$0..<($0 + 4)]) }
    }

    private func uint32(_ code: DHCPOptionCode) -> UInt32? {
        guard let data = self[code], data.count == 4 else { return nil }
        return data.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
