import WireFormats

// What several finding rules read from a record, in one place.

/// `pieces` one after the other, made in one piece: the message or hint a rule writes for
/// many phones (string interpolation grows its text piece by piece, reallocating as it goes).
func joined(_ pieces: String...) -> String {
    var count = 0
    for piece in pieces { count += piece.utf8.count }
    return String(unsafeUninitializedCapacity: count) { buffer in
        var offset = 0
        for piece in pieces {
            piece.withUTF8InPlace { bytes in
                let end = offset + bytes.count
                guard end <= buffer.count else { return }
                _ = UnsafeMutableBufferPointer(rebasing: buffer[offset..<end]).initialize(from: bytes)
                offset = end
            }
        }
        return offset
    }
}

/// `""` for one, `"s"` for any other count: `"1 file"`, `"2 files"`.
func plural(_ count: Int) -> String { count == 1 ? "" : "s" }

/// A span of capture time in nanoseconds as seconds, rounded to a tenth: `2.2 s`; `0.0 s` for
/// none or less (a capture whose frames are out of time order).
func seconds(_ nanoseconds: Int64) -> String {
    let tenths =
        nanoseconds <= 0 ? 0 : nanoseconds / 100_000_000 + (nanoseconds % 100_000_000 >= 50_000_000 ? 1 : 0)
    return "\(tenths / 10).\(tenths % 10) s"
}

extension PhoneRecord {
    /// Every ACK the phone got, in order.
    var acks: [DHCPTransaction.Message] { self.transactions.flatMap(\.acks) }

    /// The ACK that carried ``bootServer``, or `nil` when there is no boot server or no ACK.
    /// (Most rules ask it: it is found where it is, without gathering the ACKs first.)
    var bootServerACK: DHCPTransaction.Message? {
        guard let frame = self.bootServer?.frame else { return nil }
        return self.lastMessage { $0.type == .ack && $0.frame == frame }
    }

    /// Whether the phone got any ACK.
    var hasACK: Bool { self.lastMessage { $0.type == .ack } != nil }

    /// The last message of the last transaction that holds one whose ``MessageFacts`` `matches`
    /// accepts. Each message is tested on facts read where it lies: a message handed to a
    /// closure is copied whole, its strings and arrays retained and released, and the rules
    /// search every phone's messages, nearly always for nothing.
    func lastMessage(where matches: (MessageFacts) -> Bool) -> DHCPTransaction.Message? {
        for transaction in self.transactions.indices.reversed() {
            for message in self.transactions[transaction].messages.indices.reversed()
            where matches(MessageFacts(self.transactions[transaction].messages, at: message)) {
                return self.transactions[transaction].messages[message]
            }
        }
        return nil
    }

    /// What `fetch`'s file is for this phone.
    func fileKind(of fetch: Fetch) -> PolycomCatalogue.FileKind {
        PolycomCatalogue.fileKind(fetch.file, mac: self.mac)
    }

    /// The fetches of configuration files this phone looks for first: its own `<mac>.cfg`,
    /// then `000000000000.cfg` (all of the one, then all of the other).
    var masterConfigFetches: [Fetch] {
        var own: [Fetch] = []
        var shared: [Fetch] = []
        for index in self.fetches.indices {
            switch self.fileKind(of: self.fetches[index]) {
            case .macConfig: own.append(self.fetches[index])
            case .defaultConfig: shared.append(self.fetches[index])
            default: break
            }
        }
        return own + shared
    }

    /// What a finding that missing frames could explain adds when the capture lost frames:
    /// `; the capture itself lost frames (…): this may be the capture, not the network`; empty
    /// when no loss was seen.
    var captureLossClause: String {
        guard !self.captureLoss.isEmpty else { return "" }
        return "; the capture itself lost frames (\(self.captureLoss)): this may be the capture, not the network"
    }

    /// For a boot server named by host name: the address the phone reached it at, known from
    /// an HTTP `Host` or a TLS server name equal to that name.
    var bootServerAddressByName: IPv4Address? {
        guard let host = self.bootServer?.string.host.lowercased(), !host.isEmpty else { return nil }
        return self.fetches.first { fetch in
            guard let name = fetch.serverName?.lowercased() else { return false }
            return name == host || name.hasPrefix(host + ":")
        }?.server
    }
}

extension Array where Element == Fetch {
    /// The fetches whose result `isWanted` accepts, in order, each tested where it lies: the
    /// closure `filter` calls is given a copy of each fetch (its strings and arrays retained,
    /// then released), and the rules run for every phone, nearly always finding nothing.
    func withResult(_ isWanted: (Fetch.Result) -> Bool) -> [Fetch] {
        var found: [Fetch] = []
        for index in self.indices where isWanted(self[index].result) { found.append(self[index]) }
        return found
    }
}

extension Fetch {
    /// The frames that show a failed fetch: its first request and the error, when there is one.
    var evidenceFrames: [Int] { [self.requestFrames.first, self.errorFrame].compactMap { $0 } }
}
