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
    public static func parse(_ bytes: [UInt8]) throws(MasterConfigError) -> MasterConfig {
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
