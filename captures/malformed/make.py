#!/usr/bin/env python3
"""Writes the malformed-input captures of captures/malformed/ (classic pcap, Ethernet).

Each capture is one Polycom VVX booting (DISCOVER/OFFER/REQUEST/ACK with the binary option 60
and the option 55 a VVX 410 sends, then its TFTP or FTP fetches) with one thing wrong in it.
Everything is built here byte by byte, with correct IPv4/UDP/TCP checksums unless a case says
otherwise, from fixed timestamps and contents: the same run writes the same bytes.

    captures/malformed/make.py                 # every capture
    captures/malformed/make.py tftp-wrap       # one (name without .pcap)

Addresses only from 192.0.2.0/24; MACs 00:04:f2:xx (Polycom's OUI). Python 3 stdlib only.
"""

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EPOCH = 1767261600  # 2026-01-01 10:00:00 UTC

SERVER_MAC = bytes.fromhex("525400c00201")
SERVER_IP = "192.0.2.1"
BROADCAST_MAC = b"\xff" * 6

# What a VVX 410 sends: option 55 (1 28 2 3 15 6 12 66 160) and the binary option 60
# (enterprise 13885, sub-options company, model, part number, application, BootROM).
PARAMETER_REQUEST_LIST = bytes([1, 28, 2, 3, 15, 6, 12, 66, 160])
VENDOR_CLASS = bytes.fromhex(
    "0000363d680107506f6c79636f6d020b5656582d5656585f3431300310333131312d34363136322d3030312c31"
    "041e5349502f352e392e352e303631342f31312d4665622d32302031303a3334051d55502f352e392e352e3036"
    "31342f31312d4665622d32302031303a3230ff"
)


# MARK: - Checksums and headers

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip_bytes(address):
    return bytes(int(part) for part in address.split("."))


def mac_bytes(mac):
    return bytes.fromhex(mac.replace(":", ""))


class IPIDs:
    """IPv4 identification numbers, one counter per sender, as a kernel keeps them."""

    def __init__(self):
        self.next = {}

    def take(self, source):
        value = self.next.get(source, 0x1000 + sum(ip_bytes(source)) * 7)
        self.next[source] = (value + 1) & 0xFFFF
        return value


IDS = IPIDs()


def ipv4(source, destination, protocol, payload):
    header = struct.pack(
        "!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), IDS.take(source), 0x4000 if protocol == 6 else 0,
        64, protocol, 0, ip_bytes(source), ip_bytes(destination),
    )
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def udp(source, source_port, destination, destination_port, payload):
    length = 8 + len(payload)
    pseudo = ip_bytes(source) + ip_bytes(destination) + struct.pack("!BBH", 0, 17, length)
    header = struct.pack("!HHHH", source_port, destination_port, length, 0)
    value = checksum(pseudo + header + payload) or 0xFFFF
    return ipv4(source, destination, 17, header[:6] + struct.pack("!H", value) + payload)


def ethernet(source_mac, destination_mac, packet):
    return destination_mac + source_mac + b"\x08\x00" + packet


class Capture:
    """Frames with their times; written as classic pcap (microseconds, LINKTYPE_ETHERNET)."""

    def __init__(self, name, snaplen=262144):
        self.name = name
        self.snaplen = snaplen
        self.time = 0.0
        self.frames = []
        IDS.next.clear()  # each capture numbers its IPv4 IDs afresh: one case alone = all cases

    def add(self, frame, after=0.0002):
        self.time += after
        self.frames.append((round(self.time * 1_000_000), frame))

    def write(self):
        path = os.path.join(HERE, self.name + ".pcap")
        with open(path, "wb") as out:
            out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, self.snaplen, 1))
            for micros, frame in self.frames:
                kept = frame[: self.snaplen]
                seconds, fraction = divmod(micros, 1_000_000)
                out.write(struct.pack("<IIII", EPOCH + seconds, fraction, len(kept), len(frame)))
                out.write(kept)
        print("wrote %s (%d frames, %d bytes)" % (os.path.relpath(path), len(self.frames), os.path.getsize(path)))


# MARK: - DHCP

def option(code, value):
    return bytes([code, len(value)]) + value


