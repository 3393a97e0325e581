import Foundation
import PhoneBootTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `phoneboot analyze` on a capture of a million clients that are not phones: what it keeps for
/// them is bounded, and the report says how many it did not keep.
@Suite("phoneboot analyze keeps bounded state for clients that are not phones")
struct AnalyzeMemoryBoundTests {
    static let limit = 128 * 1024 * 1024
    /// BootAnalyzer.Options.defaultOtherDeviceLimit, as the report states it.
    static let otherDeviceLimit = 10_000

    @Test("1,000,000 DISCOVERs from random non-phone MACs: analyzed within 128 MB, the clients not kept counted")
    func millionRandomClients() throws {
        try Self.check(clients: 1_000_000, allDevices: false)
    }

    /// The same with `--all-devices` on a tenth of the clients (ten times the bound), to keep
    /// the debug-build test time down: what is kept does not depend on the number of clients.
    @Test("--all-devices on 100,000 random non-phone MACs: within 128 MB, 10,000 listed, the rest counted")
    func allDevicesWithinTheBound() throws {
        try Self.check(clients: 100_000, allDevices: true)
    }

    private static func check(clients: Int, allDevices: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phoneboot-bound-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let capture = directory.appendingPathComponent("random-discovers.pcap")
        try RandomDiscoverCapture(count: clients).write(to: capture)

        let reportFile = directory.appendingPathComponent("report.json")
        let run = try runMeasured(
            PacketsCommandTests.executable,
            ["analyze", "--format", "json", "--fail-on", "never"] + (allDevices ? ["--all-devices"] : []) + [
                capture.path
            ],
            output: reportFile
        )
        #expect(run.status == 0, "exit status \(run.status)")
        #expect(
            run.peakBytes > 0 && run.peakBytes < Self.limit,
            "peak RSS \(run.peakBytes / 1024) KiB, over \(Self.limit / 1024) KiB")

        let data = try Data(contentsOf: reportFile)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let report = try #require((document["captures"] as? [[String: Any]])?.first)
        #expect(report["frames"] as? Int == clients)
        let summary = try #require(report["summary"] as? [String: Any])
        let listed = allDevices ? Self.otherDeviceLimit : 0
        #expect(summary["phones"] as? Int == listed)
        #expect(summary["otherDevicesSeen"] as? Int == clients)
        #expect(summary["otherDevicesNotKept"] as? Int == clients - Self.otherDeviceLimit)
        #expect(summary["otherDeviceLimit"] as? Int == Self.otherDeviceLimit)
        #expect(summary["otherDevices"] as? Int == clients - listed)
        #expect((report["phones"] as? [Any])?.count == listed)
    }
}

/// Runs a program with standard output to `output` and standard error discarded; returns its
/// exit status and its own peak resident set: `VmHWM` of /proc/PID/status, read every 10 ms
/// until it exits (the high-water mark only grows, so the last reading misses at most the
/// program's last 10 ms).
///
/// Not `wait4`'s `ru_maxrss`: posix_spawn starts the child with vfork, and the kernel counts
/// the parent's high-water mark at the child's exec into the child's, so in a test runner of
/// a few hundred megabytes every child would look that big.
private func runMeasured(_ executable: String, _ arguments: [String], output: URL) throws -> (
    status: Int32, peakBytes: Int
) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
    var status: Int32 = 0
    var peakKilobytes = 0
    while true {
        peakKilobytes = max(peakKilobytes, highWaterKilobytes(pid) ?? 0)
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { break }
        guard reaped == 0 || errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECHILD) }
        usleep(10_000)
    }
    // WIFEXITED / WEXITSTATUS; a signal shows as 128 + its number.
    let exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (exitStatus, peakKilobytes * 1024)
}

/// `VmHWM` of a running process, in kilobytes; `nil` once it has exited.
private func highWaterKilobytes(_ pid: pid_t) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
    return line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
}
