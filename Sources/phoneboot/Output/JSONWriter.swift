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
struct JSONWriter: ~Copyable {
    private var sink: ByteSink
    /// True after a value, when the next member or element needs a comma first.
    private var needsComma = false

    /// `capacity`: the bytes to make room for at first (more is made as needed).
    init(capacity: Int = 256) {
        self.sink = ByteSink(capacity: capacity)
    }

    /// The text written.
    var bytes: [UInt8] { self.sink.bytes }

    /// The text `body` writes, as a value to put in a ``JSONValue``.
    static func value(_ body: (inout JSONWriter) -> Void) -> JSONValue {
        var writer = JSONWriter()
        body(&writer)
        return .raw(writer.bytes)
    }

    /// Appends the text `body` writes to `bytes`.
    static func write(into bytes: inout [UInt8], capacity: Int = 8192, _ body: (inout JSONWriter) -> Void) {
        var writer = JSONWriter(capacity: capacity)
        body(&writer)
        writer.sink.append(to: &bytes)
    }

    // MARK: - Containers

    mutating func openObject() {
        self.separate()
        self.sink.append(UInt8(ascii: "{"))
        self.needsComma = false
    }

    mutating func closeObject() {
        self.sink.append(UInt8(ascii: "}"))
        self.needsComma = true
    }

    mutating func openArray() {
        self.separate()
        self.sink.append(UInt8(ascii: "["))
        self.needsComma = false
    }

    mutating func closeArray() {
        self.sink.append(UInt8(ascii: "]"))
        self.needsComma = true
    }

    /// A member's key; its value follows.
    mutating func key(_ key: StaticString) {
        self.writeKey(key, room: 0)
        self.needsComma = false
    }

    /// A key made at run time (escaped as any string is).
    mutating func key(_ key: String) {
        self.separate()
        self.writeEscaped { JSONValue.writeString(key, into: &$0) }
        self.sink.append(UInt8(ascii: ":"))
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
        self.write(nil, room: 4) { $0.append("null") }
    }

    /// A value built as a tree.
    mutating func value(_ value: JSONValue) {
        self.separate()
        self.writeEscaped { value.write(into: &$0) }
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
        self.write(key, room: 5) { $0.append(value ? "true" : "false") }
    }

    /// A string member of text that never needs escaping, written as it is (no quote,
    /// backslash or control character in it: a display filter's text, say); left out when
    /// absent.
    mutating func member(_ key: StaticString, plain text: UnsafeBufferPointer<UInt8>?) {
        guard let text else { return }
        assert(JSONValue.escapeFree(text) == text.count, "\(key) holds text that needs escaping")
        self.writeQuoted(key, text)
    }

    /// A string member of PhoneBoot's own words (an enum's raw value: `tftp`, `not-found`),
    /// which never need escaping, written without looking for what would; left out when
    /// absent. Asserted in debug builds.
    mutating func member(_ key: StaticString, plain text: String?) {
        guard let text else { return }
        text.withUTF8InPlace { self.member(key, plain: $0) }
    }

    /// A string member whose text `write` writes as it is, without escaping, into room for at
    /// most `room` bytes: only for text that never needs it (digits, dots, signs: times and
    /// numbers written in place).
    mutating func member(_ key: StaticString, room: Int, unescaped write: (inout OutputSpan<UInt8>) -> Void) {
        self.write(key, room: room + 2) { out in
            out.append(UInt8(ascii: "\""))
            write(&out)
            out.append(UInt8(ascii: "\""))
        }
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
        if self.needsComma { self.sink.append(UInt8(ascii: ",")) }
    }

    // MARK: - Writing in one piece

    /// The comma a member or an element needs, then `key` (quoted, with its colon) when there
    /// is one, with room for `room` bytes more after it: where they go.
    @inline(__always)
    private mutating func writeKey(_ key: StaticString?, room: Int) {
        let keyLength = key?.utf8CodeUnitCount ?? 0
        let target = self.sink.reserve(keyLength + 4 + room)
        var written = 0
        if self.needsComma {
            target.initialize(to: UInt8(ascii: ","))
            written = 1
        }
        if let key {
            (target + written).initialize(to: UInt8(ascii: "\""))
            key.withUTF8Buffer { text in
                if let source = text.baseAddress { (target + written + 1).initialize(from: source, count: text.count) }
            }
            written += keyLength + 1
            (target + written).initialize(to: UInt8(ascii: "\""))
            (target + written + 1).initialize(to: UInt8(ascii: ":"))
            written += 2
        }
        self.sink.advance(by: written)
    }

    /// The comma a member or an element needs, then `key` (quoted, with its colon) when there
    /// is one, then what `value` writes, all into room made once: `room` is the most `value`
    /// writes.
    private mutating func write(_ key: StaticString?, room: Int, _ value: (inout OutputSpan<UInt8>) -> Void) {
        self.writeKey(key, room: room)
        self.needsComma = true
        self.sink.write(room: room, value)
    }

    /// `text` in quotes after `key` when there is one: text that needs no escaping.
    private mutating func writeQuoted(_ key: StaticString?, _ text: UnsafeBufferPointer<UInt8>) {
        self.writeKey(key, room: text.count + 2)
        self.needsComma = true
        let target = self.sink.reserve(text.count + 2)
        target.initialize(to: UInt8(ascii: "\""))
        if let source = text.baseAddress { (target + 1).initialize(from: source, count: text.count) }
        (target + 1 + text.count).initialize(to: UInt8(ascii: "\""))
        self.sink.advance(by: text.count + 2)
    }

    /// What `write` appends to an array, copied in: the escaping writer and trees of values,
    /// which write arrays.
    private mutating func writeEscaped(_ write: (inout [UInt8]) -> Void) {
        var bytes: [UInt8] = []
        write(&bytes)
        self.sink.append(bytes)
    }

    /// A string, after `key` when there is one: in one piece when it needs no escaping.
    private mutating func write(_ key: StaticString?, _ value: String) {
        value.withUTF8InPlace { self.write(key, utf8: $0) }
    }

    /// A string's bytes, after `key` when there is one: in one piece when it needs no escaping.
    private mutating func write(_ key: StaticString?, utf8 text: UnsafeBufferPointer<UInt8>) {
        let clean = JSONValue.escapeFree(text)
        guard clean == text.count else {
            self.writeKey(key, room: 0)
            self.needsComma = true
            // Escaped from where the scan stopped, not scanned again.
            self.writeEscaped { JSONValue.writeString(utf8: text, clean: clean, into: &$0) }
            return
        }
        self.writeQuoted(key, text)
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
