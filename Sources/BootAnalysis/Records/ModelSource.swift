/// Where a phone record's model came from, most trusted first.
public enum ModelSource: String, Hashable, Sendable, CustomStringConvertible {
    /// The vendor class identifier the phone sent (RFC 2132 §9.13; Polycom's binary form,
    /// RFC 3925 §4, or its ASCII form).
    case option60 = "option 60"
    /// The `User-Agent` of its HTTP requests.
    case userAgent = "User-Agent"
    /// A part number in the name of a firmware file it fetched.
    case fileName = "file name"
    /// What the phone announced by LLDP or CDP (a part number in its system description).
    case linkDiscovery = "LLDP/CDP"

    /// The raw value, as the report shows it (`from option 60`).
    public var description: String { self.rawValue }
}
