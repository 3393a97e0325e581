#!/usr/bin/env bash
# proxy-benchmark.sh — the relay's cost, measured against the same load sent straight to the
# DHCP server, in one run.
#
#   bm-relayed (192.0.2.50) == veth ==  bm-proxy: phoneboot proxy --mode relay
#                                         192.0.2.1 | 198.51.100.1
#                                                   == veth == bm-server: bridge 198.51.100.2, dnsmasq
#   bm-direct (198.51.100.50) ================================ veth == (same bridge)
#
# Benchmarks/dhcp-load.py plays --count phones (random Polycom and other MACs, broadcast
# DISCOVERs with giaddr 0, REQUESTs from a fixed set of leasing phones, INFORMs) with a window
# of transactions in flight: once from bm-direct (on the server's segment), once from
# bm-relayed (through the proxy). Prints both rates, their ratio and the latency the relay
# adds (median, p99). With perfdhcp (apt package kea-admin) it also prints the server's delay
# and drops at 2000 exchanges/s, measured by perfdhcp on the server's segment.
#
# Usage: sudo Benchmarks/proxy-benchmark.sh [COUNT] [WINDOW]   (default 5000 64)
# Needs: a release build (swift build -c release), iproute2, dnsmasq-base, python3.
# Only 192.0.2.0/24 and 198.51.100.0/24, inside namespaces it creates and removes.
set -euo pipefail

COUNT=${1:-5000}
WINDOW=${2:-64}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PHONEBOOT=$ROOT/.build/release/phoneboot
LOAD=$ROOT/Benchmarks/dhcp-load.py
WORK=$(mktemp -d "${TMPDIR:-/tmp}/phoneboot-bench.XXXXXX")
NAMESPACES=(bm-relayed bm-proxy bm-server bm-direct)

cleanup() {
    local ns pids
    for ns in "${NAMESPACES[@]}"; do
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        # shellcheck disable=SC2086 # one pid per word
        [[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
        ip netns delete "$ns" 2>/dev/null || true
    done
    rm -rf -- "$WORK"
}
trap cleanup EXIT INT TERM

((EUID == 0)) || { echo "proxy-benchmark.sh: needs root for network namespaces" >&2; exit 2; }
[[ -x $PHONEBOOT ]] || { echo "proxy-benchmark.sh: build first: swift build -c release" >&2; exit 2; }
for tool in ip dnsmasq python3; do
    command -v "$tool" >/dev/null || { echo "proxy-benchmark.sh: missing $tool" >&2; exit 2; }
done
cleanup 2>/dev/null || true
WORK=$(mktemp -d "${TMPDIR:-/tmp}/phoneboot-bench.XXXXXX")
chmod 755 "$WORK"

for ns in "${NAMESPACES[@]}"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
done
ip -n bm-server link add br0 type bridge
ip -n bm-server link set br0 up
ip -n bm-server addr add 198.51.100.2/24 dev br0
# The relayed side.
ip link add bm-c0 netns bm-relayed type veth peer name bm-l0 netns bm-proxy
ip link add bm-u0 netns bm-proxy type veth peer name bm-s1 netns bm-server
ip -n bm-relayed addr add 192.0.2.50/24 dev bm-c0
ip -n bm-proxy addr add 192.0.2.1/24 dev bm-l0
ip -n bm-proxy addr add 198.51.100.1/24 dev bm-u0
ip -n bm-server link set bm-s1 master br0
ip -n bm-server route add 192.0.2.0/24 via 198.51.100.1
# The direct side, on the server's segment.
ip link add bm-d0 netns bm-direct type veth peer name bm-s2 netns bm-server
ip -n bm-direct addr add 198.51.100.50/24 dev bm-d0
ip -n bm-server link set bm-s2 master br0
for pair in bm-relayed:bm-c0 bm-proxy:bm-l0 bm-proxy:bm-u0 bm-server:bm-s1 bm-server:bm-s2 bm-direct:bm-d0; do
    ip -n "${pair%%:*}" link set "${pair##*:}" up
done

ip netns exec bm-server dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --port=0 \
    --interface=br0 --bind-interfaces --no-ping --dhcp-authoritative --dhcp-lease-max=1000 \
    --dhcp-range=198.51.100.100,198.51.100.250,255.255.255.0,1h \
    --dhcp-range=192.0.2.100,192.0.2.250,255.255.255.0,1h \
    --dhcp-leasefile="$WORK/leases" --log-facility="$WORK/dnsmasq.log" &
# PROXY_WRAPPER: a command to run the proxy under, e.g. "perf record -g -o /tmp/perf.data".
read -r -a wrapper <<<"${PROXY_WRAPPER:-}"
ip netns exec bm-proxy "${wrapper[@]}" "$PHONEBOOT" proxy -i bm-l0 --mode relay --upstream 198.51.100.2 \
    --boot-server tftp://192.0.2.10 --log-format json >"$WORK/proxy.log" 2>"$WORK/proxy.err" &
sleep 2
grep -q "relay mode on" "$WORK/proxy.err" || { cat "$WORK/proxy.err" >&2; exit 1; }

echo "load: $COUNT transactions, $WINDOW in flight; dnsmasq $(dnsmasq --version | head -1 | awk '{print $3}'), $(nproc) cores"
ip netns exec bm-direct python3 "$LOAD" --interface bm-d0 --count "$COUNT" --window "$WINDOW" \
    --inform-to 255.255.255.255 --inform-from 198.51.100.50 >"$WORK/direct.json"
ip netns exec bm-relayed python3 "$LOAD" --interface bm-c0 --count "$COUNT" --window "$WINDOW" \
    --inform-to 255.255.255.255 --inform-from 192.0.2.50 >"$WORK/relayed.json"

# CPU time (user + system, clock ticks) of the proxy and dnsmasq over both runs.
cpu_of() {
    local pid total=0
    for pid in $(pgrep -x "$1"); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "scale=2; $total / $(getconf CLK_TCK)" | bc
}
echo "CPU seconds over both runs: proxy $(cpu_of phoneboot), dnsmasq $(cpu_of dnsmasq)"
python3 - "$WORK/direct.json" "$WORK/relayed.json" "$WORK/proxy.log" <<'PY'
import json, sys
direct = json.load(open(sys.argv[1]))
relayed = json.load(open(sys.argv[2]))
injected = sum(1 for line in open(sys.argv[3]) if '"injected":[160' in line)
def row(name, r):
    print(f"{name:9} {r['rate']:>9.1f} tx/s  median {r['allMedianMs']:>7.3f} ms  p99 {r['allP99Ms']:>7.3f} ms"
          f"  answered {r['transactions']}/{sum(r['sent'].values())} (lost {r['lost']})")
row("direct", direct)
row("relayed", relayed)
ratio = relayed["rate"] / direct["rate"] if direct["rate"] else 0
print(f"ratio relayed/direct: {ratio:.3f} (target >= 0.90)")
print(f"added latency: median {relayed['allMedianMs'] - direct['allMedianMs']:+.3f} ms, "
      f"p99 {relayed['allP99Ms'] - direct['allP99Ms']:+.3f} ms (target p99 < 1 ms)")
print(f"replies the proxy gave option 160: {injected}")
PY

if command -v perfdhcp >/dev/null; then
    echo "perfdhcp on the server's segment at 2000 exchanges/s (the server alone; perfdhcp sends as a relay itself):"
    ip netns exec bm-direct perfdhcp -4 -l bm-d0 -r 2000 -p 10 -R 100 198.51.100.2 2>&1 |
        grep -E "sent packets|received packets|drops ratio|avg delay|rate" | sed 's/^/  /' || true
fi