def dhcp_message(op, xid, mac, yiaddr="0.0.0.0", siaddr="0.0.0.0", options=b"", sname=b"", file=b"", end=True):
    fixed = struct.pack(
        "!BBBBIHH4s4s4s4s16s64s128s", op, 1, 6, 0, xid, 0, 0, ip_bytes("0.0.0.0"), ip_bytes(yiaddr),
        ip_bytes(siaddr), ip_bytes("0.0.0.0"), mac_bytes(mac), sname, file,
    )
    body = fixed + b"\x63\x82\x53\x63" + options + (b"\xff" if end else b"")
    # Pad to the 300-byte BOOTP minimum, as clients and servers do.
    return body + b"\0" * max(0, 300 - len(body))


class Phone:
    """One phone and the server it boots from, writing frames into a capture."""

    def __init__(self, capture, mac, ip, xid):
        self.capture = capture
        self.mac = mac
        self.ip = ip
        self.xid = xid

    def client_dhcp(self, kind, requested=None, after=0.0002):
        options = option(53, bytes([kind]))
        if requested:
            options += option(54, ip_bytes(SERVER_IP)) + option(50, ip_bytes(requested))
        options += option(55, PARAMETER_REQUEST_LIST) + option(60, VENDOR_CLASS)
        message = dhcp_message(1, self.xid, self.mac, options=options)
        packet = udp("0.0.0.0", 68, "255.255.255.255", 67, message)
        self.capture.add(ethernet(mac_bytes(self.mac), BROADCAST_MAC, packet), after)

    def server_options(self, kind, boot):
        """The options dnsmasq sends in an OFFER/ACK, then the boot options `boot` (bytes)."""
        return (
            option(53, bytes([kind])) + option(54, ip_bytes(SERVER_IP)) + option(51, struct.pack("!I", 3600))
            + option(58, struct.pack("!I", 1800)) + option(59, struct.pack("!I", 3150))
            + option(1, ip_bytes("255.255.255.0")) + option(28, ip_bytes("192.0.2.255"))
            + option(3, ip_bytes(SERVER_IP)) + boot
        )

    def server_dhcp(self, message, after=0.0005):
        packet = udp(SERVER_IP, 67, self.ip, 68, message)
        self.capture.add(ethernet(SERVER_MAC, mac_bytes(self.mac), packet), after)

    def server_reply(self, kind, boot, after=0.0005, **fields):
        message = dhcp_message(2, self.xid, self.mac, yiaddr=self.ip, siaddr=SERVER_IP, options=self.server_options(kind, boot), **fields)
        self.server_dhcp(message, after)

    def lease(self, boot):
        """A plain DORA that hands out `boot`."""
        self.client_dhcp(1, after=0.0)
        self.server_reply(2, boot)
        self.client_dhcp(3, requested=self.ip)
        self.server_reply(5, boot, after=0.008)

    # MARK: TFTP

    def tftp(self, from_phone, client_port, server_port, payload, after=0.0001):
        if from_phone:
            packet = udp(self.ip, client_port, SERVER_IP, server_port, payload)
            frame = ethernet(mac_bytes(self.mac), SERVER_MAC, packet)
        else:
            packet = udp(SERVER_IP, server_port, self.ip, client_port, payload)
            frame = ethernet(SERVER_MAC, mac_bytes(self.mac), packet)
        self.capture.add(frame, after)

    def read(self, file, content, client_port, server_port, blksize=512, windowsize=None, events=None, after=0.04):
        """An RRQ with options, the OACK, ACK 0, then DATA/ACK (per window) to the end.

        `events` maps a block number to a function `(send_data, send_ack) -> bool` that
        replaces that block's normal exchange; it returns False to stop the transfer there.
        """
        options = [b"tsize", b"0", b"blksize", str(blksize).encode(), b"timeout", b"5"]
        if windowsize:
            options += [b"windowsize", str(windowsize).encode()]
        self.tftp(True, client_port, 69, b"\x00\x01" + file.encode() + b"\0octet\0" + b"\0".join(options) + b"\0", after)
        accepted = [b"blksize", str(blksize).encode(), b"tsize", str(len(content)).encode()]
        if windowsize:
            accepted += [b"windowsize", str(windowsize).encode()]
        self.tftp(False, client_port, server_port, b"\x00\x06" + b"\0".join(accepted) + b"\0")
        self.tftp(True, client_port, server_port, b"\x00\x04\x00\x00")
        count = len(content) // blksize + 1
        window = windowsize or 1

        def send_data(block, after=0.0001):
            data = content[(block - 1) * blksize: block * blksize]
            self.tftp(False, client_port, server_port, struct.pack("!HH", 3, block & 0xFFFF) + data, after)

        def send_ack(block, after=0.0001):
            self.tftp(True, client_port, server_port, struct.pack("!HH", 4, block & 0xFFFF), after)

        for block in range(1, count + 1):
            if events and block in events:
                if not events[block](send_data, send_ack):
                    return
                continue
            send_data(block, after=0.00002 if window > 1 else 0.0001)
            if block % window == 0 or block == count:
                send_ack(block)

    def rrq_no_options(self, file, client_port, after=0.04):
        self.tftp(True, client_port, 69, b"\x00\x01" + file.encode() + b"\0octet\0", after)


