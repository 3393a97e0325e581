import WireFormats

// How the phone found its voice VLAN (polycom-boot.md §0 step 1, §6 and the "VLAN discovery
// loop" row of §7): LLDP-MED and CDP from the switch, then a DHCP VLAN-A= string.

extension PhoneRecord {
    /// The DHCP replies to the phone, in capture order.
    var dhcpReplies: [DHCPTransaction.Message] {
        self.transactions.flatMap(\.messages).filter { !$0.fromClient }.sorted { $0.frame < $1.frame }
    }

    /// Whether a DHCP reply carried a VLAN discovery option (valid or not): the VLAN rules
    /// that read replies have nothing to say without one.
    var hasVLANDiscoveryReply: Bool {
        self.lastMessage { !$0.fromClient && $0.hasVLANDiscovery } != nil
    }

    /// The first network announcement that gives the phone a tagged voice VLAN.
    var announcedVoiceVLAN: (announcement: LinkAnnouncement, vlan: UInt16)? {
        for announcement in self.switchAnnouncements {
            if let vlan = announcement.taggedVoiceVLAN { return (announcement, vlan) }
        }
        return nil
    }
}

/// `VLAN 120`, or `the untagged VLAN`.
private func vlanName(_ vlan: UInt16?) -> String { vlan.map { "VLAN \($0)" } ?? "the untagged VLAN" }

extension FindingRule {
    /// `vlan-option-malformed`: a VLAN discovery option the phone cannot read.
    static let vlanOptionMalformed = FindingRule(
        code: .vlanOptionMalformed, severity: .warning,
        summary:
            "A DHCP reply's VLAN discovery option (128, 144, 157, 191 or --vlan-option) holds no valid VLAN-A= string."
    ) { record in
        guard record.hasVLANDiscoveryReply else { return [] }
        var order: [String] = []
        var frames: [String: [Int]] = [:]
        for reply in record.dhcpReplies where reply.announcedVLAN == nil {
            for entry in reply.vlanDiscovery {
                guard case .failure(let error) = entry.result else { continue }
                let key = "option \(entry.option) (byte \(error.offset): \(error.detail))"
                if frames[key] == nil { order.append(key) }
                frames[key, default: []].append(reply.frame)
            }
        }
        return order.map { key in
            Finding(
                code: .vlanOptionMalformed, severity: .warning,
                message: """
                    the DHCP reply's \(key) is not a valid VLAN-A= string: the phone ignores it and stays on \
                    the VLAN it is on
                    """,
                hint: """
                    Write it as the phone reads it: VLAN-A= (case-sensitive), VLAN IDs 0-4095 in decimal, 0x hex \
                    or leading-0 octal joined by +, then ; with no space before it, e.g. VLAN-A=120;
                    """,
                frames: frames[key] ?? []
            )
        }
    }

    /// `vlan-conflict`: LLDP/CDP and DHCP name different voice VLANs.
    static let vlanConflict = FindingRule(
        code: .vlanConflict, severity: .warning,
        summary: "LLDP-MED or CDP and a DHCP VLAN-A= string name different voice VLANs; LLDP/CDP win."
    ) { record in
        guard let (announcement, switchVLAN) = record.announcedVoiceVLAN else { return [] }
        let disagreeing = record.dhcpReplies.compactMap { reply in
            reply.announcedVLAN.flatMap { $0.vlan == switchVLAN ? nil : (reply, $0) }
        }
        guard let (reply, (option, vlan)) = disagreeing.first else { return [] }
        return [
            Finding(
                code: .vlanConflict, severity: .warning,
                message: """
                    \(announcement.protocolName) from \(announcement.name ?? "the switch") announces voice VLAN \
                    \(switchVLAN), but DHCP option \(option) says VLAN-A=\(vlan) (\(reply.type?.description ?? "reply") \
                    #\(reply.frame)): the phone follows LLDP/CDP and ignores the DHCP value
                    """,
                hint: """
                    Make them agree, or set the VLAN one way only: Polycom says to disable LLDP/CDP on the switch \
                    port when DHCP sets the voice VLAN.
                    """,
                frames: [announcement.firstFrame] + disagreeing.map(\.0.frame)
            )
        ]
    }

    /// `voice-vlan-silent`: the switch announced a voice VLAN where no DHCP server answers.
    static let voiceVLANSilent = FindingRule(
        code: .voiceVLANSilent, severity: .error,
        summary: "The switch announced a voice VLAN and the phone's DISCOVERs on it got no OFFER."
    ) { record in
        guard let (announcement, vlan) = record.announcedVoiceVLAN else { return [] }
        let unanswered = record.transactions.filter { !$0.answered }.flatMap(\.requests).filter { $0.vlan == vlan }
        guard !unanswered.isEmpty else { return [] }
        return [
            Finding(
                code: .voiceVLANSilent, severity: .error,
                message: """
                    \(announcement.protocolName) from \(announcement.name ?? "the switch") (#\(announcement.firstFrame)) \
                    gave the phone voice VLAN \(vlan); its \(unanswered.count) DHCP request\(plural(unanswered.count)) \
                    on VLAN \(vlan) got no answer\(record.captureLossClause)
                    """,
                hint: """
                    Nothing answers DHCP on VLAN \(vlan): add a scope or a relay (ip helper-address) on VLAN \(vlan), \
                    or correct the voice VLAN the switch port announces.
                    """,
                frames: [announcement.firstFrame] + unanswered.map(\.frame)
            )
        ]
    }

    /// `vlan-loop`: VLAN-A= sends the phone to a VLAN where nobody answers, and it comes back.
    static let vlanLoop = FindingRule(
        code: .vlanLoop, severity: .error,
        summary: "DHCP gave VLAN-A=, the phone's DISCOVERs on that VLAN went unanswered, and it came back."
    ) { record in
        // Only a reply that announced a VLAN can start a loop.
        guard record.hasVLANDiscoveryReply else { return [] }
        let requests = record.transactions.flatMap { transaction in
            transaction.requests.map { (message: $0, answered: transaction.answered) }
        }.sorted { $0.message.frame < $1.message.frame }
        for reply in record.dhcpReplies {
            guard let (option, target) = reply.announcedVLAN, reply.vlan != target else { continue }
            let lost = requests.filter { $0.message.frame > reply.frame && $0.message.vlan == target && !$0.answered }
            guard let last = lost.last,
                let back = requests.first(where: {
                    $0.message.frame > last.message.frame && $0.message.vlan == reply.vlan
                })
            else { continue }
            return [
                Finding(
                    code: .vlanLoop, severity: .error,
                    message: """
                        DHCP on \(vlanName(reply.vlan)) gave VLAN-A=\(target) (option \(option), #\(reply.frame)), the \
                        phone's \(lost.count) request\(plural(lost.count)) on VLAN \(target) got no answer, and it came \
                        back to \(vlanName(reply.vlan)) (#\(back.message.frame)): a VLAN discovery loop
                        """,
                    hint: """
                        Serve DHCP on VLAN \(target) (a scope, or ip helper-address on its interface), or stop \
                        sending VLAN-A=\(target) on \(vlanName(reply.vlan)).
                        """,
                    frames: [reply.frame] + lost.map(\.message.frame) + [back.message.frame]
                )
            ]
        }
        return []
    }
}
