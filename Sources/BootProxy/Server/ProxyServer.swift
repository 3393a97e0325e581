import NIOCore
import NIOPosix
import Synchronization
public import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// The proxy on the wire: UDP port 67 on the lab interface (and, in relay mode, toward the
/// upstream servers), one ``ProxyDecision`` per datagram, handed to `log`.
///
/// Inform mode has one socket, bound to the lab interface (`SO_BINDTODEVICE`). Relay mode adds
/// a second socket on port 67 not bound to any interface, which takes the servers' replies
/// (sent to the agent's `giaddr`, arriving on the upstream side) and sends the requests on.
///
/// Nothing a datagram holds can stop the server: every decoding failure is a logged drop; a
/// send goes out at once or is dropped with its reason (``DatagramSocket``), so no error closes
/// a socket and no reply waits in the process; INFORM answers are limited per client and
/// overall (``AnswerRateLimiter``; past the overall limit, only clients the kernel can already
/// reach, ``NeighbourTable``). Should a socket close all the same, the server says so
/// through `notice` and opens its sockets again.
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
        /// How often INFORMs are answered.
        public var answerLimits: AnswerRateLimiter.Limits

        public init(
            interface: String, mode: Mode, policy: ProxyPolicy, upstreams: [IPv4Address], dryRun: Bool,
            answerLimits: AnswerRateLimiter.Limits = .standard
        ) {
            self.interface = interface
            self.mode = mode
            self.policy = policy
            self.upstreams = upstreams
            self.dryRun = dryRun
            self.answerLimits = answerLimits
        }
    }

    /// Why the proxy could not start.
    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    public let configuration: Configuration
    /// The proxy's IPv4 address on the lab interface.
    public let address: IPv4Address
    /// The lab interface's subnet: the only addresses INFORMs are answered for.
    public let subnet: IPv4Subnet
    private let group: MultiThreadedEventLoopGroup
    private let log: @Sendable (ProxyDecision) -> Void
    private let notice: @Sendable (String) -> Void
    private let relay: Mutex<RelayAgent>
    private let limiter: Mutex<AnswerRateLimiter>
    private let neighbours: Mutex<NeighbourTable>
    private let sockets = Mutex<Sockets?>(nil)
    private let stopping = Atomic<Bool>(false)
    /// The last error a channel reported, for the notice when it closes.
    private let lastChannelError = Mutex<String?>(nil)

    /// Finds the interface's address and subnet; does not open sockets yet.
    ///
    /// - Parameters:
    ///   - log: called once per datagram with what was done.
    ///   - notice: called with what an operator must know (a socket that closed and was
    ///     reopened).
    public init(
        configuration: Configuration, log: @escaping @Sendable (ProxyDecision) -> Void,
        notice: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        let (address, subnet) = try Self.interfaceAddress(configuration.interface)
        self.configuration = configuration
        self.address = address
        self.subnet = subnet
        self.log = log
        self.notice = notice
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.relay = Mutex(RelayAgent(agentAddress: address, policy: configuration.policy))
        self.limiter = Mutex(AnswerRateLimiter(limits: configuration.answerLimits))
        self.neighbours = Mutex(NeighbourTable(device: configuration.interface))
    }

    /// The first IPv4 address of `interface` and its subnet.
    private static func interfaceAddress(_ interface: String) throws -> (IPv4Address, IPv4Subnet) {
        let devices = (try? System.enumerateDevices()) ?? []
        let names = Set(devices.map(\.name)).sorted()
        guard names.contains(interface) else {
            throw StartError(
                description: "\(interface): no such interface (interfaces here: \(names.joined(separator: ", ")))")
        }
        let found = devices.lazy.filter { $0.name == interface }.compactMap { device -> (IPv4Address, IPv4Subnet)? in
            guard case .v4? = device.address, let text = device.address?.ipAddress, let address = IPv4Address(text)
            else { return nil }
            let mask = device.netmask?.ipAddress.flatMap { IPv4Address($0) } ?? .broadcast
            return (
                address, IPv4Subnet(address: address, netmask: mask) ?? IPv4Subnet(address: address, prefixLength: 32)
            )
        }.first
        guard let found else {
            throw StartError(
                description:
                    "\(interface) has no IPv4 address: the proxy answers from it (give it one: ip addr add ADDR/LEN dev \(interface))"
            )
        }
        return found
    }

    /// Opens the sockets and serves until `stop` is called on another thread; throws when the
    /// sockets cannot be opened at the start. A socket that closes by itself later is
    /// reported through `notice` and opened again (every second until that works).
    public func run() throws {
        var sockets = try self.open()
        while true {
            self.sockets.withLock { $0 = sockets }
            if self.stopping.load(ordering: .acquiring) { sockets.close() }
            let failure = sockets.waitForFailure(interface: self.configuration.interface)
            sockets.close()
            sockets.waitUntilClosed()
            if self.stopping.load(ordering: .acquiring) { return }
            switch failure {
            case .closed(let side):
                let reason = self.lastChannelError.withLock { $0 } ?? "no error reported"
                self.notice("the \(side) socket on port 67 closed unexpectedly (\(reason)); opening the sockets again")
            case .interfaceChanged(let text):
                self.notice("\(text): the lab socket no longer receives anything; opening the sockets again")
            }
            var reopened: Sockets?
            while reopened == nil && !self.stopping.load(ordering: .acquiring) {
                sleep(1)
                do {
                    let current = try Self.interfaceAddress(self.configuration.interface).0
                    guard current == self.address else {
                        self.notice(
                            "\(self.configuration.interface) now has \(current), not \(self.address): restart the proxy; retrying every second"
                        )
                        continue
                    }
                    reopened = try self.open()
                    self.notice("the sockets on port 67 are open again")
                } catch {
                    self.notice("cannot open the sockets again: \(error); retrying every second")
                }
            }
            guard let reopened else { return }
            sockets = reopened
        }
    }

    /// Closes the sockets; `run()` returns.
    public func stop() {
        self.stopping.store(true, ordering: .releasing)
        self.sockets.withLock { $0 }?.close()
    }

    deinit {
        try? self.group.syncShutdownGracefully()
    }

    // MARK: - Sockets

    /// The open sockets: the channels SwiftNIO reads from, and the descriptors sends go through.
    private final class Sockets: Sendable {
        let labChannel: any Channel
        let upstreamChannel: (any Channel)?
        let lab: DatagramSocket
        let upstream: DatagramSocket?

        init(labChannel: any Channel, lab: DatagramSocket, upstreamChannel: (any Channel)?, upstream: DatagramSocket?) {
            self.labChannel = labChannel
            self.lab = lab
            self.upstreamChannel = upstreamChannel
            self.upstream = upstream
        }

        func close() {
            self.labChannel.close(promise: nil)
            self.upstreamChannel?.close(promise: nil)
        }

        /// Blocks until one of the channels closes, or `interface` goes away or is created anew
        /// (checked every second: a socket bound to a device keeps the old interface's index and
        /// never receives again); says which.
        func waitForFailure(interface: String) -> Failure {
            let eventLoop = self.labChannel.eventLoop
            let promise = eventLoop.makePromise(of: Failure.self)
            let completed = Atomic<Bool>(false)
            // The first failure completes the promise; a promise completed twice is an error.
            let first: @Sendable (Failure) -> Void = { failure in
                if !completed.exchange(true, ordering: .acquiringAndReleasing) { promise.succeed(failure) }
            }
            self.labChannel.closeFuture.whenComplete { _ in first(.closed("lab-side")) }
            self.upstreamChannel?.closeFuture.whenComplete { _ in first(.closed("upstream-side")) }
            let boundIndex = if_nametoindex(interface)
            let check = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
                let index = if_nametoindex(interface)
                guard index != boundIndex else { return }
                first(
                    .interfaceChanged(
                        index == 0
                            ? "\(interface) went away"
                            : "\(interface) was created anew (index \(boundIndex) -> \(index))"))
            }
            let failure = (try? promise.futureResult.wait()) ?? .closed("lab-side")
            check.cancel()
            return failure
        }

        /// Waits until both channels are closed.
        func waitUntilClosed() {
            _ = try? self.labChannel.closeFuture.wait()
            _ = try? self.upstreamChannel?.closeFuture.wait()
        }
    }

    /// Why serving stopped without `stop()`.
    private enum Failure {
        case closed(String)
        case interfaceChanged(String)
    }

    private enum Side {
        case lab, upstream
    }

    private func open() throws -> Sockets {
        let (labChannel, lab) = try self.bind(device: self.configuration.interface, side: .lab)
        guard self.configuration.mode == .relay else {
            return Sockets(labChannel: labChannel, lab: lab, upstreamChannel: nil, upstream: nil)
        }
        do {
            let (upstreamChannel, upstream) = try self.bind(device: nil, side: .upstream)
            return Sockets(labChannel: labChannel, lab: lab, upstreamChannel: upstreamChannel, upstream: upstream)
        } catch {
            labChannel.close(promise: nil)
            throw error
        }
    }

    /// A UDP socket on port 67, bound to `device` when given, read by a SwiftNIO channel whose
    /// datagrams go through ``handle(_:from:)``.
    private func bind(device: String?, side: Side) throws -> (any Channel, DatagramSocket) {
        let socket: DatagramSocket
        do {
            socket = try DatagramSocket(port: DHCPMessage.serverPort, device: device)
        } catch {
            throw StartError(description: "cannot listen on UDP port 67\(device.map { " on \($0)" } ?? ""): \(error)")
        }
        let handler = DatagramHandler(
            maximumSize: Self.maximumDatagram,
            read: { [self] bytes in self.handle(bytes, from: side) },
            oversized: { [self] in
                self.log(
                    ProxyDecision(
                        action: .drop(.oversized), client: nil, messageType: .unreadable,
                        verdict: .oversized(limit: Self.maximumDatagram)))
            },
            error: { [self] error in self.lastChannelError.withLock { $0 = "\(error)" } }
        )
        // Up to `batch` datagrams per recvmmsg(2) call, each in a slot of `maximumDatagram` bytes.
        let bootstrap = DatagramBootstrap(group: self.group)
            .channelOption(.datagramVectorReadMessageCount, value: Self.batch)
            .channelOption(
                .recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.batch * Self.maximumDatagram)
            )
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
            }
        do {
            let channel = try bootstrap.withBoundSocket(socket.channelDescriptor).wait()
            return (channel, socket)
        } catch {
            close(socket.channelDescriptor)
            throw StartError(description: "cannot read from UDP port 67\(device.map { " on \($0)" } ?? ""): \(error)")
        }
    }

    /// Datagrams read per system call.
    static let batch = 16
    /// The receive slot per datagram. A datagram that fills it may have been cut short by the
    /// kernel, so it is dropped as oversized; DHCP over Ethernet stays under 1472 bytes.
    static let maximumDatagram = 4096

    // MARK: - Datagrams

    /// Decides, limits, sends and logs one datagram, on the event loop.
    private func handle(_ bytes: [UInt8], from side: Side) {
        var decision: ProxyDecision
        switch (self.configuration.mode, side) {
        case (.inform, _):
            decision = InformResponder.respond(
                to: bytes, serverAddress: self.address, subnet: self.subnet, policy: self.configuration.policy)
            if case .send = decision.action, let client = decision.client {
                decision = self.limited(decision, client: client)
            }
        case (.relay, .lab):
            let now = Self.monotonicNanoseconds()
            decision = self.relay.withLock { $0.clientDatagram(bytes, now: now) }
        case (.relay, .upstream):
            // Client broadcasts reach this socket too; the lab socket handles those.
            guard DHCPMessage.startsAsReply(bytes) else { return }
            let now = Self.monotonicNanoseconds()
            decision = self.relay.withLock { $0.serverDatagram(bytes, now: now) }
        }
        if !self.configuration.dryRun, case .send(let payload, let destination) = decision.action {
            decision = self.send(payload, to: destination, for: decision)
        }
        self.log(decision)
    }

    /// `CLOCK_MONOTONIC` in nanoseconds.
    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }

    /// `decision` as it stands when the rate limits allow its answer; a drop otherwise.
    private func limited(_ decision: ProxyDecision, client: MACAddress) -> ProxyDecision {
        let nanoseconds = Self.monotonicNanoseconds()
        let limits = self.configuration.answerLimits
        var verdict = self.limiter.withLock { $0.admit(client, now: nanoseconds) }
        // Past the overall limit, a client the kernel can already reach still gets its answer:
        // the limit is there to bound answers waiting on ARP for hosts that may not exist.
        if verdict == .totalLimited, case .send(_, .unicast(let address, _)) = decision.action,
            self.neighbours.withLock({ $0.isResolved(address, now: nanoseconds) })
        {
            verdict = self.limiter.withLock { $0.admit(client, now: nanoseconds, exemptFromTotal: true) }
        }
        switch verdict {
        case .allowed:
            return decision
        case .clientLimited:
            return decision.dropped(.rateLimited, verdict: .clientRateLimited(limits))
        case .totalLimited:
            return decision.dropped(.rateLimited, verdict: .totalRateLimited(limits))
        }
    }

    /// Sends `payload` now; returns `decision` when it left, or a drop that says why not.
    private func send(_ payload: [UInt8], to destination: ProxyDecision.Destination, for decision: ProxyDecision)
        -> ProxyDecision
    {
        guard let sockets = self.sockets.withLock({ $0 }) else {
            return decision.dropped(.sendFailed, verdict: .socketsClosed(decision.verdict))
        }
        var failures: [(IPv4Address, DatagramSocket.SendResult)] = []
        var sent = 0
        func attempt(_ socket: DatagramSocket, _ address: IPv4Address, _ port: UInt16) {
            let result = socket.send(payload, to: address, port: port)
            if result == .sent { sent += 1 } else { failures.append((address, result)) }
        }
        switch destination {
        case .unicast(let address, let port):
            if port == DHCPMessage.clientPort || sockets.upstream == nil {
                attempt(sockets.lab, address, port)
            } else if let upstream = sockets.upstream {
                attempt(upstream, address, port)
            }
        case .broadcastToClients:
            attempt(sockets.lab, .broadcast, DHCPMessage.clientPort)
        case .upstreamServers:
            for server in self.configuration.upstreams {
                if let upstream = sockets.upstream {
                    attempt(upstream, server, DHCPMessage.serverPort)
                } else {
                    attempt(sockets.lab, server, DHCPMessage.serverPort)
                }
            }
        }
        guard let firstFailure = failures.first?.1 else { return decision }
        let text = failures.map { "\($0.0): \(Self.describe($0.1))" }.joined(separator: "; ")
        if sent > 0 {
            var partly = ProxyDecision(
                action: decision.action, client: decision.client, messageType: decision.messageType,
                verdict: .partlySent(decision.verdict, failures: text), injected: decision.injected
            )
            partly.upstreamLatency = decision.upstreamLatency
            return partly
        }
        let reason: DropReason = if case .bufferFull = firstFailure { .sendBufferFull } else { .sendFailed }
        return decision.dropped(reason, verdict: .notSent(decision.verdict, failures: text))
    }

    private static func describe(_ result: DatagramSocket.SendResult) -> String {
        switch result {
        case .sent: "sent"
        case .bufferFull(let code): "send buffer full, dropped: \(systemErrorText(code))"
        case .failed(let code): systemErrorText(code)
        }
    }
}

/// Hands each datagram's bytes to a closure, refusing those that fill the receive slot.
private final class DatagramHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let maximumSize: Int
    private let read: @Sendable ([UInt8]) -> Void
    private let oversized: @Sendable () -> Void
    private let error: @Sendable (any Error) -> Void

    init(
        maximumSize: Int, read: @escaping @Sendable ([UInt8]) -> Void, oversized: @escaping @Sendable () -> Void,
        error: @escaping @Sendable (any Error) -> Void
    ) {
        self.maximumSize = maximumSize
        self.read = read
        self.oversized = oversized
        self.error = error
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard envelope.data.readableBytes < self.maximumSize else {
            self.oversized()
            return
        }
        self.read(Array(envelope.data.readableBytesView))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A receive error (an ICMP unreachable from a stopped server) does not close the socket;
        // remembered for the notice should the channel close all the same.
        self.error(error)
    }
}