class TCPConnection:
    """A TCP connection between the phone and the server, segment by segment."""

    def __init__(self, phone, client_port, server_port, client_isn, server_isn):
        self.phone = phone
        self.client_port = client_port
        self.server_port = server_port
        self.seq = {True: client_isn, False: server_isn}

    def segment(self, from_phone, flags, payload=b"", after=0.0002):
        phone = self.phone
        source, destination = (phone.ip, SERVER_IP) if from_phone else (SERVER_IP, phone.ip)
        source_port, destination_port = (self.client_port, self.server_port) if from_phone else (self.server_port, self.client_port)
        seq = self.seq[from_phone]
        ack = self.seq[not from_phone] if flags & 0x10 else 0
        header = struct.pack("!HHIIBBHHH", source_port, destination_port, seq, ack, 5 << 4, flags, 64240, 0, 0)
        pseudo = ip_bytes(source) + ip_bytes(destination) + struct.pack("!BBH", 0, 6, len(header) + len(payload))
        value = checksum(pseudo + header + payload)
        segment = header[:16] + struct.pack("!H", value) + header[18:] + payload
        frame_source, frame_destination = (mac_bytes(phone.mac), SERVER_MAC) if from_phone else (SERVER_MAC, mac_bytes(phone.mac))
        phone.capture.add(ethernet(frame_source, frame_destination, ipv4(source, destination, 6, segment)), after)
        self.seq[from_phone] = (seq + len(payload) + (1 if flags & 0x03 else 0)) & 0xFFFFFFFF

    def open(self, after=0.002):
        self.segment(True, 0x02, after=after)   # SYN
        self.segment(False, 0x12)               # SYN ACK
        self.segment(True, 0x10)                # ACK

    def send(self, from_phone, payload, after=0.0005):
        self.segment(from_phone, 0x18, payload, after)  # PSH ACK

    def ack(self, from_phone, after=0.0001):
        self.segment(from_phone, 0x10, after=after)

    def close(self, first_from_phone, after=0.0005):
        self.segment(first_from_phone, 0x11, after=after)  # FIN ACK
        self.segment(not first_from_phone, 0x11)
        self.segment(first_from_phone, 0x10)


def config_file(mac, size):
    """A master-config-like text of exactly `size` bytes."""
    text = ('<?xml version="1.0" standalone="yes"?>\n<APPLICATION APP_FILE_PATH="3111-46162-001.sip.ld" '
            'CONFIG_FILES="%s-phone.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="" />\n' % mac.replace(":", ""))
    text = text.encode()
    return (text + b"<!-- " + b"x" * size)[: size - 5] + b" -->\n" if size > len(text) + 10 else text[:size]


def image(size, seed):
    """Deterministic image bytes."""
    return bytes((i * 31 + seed + (i >> 8)) & 0xFF for i in range(size))


# MARK: - The cases

def boot_tftp():
    return option(160, b"tftp://" + SERVER_IP.encode()) + option(66, SERVER_IP.encode())


