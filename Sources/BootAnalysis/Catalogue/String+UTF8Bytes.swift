extension String {
    /// True when the UTF-8 encoding holds `byte` (an ASCII character, so it cannot be part of
    /// another character's encoding). Read in place: the UTF-8 view's generic `contains` reads
    /// a byte at a time through its iterator, and file names and boot-server strings are asked
    /// many times per phone.
    func utf8Contains(_ byte: UInt8) -> Bool {
        self.withUTF8InPlace { $0.contains(byte) }
    }

    /// Calls `body` with the string's UTF-8 bytes where they lie: a native string's are one
    /// buffer. `withUTF8`, which may make them so, needs a mutable copy of the string, and the
    /// copy is a retain and a release of its storage, atomic, every time a name is asked about
    /// or a string is written into a report.
    @inlinable
    public func withUTF8InPlace<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = self.utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = self
        return text.withUTF8(body)
    }
}
