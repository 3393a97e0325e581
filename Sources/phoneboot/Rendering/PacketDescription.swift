import BootAnalysis
import WireFormats

/// How `phoneboot packets` shows one DHCP or TFTP packet: as a line of text or as JSON.
///
/// Boot-server strings are shown with any password masked (`ftp://PlcmSpIp:***@host`), and
/// raw option bytes are never printed, so no output carries a credential.
struct PacketDescription {
    let packet: DecodedPacket
    /// Nanoseconds since the first frame of the file.
    let relativeTime: Int64
    /// The DHCP options read for a `VLAN-A=` string, in order (``VLANDiscoveryString``).
    var vlanOptions: [DHCPOptionCode]? = VLANDiscoveryString.fixedOptions

    /// A DHCP message left undecoded by its classifier is shown decoded.
    init(packet: DecodedPacket, relativeTime: Int64) {
        var packet = packet
        packet.content = packet.content.decodingDHCP()
        self.packet = packet
        self.relativeTime = relativeTime
    }

    /// LLDP and CDP frames have MAC addresses, not IP ones.
    private var isLinkLayer: Bool {
        switch self.packet.content {
        case .discovery: true
        case .malformed(let proto, _): proto.isLinkDiscovery
        default: false
        }
    }

    // MARK: - Text

    var line: String {
        var parts: [String] = []
        parts.append(leftPad(String(self.packet.frameNumber), 6))
        parts.append(leftPad(TimeFormat.relative(nanoseconds: self.relativeTime), 11))
        parts.append(self.endpoints)
        if !self.packet.vlans.isEmpty { parts.append("vlan \(self.packet.vlans)") }
        if let tunnel = self.packet.tunnel { parts.append("in \(tunnel)") }
        switch self.packet.content {
        case .dhcp(let message):
            parts.append(contentsOf: Self.dhcpFields(message))
            if let vlanOptions = self.vlanOptions { parts.append(contentsOf: Self.vlanFields(message, vlanOptions)) }
        case .discovery(let discovery): parts.append(contentsOf: Self.discoveryFields(discovery))
        case .tftp(let tftp): parts.append(contentsOf: Self.tftpFields(tftp))
        case .malformed(let proto, let error): parts.append("\(proto.rawValue) MALFORMED \(error)")
        case .fragment(let proto): parts.append("\(proto.rawValue) IP FRAGMENT (first piece only; not decoded)")
        case .tcp(let segment): parts.append("TCP \(segment.payloadLength) bytes")
        case .dhcpUndecoded: break  // not reached: decoded when the description was made
        }
        return parts.joined(separator: "  ")
    }

    private var endpoints: String {
        let mac = self.packet.sourceMAC.map { "\($0) " } ?? ""
        if self.isLinkLayer { return "\(mac)> \(self.packet.destinationMAC?.description ?? "?")" }
        return
            "\(mac)\(self.packet.source):\(self.packet.sourcePort) > \(self.packet.destination):\(self.packet.destinationPort)"
    }

