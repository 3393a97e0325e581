import Foundation
import FoundationXML

/// Reads a master configuration file (polycom-boot.md §4.3) with FoundationXML's `XMLParser`,
/// which is libxml2's parser: a file that is not well-formed XML is refused with the parser's
/// first error and the line it stopped at.
///
/// Runs once per master file the capture holds completely, never per packet. External
/// entities are not resolved (``XMLParser/shouldResolveExternalEntities`` off), so a file
/// from the wire cannot make the analyzer read local files.
public enum MasterConfigParser {
    /// Parses `bytes`, a whole master file.
    ///
    /// Bytes that are not UTF-8 are refused before the parser sees them: FoundationXML traps on
    /// a comment that is not UTF-8 (swift-corelibs-foundation, Swift 6.3), and a file from the
    /// wire must never stop the analyzer. Master files are ASCII in practice.
    public static func parse(_ bytes: [UInt8]) throws(MasterConfigError) -> MasterConfig {
        if let offset = Self.firstInvalidUTF8(bytes) {
            let before = bytes[..<offset]
            let line = 1 + before.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            let byte = String(bytes[offset], radix: 16, uppercase: true)
            throw MasterConfigError(
                code: nil,
                message: """
                    a byte that is not UTF-8 (0x\(byte.count == 1 ? "0" + byte : byte)); PhoneBoot reads master files \
                    as UTF-8 only
                    """,
                line: line, column: column)
        }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        let reader = Reader()
        parser.delegate = reader
        let finished = parser.parse()
        if let error = reader.error {
            throw error
        }
        if !finished {
            // No error reported through the delegate (libxml2 always reports one; kept safe).
            let code = (parser.parserError as NSError?)?.code
            throw MasterConfigError(
                code: code, message: code.map(Self.describe) ?? "the XML parser stopped",
                line: parser.lineNumber, column: parser.columnNumber)
        }
        guard let root = reader.rootName else {
            throw MasterConfigError(code: 4, message: "the file holds no XML element", line: 0, column: 0)
        }
        return MasterConfig(rootName: root, attributes: reader.rootAttributes, models: reader.models)
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence
    /// (Unicode §3.9, table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF);
    /// `nil` when every byte does.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0x00...0x7F:
                index += 1
                continue
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                secondRange = 0xA0...0xBF
            case 0xED:
                length = 3
                secondRange = 0x80...0x9F
            case 0xE1...0xEF: length = 3
            case 0xF0:
                length = 4
                secondRange = 0x90...0xBF
            case 0xF4:
                length = 4
                secondRange = 0x80...0x8F
            case 0xF1...0xF3: length = 4
            default: return index
            }
            guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return index }
            for next in (index + 2)..<(index + length) where bytes[next] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }

    /// PhoneBoot's words for libxml2's most common well-formedness errors (`xmlParserErrors`
    /// in libxml2's xmlerror.h); others are named by number.
    static func describe(_ code: Int) -> String {
        switch code {
        case 4: "the file is empty"
        case 5: "extra content after the end of the root element"
        case 9: "a character that XML does not allow"
        case 23: "an entity reference (&...) without its closing semicolon"
        case 26: "an entity reference to an undeclared entity"
        case 38: "a '<' inside an attribute value (a quote not closed?)"
        case 39: "an attribute value does not start with a quote"
        case 40: "an attribute value has no closing quote"
        case 41: "an attribute without a value"
        case 42: "an attribute given twice in one element"
        case 65: "a required space is missing (between attributes?)"
        case 68: "a name is missing (a bare '&' or '<'?)"
        case 73: "a '>' is missing (an element or attribute not closed?)"
        case 74: "'</' is missing"
        case 75: "an '=' is missing after an attribute name"
        case 76: "a closing tag does not match the element it closes"
        case 77: "an element is not closed before the end of the file"
        default: "XML is not well-formed"
        }
    }

    /// The delegate: the root element, its `APPLICATION_<MODEL>` children, the first error.
    private final class Reader: NSObject, XMLParserDelegate {
        var rootName: String?
        var rootAttributes: [String: String] = [:]
        var models: [String: [String: String]] = [:]
        var error: MasterConfigError?
        private var depth = 0

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            defer { self.depth += 1 }
            if self.depth == 0, self.rootName == nil {
                self.rootName = elementName
                self.rootAttributes = attributes
            } else if self.depth == 1, let root = self.rootName, elementName.hasPrefix(root + "_") {
                let model = String(elementName.dropFirst(root.count + 1))
                guard !model.isEmpty else { return }
                self.models[model, default: [:]].merge(attributes) { first, _ in first }
            }
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            self.depth -= 1
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            guard self.error == nil else { return }
            let code = (parseError as NSError).code
            self.error = MasterConfigError(
                code: code, message: MasterConfigParser.describe(code), line: parser.lineNumber,
                column: parser.columnNumber)
        }
    }
}
