/// One request `probe --fetch` made, as the client saw it: the file, whether the whole file
/// or only its size was asked for, and the answer. The analyzer's record of the same frames is
/// the evidence; this is what the client itself can add (a refused connection, a timeout).
struct ProbeFetchStep: Hashable, Sendable {
    /// Whole file, or its size only (TFTP `tsize`, FTP `SIZE`, HTTP `HEAD`).
    enum Request: String, Hashable, Sendable {
        case file
        case size
    }

    enum Outcome: Hashable, Sendable {
        /// The server had it: the file's bytes (whole-file requests) and the size it gave.
        case found(bytes: [UInt8]?, size: Int?)
        /// The server said it has no such file, in its words.
        case notFound(String)
        /// Anything else: a refusal, an error, no answer.
        case failed(String)
    }

    let request: Request
    /// The file as requested (its path on the server).
    let file: String
    let outcome: Outcome

    var isFound: Bool {
        if case .found = self.outcome { return true }
        return false
    }

    /// The outcome in a few words: `found, 1234 bytes`, `not found: File not found`.
    var outcomeText: String {
        switch self.outcome {
        case .found(let bytes, let size):
            if let bytes { return "found, \(bytes.count) bytes" }
            return "found" + (size.map { ", \($0) bytes" } ?? "")
        case .notFound(let reason): return "not found: \(reason)"
        case .failed(let reason): return "failed: \(reason)"
        }
    }
}
