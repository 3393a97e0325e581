#!/usr/bin/env bash
# proxy-benchmark.sh — the relay's cost, measured against the same load sent straight to the
# DHCP server, in one run.
#
#   bm-relayed (192.0.2.50) == veth == bm-proxy: phoneboot proxy --mode relay
#                                        192.0.2.1 | 198.51.100.253
#                                                  == veth == bm-server: 198.51.100.254, dnsmasq
#   bm-direct (198.51.100.50) ============================== veth == bm-server: 198.51.100.2
#
# The server's two links are separate segments, so neither run's broadcasts reach the other
# side (the proxy sees nothing of the direct run).
#
# dhcp-load (Benchmarks/DHCPLoad) plays many phones: random Polycom and other MACs sending
# broadcast DISCOVERs with giaddr 0, a fixed set of leasing phones that also REQUEST, and every
# fourth transaction an INFORM. It runs once from bm-direct (on the server's own segment) and
# once from bm-relayed (through the proxy), twice over:
#   throughput: COUNT transactions, WINDOW in flight: both rates and their ratio, ROUNDS (3)
#               times over, with the median ratio;
#   latency:    COUNT/4 transactions started at RATE per second, far below the ceiling, so that
#               the latency the relay adds (median, p99) is not hidden in a queue.
# Each row gives the CPU seconds the load client, dnsmasq and the proxy used in that run. With
# perfdhcp (apt package kea-admin) it also prints the server's own delay and drops at 2000
# exchanges/s, measured by perfdhcp on the server's segment.
#
# Usage: sudo Benchmarks/proxy-benchmark.sh [COUNT] [WINDOW] [RATE]   (default 5000 64 1000)
# Needs: a release build (swift build -c release), iproute2, dnsmasq-base, python3.
# Only 192.0.2.0/24 and 198.51.100.0/24, inside namespaces it creates and removes.
set -euo pipefail

COUNT=${1:-5000}
WINDOW=${2:-64}
RATE=${3:-1000}
ROUNDS=${ROUNDS:-3}
PERFDHCP_RATE=${PERFDHCP_RATE:-2000}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PHONEBOOT=$ROOT/.build/release/phoneboot
LOAD=$ROOT/.build/release/dhcp-load
WORK=
NAMESPACES=(bm-relayed bm-proxy bm-server bm-direct)

cleanup() {
    local ns pids
    for ns in "${NAMESPACES[@]}"; do
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        if [[ -n $pids ]]; then
            # TERM first, so that a PROXY_WRAPPER profiler can write its data; then KILL.
            # shellcheck disable=SC2086 # one pid per word
            kill -TERM $pids 2>/dev/null || true
            sleep 1
            # shellcheck disable=SC2086
            kill -KILL $pids 2>/dev/null || true
        fi
        ip netns delete "$ns" 2>/dev/null || true
    done
    [[ -z $WORK ]] || rm -rf -- "$WORK"
}
trap cleanup EXIT INT TERM

((EUID == 0)) || { echo "proxy-benchmark.sh: needs root for network namespaces" >&2; exit 2; }
[[ -x $PHONEBOOT ]] || { echo "proxy-benchmark.sh: build first: swift build -c release" >&2; exit 2; }
[[ -x $LOAD ]] || { echo "proxy-benchmark.sh: build first: swift build -c release" >&2; exit 2; }
for tool in ip dnsmasq python3; do
    command -v "$tool" >/dev/null || { echo "proxy-benchmark.sh: missing $tool" >&2; exit 2; }
done
# Namespaces left by an earlier run that was killed.
cleanup 2>/dev/null || true
WORK=$(mktemp -d "${TMPDIR:-/tmp}/phoneboot-bench.XXXXXX")
chmod 755 "$WORK"

for ns in "${NAMESPACES[@]}"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
done
# The relayed side.
ip link add bm-c0 netns bm-relayed type veth peer name bm-l0 netns bm-proxy
ip link add bm-u0 netns bm-proxy type veth peer name bm-s1 netns bm-server
ip -n bm-relayed addr add 192.0.2.50/24 dev bm-c0
ip -n bm-proxy addr add 192.0.2.1/24 dev bm-l0
ip -n bm-proxy addr add 198.51.100.253/30 dev bm-u0
ip -n bm-server addr add 198.51.100.254/30 dev bm-s1
# The direct side, on a segment of the server's own.
ip link add bm-d0 netns bm-direct type veth peer name bm-s2 netns bm-server
ip -n bm-direct addr add 198.51.100.50/25 dev bm-d0
ip -n bm-server addr add 198.51.100.2/25 dev bm-s2
for pair in bm-relayed:bm-c0 bm-proxy:bm-l0 bm-proxy:bm-u0 bm-server:bm-s1 bm-server:bm-s2 bm-direct:bm-d0; do
    ip -n "${pair%%:*}" link set "${pair##*:}" up
done
ip -n bm-server route add 192.0.2.0/24 via 198.51.100.253

ip netns exec bm-server dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --port=0 \
    --interface=bm-s1 --interface=bm-s2 --bind-interfaces --no-ping --dhcp-authoritative --dhcp-lease-max=1000 \
    --dhcp-range=198.51.100.10,198.51.100.126,255.255.255.128,1h \
    --dhcp-range=192.0.2.100,192.0.2.250,255.255.255.0,1h \
    --dhcp-leasefile="$WORK/leases" --log-facility="$WORK/dnsmasq.log" &
