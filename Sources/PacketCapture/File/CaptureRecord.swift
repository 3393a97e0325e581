/// One step of reading a capture file record by record: a record with its bytes, or the end.
enum CaptureRecord {
    /// A record. `bytes` is libpcap's buffer for the handle that read it: valid until the next
    /// read on that same file. `passesFilter` is false when the file's BPF filter rejects it.
    case frame(FrameHeader, UnsafeBufferPointer<UInt8>, passesFilter: Bool)
    /// How the file ended.
    case end(CaptureEnd)
}
