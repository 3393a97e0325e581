extension [UInt8] {
    /// A copy of `bytes`, for a frame kept after libpcap's buffer is reused.
    init(copying bytes: Span<UInt8>) {
        self.init()
        self.reserveCapacity(bytes.count)
        for index in bytes.indices { self.append(bytes[index]) }
    }
}
