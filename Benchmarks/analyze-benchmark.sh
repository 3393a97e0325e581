#!/usr/bin/env bash
# analyze-benchmark.sh — what `phoneboot analyze` costs against the least any reader of the file
# pays and against tshark extracting the same facts, side by side in one run.
#
# For each size it writes (once, then reuses) a synthetic voice-VLAN capture with boot-storm
# (Benchmarks/BootStorm: PHONES phones booting over DHCP and TFTP among web, RTP, SIP and DNS
# traffic, a third 802.1Q-tagged; the same size and seed give the same file) and times, RUNS
# times each, median shown:
#   floor    pcap-floor (Benchmarks/PcapFloor): a plain pcap_next_ex loop summing every byte,
#            the file opened with pcap_open_offline (stdio's own buffering, 4 KiB a read)
#   floor-1M the same loop reading through a 1 MiB stdio buffer, as phoneboot reads a file
#   analyze  phoneboot analyze --format json FILE > /dev/null (the full report)
#   tshark   tshark -Y 'dhcp || tftp' -T fields with options 55/60/66/150/160, TFTP file names
#            and errors (the same facts)
# and prints wall time, frames/s, peak RSS and the ratios analyze/floor (and analyze/floor-1M)
# and tshark/analyze.
# It then checks that the report names every phone of the capture. Any tool that fails (exit
# status 2 or more, or a signal) fails the script.
#
# Usage: Benchmarks/analyze-benchmark.sh [FRAMES...]       (default: 1000000 4000000)
#        Benchmarks/analyze-benchmark.sh --smoke           (CI's check: 20,000 frames, 200 phones,
#                                                           one run, the debug build; its figures
#                                                           say the command works, not how fast)
# Environment: RUNS (3), PHONES (10000: the site's phones, the same at every size, so that a
# longer capture holds more other traffic, not more phones; "scaled" gives one phone per 100
# frames), WORK (.build/bench, where captures are kept), TSHARK (1; 0 leaves tshark out),
# CONFIGURATION (release; debug with --smoke), STATIC (1 for a release build: the binaries are
# linked as scripts/install.sh links the phoneboot it installs, the Swift runtime inside them
# (--static-swift-stdlib); 0 times what a plain `swift build -c release` leaves, the runtime as
# shared libraries, which starts 3 ms slower and runs a few per cent slower).
# Needs: libpcap-dev, tshark, GNU time (/usr/bin/time, Debian package time).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-3}
PHONES=${PHONES:-10000}
WORK=${WORK:-$ROOT/.build/bench}
TSHARK=${TSHARK:-1}
SIZES=("$@")
if [[ ${1:-} == --smoke ]]; then
    SIZES=(20000)
    RUNS=1
    PHONES=200
    CONFIGURATION=${CONFIGURATION:-debug}
