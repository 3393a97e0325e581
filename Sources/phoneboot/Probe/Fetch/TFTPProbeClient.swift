import WireFormats

/// The TFTP side of `probe --fetch` (RFC 1350, options RFC 2347–2349): a read in lockstep
/// with 512-byte blocks, or a size check (`tsize 0`, then an ERROR to end it once the OACK
/// gives the size, as RFC 2349 §2 allows). Every request has a transfer ID (socket) of its
/// own; each packet is sent again at most ``attempts`` − 1 times.
struct TFTPProbeClient {
    let interface: String
    let server: IPv4Address
    let port: UInt16
    let timeout: Duration
    /// Tries per packet before the transfer is given up.
    static let attempts = 3

    /// The whole of `file`, up to `limit` bytes.
    func file(_ file: String, limit: Int) -> ProbeFetchStep {
        self.run(file, request: .file, limit: limit)
    }

    /// Whether `file` is there, and its size, without its content.
    func size(_ file: String) -> ProbeFetchStep {
        self.run(file, request: .size, limit: 0)
    }

    private func run(_ file: String, request: ProbeFetchStep.Request, limit: Int) -> ProbeFetchStep {
        do {
            return try self.transfer(file, request: request, limit: limit)
        } catch {
            return ProbeFetchStep(request: request, file: file, outcome: .failed(error.description))
        }
    }

    private func transfer(
        _ file: String, request: ProbeFetchStep.Request, limit: Int
    ) throws(ProbeFetchError) -> ProbeFetchStep {
        let context = "TFTP \(self.server):\(self.port) \(file)"
        let socket = try ProbeSocket(.udp, interface: self.interface, timeout: self.timeout, context: context)
        let options = [TFTPOption(name: "tsize", value: "0")]
        var last = TFTPPacket.readRequest(TFTPRequest(filename: file, mode: "octet", options: options)).encoded()
        var peerPort = self.port
        var serverPort: UInt16?
        var content: [UInt8] = []
        var expected: UInt16 = 1
        var size: Int?
        func step(_ outcome: ProbeFetchStep.Outcome) -> ProbeFetchStep {
            ProbeFetchStep(request: request, file: file, outcome: outcome)
        }
        func stop(_ message: String) throws(ProbeFetchError) {
            if let serverPort {
                try socket.send(
                    TFTPPacket.error(code: 0, message: message).encoded(), to: self.server, port: serverPort)
            }
        }
        var tries = 0
        try socket.send(last, to: self.server, port: peerPort)
        while true {
            guard let (bytes, address, port) = try socket.receive() else {
                tries += 1
                guard tries < Self.attempts else {
                    return step(.failed("no answer after \(Self.attempts) tries, \(self.timeout) apart"))
                }
                try socket.send(last, to: self.server, port: peerPort)
                continue
            }
            // Only the server, and once it has chosen its transfer ID, only from there.
            guard address == self.server, serverPort == nil || port == serverPort else { continue }
            if serverPort == nil {
                serverPort = port
                peerPort = port
            }
            tries = 0
            if bytes.count >= 4, bytes[0] == 0, bytes[1] == 3 {
                let block = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
                guard block == expected else { continue }  // a duplicate: its ACK was sent
                if request == .size {
                    // A server without options sent data at once: the file is there.
                    try stop("size only")
                    return step(.found(bytes: nil, size: nil))
                }
                content += bytes[4...]
                guard content.count <= limit else {
                    try stop("file too large")
                    return step(.failed("larger than \(limit) bytes: not read to the end"))
                }
                last = TFTPPacket.acknowledgment(block: block).encoded()
                try socket.send(last, to: self.server, port: peerPort)
                if bytes.count - 4 < 512 { return step(.found(bytes: content, size: size)) }
                expected &+= 1
                continue
            }
            switch try? TFTPPacket(decoding: bytes) {
            case .optionAcknowledgment(let acknowledged):
                size = acknowledged.value(of: "tsize").flatMap { Int($0) }
                if request == .size {
                    try stop("size only")
                    return step(.found(bytes: nil, size: size))
                }
                last = TFTPPacket.acknowledgment(block: 0).encoded()
                try socket.send(last, to: self.server, port: peerPort)
            case .error(let code, let message):
                let text = "error \(code) \"\(message)\""
                return step(code == 1 ? .notFound(text) : .failed(text))
            default:
                continue
            }
        }
    }
}