def dhcp_snaplen():
    """Recorded with `tcpdump -s 340`: DHCP frames (357 and 408+ bytes) lose the end of their
    options, cut inside option 60 (the phone's) and inside option 160 (the server's). The TFTP
    fetches: a 200-byte `<mac>.cfg` fits under the snap length; `<mac>-phone.cfg`, 1 636 bytes,
    comes in three 512-byte blocks the capture cuts to 294 bytes of data, then 100 bytes."""
    capture = Capture("dhcp-snaplen", snaplen=340)
    phone = Phone(capture, "00:04:f2:00:00:01", "192.0.2.101", 0x6D310001)
    phone.lease(boot_tftp())
    phone.read("0004f2000001.cfg", config_file("0004f2000001", 200), 40001, 50001)
    phone.read("0004f2000001-phone.cfg", config_file("0004f2000001", 3 * 512 + 100), 40002, 50002, after=0.02)
    capture.write()


def dhcp_option_overrun():
    """The first OFFER ends with option 43 claiming 40 bytes where 6 are left (no end option),
    as a broken relay or server writes it: the phone ignores it and retransmits DISCOVER; the
    second OFFER is sound and the boot goes on."""
    capture = Capture("dhcp-option-overrun")
    phone = Phone(capture, "00:04:f2:00:00:02", "192.0.2.102", 0x6D310002)
    phone.client_dhcp(1, after=0.0)
    broken = dhcp_message(
        2, phone.xid, phone.mac, yiaddr=phone.ip, siaddr=SERVER_IP,
        options=phone.server_options(2, boot_tftp()) + bytes([43, 40]) + b"\x01\x04abcd", end=False,
    )
    phone.server_dhcp(broken)
    phone.client_dhcp(1, after=4.0)
    phone.server_reply(2, boot_tftp())
    phone.client_dhcp(3, requested=phone.ip)
    phone.server_reply(5, boot_tftp(), after=0.008)
    phone.read("0004f2000002.cfg", config_file("0004f2000002", 347), 40002, 50002)
    capture.write()


def dhcp_overload_loop():
    """Option 52 (RFC 2132 §9.3) gone wrong twice, then right: the first OFFER overloads
    `file` (52 = 1) and `file` holds option 52 again; the retransmitted DISCOVER's OFFER
    overloads both fields (52 = 3) and `sname` names 52 once more. The third OFFER and the ACK
    overload `file` correctly: 160 and 66 live there, and the phone boots from them."""
    capture = Capture("dhcp-overload-loop")
    phone = Phone(capture, "00:04:f2:00:00:03", "192.0.2.103", 0x6D310003)

    def area(content, size):
        return (content + b"\xff").ljust(size, b"\0")

    phone.client_dhcp(1, after=0.0)
    looping_file = area(option(52, b"\x01") + option(66, SERVER_IP.encode()), 128)
    phone.server_dhcp(dhcp_message(
        2, phone.xid, phone.mac, yiaddr=phone.ip, siaddr=SERVER_IP,
        options=phone.server_options(2, option(52, b"\x01")), file=looping_file,
    ))
    phone.client_dhcp(1, after=4.0)
    phone.server_dhcp(dhcp_message(
        2, phone.xid, phone.mac, yiaddr=phone.ip, siaddr=SERVER_IP,
        options=phone.server_options(2, option(52, b"\x03")),
        file=area(option(66, SERVER_IP.encode()), 128), sname=area(option(52, b"\x02"), 64),
    ))
    phone.client_dhcp(1, after=8.0)
    good_file = area(option(160, b"tftp://" + SERVER_IP.encode()) + option(66, SERVER_IP.encode()), 128)
    for kind, after in ((2, 0.0005), (3, 0.0002), (5, 0.008)):
        if kind == 3:
            phone.client_dhcp(3, requested=phone.ip, after=after)
            continue
        phone.server_dhcp(dhcp_message(
            2, phone.xid, phone.mac, yiaddr=phone.ip, siaddr=SERVER_IP,
            options=phone.server_options(kind, option(52, b"\x01")), file=good_file,
        ), after)
    phone.read("0004f2000003.cfg", config_file("0004f2000003", 347), 40003, 50003)
    capture.write()


