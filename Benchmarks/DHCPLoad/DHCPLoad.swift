import ArgumentParser
import WireFormats

#if canImport(Glibc)
    import Glibc
#endif

/// `dhcp-load`: many phones at once, for `Benchmarks/proxy-benchmark.sh`.
///
/// From one socket on port 68 it sends broadcast DHCPDISCOVERs (giaddr 0, BROADCAST flag, so
/// every reply is broadcast back) from random MACs, half of them Polycom's, and every fourth
/// transaction a DHCPINFORM from a Polycom MAC; a fixed set of `--leases` phones also REQUESTs
/// the address it was offered, so that the server's pool is never used up. It keeps `--window`
/// transactions in flight (or starts `--rate` per second), matches replies by xid and prints one
/// JSON object: transactions per second, latency per message kind (median, p99) and its own
/// CPU time.
@main
struct DHCPLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dhcp-load",
        abstract: "Play many DHCP clients at once and time the answers (a benchmark load client).",
        discussion: """
            Run it as root inside the client's network namespace, e.g.
              ip netns exec bm-relayed dhcp-load --interface bm-c0 --count 20000 --window 64 \\
                  --inform-to 255.255.255.255 --inform-from 192.0.2.50
            """
    )

    @Option(help: "The interface to send on (SO_BINDTODEVICE).")
    var interface: String

    @Option(help: "Transactions to start.")
    var count = 5000

    @Option(help: "Transactions in flight at most.")
    var window = 64

    @Option(help: "Transactions to start per second; 0 starts one whenever the window allows.")
    var rate = 0

    @Option(help: "Phones that also REQUEST their offer (keep it below the server's pool).")
    var leases = 100

    @Option(name: .customLong("inform-to"), help: "Send every fourth transaction as a DHCPINFORM to this address.")
    var informTo: String?

    @Option(name: .customLong("inform-from"), help: "The ciaddr of the INFORMs.")
    var informFrom: String?

    @Option(help: "Seconds after which an unanswered transaction counts as lost.")
    var timeout = 1.0

    mutating func validate() throws {
        guard self.count > 0, self.window > 0, self.leases > 0, self.rate >= 0 else {
            throw ValidationError("--count, --window and --leases must be above 0, --rate 0 or more")
        }
        if let informTo, IPv4Address(informTo) == nil {
            throw ValidationError("--inform-to: not an IPv4 address: \(informTo)")
        }
        if (self.informTo == nil) != (self.informFrom.flatMap(IPv4Address.init) == nil) {
            throw ValidationError("--inform-to and --inform-from (an IPv4 address) go together")
        }
    }

    func run() throws {
        let socket = try LoadSocket(interface: self.interface)
        var run = LoadRun(
            leases: self.leases,
            inform: self.informTo.flatMap(IPv4Address.init).flatMap { to in
                self.informFrom.flatMap(IPv4Address.init).map { (to, $0) }
            }
        )
        let timeout = Int64(self.timeout * 1e9)
        let interval: Int64 = self.rate > 0 ? 1_000_000_000 / Int64(self.rate) : 0
        var buffer = [UInt8](repeating: 0, count: 2048)
        let start = LoadRun.now()
        var nextStart = start
        var lastSweep = start
        while run.started < self.count || !run.pending.isEmpty {
            var now = LoadRun.now()
            while run.started < self.count, run.pending.count < self.window, interval == 0 || now >= nextStart {
                let (bytes, address) = run.startTransaction(at: now)
                _ = socket.send(bytes, to: address.rawValue, port: 67)
                nextStart += interval
                now = LoadRun.now()
            }
            socket.wait(milliseconds: interval > 0 ? 1 : 10)
            while let length = socket.receive(into: &buffer) {
                if let request = run.reply(Array(buffer.prefix(length)), at: LoadRun.now()) {
                    _ = socket.send(request, to: IPv4Address.broadcast.rawValue, port: 67)
                }
            }
            now = LoadRun.now()
            if now - lastSweep > 10_000_000 {
                run.expire(olderThan: now - timeout)
                lastSweep = now
            }
        }
        let elapsed = Double(LoadRun.now() - start) / 1e9
        print(run.report(seconds: elapsed, cpuSeconds: Self.cpuSeconds()))
    }

    /// User and system CPU time of this process.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
            usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
