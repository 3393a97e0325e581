#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix
import Synchronization
public import WireFormats

/// The proxy on the wire: UDP port 67 on the lab interface (and, in relay mode, toward the
/// upstream servers), one ``ProxyDecision`` per datagram, handed to `log`.
///
/// Inform mode has one socket, bound to the lab interface (`SO_BINDTODEVICE`). Relay mode adds
/// a second socket on port 67 not bound to any interface, which takes the servers' replies
/// (sent to the agent's `giaddr`, arriving on the upstream side) and sends the requests on.
/// Nothing a datagram holds can stop the server: every decoding failure is a logged drop.
public final class ProxyServer: Sendable {
    public enum Mode: String, Sendable, CaseIterable {
        case inform, relay
    }

    public struct Configuration: Sendable {
        public var interface: String
        public var mode: Mode
        public var policy: ProxyPolicy
        public var upstreams: [IPv4Address]
        /// Log decisions without sending anything.
        public var dryRun: Bool

        public init(interface: String, mode: Mode, policy: ProxyPolicy, upstreams: [IPv4Address], dryRun: Bool) {
            self.interface = interface
            self.mode = mode
            self.policy = policy
            self.upstreams = upstreams
            self.dryRun = dryRun
        }
    }

    /// Why the proxy could not start.
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    public let configuration: Configuration
    /// The proxy's IPv4 address on the lab interface.
    public let address: IPv4Address
    private let group: MultiThreadedEventLoopGroup
    private let log: @Sendable (ProxyDecision) -> Void

    /// Finds the interface's address; does not open sockets yet.
    public init(configuration: Configuration, log: @escaping @Sendable (ProxyDecision) -> Void) throws {
        let devices = (try? System.enumerateDevices()) ?? []
        let names = Set(devices.map(\.name)).sorted()
        guard names.contains(configuration.interface) else {
            throw StartError(description: "\(configuration.interface): no such interface (interfaces here: \(names.joined(separator: ", ")))")
        }
        let address = devices.lazy.filter { $0.name == configuration.interface }.compactMap { device -> IPv4Address? in
            guard case .v4? = device.address, let text = device.address?.ipAddress else { return nil }
            return IPv4Address(text)
        }.first
        guard let address else {
            throw StartError(description: "\(configuration.interface) has no IPv4 address: the proxy answers from it (give it one: ip addr add ADDR/LEN dev \(configuration.interface))")
        }
        self.configuration = configuration
        self.address = address
        self.log = log
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.relay = Mutex(RelayAgent(agentAddress: address, policy: configuration.policy))
    }

    /// Opens the sockets and serves until `stop` is called on another thread (or the channels
    /// close); throws when a socket cannot be opened.
    public func run() throws {
        let labChannel = try self.bind(device: self.configuration.interface) { [self] bytes in
            switch self.configuration.mode {
            case .inform: InformResponder.respond(to: bytes, serverAddress: self.address, policy: self.configuration.policy)
            case .relay: self.relay.withLock { $0.clientDatagram(bytes) }
            }
        }
        var channels = [labChannel]
        if self.configuration.mode == .relay {
            let upstreamChannel = try self.bind(device: nil) { bytes in
                // Client broadcasts reach this socket too; the lab socket handles those.
                guard bytes.first == 2 else { return nil }
                return self.relay.withLock { $0.serverDatagram(bytes) }
            }
            channels.append(upstreamChannel)
        }
        let outputs = Outputs(lab: labChannel, upstream: channels.count > 1 ? channels[1] : labChannel, upstreams: self.configuration.upstreams)
        self.outputs.withLock { $0 = outputs }
        for channel in channels {
            try channel.closeFuture.wait()
        }
    }

    /// Closes the sockets; `run()` returns.
    public func stop() {
        if let outputs = self.outputs.withLock({ $0 }) {
            outputs.lab.close(promise: nil)
            outputs.upstream.close(promise: nil)
        }
    }

    deinit {
        try? self.group.syncShutdownGracefully()
    }

    // MARK: - Sockets

    private struct Outputs: Sendable {
        let lab: any Channel
        let upstream: any Channel
        let upstreams: [IPv4Address]
    }

    private let outputs = Mutex<Outputs?>(nil)
    private let relay: Mutex<RelayAgent>

