#!/usr/bin/env python3
"""Userspace 802.1Q VLAN sub-interface, for kernels built without 8021q.

Used by lab.sh (lab_vlan) only when `ip link add ... type vlan` fails (CONFIG_VLAN_8021Q
not set, as on some VM kernels).  It does what the kernel's VLAN driver does for a
VLAN interface PARENT.VID, with a tap device standing in for that interface:

  * a frame the host sends on the tap gets an 802.1Q tag (TPID 0x8100, PCP 0,
    VID) inserted after the MAC addresses and goes out on PARENT;
  * a frame received on PARENT with that VID has its tag removed and is handed to
    the host through the tap.

Frames are therefore tagged on the wire (PARENT), where tcpdump records them,
exactly as with a kernel VLAN interface.  Tags that the kernel has already taken
off a received frame (VLAN offload on veth) are read from PACKET_AUXDATA.

Usage: vlan-shim.py PARENT TAP VID   (run inside the namespace; stop with SIGTERM)
The tap device must already exist (`ip tuntap add dev TAP mode tap`).
"""

import fcntl
import os
import select
import signal
import socket
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
ETH_P_ALL = 0x0003
ETH_P_8021Q = 0x8100
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 0x10
AUXDATA = struct.Struct("IIIHHHH")  # struct tpacket_auxdata


def main() -> int:
    if len(sys.argv) != 4:
        print("usage: vlan-shim.py PARENT TAP VID", file=sys.stderr)
        return 2
    parent, tap_name, vid = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if not 1 <= vid <= 4094:
        print(f"vlan-shim: bad VLAN id {vid}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    tap = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tap, TUNSETIFF, struct.pack("16sH", tap_name.encode(), IFF_TAP | IFF_NO_PI))

    wire = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    wire.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    wire.bind((parent, 0))
    tag = struct.pack("!HH", ETH_P_8021Q, vid)  # PCP 0, DEI 0

    print(f"vlan-shim: {tap_name} <-> {parent} VLAN {vid} ready", file=sys.stderr, flush=True)
    while True:
        readable, _, _ = select.select([tap, wire], [], [])
        if tap in readable:
            frame = os.read(tap, 65535)
            if len(frame) >= 14:
                wire.send(frame[:12] + tag + frame[12:])
        if wire in readable:
            data, ancillary, _, address = wire.recvmsg(65535, socket.CMSG_SPACE(AUXDATA.size))
            if address[2] == PACKET_OUTGOING or len(data) < 14:
                continue  # our own transmissions, runts
            frame_vid = None
            for level, kind, payload in ancillary:
                if level == SOL_PACKET and kind == PACKET_AUXDATA and len(payload) >= AUXDATA.size:
                    status, _, _, _, _, tci, _ = AUXDATA.unpack_from(payload)
                    if status & TP_STATUS_VLAN_VALID:
                        frame_vid = tci & 0x0FFF
            if frame_vid is None and struct.unpack_from("!H", data, 12)[0] == ETH_P_8021Q and len(data) >= 18:
                frame_vid = struct.unpack_from("!H", data, 14)[0] & 0x0FFF
                data = data[:12] + data[16:]
            if frame_vid == vid:
                os.write(tap, data)


if __name__ == "__main__":
    sys.exit(main())
