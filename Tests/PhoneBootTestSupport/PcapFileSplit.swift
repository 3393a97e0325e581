public import Foundation

/// Cuts a classic little-endian pcap file into several, record by record, as the files of a
/// ring buffer (`editcap -c N`) or of captures that overlap in time.
public enum PcapFileSplit {
    /// Why a file could not be split.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The file's header and its records, each with its 16-byte record header.
    public static func records(of url: URL) throws -> (header: [UInt8], records: [[UInt8]]) {
        let bytes = [UInt8](try Data(contentsOf: url))
        guard bytes.count >= 24, [0xD4, 0x4D].contains(bytes[0]),
            bytes[1...3] == [0xC3, 0xB2, 0xA1] || bytes[1...3] == [0x3C, 0xB2, 0xA1]
        else { throw Failure(description: "\(url.lastPathComponent): not a little-endian classic pcap file") }
        var records: [[UInt8]] = []
        var offset = 24
        while offset + 16 <= bytes.count {
            let length =
                Int(bytes[offset + 8]) | Int(bytes[offset + 9]) << 8 | Int(bytes[offset + 10]) << 16
                | Int(bytes[offset + 11]) << 24
            let end = offset + 16 + length
            guard end <= bytes.count else { throw Failure(description: "\(url.lastPathComponent): cut record") }
            records.append(Array(bytes[offset..<end]))
            offset = end
        }
        return (Array(bytes[0..<24]), records)
    }

    /// Writes files of `count` records each, in order (the last may have fewer), to new
    /// temporary paths named `PREFIX_00000.pcap`, … so that a shell glob sorts them.
    public static func ring(_ url: URL, every count: Int, prefix: String = "ring") throws -> [URL] {
        let (header, records) = try self.records(of: url)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phoneboot-ring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try stride(from: 0, to: records.count, by: count).enumerated().map { index, start in
            let name = "\(prefix)_" + String(repeating: "0", count: max(0, 5 - String(index).count)) + "\(index).pcap"
            let file = directory.appendingPathComponent(name)
            try Data(header + records[start..<min(start + count, records.count)].joined()).write(to: file)
            return file
        }
    }

    /// Writes `files` files that overlap in time: record k goes to file k mod `files`.
    public static func interleaved(_ url: URL, files: Int) throws -> [URL] {
        let (header, records) = try self.records(of: url)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "phoneboot-overlap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try (0..<files).map { index in
            let file = directory.appendingPathComponent("part\(index).pcap")
            let mine = records.indices.filter { $0 % files == index }.map { records[$0] }
            try Data(header + mine.joined()).write(to: file)
            return file
        }
    }
}
