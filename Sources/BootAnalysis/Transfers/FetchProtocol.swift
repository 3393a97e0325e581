import WireFormats

/// The protocols a phone fetches its boot files over, and everything PhoneBoot knows about each
/// of them in one place: the port a server listens on by default, the name shown to people, and
/// the name in JSON (the raw value, as in every report since the first).
///
/// TFTP: RFC 1350 §4 (UDP 69). FTP: RFC 959 §3.2 (TCP 21). HTTP: RFC 9110 §4.2.1 (TCP 80).
/// HTTPS: RFC 9110 §4.2.2 (TCP 443).
public enum FetchProtocol: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case tftp, ftp, http, https

    /// The transport a protocol runs over.
    public enum Transport: Hashable, Sendable {
        case udp, tcp
    }

    /// The well-known port of its server.
    public var defaultPort: UInt16 {
        switch self {
        case .tftp: TFTPPacket.serverPort
        case .ftp: 21
        case .http: 80
        case .https: 443
        }
    }

    public var transport: Transport { self == .tftp ? .udp : .tcp }

    /// The name in prose: `TFTP`, `FTP`, `HTTP`, `HTTPS`.
    public var displayName: String { self.rawValue.uppercased() }

    /// The raw value: `tftp`, `ftp`, `http`, `https` (the JSON `protocol` field).
    public var description: String { self.rawValue }

    /// How a protocol error code is written before its number: TFTP error codes read
    /// `error 1`; FTP reply and HTTP status codes stand alone (`550`, `404`).
    public var errorCodePrefix: String { self == .tftp ? "error " : "" }

    /// The TCP ports followed from the start (FTP, HTTP, HTTPS); boot-server URLs add more.
    public static let streamPorts: [UInt16] = Self.allCases.filter { $0.transport == .tcp }.map(\.defaultPort)

    /// The protocol of a TCP connection to `port` that carried no bytes to tell by: FTP on
    /// 21, HTTPS on 443, HTTP on any other port.
    public static func stream(serverPort port: UInt16) -> FetchProtocol {
        Self.allCases.first { $0.transport == .tcp && $0.defaultPort == port } ?? .http
    }

    /// The protocol a boot-server URL scheme names (`ftp://`, `tftp://`, …); `nil` for a
    /// scheme a phone does not fetch over (FTPS included).
    public init?(scheme: String) {
        self.init(rawValue: scheme.lowercased())
    }
}
