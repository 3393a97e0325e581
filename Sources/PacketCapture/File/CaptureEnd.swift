/// How reading a capture ended.
public enum CaptureEnd: Hashable, Sendable {
    /// Every record was read.
    case complete
    /// The file ends in the middle of a record: every whole frame before it was delivered.
    case truncated(warning: String)
    /// A record could not be read: every frame before it was delivered.
    case failed(CaptureError)
}
