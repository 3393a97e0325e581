/// Why one step of `probe --fetch` could not be done: where (`TFTP 192.0.2.1:69
/// 0004f2aabb01.cfg`) and what happened, in the system's or the server's words.
struct ProbeFetchError: Error, Hashable, Sendable, CustomStringConvertible {
    let context: String
    let reason: String

    init(_ context: String, _ reason: String) {
        self.context = context
        self.reason = reason
    }

    var description: String { "\(self.context): \(self.reason)" }
}
