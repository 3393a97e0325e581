import Foundation
import Testing

/// Two network namespaces joined by a veth pair, for tests that need real peers: a "phone"
/// side and a "server" side, using only 192.0.2.0/24 (and 198.51.100.0/24 behind the server,
/// with ``addUpstream()``). The plumbing is `captures/lab/lab.sh`, the lab `captures/record.sh`
/// records the bundled captures with, run as a command. Everything started inside is stopped
/// and the namespaces are deleted by ``tearDown()``, which tests call in a `defer` (so also
/// when they fail); leftovers of an aborted earlier run are removed first.
struct NetworkLab: ~Copyable {
    static let serverAddress = "192.0.2.1"

    /// `captures/lab/lab.sh` in the package.
    static let script = TestCaptures.projectDirectory.appendingPathComponent("lab/lab.sh").path

    /// True when this machine can run the lab: root, and the tools on the PATH. When
    /// `PHONEBOOT_REQUIRE_NETNS=1` (CI sets it), a machine that cannot is a test failure, not a
    /// skip.
    static var isAvailable: Bool {
        let ready = getuid() == 0 && ["bash", "ip", "dnsmasq", "dhclient", "curl"].allSatisfy { which($0) != nil }
        return ready || ProcessInfo.processInfo.environment["PHONEBOOT_REQUIRE_NETNS"] == "1"
    }

    let phone: String
    let server: String
    /// A third namespace, made only by ``addUpstream()``: the DHCP server behind a relay.
    let upstream: String
    let phoneInterface: String
    let serverInterface: String
    let phoneMAC: String
    let directory: URL

    /// Creates the namespaces and joins them (``connect()``); the phone's interface gets
    /// `phoneMAC`. When that fails, the namespaces are removed before the error is thrown.
    init(name: String, phoneMAC: String) throws {
        self.phone = "\(name)-p"
        self.server = "\(name)-s"
        self.upstream = "\(name)-u"
        self.phoneInterface = "\(name)-p0"
        self.serverInterface = "\(name)-s0"
        self.phoneMAC = phoneMAC
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("phoneboot-lab-\(name)")
        Self.remove(namespaces: [self.phone, self.server, self.upstream])
        try? FileManager.default.removeItem(at: self.directory)
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        // dnsmasq drops privileges and must read its TFTP root below this directory.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: self.directory.path)
        do {
            try self.connect()
        } catch {
            // No tearDown() will run for a lab that was never made: remove what was.
            Self.remove(namespaces: [self.phone, self.server, self.upstream])
            throw error
        }
    }

    /// Joins the phone and server namespaces (creating those that do not exist) with a new veth
    /// pair: the phone's end with the lab's MAC and no address, the server's end with
    /// ``serverAddress``/24, both up. Also after a test deleted the pair.
    func connect() throws {
        try Self.lab([
            "pair", "--phone-ns", self.phone, "--phone-if", self.phoneInterface, "--phone-mac", self.phoneMAC,
            "--server-ns", self.server, "--server-if", self.serverInterface, "--server-address",
            "\(Self.serverAddress)/24",
        ])
    }

