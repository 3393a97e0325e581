import WireFormats

/// Time stamps as text, without Foundation.
enum TimeFormat {
    /// `2026-11-25T16:18:53.123456789Z` (RFC 3339, UTC).
    static func iso8601(seconds: Int64, nanoseconds: UInt32) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let fraction = String(nanoseconds % 1_000_000_000)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))."
            + String(repeating: "0", count: 9 - fraction.count) + fraction + "Z"
    }

    /// Seconds with six decimals, as tshark prints relative time: `12.004512`.
    static func relative(nanoseconds: Int64) -> String {
        var text: [UInt8] = []
        self.appendRelative(nanoseconds: nanoseconds, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``relative(nanoseconds:)``'s text to `text` (ASCII), without making a string.
    static func appendRelative(nanoseconds: Int64, to text: inout [UInt8]) {
        text.append(addingCapacity: self.relativeWidth) { self.appendRelative(nanoseconds: nanoseconds, to: &$0) }
    }

    /// The most bytes ``appendRelative(nanoseconds:to:)`` writes: the seconds with their sign
    /// (``decimalWidth``), a dot and six decimals.
    static let relativeWidth = decimalWidth + 7

    /// Appends ``relative(nanoseconds:)``'s text where room for it (``relativeWidth``) was made.
    static func appendRelative(nanoseconds: Int64, to out: inout OutputSpan<UInt8>) {
        if nanoseconds < 0 { out.append(UInt8(ascii: "-")) }
        let micros = nanoseconds.magnitude / 1000
        appendDecimal(Int(micros / 1_000_000), to: &out)
        let fraction = micros % 1_000_000
        out.append(UInt8(ascii: "."))
        var divisor: UInt64 = 100_000
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(fraction / divisor % 10))
            divisor /= 10
        }
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
