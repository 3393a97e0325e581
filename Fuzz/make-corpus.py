#!/usr/bin/env python3
"""Seed corpora for the libFuzzer targets, cut from pcap/pcapng captures (stdlib only).

Usage: make-corpus.py OUTPUT_DIR CAPTURE_OR_DIR...

Writes OUTPUT_DIR/<target>/<sha1 of the seed>, one file per distinct seed:
  dhcp      UDP payloads to or from port 67/68
  decoders  whole frames, TFTP payloads (UDP to or from port 69, and UDP between the
            endpoints of a TFTP request) and TCP payloads to or from ports 21, 80, 443
  analyzer  the link type's index in LinkType.supported, then frames as
            [time step: 1 byte][length: 2 bytes big-endian][bytes] (see AnalyzerTarget.swift),
            in pieces of a few dozen frames
  proxy     a policy byte, then each DHCP payload as [kind][length: 2 bytes][bytes]:
            requests to the relay's client side (INFORMs to the responder as well),
            replies to its server side (see ProxyTarget.swift)
Prints the number of seeds per target. Files it cannot read are named and skipped.
"""

import hashlib
import os
import struct
import sys

# LinkType.supported, in its order (DLT values as libpcap returns them).
SUPPORTED_DLTS = [1, 113, 276, 12, 14, 228, 0, 108, 105, 127, 104]
# LINKTYPE_* in files that libpcap maps to another DLT_* value.
LINKTYPE_TO_DLT = {101: 12}

MAX_SEED = 32 * 1024
FRAMES_PER_ANALYZER_SEED = 48
ANALYZER_SEEDS_PER_CAPTURE = 6
FRAMES_PER_CAPTURE = 30
PAYLOADS_PER_CAPTURE = 40


def read_pcap(data):
    """Yields (link type, timestamp in ns, frame) from a classic pcap file."""
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        return
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    if len(data) < 24:
        return
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    offset = 24
    while offset + 16 <= len(data):
        seconds, fraction, caplen, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        offset += 16
        if caplen > len(data) - offset:
            return
        yield linktype, seconds * 10**9 + (fraction if nano else fraction * 1000), data[offset:offset + caplen]
        offset += caplen


