/// A set of TCP or UDP ports as a bitmap (8 KiB): membership is one load and a mask, for the
/// checks made on every segment of a capture.
struct PortSet: Sendable {
    private var words = [UInt64](repeating: 0, count: 1 << 10)

    init(_ ports: some Sequence<UInt16>) {
        for port in ports { self.insert(port) }
    }

    func contains(_ port: UInt16) -> Bool {
        self.words[Int(port >> 6)] & (1 << UInt64(port & 63)) != 0
    }

    mutating func insert(_ port: UInt16) {
        self.words[Int(port >> 6)] |= 1 << UInt64(port & 63)
    }
}
