import NIOCore
import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking IPv4 socket for `probe --fetch`, bound to one interface (`SO_BINDTODEVICE`, so
/// that nothing leaves by another one whatever the routes say), with a time limit on every
/// connect, send and receive. Closed when it goes away.
struct ProbeSocket: ~Copyable {
    enum Transport {
        case udp, tcp
    }

    private let descriptor: Int32
    /// Where its calls' errors are said to have happened (`TFTP 192.0.2.1`).
    let context: String

    /// A socket of `transport` bound to `interface`, every call limited to `timeout`.
    init(_ transport: Transport, interface: String, timeout: Duration, context: String) throws(ProbeFetchError) {
        let type = transport == .udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        let descriptor = socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ProbeFetchError(context, "socket: \(Self.lastError())") }
        if let problem = Self.configure(descriptor, interface: interface, timeout: timeout) {
            close(descriptor)
            throw ProbeFetchError(context, problem)
        }
        self.descriptor = descriptor
        self.context = context
    }

    /// Binds `descriptor` to `interface` and sets its time limits; what failed, if anything.
    private static func configure(_ descriptor: Int32, interface: String, timeout: Duration) -> String? {
        var name = Array(interface.utf8CString)
        let bound = name.withUnsafeMutableBytes { bytes in
            setsockopt(descriptor, SOL_SOCKET, SO_BINDTODEVICE, bytes.baseAddress, socklen_t(bytes.count))
        }
        guard bound == 0 else {
            return "cannot send on \(interface) only (SO_BINDTODEVICE): \(Self.lastError())"
        }
        let (seconds, attoseconds) = timeout.components
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        guard setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, size) == 0,
            setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, size) == 0
        else { return "setsockopt: \(Self.lastError())" }
        return nil
    }

    deinit {
        close(self.descriptor)
    }

    /// Connects (TCP) or fixes the peer (UDP), within the time limit.
    func connect(to address: IPv4Address, port: UInt16) throws(ProbeFetchError) {
        var peer = Self.socketAddress(address, port: port)
        let status = withUnsafePointer(to: &peer) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(self.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            throw ProbeFetchError(self.context, "connect to \(address):\(port): \(Self.lastError())")
        }
    }

    /// This end's address and port (after a connect or a send).
    var localEndpoint: (address: IPv4Address, port: UInt16)? {
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &local) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(self.descriptor, $0, &length) }
        }
        guard status == 0 else { return nil }
        return (IPv4Address(rawValue: UInt32(bigEndian: local.sin_addr.s_addr)), UInt16(bigEndian: local.sin_port))
    }

    /// Sends all of `bytes` on a connected socket.
    func send(_ bytes: [UInt8]) throws(ProbeFetchError) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Glibc.send(
                    self.descriptor, buffer.baseAddress.map { $0 + sent }, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { throw ProbeFetchError(self.context, "send: \(Self.lastError())") }
            sent += count
        }
    }

    /// Sends one datagram to `address`:`port`.
    func send(_ bytes: [UInt8], to address: IPv4Address, port: UInt16) throws(ProbeFetchError) {
        var peer = Self.socketAddress(address, port: port)
        let count = withUnsafePointer(to: &peer) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { peerPointer in
                bytes.withUnsafeBytes { buffer in
                    sendto(
                        self.descriptor, buffer.baseAddress, buffer.count, 0, peerPointer,
                        socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard count == bytes.count else {
            throw ProbeFetchError(self.context, "send to \(address):\(port): \(Self.lastError())")
        }
    }

    /// What came next, at most `limit` bytes, with where it came from; `nil` when the time
    /// limit passed first. An empty array is the end of a TCP stream.
    func receive(limit: Int = 65_536) throws(ProbeFetchError) -> (bytes: [UInt8], address: IPv4Address, port: UInt16)? {
        var buffer = [UInt8](repeating: 0, count: limit)
        var peer = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &peer) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(self.descriptor, bytes.baseAddress, bytes.count, 0, $0, &length)
                }
            }
        }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            throw ProbeFetchError(self.context, "receive: \(Self.lastError())")
        }
        return (
            Array(buffer.prefix(count)), IPv4Address(rawValue: UInt32(bigEndian: peer.sin_addr.s_addr)),
            UInt16(bigEndian: peer.sin_port)
        )
    }

    /// The IPv4 address of `interface` to fetch from: its first, as SwiftNIO's
    /// `System.enumerateDevices` lists them (as the proxy finds its own).
    static func address(of interface: String) -> IPv4Address? {
        let devices = (try? System.enumerateDevices()) ?? []
        return devices.lazy.filter { $0.name == interface }.compactMap { device -> IPv4Address? in
            guard case .v4? = device.address, let text = device.address?.ipAddress else { return nil }
            return IPv4Address(text)
        }.first
    }

    /// The first IPv4 address of `host` (a dotted address is taken as it is).
    static func resolve(_ host: String) -> IPv4Address? {
        if let address = IPv4Address(host) { return address }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(result) }
        guard let address = first.pointee.ai_addr else { return nil }
        let ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
        return IPv4Address(rawValue: UInt32(bigEndian: ipv4.sin_addr.s_addr))
    }

    private static func socketAddress(_ address: IPv4Address, port: UInt16) -> sockaddr_in {
        var peer = sockaddr_in()
        peer.sin_family = sa_family_t(AF_INET)
        peer.sin_port = port.bigEndian
        peer.sin_addr = in_addr(s_addr: address.rawValue.bigEndian)
        return peer
    }

    private static func lastError() -> String {
        let code = errno
        return String(cString: strerror(code))
    }
}
