import CLibcurl

/// The HTTPS side of `probe --fetch` (RFC 9110 over TLS, RFC 8446), through libcurl (opened
/// when first needed: ``load()``): one
/// connection a request, `GET` for a whole file and `HEAD` for a size check, a Polycom phone's
/// User-Agent, Basic credentials when the boot server string carries them, the certificate
/// checked against the system's trust store or `caFile` (a phone that does not trust the
/// server fetches nothing, and neither does the probe), bound to the interface.
struct HTTPSProbeClient {
    /// libcurl's functions (CLibcurl/shim.h).
    let curl: phoneboot_curl_api
    let interface: String
    /// `https://host[:port]`, as the boot server string writes them.
    let origin: String
    let userAgent: String
    let credentials: (user: String, password: String)?
    let caFile: String?
    let timeout: Duration

    /// The whole of `path`, up to `limit` bytes.
    func file(_ path: String, limit: Int) -> ProbeFetchStep {
        self.run(path, request: .file, limit: limit)
    }

    /// Whether `path` is there, and its `Content-Length`, without its content.
    func size(_ path: String) -> ProbeFetchStep {
        self.run(path, request: .size, limit: 0)
    }

    /// libcurl's functions, from `libcurl.so.4` opened now; `nil` when it is not installed.
    static func load() -> phoneboot_curl_api? {
        var api = phoneboot_curl_api()
        return phoneboot_curl_load(&api) != 0 ? api : nil
    }

    /// The body being received, and whether it went past the limit.
    private final class Body {
        var bytes: [UInt8] = []
        let limit: Int
        var tooLarge = false

        init(limit: Int) {
            self.limit = limit
        }
    }

    private func run(_ path: String, request: ProbeFetchStep.Request, limit: Int) -> ProbeFetchStep {
        func step(_ outcome: ProbeFetchStep.Outcome) -> ProbeFetchStep {
            ProbeFetchStep(request: request, file: path, outcome: outcome)
        }
        var curl = self.curl
        guard let handle = phoneboot_curl_easy_init(&curl) else {
            return step(.failed("libcurl could not start a transfer"))
        }
        defer { phoneboot_curl_easy_cleanup(&curl, handle) }
        let body = Body(limit: limit)
        var errorText = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let milliseconds = Int(self.timeout.components.seconds * 1000)
        var failed: CURLcode = CURLE_OK
        func set(_ option: CURLoption, _ value: Int) {
            let status = phoneboot_curl_set_long(&curl, handle, option, value)
            if failed == CURLE_OK { failed = status }
        }
        func set(_ option: CURLoption, _ value: String) {
            // libcurl copies string options (CURLOPT_* strings since 7.17).
            let status = phoneboot_curl_set_string(&curl, handle, option, value)
            if failed == CURLE_OK { failed = status }
        }
        set(CURLOPT_URL, self.origin + path)
        set(CURLOPT_INTERFACE, "if!\(self.interface)")
        set(CURLOPT_USERAGENT, self.userAgent)
        set(CURLOPT_NOBODY, request == .size ? 1 : 0)
        set(CURLOPT_FOLLOWLOCATION, 0)
        set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
        set(CURLOPT_TIMEOUT_MS, milliseconds * 4)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_SSL_VERIFYPEER, 1)
        set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = self.caFile { set(CURLOPT_CAINFO, caFile) }
        if let (user, password) = self.credentials {
            set(CURLOPT_USERNAME, user)
            set(CURLOPT_PASSWORD, password)
        }
        let status = withExtendedLifetime(body) { () -> CURLcode in
            let context = Unmanaged.passUnretained(body).toOpaque()
            _ = phoneboot_curl_set_pointer(&curl, handle, CURLOPT_WRITEDATA, context)
            _ = phoneboot_curl_set_write_function(&curl, handle) { data, size, count, context in
                guard let context else { return 0 }
                let body = Unmanaged<Body>.fromOpaque(context).takeUnretainedValue()
                let length = size * count
                guard body.bytes.count + length <= body.limit else {
                    body.tooLarge = true
                    return 0  // curl ends the transfer with CURLE_WRITE_ERROR
                }
                if let data {
                    body.bytes += UnsafeRawBufferPointer(start: data, count: length)
                }
                return length
            }
            return errorText.withUnsafeMutableBytes { buffer in
                _ = phoneboot_curl_set_pointer(&curl, handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
                guard failed == CURLE_OK else { return failed }
                return phoneboot_curl_easy_perform(&curl, handle)
            }
        }
        if body.tooLarge { return step(.failed("larger than \(limit) bytes: not read to the end")) }
        guard status == CURLE_OK else {
            let detail = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason =
                phoneboot_curl_easy_strerror(&curl, status).map { String(cString: $0) }
                ?? "libcurl error \(status.rawValue)"
            return step(.failed(detail.isEmpty ? reason : "\(reason): \(detail)"))
        }
        var code = 0
        _ = phoneboot_curl_get_long(&curl, handle, CURLINFO_RESPONSE_CODE, &code)
        var length: curl_off_t = -1
        _ = phoneboot_curl_get_offset(&curl, handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length)
        let size = length >= 0 ? Int(length) : nil
        switch code {
        case 200...299:
            return step(.found(bytes: request == .file ? body.bytes : nil, size: size))
        case 404, 410:
            return step(.notFound("\(code)"))
        default:
            return step(.failed("HTTP \(code)"))
        }
    }
}
