#!/usr/bin/env bash
# test-install.sh: install phoneboot into a temporary prefix with scripts/install.sh and check,
# as root, what the install promises (README "Installing"):
#   - the binary runs with the toolchain out of reach: in a mount namespace where /opt/swift
#     is an empty directory and PATH has no toolchain, `--version` answers and `analyze` of a
#     bundled capture gives the same report as its NAME.expected.json;
#   - it links no library from the toolchain (ldd);
#   - a man page per command, and bash, zsh and fish completions;
#   - the systemd units pass `systemd-analyze verify` (man pages found in the prefix) and
#     `systemd-analyze security --offline` rates them at most 3.0 ("OK");
#   - least privilege: as an unprivileged user with only the capabilities its unit grants,
#     `watch` captures and `proxy` binds port 67 on the interface, in a private network
#     namespace (192.0.2.0/24), while without them both refuse with exit 2.
# Usage: sudo scripts/test-install.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

[[ $(id -u) -eq 0 ]] || { echo "test-install.sh: run as root (mount namespaces, capabilities)" >&2; exit 2; }
for command in unshare setpriv ip systemd-analyze ldd python3 man; do
    command -v "$command" >/dev/null || { echo "test-install.sh: missing $command" >&2; exit 2; }
done

work=$(mktemp -d /tmp/phoneboot-install.XXXXXX)
chmod 0755 "$work" # the unprivileged runs below execute the installed binary from here
netns=pb-install-$$
cleanup() {
    ip netns del "$netns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
prefix=$work/prefix
failures=0
fail() { echo "test-install.sh: FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "test-install.sh: ok: $*" >&2; }

scripts/install.sh --prefix "$prefix"
binary=$prefix/bin/phoneboot

# Files.
for page in phoneboot phoneboot.analyze phoneboot.watch phoneboot.packets phoneboot.proxy; do
    [[ -s $prefix/share/man/man1/$page.1 ]] || fail "man page $page.1 missing"
done
MANPATH=$prefix/share/man man -w phoneboot.proxy >/dev/null 2>&1 || fail "man cannot find phoneboot.proxy in the prefix"
bash -n "$prefix/share/bash-completion/completions/phoneboot" || fail "bash completion does not parse"
grep -q '_phoneboot' "$prefix/share/bash-completion/completions/phoneboot" || fail "bash completion defines no function"
grep -q '#compdef phoneboot' "$prefix/share/zsh/site-functions/_phoneboot" || fail "zsh completion has no #compdef"
grep -q '^complete -c .*phoneboot' "$prefix/share/fish/vendor_completions.d/phoneboot.fish" || fail "fish completion has no complete -c"
pass "man pages and completions"

# No library from the toolchain.
if ldd "$binary" | grep -q '/opt/swift\|libswiftCore\|libFoundation'; then
    fail "the binary links Swift runtime libraries: $(ldd "$binary" | grep -o '[^ ]*swift[^ ]*' | sort -u | tr '\n' ' ')"
else
    pass "ldd: $(ldd "$binary" | awk '{print $1}' | tr '\n' ' ')"
fi

# The binary without the toolchain: /opt/swift hidden under an empty tmpfs, a PATH without it.
capture=captures/polycom-tftp-boot.pcap
cp "$capture" "$work/capture.pcap"
if unshare --mount --fork sh -c '
        set -e
        mkdir -p /opt/swift && mount -t tmpfs -o size=1m none /opt/swift
        [ -z "$(ls -A /opt/swift)" ]
        export PATH=/usr/sbin:/usr/bin:/sbin:/bin
        ! command -v swift >/dev/null
        "$1" --version >"$2/version"
        "$1" analyze --all-devices --fail-on never --format json "$2/capture.pcap" >"$2/report.json"
    ' sh "$binary" "$work"; then
    python3 - "$work/report.json" "${capture%.pcap}.expected.json" <<'EOF' || fail "analyze without the toolchain differs from the expected report"
import json, sys
actual = json.load(open(sys.argv[1]))["captures"][0]
expected = json.load(open(sys.argv[2]))
for report in (actual, expected):
    report.pop("file", None)
sys.exit(0 if actual == expected else 1)
EOF
    pass "without /opt/swift: phoneboot --version printed $(cat "$work/version"); analyze matches $(basename "${capture%.pcap}").expected.json"
else
    fail "phoneboot did not run with /opt/swift hidden"
fi

# systemd units.
units=$work/units
mkdir -p "$units"
cp "$prefix"/lib/systemd/system/*.service "$units/"
for template in phoneboot-proxy phoneboot-watch; do
    grep -q "ExecStart=$binary " "$units/$template@.service" || fail "$template@.service does not start $binary"
    ln -s "$template@.service" "$units/$template@lab0.service"
    if output=$(cd "$units" && MANPATH=$prefix/share/man systemd-analyze verify "$template@lab0.service" 2>&1) \
        && [[ -z $output ]]; then
        pass "systemd-analyze verify $template@lab0.service"
    else
        fail "systemd-analyze verify $template@lab0.service: $output"
    fi
    exposure=$(cd "$units" && systemd-analyze security --offline=true "$template@lab0.service" 2>&1 \
        | awk '/Overall exposure level/ {print $(NF-2)}')
    if [[ -n $exposure ]] && python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= 3.0 else 1)" "$exposure"; then
        pass "systemd-analyze security $template@lab0.service: exposure $exposure"
    else
        fail "systemd-analyze security $template@lab0.service: exposure ${exposure:-unknown}, want at most 3.0"
    fi
done

# Least privilege: the capabilities the units grant are enough, and needed.
ip netns add "$netns"
ip -n "$netns" link add lab0 type veth peer name phone0
ip -n "$netns" addr add 192.0.2.1/24 dev lab0
ip -n "$netns" link set lab0 up
ip -n "$netns" link set phone0 up
as_nobody() {
    local caps=$1
    shift
    ip netns exec "$netns" setpriv --reuid=65534 --regid=65534 --clear-groups \
        --inh-caps="-all$caps" --ambient-caps="-all$caps" --bounding-set="-all$caps" -- "$@"
}
# watch with CAP_NET_RAW only sees a DISCOVER from a Polycom MAC sent on the veth's other end.
as_nobody ",+net_raw" "$binary" watch -i lab0 --duration 3 --format ndjson --fail-on never \
    >"$work/watch.out" 2>"$work/watch.err" &
watch_pid=$!
sleep 1
ip netns exec "$netns" python3 - <<'EOF'
import socket, struct
mac = bytes.fromhex("0004f2a1b2c3")
dhcp = struct.pack("!BBBBIHHIIII", 1, 1, 6, 0, 0x1234ABCD, 0, 0x8000, 0, 0, 0, 0) + mac + bytes(10 + 64 + 128)
dhcp += bytes.fromhex("63825363") + bytes([53, 1, 1, 55, 3, 1, 66, 160, 255])
udp_length = 8 + len(dhcp)
udp = struct.pack("!HHHH", 68, 67, udp_length, 0) + dhcp
header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_length, 0, 0, 64, 17, 0, bytes(4), b"\xff" * 4)
checksum = sum(struct.unpack("!10H", header))
checksum = (checksum & 0xFFFF) + (checksum >> 16)
header = header[:10] + struct.pack("!H", ~checksum & 0xFFFF) + header[12:]
frame = b"\xff" * 6 + mac + b"\x08\x00" + header + udp
with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sender:
    sender.bind(("phone0", 0))
    for _ in range(3):
        sender.send(frame)
EOF
status=0
wait "$watch_pid" || status=$?
if [[ $status -eq 0 ]] && grep -q '00:04:f2:a1:b2:c3' "$work/watch.out"; then
    pass "watch as nobody with CAP_NET_RAW only: saw the DISCOVER from 00:04:f2:a1:b2:c3"
else
    fail "watch as nobody with CAP_NET_RAW exited $status: $(cat "$work/watch.err") $(head -c 300 "$work/watch.out")"
fi
status=0
as_nobody "" "$binary" watch -i lab0 --duration 1 >/dev/null 2>"$work/watch.err" || status=$?
[[ $status -eq 2 ]] || fail "watch without CAP_NET_RAW exited $status, want 2"
status=0
as_nobody ",+net_bind_service,+net_raw" timeout --preserve-status -s INT 2 "$binary" proxy -i lab0 --boot-server tftp://192.0.2.1 \
    >"$work/proxy.out" 2>"$work/proxy.err" || status=$?
if [[ $status -eq 0 ]] && grep -q "inform mode on lab0" "$work/proxy.err"; then
    pass "proxy as nobody with CAP_NET_BIND_SERVICE and CAP_NET_RAW"
else
    fail "proxy as nobody with its unit's capabilities exited $status: $(cat "$work/proxy.err")"
fi
status=0
as_nobody "" timeout --preserve-status -s INT 2 "$binary" proxy -i lab0 --boot-server tftp://192.0.2.1 >/dev/null 2>&1 || status=$?
[[ $status -eq 2 ]] || fail "proxy without capabilities exited $status, want 2"

if ((failures > 0)); then
    echo "test-install.sh: $failures check(s) failed" >&2
    exit 1
fi
echo "test-install.sh: every check passed" >&2