    /// A UDP socket on port 67, bound to `device` when given, whose datagrams go through
    /// `decide` (which returns `nil` for datagrams that are not this socket's business).
    private func bind(device: String?, decide: @escaping @Sendable ([UInt8]) -> ProxyDecision?) throws -> any Channel {
        let handler = DatagramHandler(
            maximumSize: Self.maximumDatagram,
            read: { [self] bytes in
                guard let decision = decide(bytes) else { return }
                self.log(decision)
                guard !self.configuration.dryRun, case .send(let payload, let destination) = decision.action else { return }
                self.send(payload, to: destination)
            },
            oversized: { [self] in
                self.log(ProxyDecision(action: .drop, client: nil, messageType: "?", verdict: "dropped: oversized (\(Self.maximumDatagram) bytes or more)"))
            },
            readComplete: { [self] in self.flush() }
        )
        // Up to `batch` datagrams per recvmmsg(2) call, each in a slot of `maximumDatagram`
        // bytes; replies are written as they are decided and flushed together (sendmmsg(2))
        // when the batch is done.
        let bootstrap = DatagramBootstrap(group: self.group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_broadcast), value: 1)
            .channelOption(.datagramVectorReadMessageCount, value: Self.batch)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.batch * Self.maximumDatagram))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
            }
        let channel: any Channel
        do {
            channel = try bootstrap.bind(host: "0.0.0.0", port: Int(DHCPMessage.serverPort)).wait()
        } catch {
            throw StartError(description: "cannot listen on UDP port 67: \(error) (needs root or CAP_NET_BIND_SERVICE, and no other DHCP server or relay on this host's port 67)")
        }
        if let device {
            guard let provider = channel as? any SocketOptionProvider else {
                throw StartError(description: "cannot bind the socket to \(device)")
            }
            var name: InterfaceName = (0, 0)
            withUnsafeMutableBytes(of: &name) { buffer in
                for (index, byte) in device.utf8.prefix(15).enumerated() { buffer[index] = byte }
            }
            do {
                try provider.unsafeSetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_BINDTODEVICE), value: name).wait()
            } catch {
                throw StartError(description: "cannot bind the socket to \(device): \(error) (needs root or CAP_NET_RAW)")
            }
        }
        return channel
    }

    /// Datagrams read per system call.
    static let batch = 16
    /// The receive slot per datagram. A datagram that fills it may have been cut short by the
    /// kernel, so it is dropped as oversized; DHCP over Ethernet stays under 1472 bytes.
    static let maximumDatagram = 4096

    /// Sends what the last batch of reads wrote.
    private func flush() {
        guard let outputs = self.outputs.withLock({ $0 }) else { return }
        outputs.lab.flush()
        if outputs.upstream !== outputs.lab { outputs.upstream.flush() }
    }

    private func send(_ payload: [UInt8], to destination: ProxyDecision.Destination) {
        guard let outputs = self.outputs.withLock({ $0 }) else { return }
        func write(_ channel: any Channel, _ address: IPv4Address, _ port: UInt16) {
            // Built from the numbers: no text to format and parse per datagram.
            var socket = sockaddr_in()
            socket.sin_family = sa_family_t(AF_INET)
            socket.sin_port = port.bigEndian
            socket.sin_addr = in_addr(s_addr: address.rawValue.bigEndian)
            let socketAddress = SocketAddress(socket, host: "")
            let buffer = channel.allocator.buffer(bytes: payload)
            channel.write(AddressedEnvelope(remoteAddress: socketAddress, data: buffer), promise: nil)
        }
        switch destination {
        case .unicast(let address, let port):
            write(port == DHCPMessage.clientPort ? outputs.lab : outputs.upstream, address, port)
        case .broadcastToClients:
            write(outputs.lab, .broadcast, DHCPMessage.clientPort)
        case .upstreamServers:
            for server in outputs.upstreams { write(outputs.upstream, server, DHCPMessage.serverPort) }
        }
    }
}

/// `IFNAMSIZ` bytes for `SO_BINDTODEVICE`.
private typealias InterfaceName = (UInt64, UInt64)

/// Hands each datagram's bytes to a closure, refusing those that fill the receive slot, and
/// says when a batch of reads is done.
private final class DatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let maximumSize: Int
    private let read: @Sendable ([UInt8]) -> Void
    private let oversized: @Sendable () -> Void
    private let readComplete: @Sendable () -> Void

    init(
        maximumSize: Int, read: @escaping @Sendable ([UInt8]) -> Void, oversized: @escaping @Sendable () -> Void,
        readComplete: @escaping @Sendable () -> Void
    ) {
        self.maximumSize = maximumSize
        self.read = read
        self.oversized = oversized
        self.readComplete = readComplete
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard envelope.data.readableBytes < self.maximumSize else {
            self.oversized()
            return
        }
        self.read(Array(envelope.data.readableBytesView))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.readComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A send or receive error (ICMP unreachable from a stopped server) must not close the socket.
    }
}
