/// The text before the first NUL of a libpcap error buffer (`PCAP_ERRBUF_SIZE` bytes).
func cString(_ buffer: [CChar]) -> String {
    let end = buffer.firstIndex(of: 0) ?? buffer.endIndex
    return String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
