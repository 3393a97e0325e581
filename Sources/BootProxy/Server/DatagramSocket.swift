import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// A UDP socket on port 67 that the proxy opens itself: SwiftNIO reads from it, and the proxy
/// sends through its own descriptor (a `dup` of it) with `sendto(2)` and `MSG_DONTWAIT`.
///
/// Sending outside SwiftNIO is deliberate. A datagram channel closes itself on any send error
/// but `EMSGSIZE` and `EHOSTUNREACH`, so one reply to an unroutable `giaddr` (`ENETUNREACH`)
/// would stop the relay; and a write the kernel cannot take at once is queued inside the
/// process without limit. Here every send either leaves at once or is dropped with its errno,
/// and nothing is ever queued.
final class DatagramSocket: Sendable {
    /// What became of one send.
    enum SendResult: Equatable {
        case sent
        /// The socket's send buffer is full (`EAGAIN`, `ENOBUFS`): dropped, not queued.
        case bufferFull(errno: Int32)
        /// The kernel refused it (`ENETUNREACH`, `EPERM`, `EACCES`, ...).
        case failed(errno: Int32)
    }

    /// Why a socket could not be opened: the step and the system's reason.
    struct OpenError: Error, CustomStringConvertible {
        let step: String
        let errno: Int32

        var description: String { "\(self.step): \(systemErrorText(self.errno))" }
    }

    /// The descriptor this value sends through and closes.
    private let descriptor: CInt
    /// The descriptor handed to SwiftNIO, which reads from it and closes it with the channel.
    let channelDescriptor: CInt

    /// Opens a UDP socket bound to `0.0.0.0:port`, allowed to broadcast, and bound to `device`
    /// when given (`SO_BINDTODEVICE`, before `bind`, so it never sees another interface's
    /// datagrams).
    init(port: UInt16, device: String?) throws(OpenError) {
        let fd = socket(
            AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw OpenError(step: "socket", errno: errno) }
        func fail(_ step: String) -> OpenError {
            let error = OpenError(step: step, errno: errno)
            close(fd)
            return error
        }
        var one: CInt = 1
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size)) == 0 else {
            throw fail("SO_REUSEADDR")
        }
        guard setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, socklen_t(MemoryLayout<CInt>.size)) == 0 else {
            throw fail("SO_BROADCAST")
        }
        // Room in the kernel for a burst of datagrams to read, and for the answers a flood can
        // leave waiting on ARP (their number is bounded by the answer limits): with root, past
        // net.core.rmem_max/wmem_max; otherwise as far as those allow. Kernel memory, bounded.
        Self.setBufferSize(fd, force: SO_RCVBUFFORCE, plain: SO_RCVBUF, bytes: Self.receiveBufferBytes)
        Self.setBufferSize(fd, force: SO_SNDBUFFORCE, plain: SO_SNDBUF, bytes: Self.sendBufferBytes)
        if let device {
            var name = [CChar](repeating: 0, count: Int(IFNAMSIZ))
            for (index, byte) in device.utf8.prefix(Int(IFNAMSIZ) - 1).enumerated() {
                name[index] = CChar(bitPattern: byte)
            }
            guard setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, socklen_t(name.count)) == 0 else {
                throw fail("SO_BINDTODEVICE \(device) (needs root or CAP_NET_RAW)")
            }
        }
        var address = Self.socketAddress(.any, port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            throw fail(
                "bind 0.0.0.0:\(port) (needs root or CAP_NET_BIND_SERVICE, and no other DHCP server or relay on this port)"
            )
        }
        let copy = dup(fd)
        guard copy >= 0 else { throw fail("dup") }
        self.descriptor = copy
        self.channelDescriptor = fd
    }

    /// The receive buffer asked for: about 4,000 datagrams of a few hundred bytes.
    static let receiveBufferBytes: CInt = 4 << 20
    /// The send buffer asked for: room for every answer the limits allow to wait on ARP.
    static let sendBufferBytes: CInt = 2 << 20

    /// Sets a socket buffer's size with the `*FORCE` option when permitted, else the plain one.
    private static func setBufferSize(_ fd: CInt, force: CInt, plain: CInt, bytes: CInt) {
        var value = bytes
        let size = socklen_t(MemoryLayout<CInt>.size)
        if setsockopt(fd, SOL_SOCKET, force, &value, size) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, plain, &value, size)
        }
    }

    deinit {
        close(self.descriptor)
    }

    /// Sends `payload` to `address:port` now, or not at all.
    func send(_ payload: [UInt8], to address: IPv4Address, port: UInt16) -> SendResult {
        var destination = Self.socketAddress(address, port)
        let result = payload.withUnsafeBytes { bytes in
            withUnsafePointer(to: &destination) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(
                        self.descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), $0,
                        socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard result < 0 else { return .sent }
        let code = errno
        return code == EAGAIN || code == EWOULDBLOCK || code == ENOBUFS
            ? .bufferFull(errno: code) : .failed(errno: code)
    }

    private static func socketAddress(_ address: IPv4Address, _ port: UInt16) -> sockaddr_in {
        var socket = sockaddr_in()
        socket.sin_family = sa_family_t(AF_INET)
        socket.sin_port = port.bigEndian
        socket.sin_addr = in_addr(s_addr: address.rawValue.bigEndian)
        return socket
    }
}

/// `strerror`'s text and the symbolic name: `ENETUNREACH (Network is unreachable)`.
func systemErrorText(_ code: Int32) -> String {
    let names: [Int32: String] = [
        EAGAIN: "EAGAIN", ENOBUFS: "ENOBUFS", ENETUNREACH: "ENETUNREACH", EHOSTUNREACH: "EHOSTUNREACH", EPERM: "EPERM",
        EACCES: "EACCES", EMSGSIZE: "EMSGSIZE", EADDRINUSE: "EADDRINUSE", EADDRNOTAVAIL: "EADDRNOTAVAIL",
        ENODEV: "ENODEV",
        ECONNREFUSED: "ECONNREFUSED", EINVAL: "EINVAL", EBADF: "EBADF", ENETDOWN: "ENETDOWN",
    ]
    let text = strerror(code).map { String(cString: $0) } ?? "error \(code)"
    return "\(names[code] ?? "errno \(code)") (\(text))"
}
