import CLibpcap
import Glibc

/// `pcap-floor`: the benchmark's floor. Reads a capture with a plain `pcap_next_ex` loop and
/// touches every captured byte (a checksum of them all), which is the least any analyzer that
/// reads the file through libpcap can cost.
///
/// `pcap-floor FILE` opens the file with `pcap_open_offline`, as a plain libpcap program does
/// (stdio's own buffering: a 4 KiB read at a time). `pcap-floor --stdio-buffer BYTES FILE`
/// reads it through a stdio buffer of that size, as phoneboot's `CaptureFile` does (1 MiB).
@main
enum PcapFloor {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var bufferSize: Int?
        if arguments.first == "--stdio-buffer", arguments.count == 3, let size = Int(arguments[1]), size > 0 {
            bufferSize = size
            arguments.removeFirst(2)
        }
        guard arguments.count == 1, let path = arguments.first else {
            print("usage: pcap-floor [--stdio-buffer BYTES] FILE")
            exit(2)
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let opened: OpaquePointer?
        if let bufferSize {
            guard let stream = fopen(path, "rb") else {
                print("pcap-floor: \(path): \(String(cString: strerror(errno)))")
                exit(2)
            }
            // Given the buffer: glibc's setvbuf ignores the size without one. Freed at exit.
            if let buffer = malloc(bufferSize) {
                setvbuf(stream, buffer.assumingMemoryBound(to: CChar.self), _IOFBF, bufferSize)
            }
            opened = pcap_fopen_offline(stream, &errorBuffer)
        } else {
            opened = pcap_open_offline(path, &errorBuffer)
        }
        guard let handle = opened else {
            let message = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            print("pcap-floor: \(path): \(message)")
            exit(2)
        }
        var frames = 0
        var bytes = 0
        var sum: UInt64 = 0
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while pcap_next_ex(handle, &header, &data) == 1 {
            guard let header, let data else { continue }
            let length = Int(header.pointee.caplen)
            for index in 0..<length { sum &+= UInt64(data[index]) }
            frames += 1
            bytes += length
        }
        pcap_close(handle)
        print("\(frames) frames, \(bytes) bytes, byte sum \(sum)")
    }
}
