#!/usr/bin/env python3
"""DHCP load client for the proxy benchmark: plays many phones at once.

Sends, from one UDP socket bound to port 68 on IFACE, broadcast DHCPDISCOVERs (giaddr 0,
broadcast flag set so every reply is broadcast back) from random MACs, half with a Polycom
OUI, and DHCPINFORMs from Polycom MACs; a fixed set of at most --leases MACs also REQUESTs
the address it was offered (so the server's pool is never exhausted). Keeps --window
transactions in flight, matches replies by xid, and prints one JSON line: transactions per
second and reply latency (median, p99) per message kind.

Usage (inside the client's network namespace):
  dhcp-load.py --interface IFACE --count 5000 --window 64 [--inform-to 192.0.2.1]
"""

import argparse
import json
import os
import random
import select
import socket
import struct
import time

POLYCOM_OUIS = [b"\x00\x04\xf2", b"\x64\x16\x7f"]
OTHER_OUIS = [b"\x02\x00\x5e", b"\x00\x0c\x29"]
MAGIC = b"\x63\x82\x53\x63"


def message(kind, xid, mac, ciaddr=b"\0\0\0\0", requested=None, server=None):
    header = struct.pack("!BBBBIHH4s4s4s4s", 1, 1, 6, 0, xid, 0, 0x8000, ciaddr, b"\0" * 4, b"\0" * 4, b"\0" * 4)
    header += mac + b"\0" * 10 + b"\0" * 64 + b"\0" * 128
    options = bytes([53, 1, kind, 55, 5, 1, 3, 6, 66, 160, 60, 14]) + b"Polycom-VVX410"
    if requested:
        options += bytes([50, 4]) + requested
    if server:
        options += bytes([54, 4]) + server
    return header + MAGIC + options + b"\xff"


def reply_type(data):
    if len(data) < 240 or data[236:240] != MAGIC:
        return None, None
    xid = struct.unpack("!I", data[4:8])[0]
    i = 240
    kind = None
    server = None
    while i < len(data) and data[i] != 255:
        if data[i] == 0:
            i += 1
            continue
        if i + 1 >= len(data):
            break
        code, length = data[i], data[i + 1]
        value = data[i + 2 : i + 2 + length]
        if code == 53 and length == 1:
            kind = value[0]
        if code == 54 and length == 4:
            server = value
        i += 2 + length
    return xid, (kind, data[16:20], server)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--interface", required=True)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--window", type=int, default=64)
    parser.add_argument("--leases", type=int, default=100)
    parser.add_argument("--inform-to", default=None, help="send INFORMs (1 in 4) unicast to this proxy address")
    parser.add_argument("--inform-from", default=None, help="ciaddr of the INFORMs")
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setsockopt(socket.SOL_SOCKET, 25, args.interface.encode() + b"\0")  # SO_BINDTODEVICE
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind(("0.0.0.0", 68))
    sock.setblocking(False)

    leasing = [rng.choice(POLYCOM_OUIS) + os.urandom(3) for _ in range(args.leases)]
    pending = {}  # xid -> (kind, sent_at, mac)
    latencies = {"DISCOVER": [], "REQUEST": [], "INFORM": []}
    answered = {"DISCOVER": 0, "REQUEST": 0, "INFORM": 0}
    sent = {"DISCOVER": 0, "REQUEST": 0, "INFORM": 0}
    lost = 0
    started = 0
    start = time.perf_counter()

    def send(kind_name, data, address):
        xid = struct.unpack("!I", data[4:8])[0]
        pending[xid] = (kind_name, time.perf_counter(), data[28:34])
        sent[kind_name] += 1
        sock.sendto(data, address)

    while started < args.count or pending:
        now = time.perf_counter()
        while started < args.count and len(pending) < args.window:
            xid = rng.getrandbits(32)
            if args.inform_to and started % 4 == 3:
                mac = rng.choice(POLYCOM_OUIS) + os.urandom(3)
                ciaddr = socket.inet_aton(args.inform_from)
                send("INFORM", message(8, xid, mac, ciaddr=ciaddr), (args.inform_to, 67))
            else:
                mac = leasing[started % len(leasing)] if started % 10 == 0 else rng.choice(POLYCOM_OUIS + OTHER_OUIS) + os.urandom(3)
                send("DISCOVER", message(1, xid, mac), ("255.255.255.255", 67))
            started += 1
        readable, _, _ = select.select([sock], [], [], 0.01)
        if readable:
            while True:
                try:
                    data = sock.recv(4096)
                except BlockingIOError:
                    break
                xid, info = reply_type(data)
                if xid not in pending:
                    continue
                kind_name, sent_at, mac = pending.pop(xid)
                latencies[kind_name].append(time.perf_counter() - sent_at)
                answered[kind_name] += 1
                kind, yiaddr, server = info
                # A leasing phone REQUESTs what it was offered.
                if kind_name == "DISCOVER" and kind == 2 and mac in leasing and server:
                    send("REQUEST", message(3, rng.getrandbits(32), mac, requested=yiaddr, server=server), ("255.255.255.255", 67))
        for xid, (kind_name, sent_at, _) in list(pending.items()):
            if now - sent_at > args.timeout:
                del pending[xid]
                lost += 1
    elapsed = time.perf_counter() - start

    def quantile(values, q):
        if not values:
            return None
        values = sorted(values)
        return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 3)

    total = sum(answered.values())
    print(json.dumps({
        "transactions": total,
        "lost": lost,
        "seconds": round(elapsed, 3),
        "rate": round(total / elapsed, 1),
        "sent": sent,
        "answered": answered,
        "medianMs": {k: quantile(v, 0.5) for k, v in latencies.items()},
        "p99Ms": {k: quantile(v, 0.99) for k, v in latencies.items()},
        "allMedianMs": quantile(sum(latencies.values(), []), 0.5),
        "allP99Ms": quantile(sum(latencies.values(), []), 0.99),
    }))


if __name__ == "__main__":
    main()
