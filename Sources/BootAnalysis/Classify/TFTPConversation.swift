public import WireFormats

/// Which TFTP transfer a packet belongs to, and which way it goes (RFC 1350 §4).
///
/// A request goes to port 69; the server answers from a new port of its own choosing (its
/// transfer ID) to the client's port. A transfer is therefore named by the client's address and
/// port and the server's address, whatever port the server picks.
public struct TFTPConversation: Hashable, Sendable {
    /// The client's address and port and the server's address.
    public struct Key: Hashable, Sendable {
        public var client: IPv4Address
        public var clientPort: UInt16
        public var server: IPv4Address

        public init(client: IPv4Address, clientPort: UInt16, server: IPv4Address) {
            self.client = client
            self.clientPort = clientPort
            self.server = server
        }

        /// The two addresses as one word, then the port: every TFTP packet of a capture is
        /// looked up by its key.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(self.client.rawValue) << 32 | UInt64(self.server.rawValue))
            hasher.combine(self.clientPort)
        }
    }

    public var key: Key
    /// True for a packet from the server to the client.
    public var fromServer: Bool
    /// True when the transfer reads a master configuration file, whose bytes are kept
    /// (``DecodedPacket/tftpData``).
    public var keepsData: Bool

    public init(key: Key, fromServer: Bool, keepsData: Bool = false) {
        self.key = key
        self.fromServer = fromServer
        self.keepsData = keepsData
    }
}
