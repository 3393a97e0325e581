import BootAnalysis
import WireFormats

/// JSON text written straight into bytes, member by member: the text ``JSONValue`` gives for
/// the same values (members in the order written, an absent member left out), without the
/// tree of values first. The report's phones are written this way: building and freeing the
/// tree of a phone cost more than writing it.
///
/// ```swift
/// var json = JSONWriter()
/// json.openObject()
/// json.member("mac", "00:04:f2:00:00:01")
/// json.member("model", nil as String?)  // left out
/// json.array("vlans", [20, 30]) { json, vlan in json.value(vlan) }
/// json.closeObject()
/// // {"mac":"00:04:f2:00:00:01","vlans":[20,30]}
/// ```
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// True after a value, when the next member or element needs a comma first.
    private var needsComma = false

    /// The text `body` writes, as a value to put in a ``JSONValue``.
    static func value(_ body: (inout JSONWriter) -> Void) -> JSONValue {
        var writer = JSONWriter()
        body(&writer)
        return .raw(writer.bytes)
    }

    /// Appends the text `body` writes to `bytes`.
    static func write(into bytes: inout [UInt8], _ body: (inout JSONWriter) -> Void) {
        var writer = JSONWriter()
        swap(&writer.bytes, &bytes)
        body(&writer)
        swap(&writer.bytes, &bytes)
    }

    // MARK: - Containers

    mutating func openObject() {
        self.separate()
        self.bytes.append(UInt8(ascii: "{"))
        self.needsComma = false
    }

    mutating func closeObject() {
        self.bytes.append(UInt8(ascii: "}"))
        self.needsComma = true
    }

    mutating func openArray() {
        self.separate()
        self.bytes.append(UInt8(ascii: "["))
        self.needsComma = false
    }

    mutating func closeArray() {
        self.bytes.append(UInt8(ascii: "]"))
        self.needsComma = true
    }

    /// A member's key; its value follows.
    mutating func key(_ key: StaticString) {
        self.write(key, room: 0) { _ in }
        self.needsComma = false
    }

    /// A key made at run time (escaped as any string is).
    mutating func key(_ key: String) {
        self.separate()
        JSONValue.writeString(key, into: &self.bytes)
        self.bytes.append(UInt8(ascii: ":"))
        self.needsComma = false
    }

    // MARK: - Values (after a key, or as an array's elements)

    mutating func value(_ value: String) {
        self.write(nil, value)
    }

    mutating func value(_ value: Int) {
        self.write(nil, room: decimalWidth) { appendDecimal(value, to: &$0) }
    }

    mutating func value(_ value: Bool) {
        self.write(nil, room: 5) { $0.append(value ? "true" : "false") }
    }

    /// An address as a string, written in place.
    mutating func value(_ address: IPv4Address) {
        self.write(nil, address)
    }

    /// A MAC address as a string, written in place.
    mutating func value(_ mac: MACAddress) {
        self.write(nil, mac)
    }

    mutating func null() {
        self.separate()
        self.bytes.append(contentsOf: "null".utf8)
        self.needsComma = true
    }

    /// A value built as a tree.
    mutating func value(_ value: JSONValue) {
        self.separate()
        value.write(into: &self.bytes)
        self.needsComma = true
    }

    // MARK: - Members, left out when absent

    mutating func member(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.write(key, value)
    }

    mutating func member(_ key: StaticString, _ value: Int?) {
        guard let value else { return }
        self.write(key, room: decimalWidth) { appendDecimal(value, to: &$0) }
    }

    mutating func member(_ key: StaticString, _ value: IPv4Address?) {
        guard let value else { return }
        self.write(key, value)
    }

    mutating func member(_ key: StaticString, _ value: MACAddress?) {
        guard let value else { return }
        self.write(key, value)
    }

    mutating func member(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        self.key(key)
        self.value(value)
    }

    /// A string member of text that never needs escaping, written as it is (no quote,
    /// backslash or control character in it: a display filter's text, say); left out when
    /// absent.
    mutating func member(_ key: StaticString, plain text: UnsafeBufferPointer<UInt8>?) {
        guard let text else { return }
        assert(JSONValue.escapeFree(text) == text.count, "\(key) holds text that needs escaping")
        self.write(key, room: text.count + 2) { out in
            out.append(UInt8(ascii: "\""))
            out.append(copying: text)
            out.append(UInt8(ascii: "\""))
        }
    }

    /// A string member whose text `write` appends as it is, without escaping: only for text
    /// that never needs it (digits, dots, signs: times and numbers written in place).
    mutating func member(_ key: StaticString, unescaped write: (inout [UInt8]) -> Void) {
        self.key(key)
        self.bytes.append(UInt8(ascii: "\""))
        write(&self.bytes)
        self.bytes.append(UInt8(ascii: "\""))
        self.needsComma = true
    }

    /// A member whose value is built as a tree; left out when it is `null`, as
    /// ``JSONValue/object(_:)`` leaves it out.
    mutating func member(_ key: StaticString, _ value: JSONValue) {
        if case .null = value { return }
        self.key(key)
        self.value(value)
    }

    /// An object member; `body` writes its members.
    mutating func object(_ key: StaticString, _ body: (inout JSONWriter) -> Void) {
        self.key(key)
        self.openObject()
        body(&self)
        self.closeObject()
    }

    /// An array member; `body` writes its elements.
    mutating func array(_ key: StaticString, _ body: (inout JSONWriter) -> Void) {
        self.key(key)
        self.openArray()
        body(&self)
        self.closeArray()
    }

    /// An array member of one element per item, each written by `element`.
    mutating func array<Items: Sequence>(
        _ key: StaticString, _ items: Items, _ element: (inout JSONWriter, Items.Element) -> Void
    ) {
        self.key(key)
        self.openArray()
        for item in items { element(&self, item) }
        self.closeArray()
    }

    /// An array member of numbers.
    mutating func numbers<Items: Sequence>(_ key: StaticString, _ items: Items) where Items.Element: BinaryInteger {
        self.array(key, items) { json, item in json.value(Int(item)) }
    }

    private mutating func separate() {
        if self.needsComma { self.bytes.append(UInt8(ascii: ",")) }
    }

    // MARK: - Writing in one piece

    /// The comma a member or an element needs, then `key` (quoted, with its colon) when there
    /// is one, then what `value` writes, all into room made once: `room` is the most `value`
    /// writes. One check of the array's room per member, not one per piece.
    private mutating func write(_ key: StaticString?, room: Int, _ value: (inout OutputSpan<UInt8>) -> Void) {
        let comma = self.needsComma
        self.needsComma = true
        guard let key else {
            self.bytes.append(addingCapacity: room + 1) { out in
                if comma { out.append(UInt8(ascii: ",")) }
                value(&out)
            }
            return
        }
        self.bytes.append(addingCapacity: key.utf8CodeUnitCount + 4 + room) { out in
            if comma { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(key)
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
            value(&out)
        }
    }

    /// A string, after `key` when there is one: in one piece when it needs no escaping.
    private mutating func write(_ key: StaticString?, _ value: String) {
        value.withUTF8InPlace { self.write(key, utf8: $0) }
    }

    /// A string's bytes, after `key` when there is one: in one piece when it needs no escaping.
    private mutating func write(_ key: StaticString?, utf8 text: UnsafeBufferPointer<UInt8>) {
        let clean = JSONValue.escapeFree(text)
        guard clean == text.count else {
            if let key { self.key(key) } else { self.separate() }
            // Escaped from where the scan stopped, not scanned again.
            JSONValue.writeString(utf8: text, clean: clean, into: &self.bytes)
            self.needsComma = true
            return
        }
        self.write(key, room: text.count + 2) { out in
            out.append(UInt8(ascii: "\""))
            out.append(copying: text)
            out.append(UInt8(ascii: "\""))
        }
    }

    /// An address as a quoted string, after `key` when there is one.
    private mutating func write(_ key: StaticString?, _ address: IPv4Address) {
        self.write(key, room: IPv4Address.descriptionWidth + 2) { out in
            out.append(UInt8(ascii: "\""))
            address.appendDescription(to: &out)
            out.append(UInt8(ascii: "\""))
        }
    }

    /// A MAC address as a quoted string, after `key` when there is one.
    private mutating func write(_ key: StaticString?, _ mac: MACAddress) {
        self.write(key, room: MACAddress.descriptionWidth + 2) { out in
            out.append(UInt8(ascii: "\""))
            mac.appendDescription(to: &out)
            out.append(UInt8(ascii: "\""))
        }
    }
}