    /// Stops every process in the namespaces, deletes them and the lab's directory.
    func tearDown() {
        Self.remove(namespaces: [self.phone, self.server, self.upstream])
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// Adds the upstream namespace behind the server side (for a relay in the middle): the
    /// server side gets 198.51.100.1/25, the upstream side 198.51.100.2/25 and a route back to
    /// 192.0.2.0/24 through the server side (198.51.100.128/25 stays unrouted, for tests of
    /// sends that fail). Returns the upstream interface's name.
    func addUpstream() throws -> String {
        let relaySide = "\(self.server.dropLast(2))-r0"
        let upstreamSide = "\(self.server.dropLast(2))-u0"
        try Self.lab([
            "upstream", "--server-ns", self.server, "--upstream-ns", self.upstream, "--relay-if", relaySide,
            "--upstream-if", upstreamSide, "--relay-address", "198.51.100.1/25", "--upstream-address",
            "198.51.100.2/25",
            "--route", "192.0.2.0/24",
        ])
        return upstreamSide
    }

    /// Runs `command` in `namespace` to completion; its output and errors go to `name.log`
    /// in the lab's directory and come back as text.
    @discardableResult
    func run(in namespace: String, _ command: [String], name: String) throws -> (status: Int32, output: String) {
        try self.run([try Self.tool("ip"), "netns", "exec", namespace] + command, name: name)
    }

    /// Runs `command` (on the host) to completion, as ``run(in:_:name:)`` does.
    private func run(_ command: [String], name: String) throws -> (status: Int32, output: String) {
        let log = self.directory.appendingPathComponent("\(name).log")
        let pid = try Self.spawn(command, output: log.path)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let text = FileManager.default.contents(atPath: log.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return (exitStatus, text)
    }

    /// A program started in the background: its pid and where its output goes.
    struct Background {
        let pid: Int32
        /// Standard output and standard error.
        let output: URL
        let log: URL

        /// Sends SIGTERM and waits up to `seconds` for the program to exit; true if it did.
        func stop(waiting seconds: Int = 10) -> Bool {
            kill(self.pid, SIGTERM)
            var status: Int32 = 0
            for _ in 0..<(seconds * 10) {
                let reaped = waitpid(self.pid, &status, WNOHANG)
                if reaped == self.pid || (reaped < 0 && errno == ECHILD) { return true }
                usleep(100_000)
            }
            return false
        }
    }

    /// Starts `command` in `namespace` in the background, its output to `name.out` and its
    /// errors to `name.log` in the lab's directory.
    func start(in namespace: String, _ command: [String], name: String) throws -> Background {
        try self.start([try Self.tool("ip"), "netns", "exec", namespace] + command, name: name)
    }

    /// Starts `command` (on the host) in the background, as ``start(in:_:name:)`` does.
    private func start(_ command: [String], name: String) throws -> Background {
        let output = self.directory.appendingPathComponent("\(name).out")
        let log = self.directory.appendingPathComponent("\(name).log")
        let pid = try Self.spawn(command, output: output.path, error: log.path)
        return Background(pid: pid, output: output, log: log)
    }

    /// `posix_spawn` with standard input from /dev/null, standard output to `output` and
    /// standard error to `error` (or `output`).
    ///
    /// Not Foundation's `Process`: programs that outlive the call (servers, dhclient's daemon)
    /// must hold no pipe of ours, and must not be children Foundation's monitor waits for.
    private static func spawn(_ arguments: [String], output: String, error: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let error {
            posix_spawn_file_actions_addopen(&actions, 2, error, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        try #require(result == 0, "could not start \(arguments[0]): error \(result)")
        return pid
    }

    /// dnsmasq on the server side (or `namespace`/`interface`): DHCP for 192.0.2.100-150 with
    /// `options`, TFTP from `files`. Started by `lab.sh dnsmasq --exec yes`, which becomes
    /// dnsmasq: the returned pid is dnsmasq's; its own log is `dnsmasq.log` in the lab's directory.
    func startDNSMasq(options: [String], files: [String: String], namespace: String? = nil, interface: String? = nil)
        throws -> Background
    {
        let root = self.directory.appendingPathComponent("tftp")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.path)
        for (name, content) in files {
            let file = root.appendingPathComponent(name)
            try Data(content.utf8).write(to: file)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        }
        let process = try self.start(
            [
                try Self.tool("bash"), Self.script, "dnsmasq", "--exec", "yes", "--ns", namespace ?? self.server,
                "--interface", interface ?? self.serverInterface, "--range", "192.0.2.100,192.0.2.150,255.255.255.0,1h",
                "--dir", self.directory.path, "--name", "dnsmasq", "--tftp-root", root.path,
            ] + options.flatMap { ["--dhcp-option", $0] },
            name: "dnsmasq-run"
        )
        try Self.waitFor(
            file: self.directory.appendingPathComponent("dnsmasq.log"), containing: "TFTP root is", seconds: 10)
        return process
    }

    /// dhclient as the phone (`lab.sh dhclient`): one lease, asking for 66 and 160 with
    /// `vendorClass`; the hook only puts the leased address on the interface. dhclient's files
    /// (`dhclient.leases`, `dhclient.pid`, `dhclient.log`) are in the lab's directory.
    func runDHClient(vendorClass: String) throws -> (status: Int32, output: String) {
        try self.run(
            [
                try Self.tool("bash"), Self.script, "dhclient", "--ns", self.phone, "--dev", self.phoneInterface,
                "--dir", self.directory.path, "--vendor-class-text", vendorClass,
            ], name: "dhclient-run")
    }

    // MARK: - Helpers

    static func tool(_ name: String) throws -> String {
        try #require(
            which(name), "\(name) is needed for this test (apt-get install iproute2 dnsmasq-base isc-dhcp-client curl)")
    }

    @discardableResult
    static func ip(_ arguments: [String]) throws -> String {
        let result = try runProgram(try Self.tool("ip"), arguments)
        try #require(result.status == 0, "ip \(arguments.joined(separator: " ")): \(result.error)")
        return result.output
    }

    static func waitFor(file: URL, containing text: String, seconds: Int) throws {
        for _ in 0..<(seconds * 10) {
            if let data = FileManager.default.contents(atPath: file.path),
                String(decoding: data, as: UTF8.self).contains(text)
            {
                return
            }
            usleep(100_000)
        }
        let content =
            FileManager.default.contents(atPath: file.path).map { String(decoding: $0, as: UTF8.self) } ?? "(missing)"
        Issue.record("\(file.lastPathComponent) never said \"\(text)\": \(content)")
        throw CancellationError()
    }

    /// Runs `lab.sh` with `arguments` (a command and its named arguments) to completion.
    static func lab(_ arguments: [String]) throws {
        let result = try runProgram(try Self.tool("bash"), [Self.script] + arguments)
        try #require(result.status == 0, "lab.sh \(arguments.joined(separator: " ")): \(result.error)")
    }

    /// Stops everything running in the namespaces and deletes them (those that exist).
    /// Not ``lab(_:)``: nothing here may fail a test, which is why it runs in `defer`.
    private static func remove(namespaces: [String]) {
        guard let bash = which("bash") else { return }
        _ = try? runProgram(bash, [Self.script, "remove"] + namespaces.flatMap { ["--ns", $0] })
    }
}
