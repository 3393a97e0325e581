/// Why a master configuration file could not be read as XML, and where: the XML parser's
/// error (libxml2's code and PhoneBoot's words for it) at a line and column of the file.
public struct MasterConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// libxml2's error number (`xmlParserErrors`), when the parser gave one.
    public let code: Int?
    /// What is wrong, in words.
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

    /// `line 3, column 15: closing tag does not match the open element (XML error 76)`.
    public var description: String {
        let place = self.line > 0 ? "line \(self.line), column \(self.column): " : ""
        return place + self.message + (self.code.map { " (XML error \($0))" } ?? "")
    }
}
