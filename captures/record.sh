#!/usr/bin/env bash
# record.sh — record small, real Polycom-style boot captures for PhoneBoot's tests.
#
# Each scenario builds two private network namespaces joined by a veth pair:
#
#   pb-phone  (dhclient + curl, MAC with a Polycom OUI)  <== veth ==>  pb-server  (dnsmasq DHCP + TFTP)
#
# and records, with tcpdump on the phone-side veth, the UDP traffic of one boot:
# DHCP DISCOVER/OFFER/REQUEST/ACK, then TFTP fetches of the master config, the
# application image and a file that does not exist.  The FTP, HTTP and HTTPS scenarios
# run vsftpd or http-server.py (next to this script) in pb-server instead of dnsmasq's
# TFTP, and record TCP as well.  Only 192.0.2.0/24 (TEST-NET-1)
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
           tftp-no-answer two-dhcp-servers
           ftp-boot ftp-login-failed ftp-config-missing http-boot http-auth-failed https-untrusted)

# FTP, HTTP and HTTPS boot servers (all on $SERVER_IP).
FTP_USER=PlcmSpIp              # Polycom's factory default FTP account
FTP_PASSWORD=PlcmSpIp
FTP_PASV_PORTS=30000-30009     # fixed, so data connections land on predictable ports
HTTP_APP_IMAGE_SIZE=100000     # the HTTP capture's image is smaller than the TFTP/FTP one
POLYCOM_UA='FileTransport PolycomVVX-VVX_410-UA/5.9.5.0614 Type/Application'
TLS_NAME=prov.example.test     # the HTTPS server's name (certificate CN/SAN, SNI); no DNS

TMP_PREFIX=phoneboot-record
LOCK_FILE=/run/phoneboot-record.lock

WORK_DIR=""        # per-run temporary directory (mktemp -d)
TFTP_DIR=""        # $WORK_DIR/srv/tftp: the files dnsmasq serves
FTP_DIR=""         # $WORK_DIR/srv/ftp: vsftpd's root (chroot) for $FTP_USER
HTTP_DIR=""        # $WORK_DIR/srv/http: http-server.py's root
TCPDUMP_PID=""     # started processes, stopped by pid
DNSMASQ_PIDS=()    # every dnsmasq of the scenario
HELPER_PIDS=()     # vlan-shim.py processes, the silent TFTP port, vsftpd, http-server.py
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
$OUT_DIR/<scenario>.pcap.  The ftp-* scenarios use vsftpd, the http-* and https-*
scenarios http-server.py, as the boot server instead of TFTP.

The FTP account $FTP_USER (password $FTP_PASSWORD) exists only for vsftpd: it
runs with private copies of /etc/passwd, /etc/group and /etc/shadow bind-mounted
in its own mount namespace, so the host's account files are never changed and the
account is gone when vsftpd stops.  The HTTPS scenario's self-signed certificate
($TLS_NAME) is made with openssl at run time and deleted with the rest.

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
        [vsftpd]=vsftpd [python3]=python3 [ss]=iproute2 [getent]=libc-bin
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
    local protocol
    for protocol in tftp ftp http https; do
        curl --version | grep -i '^protocols:' | grep -qw "$protocol" ||
            die "this curl was built without $protocol:// support (apt package: curl)"
    done
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
    disable_offloads "$PHONE_NS" "$PHONE_IF"
    disable_offloads "$SERVER_NS" "$SERVER_IF"
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

# disable_offloads NS DEV : makes the veth end DEV put on the wire what a real NIC would.
#
# veth leaves UDP and TCP checksums to a "hardware" that does not exist: with TX checksum
# offload on ("tx"), most recorded packets would carry unfinished checksums.  Off, the
# kernel fills them in, as a real NIC would have on the wire.  With segmentation offload
# on ("tso", "gso") a TCP sender hands veth one 64 KB "super-segment" that is never cut
# up, since the peer accepts it whole, and with "gro" the receiving end merges segments
# before tcpdump sees them: both would record TCP segments far larger than the MTU.  All
# four off on both ends, every TCP segment recorded is one real, MTU-sized segment.
# ethtool exits non-zero for a feature the driver refuses; the read-back makes sure.
disable_offloads() {
    local ns=$1 dev=$2 feature state
    ip netns exec "$ns" ethtool -K "$dev" tx off tso off gso off gro off >/dev/null ||
        die "ethtool could not turn off the offloads of $dev in $ns"
    for feature in tx-checksumming tcp-segmentation-offload generic-segmentation-offload generic-receive-offload; do
        state=$(ip netns exec "$ns" ethtool -k "$dev" | awk -F': ' -v f="$feature" '$1 == f { print $2 }')
        [[ $state == off* ]] || die "$dev in $ns: $feature is '$state', expected off"
    done
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
    await_log "$logf" "ready" "vlan-shim.py did not start in $ns"
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
    make_root "$TFTP_DIR" "$APP_IMAGE_SIZE" "$@"
}

