/// A DHCP reply's VLAN discovery options as a phone reads them.
public struct VLANDiscoveryLookup: Hashable, Sendable {
    /// The option the phone takes its VLAN from, and what it says: the first valid string.
    public var chosen: (option: DHCPOptionCode, value: VLANDiscoveryString)? {
        for entry in self.entries {
            if case .success(let value) = entry.result { return (entry.option, value) }
        }
        return nil
    }

    /// Every VLAN discovery option present, in the order examined.
    public var entries: [Entry]

    public struct Entry: Hashable, Sendable {
        public var option: DHCPOptionCode
        public var result: Result<VLANDiscoveryString, WireFormatError>
    }

    /// The present options that do not hold a valid string.
    public var malformed: [(option: DHCPOptionCode, error: WireFormatError)] {
        self.entries.compactMap {
            if case .failure(let error) = $0.result { return ($0.option, error) }
            return nil
        }
    }

    /// Looks at `options` in order (``VLANDiscoveryString/fixedOptions``, or the one custom
    /// option) in `dhcp`.
    public init(_ dhcp: DHCPOptions, options: [DHCPOptionCode] = VLANDiscoveryString.fixedOptions) {
        self.entries = options.compactMap { code in
            guard let data = dhcp[code] else { return nil }
            do throws(WireFormatError) {
                return Entry(option: code, result: .success(try VLANDiscoveryString(parsing: data, option: code)))
            } catch {
                return Entry(option: code, result: .failure(error))
            }
        }
    }
}
