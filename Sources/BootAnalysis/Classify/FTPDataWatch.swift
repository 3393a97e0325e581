import WireFormats

/// The FTP data connections that carry a master configuration file (polycom-boot.md §4.2),
/// found from the control connections' text, so that the classifier copies their payload and
/// no other data connection's (RFC 959 §3.2, §4.1.2; RFC 2428 for EPSV and EPRT).
///
/// A data connection is named on its control connection before the file is: by the reply to
/// `PASV`/`EPSV` (the server's end) or by `PORT`/`EPRT` (the client's). The last end named on
/// a control connection is kept while a `RETR` of a master configuration file uses it, and
/// dropped when a `RETR` of any other file does. Only control segments that begin with one
/// of those replies or commands are read, and both tables are small and bounded.
struct FTPDataWatch: Sendable {
    /// One end of a TCP connection.
    struct Endpoint: Hashable, Sendable {
        var address: IPv4Address
        var port: UInt16
    }

    /// The data end each control connection (by its client end) named last.
    private var named: [Endpoint: Endpoint] = [:]
    /// The data ends whose segments are copied.
    private var kept: Set<Endpoint> = []
    private static let namedLimit = 1024
    private static let keptLimit = 64

    /// True when no data connection is kept: the common case, tested first.
    var isEmpty: Bool { self.kept.isEmpty }

    /// True when a segment between these ends belongs to a kept data connection.
    func keeps(source: Endpoint, destination: Endpoint) -> Bool {
        self.kept.contains(source) || self.kept.contains(destination)
    }

    /// Reads a control connection's segment: `client` is the control connection's client
    /// end, `server` its server's address.
    mutating func control(_ payload: [UInt8], fromServer: Bool, client: Endpoint, server: IPv4Address) {
        guard payload.count >= 4 else { return }
        if fromServer {
            // 227 Entering Passive Mode / 229 Entering Extended Passive Mode.
            guard payload[0] == UInt8(ascii: "2"), payload[1] == UInt8(ascii: "2"),
                payload[2] == UInt8(ascii: "7") || payload[2] == UInt8(ascii: "9")
            else { return }
            for line in Self.lines(payload) {
                guard let endpoint = FTPReply(line: line).passiveEndpoint else { continue }
                self.name(Endpoint(address: endpoint.address ?? server, port: endpoint.port), for: client)
            }
            return
        }
        // PORT, EPRT, RETR, in any case (RFC 959 §5.3: commands are case-insensitive).
        let head = (payload[0] & 0xDF, payload[1] & 0xDF, payload[2] & 0xDF, payload[3] & 0xDF)
        let isPort = head == (0x50, 0x4F, 0x52, 0x54) || head == (0x45, 0x50, 0x52, 0x54)
        let isRetrieve = head == (0x52, 0x45, 0x54, 0x52)
        guard isPort || isRetrieve else { return }
        for line in Self.lines(payload) {
            guard let command = try? FTPCommand(line: line) else { continue }
            if let endpoint = command.activeEndpoint {
                self.name(Endpoint(address: endpoint.address, port: endpoint.port), for: client)
            } else if command.verb == .retrieve, let data = self.named[client] {
                if PolycomCatalogue.isMasterConfigName(command.argument ?? "") {
                    if self.kept.count >= Self.keptLimit, let any = self.kept.first { self.kept.remove(any) }
                    self.kept.insert(data)
                } else {
                    self.kept.remove(data)
                }
            }
        }
    }

    private mutating func name(_ data: Endpoint, for client: Endpoint) {
        if self.named.count >= Self.namedLimit { self.named.removeAll() }
        self.named[client] = data
    }

    /// The lines of a segment, without their line ends.
    private static func lines(_ payload: [UInt8]) -> [ArraySlice<UInt8>] {
        payload.split(separator: 0x0A).map { $0.last == 0x0D ? $0.dropLast() : $0 }
    }
}
