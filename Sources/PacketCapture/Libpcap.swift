internal import CLibpcap

/// The libpcap calls that files and live captures make alike.
enum Libpcap {
    /// libpcap's name for a link type (`EN10MB`, `LINUX_SLL2`), or `DLT n` when it has none.
    static func linkTypeName(_ linkType: Int32) -> String {
        guard let name = pcap_datalink_val_to_name(linkType) else { return "DLT \(linkType)" }
        return String(cString: name)
    }

    /// The message of the handle's last failure.
    static func lastError(_ handle: OpaquePointer) -> String {
        String(cString: pcap_geterr(handle))
    }

    /// Compiles a tcpdump-syntax filter for `handle`; `path` names the capture in the error.
    /// The caller frees the program (`pcap_freecode`).
    static func compile(_ filter: String, on handle: OpaquePointer, path: String) throws(CaptureError) -> bpf_program {
        var program = bpf_program()
        guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw CaptureError(
                kind: .invalidFilter, path: path, reason: "\"\(filter)\": \(Self.lastError(handle))",
                hint: "use tcpdump filter syntax, e.g. 'udp port 67 or udp port 69'"
            )
        }
        return program
    }
}

/// The text before the first NUL of a libpcap error buffer (`PCAP_ERRBUF_SIZE` bytes).
func cString(_ buffer: [CChar]) -> String {
    let end = buffer.firstIndex(of: 0) ?? buffer.endIndex
    return String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
