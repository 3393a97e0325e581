#!/usr/bin/env python3
"""Writes the damaged captures in this folder from ../polycom-tftp-boot.pcap, byte for byte the
same on every run (no randomness, Python standard library only):

  polycom-tftp-boot-cut-mid-record.pcap     the file cut in the middle of record 600's data
  polycom-tftp-boot-bad-block-length.pcapng the capture as pcapng; block 600's leading total
                                            length is 4096 too large (its trailer disagrees)
  polycom-tftp-boot-garbage-header.pcap     record 600's 16-byte header replaced by 53 bytes of
                                            garbage (a spliced, damaged record header)

Record 600 sits in the middle of the phone's sip.ld transfer. Run it from anywhere, then
regenerate the NAME.expected.json files (scripts/update-expected.sh style) and review them.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, '..', 'polycom-tftp-boot.pcap')
DAMAGED_RECORD = 600  # 1-based, as Wireshark numbers frames


def read_pcap(path):
    """The 24-byte file header and the records: (offset, seconds, microseconds, data, original length)."""
    data = open(path, 'rb').read()
    magic = struct.unpack_from('<I', data, 0)[0]
    assert magic == 0xA1B2C3D4, 'expected a little-endian microsecond pcap'
    records, offset = [], 24
    while offset + 16 <= len(data):
        seconds, micros, caplen, origlen = struct.unpack_from('<IIII', data, offset)
        records.append((offset, seconds, micros, data[offset + 16:offset + 16 + caplen], origlen))
        offset += 16 + caplen
    assert offset == len(data), 'source capture must be whole'
    return data, records


def pcapng(data, records):
    """The same frames as pcapng: one section, one Ethernet interface, enhanced packet blocks."""
    snaplen, linktype = struct.unpack_from('<II', data, 16)
    out = bytearray()
    out += struct.pack('<IIIHHqI', 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1, 28)
    out += struct.pack('<IIHHII', 1, 20, linktype, 0, snaplen, 20)
    starts = []
    for _, seconds, micros, frame, origlen in records:
        stamp = seconds * 1_000_000 + micros
        padded = frame + b'\0' * (-len(frame) % 4)
        length = 32 + len(padded)
        starts.append(len(out))
        out += struct.pack('<IIIIIII', 6, length, 0, stamp >> 32, stamp & 0xFFFFFFFF, len(frame), origlen)
        out += padded + struct.pack('<I', length)
    return out, starts


def main():
    data, records = read_pcap(SOURCE)
    damaged = records[DAMAGED_RECORD - 1]

    # (a) cut in the middle of record 600's data.
    offset, _, _, frame, _ = damaged
    cut = data[:offset + 16 + len(frame) // 2]

    # (b) pcapng, block 600's leading total length 4096 too large.
    ng, starts = pcapng(data, records)
    at = starts[DAMAGED_RECORD - 1]
    length = struct.unpack_from('<I', ng, at + 4)[0]
    struct.pack_into('<I', ng, at + 4, length + 4096)

    # (c) record 600's header replaced by garbage: caplen reads 0xefbeadde, far above any snaplen.
    garbage = b'\xde\xad\xbe\xef' * 13 + b'\x5a'
    spliced = data[:offset] + garbage + data[offset + 16:]

    for name, content in [
        ('polycom-tftp-boot-cut-mid-record.pcap', cut),
        ('polycom-tftp-boot-bad-block-length.pcapng', bytes(ng)),
        ('polycom-tftp-boot-garbage-header.pcap', spliced),
    ]:
        with open(os.path.join(HERE, name), 'wb') as out:
            out.write(content)
        print(f'wrote captures/malformed/{name} ({len(content)} bytes)')
    print(f'record {DAMAGED_RECORD} begins at byte {offset} of the pcap and at byte {at} of the pcapng')


if __name__ == '__main__':
    main()
