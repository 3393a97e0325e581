/// Why a master configuration file could not be read as XML, and where: libxml2's first error
/// (its code and its own message, the text `xmllint` prints) at a line and column of the file.
public struct MasterConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libxml2's error number (`xmlParserErrors`), when the parser gave one.
    public let code: Int?
    /// What is wrong, in libxml2's words, on one line.
    public let message: String
    /// 1-based line and column in the file where the parser stopped (0 when not known).
    public let line: Int
    public let column: Int

    public init(code: Int?, message: String, line: Int, column: Int) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
    }

    /// `line 3, column 15: Opening and ending tag mismatch: A line 2 and APPLICATION (XML error 76)`.
    public var description: String {
        let place = self.line > 0 ? "line \(self.line), column \(self.column): " : ""
        return place + self.message + (self.code.map { " (XML error \($0))" } ?? "")
    }
}
