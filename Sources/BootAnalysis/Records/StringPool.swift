/// One copy of each string that many records repeat (a firmware version in option 60, a file
/// every phone fetches, a boot server URL), so that they share its storage instead of each
/// keeping the copy its packet was decoded into.
///
/// Bounded: past ``limit`` distinct strings it keeps no more, and a string not kept is
/// returned as it is. Strings short enough to be held inline (15 UTF-8 bytes) have no storage
/// to share and are never kept.
struct StringPool: Sendable {
    /// The most distinct strings kept.
    let limit: Int
    private var strings: Set<String> = []

    init(limit: Int = 4_096) {
        self.limit = limit
    }

    /// The pool's copy of `string`, or `string` itself when the pool has none and no room.
    mutating func pooled(_ string: String) -> String {
        guard string.utf8.count > 15 else { return string }
        if let index = self.strings.firstIndex(of: string) { return self.strings[index] }
        guard self.strings.count < self.limit else { return string }
        self.strings.insert(string)
        return string
    }

    /// `string` pooled, when there is one.
    mutating func pooled(_ string: String?) -> String? {
        string.map { self.pooled($0) }
    }
}
