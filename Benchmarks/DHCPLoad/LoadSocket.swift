#if canImport(Glibc)
    import Glibc
#endif

/// The load client's UDP socket: port 68 on one interface (`SO_BINDTODEVICE`), broadcast
/// allowed, non-blocking, with a large receive buffer so that a burst of replies is not lost.
final class LoadSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let descriptor: Int32

    init(interface: String) throws(Failure) {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        self.descriptor = descriptor
        // From here on, a failure closes the socket in deinit.
        var on: Int32 = 1
        var receiveBuffer: Int32 = 4 << 20
        let named = Array(interface.utf8) + [0]
        guard setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) == 0,
            setsockopt(descriptor, SOL_SOCKET, SO_BROADCAST, &on, socklen_t(MemoryLayout<Int32>.size)) == 0,
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size)) == 0,
            setsockopt(descriptor, SOL_SOCKET, SO_BINDTODEVICE, named, socklen_t(named.count)) == 0
        else {
            throw Failure(description: "setsockopt on \(interface): \(String(cString: strerror(errno))) (needs root)")
        }
        var address = Self.socketAddress(0, port: 68)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw Failure(description: "bind to port 68: \(String(cString: strerror(errno)))") }
    }

    deinit {
        close(self.descriptor)
    }

    /// Sends one datagram; false when the kernel would not take it.
    func send(_ bytes: [UInt8], to address: UInt32, port: UInt16) -> Bool {
        var destination = Self.socketAddress(address, port: port)
        let sent = withUnsafePointer(to: &destination) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes {
                    sendto(
                        self.descriptor, $0.baseAddress, $0.count, 0, socketAddress,
                        socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return sent == bytes.count
    }

    /// Reads one datagram into `buffer`; `nil` when none is waiting.
    func receive(into buffer: inout [UInt8]) -> Int? {
        let count = buffer.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
        return count >= 0 ? count : nil
    }

    /// Waits up to `milliseconds` for a datagram.
    func wait(milliseconds: Int32) {
        var entry = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&entry, 1, milliseconds)
    }

    private static func socketAddress(_ address: UInt32, port: UInt16) -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr = in_addr(s_addr: address.bigEndian)
        return socketAddress
    }
}
