/// Cuts a reassembled byte stream into text lines at LF (dropping a CR before it), as FTP's
/// control connection sends them (RFC 959 §4.1). A line longer than ``maximumLength`` is cut
/// there, so a stream without line ends cannot grow memory.
struct LineSplitter: Sendable {
    static let maximumLength = 8 * 1024

    private var partial: [UInt8] = []
    /// Where the next line starts in the stream.
    private(set) var offset = 0
    /// Lines cut because they were too long.
    private(set) var overlongLines = 0

    /// Adds bytes; returns every line they complete, with the stream offset of each.
    mutating func append(_ bytes: [UInt8]) -> [(line: [UInt8], offset: Int)] {
        var lines: [(line: [UInt8], offset: Int)] = []
        for byte in bytes {
            if byte == 0x0A {
                let line = self.partial.last == 0x0D ? Array(self.partial.dropLast()) : self.partial
                lines.append((line, self.offset))
                self.offset += self.partial.count + 1
                self.partial.removeAll(keepingCapacity: true)
            } else if self.partial.count >= Self.maximumLength {
                self.overlongLines += 1
                lines.append((self.partial, self.offset))
                self.offset += self.partial.count
                self.partial = [byte]
            } else {
                self.partial.append(byte)
            }
        }
        return lines
    }
}
