import BootAnalysis
import MasterConfigXML
import WireFormats

/// `probe --fetch`: what a Polycom phone does once DHCP gave it a boot server
/// (polycom-boot.md §3–§4): the master configuration, `<mac>.cfg` and else
/// `000000000000.cfg`, fetched whole and read; then, for the application image the master
/// names for the phone's model and every `CONFIG_FILES` entry, a size check that the file is
/// there, without downloading it (TFTP `tsize`, FTP `SIZE`, HTTP `HEAD`).
///
/// The requests leave from this host's own IPv4 address on the interface (the probe does not
/// configure the address a server offered), on the interface only.
struct ProbeFetcher {
    let interface: String
    let mac: MACAddress
    let modelTag: String?
    let partNumber: String?
    let userAgent: String
    /// The certificates HTTPS servers are checked against instead of the system's (`--ca-file`).
    let caFile: String?
    let timeout: Duration

    /// The largest master configuration file read (as the analyzer keeps them).
    static let masterLimit = 256 * 1024
    /// The most files size-checked: a master naming more has the rest listed as not checked,
    /// so that the number of requests stays bounded.
    static let checkLimit = 64

    /// What the fetch did, or why it was not done.
    struct Outcome: Sendable {
        /// The boot server used and the option that gave it; `nil` when no server gave one.
        let bootServer: BootServerString?
        let option: UInt8?
        /// `tftp`, `ftp` or `http`: the scheme, or FTP for a string without one (a phone's
        /// factory Server Type).
        var fetchProtocol: String?
        var server: IPv4Address?
        /// This host's address the requests left from.
        var localAddress: IPv4Address?
        /// Why nothing (or not everything) was fetched.
        var notDone: String?
        var steps: [ProbeFetchStep] = []
        /// The master file read, and what it names (or why it could not be read).
        var master: (file: String, result: Result<MasterConfig, MasterConfigError>)?
        /// Files the master names that were not checked, and why.
        var notChecked: [(file: String, reason: String)] = []
        /// The attribute that named each file checked (`CONFIG_FILES`, `APP_FILE_PATH`) and the
        /// name it wrote, by the file's path on the server.
        var namedBy: [String: (role: BootPlan.Role, attribute: String, file: String)] = [:]
    }

    /// Where the phone would fetch from, given `bootServer` by option `option`: the outcome
    /// with ``Outcome/server`` and ``Outcome/localAddress`` set, ready for ``run(_:)``, or
    /// with ``Outcome/notDone`` saying why nothing can be fetched.
    func target(bootServer: BootServerString?, option: UInt8?) -> Outcome {
        var outcome = Outcome(bootServer: bootServer, option: option)
        guard let bootServer else {
            outcome.notDone = "no DHCP server gave a boot server (option 160 or 66): nothing to fetch from"
            return outcome
        }
        if let problem = bootServer.problem {
            outcome.notDone = "the phone cannot use this boot server: \(problem)"
            return outcome
        }
        let scheme = bootServer.scheme ?? "ftp"
        outcome.fetchProtocol = scheme
        guard ["tftp", "ftp", "http", "https"].contains(scheme) else {
            outcome.notDone = "\(scheme):// is not a protocol a Polycom phone fetches with"
            return outcome
        }
        guard let server = ProbeSocket.resolve(bootServer.host) else {
            outcome.notDone = "\(bootServer.host) does not resolve to an IPv4 address on this host"
            return outcome
        }
        outcome.server = server
        guard let local = ProbeSocket.address(of: self.interface) else {
            outcome.notDone =
                "\(self.interface) has no IPv4 address to fetch from: give it one (a DHCP client, ip addr add) or probe without --fetch"
            return outcome
        }
        outcome.localAddress = local
        return outcome
    }