# make_root DIR IMAGE_SIZE FILE... : a fresh server root DIR holding the named files
# (FILE may be in a subdirectory, as secure/x.cfg); the application image is
# IMAGE_SIZE bytes.
make_root() {
    local root=$1 image_size=$2 name
    shift 2
    rm -rf -- "$root"
    mkdir -p "$root"
    for name in "$@"; do
        mkdir -p "$root/$(dirname "$name")"
        case $name in
            "$APP_IMAGE")
                # Deterministic pseudo-random bytes: AES-CTR keystream for a fixed
                # passphrase, so every run serves the same image (a smaller image is
                # the start of the larger one).
                head -c "$image_size" /dev/zero |
                    openssl enc -aes-128-ctr -md sha256 -nosalt -pass pass:phoneboot 2>/dev/null >"$root/$name"
                [[ $(stat -c %s "$root/$name") -eq $image_size ]] || die "could not generate $name"
                ;;
            000000000000.cfg) master_config "default master configuration file" >"$root/$name" ;;
            *.cfg) master_config "master configuration file for $(basename "$name" .cfg)" >"$root/$name" ;;
            *) die "make_root: do not know how to make $name" ;;
        esac
    done
    # dnsmasq and vsftpd's sessions drop root privileges: everything must be
    # world-readable (directories 0755, files 0644).
    chmod -R u=rwX,go=rX "$root"
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
    await_log "$logf" "$ready" "$name did not start"
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
    await_log "$logf" "ready" "could not hold UDP port 69 on $address"
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
    disable_offloads "$SECOND_SERVER_NS" pb-srv2
    disable_offloads "$SERVER_NS" "$peer"
    ip -n "$SERVER_NS" link set "$peer" master "$BRIDGE"
    ip -n "$SERVER_NS" link set "$peer" up
    ip -n "$SECOND_SERVER_NS" link set pb-srv2 up
    ip -n "$SECOND_SERVER_NS" addr add "$OTHER_SERVER_IP/$PREFIX_LEN" dev pb-srv2
    ip -n "$SERVER_NS" link set "$BRIDGE" up
    SERVER_DEV=$BRIDGE
    ip -n "$SERVER_NS" addr add "$SERVER_IP/$PREFIX_LEN" dev "$SERVER_DEV"
}

# ---------------------------------------------------------------------------
# Server side: FTP (vsftpd) and HTTP/HTTPS (http-server.py)
# ---------------------------------------------------------------------------

# wait_for_listen NS PORT SECONDS : polls until a TCP socket listens on PORT in NS.
wait_for_listen() {
    local ns=$1 port=$2 tries=$(($3 * 10))
    while ((tries-- > 0)); do
        [[ -n $(ip netns exec "$ns" ss -Hltn "sport = :$port" 2>/dev/null) ]] && return 0
        sleep 0.1
    done
    return 1
}

# write_ftp_accounts DIR UID : DIR/passwd, DIR/group and DIR/shadow for vsftpd's eyes only:
# the host's passwd and group (vsftpd needs "nobody"), each plus $FTP_USER with UID, and a
# shadow file holding $FTP_USER alone (no host password hash is copied).  start_vsftpd
# bind-mounts them over /etc/passwd, /etc/group and /etc/shadow inside vsftpd's own mount
# namespace, so the account never exists on the host.  The shell is one from /etc/shells:
# Debian's /etc/pam.d/vsftpd (pam_shells) refuses other accounts; vsftpd never runs it.
write_ftp_accounts() {
    local dir=$1 uid=$2 hash
    rm -rf -- "$dir"
    mkdir -m 0755 "$dir"
    hash=$(openssl passwd -6 -salt phonebootrecord "$FTP_PASSWORD") || die "openssl passwd failed"
    { cat /etc/passwd; printf '%s:x:%s:%s:PhoneBoot record.sh FTP account:%s:/bin/sh\n' \
        "$FTP_USER" "$uid" "$uid" "$FTP_DIR"; } >"$dir/passwd"
    { cat /etc/group; printf '%s:x:%s:\n' "$FTP_USER" "$uid"; } >"$dir/group"
    (umask 077 && printf '%s:%s:19000:0:99999:7:::\n' "$FTP_USER" "$hash" >"$dir/shadow")
    chmod 0644 "$dir/passwd" "$dir/group"
}

