import Testing
import WireFormats

@testable import BootAnalysis

/// The classifier's table of TFTP transfers (RFC 1350 §4): a transfer is named by the client's
/// address and port and the server's address, whatever port the server answers from; the
/// transfers found lately are remembered per client port, and must never outlive a change.
@Suite("TFTP conversation table")
struct TFTPConversationTableTests {
    static let phone = IPv4Address(192, 0, 2, 10)
    static let otherPhone = IPv4Address(192, 0, 2, 11)
    static let server = IPv4Address(198, 51, 100, 1)

    /// A DATA block from the server's port `serverPort` to `client:clientPort`.
    private func fromServer(
        _ table: inout TFTPConversationTable, client: IPv4Address = Self.phone, clientPort: UInt16,
        serverPort: UInt16 = 40_000
    ) -> TFTPConversation? {
        table.conversation(
            source: Self.server, sourcePort: serverPort, destination: client, destinationPort: clientPort)
    }

    /// An ACK from `client:clientPort` to the server's port `serverPort`.
    private func fromClient(
        _ table: inout TFTPConversationTable, client: IPv4Address = Self.phone, clientPort: UInt16,
        serverPort: UInt16 = 40_000
    ) -> TFTPConversation? {
        table.conversation(
            source: client, sourcePort: clientPort, destination: Self.server, destinationPort: serverPort)
    }

    @Test("a transfer is found both ways, from any server port, and nothing else is")
    func bothDirections() throws {
        var table = TFTPConversationTable()
        table.register(client: Self.phone, clientPort: 3000, server: Self.server)
        let data = try #require(self.fromServer(&table, clientPort: 3000))
        #expect(data.fromServer)
        #expect(data.key == TFTPConversation.Key(client: Self.phone, clientPort: 3000, server: Self.server))
        #expect(data.keepsData == false)
        let ack = try #require(self.fromClient(&table, clientPort: 3000, serverPort: 51_234))
        #expect(!ack.fromServer)
        #expect(ack.key == data.key)
        // The same port of another client, or another port of this one: no transfer.
        #expect(self.fromServer(&table, client: Self.otherPhone, clientPort: 3000) == nil)
        #expect(self.fromClient(&table, clientPort: 3001) == nil)
    }

    @Test("a transfer found, then started again for a master configuration file, keeps its data; then not again")
    func reregisteredChangesKeepsData() throws {
        var table = TFTPConversationTable()
        table.register(client: Self.phone, clientPort: 3000, server: Self.server)
        #expect(try #require(self.fromServer(&table, clientPort: 3000)).keepsData == false)
        table.register(client: Self.phone, clientPort: 3000, server: Self.server, keepsData: true)
        #expect(try #require(self.fromServer(&table, clientPort: 3000)).keepsData == true)
        table.register(client: Self.phone, clientPort: 3000, server: Self.server)
        #expect(try #require(self.fromClient(&table, clientPort: 3000)).keepsData == false)
    }

    @Test("a transfer found and then forgotten for room is not found again")
    func evictedIsForgotten() throws {
        var table = TFTPConversationTable(capacity: 2)
        table.register(client: Self.phone, clientPort: 3000, server: Self.server)
        #expect(self.fromServer(&table, clientPort: 3000) != nil)
        table.register(client: Self.phone, clientPort: 3001, server: Self.server)
        table.register(client: Self.phone, clientPort: 3002, server: Self.server)
        #expect(table.count == 2)
        #expect(self.fromServer(&table, clientPort: 3000) == nil)
        #expect(self.fromClient(&table, clientPort: 3000) == nil)
        #expect(self.fromServer(&table, clientPort: 3002) != nil)
    }

    @Test("transfers whose client ports share a slot are told apart, in any order")
    func sharedSlot() throws {
        var table = TFTPConversationTable()
        // 3000 and 3256 share a slot of the 256 remembered.
        table.register(client: Self.phone, clientPort: 3000, server: Self.server)
        table.register(client: Self.otherPhone, clientPort: 3256, server: Self.server, keepsData: true)
        for _ in 0..<3 {
            let first = try #require(self.fromServer(&table, clientPort: 3000))
            let second = try #require(self.fromServer(&table, client: Self.otherPhone, clientPort: 3256))
            #expect(first.key.clientPort == 3000 && first.key.client == Self.phone && !first.keepsData)
            #expect(second.key.clientPort == 3256 && second.key.client == Self.otherPhone && second.keepsData)
            #expect(self.fromServer(&table, client: Self.otherPhone, clientPort: 3000) == nil)
        }
    }
}