def read_pcapng(data):
    """Yields (link type, timestamp in ns, frame) from a pcapng file (microsecond resolution assumed)."""
    endian = "<"
    interfaces = []
    offset = 0
    while offset + 12 <= len(data):
        block_type = struct.unpack(endian + "I", data[offset:offset + 4])[0]
        if block_type == 0x0A0D0D0A:
            endian = "<" if data[offset + 8:offset + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            interfaces = []
        length = struct.unpack(endian + "I", data[offset + 4:offset + 8])[0]
        if length < 12 or offset + length > len(data):
            return
        body = data[offset + 8:offset + length - 4]
        if block_type == 1 and len(body) >= 2:
            interfaces.append(struct.unpack(endian + "H", body[:2])[0])
        elif block_type == 6 and len(body) >= 20:
            interface, high, low, caplen = struct.unpack(endian + "IIII", body[:16])
            if interface < len(interfaces):
                yield interfaces[interface], ((high << 32) | low) * 1000, body[20:20 + caplen]
        elif block_type == 3 and len(body) >= 4 and interfaces:
            yield interfaces[0], 0, body[4:]
        offset += length


def frames_of(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        return list(read_pcapng(data))
    return list(read_pcap(data))


def ipv4_offset(dlt, frame):
    """Where the IPv4 header starts, or None."""
    if dlt == 1:
        offset, ethertype = 12, None
        while offset + 2 <= len(frame):
            ethertype = struct.unpack(">H", frame[offset:offset + 2])[0]
            if ethertype in (0x8100, 0x88A8, 0x9100):
                offset += 4
                continue
            break
        return offset + 2 if ethertype == 0x0800 else None
    if dlt == 113:
        return 16 if frame[14:16] == b"\x08\x00" else None
    if dlt == 276:
        return 20 if frame[0:2] == b"\x08\x00" else None
    if dlt in (12, 14, 228):
        return 0 if frame[:1] and frame[0] >> 4 == 4 else None
    if dlt in (0, 108):
        return 4 if frame[:4] in (b"\x02\x00\x00\x00", b"\x00\x00\x00\x02") else None
    return None


def transport(dlt, frame):
    """(protocol, source, destination, source port, destination port, payload), or None."""
    start = ipv4_offset(dlt, frame)
    if start is None or len(frame) < start + 20:
        return None
    header_length = (frame[start] & 0x0F) * 4
    total = struct.unpack(">H", frame[start + 2:start + 4])[0]
    protocol = frame[start + 9]
    source, destination = frame[start + 12:start + 16], frame[start + 16:start + 20]
    end = min(len(frame), start + total) if total >= header_length else len(frame)
    segment = frame[start + header_length:end]
    if protocol == 17 and len(segment) >= 8:
        ports = struct.unpack(">HH", segment[:4])
        return "udp", source, destination, ports[0], ports[1], segment[8:]
    if protocol == 6 and len(segment) >= 20:
        ports = struct.unpack(">HH", segment[:4])
        return "tcp", source, destination, ports[0], ports[1], segment[(segment[12] >> 4) * 4:]
    return None


class Corpus:
    def __init__(self, root):
        self.root = root
        self.counts = {}

    def add(self, target, seed):
        if not seed or len(seed) > MAX_SEED:
            return
        folder = os.path.join(self.root, target)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, hashlib.sha1(seed).hexdigest())
        if not os.path.exists(path):
            with open(path, "wb") as handle:
                handle.write(seed)
            self.counts[target] = self.counts.get(target, 0) + 1


def record(kind, payload):
    return bytes([kind]) + struct.pack(">H", len(payload)) + payload


def seed_capture(corpus, path):
    try:
        frames = frames_of(path)
    except OSError as error:
        print(f"make-corpus: {path}: {error}", file=sys.stderr)
        return
    if not frames:
        return
    tftp_endpoints = set()
    proxy_records = []
    payloads = 0
    for linktype, _, frame in frames[:FRAMES_PER_CAPTURE]:
        corpus.add("decoders", frame)
    for linktype, _, frame in frames:
        dlt = LINKTYPE_TO_DLT.get(linktype, linktype)
        found = transport(dlt, frame)
        if found is None:
            continue
        protocol, source, destination, sport, dport, payload = found
        if protocol == "udp" and {sport, dport} & {67, 68}:
            corpus.add("dhcp", payload)
            if len(payload) > 236:
                is_request = payload[0] == 1
                proxy_records.append(record(1 if is_request else 2, payload))
                if is_request and b"\x35\x01\x08" in payload[240:]:
                    proxy_records.append(record(0, payload))
        elif protocol == "udp" and (69 in (sport, dport) or (source, sport) in tftp_endpoints
                                    or (destination, dport) in tftp_endpoints):
            if dport == 69:
                tftp_endpoints.add((source, sport))
            # DATA blocks differ only in their content, which no decoder reads.
            if payloads < PAYLOADS_PER_CAPTURE and payload[:2] != b"\x00\x03":
                payloads += 1
                corpus.add("decoders", payload)
        elif protocol == "tcp" and {sport, dport} & {21, 80, 443} and payload and payloads < PAYLOADS_PER_CAPTURE:
            payloads += 1
            corpus.add("decoders", payload[:4096])
    dlt = LINKTYPE_TO_DLT.get(frames[0][0], frames[0][0])
    if dlt in SUPPORTED_DLTS:
        index = SUPPORTED_DLTS.index(dlt)
        for piece in range(ANALYZER_SEEDS_PER_CAPTURE):
            chunk = frames[piece * FRAMES_PER_ANALYZER_SEED:(piece + 1) * FRAMES_PER_ANALYZER_SEED]
            if not chunk:
                break
            seed = bytearray([index])
            previous = chunk[0][1]
            for _, time, frame in chunk:
                step = max(0, min(254, (time - previous) // 10_000_000))
                previous = time
                if len(seed) + 3 + len(frame) > MAX_SEED:
                    break
                seed += record(step, frame[:0xFFFF])
            corpus.add("analyzer", bytes(seed))
    if proxy_records:
        messages = b"".join(proxy_records)[:MAX_SEED - 1]
        for policy in (0x00, 0x09, 0x12):
            corpus.add("proxy", bytes([policy]) + messages)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    corpus = Corpus(sys.argv[1])
    for argument in sys.argv[2:]:
        paths = [argument]
        if os.path.isdir(argument):
            paths = sorted(os.path.join(folder, name) for folder, _, names in os.walk(argument) for name in names)
        for path in paths:
            if path.endswith((".pcap", ".pcapng", ".cap")):
                seed_capture(corpus, path)
    for target in ("dhcp", "decoders", "analyzer", "proxy"):
        print(f"{target}: {corpus.counts.get(target, 0)} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