def dhcp_empty_boot_options():
    """The ACK carries option 160 and option 66 with length 0 (RFC 2132 §9.4 wants at least 1):
    no boot server at all. The phone falls back to the server in its flash, 192.0.2.1."""
    capture = Capture("dhcp-empty-boot-options")
    phone = Phone(capture, "00:04:f2:00:00:04", "192.0.2.104", 0x6D310004)
    phone.lease(option(160, b"") + option(66, b""))
    phone.read("0004f2000004.cfg", config_file("0004f2000004", 347), 40004, 50004, after=2.0)
    capture.write()


def tftp_wrap():
    """A 524 291-byte image under blksize 8 (the smallest RFC 2348 allows): 65 537 blocks, the
    block number wraps from 65535 to 0 and ends on block 1 (of the second round), 3 bytes.
    RFC 7440 windowsize 64 (one ACK per 64 blocks) keeps the file near 4.6 MB; lockstep
    would double it."""
    capture = Capture("tftp-wrap")
    phone = Phone(capture, "00:04:f2:00:00:05", "192.0.2.105", 0x6D310005)
    phone.lease(boot_tftp())
    phone.read("3111-46162-001.sip.ld", image(65536 * 8 + 3, 5), 40005, 50005, blksize=8, windowsize=64)
    capture.write()


def tftp_duplicates():
    """A lossy link under a lockstep (windowsize 1) read of 21 blocks (20 of 512, then 100 bytes):
    block 3's ACK is lost, the server sends DATA 3 again, the phone ACKs it again;
    block 6's ACK is late, so DATA 6 is sent twice and the phone ACKs both copies (the server,
    as RFC 1123 §4.2.3.1 wants, answers only the first ACK); the retransmitted DATA 10 is delayed past DATA 11 (an old
    copy arriving out of order); DATA 15 and 16 are written to the capture swapped (a tap
    that merges two directions), so 16 is seen before 15. Every block's bytes count once."""
    capture = Capture("tftp-duplicates")
    phone = Phone(capture, "00:04:f2:00:00:06", "192.0.2.106", 0x6D310006)
    phone.lease(boot_tftp())
    content = image(20 * 512 + 100, 6)

    def lost_ack(data, ack):
        data(3)
        ack(3)
        data(3, after=1.0)  # the server's timeout
        ack(3)
        return True

    def late_ack(data, ack):
        data(6)
        data(6, after=1.0)
        ack(6)
        ack(6)
        return True

    def delayed_copy(data, ack):
        data(10)
        ack(10, after=1.0)
        data(11)
        data(10, after=0.00005)  # the retransmission of 10, delayed in the network
        ack(10)
        ack(11)
        return True

    def swapped(data, ack):
        data(16)
        data(15, after=0.00001)
        ack(15)
        ack(16)
        return True

    phone.read(
        "3111-46162-001.sip.ld", content, 40006, 50006,
        events={3: lost_ack, 6: late_ack, 10: delayed_copy, 11: lambda d, a: True,
                15: swapped, 16: lambda d, a: True},
    )
    capture.write()


def tftp_error_midway():
    """Two transfers stopped by the server: the image read ends after 6 blocks of 512 with
    ERROR 0 "File changed during transfer"; then the phone's upload of its boot log (WRQ)
    ends after 4 blocks with ERROR 3 "Disk full or allocation exceeded"."""
    capture = Capture("tftp-error-midway")
    phone = Phone(capture, "00:04:f2:00:00:07", "192.0.2.107", 0x6D310007)
    phone.lease(boot_tftp())
    phone.read("0004f2000007.cfg", config_file("0004f2000007", 347), 40007, 50007)

    def error_after_six(data, ack):
        phone.tftp(False, 40008, 50008, b"\x00\x05\x00\x00File changed during transfer\x00")
        return False

    phone.read("3111-46162-001.sip.ld", image(40 * 512, 7), 40008, 50008, events={7: error_after_six})
    # The upload: WRQ, ACK 0 from the server's new port, DATA/ACK, then ERROR 3.
    log = b"".join(b"0101000000|boot  |5|00|line %04d of the boot log, padding padding\n" % i for i in range(40))
    phone.tftp(True, 40009, 69, b"\x00\x02" + b"0004f2000007-boot.log\0octet\0", after=0.5)
    phone.tftp(False, 40009, 50009, b"\x00\x04\x00\x00")
    for block in range(1, 5):
        phone.tftp(True, 40009, 50009, struct.pack("!HH", 3, block) + log[(block - 1) * 512: block * 512])
        phone.tftp(False, 40009, 50009, struct.pack("!HH", 4, block))
    phone.tftp(True, 40009, 50009, struct.pack("!HH", 3, 5) + log[4 * 512: 5 * 512])
    phone.tftp(False, 40009, 50009, b"\x00\x05\x00\x03Disk full or allocation exceeded\x00")
    capture.write()


