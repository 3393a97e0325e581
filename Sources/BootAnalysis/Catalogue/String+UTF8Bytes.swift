extension String {
    /// True when the UTF-8 encoding holds `byte` (an ASCII character, so it cannot be part of
    /// another character's encoding). Read in place: the UTF-8 view's generic `contains` reads
    /// a byte at a time through its iterator, and file names and boot-server strings are asked
    /// many times per phone.
    func utf8Contains(_ byte: UInt8) -> Bool {
        var text = self
        return text.withUTF8 { $0.contains(byte) }
    }
}