# start_vsftpd : vsftpd on $SERVER_IP:21 in the server namespace, serving $FTP_DIR (fill
# it first) to the local account $FTP_USER/$FTP_PASSWORD, chrooted there; passive mode
# on $FTP_PASV_PORTS, active mode from port 20, uploads allowed, no anonymous login.
start_vsftpd() {
    local conf=$WORK_DIR/vsftpd.conf logf=$WORK_DIR/vsftpd.log errf=$WORK_DIR/vsftpd.err uid=64000
    # A uid and gid no host account or group has, so the private account owns nothing else.
    while getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null; do uid=$((uid + 1)); done
    write_ftp_accounts "$WORK_DIR/ftp-etc" "$uid"
    # The FTP root is the account's chroot and must take the phone's upload.
    chown "$uid:$uid" "$FTP_DIR"
    # vsftpd chroots its unprivileged pre-login process into an empty, root-owned directory.
    rm -rf -- "$WORK_DIR/vsftpd-empty"
    mkdir -m 0755 "$WORK_DIR/vsftpd-empty"
    cat >"$conf" <<EOC
# vsftpd.conf written by record.sh (vsftpd runs in the $SERVER_NS namespace only).
listen=YES
listen_ipv6=NO
listen_address=$SERVER_IP
background=NO
# Local accounts only ($FTP_USER), chrooted to the FTP root, which takes uploads.
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
local_root=$FTP_DIR
chroot_local_user=YES
allow_writeable_chroot=YES
pam_service_name=vsftpd
# Passive mode on a small fixed range; active mode connects from port 20, as usual.
pasv_enable=YES
pasv_min_port=${FTP_PASV_PORTS%-*}
pasv_max_port=${FTP_PASV_PORTS#*-}
port_enable=YES
connect_from_port_20=YES
# A fixed banner instead of "(vsFTPd <version>)", so re-recordings look alike.
ftpd_banner=PhoneBoot test FTP server
secure_chroot_dir=$WORK_DIR/vsftpd-empty
# Keep every session process in this network and pid namespace: cleanup finds (and
# stops) what runs in $SERVER_NS, which a process in a namespace of its own would escape.
isolate=NO
isolate_network=NO
# Every command and reply in the log, for debugging (PB_KEEP_WORK=1).
xferlog_enable=YES
xferlog_std_format=NO
vsftpd_log_file=$logf
log_ftp_protocol=YES
syslog_enable=NO
EOC
    : >"$logf"
    : >"$errf"
    # Started directly so that $! is vsftpd ("ip netns exec" and sh exec in place).  The
    # bind mounts live in the mount namespace "ip netns exec" made for this command only.
    # shellcheck disable=SC2016 # $0 and $@ are expanded by that inner sh
    ip netns exec "$SERVER_NS" sh -c '
        for f in passwd group shadow; do mount --bind "$0/$f" "/etc/$f" || exit 1; done
        exec "$@"' "$WORK_DIR/ftp-etc" vsftpd "$conf" 2>"$errf" &
    HELPER_PIDS+=("$!")
    wait_for_listen "$SERVER_NS" 21 10 || {
        cat "$errf" >&2
        die "vsftpd did not start"
    }
}

# start_http_server PORT [--tls CERT KEY] : http-server.py on $SERVER_IP:PORT in the server
# namespace, serving $HTTP_DIR (fill it first).
start_http_server() {
    local port=$1 logf=$WORK_DIR/http-server.log
    shift
    [[ -r $SCRIPT_DIR/http-server.py ]] || die "missing $SCRIPT_DIR/http-server.py"
    : >"$logf"
    # Started directly so that $! is the server (see start_dnsmasq).
    ip netns exec "$SERVER_NS" python3 "$SCRIPT_DIR/http-server.py" "$HTTP_DIR" "$SERVER_IP" "$port" \
        --user "$FTP_USER" --password "$FTP_PASSWORD" "$@" >"$logf" 2>&1 &
    HELPER_PIDS+=("$!")
    await_log "$logf" "ready" "http-server.py did not start"
}

# make_tls_cert DIR : DIR/cert.pem and DIR/key.pem, a self-signed certificate for
# $TLS_NAME (CN and subjectAltName) with a P-256 key (small: the capture holds it).
make_tls_cert() {
    local dir=$1
    rm -rf -- "$dir"
    mkdir -p "$dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
        -subj "/CN=$TLS_NAME" -addext "subjectAltName=DNS:$TLS_NAME" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>"$dir/openssl.err" || {
        cat "$dir/openssl.err" >&2
        die "could not make the TLS certificate"
    }
}

# ---------------------------------------------------------------------------
# Capture
# ---------------------------------------------------------------------------

# await_log FILE PATTERN MESSAGE : waits up to 10 s for PATTERN in FILE; otherwise shows
# FILE and stops with MESSAGE (a server or helper that did not start).
await_log() {
    wait_for_log "$1" "$2" 10 && return 0
    cat "$1" >&2
    die "$3"
}

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
    # --immediate-mode: each packet is handed to tcpdump at once; otherwise the kernel
    # holds packets in its ring buffer for up to a second, and the last ones of a capture
    # (a 530 that vsftpd sends after its one-second failed-login delay) would be counted
    # as "received by filter" but never written when tcpdump is stopped.
    ip netns exec "$PHONE_NS" tcpdump -i "$CAPTURE_DEV" -w "$file" -U --immediate-mode -Z root "$filter" 2>"$errf" &
    TCPDUMP_PID=$!
    await_log "$errf" "listening on" "tcpdump did not start"
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

# mask_password TEXT : TEXT with the password of every URL's user:password@ replaced
# by "***" (for the log; the summary shows credentials only as tshark reads them).
mask_password() {
    sed -E 's#(://[^:/@ ]*):[^@/ ]*@#\1:***@#g; s#(-u [^: ]*):[^ ]*#\1:***#g' <<<"$*"
}

# phone_curl EXIT CODE URL [CURL_OPTION...] : one curl run (one TCP connection) from the
# phone; a body received goes to $WORK_DIR/download.  It must end with curl exit status
# EXIT and with CODE as the last HTTP or FTP reply code (curl's %{response_code}: 000
# when no reply came, as after a failed TLS handshake).
phone_curl() {
    local want_exit=$1 want_code=$2 url=$3 status=0 code
    shift 3
    rm -f "$WORK_DIR/download"
    code=$(in_phone curl --silent --show-error --noproxy '*' --max-time 30 -w '%{response_code}' \
        -o "$WORK_DIR/download" "$@" "$url" 2>"$WORK_DIR/curl.err") || status=$?
    local what err
    what=$(mask_password "curl${*:+ $*} $url")
    err=$(tr -d '\n' <"$WORK_DIR/curl.err")
    if ((status != want_exit)) || [[ $code != "$want_code" ]]; then
        die "$what: curl exit $status, reply $code${err:+ ($err)}; expected exit $want_exit, reply $want_code"
    fi
    log "$what -> exit $status, reply $code${err:+ ($err)}"
}

# same_file GOT SERVED : the file a transfer produced must equal the original.
same_file() {
    cmp -s "$1" "$2" || die "$(basename "$2"): transferred file differs from the original"
}

# write_boot_log FILE MAC : the small boot log a phone uploads after booting.
write_boot_log() {
    cat >"$1" <<EOB
0101000000|cfg   |4|00|Booting from $2 (PhoneBoot test capture)
0101000001|cfg   |4|00|Master config file loaded
0101000002|app   |4|00|Application image is current
EOB
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

# ftp_transfers FILE : one line per FTP data connection, tab-separated: its TCP stream, the
# control connection's stream, the transfer command ("RETR x", "STOR y"; empty if none
# used it), payload bytes, payload segments, first and last frame, the data port, and
# what tshark's own ftp-data.command says.
#
# The pairing is done here rather than trusting ftp-data.command: tshark 4.0 records there
# the first command after the EPSV/PASV reply that set the connection up, which for curl
# is "TYPE I", not the RETR or STOR; and a connection from port 20 announced by EPRT is
# only recognised by its port, with an empty ftp-data.command.  Here the port announced
# on a control connection (EPSV or PASV reply, EPRT or PORT request) names the data
# connection whose SYN goes to that port next, and that data connection belongs to the
# transfer command sent on the same control connection just before it opens (active mode:
# the server connects after RETR) or just after (passive mode: curl connects first).
ftp_transfers() {
    tshark -r "$1" -Y tcp -T fields -E occurrence=f -e frame.number -e tcp.stream -e tcp.dstport -e tcp.len \
        -e tcp.flags.syn -e tcp.flags.ack -e ftp.request.command -e ftp.request.arg -e ftp.epsv.port \
        -e ftp.eprt.port -e ftp.passive.port -e ftp.active.port -e ftp-data.command 2>/dev/null |
        awk -F'\t' '
        function flag(v) { return v == "1" || v == "True" }
        {
            frame = $1; s = $2
            port = $9 $10 $11 $12
            if (port != "") announced[s] = port
            if ($7 ~ /^(RETR|STOR|STOU|APPE|LIST|NLST|MLSD)$/) {
                cmd = $7 ($8 == "" ? "" : " " $8)
                if (open[s] != "") { label[open[s]] = cmd; open[s] = "" } else pending[s] = cmd
            }
            if (flag($5) && !flag($6)) {
                for (c in announced) if (announced[c] == $3) {
                    control[s] = c; port_of[s] = $3; first[s] = frame; order[++n] = s; delete announced[c]
                    if (pending[c] != "") { label[s] = pending[c]; pending[c] = "" } else open[c] = s
                    break
                }
            }
            if (s in control) {
                last[s] = frame
                if ($4 > 0) { bytes[s] += $4; segments[s]++ }
                if ($13 != "" && !(s in tshark_cmd)) tshark_cmd[s] = $13
            }
        }
        END {
            for (i = 1; i <= n; i++) { s = order[i]
                printf "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", s, control[s], label[s], bytes[s], segments[s],
                    first[s], last[s], port_of[s], tshark_cmd[s] }
        }'
}

# verify_tcp_capture FILE EXPECT_160 EXPECT_60 CHECK... : checks a capture of a boot from an
# FTP, HTTP or HTTPS server and adds its summary to SUMMARY.  First verify_capture's DHCP
# checks (ACK option 160 EXPECT_160, no option 66, DISCOVER option 60 EXPECT_60 as hex, no
# TFTP, no 802.1Q tag, no bad IP/UDP checksum), then the TCP part: no bad TCP checksum, no
# frame over 1514 bytes (segmentation and receive offloads really were off), no segment
# missing from the capture, and each CHECK: a word saying what to expect, then a tshark
# display filter:
#   "has FILTER"      at least one frame matches
#   "none FILTER"     no frame matches
#   "count N FILTER"  exactly N frames match
#   "bytes N FILTER"  the TCP payloads of the matching frames add up to N bytes
#   "transfer N COMMAND ARG"
#                     the FTP data connection(s) of "COMMAND ARG" (e.g. "RETR x.cfg")
#                     carried N bytes, as ftp_transfers pairs them
#   "keylog FILE"     decrypt TLS with FILE (SSLKEYLOGFILE format) in the checks after it
#                     and in the summary
# The summary lists, with frame numbers and TCP stream indexes, the FTP commands and
# replies, the FTP data connections, the HTTP requests and responses, and the TLS records.
verify_tcp_capture() {
    local file=$1 want160=$2 want60=$3
    shift 3
    verify_capture "$file" "" "$want160" "$want60" "" 0 none
    local dhcp_ok=$CAPTURE_OK check word rest n filter got failures=() tshark_opts=()
    local streams bad_tcp oversize lost retransmissions listing transfers

    # tcp_matches FILTER : prints the number of frames matching FILTER (dies on a filter
    # tshark rejects, so that a typo cannot pass as "no frame matches").
    tcp_matches() {
        tshark -r "$file" "${tshark_opts[@]}" -Y "$1" 2>"$WORK_DIR/tshark.err" | wc -l ||
            die "tshark rejects the filter '$1': $(head -1 "$WORK_DIR/tshark.err")"
    }

    streams=$(tshark -r "$file" -Y tcp -T fields -e tcp.stream 2>/dev/null | sort -u | grep -c . || true)
    bad_tcp=$(count_packets "$file" 'tcp.checksum.status == "Bad"' -o tcp.check_checksum:TRUE)
    oversize=$(tcp_matches 'frame.len > 1514')
    lost=$(tcp_matches 'tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment')
    retransmissions=$(tcp_matches 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission')
    ((streams > 0)) || failures+=("no TCP")
    ((bad_tcp == 0)) || failures+=("$bad_tcp packets with a bad TCP checksum")
    ((oversize == 0)) || failures+=("$oversize frames longer than 1514 bytes (offloads on?)")
    ((lost == 0)) || failures+=("$lost frames follow a TCP segment missing from the capture")

    transfers=$(ftp_transfers "$file")
    for check in "$@"; do
        word=${check%% *}
        rest=${check#* }
        case $word in
            transfer)
                n=${rest%% *}
                filter=${rest#* }
                got=$(awk -F'\t' -v t="$filter" '$3 == t { s += $4; c++ } END { print (c ? s : "none") }' <<<"$transfers")
                [[ $got == "$n" ]] || failures+=("FTP data connection of '$filter': $got bytes, expected $n")
                ;;
            has)
                got=$(tcp_matches "$rest")
                ((got >= 1)) || failures+=("no frame matches: $rest")
                ;;
            none)
                got=$(tcp_matches "$rest")
                ((got == 0)) || failures+=("$got frames match, expected none: $rest")
                ;;
            count)
                n=${rest%% *}
                filter=${rest#* }
                got=$(tcp_matches "$filter")
                ((got == n)) || failures+=("$got frames match, expected $n: $filter")
                ;;
            bytes)
                n=${rest%% *}
                filter=${rest#* }
                tcp_matches "$filter" >/dev/null
                got=$(tshark -r "$file" "${tshark_opts[@]}" -Y "$filter" -T fields -e tcp.len 2>/dev/null |
                    awk '{ s += $1 } END { print s + 0 }')
                ((got == n)) || failures+=("$got TCP payload bytes, expected $n: $filter")
                ;;
            keylog)
                [[ -s $rest ]] || failures+=("TLS key log $rest is empty")
                tshark_opts=(-o "tls.keylog_file:$rest")
                ;;
            *) die "verify_tcp_capture: bad check '$check'" ;;
        esac
    done

    local decrypted=""
    ((${#tshark_opts[@]} == 0)) || decrypted=" (TLS decrypted with the key log of the run)"
    SUMMARY+=("  tcp: $streams connections, bad TCP checksums: $bad_tcp, frames over 1514 bytes: $oversize, retransmissions: $retransmissions$decrypted")

    # FTP control connections: one line per command or reply.
    listing=$(tshark -r "$file" "${tshark_opts[@]}" -Y ftp -T fields -E occurrence=f -e frame.number \
        -e tcp.stream -e ftp.request.command -e ftp.request.arg -e ftp.response.code -e ftp.response.arg 2>/dev/null |
        awk -F'\t' '{
            if ($3 != "") printf "  #%-5s tcp %-2s > %s%s\n", $1, $2, $3, ($4 == "" ? "" : " " $4)
            else printf "  #%-5s tcp %-2s <   %s %s\n", $1, $2, $5, $6
        }')
    [[ -z $listing ]] || mapfile -t -O "${#SUMMARY[@]}" SUMMARY <<<"$listing"
    # FTP data connections, each with the transfer command it carried (see ftp_transfers).
    listing=$([[ -z $transfers ]] || awk -F'\t' '{
            printf "  #%s-#%s tcp %s (port %s, for control tcp %s): %s: %d bytes in %d segments; tshark ftp-data.command: \"%s\"\n",
                $6, $7, $1, $8, $2, ($3 == "" ? "(no transfer command)" : $3), $4, $5, $9
        }' <<<"$transfers")
    [[ -z $listing ]] || mapfile -t -O "${#SUMMARY[@]}" SUMMARY <<<"$listing"
    # TLS: every frame with TLS records, by record content type; handshake messages by name.
    listing=$(tshark -r "$file" "${tshark_opts[@]}" -Y tls -T fields -E occurrence=a -E aggregator=' ' \
        -e frame.number -e tcp.stream -e tls.record.version -e tls.record.content_type -e tls.handshake.type \
        -e tls.handshake.extensions_server_name -e tls.alert_message.level -e tls.alert_message.desc 2>/dev/null |
        awk -F'\t' '
        BEGIN {
            split("20 ChangeCipherSpec 21 Alert 22 Handshake 23 ApplicationData", a, " ")
            for (i = 1; i < 8; i += 2) ctype[a[i]] = a[i + 1]
            split("1 ClientHello 2 ServerHello 4 NewSessionTicket 8 EncryptedExtensions 11 Certificate " \
                  "12 ServerKeyExchange 13 CertificateRequest 14 ServerHelloDone 15 CertificateVerify " \
                  "16 ClientKeyExchange 20 Finished", h, " ")
            for (i = 1; i < 22; i += 2) htype[h[i]] = h[i + 1]
            alert[0] = "close_notify"; alert[40] = "handshake_failure"; alert[42] = "bad_certificate"
            alert[46] = "certificate_unknown"; alert[48] = "unknown_ca"; alert[80] = "internal_error"
        }
        {
            line = ""
            n = split($4, types, " ")
            for (i = 1; i <= n; i++) line = line (i > 1 ? ", " : "") (types[i] in ctype ? ctype[types[i]] : "type " types[i])
            m = split($5, hs, " ")
            if (m) {
                line = line ":"
                for (i = 1; i <= m; i++) line = line " " (hs[i] in htype ? htype[hs[i]] : hs[i])
            }
            if ($6 != "") line = line " (SNI " $6 ")"
            if ($8 != "") line = line " (level " $7 ", description " $8 " " ($8 in alert ? alert[$8] : "") ")"
            nv = split($3, versions, " "); v = ""; delete seen
            for (i = 1; i <= nv; i++) if (!(versions[i] in seen)) { seen[versions[i]]; v = v (v == "" ? "" : "/") versions[i] }
            printf "  #%-5s tcp %-2s TLS record version %s: %s\n", $1, $2, v, line
        }')
    [[ -z $listing ]] || mapfile -t -O "${#SUMMARY[@]}" SUMMARY <<<"$listing"

    # HTTP requests and responses (frame: where tshark completes the reassembled message).
    listing=$(tshark -r "$file" "${tshark_opts[@]}" -Y http -T fields -E occurrence=f -e frame.number \
        -e tcp.stream -e http.request.method -e http.request.uri -e http.user_agent -e http.authbasic \
        -e http.response.code -e http.response.phrase -e http.content_length_header -e http.www_authenticate \
        2>/dev/null |
        awk -F'\t' '{
            if ($3 != "") {
                printf "  #%-5s tcp %-2s > %s %s (User-Agent: %s%s)\n", $1, $2, $3, $4,
                    ($5 == "" ? "none" : $5), ($6 == "" ? "" : "; Basic credentials: " $6)
            } else {
                printf "  #%-5s tcp %-2s <   %s %s (Content-Length: %s%s)\n", $1, $2, $7, $8, $9,
                    ($10 == "" ? "" : "; WWW-Authenticate: " $10)
            }
        }')
    [[ -z $listing ]] || mapfile -t -O "${#SUMMARY[@]}" SUMMARY <<<"$listing"
    if ((${#failures[@]})); then
        printf '  FAILED: %s\n' "${failures[@]}" >&2
        local f
        for f in "${failures[@]}"; do SUMMARY+=("  FAILED: $f"); done
        VERIFY_FAILED=1
        CAPTURE_OK=0
        return 0
    fi
    SUMMARY+=("  OK (tcp)")
    CAPTURE_OK=$dhcp_ok
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

# The FTP, HTTP and HTTPS scenarios: DHCP gives option 160 with the boot server's URL (no
# option 66), dnsmasq serves no TFTP, and the capture holds TCP as well ("udp or tcp").

# start_dhcp_only URL : dnsmasq for DHCP alone, giving option 160 URL.
start_dhcp_only() {
    run_dnsmasq dnsmasq "$SERVER_NS" "$SERVER_DEV" "$DHCP_RANGE" no-tftp "--dhcp-option=160,$1"
}

# ftp_check WHAT... : verify_tcp_capture checks for FTP, written short:
#   "cmd N COMMAND [ARG]"  exactly N requests COMMAND (with argument ARG)
#   "reply N CODE"         exactly N replies CODE
#   "data N COMMAND ARG"   the data connection of "COMMAND ARG" carried N bytes (ftp_transfers)
ftp_check() {
    local kind=$1 n=$2 command=$3 arg=${4:-}
    case $kind in
        cmd) printf 'count %s ftp.request.command == "%s"%s' "$n" "$command" "${arg:+ && ftp.request.arg == \"$arg\"}" ;;
        reply) printf 'count %s ftp.response.code == %s' "$n" "$command" ;;
        data) printf 'transfer %s %s %s' "$n" "$command" "$arg" ;;
    esac
}

# 8. A VVX 410 boots from FTP with Polycom's default account: option 160 is
#    ftp://PlcmSpIp:PlcmSpIp@192.0.2.1.  Three FTP sessions (one curl each): <mac>.cfg in
#    active mode (EPRT; vsftpd connects from port 20), the 300 000-byte image in passive
#    mode (EPSV, curl's default), and the upload of <mac>-boot.log (STOR, passive).
scenario_ftp-boot() {
    local pcap=$WORK_DIR/ftp-boot.pcap mac=00:04:f2:66:77:88 id=0004f2667788 vendor_class
    local url=ftp://$FTP_USER:$FTP_PASSWORD@$SERVER_IP
    setup_network "$mac"
    make_root "$FTP_DIR" "$APP_IMAGE_SIZE" "$id.cfg" "$APP_IMAGE"
    start_dhcp_only "$url"
    start_vsftpd
    vendor_class=$(polycom_vendor_class)
    write_dhclient_conf "$(colon_hex "$vendor_class")"
    write_boot_log "$WORK_DIR/boot.log" "$mac"
    start_capture "$pcap" "udp or tcp"
    run_dhclient
    phone_curl 0 226 "$url/$id.cfg" --ftp-port -
    same_file "$WORK_DIR/download" "$FTP_DIR/$id.cfg"
    phone_curl 0 226 "$url/$APP_IMAGE"
    same_file "$WORK_DIR/download" "$FTP_DIR/$APP_IMAGE"
    phone_curl 0 226 "$url/$id-boot.log" -T "$WORK_DIR/boot.log"
    same_file "$FTP_DIR/$id-boot.log" "$WORK_DIR/boot.log"
    stop_capture
    stop_scenario
    verify_tcp_capture "$pcap" "$url" "$vendor_class" \
        "$(ftp_check cmd 3 USER "$FTP_USER")" "$(ftp_check cmd 3 PASS "$FTP_PASSWORD")" \
        "$(ftp_check reply 3 230)" "none ftp.response.code >= 400" \
        "$(ftp_check cmd 1 EPRT)" "$(ftp_check cmd 2 EPSV)" \
        "$(ftp_check cmd 1 RETR "$id.cfg")" "$(ftp_check cmd 1 RETR "$APP_IMAGE")" \
        "$(ftp_check cmd 1 STOR "$id-boot.log")" "$(ftp_check reply 3 226)" \
        "$(ftp_check data "$(stat -c %s "$FTP_DIR/$id.cfg")" RETR "$id.cfg")" \
        "$(ftp_check data "$APP_IMAGE_SIZE" RETR "$APP_IMAGE")" \
        "$(ftp_check data "$(stat -c %s "$WORK_DIR/boot.log")" STOR "$id-boot.log")" \
        "has tcp.srcport == 20 && tcp.flags.syn == 1 && tcp.flags.ack == 0"
    keep_capture "$pcap"
}

# 9. Option 160 carries a wrong password (ftp://PlcmSpIp:wrongpass@192.0.2.1): vsftpd answers
#    PASS with 530, and the phone's curl gives up (exit 67) without fetching anything.
scenario_ftp-login-failed() {
    local pcap=$WORK_DIR/ftp-login-failed.pcap mac=00:04:f2:77:88:99 id=0004f2778899 vendor_class
    local url=ftp://$FTP_USER:wrongpass@$SERVER_IP
    setup_network "$mac"
    make_root "$FTP_DIR" "$APP_IMAGE_SIZE" "$id.cfg"
    start_dhcp_only "$url"
    start_vsftpd
    vendor_class=$(polycom_vendor_class)
    write_dhclient_conf "$(colon_hex "$vendor_class")"
    start_capture "$pcap" "udp or tcp"
    run_dhclient
    phone_curl 67 530 "$url/$id.cfg"
    stop_capture
    stop_scenario
    verify_tcp_capture "$pcap" "$url" "$vendor_class" \
        "$(ftp_check cmd 1 USER "$FTP_USER")" "$(ftp_check cmd 1 PASS wrongpass)" \
        "$(ftp_check reply 1 530)" "$(ftp_check reply 0 230)" \
        "$(ftp_check cmd 0 RETR)" "none ftp-data"
    keep_capture "$pcap"
}

# 10. A VVX 410 (64:16:7f, ASCII option 60) logs in, but its <mac>.cfg is not on the
#     server: RETR gets 550 (curl exit 78); it falls back to 000000000000.cfg.  curl runs
#     with --ignore-content-length, which leaves out its SIZE command: otherwise curl stops
#     at SIZE's 550 and never sends the RETR.
scenario_ftp-config-missing() {
    local pcap=$WORK_DIR/ftp-config-missing.pcap mac=64:16:7f:88:99:aa id=64167f8899aa
    local url=ftp://$FTP_USER:$FTP_PASSWORD@$SERVER_IP
    setup_network "$mac"
    make_root "$FTP_DIR" "$APP_IMAGE_SIZE" 000000000000.cfg
    start_dhcp_only "$url"
    start_vsftpd
    write_dhclient_conf '"Polycom-VVX410"'
    start_capture "$pcap" "udp or tcp"
    run_dhclient
    phone_curl 78 550 "$url/$id.cfg" --ignore-content-length
    phone_curl 0 226 "$url/000000000000.cfg" --ignore-content-length
    same_file "$WORK_DIR/download" "$FTP_DIR/000000000000.cfg"
    stop_capture
    stop_scenario
    verify_tcp_capture "$pcap" "$url" "$(printf '%s' Polycom-VVX410 | od -An -tx1 -v | tr -d ' \n')" \
        "$(ftp_check cmd 2 USER "$FTP_USER")" "$(ftp_check reply 2 230)" \
        "$(ftp_check cmd 1 RETR "$id.cfg")" "$(ftp_check cmd 1 RETR 000000000000.cfg)" \
        "$(ftp_check cmd 0 SIZE)" "$(ftp_check reply 1 550)" "$(ftp_check reply 1 226)" \
        "$(ftp_check data 0 RETR "$id.cfg")" \
        "$(ftp_check data "$(stat -c %s "$FTP_DIR/000000000000.cfg")" RETR 000000000000.cfg)"
    keep_capture "$pcap"
}

# http_check WHAT... : verify_tcp_capture checks for HTTP, written short:
#   "req N METHOD URI"  exactly N requests METHOD URI with the Polycom User-Agent
#   "resp N CODE"       exactly N responses CODE
http_check() {
    local kind=$1 n=$2
    case $kind in
        req) printf 'count %s http.request.method == "%s" && http.request.uri == "%s" && http.user_agent == "%s"' \
            "$n" "$3" "$4" "$POLYCOM_UA" ;;
        resp) printf 'count %s http.response.code == %s' "$n" "$3" ;;
    esac
}

# 11. A VVX 410 boots from HTTP (option 160 http://192.0.2.1/), one TCP connection per
#     request: its <mac>.cfg is missing (404), 000000000000.cfg and a 100 000-byte image
#     are fetched (200), and it uploads <mac>-boot.log with PUT (201, without
#     "Expect: 100-continue").
scenario_http-boot() {
    local pcap=$WORK_DIR/http-boot.pcap mac=00:04:f2:99:aa:bb id=0004f299aabb vendor_class
    local url=http://$SERVER_IP/
    setup_network "$mac"
    make_root "$HTTP_DIR" "$HTTP_APP_IMAGE_SIZE" 000000000000.cfg "$APP_IMAGE"
    start_dhcp_only "$url"
    start_http_server 80
    vendor_class=$(polycom_vendor_class)
    write_dhclient_conf "$(colon_hex "$vendor_class")"
    write_boot_log "$WORK_DIR/boot.log" "$mac"
    start_capture "$pcap" "udp or tcp"
    run_dhclient
    phone_curl 0 404 "$url$id.cfg" -A "$POLYCOM_UA"
    phone_curl 0 200 "${url}000000000000.cfg" -A "$POLYCOM_UA"
    same_file "$WORK_DIR/download" "$HTTP_DIR/000000000000.cfg"
    phone_curl 0 200 "$url$APP_IMAGE" -A "$POLYCOM_UA"
    same_file "$WORK_DIR/download" "$HTTP_DIR/$APP_IMAGE"
    # -H Expect: : no "Expect: 100-continue" (curl's default for uploads), so no interim
    # "100 Continue" either: the PUT goes out whole and is answered 201.
    phone_curl 0 201 "$url$id-boot.log" -A "$POLYCOM_UA" -H 'Expect:' -T "$WORK_DIR/boot.log"
    same_file "$HTTP_DIR/$id-boot.log" "$WORK_DIR/boot.log"
    stop_capture
    stop_scenario
    verify_tcp_capture "$pcap" "$url" "$vendor_class" \
        "count 4 http.request" "count 4 tcp.flags.syn == 1 && tcp.flags.ack == 0" \
        "$(http_check req 1 GET "/$id.cfg")" "$(http_check resp 1 404)" \
        "$(http_check req 1 GET /000000000000.cfg)" "$(http_check req 1 GET "/$APP_IMAGE")" \
        "$(http_check resp 2 200)" "count 1 http.response.code == 200 && http.content_length == $HTTP_APP_IMAGE_SIZE" \
        "$(http_check req 1 PUT "/$id-boot.log")" "$(http_check resp 1 201)" "none http.response.code < 200"
    keep_capture "$pcap"
}

# 12. Option 160 names a protected directory (http://PlcmSpIp:wrong@192.0.2.1/secure/); the
#     phone's Basic credentials are wrong, so the server answers 401 with
#     'WWW-Authenticate: Basic realm="phones"' (the file itself is there).
scenario_http-auth-failed() {
    local pcap=$WORK_DIR/http-auth-failed.pcap mac=00:04:f2:aa:bb:cc id=0004f2aabbcc vendor_class
    local url=http://$FTP_USER:wrong@$SERVER_IP/secure/
    setup_network "$mac"
    make_root "$HTTP_DIR" "$HTTP_APP_IMAGE_SIZE" "secure/$id.cfg"
    start_dhcp_only "$url"
    start_http_server 80
    vendor_class=$(polycom_vendor_class)
    write_dhclient_conf "$(colon_hex "$vendor_class")"
    start_capture "$pcap" "udp or tcp"
    run_dhclient
    phone_curl 0 401 "http://$SERVER_IP/secure/$id.cfg" -A "$POLYCOM_UA" -u "$FTP_USER:wrong"
    stop_capture
    stop_scenario
    verify_tcp_capture "$pcap" "$url" "$vendor_class" \
        "$(http_check req 1 GET "/secure/$id.cfg")" "count 1 http.authbasic == \"$FTP_USER:wrong\"" \
        "$(http_check resp 1 401)" "count 1 http.www_authenticate == \"Basic realm=\\\"phones\\\"\"" \
        "$(http_check resp 0 200)"
    keep_capture "$pcap"
}

# 13. Option 160 is https://prov.example.test/ (curl --resolve maps the name to 192.0.2.1,
#     so the ClientHello carries SNI prov.example.test with no DNS).  The server's
#     certificate is self-signed: without the CA the phone's curl rejects it (exit 60) and
#     sends a fatal "unknown_ca" alert; with --cacert the same fetch gets 200.  TLS 1.2 is
#     forced (--tlsv1.2 --tls-max 1.2), so that the whole failed handshake is plaintext:
#     ServerHello, Certificate (the self-signed certificate itself), and the client's Alert
#     record (content type 21, level 2 fatal, description 48 unknown_ca).  Under TLS 1.3
#     (tried with curl 7.88/OpenSSL 3.0 against openssl s_server on loopback) everything
#     after the ServerHello is encrypted, certificate included (records of type 23), but
#     the client's unknown_ca alert still goes out as a plaintext 2-byte Alert record: the
#     client only switches its own writes to the handshake keys once it has accepted the
#     server's Finished.  The second connection is decrypted for the checks only, with the
#     key log curl writes (SSLKEYLOGFILE); the key log is not kept.
scenario_https-untrusted() {
    local pcap=$WORK_DIR/https-untrusted.pcap mac=00:04:f2:bb:cc:dd vendor_class tls=$WORK_DIR/tls
    local url=https://$TLS_NAME/
    local -a tls_options=(--resolve "$TLS_NAME:443:$SERVER_IP" --tlsv1.2 --tls-max 1.2 -A "$POLYCOM_UA")
    setup_network "$mac"
    make_tls_cert "$tls"
    make_root "$HTTP_DIR" "$HTTP_APP_IMAGE_SIZE" 000000000000.cfg
    start_dhcp_only "$url"
    start_http_server 443 --tls "$tls/cert.pem" "$tls/key.pem"
    vendor_class=$(polycom_vendor_class)
    write_dhclient_conf "$(colon_hex "$vendor_class")"
    start_capture "$pcap" "udp or tcp"
    run_dhclient
    phone_curl 60 000 "${url}000000000000.cfg" "${tls_options[@]}"
    SSLKEYLOGFILE=$tls/keylog phone_curl 0 200 "${url}000000000000.cfg" "${tls_options[@]}" --cacert "$tls/cert.pem"
    same_file "$WORK_DIR/download" "$HTTP_DIR/000000000000.cfg"
    stop_capture
    stop_scenario
    verify_tcp_capture "$pcap" "$url" "$vendor_class" \
        "count 2 tls.handshake.type == 1 && tls.handshake.extensions_server_name == \"$TLS_NAME\"" \
        "count 2 tls.handshake.type == 2 && tls.handshake.version == 0x0303" \
        "count 2 tls.handshake.type == 11" \
        "count 1 tls.record.content_type == 21 && tls.alert_message.level == 2 && tls.alert_message.desc == 48 && ip.src != $SERVER_IP" \
        "none http" \
        "keylog $tls/keylog" \
        "$(http_check req 1 GET /000000000000.cfg)" "$(http_check resp 1 200)"
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
    FTP_DIR=$WORK_DIR/srv/ftp
    HTTP_DIR=$WORK_DIR/srv/http

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