def ftp_split_replies():
    """FTP (160 ftp://PlcmSpIp:PlcmSpIp@192.0.2.1) whose control replies are cut across TCP
    segments: the multi-line 220- banner in three pieces (one cut inside a line), "550 " in one
    segment and the rest of the reply in the next, a 150 and a 226 cut between CR and LF.
    `<mac>.cfg` is missing (550); `000000000000.cfg` comes over a passive data connection."""
    capture = Capture("ftp-split-replies")
    phone = Phone(capture, "00:04:f2:00:00:08", "192.0.2.108", 0x6D310008)
    phone.lease(option(160, b"ftp://PlcmSpIp:PlcmSpIp@" + SERVER_IP.encode()))
    control = TCPConnection(phone, 41008, 21, 0x10000000, 0x20000000)
    control.open(after=0.05)
    for piece in (b"220-Welcome to the provisioning server.\r\n220-Polycom pho",
                  b"nes only.\r\n", b"220 Ready.\r\n"):
        control.send(False, piece, after=0.0003)
        control.ack(True)

    def exchange(command, replies):
        control.send(True, command)
        for piece in replies:
            control.send(False, piece, after=0.0003)
            control.ack(True)

    exchange(b"USER PlcmSpIp\r\n", [b"331 Please specify the password.\r\n"])
    exchange(b"PASS PlcmSpIp\r\n", [b"230 Login successful.\r\n"])
    exchange(b"TYPE I\r\n", [b"200 Switching to Binary mode.\r\n"])
    exchange(b"EPSV\r\n", [b"229 Entering Extended Passive Mode (|||30001|)\r\n"])
    data = TCPConnection(phone, 41009, 30001, 0x30000000, 0x40000000)
    data.open(after=0.0003)
    exchange(b"RETR 0004f2000008.cfg\r\n", [b"550 ", b"Failed to open file.\r\n"])
    data.close(False)
    exchange(b"EPSV\r\n", [b"229 Entering Extended Passive Mode (|||30002|)\r\n"])
    data = TCPConnection(phone, 41010, 30002, 0x50000000, 0x60000000)
    data.open(after=0.0003)
    content = config_file("000000000000", 338)
    control.send(True, b"RETR 000000000000.cfg\r\n")
    control.send(False, b"150 Opening BINARY mode data connection for 000000000000.cfg (338 bytes).\r", after=0.0003)
    control.ack(True)
    data.send(False, content, after=0.0002)
    data.ack(True)
    data.close(False)
    control.send(False, b"\n226 Transfer", after=0.0003)
    control.ack(True)
    control.send(False, b" complete.\r\n", after=0.0003)
    control.ack(True)
    exchange(b"QUIT\r\n", [b"221 Goodbye.\r\n"])
    control.close(False)
    capture.write()


CASES = {
    "dhcp-snaplen": dhcp_snaplen,
    "dhcp-option-overrun": dhcp_option_overrun,
    "dhcp-overload-loop": dhcp_overload_loop,
    "dhcp-empty-boot-options": dhcp_empty_boot_options,
    "tftp-wrap": tftp_wrap,
    "tftp-duplicates": tftp_duplicates,
    "tftp-error-midway": tftp_error_midway,
    "ftp-split-replies": ftp_split_replies,
}

if __name__ == "__main__":
    names = sys.argv[1:] or list(CASES)
    for name in names:
        if name not in CASES:
            sys.exit("unknown capture %r: one of %s" % (name, ", ".join(CASES)))
        CASES[name]()
