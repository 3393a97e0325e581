import Foundation

/// Where the test captures are: the project's own `captures/` and the shared reference set.
enum TestCaptures {
    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `captures/` in the package.
    static var projectDirectory: URL { packageRoot.appendingPathComponent("captures") }

    /// The shared reference captures: `$PHONEBOOT_REFERENCE_CAPTURES`, else `../shared/captures-ref`
    /// beside the package, else beside the repository the package was cloned from (a clean
    /// clone made elsewhere, as CI makes one).
    static var referenceDirectory: URL? {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["PHONEBOOT_REFERENCE_CAPTURES"] {
            candidates.append(URL(fileURLWithPath: path))
        }
        candidates.append(Self.sharedCaptures(beside: packageRoot))
        if let origin = Self.cloneOrigin { candidates.append(Self.sharedCaptures(beside: origin)) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// `shared/captures-ref` in the directory that holds `repository`.
    private static func sharedCaptures(beside repository: URL) -> URL {
        repository.deletingLastPathComponent().appendingPathComponent("shared/captures-ref")
    }

    /// The local repository the package was cloned from (git's `remote.origin.url`), when it
    /// is one: a path or a `file://` URL, `.` and `..` resolved (`git clone .` records
    /// `/path/to/repo/.`).
    private static let cloneOrigin: URL? = {
        guard let git = which("git"),
            let run = try? runProgram(git, ["-C", packageRoot.path, "config", "--get", "remote.origin.url"]),
            run.status == 0
        else { return nil }
        let origin = run.output.trimmingCharacters(in: .whitespacesAndNewlines)
        if origin.hasPrefix("/") { return URL(fileURLWithPath: origin).standardizedFileURL }
        if origin.hasPrefix("file://") { return URL(string: origin)?.standardizedFileURL }
        return nil
    }()

    /// Capture files (pcap, pcapng, snoop) in `directory`, sorted by name.
    static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") || $0.hasSuffix(".snoop") }
            .sorted().map { directory.appendingPathComponent($0) }
    }

    /// The project's captures.
    static var projectFiles: [URL] { files(in: projectDirectory) }

    /// `captures/malformed/`: captures with something wrong in them, each with its expected
    /// report like the others.
    static var malformedFiles: [URL] { files(in: projectDirectory.appendingPathComponent("malformed")) }

    /// The reference captures, or none when the folder is not there.
    static var referenceFiles: [URL] { referenceDirectory.map(files(in:)) ?? [] }

    /// The reference captures' `tunnels/` folder: DHCP inside CAPWAP and the like.
    static var tunnelFiles: [URL] {
        referenceDirectory.map { files(in: $0.appendingPathComponent("tunnels")) } ?? []
    }
}

/// Runs a program to its end; returns its exit status, standard output and standard error.
func runProgram(_ executable: String, _ arguments: [String], standardInput: URL? = nil) throws -> (
    status: Int32, output: String, error: String
) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    // Standard error goes to a file, so that neither pipe can fill up and block the child.
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent(
        "phoneboot-test-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let errorHandle = try FileHandle(forWritingTo: errorFile)
    process.standardOutput = output
    process.standardError = errorHandle
    if let standardInput {
        process.standardInput = try FileHandle(forReadingFrom: standardInput)
    }
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errorHandle.close()
    let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
    return (
        process.terminationStatus, String(decoding: outputData, as: UTF8.self),
        String(decoding: errorData, as: UTF8.self)
    )
}

/// Finds a program on the PATH.
func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin:/usr/sbin:/sbin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
