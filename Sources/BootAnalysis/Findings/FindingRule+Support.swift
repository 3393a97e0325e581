import WireFormats

// What several finding rules read from a record, in one place.

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
    var bootServerACK: DHCPTransaction.Message? {
        guard let bootServer = self.bootServer else { return nil }
        return self.acks.last { $0.frame == bootServer.frame }
    }

    /// What `fetch`'s file is for this phone.
    func fileKind(of fetch: Fetch) -> PolycomCatalogue.FileKind {
        PolycomCatalogue.fileKind(fetch.file, mac: self.mac)
    }

    /// The fetches of configuration files this phone looks for first: its own `<mac>.cfg`,
    /// then `000000000000.cfg` (all of the one, then all of the other).
    var masterConfigFetches: [Fetch] {
        let kinds = self.fetches.map { self.fileKind(of: $0) }
        return zip(self.fetches, kinds).filter { $0.1 == .macConfig }.map(\.0)
            + zip(self.fetches, kinds).filter { $0.1 == .defaultConfig }.map(\.0)
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

extension Fetch {
    /// The frames that show a failed fetch: its first request and the error, when there is one.
    var evidenceFrames: [Int] { [self.requestFrames.first, self.errorFrame].compactMap { $0 } }
}
