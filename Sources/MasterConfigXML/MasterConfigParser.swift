internal import CLibxml2
import Synchronization

/// Reads a master configuration file (polycom-boot.md §4.3) with libxml2's XML parser: a file
/// that is not well-formed XML is refused with libxml2's first error and the line and column
/// it stopped at.
///
/// Runs once per master file the capture holds completely, never per packet. Each file gets
/// its own parser context, freed before ``parse(_:)`` returns. A file from the wire can make
/// the analyzer read neither local files nor the network: network access is off
/// (`XML_PARSE_NONET`), entities are not substituted from outside (no `XML_PARSE_NOENT`) and
/// no external DTD is loaded (no `XML_PARSE_DTDLOAD`). libxml2 reads the bytes as UTF-8 unless
/// the XML declaration names another encoding, and refuses bytes that are not in that encoding.
public enum MasterConfigParser {
    /// libxml2's parser options: no network, no error text on standard error (errors are
    /// collected by the context's handler instead), nothing else from the default.
    static let options =
        Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_NOERROR.rawValue) | Int32(XML_PARSE_NOWARNING.rawValue)

    /// libxml2's global state, set up once before any parser context (`xmlInitParser` is not
    /// safe to run for the first time on two threads at once).
    private static let initialized: Void = xmlInitParser()

    /// Parses `bytes`, a whole master file.
    public static func parse(_ bytes: [UInt8]) throws(MasterConfigError) -> MasterConfig {
        guard let length = Int32(exactly: bytes.count) else {
            throw MasterConfigError(
                code: nil, message: "the file is \(bytes.count) bytes, more than libxml2 reads at once", line: 0,
                column: 0)
        }
        _ = Self.initialized
        guard let parserContext = ParserContext.take() else {
            throw MasterConfigError(code: nil, message: "libxml2 could not make a parser context", line: 0, column: 0)
        }
        let context = parserContext.pointer
        defer {
            // The collector ends with this call: a context kept for the next file keeps no pointer to it.
            context.pointee._private = nil
            parserContext.giveBack()
        }
        guard let handler = context.pointee.sax else {
            throw MasterConfigError(
                code: nil, message: "libxml2 made a parser context without a handler", line: 0, column: 0)
        }
        // Only elements and their attributes are read: comments, text, CDATA and processing
        // instructions are still parsed and checked, but no node is made for them (a master file
        // is mostly comments).
        handler.pointee.comment = nil
        handler.pointee.characters = nil
        handler.pointee.ignorableWhitespace = nil
        handler.pointee.cdataBlock = nil
        handler.pointee.processingInstruction = nil
        let collector = ErrorCollector()
        context.pointee._private = Unmanaged.passUnretained(collector).toOpaque()
        handler.pointee.serror = { userData, error in
            // userData is the context itself (libxml2's default); _private is the collector.
            guard let error, let collector = userData?.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private
            else { return }
            Unmanaged<ErrorCollector>.fromOpaque(collector).takeUnretainedValue().record(error.pointee)
        }
        // An empty array may have no storage; libxml2 then needs a pointer all the same.
        let storage = bytes.isEmpty ? [0] : bytes
        let document = withExtendedLifetime(collector) {
            storage.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { characters in
                    xmlCtxtReadMemory(context, characters.baseAddress, length, nil, nil, Self.options)
                }
            }
        }
        guard let document else {
            throw collector.error ?? Self.lastError(of: context)
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else {
            throw MasterConfigError(
                code: Int(XML_ERR_DOCUMENT_EMPTY.rawValue), message: "the file holds no XML element", line: 0,
                column: 0)
        }
        let rootName = Self.qualifiedName(root.pointee.name, namespace: root.pointee.ns)
        var models: [String: [String: String]] = [:]
        var child = root.pointee.children
        while let node = child {
            child = node.pointee.next
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            let name = Self.qualifiedName(node.pointee.name, namespace: node.pointee.ns)
            guard name.hasPrefix(rootName + "_") else { continue }
            let model = String(name.dropFirst(rootName.count + 1))
            guard !model.isEmpty else { continue }
            models[model, default: [:]].merge(Self.attributes(of: node)) { first, _ in first }
        }
        return MasterConfig(rootName: rootName, attributes: Self.attributes(of: root), models: models)
    }

    /// The context's last error, when the handler saw none (libxml2 reports every error it
    /// records to the handler; kept safe).
    private static func lastError(of context: xmlParserCtxtPtr) -> MasterConfigError {
        guard let error = xmlCtxtGetLastError(context) else {
            return MasterConfigError(code: nil, message: "libxml2 stopped without an error", line: 0, column: 0)
        }
        return MasterConfigError(error.pointee)
    }

    /// `prefix:name` as written in the file (namespaces are not processed), or `name`.
    private static func qualifiedName(_ name: UnsafePointer<xmlChar>?, namespace: xmlNsPtr?) -> String {
        let local = name.map { String(cString: $0) } ?? ""
        guard let prefix = namespace?.pointee.prefix else { return local }
        return String(cString: prefix) + ":" + local
    }

    /// An element's attributes as written, entity and character references replaced; its
    /// namespace declarations count as `xmlns` / `xmlns:prefix` attributes.
    private static func attributes(of element: xmlNodePtr) -> [String: String] {
        // Counted first, so that the dictionary is made at its size, not grown.
        var count = 0
        var next = element.pointee.properties
        while let attribute = next {
            count += 1
            next = attribute.pointee.next
        }
        var namespace = element.pointee.nsDef
        while let current = namespace {
            count += 1
            namespace = current.pointee.next
        }
        var attributes = [String: String](minimumCapacity: count)
        var declaration = element.pointee.nsDef
        while let namespace = declaration {
            declaration = namespace.pointee.next
            let name = namespace.pointee.prefix.map { "xmlns:" + String(cString: $0) } ?? "xmlns"
            attributes[name] = namespace.pointee.href.map { String(cString: $0) } ?? ""
        }
        var property = element.pointee.properties
        while let attribute = property {
            property = attribute.pointee.next
            let name = Self.qualifiedName(attribute.pointee.name, namespace: attribute.pointee.ns)
            var value = ""
            if let only = attribute.pointee.children, only.pointee.next == nil, only.pointee.type == XML_TEXT_NODE {
                // Plain text, the value of nearly every attribute: read where it lies.
                value = only.pointee.content.map { String(cString: $0) } ?? ""
            } else if let text = xmlNodeListGetString(element.pointee.doc, attribute.pointee.children, 1) {
                value = String(cString: text)
                phoneboot_xmlFree(text)
            }
            attributes[name] = value
        }
        return attributes
    }

    /// A libxml2 parser context, used for one file at a time and kept for the next: making and
    /// freeing one (and its dictionary of names) cost a sixth of parsing a small master file.
    /// `xmlCtxtReadMemory` resets it before each file. A context reads at most
    /// ``ParserContext/fileLimit`` files, so that the names its dictionary collects from file to
    /// file stay few; at most ``ParserContext/spareLimit`` wait for reuse.
    private final class ParserContext: @unchecked Sendable {
        // @unchecked: a context is used by one thread at a time, between `take` and
        // `giveBack`, and kept behind the mutex in between.
        let pointer: xmlParserCtxtPtr
        private var files = 0

        static let fileLimit = 256
        static let spareLimit = 4
        private static let spares = Mutex<[ParserContext]>([])

        private init?() {
            guard let pointer = xmlNewParserCtxt() else { return nil }
            self.pointer = pointer
        }

        deinit {
            xmlFreeParserCtxt(self.pointer)
        }

        /// A context kept from an earlier file, or a new one (`nil` when libxml2 cannot make one).
        static func take() -> ParserContext? {
            let spare = self.spares.withLock { $0.popLast() }
            let context = spare ?? ParserContext()
            context?.files += 1
            return context
        }

        /// Keeps the context for the next file, unless it has read its share or enough wait.
        func giveBack() {
            guard self.files < Self.fileLimit else { return }
            Self.spares.withLock { spares in
                if spares.count < Self.spareLimit { spares.append(self) }
            }
        }
    }

    /// Keeps the first error libxml2 reports while it parses one file, preferring the first
    /// fatal one (a namespace error or a warning does not stop the parser).
    private final class ErrorCollector {
        private var first: MasterConfigError?
        private var firstFatal: MasterConfigError?

        var error: MasterConfigError? { self.firstFatal ?? self.first }

        func record(_ error: xmlError) {
            if self.first == nil { self.first = MasterConfigError(error) }
            if self.firstFatal == nil, error.level == XML_ERR_FATAL { self.firstFatal = MasterConfigError(error) }
        }
    }
}

extension MasterConfigError {
    /// libxml2's error: its code, its message on one line, its line and column.
    fileprivate init(_ error: xmlError) {
        let text = error.message.map { String(cString: $0) } ?? ""
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmedOfBlanks() }
        let message = lines.filter { !$0.isEmpty }.joined(separator: " ")
        self.init(
            code: Int(error.code), message: message.isEmpty ? "XML is not well-formed" : message,
            line: Int(error.line), column: Int(error.int2))
    }
}

extension Substring {
    /// Without the spaces and tabs at either end.
    fileprivate func trimmedOfBlanks() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = self.firstIndex(where: { !isSpace($0) }), let last = self.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return self[first...last]
    }
}
