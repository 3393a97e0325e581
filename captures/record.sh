#!/usr/bin/env bash
# record.sh — record small, real Polycom-style boot captures for PhoneBoot's tests.
#
# Each scenario builds two private network namespaces joined by a veth pair:
#
#   pb-phone  (dhclient + curl, MAC with a Polycom OUI)  <== veth ==>  pb-server  (dnsmasq DHCP + TFTP)
#
# and records, with tcpdump on the phone-side veth, the UDP traffic of one boot:
# DHCP DISCOVER/OFFER/REQUEST/ACK, then TFTP fetches of the master config, the
# application image and a file that does not exist.  Only 192.0.2.0/24 (TEST-NET-1)
# is used; the namespaces have no default route and no link to the host's network.
# Everything the script starts runs inside its own namespaces and is stopped, and
# the namespaces and temporary directory are deleted, on exit (also on failure or
# Ctrl-C).  Nothing is installed by the script: it reports missing packages.
#
# Usage: sudo captures/record.sh [-h] [-l] [scenario...]     (default: all scenarios)
# Output: captures/<scenario>.pcap (classic pcap), plus a tshark summary on stdout.
# A pcap is only moved into captures/ once its capture has been verified.

set -euo pipefail

# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT_DIR=$SCRIPT_DIR

PHONE_NS=pb-phone
SERVER_NS=pb-server
PHONE_IF=pb-phone0            # veth end in the phone namespace
SERVER_IF=pb-server0          # veth end in the server namespace
SERVER_MAC=02:50:42:00:00:01  # locally administered, fixed so re-runs look alike
SERVER_IP=192.0.2.1
OTHER_SERVER_IP=192.0.2.2     # a second address: another boot server, or a second DHCP server
SECOND_SERVER_NS=pb-server2   # the second DHCP server of two-dhcp-servers
SECOND_SERVER_MAC=02:50:42:00:00:02
BRIDGE=pb-br0                 # joins the phone and both servers in two-dhcp-servers
PREFIX_LEN=24
DHCP_RANGE=192.0.2.100,192.0.2.150,255.255.255.0,1h

APP_IMAGE=3111-46162-001.sip.ld
APP_IMAGE_SIZE=300000         # bytes of deterministic pseudo-random data

SCENARIOS=(polycom-tftp-boot polycom-ascii-vlan no-boot-server boot-server-conflict cached-boot-server
           tftp-no-answer two-dhcp-servers)

TMP_PREFIX=phoneboot-record
LOCK_FILE=/run/phoneboot-record.lock

WORK_DIR=""        # per-run temporary directory (mktemp -d)
TFTP_DIR=""        # $WORK_DIR/srv/tftp: the files dnsmasq serves
TCPDUMP_PID=""     # started processes, stopped by pid
DNSMASQ_PIDS=()    # every dnsmasq of the scenario
HELPER_PIDS=()     # vlan-shim.py processes, the silent TFTP port
SUMMARY=()         # lines printed at the end
VERIFY_FAILED=0    # set by verify_capture when a check of any capture fails
CAPTURE_OK=0       # result of the last verify_capture

# Set by setup_network for the current scenario.
TFTP_SERVER=$SERVER_IP # where the phone's curl fetches from (set per scenario)
PHONE_DEV=""       # interface dhclient and curl use (the VLAN sub-interface if any)
SERVER_DEV=""      # interface dnsmasq serves on
CAPTURE_DEV=""     # interface tcpdump listens on (always the phone-side veth itself)

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'record.sh: error: %s\n' "$*" >&2; exit 1; }

# For foreground commands only: a function run with "&" would fork a subshell, and
# $! would then be the subshell rather than the process to stop.
in_phone() { ip netns exec "$PHONE_NS" "$@"; }

usage() {
    cat <<EOF
Usage: sudo $0 [-h] [-l] [scenario...]

Records real DHCP + TFTP boot captures between dhclient/curl (the "phone") and
dnsmasq (the "server") in private network namespaces, writing
$OUT_DIR/<scenario>.pcap.

Scenarios (default: all): ${SCENARIOS[*]}
  -l, --list   list scenarios
  -h, --help   this help

Environment: PB_KEEP_WORK=1 keeps the temporary directory (dnsmasq/dhclient logs,
captures that failed verification) for debugging; the next run removes it.
PB_VLAN=kernel|shim forces kernel VLAN interfaces or the userspace vlan-shim.py
(default: kernel, falling back to the shim when the kernel has no 802.1Q support).
EOF
}

