/// Writes one JSON object member by member, with ``JSONValue``'s text, so that a long array
/// member (a capture's packets, a report's phones) is written element by element and never
/// held whole. Unlike ``JSONValue/object(_:)``, a `null` member is written: leave it out by not
/// calling ``member(_:_:to:)``.
struct JSONObjectWriter {
    private var members = 0
    private var elements = 0

    /// Writes `{`.
    init(_ output: inout OutputBuffer) {
        output.write("{")
    }

    /// One whole member.
    mutating func member(_ key: String, _ value: JSONValue, to output: inout OutputBuffer) {
        self.key(key, to: &output)
        output.write(value)
    }

    /// Opens an array member; its elements follow through ``element(_:to:)``, then
    /// ``endArray(to:)``.
    mutating func beginArray(_ key: String, to output: inout OutputBuffer) {
        self.key(key, to: &output)
        output.write("[")
        self.elements = 0
    }

    /// One element of the open array.
    mutating func element(_ value: JSONValue, to output: inout OutputBuffer) {
        self.nextElement(to: &output)
        output.write(value)
    }

    /// Elements of the open array already written as JSON text: `text` holds `count` values,
    /// each after a comma except the array's first.
    mutating func elements(joined text: [UInt8], count: Int, to output: inout OutputBuffer) {
        self.elements += count
        output.write(bytes: text)
    }

    /// Starts an element of the open array that the caller writes itself.
    mutating func nextElement(to output: inout OutputBuffer) {
        if self.elements > 0 { output.write(",") }
        self.elements += 1
    }

    /// Closes the open array.
    func endArray(to output: inout OutputBuffer) {
        output.write("]")
    }

    /// Writes `}`.
    func close(to output: inout OutputBuffer) {
        output.write("}")
    }

    private mutating func key(_ key: String, to output: inout OutputBuffer) {
        var bytes: [UInt8] = self.members > 0 ? [UInt8(ascii: ",")] : []
        self.members += 1
        JSONValue.writeString(key, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        output.write(bytes: bytes)
    }
}
