/// A TFTP packet (RFC 1350 §5) with the option extension (RFC 2347) and its options
/// blksize (RFC 2348), timeout/tsize (RFC 2349) and windowsize (RFC 7440).
///
/// ```
///  RRQ/WRQ  | 01/02 | filename | 0 | mode | 0 | opt1 | 0 | value1 | 0 | ...
///  DATA     | 03 | block # | data (0..blksize bytes)
///  ACK      | 04 | block # |
///  ERROR    | 05 | error code | message | 0 |
///  OACK     | 06 | opt1 | 0 | value1 | 0 | ...
/// ```
public enum TFTPPacket: Hashable, Sendable {
    /// Opcode 1.
    case readRequest(TFTPRequest)
    /// Opcode 2.
    case writeRequest(TFTPRequest)
    /// Opcode 3: the data itself is not kept, only its size.
    case data(block: UInt16, byteCount: Int)
    /// Opcode 4.
    case acknowledgment(block: UInt16)
    /// Opcode 5.
    case error(code: UInt16, message: String)
    /// Opcode 6 (RFC 2347).
    case optionAcknowledgment([TFTPOption])

    /// The well-known port of TFTP requests.
    public static let serverPort: UInt16 = 69

    /// The opcode on the wire (1–6).
    public var opcode: UInt16 {
        switch self {
        case .readRequest: 1
        case .writeRequest: 2
        case .data: 3
        case .acknowledgment: 4
        case .error: 5
        case .optionAcknowledgment: 6
        }
    }

    /// The name engineers use: `RRQ`, `WRQ`, `DATA`, `ACK`, `ERROR`, `OACK`.
    public var name: String {
        switch self {
        case .readRequest: "RRQ"
        case .writeRequest: "WRQ"
        case .data: "DATA"
        case .acknowledgment: "ACK"
        case .error: "ERROR"
        case .optionAcknowledgment: "OACK"
        }
    }

    /// Decodes a UDP payload; `base` is its offset in the frame.
    public init(decoding bytes: Span<UInt8>, base: Int = 0) throws(WireFormatError) {
        var reader = ByteReader(bytes, base: base)
        guard let opcode = reader.readUInt16() else {
            throw .truncated("TFTP", "opcode", at: base, need: 2, have: bytes.count)
        }
        switch opcode {
        case 1, 2:
            let request = try TFTPRequest(&reader)
            self = opcode == 1 ? .readRequest(request) : .writeRequest(request)
        case 3:
            guard let block = reader.readUInt16() else {
                throw .truncated("TFTP", "block", at: base + 2, need: 2, have: reader.remaining)
            }
            self = .data(block: block, byteCount: reader.remaining)
        case 4:
            guard let block = reader.readUInt16() else {
                throw .truncated("TFTP", "block", at: base + 2, need: 2, have: reader.remaining)
            }
            self = .acknowledgment(block: block)
        case 5:
            guard let code = reader.readUInt16() else {
                throw .truncated("TFTP", "error code", at: base + 2, need: 2, have: reader.remaining)
            }
            let messageAt = reader.absoluteOffset
            guard let message = reader.readNULTerminatedString() else {
                throw .truncated(
                    "TFTP", "error message", at: messageAt, need: reader.remaining + 1, have: reader.remaining)
            }
            self = .error(code: code, message: message)
        case 6:
            self = .optionAcknowledgment(try TFTPOption.decodeList(&reader))
        default:
            throw .invalid("TFTP", "opcode", at: base, "opcode \(opcode) is not 1–6")
        }
    }

    /// Decodes from an array (tests).
    public init(decoding bytes: [UInt8]) throws(WireFormatError) {
        try self.init(decoding: bytes.span)
    }

    /// The wire bytes (DATA is written with `byteCount` zero bytes).
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [0, UInt8(self.opcode)]
        func append16(_ value: UInt16) {
            bytes.append(UInt8(value >> 8))
            bytes.append(UInt8(value & 0xFF))
        }
        func appendString(_ text: String) {
            bytes.append(contentsOf: text.utf8)
            bytes.append(0)
        }
        switch self {
        case .readRequest(let request), .writeRequest(let request):
            appendString(request.filename)
            appendString(request.mode)
            for option in request.options {
                appendString(option.name)
                appendString(option.value)
            }
        case .data(let block, let count):
            append16(block)
            bytes.append(contentsOf: repeatElement(0, count: count))
        case .acknowledgment(let block):
            append16(block)
        case .error(let code, let message):
            append16(code)
            appendString(message)
        case .optionAcknowledgment(let options):
            for option in options {
                appendString(option.name)
                appendString(option.value)
            }
        }
        return bytes
    }
}

/// The body of an RRQ or WRQ.
public struct TFTPRequest: Hashable, Sendable {
    public var filename: String
    /// `octet`, `netascii` or `mail` (compare without case).
    public var mode: String
    /// RFC 2347 options in the order sent.
    public var options: [TFTPOption]

    public init(filename: String, mode: String = "octet", options: [TFTPOption] = []) {
        self.filename = filename
        self.mode = mode
        self.options = options
    }

    init(_ reader: inout ByteReader) throws(WireFormatError) {
        let filenameAt = reader.absoluteOffset
        guard let filename = reader.readNULTerminatedString() else {
            throw .truncated("TFTP", "filename", at: filenameAt, need: reader.remaining + 1, have: reader.remaining)
        }
        let modeAt = reader.absoluteOffset
        guard let mode = reader.readNULTerminatedString() else {
            throw .truncated("TFTP", "mode", at: modeAt, need: reader.remaining + 1, have: reader.remaining)
        }
        self.filename = filename
        self.mode = mode
        self.options = try TFTPOption.decodeList(&reader)
    }

    /// The `blksize` the client asked for (RFC 2348), if any.
    public var requestedBlockSize: Int? { self.options.blockSize }
}

/// An RFC 2347 option: a name and a value, both NUL-terminated text on the wire.
public struct TFTPOption: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    static func decodeList(_ reader: inout ByteReader) throws(WireFormatError) -> [TFTPOption] {
        var options: [TFTPOption] = []
        while reader.remaining > 0 {
            let nameAt = reader.absoluteOffset
            guard let name = reader.readNULTerminatedString() else {
                throw .truncated("TFTP", "option name", at: nameAt, need: reader.remaining + 1, have: reader.remaining)
            }
            let valueAt = reader.absoluteOffset
            guard let value = reader.readNULTerminatedString() else {
                throw .truncated(
                    "TFTP", "option value", at: valueAt, need: reader.remaining + 1, have: reader.remaining)
            }
            options.append(TFTPOption(name: name, value: value))
        }
        return options
    }
}

extension [TFTPOption] {
    /// The value of option `name`, compared without case as RFC 2347 says.
    public func value(of name: String) -> String? {
        self.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// `blksize` (RFC 2348) as a number, when present and valid (8–65464).
    public var blockSize: Int? {
        guard let text = self.value(of: "blksize"), let size = Int(text), (8...65464).contains(size) else { return nil }
        return size
    }
}