# PROXY_WRAPPER: a command to run the proxy under, e.g. "perf record -g -o /tmp/perf.data".
read -r -a wrapper <<<"${PROXY_WRAPPER:-}"
ip netns exec bm-proxy "${wrapper[@]}" "$PHONEBOOT" proxy -i bm-l0 --mode relay --upstream 198.51.100.254 \
    --boot-server tftp://192.0.2.10 --log-format json >/dev/null 2>"$WORK/proxy.log" &
sleep 2
grep -q "relay mode on" "$WORK/proxy.log" || { cat "$WORK/proxy.log" >&2; exit 1; }

# CPU seconds (user + system) a process has used so far.
cpu_of() {
    awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"
}
proxy_pid=$(pgrep -x phoneboot | head -1)
dnsmasq_pid=$(pgrep -x dnsmasq | head -1)
# One run of the load client: NAME NAMESPACE INTERFACE ADDRESS [dhcp-load options]. Keeps its
# JSON result and the CPU seconds the proxy and dnsmasq used during it.
run_load() {
    local name=$1 namespace=$2 interface=$3 address=$4 proxy_before dnsmasq_before
    shift 4
    proxy_before=$(cpu_of "$proxy_pid")
    dnsmasq_before=$(cpu_of "$dnsmasq_pid")
    ip netns exec "$namespace" "$LOAD" --interface "$interface" --leases 50 \
        --inform-to 255.255.255.255 --inform-from "$address" "$@" >"$WORK/$name.json"
    awk -v a="$(cpu_of "$proxy_pid")" -v b="$proxy_before" -v c="$(cpu_of "$dnsmasq_pid")" -v d="$dnsmasq_before" \
        'BEGIN {printf "%.2f %.2f\n", a - b, c - d}' >"$WORK/$name.cpu"
}

echo "dnsmasq $(dnsmasq --version | head -1 | awk '{print $3}'), $(nproc) cores"
# NAME PHASE [ROUND...]: one row per run, and for the throughput phase each round's ratio and
# their median (the rate of one run moves by 10-20 % with the scheduling of three busy
# processes on two cores, so one pair of runs says little).
report() {
    python3 - "$WORK" "$@" <<'PY'
import json, statistics, sys
work, phase, rounds = sys.argv[1], sys.argv[2], sys.argv[3:]
print(f"  {'':10} {'rate':>9}       {'median':>9}  {'p99':>9}   {'answered':>19}   CPU s: client dnsmasq proxy")
def row(name):
    r = json.load(open(f"{work}/{name}.json"))
    proxy, dnsmasq = open(f"{work}/{name}.cpu").read().split()
    print(f"  {name:10} {r['rate']:>9.1f} tx/s  {r['allMedianMs']:>6.3f} ms  {r['allP99Ms']:>6.3f} ms"
          f"   {r['transactions']:>6}/{sum(r['sent'].values()):<6} lost {r['lost']:<3}"
          f"   {r['cpuSeconds']:>6.2f} {float(dnsmasq):>7.2f} {float(proxy):>5.2f}")
    return r
ratios, medians, p99s = [], [], []
for suffix in rounds:
    direct, relayed = row(f"direct{suffix}"), row(f"relayed{suffix}")
    ratios.append(relayed["rate"] / direct["rate"] if direct["rate"] else 0)
    medians.append(relayed["allMedianMs"] - direct["allMedianMs"])
    p99s.append(relayed["allP99Ms"] - direct["allP99Ms"])
if phase == "throughput":
    print(f"  ratio relayed/direct per round: {', '.join(f'{r:.3f}' for r in ratios)}; "
          f"median {statistics.median(ratios):.3f} (target >= 0.90)")
print(f"  added latency (median of rounds): median {statistics.median(medians):+.3f} ms, "
      f"p99 {statistics.median(p99s):+.3f} ms (target p99 < 1 ms)")
PY
}
echo "throughput: $COUNT transactions, at most $WINDOW in flight; $ROUNDS rounds of direct then relayed"
rounds=()
for ((round = 1; round <= ROUNDS; round++)); do
    run_load "direct-$round" bm-direct bm-d0 198.51.100.50 --count "$COUNT" --window "$WINDOW"
    run_load "relayed-$round" bm-relayed bm-c0 192.0.2.50 --count "$COUNT" --window "$WINDOW"
    rounds+=("-$round")
done
report throughput "${rounds[@]}"
# Latency without queueing: transactions started at a steady rate well below the ceiling, so
# that what the relay adds is not hidden behind a queue of 64.
echo "latency: $((COUNT / 4)) transactions started at $RATE per second"
run_load direct bm-direct bm-d0 198.51.100.50 --count $((COUNT / 4)) --window 1000 --rate "$RATE"
run_load relayed bm-relayed bm-c0 192.0.2.50 --count $((COUNT / 4)) --window 1000 --rate "$RATE"
report latency ""
echo "replies the proxy gave option 160 over all runs: $(grep -c '"injected":\[160' "$WORK/proxy.log")"

if command -v perfdhcp >/dev/null; then
    echo "perfdhcp on the server's segment at $PERFDHCP_RATE exchanges/s (the server alone; perfdhcp sends as a relay itself):"
    ip netns exec bm-direct perfdhcp -4 -l bm-d0 -r "$PERFDHCP_RATE" -p 10 -R 50 198.51.100.2 2>&1 |
        grep -E "sent packets|received packets|drops ratio|avg delay|rate" | sed 's/^/  /' || true
fi