fi
CONFIGURATION=${CONFIGURATION:-release}
[[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000000 4000000)
if [[ $CONFIGURATION == release ]]; then STATIC=${STATIC:-1}; else STATIC=${STATIC:-0}; fi
LINK=()
LINKED="Swift runtime as shared libraries"
if [[ $STATIC == 1 ]]; then
    LINK=(--static-swift-stdlib)
    LINKED="Swift runtime linked in, as scripts/install.sh installs it"
fi

for tool in /usr/bin/time; do
    [[ -x $tool ]] || { echo "analyze-benchmark: $tool is missing (apt-get install time)" >&2; exit 2; }
done
if [[ $TSHARK == 1 ]] && ! command -v tshark > /dev/null; then
    echo "analyze-benchmark: tshark is missing (apt-get install tshark, or TSHARK=0)" >&2
    exit 2
fi

cd "$ROOT"
for product in phoneboot boot-storm pcap-floor; do
    if ! swift build -c "$CONFIGURATION" "${LINK[@]}" --product "$product" > "$WORK.build.log" 2>&1; then
        cat "$WORK.build.log" >&2
        echo "analyze-benchmark: building $product failed" >&2
        exit 2
    fi
done
BIN=$(swift build -c "$CONFIGURATION" --show-bin-path)
mkdir -p "$WORK"

# One timed run: prints "seconds kilobytes" (wall time to the millisecond, peak RSS from GNU
# time); the command's output goes to /dev/null. Exit status 1 is a verdict (analyze: findings
# at or above --fail-on), anything above is a failure.
timed() {
    local out status=0 start end
    out=$(mktemp)
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$out" "$@" > /dev/null 2>> "$WORK/stderr.log" || status=$?
    end=$(date +%s%N)
    if ((status > 1)); then
        echo "analyze-benchmark: '$*' failed (exit status $status); its stderr is in $WORK/stderr.log" >&2
        tail -5 "$WORK/stderr.log" >&2
        exit 2
    fi
    echo "$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }') $(tail -1 "$out")"
    rm -f "$out"
}

# The median of RUNS runs: prints "seconds kilobytes" (the run with the median time).
median() {
    local runs=() run
    for ((run = 0; run < RUNS; run++)); do runs+=("$(timed "$@")"); done
    printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

TSHARK_FIELDS=(-e frame.number -e dhcp.hw.mac_addr -e dhcp.option.dhcp -e dhcp.option.request_list_item
    -e dhcp.option.vendor_class_id -e dhcp.option.tftp_server_name -e dhcp.option.tftp_server_address
    -e dhcp.option.captive_portal -e tftp.source_file -e tftp.error.code -e tftp.error.message)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
    "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $CONFIGURATION build, $LINKED;" \
    "median of $RUNS run(s)"
printf '\n%-9s %-8s %9s %10s %11s %10s  %s\n' frames tool seconds frames/s "peak RSS" ratio note
for size in "${SIZES[@]}"; do
    phones=$PHONES
    [[ $phones == scaled ]] && phones=$((size / 100))
    capture=$WORK/storm-$size-$phones.pcap
    if [[ ! -s $capture ]]; then
        "$BIN/boot-storm" --frames "$size" --phones "$phones" "$capture" > "$WORK/storm-$size-$phones.txt"
    fi
    frames=$("$BIN/pcap-floor" "$capture" | awk '{print $1}')
    megabytes=$(du -m "$capture" | awk '{print $1}')
    read -r floor_s floor_kb <<< "$(median "$BIN/pcap-floor" "$capture")"
    read -r buffered_s buffered_kb <<< "$(median "$BIN/pcap-floor" --stdio-buffer 1048576 "$capture")"
    read -r analyze_s analyze_kb <<< "$(median "$BIN/phoneboot" analyze --format json "$capture")"
    row() { # tool seconds kilobytes ratio note
        awk -v f="$frames" -v t="$1" -v s="$2" -v k="$3" -v r="$4" -v n="$5" 'BEGIN {
            printf "%-9d %-8s %9.3f %10.0f %8.1f MB %10s  %s\n", f, t, s, (s > 0 ? f / s : 0), k / 1024, r, n }'
    }
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }
    row floor "$floor_s" "$floor_kb" "" "$megabytes MB file, $phones phones"
    row floor-1M "$buffered_s" "$buffered_kb" "" "the same loop, 1 MiB stdio buffer"
    # The report must name every phone the generator booted.
    found=$("$BIN/phoneboot" analyze --format json "$capture" 2>> "$WORK/stderr.log" \
        | grep -o '"summary":{"phones":[0-9]*' | grep -o '[0-9]*$' || true)
    if [[ $found != "$phones" ]]; then
        echo "analyze-benchmark: the report of $capture names ${found:-no} phones, not $phones" >&2
        exit 2
    fi
    row analyze "$analyze_s" "$analyze_kb" "$(ratio "$analyze_s" "$floor_s")" \
        "analyze/floor ($(ratio "$analyze_s" "$buffered_s") analyze/floor-1M); $found phones found"
    if [[ $TSHARK == 1 ]]; then
        read -r tshark_s tshark_kb <<< "$(median tshark -r "$capture" -Y 'dhcp || tftp' -T fields "${TSHARK_FIELDS[@]}")"
        row tshark "$tshark_s" "$tshark_kb" "$(ratio "$tshark_s" "$analyze_s")" "tshark/analyze"
    fi
done