    /// Fetches as the phone would, from the target ``target(bootServer:option:)`` found.
    func run(_ target: Outcome) -> Outcome {
        var outcome = target
        guard outcome.notDone == nil, let bootServer = outcome.bootServer, let server = outcome.server,
            let scheme = outcome.fetchProtocol
        else { return outcome }
        switch scheme {
        case "tftp":
            let client = TFTPProbeClient(
                interface: self.interface, server: server, port: UInt16(clamping: bootServer.port ?? 69),
                timeout: self.timeout)
            self.fetch(into: &outcome, path: self.path(in: bootServer, relative: true)) {
                client.file($0, limit: Self.masterLimit)
            } size: {
                client.size($0)
            }
        case "ftp":
            let credentials = Self.credentials(of: bootServer)
            do {
                var client = try FTPProbeClient.connect(
                    interface: self.interface, server: server, port: UInt16(clamping: bootServer.port ?? 21),
                    user: credentials?.user ?? FTPProbeClient.defaultUser,
                    password: credentials?.password ?? FTPProbeClient.defaultPassword, timeout: self.timeout)
                self.fetch(into: &outcome, path: self.path(in: bootServer, relative: true)) {
                    client.file($0, limit: Self.masterLimit)
                } size: {
                    client.size($0)
                }
                client.quit()
            } catch {
                outcome.notDone = error.description
            }
        case "https":
            guard let curl = HTTPSProbeClient.load() else {
                outcome.notDone =
                    "HTTPS needs libcurl, and libcurl.so.4 is not installed (Debian: apt-get install libcurl4)"
                return outcome
            }
            let client = HTTPSProbeClient(
                curl: curl, interface: self.interface,
                origin: "https://\(bootServer.host)" + (bootServer.port.map { ":\($0)" } ?? ""),
                userAgent: self.userAgent, credentials: Self.credentials(of: bootServer), caFile: self.caFile,
                timeout: self.timeout)
            self.fetch(into: &outcome, path: self.path(in: bootServer, relative: false)) {
                client.file($0, limit: Self.masterLimit)
            } size: {
                client.size($0)
            }
        default:
            let client = HTTPProbeClient(
                interface: self.interface, server: server, port: UInt16(clamping: bootServer.port ?? 80),
                host: bootServer.host, userAgent: self.userAgent, credentials: Self.credentials(of: bootServer),
                timeout: self.timeout)
            self.fetch(into: &outcome, path: self.path(in: bootServer, relative: false)) {
                client.file($0, limit: Self.masterLimit)
            } size: {
                client.size($0)
            }
        }
        return outcome
    }

    /// The master file, then a size check of each file it names for this phone.
    private func fetch(
        into outcome: inout Outcome, path: (String) -> String, file: (String) -> ProbeFetchStep,
        size: (String) -> ProbeFetchStep
    ) {
        var master: (name: String, bytes: [UInt8])?
        for name in ["\(self.mac.compactHex.lowercased()).cfg", "000000000000.cfg"] {
            let step = file(path(name))
            outcome.steps.append(step)
            if case .found(let bytes?, _) = step.outcome {
                master = (name, bytes)
                break
            }
            // A phone goes on to 000000000000.cfg only when its own file is not there.
            guard case .notFound = step.outcome else { break }
        }
        guard let master else {
            outcome.notDone = outcome.notDone ?? "no master configuration file was read"
            return
        }
        let config: MasterConfig
        do {
            config = try MasterConfigParser.parse(master.bytes)
            outcome.master = (master.name, .success(config))
        } catch {
            outcome.master = (master.name, .failure(error))
            return
        }
        let planned = BootPlan.plannedFiles(
            config, mac: self.mac, modelTag: self.modelTag, partNumber: self.partNumber)
        for entry in planned where entry.role != .misc {
            if !entry.unexpanded.isEmpty {
                outcome.notChecked.append(
                    (entry.file, "\(entry.unexpanded.joined(separator: ", ")) cannot be expanded"))
            } else if entry.file.contains("://") {
                outcome.notChecked.append((entry.file, "a URL of its own: not checked"))
            } else if outcome.namedBy.count >= Self.checkLimit {
                outcome.notChecked.append((entry.file, "past the \(Self.checkLimit) files checked"))
            } else {
                outcome.namedBy[path(entry.file)] = (entry.role, entry.attribute, entry.file)
                outcome.steps.append(size(path(entry.file)))
            }
        }
    }

    /// The file's path on the server: in the boot server's directory, without a leading `/`
    /// for TFTP and FTP (relative to the server's root or the FTP login's directory).
    private func path(in bootServer: BootServerString, relative: Bool) -> (String) -> String {
        var directory = Substring(bootServer.path)
        while directory.hasSuffix("/") { directory = directory.dropLast() }
        if relative { while directory.hasPrefix("/") { directory = directory.dropFirst() } }
        let prefix = directory.isEmpty ? (relative ? "" : "/") : "\(directory)/"
        return { prefix + $0 }
    }

    /// The user and password written in the boot server string, if any.
    static func credentials(of bootServer: BootServerString) -> (user: String, password: String)? {
        bootServer.user.map { ($0, bootServer.password ?? "") }
    }
}
