import Foundation

/// tshark as a decoding oracle: field values per frame, as `tshark -T fields` prints them.
struct Tshark {
    let path: String

    /// tshark from the PATH; the oracle tests need it (CI installs the `tshark` package).
    static func locate() -> Tshark? {
        which("tshark").map(Tshark.init(path:))
    }

    /// One row per frame that matches `displayFilter`: frame number → the values of `fields`,
    /// each the list of occurrences.
    func fields(_ fields: [String], file: URL, displayFilter: String) throws -> [Int: [[String]]] {
        var arguments = [
            "-n", "-r", file.path, "-Y", displayFilter, "-T", "fields", "-E", "separator=\t",
            "-E", "occurrence=a", "-E", "aggregator=\u{1F}", "-e", "frame.number",
        ]
        for field in fields { arguments += ["-e", field] }
        let result = try runProgram(self.path, arguments)
        var rows: [Int: [[String]]] = [:]
        for line in result.output.split(separator: "\n", omittingEmptySubsequences: true) {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let number = Int(columns[0]) else { continue }
            rows[number] = columns.dropFirst().map { column in
                column.isEmpty
                    ? [] : column.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            }
        }
        return rows
    }

    /// Frame numbers that match `displayFilter`.
    func frames(file: URL, displayFilter: String) throws -> Set<Int> {
        Set(try self.fields([], file: file, displayFilter: displayFilter).keys)
    }
}
