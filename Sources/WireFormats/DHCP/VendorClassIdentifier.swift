/// DHCP option 60 (RFC 2132 §9.13) in the forms phones send it.
public enum VendorClassIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// Polycom's binary block: enterprise number 13885, then sub-options.
    case polycom(PolycomVendorClass)
    /// Printable text, such as `Polycom-VVX410`, `Poly-TrioC60` or `MSFT 5.0`.
    case text(String)
    /// Anything else, kept as bytes.
    case binary([UInt8])

    public init(bytes: [UInt8]) {
        if let polycom = PolycomVendorClass(bytes: bytes) {
            self = .polycom(polycom)
        } else if !bytes.isEmpty, bytes.allSatisfy({ (0x20...0x7E).contains($0) }) {
            self = .text(String(decoding: bytes, as: UTF8.self))
        } else {
            self = .binary(bytes)
        }
    }

    /// True for the Polycom binary block and for ASCII classes that start with `Polycom` or `Poly-`.
    public var isPolycom: Bool {
        switch self {
        case .polycom: true
        case .text(let text): text.hasPrefix("Polycom") || text.hasPrefix("Poly-")
        case .binary: false
        }
    }

    /// The model the class names: sub-option 2 of the binary form, or the text after
    /// `Polycom-`/`Poly-` in the ASCII form.
    public var polycomModel: String? {
        switch self {
        case .polycom(let block): block.model
        case .text(let text):
            if text.hasPrefix("Polycom-") {
                String(text.dropFirst("Polycom-".count))
            } else if text.hasPrefix("Poly-") {
                String(text.dropFirst("Poly-".count))
            } else {
                nil
            }
        case .binary: nil
        }
    }

    public var description: String {
        switch self {
        case .polycom(let block): block.description
        case .text(let text): text
        case .binary(let bytes): "0x" + hexString(bytes)
        }
    }
}