    private static func dhcpFields(_ message: DHCPMessage) -> [String] {
        let options = message.options
        var fields: [String] = []
        let kind = message.messageType.map { "DHCP \($0)" } ?? (message.isRequest ? "BOOTP request" : "BOOTP reply")
        fields.append(kind)
        fields.append("xid \(hex32(message.transactionID))")
        if let mac = message.clientMAC { fields.append("chaddr \(mac)") }
        if message.clientAddress != .any { fields.append("ciaddr \(message.clientAddress)") }
        if message.yourAddress != .any { fields.append("yiaddr \(message.yourAddress)") }
        if message.relayAddress != .any { fields.append("giaddr \(message.relayAddress) hops \(message.hops)") }
        if let server = options.serverIdentifier { fields.append("server \(server)") }
        if let list = options.parameterRequestList {
            fields.append("asks " + list.map(\.description).joined(separator: ","))
            let boot = [DHCPOptionCode.tftpServerName, .tftpServerAddress, .polycomBootServer].filter(list.contains)
            if !boot.isEmpty { fields.append("(boot: \(boot.map(\.description).joined(separator: ",")))") }
        }
        if let vendor = options.vendorClass { fields.append("60 vendor-class \"\(escape(vendor.description))\"") }
        if let value = options.polycomBootServer {
            fields.append("160 boot-server(Polycom) \"\(escape(BootServerString(value).masked))\"")
        }
        if let value = options.tftpServerName {
            fields.append("66 tftp-server \"\(escape(BootServerString(value).masked))\"")
        }
        if let value = options.bootfileName { fields.append("67 bootfile \"\(escape(value))\"") }
        if let value = options.tftpServerAddresses {
            fields.append("150 tftp-servers " + value.map(\.description).joined(separator: ","))
        }
        if let file = message.bootFileName, !file.isEmpty { fields.append("file \"\(escape(file))\"") }
        if let relay = options.relayAgentInformation {
            fields.append("82 " + relay.subOptions.map { "\($0.code)=\(hexString($0.data))" }.joined(separator: ","))
        }
        let errors = options.validationErrors
        if !errors.isEmpty { fields.append("bad options: " + errors.joined(separator: "; ")) }
        return fields
    }

    /// The VLAN discovery options present: what each says, or why the phone rejects it.
    private static func vlanFields(_ message: DHCPMessage, _ options: [DHCPOptionCode]) -> [String] {
        VLANDiscoveryLookup(message.options, options: options).entries.map { entry in
            switch entry.result {
            case .success(let value):
                "\(entry.option) VLAN-A \(value.vlanIDs.map(String.init).joined(separator: "+"))"
            case .failure(let error):
                "\(entry.option) VLAN-A MALFORMED (\(error.detail))"
            }
        }
    }

    private static func discoveryFields(_ discovery: LinkDiscovery) -> [String] {
        switch discovery {
        case .lldp(let pdu):
            var fields = [
                "LLDP", "chassis \(escape(pdu.chassisID.description))", "port \(escape(pdu.portID.description))",
                "ttl \(pdu.timeToLive)",
            ]
            if let name = pdu.systemName { fields.append("name \"\(escape(name))\"") }
            if let text = pdu.systemDescription { fields.append("description \"\(escape(text))\"") }
            if pdu.isTelephone { fields.append("telephone") }
            if let vlan = pdu.portVLAN { fields.append("port-vlan \(vlan)") }
            if let med = pdu.med {
                if let deviceClass = med.deviceClassName { fields.append("MED \(deviceClass)") }
                for policy in med.networkPolicies { fields.append("policy \(policy)") }
                let inventory = [
                    ("manufacturer", med.manufacturer), ("model", med.model), ("hardware", med.hardwareRevision),
                    ("firmware", med.firmwareRevision), ("software", med.softwareRevision),
                    ("serial", med.serialNumber), ("asset", med.assetID),
                ]
                for case (let name, let value?) in inventory { fields.append("\(name) \"\(escape(value))\"") }
            }
            return fields
        case .cdp(let cdp):
            var fields = ["CDP v\(cdp.version)", "ttl \(cdp.timeToLive)"]
            if let value = cdp.deviceID { fields.append("device \"\(escape(value))\"") }
            if let value = cdp.portID { fields.append("port \"\(escape(value))\"") }
            if let value = cdp.platform { fields.append("platform \"\(escape(value))\"") }
            if let value = cdp.softwareVersion { fields.append("software \"\(escape(value))\"") }
            if cdp.isPhone { fields.append("phone") }
            if let vlan = cdp.nativeVLAN { fields.append("native-vlan \(vlan)") }
            if let voice = cdp.voiceVLANReply {
                fields.append("voice-vlan \(voice.vlanID) (appliance \(voice.applianceID))")
            }
            if let voice = cdp.voiceVLANQuery {
                fields.append("voice-vlan-query \(voice.vlanID) (appliance \(voice.applianceID))")
            }
            return fields
        }
    }

