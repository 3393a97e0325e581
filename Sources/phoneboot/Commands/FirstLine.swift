#if canImport(Glibc)
    import Glibc
#endif

/// The first line of a small text file, such as a secret handed over by systemd's
/// `LoadCredential=` (`proxy --boot-server-file`): read with POSIX calls, at most
/// ``limit`` bytes, without the line end and surrounding blanks.
enum FirstLine {
    /// A boot-server string fits in one DHCP option (255 bytes); a file much longer than that
    /// is not the file meant.
    static let limit = 4096

    /// Why the file could not be read.
    struct ReadError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot read \(self.path): \(self.reason)" }
    }

    static func read(path: String) throws(ReadError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: Self.limit + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                Glibc.read(fd, buffer.baseAddress.map { $0 + count }, buffer.count - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            count += got
        }
        guard count <= Self.limit else {
            throw ReadError(path: path, reason: "longer than \(Self.limit) bytes; it should hold one line")
        }
        let line = bytes[..<count].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first ?? []
        let text = String(decoding: line, as: UTF8.self)
        return String(
            text.drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop {
                $0 == " " || $0 == "\t" || $0 == "\r"
            }.reversed())
    }
}
