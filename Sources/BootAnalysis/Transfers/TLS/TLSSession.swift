import WireFormats

/// One TLS connection followed record by record, without decryption (RFC 8446 §5, RFC 5246
/// §6.2): the server name of the ClientHello and whether the handshake went through.
///
/// The handshake counts as finished once the server sends application data after the
/// client's first application-data record (in TLS 1.3 the client's Finished travels as one; in
/// TLS 1.2 the first request does); a plaintext fatal alert, or a connection closed before
/// that, is `tls-failed`. Only the ClientHello and alerts are kept; other records are skipped.
struct TLSSession: StreamSession {
    static let fetchProtocol = FetchProtocol.https

    /// Reads records from one direction.
    private struct RecordReader: Sendable {
        var header: [UInt8] = []
        var current: TLSRecordHeader?
        var body: [UInt8] = []
        var remaining = 0
        var offset = 0
        var error: WireFormatError?

        /// Feeds bytes; calls `record` with each complete record (its body only when `keep`
        /// says so for its type).
        mutating func feed(
            _ bytes: [UInt8], keep: (TLSRecordHeader.ContentType) -> Bool, record: (TLSRecordHeader, [UInt8]) -> Void
        ) {
            var input = bytes[...]
            while !input.isEmpty, self.error == nil {
                if let current = self.current {
                    let taken = min(self.remaining, input.count)
                    if keep(current.contentType) { self.body += input.prefix(taken) }
                    input = input.dropFirst(taken)
                    self.remaining -= taken
                    self.offset += taken
                    if self.remaining == 0 {
                        record(current, self.body)
                        self.current = nil
                        self.body.removeAll()
                    }
                } else {
                    let taken = min(TLSRecordHeader.length - self.header.count, input.count)
                    self.header += input.prefix(taken)
                    input = input.dropFirst(taken)
                    guard self.header.count == TLSRecordHeader.length else { return }
                    do {
                        let header = try TLSRecordHeader(decoding: self.header, offset: self.offset)
                        self.offset += TLSRecordHeader.length
                        self.header.removeAll()
                        if header.bodyLength == 0 {
                            record(header, [])
                        } else {
                            self.current = header
                            self.remaining = header.bodyLength
                        }
                    } catch {
                        self.error = error
                    }
                }
            }
        }
    }

    let ends: TCPConnectionEnds
    private var client = RecordReader()
    private var server = RecordReader()
    private(set) var serverName: String?
    private var helloFrame: Int?
    private var alert: (alert: TLSAlert, fromClient: Bool, frame: Int)?
    private var clientApplicationData = 0
    private var reported = false

    init(ends: TCPConnectionEnds) {
        self.ends = ends
    }

    mutating func clientBytes(_ bytes: [UInt8], frame: Int, events: inout [StreamEvent]) {
        var records: [(TLSRecordHeader, [UInt8])] = []
        let needHello = self.helloFrame == nil
        self.client.feed(
            bytes, keep: { ($0 == .handshake && needHello) || $0 == .alert }, record: { records.append(($0, $1)) }
        )
        for (header, body) in records {
            switch header.contentType {
            case .handshake where self.helloFrame == nil:
                self.helloFrame = frame
                self.serverName = (try? TLSClientHello(decoding: body))?.serverName
                events.append(.started(Self.fetchProtocol, file: "", frame: frame))
            case .alert:
                self.note(alertBody: body, fromClient: true, frame: frame)
            case .applicationData:
                self.clientApplicationData += 1
            default:
                break
            }
        }
        if let error = self.client.error, self.helloFrame == nil {
            // Not TLS at all: say so once, as a failed fetch.
            self.report(result: .tlsFailed, message: "not TLS: \(error)", frame: frame, events: &events)
        }
    }

    mutating func serverBytes(_ bytes: [UInt8], frame: Int, events: inout [StreamEvent]) {
        var records: [(TLSRecordHeader, [UInt8])] = []
        self.server.feed(bytes, keep: { $0 == .alert }, record: { records.append(($0, $1)) })
        for (header, body) in records {
            switch header.contentType {
            case .alert:
                self.note(alertBody: body, fromClient: false, frame: frame)
            case .applicationData where self.clientApplicationData > 0:
                // Reported once: `report` does nothing after the first call.
                self.report(result: .ok, message: nil, frame: frame, events: &events)
            default:
                break
            }
        }
    }

    /// The connection or the capture ended.
    mutating func finish(closed: Bool, frame: Int, events: inout [StreamEvent]) {
        guard self.helloFrame != nil else { return }
        if let alert = self.alert {
            let side = alert.fromClient ? "the phone" : "the server"
            self.report(
                result: .tlsFailed, message: "\(side) sent the alert \(alert.alert)", frame: alert.frame,
                events: &events)
        } else if closed {
            self.report(
                result: .tlsFailed, message: "the connection closed before the handshake finished", frame: frame,
                events: &events)
        } else {
            self.report(
                result: .incomplete, message: "the capture ended during the handshake", frame: frame, events: &events)
        }
    }

    private mutating func note(alertBody: [UInt8], fromClient: Bool, frame: Int) {
        // Alerts after the handshake are encrypted (longer than 2 bytes) and not read.
        guard alertBody.count == 2, let alert = try? TLSAlert(decoding: alertBody), alert.isFatal, self.alert == nil
        else { return }
        self.alert = (alert, fromClient, frame)
    }

    private mutating func report(result: Fetch.Result, message: String?, frame: Int, events: inout [StreamEvent]) {
        guard !self.reported else { return }
        self.reported = true
        let first = self.helloFrame ?? frame
        events.append(
            .finished(
                Fetch(
                    ends: self.ends, file: "", direction: .read, result: result, bytes: 0, firstFrame: first,
                    lastFrame: max(first, frame), requestFrames: [first], code: nil, message: message,
                    errorFrame: result == .ok ? nil : frame, detail: .https(serverName: self.serverName)
                )))
    }
}
