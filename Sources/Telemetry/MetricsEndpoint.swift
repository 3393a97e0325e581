import NIOCore
import NIOHTTP1
import NIOPosix
public import Prometheus

/// An HTTP/1.1 server that answers `GET /metrics` with a Prometheus registry in the text
/// exposition format (version 0.0.4), for `proxy --metrics-address` and `watch
/// --metrics-address`.
///
/// Every other path is `404`, every other method `405`; request bodies are read and dropped.
/// It runs on its own event loop thread, so that a slow scraper never holds up the capture or
/// the proxy, and stops with ``stop()``.
public final class MetricsEndpoint: Sendable {
    /// Why the endpoint could not start: the address and what the kernel said.
    public struct StartError: Error, CustomStringConvertible {
        public let address: MetricsAddress
        public let reason: String
        public var description: String { "cannot serve metrics on \(self.address): \(self.reason)" }
    }

    /// The address the server listens on (with the port the kernel chose for port 0).
    public let boundAddress: MetricsAddress
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    /// Binds `address` and starts serving `registry`.
    public init(address: MetricsAddress, registry: PrometheusCollectorRegistry) throws(StartError) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsRequestHandler(registry: registry))
                }
            }
        do {
            self.channel = try bootstrap.bind(host: address.host, port: address.port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw StartError(address: address, reason: "\(error)")
        }
        self.group = group
        self.boundAddress = MetricsAddress(host: address.host, port: self.channel.localAddress?.port ?? address.port)
    }

    /// Stops listening and closes open connections.
    public func stop() {
        try? self.channel.close().wait()
        try? self.group.syncShutdownGracefully()
    }
}

/// One HTTP connection of the metrics endpoint: each request answered when its end arrives.
private final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private var head: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head = self.head else { return }
            self.head = nil
            self.respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let status: HTTPResponseStatus
        var body: [UInt8]
        var headers = HTTPHeaders()
        switch (head.method, path) {
        case (.GET, "/metrics"), (.HEAD, "/metrics"):
            status = .ok
            body = []
            self.registry.emit(into: &body)
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
        case (_, "/metrics"):
            status = .methodNotAllowed
            body = Array("only GET /metrics is served\n".utf8)
            headers.add(name: "Allow", value: "GET, HEAD")
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        default:
            status = .notFound
            body = Array("not found: the metrics are at /metrics\n".utf8)
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        }
        headers.add(name: "Content-Length", value: String(body.count))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(
            Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        if head.method != .HEAD {
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(Self.wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
