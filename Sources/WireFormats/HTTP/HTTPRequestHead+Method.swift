extension HTTPRequestHead {
    /// The method of an HTTP request (RFC 9110 §9), as sent: method names are case-sensitive
    /// (RFC 9110 §9.1), so `get` is not `GET`.
    ///
    /// The methods RFC 9110 §9.3 defines are named here; any other token (`PATCH`, WebDAV's
    /// `PROPFIND`...) is kept as sent, so every request line still decodes.
    public struct Method: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// `GET` (§9.3.1): transfer the target's current representation.
        public static let get = Self(rawValue: "GET")
        /// `HEAD` (§9.3.2): as GET, but the response has no content.
        public static let head = Self(rawValue: "HEAD")
        /// `POST` (§9.3.3): the target processes the enclosed content.
        public static let post = Self(rawValue: "POST")
        /// `PUT` (§9.3.4): replace the target's state with the enclosed content.
        public static let put = Self(rawValue: "PUT")
        /// `DELETE` (§9.3.5): remove the association of the target.
        public static let delete = Self(rawValue: "DELETE")
        /// `CONNECT` (§9.3.6): a tunnel to the server the target names.
        public static let connect = Self(rawValue: "CONNECT")
        /// `OPTIONS` (§9.3.7): the communication options for the target.
        public static let options = Self(rawValue: "OPTIONS")
        /// `TRACE` (§9.3.8): a loop-back of the request.
        public static let trace = Self(rawValue: "TRACE")

        /// The method as sent on the wire: `GET`.
        public var description: String { self.rawValue }
    }
}