# Every command the script needs, with the Debian package that provides it.
check_requirements() {
    local -A packages=(
        [ip]=iproute2 [dnsmasq]=dnsmasq-base [dhclient]=isc-dhcp-client [curl]=curl
        [tcpdump]=tcpdump [tshark]=tshark [openssl]=openssl [flock]=util-linux
        [timeout]=coreutils [od]=coreutils [cmp]=diffutils [sysctl]=procps [xxd]=xxd [mount]=mount [ethtool]=ethtool
    )
    local cmd missing=()
    for cmd in "${!packages[@]}"; do
        if ! command -v "$cmd" >/dev/null 2>&1; then
            printf 'record.sh: missing command %s (apt package: %s)\n' "$cmd" "${packages[$cmd]}" >&2
            missing+=("${packages[$cmd]}")
        fi
    done
    if ((${#missing[@]})); then
        die "install with: apt-get install -y $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
    fi
    curl --version | grep -qw tftp || die "this curl was built without tftp:// support (apt package: curl)"
}

# ---------------------------------------------------------------------------
# Cleanup (also removes leftovers of an earlier, aborted run)
# ---------------------------------------------------------------------------

# Stops every process still running inside one of our namespaces (all of them were
# started by this script: nothing else lives there), then deletes the namespace.
remove_namespace() {
    local ns=$1 pids
    ip netns list 2>/dev/null | grep -qw "^$ns" || return 0
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    if [[ -n $pids ]]; then
        # shellcheck disable=SC2086 # one pid per word
        kill -TERM $pids 2>/dev/null || true
        sleep 0.5
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        # shellcheck disable=SC2086
        [[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
    fi
    ip netns delete "$ns" 2>/dev/null || true
}

teardown_network() {
    remove_namespace "$PHONE_NS"
    remove_namespace "$SERVER_NS"
    remove_namespace "$SECOND_SERVER_NS"
    # A veth end left in the host namespace by a failed move: delete ours only.
    ip link delete "$PHONE_IF" 2>/dev/null || true
    ip link delete "$SERVER_IF" 2>/dev/null || true
}

# stop_pid PID SIGNAL : sends SIGNAL to a child started by this script, waits up to
# 5 s for it to exit, then kills it; never blocks for longer.
stop_pid() {
    local pid=$1 signal=$2 tries=50
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill "-$signal" "$pid" 2>/dev/null || true
    while ((tries-- > 0)) && kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid ignored SIG$signal; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# Stops the processes of the current scenario by pid, then the namespaces.
stop_scenario() {
    if [[ -n $TCPDUMP_PID ]]; then
        stop_pid "$TCPDUMP_PID" INT
        TCPDUMP_PID=""
    fi
    local pid
    for pid in "${DNSMASQ_PIDS[@]}" "${HELPER_PIDS[@]}"; do stop_pid "$pid" TERM; done
    DNSMASQ_PIDS=()
    HELPER_PIDS=()
    # dhclient daemonises after its lease: stop it through its pid file.
    if [[ -n $WORK_DIR && -s $WORK_DIR/dhclient.pid ]]; then
        kill -TERM "$(cat "$WORK_DIR/dhclient.pid")" 2>/dev/null || true
        rm -f "$WORK_DIR/dhclient.pid"
    fi
    teardown_network
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_scenario
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then
        if [[ ${PB_KEEP_WORK:-0} == 1 ]]; then
            log "PB_KEEP_WORK=1: leaving $WORK_DIR (logs, failed captures)"
        else
            rm -rf -- "$WORK_DIR"
        fi
    fi
    if ((status != 0)); then
        log "failed (exit $status); namespaces and temporary files removed"
    fi
    exit "$status"
}

# Leftovers of an aborted earlier run: namespaces, veths and temporary directories.
clean_leftovers() {
    teardown_network
    local dir
    for dir in "${TMPDIR:-/tmp}/$TMP_PREFIX".*; do
        [[ -d $dir ]] && rm -rf -- "$dir"
    done
    return 0
}

# ---------------------------------------------------------------------------
# Network: two namespaces, one veth pair, optionally a VLAN on top of it
# ---------------------------------------------------------------------------

# setup_network PHONE_MAC [VLAN_ID]
setup_network() {
    local phone_mac=$1 vlan=${2:-} ns
    teardown_network
    for ns in "$PHONE_NS" "$SERVER_NS"; do
        ip netns add "$ns"
        ip -n "$ns" link set lo up
        # No IPv6: keeps the link silent apart from the boot itself.
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
            2>/dev/null || true
    done

    # The MAC is set when the veth is created, before any VLAN sub-interface
    # (which inherits its parent's address).
    ip link add "$PHONE_IF" address "$phone_mac" netns "$PHONE_NS" type veth \
        peer name "$SERVER_IF" address "$SERVER_MAC" netns "$SERVER_NS"
    # veth leaves UDP checksums to a "hardware" that does not exist: with TX checksum
    # offload on, most recorded UDP packets would carry unfinished checksums.  Off, the
    # kernel fills them in, as a real NIC would have on the wire.
    ip netns exec "$PHONE_NS" ethtool -K "$PHONE_IF" tx off >/dev/null
    ip netns exec "$SERVER_NS" ethtool -K "$SERVER_IF" tx off >/dev/null
    ip -n "$PHONE_NS" link set "$PHONE_IF" up
    ip -n "$SERVER_NS" link set "$SERVER_IF" up

    CAPTURE_DEV=$PHONE_IF
    TFTP_SERVER=$SERVER_IP
    if [[ -n $vlan ]]; then
        PHONE_DEV=$PHONE_IF.$vlan
        SERVER_DEV=$SERVER_IF.$vlan
        add_vlan "$PHONE_NS" "$PHONE_IF" "$PHONE_DEV" "$vlan" "$phone_mac"
        add_vlan "$SERVER_NS" "$SERVER_IF" "$SERVER_DEV" "$vlan" "$SERVER_MAC"
        ip -n "$PHONE_NS" link set "$PHONE_DEV" up
        ip -n "$SERVER_NS" link set "$SERVER_DEV" up
    else
        PHONE_DEV=$PHONE_IF
        SERVER_DEV=$SERVER_IF
    fi
    # The phone gets its address from DHCP; the server has a static one.
    ip -n "$SERVER_NS" addr add "$SERVER_IP/$PREFIX_LEN" dev "$SERVER_DEV"
}

# add_vlan NS PARENT NAME VID MAC : the 802.1Q sub-interface NAME of PARENT.
#
# Normally a kernel VLAN interface.  Kernels built without CONFIG_VLAN_8021Q (some VM
# kernels) answer "Unknown device type"; then NAME is a tap device with the parent's
# MAC, and vlan-shim.py (next to this script) tags and untags between the two in
# userspace, so the frames on PARENT look the same.  PB_VLAN=kernel or PB_VLAN=shim
# forces one or the other.
add_vlan() {
    local ns=$1 parent=$2 name=$3 vid=$4 mac=$5 mode=${PB_VLAN:-auto} logf
    if [[ $mode != shim ]]; then
        if ip -n "$ns" link add link "$parent" name "$name" type vlan id "$vid" 2>"$WORK_DIR/vlan.err"; then
            log "$ns: $name is a kernel VLAN interface"
            return 0
        fi
        [[ $mode == auto ]] || die "cannot create VLAN interface $name: $(cat "$WORK_DIR/vlan.err")"
        log "$ns: no kernel 802.1Q support ($(tr -d '\n' <"$WORK_DIR/vlan.err")); using vlan-shim.py"
    fi
    command -v python3 >/dev/null 2>&1 || die "the 802.1Q shim needs python3 (apt package: python3)"
    [[ -r $SCRIPT_DIR/vlan-shim.py ]] || die "missing $SCRIPT_DIR/vlan-shim.py"
    ip -n "$ns" tuntap add dev "$name" mode tap
    ip -n "$ns" link set dev "$name" address "$mac"
    logf=$WORK_DIR/vlan-shim-$ns.log
    : >"$logf"
    # Started directly so that $! is the shim (see start_dnsmasq).
    ip netns exec "$ns" python3 "$SCRIPT_DIR/vlan-shim.py" "$parent" "$name" "$vid" 2>"$logf" &
    HELPER_PIDS+=("$!")
    wait_for_log "$logf" "ready" 10 || {
        cat "$logf" >&2
        die "vlan-shim.py did not start in $ns"
    }
}

# ---------------------------------------------------------------------------
# Server side: TFTP root and dnsmasq
# ---------------------------------------------------------------------------

# A small Polycom master configuration file.
master_config() {
    local comment=$1
    cat <<EOF
<?xml version="1.0" standalone="yes"?>
<!-- PhoneBoot test capture: $comment -->
<APPLICATION APP_FILE_PATH="$APP_IMAGE" CONFIG_FILES="phone1.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="" LICENSE_DIRECTORY="" USER_PROFILES_DIRECTORY="" CALL_LISTS_DIRECTORY=""/>
EOF
}

# make_tftp_root FILE... : a fresh TFTP root holding the named files (out of the
# set this script knows how to make); everything else is "file not found".
make_tftp_root() {
    local root=$TFTP_DIR name
    rm -rf -- "$root"
    mkdir -p "$root"
    for name in "$@"; do
        case $name in
            "$APP_IMAGE")
                # Deterministic pseudo-random bytes: AES-CTR keystream for a fixed
                # passphrase, so every run serves the same image.
                head -c "$APP_IMAGE_SIZE" /dev/zero |
                    openssl enc -aes-128-ctr -md sha256 -nosalt -pass pass:phoneboot 2>/dev/null >"$root/$name"
                [[ $(stat -c %s "$root/$name") -eq $APP_IMAGE_SIZE ]] || die "could not generate $name"
                ;;
            000000000000.cfg) master_config "default master configuration file" >"$root/$name" ;;
            *.cfg) master_config "master configuration file for ${name%.cfg}" >"$root/$name" ;;
            *) die "make_tftp_root: do not know how to make $name" ;;
        esac
    done
    # dnsmasq drops root privileges: the files must be world-readable.
    chmod 0755 "$root"
    chmod 0644 "$root"/*
}

# start_dnsmasq DHCP_OPTION... : DHCP + TFTP server, no DNS, on the server interface.
#
# dnsmasq puts the full path in its TFTP "file ... not found" error messages, and those
# are in the capture.  So that every run records the same, tidy path, dnsmasq sees its
# TFTP root as /srv/tftp: $WORK_DIR/srv is bind-mounted on /srv inside the private mount
# namespace "ip netns exec" creates (mount propagation there is slave: nothing shows on
# the host, and the mount goes away with dnsmasq).  Without a /srv directory on the host
# the temporary path is served as is.
start_dnsmasq() {
    run_dnsmasq dnsmasq "$SERVER_NS" "$SERVER_DEV" "$DHCP_RANGE" tftp "$@"
}

# run_dnsmasq NAME NS DEV RANGE tftp|no-tftp DHCP_OPTION... : one dnsmasq (NAME names its
# log, lease and pid files), DHCP on DEV in NS, and TFTP from $TFTP_DIR unless no-tftp.
run_dnsmasq() {
    local name=$1 ns=$2 dev=$3 range=$4 tftp=$5 tftp_root=/srv/tftp
    shift 5
    local logf=$WORK_DIR/$name.log ready="DHCP, IP range"
    # shellcheck disable=SC2016 # $0 and $@ are expanded by that inner sh
    local -a prefix=(sh -c 'mount --bind "$0" /srv && exec "$@"' "$WORK_DIR/srv")
    if [[ ! -d /srv ]]; then
        tftp_root=$TFTP_DIR
        prefix=()
    fi
    local -a tftp_args=()
    if [[ $tftp == tftp ]]; then
        tftp_args=(--enable-tftp --tftp-root="$tftp_root")
        ready="TFTP root is"
    fi
    : >"$logf"
    rm -f "$WORK_DIR/$name.leases"
    # Started directly (not through a function) so that $! is dnsmasq itself:
    # "ip netns exec" and the sh above both exec the command in place.
    # Option values are given unquoted: on the command line dnsmasq would send
    # the quotes themselves.
    ip netns exec "$ns" "${prefix[@]}" dnsmasq --keep-in-foreground --conf-file=/dev/null \
        --no-resolv --no-hosts --port=0 \
        --interface="$dev" --bind-interfaces \
        --dhcp-range="$range" \
        --dhcp-leasefile="$WORK_DIR/$name.leases" \
        --pid-file="$WORK_DIR/$name.pid" \
        "${tftp_args[@]}" \
        --log-facility="$logf" --log-dhcp --no-ping \
        "$@" &
    DNSMASQ_PIDS+=("$!")
    wait_for_log "$logf" "$ready" 10 || {
        cat "$logf" >&2
        die "$name did not start"
    }
}

# start_silent_tftp ADDRESS : holds UDP port 69 on ADDRESS in the server namespace and never
# answers, as a TFTP server behind a filter that drops its replies would look (no ICMP
# "port unreachable" either, since the port is open).
start_silent_tftp() {
    local address=$1 logf=$WORK_DIR/silent-tftp.log
    : >"$logf"
    ip netns exec "$SERVER_NS" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 69))
print("ready", flush=True)
while True:
    time.sleep(60)
' "$address" >"$logf" 2>&1 &
    HELPER_PIDS+=("$!")
    wait_for_log "$logf" "ready" 10 || {
        cat "$logf" >&2
        die "could not hold UDP port 69 on $address"
    }
}

# add_second_dhcp_server : turns the server side into a bridge shared by the phone, the
# first server and a second namespace with its own dnsmasq at $OTHER_SERVER_IP (call after
# setup_network, before starting any dnsmasq).  SERVER_DEV becomes the bridge.
add_second_dhcp_server() {
    local peer=pb-srv2-br
    ip -n "$SERVER_NS" addr flush dev "$SERVER_DEV"
    ip -n "$SERVER_NS" link add "$BRIDGE" address "$SERVER_MAC" type bridge
    ip -n "$SERVER_NS" link set "$SERVER_IF" master "$BRIDGE"
    ip netns add "$SECOND_SERVER_NS"
    ip -n "$SECOND_SERVER_NS" link set lo up
    ip netns exec "$SECOND_SERVER_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
        2>/dev/null || true
    ip link add pb-srv2 address "$SECOND_SERVER_MAC" netns "$SECOND_SERVER_NS" type veth \
        peer name "$peer" netns "$SERVER_NS"
    ip netns exec "$SECOND_SERVER_NS" ethtool -K pb-srv2 tx off >/dev/null
    ip -n "$SERVER_NS" link set "$peer" master "$BRIDGE"
    ip -n "$SERVER_NS" link set "$peer" up
    ip -n "$SECOND_SERVER_NS" link set pb-srv2 up
    ip -n "$SECOND_SERVER_NS" addr add "$OTHER_SERVER_IP/$PREFIX_LEN" dev pb-srv2
    ip -n "$SERVER_NS" link set "$BRIDGE" up
    SERVER_DEV=$BRIDGE
    ip -n "$SERVER_NS" addr add "$SERVER_IP/$PREFIX_LEN" dev "$SERVER_DEV"
}

# ---------------------------------------------------------------------------
# Capture
# ---------------------------------------------------------------------------

# wait_for_log FILE PATTERN SECONDS : polls FILE until it contains PATTERN.
wait_for_log() {
    local file=$1 pattern=$2 tries=$(($3 * 10))
    while ((tries-- > 0)); do
        grep -q -- "$pattern" "$file" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# start_capture FILE FILTER : tcpdump on the phone-side veth, full snaplen, classic pcap.
start_capture() {
    local file=$1 filter=$2 errf=$WORK_DIR/tcpdump.err
    : >"$errf"
    # -Z root: write the file as root (tcpdump otherwise drops to its own user first).
    ip netns exec "$PHONE_NS" tcpdump -i "$CAPTURE_DEV" -w "$file" -U -Z root "$filter" 2>"$errf" &
    TCPDUMP_PID=$!
    wait_for_log "$errf" "listening on" 10 || {
        cat "$errf" >&2
        die "tcpdump did not start"
    }
    sleep 0.5
}

stop_capture() {
    sleep 0.5 # let the last packets reach the capture
    stop_pid "$TCPDUMP_PID" INT # SIGINT: tcpdump flushes and closes the file
    TCPDUMP_PID=""
    sed -n '/captured\|received\|dropped/p' "$WORK_DIR/tcpdump.err" | sed 's/^/    tcpdump: /' >&2
}

# ---------------------------------------------------------------------------
# Phone side: dhclient and curl
# ---------------------------------------------------------------------------

# The -sf hook: only sets the leased address on the interface inside the phone
# namespace.  It never writes resolv.conf and never adds routes.
write_dhclient_hook() {
    local hook=$WORK_DIR/dhclient-hook.sh
    cat >"$hook" <<EOF
#!/bin/sh
# dhclient -sf hook for record.sh (runs inside the $PHONE_NS namespace only).
prefix_of() {  # 255.255.255.0 -> 24
    n=0
    for octet in \$(echo "\$1" | tr . ' '); do
        while [ "\$octet" -gt 0 ]; do n=\$((n + octet % 2)); octet=\$((octet / 2)); done
    done
    echo "\$n"
}
case "\$reason" in
    PREINIT)
        ip link set dev "\$interface" up ;;
    BOUND|RENEW|REBIND|REBOOT)
        ip -4 addr flush dev "\$interface"
        ip -4 addr add "\$new_ip_address/\$(prefix_of "\$new_subnet_mask")" dev "\$interface"
        env | grep '^new_' | sort > "$WORK_DIR/dhclient-lease.env" ;;
    EXPIRE|FAIL|RELEASE|STOP)
        ip -4 addr flush dev "\$interface" ;;
esac
exit 0
EOF
    chmod 0755 "$hook"
}

# write_dhclient_conf VENDOR_CLASS : VENDOR_CLASS is either hex colon notation
# (binary) or a double-quoted string, exactly as dhclient.conf wants it.
write_dhclient_conf() {
    local vendor_class=$1
    cat >"$WORK_DIR/dhclient.conf" <<EOF
# dhclient.conf for record.sh: a Polycom phone's DHCP request.
option polycom-boot-server code 160 = string;
timeout 20;
initial-interval 1;
send vendor-class-identifier $vendor_class;
also request tftp-server-name, polycom-boot-server;
EOF
}

# Runs one dhclient attempt in the phone namespace; returns once the lease is bound
# (dhclient then daemonises and is stopped later through its pid file).
run_dhclient() {
    rm -f "$WORK_DIR/dhclient.leases" "$WORK_DIR/dhclient.pid" "$WORK_DIR/dhclient-lease.env"
    write_dhclient_hook
    log "dhclient on $PHONE_DEV"
    if ! in_phone timeout 40 dhclient -1 -v \
        -cf "$WORK_DIR/dhclient.conf" -lf "$WORK_DIR/dhclient.leases" \
        -pf "$WORK_DIR/dhclient.pid" -sf "$WORK_DIR/dhclient-hook.sh" \
        "$PHONE_DEV" 2>"$WORK_DIR/dhclient.log"; then
        cat "$WORK_DIR/dhclient.log" >&2
        die "dhclient got no lease"
    fi
    grep -E 'DHCP(DISCOVER|OFFER|REQUEST|ACK)|bound to' "$WORK_DIR/dhclient.log" | sed 's/^/    dhclient: /' >&2
    sed 's/^/    lease: /' "$WORK_DIR/dhclient-lease.env" >&2
    # The hook should have set the address; make sure before the TFTP fetches.
    ip -n "$PHONE_NS" -4 addr show dev "$PHONE_DEV" | grep -q 'inet 192\.0\.2\.' ||
        die "the phone has no 192.0.2.x address after DHCP"
}

# tftp_get FILE EXPECT [CURL_OPTION...] : fetches tftp://$TFTP_SERVER/FILE from the phone.
# EXPECT is "ok" (must succeed and match the served file), "missing" (TFTP error) or
# "noanswer" (curl gives up after 12 s; the server must not have answered).
tftp_get() {
    local file=$1 expect=$2 status=0 max_time=60
    shift 2
    [[ $expect != noanswer ]] || max_time=12
    in_phone curl --silent --show-error --noproxy '*' --max-time "$max_time" "$@" \
        -o "$WORK_DIR/download" "tftp://$TFTP_SERVER/$file" 2>"$WORK_DIR/curl.err" || status=$?
    case $expect in
        ok)
            ((status == 0)) || { cat "$WORK_DIR/curl.err" >&2; die "tftp get $file failed (curl exit $status)"; }
            cmp -s "$WORK_DIR/download" "$TFTP_DIR/$file" || die "tftp get $file: downloaded file differs"
            log "tftp get $file $* -> ok ($(stat -c %s "$WORK_DIR/download") bytes)"
            ;;
        noanswer)
            ((status == 28)) || die "tftp get $file: expected a timeout (curl exit 28), got exit $status"
            log "tftp get $file $* -> no answer, as expected"
            ;;
        missing)
            ((status != 0)) || die "tftp get $file succeeded but the file should be missing"
            log "tftp get $file $* -> failed as expected (curl exit $status: $(tr -d '\n' <"$WORK_DIR/curl.err"))"
            ;;
    esac
    rm -f "$WORK_DIR/download"
}

# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------

# count_packets FILE FILTER [TSHARK_OPTION...] : prints the number of packets in FILE
# matching display filter FILTER.
count_packets() {
    local file=$1 filter=$2
    shift 2
    tshark -r "$file" "$@" -Y "$filter" 2>/dev/null | wc -l
}

# dhcp_option_hex FILE MESSAGE_TYPE CODE : the hex data of option CODE in the first
# DHCP message of MESSAGE_TYPE (1 DISCOVER ... 5 ACK); empty when absent.  Read from
# tshark's raw option values, which also covers binary data such as Polycom's option 60
# (tshark shows that one as an empty string).  Options 0 and 255 carry no value field.
dhcp_option_hex() {
    tshark -r "$1" -Y "dhcp.option.dhcp == $2" -T fields -E occurrence=a -E aggregator=' ' \
        -e dhcp.option.type -e dhcp.option.value 2>/dev/null | head -1 |
        awk -F'\t' -v code="$3" '{
            n = split($1, types, " "); split($2, values, " "); v = 0
            for (i = 1; i <= n; i++) {
                if (types[i] == 0 || types[i] == 255) continue
                v++
                if (types[i] == code) { print values[v]; exit }
            }
        }'
}

# hex_text HEX : the bytes as text, NULs dropped, other unprintable bytes as ".".
hex_text() {
    xxd -r -p <<<"$1" | tr -d '\000' | LC_ALL=C tr -c '[:print:]' '.'
}

# verify_capture FILE EXPECT_66 EXPECT_160 EXPECT_60 EXPECT_VLAN [NOT_FOUND [TFTP [OFFERS]]] :
# checks one capture and adds its summary to SUMMARY.  EXPECT_66 or EXPECT_160 "" means the
# option must be absent from the ACK; EXPECT_60 is the vendor class as hex; EXPECT_VLAN ""
# means no 802.1Q tags.  NOT_FOUND: TFTP "file not found" errors expected (default 1);
# TFTP: "answered" (default), "unanswered" (RRQs and nothing else) or "none"; OFFERS: the
# number of DHCP OFFERs (default 1).
verify_capture() {
    local file=$1 want66=$2 want160=$3 want60=$4 want_vlan=$5
    local want_not_found=${6:-1} want_tftp=${7:-answered} want_offers=${8:-1} offers rrq_count
    local name magic size total dhcp tftp errors vlan_count acks ack_fields
    local hex60 hex66 hex160 text66 text160 oack rrqs bad_checksums failures=()
    name=$(basename "$file" .pcap)

    magic=$(od -An -tx1 -N4 "$file" | tr -d ' \n')
    [[ $magic == d4c3b2a1 || $magic == a1b2c3d4 || $magic == 4d3cb2a1 || $magic == a1b23c4d ]] ||
        failures+=("not a classic pcap file (magic $magic)")
    size=$(stat -c %s "$file")
    ((size < 1048576)) || failures+=("capture is $size bytes (over 1 MB)")

    total=$(count_packets "$file" "frame")
    dhcp=$(count_packets "$file" "dhcp")
    tftp=$(count_packets "$file" "tftp")
    errors=$(count_packets "$file" "tftp.error.code == 1")
    acks=$(count_packets "$file" "dhcp.option.dhcp == 5")
    ack_fields=$(tshark -r "$file" -Y 'dhcp.option.dhcp == 5' -T fields -E separator='|' \
        -e dhcp.option.tftp_server_name -e dhcp.option.captive_portal -e dhcp.option.vendor_class_id 2>/dev/null)

    offers=$(count_packets "$file" "dhcp.option.dhcp == 2")
    rrq_count=$(count_packets "$file" "tftp.opcode == 1")

    ((dhcp >= 4)) || failures+=("expected DISCOVER/OFFER/REQUEST/ACK, found $dhcp DHCP packets")
    ((acks == 1)) || failures+=("expected one DHCP ACK, found $acks")
    ((offers == want_offers)) || failures+=("expected $want_offers DHCP OFFERs, found $offers")
    case $want_tftp in
        answered) ((tftp > rrq_count)) || failures+=("no TFTP answers") ;;
        unanswered) ((rrq_count > 0 && tftp == rrq_count)) || failures+=("expected only RRQs, found $tftp TFTP packets ($rrq_count RRQs)") ;;
        none) ((tftp == 0)) || failures+=("expected no TFTP, found $tftp packets") ;;
    esac
    ((errors == want_not_found)) || failures+=("expected $want_not_found TFTP error code 1 (file not found), found $errors")

    # Options as sent on the wire (dnsmasq NUL-terminates option 66; that is kept in
    # the capture and ignored here).
    hex60=$(dhcp_option_hex "$file" 1 60)
    hex66=$(dhcp_option_hex "$file" 5 66)
    hex160=$(dhcp_option_hex "$file" 5 160)
    text66=$(hex_text "$hex66")
    text160=$(hex_text "$hex160")
    [[ $hex60 == "$want60" ]] || failures+=("DISCOVER option 60 is $hex60, expected $want60")
    if [[ -n $want66 ]]; then
        [[ $text66 == "$want66" ]] || failures+=("ACK option 66 is '$text66', expected '$want66'")
    else
        [[ -z $hex66 ]] || failures+=("ACK carries option 66 '$text66', expected none")
    fi
    if [[ -n $want160 ]]; then
        [[ $text160 == "$want160" ]] || failures+=("ACK option 160 is '$text160', expected '$want160'")
    else
        [[ -z $hex160 ]] || failures+=("ACK carries option 160 '$text160', expected none")
    fi

    bad_checksums=$(count_packets "$file" 'udp.checksum.status == "Bad" || ip.checksum.status == "Bad"' \
        -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE)
    ((bad_checksums == 0)) || failures+=("$bad_checksums packets with a bad IP or UDP checksum")

    if [[ -n $want_vlan ]]; then
        vlan_count=$(count_packets "$file" "vlan.id == $want_vlan")
        ((vlan_count == total)) || failures+=("only $vlan_count of $total frames carry VLAN $want_vlan")
    else
        vlan_count=$(count_packets "$file" "vlan")
        ((vlan_count == 0)) || failures+=("$vlan_count frames carry an 802.1Q tag")
    fi

    # TFTP requests, option acknowledgements and errors, in order.
    rrqs=$(tshark -r "$file" -Y 'tftp.opcode == 1 || tftp.opcode == 5 || tftp.opcode == 6' -T fields \
        -E occurrence=a -E aggregator=' ' -e frame.number -e tftp.opcode -e tftp.source_file \
        -e tftp.option.name -e tftp.option.value -e tftp.error.code -e tftp.error.message 2>/dev/null |
        awk -F'\t' '{
            n = split($4, names, " "); split($5, values, " "); opts = ""
            for (i = 1; i <= n; i++) opts = opts " " names[i] "=" values[i]
            if ($2 == 1) printf "  #%-5s RRQ   %s%s\n", $1, $3, opts
            else if ($2 == 6) printf "  #%-5s OACK %s\n", $1, opts
            else printf "  #%-5s ERROR code %s: %s\n", $1, $6, $7
        }')
    oack=$(count_packets "$file" "tftp.opcode == 6")

    SUMMARY+=(
        "$name.pcap: $size bytes, $total frames; dhcp: $dhcp, tftp: $tftp (OACK: $oack, error code 1: $errors), 802.1Q ${want_vlan:+VLAN $want_vlan }tagged: $vlan_count, bad checksums: $bad_checksums, offers: $offers"
        "  ACK (tshark -e dhcp.option.tftp_server_name -e dhcp.option.captive_portal -e dhcp.option.vendor_class_id): $ack_fields"
        "  ACK option 66: $text66 [$hex66]"
        "  ACK option 160: $([[ -n $hex160 ]] && printf '%s [%s]' "$text160" "$hex160" || printf '(absent)')"
        "  DISCOVER option 60: $(hex_text "$hex60")"
        "                      [$hex60]"
    )
    mapfile -t -O "${#SUMMARY[@]}" SUMMARY <<<"$rrqs"

    if ((${#failures[@]})); then
        printf '  FAILED: %s\n' "${failures[@]}" >&2
        local f
        for f in "${failures[@]}"; do SUMMARY+=("  FAILED: $f"); done
        VERIFY_FAILED=1
        CAPTURE_OK=0
        return 0
    fi
    SUMMARY+=("  OK")
    CAPTURE_OK=1
}

# keep_capture FILE : moves a verified capture into captures/ (a capture that failed
# verification is dropped with the temporary directory).
keep_capture() {
    if ((!CAPTURE_OK)); then
        log "not keeping $(basename "$1"): verification failed"
    else
        mv -f "$1" "$OUT_DIR/"
    fi
}

# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------

# Polycom binary vendor class (option 60) as plain hex: enterprise number 13885
# (00 00 36 3d), a length byte for the rest, sub-options code/len/data, then ff.
# polycom_vendor_class [MODEL PART] : default VVX-VVX_410 3111-46162-001.
polycom_vendor_class() {
    local -a subopts=(
        "Polycom"
        "${1:-VVX-VVX_410}"
        "${2:-3111-46162-001},1"
        "SIP/5.9.5.0614/11-Feb-20 10:34"
        "UP/5.9.5.0614/11-Feb-20 10:20"
    )
    local body="" code=1 value
    for value in "${subopts[@]}"; do
        ((${#value} < 256)) || die "vendor sub-option too long"
        body+=$(printf '%02x%02x' "$code" "${#value}")
        body+=$(printf '%s' "$value" | od -An -tx1 -v | tr -d ' \n')
        code=$((code + 1))
    done
    body+=ff
    local length=$((${#body} / 2))
    ((length < 256)) || die "vendor class too long"
    printf '0000363d%02x%s' "$length" "$body"
}

# colon_hex HEX : 0a1b2c -> 0a:1b:2c (dhclient.conf notation for binary data).
colon_hex() {
    sed 's/../&:/g; s/:$//' <<<"$1"
}

# 1. A VVX 410 with its binary vendor class, untagged; options 66 and 160 offered;
#    default TFTP blocksize (512); one missing file.
scenario_polycom-tftp-boot() {
    local pcap=$WORK_DIR/polycom-tftp-boot.pcap
    setup_network 00:04:f2:a1:b2:c3
    make_tftp_root 0004f2a1b2c3.cfg 000000000000.cfg "$APP_IMAGE"
    start_dnsmasq --dhcp-option=66,192.0.2.1 --dhcp-option=160,tftp://192.0.2.1
    local vendor_class
    vendor_class=$(polycom_vendor_class)
    write_dhclient_conf "$(colon_hex "$vendor_class")"
    start_capture "$pcap" udp
    run_dhclient
    tftp_get 0004f2a1b2c3.cfg ok
    tftp_get 000000000000.cfg ok
    tftp_get "$APP_IMAGE" ok
    tftp_get 0004f2a1b2c3-directory.xml missing
    stop_capture
    stop_scenario
    verify_capture "$pcap" 192.0.2.1 tftp://192.0.2.1 "$vendor_class" ""
    keep_capture "$pcap"
}

# 2. A VVX 410 (64:16:7f OUI) with an ASCII vendor class on 802.1Q VLAN 20; only
#    option 66 (a tftp:// URL); its <mac>.cfg is missing, so it falls back to
#    000000000000.cfg; the image comes with blksize 1428.
scenario_polycom-ascii-vlan() {
    local pcap=$WORK_DIR/polycom-ascii-vlan.pcap
    setup_network 64:16:7f:0a:0b:0c 20
    make_tftp_root 000000000000.cfg "$APP_IMAGE"
    start_dnsmasq --dhcp-option=66,tftp://192.0.2.1
    write_dhclient_conf '"Polycom-VVX410"'
    # Capture on the parent veth so the frames keep their 802.1Q tag.
    start_capture "$pcap" "vlan 20 and udp"
    run_dhclient
    tftp_get 64167f0a0b0c.cfg missing
    tftp_get 000000000000.cfg ok
    tftp_get "$APP_IMAGE" ok --tftp-blksize 1428
    stop_capture
    stop_scenario
    verify_capture "$pcap" tftp://192.0.2.1 "" "$(printf '%s' Polycom-VVX410 | od -An -tx1 -v | tr -d ' \n')" 20
    keep_capture "$pcap"
}

# 3. A VVX 311 whose DHCP server gives no boot server at all (neither 66 nor 160): the
#    phone has nothing to fetch from.
scenario_no-boot-server() {
    local pcap=$WORK_DIR/no-boot-server.pcap vendor_class
    setup_network 00:04:f2:11:22:33
    make_tftp_root 000000000000.cfg
    start_dnsmasq
    vendor_class=$(polycom_vendor_class VVX-VVX_311 3111-48350-001)
    write_dhclient_conf "$(colon_hex "$vendor_class")"
    start_capture "$pcap" udp
    run_dhclient
    stop_capture
    stop_scenario
    verify_capture "$pcap" "" "" "$vendor_class" "" 0 none
    keep_capture "$pcap"
}

# 4. Option 160 (tftp://192.0.2.1) and option 66 (192.0.2.2) name different servers; the
#    phone follows 160 and fetches its own <mac>.cfg and the image with blksize 1024.
scenario_boot-server-conflict() {
    local pcap=$WORK_DIR/boot-server-conflict.pcap vendor_class
    setup_network 00:04:f2:22:33:44
    make_tftp_root 0004f2223344.cfg "$APP_IMAGE"
    start_dnsmasq --dhcp-option=66,$OTHER_SERVER_IP --dhcp-option=160,tftp://$SERVER_IP
    vendor_class=$(polycom_vendor_class)
    write_dhclient_conf "$(colon_hex "$vendor_class")"
    start_capture "$pcap" udp
    run_dhclient
    tftp_get 0004f2223344.cfg ok
    tftp_get "$APP_IMAGE" ok --tftp-blksize 1024
    stop_capture
    stop_scenario
    verify_capture "$pcap" "$OTHER_SERVER_IP" "tftp://$SERVER_IP" "$vendor_class" "" 0
    keep_capture "$pcap"
}

# 5. DHCP names tftp://192.0.2.1, but the phone fetches from 192.0.2.2, a boot server it
#    has cached (the same dnsmasq answers on both addresses); its <mac>.cfg is missing
#    there, so it falls back to 000000000000.cfg.
scenario_cached-boot-server() {
    local pcap=$WORK_DIR/cached-boot-server.pcap
    setup_network 64:16:7f:33:44:55
    ip -n "$SERVER_NS" addr add "$OTHER_SERVER_IP/$PREFIX_LEN" dev "$SERVER_DEV"
    make_tftp_root 000000000000.cfg
    start_dnsmasq --dhcp-option=160,tftp://$SERVER_IP
    write_dhclient_conf '"Polycom-VVX410"'
    start_capture "$pcap" udp
    run_dhclient
    TFTP_SERVER=$OTHER_SERVER_IP
    tftp_get 64167f334455.cfg missing
    tftp_get 000000000000.cfg ok
    stop_capture
    stop_scenario
    verify_capture "$pcap" "" "tftp://$SERVER_IP" "$(printf '%s' Polycom-VVX410 | od -An -tx1 -v | tr -d ' \n')" "" 1
    keep_capture "$pcap"
}

# 6. DHCP names tftp://192.0.2.1, but nothing there answers TFTP: the port is held open
#    and silent, so the phone's RRQs go unanswered until it gives up.
scenario_tftp-no-answer() {
    local pcap=$WORK_DIR/tftp-no-answer.pcap vendor_class
    setup_network 00:04:f2:44:55:66
    run_dnsmasq dnsmasq "$SERVER_NS" "$SERVER_DEV" "$DHCP_RANGE" no-tftp --dhcp-option=160,tftp://$SERVER_IP
    start_silent_tftp "$SERVER_IP"
    vendor_class=$(polycom_vendor_class)
    write_dhclient_conf "$(colon_hex "$vendor_class")"
    start_capture "$pcap" udp
    run_dhclient
    tftp_get 0004f2445566.cfg noanswer
    stop_capture
    stop_scenario
    verify_capture "$pcap" "" "tftp://$SERVER_IP" "$vendor_class" "" 0 unanswered
    keep_capture "$pcap"
}

# 7. Two DHCP servers on the segment: the voice server (192.0.2.1, option 160) answers
#    2 s late, a stray one (192.0.2.2, no boot options) answers at once, and the phone
#    takes the first offer, so it boots with no boot server.
scenario_two-dhcp-servers() {
    local pcap=$WORK_DIR/two-dhcp-servers.pcap vendor_class
    setup_network 00:04:f2:55:66:77
    add_second_dhcp_server
    make_tftp_root 000000000000.cfg
    start_dnsmasq --dhcp-reply-delay=2 --dhcp-option=160,tftp://$SERVER_IP
    run_dnsmasq dnsmasq-stray "$SECOND_SERVER_NS" pb-srv2 192.0.2.200,192.0.2.220,255.255.255.0,1h no-tftp
    vendor_class=$(polycom_vendor_class)
    write_dhclient_conf "$(colon_hex "$vendor_class")"
    start_capture "$pcap" udp
    run_dhclient
    sleep 3 # the voice server's late OFFER
    stop_capture
    stop_scenario
    verify_capture "$pcap" "" "" "$vendor_class" "" 0 none 2
    keep_capture "$pcap"
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

main() {
    local selected=() arg s
    for arg in "$@"; do
        case $arg in
            -h | --help) usage; exit 0 ;;
            -l | --list) printf '%s\n' "${SCENARIOS[@]}"; exit 0 ;;
            -*) usage >&2; exit 2 ;;
            *)
                for s in "${SCENARIOS[@]}"; do [[ $s == "$arg" ]] && continue 2; done
                die "unknown scenario '$arg' (known: ${SCENARIOS[*]})"
                ;;
        esac
    done
    for arg in "$@"; do selected+=("$arg"); done
    ((${#selected[@]})) || selected=("${SCENARIOS[@]}")

    ((EUID == 0)) || die "needs root for network namespaces: sudo $0 $*"
    check_requirements

    # One run at a time: the namespace names are fixed.
    exec 9>"$LOCK_FILE"
    flock -n 9 || die "another record.sh is running"

    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    clean_leftovers
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/$TMP_PREFIX.XXXXXX")
    chmod 0755 "$WORK_DIR" # dnsmasq (unprivileged) reads the TFTP root below it
    mkdir -m 0755 "$WORK_DIR/srv"
    TFTP_DIR=$WORK_DIR/srv/tftp

    for s in "${selected[@]}"; do
        log "scenario $s"
        # A failing check is reported in the summary; any other error aborts the run.
        "scenario_$s"
    done

    printf '\nSummary (%s)\n' "$(tshark --version 2>/dev/null | head -1)"
    printf '%s\n' "${SUMMARY[@]}"
    ((VERIFY_FAILED == 0)) || die "verification failed"
    printf 'Wrote: %s\n' "$(for s in "${selected[@]}"; do printf '%s ' "$OUT_DIR/$s.pcap"; done)"
}

main "$@"
