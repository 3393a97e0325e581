public import WireFormats

/// A DHCP server implementation, as a probe can tell it from a reply's option order
/// (../shared/reference/dhcp-server-recipes.md §C), and as a fix recipe is written for.
public enum DHCPServerKind: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case dnsmasq
    case iscDHCPD = "isc-dhcpd"
    case kea
    case windows
    case busybox
    case unknown

    /// The name engineers use.
    public var description: String {
        switch self {
        case .dnsmasq: "dnsmasq"
        case .iscDHCPD: "ISC dhcpd"
        case .kea: "Kea"
        case .windows: "Windows Server DHCP"
        case .busybox: "BusyBox udhcpd"
        case .unknown: "unknown"
        }
    }

    /// A guess and the evidence it rests on.
    public struct Guess: Hashable, Sendable {
        public let kind: DHCPServerKind
        /// Why, in one phrase: the option order or tell that decided it.
        public let reason: String
    }

    /// Guesses the implementation that sent `reply` (an OFFER or ACK) to a client whose
    /// parameter request list was `requested`, from the order of its options (pad and end left
    /// out) and `siaddr`.
    ///
    /// The signatures were observed in this project's lab: each server run in a network
    /// namespace, configured with options 1, 3, 6, 66 and 160 (and more), answering
    /// ``PolycomDHCPRequest``'s DISCOVER, whose option 55 is descending
    /// (191,157,144,128,66,160,7,54,42,15,6,4,3,2,1). Windows comes from
    /// dhcp-server-recipes.md §C.1 (nmap#2197), not from the lab.
    ///
    /// - dnsmasq 2.90: `53,54,51,58,59,1,28,3,160`: 1 and 28 after the lease times, asked for or
    ///   not; `siaddr` is its own address.
    /// - ISC dhcpd 4.4.3: `53,54,51,66,160,7,42,15,6,1,3`: the requested options in the
    ///   client's order, then 1 and 3 last.
    /// - Kea 2.2.0: `53,1,3,6,51,54,66,160`: 53, then ascending codes.
    /// - BusyBox udhcpd 1.35.0: `53,54,51,1,3,6,66,160`: 53, 54, 51, then ascending codes
    ///   (its configured options, asked for or not).
    /// - Windows Server: 53, 1, 58, 59, 51, 54 first.
    public static func guess(reply: DHCPMessage, requested: [UInt8]) -> Guess {
        let order = Self.optionOrder(reply)
        return Self.guess(order: order, requested: requested, siaddrIsServer: Self.siaddrIsServer(reply))
    }

    /// ``guess(reply:requested:)`` from the option codes in wire order.
    public static func guess(order: [UInt8], requested: [UInt8], siaddrIsServer: Bool = false) -> Guess {
        let text = order.map(String.init).joined(separator: ",")
        func ascending<Element: Comparable>(_ items: ArraySlice<Element>) -> Bool {
            zip(items, items.dropFirst()).allSatisfy { $0 < $1 }
        }
        if order.starts(with: [53, 1, 58, 59, 51, 54]) {
            return Guess(kind: .windows, reason: "options \(text): 53,1,58,59,51,54 first, as Windows Server sends")
        }
        if order.count >= 4, order.first == 53, ascending(order.dropFirst()) {
            return Guess(kind: .kea, reason: "options \(text): 53, then ascending codes, as Kea sends")
        }
        guard order.starts(with: [53, 54, 51]) else {
            return Guess(kind: .unknown, reason: "options \(text): no known server's order")
        }
        var rest = Array(order.dropFirst(3))
        if rest.starts(with: [58, 59]) { rest.removeFirst(2) }
        if rest.starts(with: [1, 28]) {
            let tell = siaddrIsServer ? ", and siaddr is the server's own address" : ""
            return Guess(
                kind: .dnsmasq,
                reason: "options \(text): 53,54,51,58,59 then 1,28 asked for or not\(tell), as dnsmasq sends")
        }
        // ISC dhcpd: the client's list in its order, with 1 and 3 (and 81) after the rest.
        let followed = rest.filter { $0 != 1 && $0 != 3 && $0 != 81 }
        let tail = rest.drop { $0 != 1 && $0 != 3 && $0 != 81 }
        let positions = followed.compactMap { code in requested.firstIndex(of: code) }
        if !followed.isEmpty, positions.count == followed.count, ascending(positions[...]),
            tail.allSatisfy({ $0 == 1 || $0 == 3 || $0 == 81 })
        {
            return Guess(
                kind: .iscDHCPD,
                reason:
                    "options \(text): 53,54,51, the requested options in the client's order, then 1,3, as ISC dhcpd sends"
            )
        }
        if !rest.isEmpty, ascending(rest[...]) {
            return Guess(
                kind: .busybox, reason: "options \(text): 53,54,51 then ascending codes, as BusyBox udhcpd sends")
        }
        return Guess(kind: .unknown, reason: "options \(text): 53,54,51 then no known server's order")
    }

    /// The option codes of `message` in wire order (the `options` field, then the overloaded
    /// `file` and `sname` fields), pad and end left out.
    public static func optionOrder(_ message: DHCPMessage) -> [UInt8] {
        var order: [UInt8] = []
        func add(_ area: DHCPOptionArea) {
            for index in area.elements.indices {
                guard case .option(let option) = area.elements[index] else { continue }
                let code = option.code.rawValue
                if code != 0 && code != 255 { order.append(code) }
            }
        }
        if case .options(let main) = message.vendorArea { add(main) }
        if let file = message.fileOptions { add(file) }
        if let sname = message.serverNameOptions { add(sname) }
        return order
    }

    /// True when `siaddr` is the server identifier (option 54): dnsmasq's default.
    static func siaddrIsServer(_ reply: DHCPMessage) -> Bool {
        guard let id = reply.options.serverIdentifier else { return false }
        return reply.serverAddress == id && id != .any
    }
}
