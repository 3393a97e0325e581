#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Buffered writes to a file descriptor (standard output), flushed in large blocks.
struct OutputBuffer: ~Copyable {
    private var bytes: [UInt8] = []
    private let descriptor: Int32
    private let threshold = 1 << 16

    static func standardOutput() -> OutputBuffer { OutputBuffer(descriptor: STDOUT_FILENO) }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
        self.bytes.reserveCapacity(self.threshold + 4096)
    }

    mutating func write(_ text: String) {
        self.bytes.append(contentsOf: text.utf8)
        if self.bytes.count >= self.threshold { self.flush() }
    }

    mutating func write(bytes: [UInt8]) {
        // A large block (a chunk of a report's phones) goes out as it is, after what waits,
        // rather than copied into the buffer first.
        guard bytes.count < self.threshold / 4 else {
            self.flush()
            writeAll(bytes, to: self.descriptor)
            return
        }
        self.bytes.append(contentsOf: bytes)
        if self.bytes.count >= self.threshold { self.flush() }
    }

    /// A JSON value's compact text, written straight into the buffer.
    mutating func write(_ value: JSONValue) {
        value.write(into: &self.bytes)
        if self.bytes.count >= self.threshold { self.flush() }
    }

    mutating func writeLine(_ text: String) {
        self.write(text)
        self.write("\n")
    }

    mutating func flush() {
        writeAll(self.bytes, to: self.descriptor)
        self.bytes.removeAll(keepingCapacity: true)
    }

    deinit {
        writeAll(self.bytes, to: self.descriptor)
    }
}

/// Writes every byte, retrying short writes and EINTR; gives up quietly on a closed pipe.
func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

/// Writes one line to standard error at once.
func printError(_ text: String) {
    writeStandardError(text + "\n")
}

/// Writes `text` to standard error at once, as it is.
func writeStandardError(_ text: String) {
    writeAll(Array(text.utf8), to: STDERR_FILENO)
}

/// True when standard error is a terminal.
func standardErrorIsTerminal() -> Bool {
    isatty(STDERR_FILENO) != 0
}

/// True when standard output is a terminal.
func standardOutputIsTerminal() -> Bool {
    isatty(STDOUT_FILENO) != 0
}
