internal import CLibpcap

extension FrameHeader {
    /// The header of frame `number` from libpcap's record of it. `nanosecondFraction`: the
    /// handle was opened at nanosecond precision (`tv_usec` then holds nanoseconds).
    init(number: Int, record: pcap_pkthdr, nanosecondFraction: Bool) {
        let fraction = UInt32(truncatingIfNeeded: record.ts.tv_usec)
        self.init(
            number: number,
            timestamp: Timestamp(
                seconds: Int64(record.ts.tv_sec), nanoseconds: nanosecondFraction ? fraction : fraction &* 1_000),
            capturedLength: Int(record.caplen),
            originalLength: Int(record.len)
        )
    }
}
