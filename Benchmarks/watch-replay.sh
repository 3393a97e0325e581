#!/usr/bin/env bash
# watch-replay.sh — `phoneboot watch` under a long load: a boot-storm capture replayed by
# tcpreplay into a veth pair between two network namespaces, watch on the other end.
#
# Prints watch's resident memory every few seconds while the replay runs, then what tcpreplay
# sent, what the kernel dropped (libpcap's counters, from watch's own report) and how many of
# the capture's phones watch reported.
#
# The capture (boot-storm, Benchmarks/BootStorm) is written once into WORK and reused. By
# default 4,000,000 frames with 10,000 phones booting in its first quarter (a site powering
# up), then other traffic only: after the storm, watch's memory must stay flat.
#
# The replayed frames carry the generator's own addresses; they are written as raw frames into
# a veth whose two ends live in namespaces of their own, with no IP address and no route, so
# nothing is forwarded anywhere. Both namespaces are removed on exit, also on failure.
#
# Usage: sudo Benchmarks/watch-replay.sh
# Environment: FRAMES (4000000), PHONES (10000), BOOT_WITHIN (0.25), MBPS (200: tcpreplay's
# rate), BUFFER (watch --buffer-size, MiB; default watch's own), EVERY (5: seconds between
# memory samples), WORK (.build/bench), STATIC (1: phoneboot is linked as scripts/install.sh
# links the one it installs, the Swift runtime inside it; 0 leaves the runtime as shared
# libraries, as a plain `swift build -c release` does).
# Needs: root, iproute2, tcpreplay.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FRAMES=${FRAMES:-4000000}
PHONES=${PHONES:-10000}
BOOT_WITHIN=${BOOT_WITHIN:-0.25}
MBPS=${MBPS:-200}
EVERY=${EVERY:-5}
WORK=${WORK:-$ROOT/.build/bench}
STATIC=${STATIC:-1}
LINK=()
LINKED="the Swift runtime as shared libraries"
if [[ $STATIC == 1 ]]; then
    LINK=(--static-swift-stdlib)
    LINKED="the Swift runtime linked in, as scripts/install.sh installs it"
fi

[[ $(id -u) -eq 0 ]] || { echo "watch-replay: run as root (namespaces, raw sockets)" >&2; exit 2; }
for tool in ip tcpreplay; do
    command -v "$tool" > /dev/null || { echo "watch-replay: $tool is missing (apt-get install iproute2 tcpreplay)" >&2; exit 2; }
done

cd "$ROOT"
for product in phoneboot boot-storm; do
    swift build -c release --product "$product" "${LINK[@]}" > "$WORK.build.log" 2>&1 || { cat "$WORK.build.log" >&2; exit 2; }
done
BIN=$(swift build -c release --show-bin-path)
mkdir -p "$WORK"
capture=$WORK/storm-$FRAMES-$PHONES-boot$BOOT_WITHIN.pcap
if [[ ! -s $capture ]]; then
    "$BIN/boot-storm" --frames "$FRAMES" --phones "$PHONES" --boot-within "$BOOT_WITHIN" "$capture" > /dev/null
fi

tx=pb-replay-tx-$$
rx=pb-replay-rx-$$
watch_pid=
cleanup() {
    [[ -n $watch_pid ]] && kill "$watch_pid" 2> /dev/null || true
    ip netns del "$tx" 2> /dev/null || true
    ip netns del "$rx" 2> /dev/null || true
}
trap cleanup EXIT
ip netns add "$tx"
ip netns add "$rx"
ip link add pbtx0 netns "$tx" mtu 9000 type veth peer name pbrx0 netns "$rx" mtu 9000
ip -n "$tx" link set pbtx0 up
ip -n "$rx" link set pbrx0 up

report=$WORK/watch-replay.json
buffer=()
[[ -n ${BUFFER:-} ]] && buffer=(--buffer-size "$BUFFER")
ip netns exec "$rx" "$BIN/phoneboot" watch -i pbrx0 --format json "${buffer[@]}" > "$report" 2> "$WORK/watch-replay.err" &
watch_pid=$!
for _ in $(seq 50); do
    grep -q "watching" "$WORK/watch-replay.err" 2> /dev/null && break
    sleep 0.1
done

echo "phoneboot: release build, $LINKED"
echo "replaying $(basename "$capture") ($(du -m "$capture" | cut -f1) MB) at $MBPS Mbit/s into a veth; watch's resident memory:"
printf '%8s %10s %10s\n' seconds "RSS" "CPU s"
ip netns exec "$tx" tcpreplay -q -i pbtx0 --mbps "$MBPS" "$capture" > "$WORK/tcpreplay.log" 2>&1 &
replay_pid=$!
start=$SECONDS
while kill -0 "$replay_pid" 2> /dev/null; do
    sleep "$EVERY"
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$watch_pid/status" 2> /dev/null || echo 0)
    cpu=$(awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$watch_pid/stat" 2> /dev/null || echo 0)
    printf '%8d %7.1f MB %10s\n' $((SECONDS - start)) "$(echo "$rss" | awk '{print $1 / 1024}')" "$cpu"
done
wait "$replay_pid" || { cat "$WORK/tcpreplay.log" >&2; exit 2; }
sleep 2
peak=$(awk '/VmHWM/ {print $2}' "/proc/$watch_pid/status")
kill -INT "$watch_pid"
wait "$watch_pid" || true
watch_pid=

echo
grep -E "Actual|Rated|Failed" "$WORK/tcpreplay.log" | sed 's/^ */tcpreplay: /'
python3 - "$report" "$PHONES" "$peak" << 'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
capture = report["captures"][0]
counters = capture.get("capture") or {}
phones = capture["summary"]["phones"]
print(f"watch: {counters.get('received', '?')} frames received, {counters.get('droppedByKernel', '?')} dropped by the kernel, "
      f"{phones} of {sys.argv[2]} phones reported, peak RSS {int(sys.argv[3]) / 1024:.1f} MB")
EOF
