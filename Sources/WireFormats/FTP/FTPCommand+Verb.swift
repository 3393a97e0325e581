extension FTPCommand {
    /// The verb of an FTP command (RFC 959 §4.1, RFC 2428 §2–3), in upper case: commands are
    /// case-insensitive (RFC 959 §5.3.1).
    ///
    /// The verbs PhoneBoot reads are named here; any other 3- or 4-letter verb is kept as sent
    /// (upper-cased), so every command line still decodes.
    public struct Verb: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String

        /// The verb `rawValue` names, upper-cased.
        public init(rawValue: String) {
            self.rawValue = rawValue.uppercased()
        }

        // MARK: RFC 959 §4.1.1, access control

        /// `USER`: the user name.
        public static let user = Self(rawValue: "USER")
        /// `PASS`: the password, never to be shown.
        public static let password = Self(rawValue: "PASS")
        /// `CWD`: change the working directory.
        public static let changeWorkingDirectory = Self(rawValue: "CWD")
        /// `QUIT`: log out.
        public static let quit = Self(rawValue: "QUIT")

        // MARK: RFC 959 §4.1.2, transfer parameters

        /// `PORT`: the client's data port, `h1,h2,h3,h4,p1,p2`.
        public static let port = Self(rawValue: "PORT")
        /// `PASV`: the server is to listen for the data connection.
        public static let passive = Self(rawValue: "PASV")
        /// `TYPE`: the representation type (`A`, `I`).
        public static let type = Self(rawValue: "TYPE")

        // MARK: RFC 959 §4.1.3, service commands

        /// `RETR`: retrieve a file (a download).
        public static let retrieve = Self(rawValue: "RETR")
        /// `STOR`: store a file (an upload).
        public static let store = Self(rawValue: "STOR")
        /// `STOU`: store a file under a name the server chooses (an upload).
        public static let storeUnique = Self(rawValue: "STOU")
        /// `APPE`: append to a file (an upload).
        public static let append = Self(rawValue: "APPE")
        /// `LIST`: a directory listing.
        public static let list = Self(rawValue: "LIST")
        /// `NLST`: a list of names.
        public static let nameList = Self(rawValue: "NLST")

        // MARK: RFC 3659 §3–4, file modification time and size

        /// `MDTM`: a file's last modification time; 550 when there is no such file.
        public static let modificationTime = Self(rawValue: "MDTM")
        /// `SIZE`: a file's size as it would be transferred; 550 when there is no such file.
        public static let size = Self(rawValue: "SIZE")

        // MARK: RFC 2428 §2–3, extended addresses

        /// `EPRT`: the client's data address and port, `|1|addr|port|`.
        public static let extendedPort = Self(rawValue: "EPRT")
        /// `EPSV`: extended passive mode.
        public static let extendedPassive = Self(rawValue: "EPSV")

        /// The verb as sent on the wire: `RETR`.
        public var description: String { self.rawValue }
    }
}
