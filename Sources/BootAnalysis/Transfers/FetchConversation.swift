public import WireFormats

/// One conversation that carries a fetch's frames, as a Wireshark display filter can name it:
/// the transport, the two hosts, and the ports.
///
/// A frame belongs to the conversation when its own IPv4 header (not one quoted inside an ICMP
/// error) joins ``client`` and ``server`` in either direction, it carries ``transport``, one of
/// its two ports is ``clientPort`` (when given) and one is in ``serverPorts`` (when not empty).
/// A TFTP transfer is one conversation whose server ports are 69 and the server's transfer ID
/// (RFC 1350 §4: the server answers from a new port); an FTP fetch has its control connection
/// and the data connection last named by PASV/EPSV (the server's end) or PORT/EPRT (the
/// client's end; RFC 959 §3.2), of which only the named port is known.
public struct FetchConversation: Hashable, Sendable {
    public let transport: FetchProtocol.Transport
    public let client: IPv4Address
    /// The client's port, when known.
    public let clientPort: UInt16?
    public let server: IPv4Address
    /// The server's ports; empty when not known.
    public let serverPorts: [UInt16]

    public init(
        transport: FetchProtocol.Transport, client: IPv4Address, clientPort: UInt16?, server: IPv4Address,
        serverPorts: [UInt16]
    ) {
        self.transport = transport
        self.client = client
        self.clientPort = clientPort
        self.server = server
        var ports: [UInt16] = []
        for port in serverPorts where !ports.contains(port) { ports.append(port) }
        self.serverPorts = ports
    }

    /// The TCP connection between `ends`.
    init(_ ends: TCPConnectionEnds) {
        self.init(
            transport: .tcp, client: ends.client, clientPort: ends.clientPort, server: ends.server,
            serverPorts: [ends.serverPort])
    }
}