    private static func tftpFields(_ packet: TFTPPacket) -> [String] {
        switch packet {
        case .readRequest(let request), .writeRequest(let request):
            var fields = ["TFTP \(packet.name)", "\"\(escape(request.filename))\"", request.mode]
            if !request.options.isEmpty {
                fields.append(request.options.map { "\($0.name)=\($0.value)" }.joined(separator: " "))
            }
            return fields
        case .data(let block, let count):
            return ["TFTP DATA", "block \(block)", "\(count) bytes"]
        case .acknowledgment(let block):
            return ["TFTP ACK", "block \(block)"]
        case .error(let code, let message):
            return [
                "TFTP ERROR", "code \(code) (\(TFTPPacket.ErrorCode(rawValue: code).name))", "\"\(escape(message))\"",
            ]
        case .optionAcknowledgment(let options):
            return ["TFTP OACK", options.map { "\($0.name)=\($0.value)" }.joined(separator: " ")]
        }
    }

    // MARK: - JSON

    func json(seconds: Int64, nanoseconds: UInt32) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("frame", .int(self.packet.frameNumber)),
            ("time", .string(TimeFormat.iso8601(seconds: seconds, nanoseconds: nanoseconds))),
            ("relativeTime", .string(TimeFormat.relative(nanoseconds: self.relativeTime))),
            ("sourceMAC", .optional(self.packet.sourceMAC?.description)),
            ("destinationMAC", .optional(self.packet.destinationMAC?.description)),
            ("vlans", self.packet.vlans.isEmpty ? .null : .array(self.packet.vlans.ids.map { .int(Int($0)) })),
        ]
        if !self.isLinkLayer {
            members.append(("source", .string(self.packet.source.description)))
            members.append(("sourcePort", .int(Int(self.packet.sourcePort))))
            members.append(("destination", .string(self.packet.destination.description)))
            members.append(("destinationPort", .int(Int(self.packet.destinationPort))))
        }
        if let tunnel = self.packet.tunnel { members.append(("tunnel", Self.tunnelJSON(tunnel))) }
        switch self.packet.content {
        case .dhcp(let message):
            members.append(("protocol", .string("DHCP")))
            members.append(("dhcp", Self.dhcpJSON(message)))
            if let vlanOptions = self.vlanOptions {
                let entries = VLANDiscoveryLookup(message.options, options: vlanOptions).entries
                if !entries.isEmpty { members.append(("vlanDiscovery", ReportJSON.vlanDiscovery(entries))) }
            }
        case .discovery(.lldp(let pdu)):
            members.append(("protocol", .string("LLDP")))
            members.append(("lldp", Self.lldpJSON(pdu)))
        case .discovery(.cdp(let cdp)):
            members.append(("protocol", .string("CDP")))
            members.append(("cdp", Self.cdpJSON(cdp)))
        case .tftp(let tftp):
            members.append(("protocol", .string("TFTP")))
            members.append(("tftp", Self.tftpJSON(tftp)))
        case .fragment(let proto):
            members.append(("protocol", .string(proto.rawValue)))
            members.append(("fragment", .bool(true)))
        case .tcp(let segment):
            members.append(("protocol", .string("TCP")))
            members.append(("payloadLength", .int(segment.payloadLength)))
        case .malformed(let proto, let error):
            members.append(("protocol", .string(proto.rawValue)))
            members.append(
                (
                    "error",
                    .object([
                        ("code", .string(error.code.description)), ("layer", .string(error.layer)),
                        ("field", .string(error.field)), ("offset", .int(error.offset)),
                        ("detail", .string(error.detail)),
                    ])
                ))
        case .dhcpUndecoded: break  // not reached: decoded when the description was made
        }
        return .object(members)
    }

    private static func dhcpJSON(_ message: DHCPMessage) -> JSONValue {
        let options = message.options
        var vendor: JSONValue = .null
        switch options.vendorClass {
        case .polycom(let block)?:
            vendor = .object([
                ("form", .string("polycom-binary")), ("company", .optional(block.company)),
                ("model", .optional(block.model)), ("partNumber", .optional(block.partNumber)),
                ("hardwareRevision", .optional(block.hardwareRevision)),
                ("applicationVersion", .optional(block.applicationVersion)),
                ("bootROMVersion", .optional(block.bootROMVersion)),
            ])
        case .text(let text)?:
            vendor = .object([("form", .string("text")), ("value", .string(text))])
        case .binary(let bytes)?:
            vendor = .object([("form", .string("binary")), ("hex", .string(hexString(bytes)))])
        case nil:
            break
        }
        var relay: JSONValue = .null
        if let info = options.relayAgentInformation {
            relay = .array(
                info.subOptions.map {
                    .object([("code", .int(Int($0.code.rawValue))), ("hex", .string(hexString($0.data)))])
                })
        }
        let areaOptions: [DHCPOption]
        if case .options(let area) = message.vendorArea { areaOptions = area.options } else { areaOptions = [] }
        let all = areaOptions + (message.fileOptions?.options ?? []) + (message.serverNameOptions?.options ?? [])
        return .object([
            ("op", .string(message.isRequest ? "request" : "reply")),
            ("messageType", .optional(message.messageType?.description)),
            ("xid", .string(hex32(message.transactionID))),
            ("clientMAC", .optional(message.clientMAC?.description)),
            ("hops", .int(Int(message.hops))),
            ("secs", .int(Int(message.seconds))),
            ("broadcast", .bool(message.isBroadcast)),
            ("ciaddr", .string(message.clientAddress.description)),
            ("yiaddr", .string(message.yourAddress.description)),
            ("siaddr", .string(message.serverAddress.description)),
            ("giaddr", .string(message.relayAddress.description)),
            ("serverName", .optional(message.serverName.flatMap { $0.isEmpty ? nil : $0 })),
            ("bootFile", .optional(message.bootFileName.flatMap { $0.isEmpty ? nil : $0 })),
            (
                "requestedOptions",
                options.parameterRequestList.map { .array($0.map { .int(Int($0.rawValue)) }) } ?? .null
            ),
            ("vendorClass", vendor),
            ("polycomBootServer", .optional(options.polycomBootServer.map { BootServerString.masking($0) })),
            ("tftpServerName", .optional(options.tftpServerName.map { BootServerString.masking($0) })),
            ("bootfileName", .optional(options.bootfileName)),
            (
                "tftpServerAddresses",
                options.tftpServerAddresses.map { .array($0.map { .string($0.description) }) } ?? .null
            ),
            ("serverIdentifier", .optional(options.serverIdentifier?.description)),
            ("requestedIPAddress", .optional(options.requestedIPAddress?.description)),
            ("leaseTime", options.leaseTime.map { .int(Int($0)) } ?? .null),
            ("relayAgentInformation", relay),
            (
                "options",
                .array(
                    all.map {
                        .object([
                            ("code", .int(Int($0.code.rawValue))), ("name", .string($0.code.name)),
                            ("length", .int($0.data.count)),
                        ])
                    })
            ),
            (
                "optionErrors",
                options.validationErrors.isEmpty ? .null : .array(options.validationErrors.map(JSONValue.string))
            ),
        ])
    }

    private static func tunnelJSON(_ tunnel: Tunnel) -> JSONValue {
        .object([
            ("kind", .string(tunnel.kind.rawValue)), ("outerSource", .string(tunnel.outerSource.description)),
            ("outerDestination", .string(tunnel.outerDestination.description)),
            ("outerVLANs", tunnel.outerVLANs.isEmpty ? .null : .array(tunnel.outerVLANs.ids.map { .int(Int($0)) })),
            (tunnel.identifierName, tunnel.identifier.map { .int(Int($0)) } ?? .null),
            ("originalVLAN", tunnel.originalVLAN.map { .int(Int($0)) } ?? .null),
        ])
    }

    private static func lldpJSON(_ pdu: LLDPDU) -> JSONValue {
        func identifier(_ id: LLDPIdentifier) -> JSONValue {
            .object([
                ("subtype", .int(Int(id.subtype))), ("subtypeName", .string(id.subtypeName)),
                ("value", .string(id.description)),
            ])
        }
        var members: [(String, JSONValue)] = [
            ("chassisID", identifier(pdu.chassisID)), ("portID", identifier(pdu.portID)),
            ("timeToLive", .int(Int(pdu.timeToLive))), ("portDescription", .optional(pdu.portDescription)),
            ("systemName", .optional(pdu.systemName)), ("systemDescription", .optional(pdu.systemDescription)),
            ("systemCapabilities", pdu.systemCapabilities.map { .int(Int($0)) } ?? .null),
            ("enabledCapabilities", pdu.enabledCapabilities.map { .int(Int($0)) } ?? .null),
            ("telephone", .bool(pdu.isTelephone)), ("portVLAN", pdu.portVLAN.map { .int(Int($0)) } ?? .null),
        ]
        if let med = pdu.med {
            members.append(
                (
                    "med",
                    .object([
                        ("capabilities", med.capabilities.map { .int(Int($0)) } ?? .null),
                        ("deviceClass", med.deviceClass.map { .int(Int($0)) } ?? .null),
                        (
                            "networkPolicies",
                            .array(
                                med.networkPolicies.map {
                                    .object([
                                        ("application", .string($0.application.description)),
                                        ("applicationType", .int(Int($0.application.rawValue))),
                                        ("unknown", .bool($0.isUnknown)), ("tagged", .bool($0.isTagged)),
                                        ("vlanID", .int(Int($0.vlanID))), ("priority", .int(Int($0.priority))),
                                        ("dscp", .int(Int($0.dscp))),
                                    ])
                                })
                        ),
                        ("hardwareRevision", .optional(med.hardwareRevision)),
                        ("firmwareRevision", .optional(med.firmwareRevision)),
                        ("softwareRevision", .optional(med.softwareRevision)),
                        ("serialNumber", .optional(med.serialNumber)), ("manufacturer", .optional(med.manufacturer)),
                        ("model", .optional(med.model)), ("assetID", .optional(med.assetID)),
                    ])
                ))
        }
        return .object(members)
    }

    private static func cdpJSON(_ cdp: CDPPacket) -> JSONValue {
        func voice(_ value: CDPPacket.VoiceVLAN?) -> JSONValue {
            value.map {
                .object([("applianceID", .int(Int($0.applianceID))), ("vlanID", .int(Int($0.vlanID)))])
            } ?? .null
        }
        return .object([
            ("version", .int(Int(cdp.version))), ("timeToLive", .int(Int(cdp.timeToLive))),
            ("deviceID", .optional(cdp.deviceID)), ("portID", .optional(cdp.portID)),
            ("platform", .optional(cdp.platform)), ("softwareVersion", .optional(cdp.softwareVersion)),
            ("capabilities", cdp.capabilities.map { .int(Int($0)) } ?? .null), ("phone", .bool(cdp.isPhone)),
            ("nativeVLAN", cdp.nativeVLAN.map { .int(Int($0)) } ?? .null),
            ("voiceVLAN", voice(cdp.voiceVLANReply)), ("voiceVLANQuery", voice(cdp.voiceVLANQuery)),
        ])
    }

    private static func tftpJSON(_ packet: TFTPPacket) -> JSONValue {
        var members: [(String, JSONValue)] = [("opcode", .string(packet.name))]
        switch packet {
        case .readRequest(let request), .writeRequest(let request):
            members.append(("file", .string(request.filename)))
            members.append(("mode", .string(request.mode)))
            members.append(("options", .object(request.options.map { ($0.name, .string($0.value)) })))
        case .data(let block, let count):
            members.append(("block", .int(Int(block))))
            members.append(("bytes", .int(count)))
        case .acknowledgment(let block):
            members.append(("block", .int(Int(block))))
        case .error(let code, let message):
            members.append(("errorCode", .int(Int(code))))
            members.append(("errorName", .string(TFTPPacket.ErrorCode(rawValue: code).name)))
            members.append(("errorMessage", .string(message)))
        case .optionAcknowledgment(let options):
            members.append(("options", .object(options.map { ($0.name, .string($0.value)) })))
        }
        return .object(members)
    }
}

/// Control characters and quotes shown as escapes, so one packet is one line.
private func escape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            out += "\\x" + hexByte(UInt8(scalar.value))
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

private func leftPad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}
