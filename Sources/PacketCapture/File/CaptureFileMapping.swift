internal import Glibc

/// A private, copy-on-write memory map of a capture file: the bytes resynchronisation scans for
/// the next plausible record, and the memory a resumed libpcap stream reads from.
///
/// Only regular files can be mapped; standard input and pipes cannot, and are not resynchronised.
struct CaptureFileMapping: ~Copyable {
    private let base: UnsafeMutableRawPointer
    /// The file's size in bytes.
    let count: Int

    /// Maps `path`, or returns `nil` when it is not a regular, non-empty file that can be mapped.
    init?(path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 else {
            return nil
        }
        let size = Int(status.st_size)
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, descriptor, 0),
            mapped != UnsafeMutableRawPointer(bitPattern: -1)
        else { return nil }
        self.base = mapped
        self.count = size
    }

    deinit {
        munmap(self.base, self.count)
    }

    /// The file's bytes as they were when mapped (stream prefixes are written only below the
    /// offsets already read past).
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: self.base, count: self.count)
    }

    /// A stdio stream that yields `prefix` (a pcap file header, or a pcapng section header and
    /// its interface descriptions), then the file from `offset` to its end.
    ///
    /// The prefix is written into the private mapping just below `offset`, so `prefix.count`
    /// must not exceed `offset`. The caller closes the stream (`pcap_close` does).
    func stream(prefix: [UInt8], from offset: Int) -> UnsafeMutablePointer<FILE>? {
        guard prefix.count <= offset, offset <= self.count else { return nil }
        let start = offset - prefix.count
        prefix.withUnsafeBytes { source in
            UnsafeMutableRawBufferPointer(start: self.base + start, count: prefix.count).copyMemory(from: source)
        }
        return fmemopen(self.base + start, self.count - start, "r")
    }
}
