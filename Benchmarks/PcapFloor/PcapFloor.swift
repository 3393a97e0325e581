import CLibpcap
import Glibc

/// `pcap-floor`: the benchmark's floor. Reads a capture with a plain `pcap_next_ex` loop and
/// touches every captured byte (a checksum of them all), which is the least any analyzer that
/// reads the file through libpcap can cost.
@main
enum PcapFloor {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 2 else {
            print("usage: pcap-floor FILE")
            exit(2)
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        // The same 1 MiB stdio buffer as phoneboot's CaptureFile, so that both read alike.
        guard let stream = fopen(arguments[1], "rb") else {
            print("pcap-floor: \(arguments[1]): \(String(cString: strerror(errno)))")
            exit(2)
        }
        setvbuf(stream, nil, _IOFBF, 1 << 20)
        guard let handle = pcap_fopen_offline(stream, &errorBuffer) else {
            let message = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            print("pcap-floor: \(arguments[1]): \(message)")
            exit(2)
        }
        defer { pcap_close(handle) }
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
        print("\(frames) frames, \(bytes) bytes, byte sum \(sum)")
    }
}
