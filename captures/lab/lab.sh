#!/usr/bin/env bash
# lab.sh — PhoneBoot's network lab: the one place that builds and removes the private
# network namespaces in which real peers (dnsmasq, dhclient, curl, vsftpd, ...) boot a
# "phone".  Used by captures/record.sh (through captures/lab/boot.sh) and by the Swift
# tests' NetworkLab, so recordings and live tests run on the same plumbing.
#
# Owns: named-argument parsing; namespaces, veth pairs, addresses, a bridge for a second
# server, an upstream namespace behind the server side, 802.1Q VLAN sub-interfaces (kernel
# or vlan-shim.py); the servers (dnsmasq DHCP+TFTP, a silent UDP port, vsftpd with a
# private account, http-server.py, a TLS certificate); the phone-side clients (dhclient,
# curl for TFTP/FTP/HTTP/HTTPS); tcpdump start/stop; stopping what it started, by pid, and
# removing namespaces with everything still running in them.
#
# Every function takes named arguments, "--name value" (a repeatable one is given once per
# value; "--" ends them where a function passes the rest on, e.g. to curl).  Only
# 192.0.2.0/24 and 198.51.100.0/24 are used; no namespace gets a default route.
#
# Sourced:     source captures/lab/lab.sh; lab_pair --phone-ns pb-phone ...
# As a command (NetworkLab does this): bash captures/lab/lab.sh pair --phone-ns x-p ...
#   the command is a function name without its "lab_" prefix; the exit status is the
#   function's.  "dnsmasq --exec yes" turns the shell into dnsmasq (the caller keeps its pid).

# shellcheck disable=SC2128,SC2178
# (lab_remove's --ns is an array, every other function's a string; shellcheck does not
# tell the functions' local variables apart.)

# Sourced twice (a scenario sourcing boot.sh again) it keeps its state.
[[ -n ${LAB_SH_LOADED:-} ]] && return 0
LAB_SH_LOADED=1

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_CAPTURES_DIR=$(dirname "$LAB_DIR") # vlan-shim.py and http-server.py live there
LAB_NAME=${LAB_NAME:-lab.sh}           # names the program in error messages
LAB_PIDS=()                            # background processes started here, in order
LAB_CAPTURE_PID=""                     # the running tcpdump, if any
LAB_CAPTURE_ERR=""                     # its standard error (tcpdump's statistics)

# ---------------------------------------------------------------------------
# Messages and arguments
# ---------------------------------------------------------------------------

lab_log() { printf '==> %s\n' "$*" >&2; }
lab_die() { printf '%s: error: %s\n' "$LAB_NAME" "$*" >&2; exit 1; }

# lab_opts "NAME... LIST+..." "$@" : sets the calling function's local variables from
# "--name value" pairs (dashes in a name become underscores).  A name in the spec ending
# in "+" may be repeated: its variable is an array the values are appended to.  After
# "--" the remaining words go to the array LAB_REST.  An unknown name, or a name without a
# value, is an error naming the calling function.
lab_opts() {
    local _lo_spec=" $1 " _lo_name _lo_var
    shift
    LAB_REST=()
    while (($#)); do
        if [[ $1 == -- ]]; then
            shift
            LAB_REST=("$@")
            return 0
        fi
        [[ $1 == --?* ]] || lab_die "${FUNCNAME[1]}: expected --name value, got '$1'"
        _lo_name=${1#--}
        _lo_var=${_lo_name//-/_}
        (($# >= 2)) || lab_die "${FUNCNAME[1]}: --$_lo_name needs a value"
        if [[ $_lo_spec == *" $_lo_name "* ]]; then
            printf -v "$_lo_var" '%s' "$2"
        elif [[ $_lo_spec == *" $_lo_name+ "* ]]; then
            local -n _lo_list=$_lo_var
            _lo_list+=("$2")
            unset -n _lo_list
        else
            lab_die "${FUNCNAME[1]}: unknown option --$_lo_name"
        fi
        shift 2
    done
}

# lab_need FUNCTION NAME... : dies unless each named variable (the options of FUNCTION,
# dashes as underscores) is set and not empty.
lab_need() {
    local _ln_function=$1 _ln_var
    shift
    for _ln_var in "$@"; do
        [[ -n ${!_ln_var:-} ]] || lab_die "$_ln_function: --${_ln_var//_/-} is required"
    done
}

# ---------------------------------------------------------------------------
# Waiting and stopping
# ---------------------------------------------------------------------------

# lab_wait_log --file F --pattern P [--seconds 10] : polls F until it contains P.
lab_wait_log() {
    local file="" pattern="" seconds=10 tries
    lab_opts "file pattern seconds" "$@"
    lab_need lab_wait_log file pattern
    tries=$((seconds * 10))
    while ((tries-- > 0)); do
        grep -q -- "$pattern" "$file" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# lab_await_log --file F --pattern P --error MESSAGE : as lab_wait_log (10 s); otherwise
# shows F and dies with MESSAGE (a server or helper that did not start).
lab_await_log() {
    local file="" pattern="" error=""
    lab_opts "file pattern error" "$@"
    lab_wait_log --file "$file" --pattern "$pattern" && return 0
    cat "$file" >&2
    lab_die "$error"
}

# lab_wait_listen --ns NS --port PORT [--seconds 10] : polls until a TCP socket listens on
# PORT in NS.
lab_wait_listen() {
    local ns="" port="" seconds=10 tries
    lab_opts "ns port seconds" "$@"
    lab_need lab_wait_listen ns port
    tries=$((seconds * 10))
    while ((tries-- > 0)); do
        [[ -n $(ip netns exec "$ns" ss -Hltn "sport = :$port" 2>/dev/null) ]] && return 0
        sleep 0.1
    done
    return 1
}

# lab_stop_pid --pid PID [--signal TERM] : sends the signal to a child started here, waits
# up to 5 s for it to exit, then kills it; never blocks for longer.
lab_stop_pid() {
    local pid="" signal=TERM tries=50
    lab_opts "pid signal" "$@"
    lab_need lab_stop_pid pid
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill "-$signal" "$pid" 2>/dev/null || true
    while ((tries-- > 0)) && kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        lab_log "pid $pid ignored SIG$signal; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# lab_stop_all : stops tcpdump (SIGINT, so that it closes its file) and then every
# background process started here (SIGTERM), in the order they were started.
lab_stop_all() {
    local pid
    if [[ -n $LAB_CAPTURE_PID ]]; then
        lab_stop_pid --pid "$LAB_CAPTURE_PID" --signal INT
        LAB_CAPTURE_PID=""
    fi
    for pid in "${LAB_PIDS[@]}"; do lab_stop_pid --pid "$pid"; done
    LAB_PIDS=()
}

# lab_remove [--ns NS]... [--link DEV]... : stops every process still running inside each
# namespace (only the lab starts anything there), deletes the namespaces, then deletes
# each DEV left in the host namespace (a veth end a failed move left behind).  Missing
# ones are fine: this also clears leftovers of an aborted earlier run.
lab_remove() {
    local -a ns=() link=()
    local name pids
    lab_opts "ns+ link+" "$@"
    for name in "${ns[@]}"; do
        ip netns list 2>/dev/null | grep -qw "^$name" || continue
        pids=$(ip netns pids "$name" 2>/dev/null || true)
        if [[ -n $pids ]]; then
            # shellcheck disable=SC2086 # one pid per word
            kill -TERM $pids 2>/dev/null || true
            sleep 0.5
            pids=$(ip netns pids "$name" 2>/dev/null || true)
            # shellcheck disable=SC2086
            [[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
        fi
        ip netns delete "$name" 2>/dev/null || true
    done
    for name in "${link[@]}"; do ip link delete "$name" 2>/dev/null || true; done
    return 0
}

# ---------------------------------------------------------------------------
# Plumbing
# ---------------------------------------------------------------------------

# lab_namespace --ns NS [--ipv6 on|off] : creates NS (unless it exists) with its loopback
# up.  --ipv6 off keeps the links silent apart from what a test sends.
lab_namespace() {
    local ns="" ipv6=on
    lab_opts "ns ipv6" "$@"
    lab_need lab_namespace ns
    ip netns list 2>/dev/null | grep -qw "^$ns" && return 0
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    if [[ $ipv6 == off ]]; then
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
            2>/dev/null || true
    fi
}

# lab_offloads_off --ns NS --dev DEV : makes the veth end DEV put on the wire what a real
# NIC would.
#
# veth leaves UDP and TCP checksums to a "hardware" that does not exist: with TX checksum
# offload on ("tx"), most recorded packets would carry unfinished checksums.  Off, the
# kernel fills them in, as a real NIC would have on the wire.  With segmentation offload
# on ("tso", "gso") a TCP sender hands veth one 64 KB "super-segment" that is never cut
# up, since the peer accepts it whole, and with "gro" the receiving end merges segments
# before tcpdump sees them: both would record TCP segments far larger than the MTU.  All
# four off on both ends, every TCP segment recorded is one real, MTU-sized segment.
# ethtool exits non-zero for a feature the driver refuses; the read-back makes sure.
lab_offloads_off() {
    local ns="" dev="" feature state
    lab_opts "ns dev" "$@"
    lab_need lab_offloads_off ns dev
    ip netns exec "$ns" ethtool -K "$dev" tx off tso off gso off gro off >/dev/null ||
        lab_die "ethtool could not turn off the offloads of $dev in $ns"
    for feature in tx-checksumming tcp-segmentation-offload generic-segmentation-offload generic-receive-offload; do
        state=$(ip netns exec "$ns" ethtool -k "$dev" | awk -F': ' -v f="$feature" '$1 == f { print $2 }')
        [[ $state == off* ]] || lab_die "$dev in $ns: $feature is '$state', expected off"
    done
}

# lab_pair --phone-ns NS --phone-if DEV --phone-mac MAC --server-ns NS --server-if DEV
#          [--server-mac MAC] [--server-address A/N] [--ipv6 on|off] [--offloads on|off] :
# the phone and server namespaces (created if missing) joined by a veth pair, both ends up.
# The MACs are set when the veth is created, before any VLAN sub-interface (which inherits
# its parent's address); the server end gets --server-address, the phone none (it leases
# one).  --offloads off: see lab_offloads_off (needs ethtool).
lab_pair() {
    local phone_ns="" phone_if="" phone_mac="" server_ns="" server_if="" server_mac="" server_address=""
    local ipv6=on offloads=on
    lab_opts "phone-ns phone-if phone-mac server-ns server-if server-mac server-address ipv6 offloads" "$@"
    lab_need lab_pair phone_ns phone_if phone_mac server_ns server_if
    lab_namespace --ns "$phone_ns" --ipv6 "$ipv6"
    lab_namespace --ns "$server_ns" --ipv6 "$ipv6"
    local -a server_end=(name "$server_if")
    [[ -z $server_mac ]] || server_end+=(address "$server_mac")
    ip link add "$phone_if" address "$phone_mac" netns "$phone_ns" type veth \
        peer "${server_end[@]}" netns "$server_ns"
    if [[ $offloads == off ]]; then
        lab_offloads_off --ns "$phone_ns" --dev "$phone_if"
        lab_offloads_off --ns "$server_ns" --dev "$server_if"
    fi
    ip -n "$phone_ns" link set "$phone_if" up
    ip -n "$server_ns" link set "$server_if" up
    [[ -z $server_address ]] || lab_address --ns "$server_ns" --dev "$server_if" --address "$server_address"
}

# lab_address --ns NS --dev DEV --address A/N : one more address on DEV.
lab_address() {
    local ns="" dev="" address=""
    lab_opts "ns dev address" "$@"
    lab_need lab_address ns dev address
    ip -n "$ns" addr add "$address" dev "$dev"
}

# lab_upstream --server-ns NS --upstream-ns NS --relay-if DEV --upstream-if DEV
#              --relay-address A/N --upstream-address A/N --route NET/N : a third namespace
# behind the server side (for a relay in the middle), joined by its own veth pair; the
# upstream side routes NET back through the relay side's address.
lab_upstream() {
    local server_ns="" upstream_ns="" relay_if="" upstream_if="" relay_address="" upstream_address="" route=""
    lab_opts "server-ns upstream-ns relay-if upstream-if relay-address upstream-address route" "$@"
    lab_need lab_upstream server_ns upstream_ns relay_if upstream_if relay_address upstream_address route
    lab_namespace --ns "$upstream_ns"
    ip link add "$relay_if" netns "$server_ns" type veth peer name "$upstream_if" netns "$upstream_ns"
    ip -n "$server_ns" link set "$relay_if" up
    ip -n "$upstream_ns" link set "$upstream_if" up
    lab_address --ns "$server_ns" --dev "$relay_if" --address "$relay_address"
    lab_address --ns "$upstream_ns" --dev "$upstream_if" --address "$upstream_address"
    ip -n "$upstream_ns" route add "$route" via "${relay_address%/*}"
}

# lab_second_server --server-ns NS --server-if DEV --bridge BR --bridge-mac MAC
#                   --server-address A/N --ns NS2 --dev DEV2 --mac MAC2 --address A2/N
#                   [--ipv6 on|off] [--offloads on|off] :
# turns the server side into a bridge BR shared by the phone's link (DEV), the server
# itself (its address moves from DEV to BR) and a second namespace NS2, whose end DEV2 has
# MAC2 and A2.  Call after lab_pair, before starting any server on DEV.
lab_second_server() {
    local server_ns="" server_if="" bridge="" bridge_mac="" server_address="" ns="" dev="" mac="" address=""
    local ipv6=on offloads=on peer
    lab_opts "server-ns server-if bridge bridge-mac server-address ns dev mac address ipv6 offloads" "$@"
    lab_need lab_second_server server_ns server_if bridge bridge_mac server_address ns dev mac address
    peer=$dev-br
    ip -n "$server_ns" addr flush dev "$server_if"
    ip -n "$server_ns" link add "$bridge" address "$bridge_mac" type bridge
    ip -n "$server_ns" link set "$server_if" master "$bridge"
    lab_namespace --ns "$ns" --ipv6 "$ipv6"
    ip link add "$dev" address "$mac" netns "$ns" type veth peer name "$peer" netns "$server_ns"
    if [[ $offloads == off ]]; then
        lab_offloads_off --ns "$ns" --dev "$dev"
        lab_offloads_off --ns "$server_ns" --dev "$peer"
    fi
    ip -n "$server_ns" link set "$peer" master "$bridge"
    ip -n "$server_ns" link set "$peer" up
    ip -n "$ns" link set "$dev" up
    lab_address --ns "$ns" --dev "$dev" --address "$address"
    ip -n "$server_ns" link set "$bridge" up
    lab_address --ns "$server_ns" --dev "$bridge" --address "$server_address"
}

# lab_vlan --ns NS --parent DEV --name NAME --id VID --mac MAC --dir DIR [--mode auto|kernel|shim] :
# the 802.1Q sub-interface NAME of DEV, brought up.
#
# Normally a kernel VLAN interface.  Kernels built without CONFIG_VLAN_8021Q (some VM
# kernels) answer "Unknown device type"; then (--mode auto, the default) NAME is a tap
# device with the parent's MAC, and vlan-shim.py (in captures/) tags and untags between the
# two in userspace, so the frames on DEV look the same.  --mode kernel or shim forces one or
# the other.  DIR takes the shim's log.
lab_vlan() {
    local ns="" parent="" name="" id="" mac="" dir="" mode=auto logf shim=$LAB_CAPTURES_DIR/vlan-shim.py
    lab_opts "ns parent name id mac dir mode" "$@"
    lab_need lab_vlan ns parent name id mac dir
    if [[ $mode != shim ]]; then
        if ip -n "$ns" link add link "$parent" name "$name" type vlan id "$id" 2>"$dir/vlan.err"; then
            lab_log "$ns: $name is a kernel VLAN interface"
            ip -n "$ns" link set "$name" up
            return 0
        fi
        [[ $mode == auto ]] || lab_die "cannot create VLAN interface $name: $(cat "$dir/vlan.err")"
        lab_log "$ns: no kernel 802.1Q support ($(tr -d '\n' <"$dir/vlan.err")); using vlan-shim.py"
    fi
    command -v python3 >/dev/null 2>&1 || lab_die "the 802.1Q shim needs python3 (apt package: python3)"
    [[ -r $shim ]] || lab_die "missing $shim"
    ip -n "$ns" tuntap add dev "$name" mode tap
    ip -n "$ns" link set dev "$name" address "$mac"
    logf=$dir/vlan-shim-$ns.log
    : >"$logf"
    # Started directly so that $! is the shim ("ip netns exec" execs it in place).
    ip netns exec "$ns" python3 "$shim" "$parent" "$name" "$id" 2>"$logf" &
    LAB_PIDS+=("$!")
    lab_await_log --file "$logf" --pattern ready --error "vlan-shim.py did not start in $ns"
    ip -n "$ns" link set "$name" up
}

# ---------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------

# lab_dnsmasq --ns NS --interface DEV --range RANGE --dir DIR [--name dnsmasq]
#             [--tftp-root ROOT] [--srv-mount yes|no] [--reply-delay SECONDS]
#             [--dhcp-option CODE,VALUE]... [--exec yes|no] :
# dnsmasq as DHCP server on DEV in NS (no DNS), and TFTP server from ROOT if given.  DIR
# takes NAME.log (dnsmasq's own log), NAME.leases and NAME.pid.  Option values are given
# unquoted: on the command line dnsmasq would send the quotes themselves.
#
# --srv-mount yes: dnsmasq puts the full path in its TFTP "file ... not found" error
# messages, and those are in a capture.  So that every run sends the same, tidy path,
# ROOT's parent is bind-mounted on /srv inside the private mount namespace "ip netns exec"
# creates (mount propagation there is slave: nothing shows on the host, and the mount goes
# away with dnsmasq), and dnsmasq serves /srv/<ROOT's name>.  Without a /srv directory on
# the host, ROOT is served as is.
#
# Started in the background (its pid kept for lab_stop_all) once its log says it is ready;
# with --exec yes the shell becomes dnsmasq instead, and the caller waits for NAME.log.
lab_dnsmasq() {
    local ns="" interface="" range="" dir="" name=dnsmasq tftp_root="" srv_mount=no reply_delay="" exec=no
    local -a dhcp_option=() dhcp_option_force=()
    lab_opts "ns interface range dir name tftp-root srv-mount reply-delay exec dhcp-option+ dhcp-option-force+" "$@"
    lab_need lab_dnsmasq ns interface range dir
    local logf=$dir/$name.log ready="DHCP, IP range" served=$tftp_root
    local -a prefix=() extra=()
    if [[ -n $tftp_root ]]; then
        ready="TFTP root is"
        if [[ $srv_mount == yes && -d /srv ]]; then
            # shellcheck disable=SC2016 # $0 and $@ are expanded by that inner sh
            prefix=(sh -c 'mount --bind "$0" /srv && exec "$@"' "$(dirname "$tftp_root")")
            served=/srv/$(basename "$tftp_root")
        fi
        extra+=(--enable-tftp --tftp-root="$served")
    fi
    [[ -z $reply_delay ]] || extra+=(--dhcp-reply-delay="$reply_delay")
    local option
    for option in "${dhcp_option[@]}"; do extra+=(--dhcp-option="$option"); done
    # Sent whether the client asks for it or not (a phone's VLAN-A= option, say).
    for option in "${dhcp_option_force[@]}"; do extra+=(--dhcp-option-force="$option"); done
    : >"$logf"
    rm -f "$dir/$name.leases"
    local -a command=(ip netns exec "$ns" "${prefix[@]}" dnsmasq --keep-in-foreground --conf-file=/dev/null
        --no-resolv --no-hosts --port=0
        --interface="$interface" --bind-interfaces
        --dhcp-range="$range"
        --dhcp-leasefile="$dir/$name.leases"
        --pid-file="$dir/$name.pid"
        --log-facility="$logf" --log-dhcp --no-ping
        "${extra[@]}")
    [[ $exec != yes ]] || exec "${command[@]}"
    # Started directly (not through a function) so that $! is dnsmasq itself: "ip netns
    # exec" and the sh above both exec the command in place.
    "${command[@]}" &
    LAB_PIDS+=("$!")
    lab_await_log --file "$logf" --pattern "$ready" --error "$name did not start"
}

# lab_lldpd --ns NS --interface DEV --dir DIR --config FILE [--name NAME] [--cdp yes] : lldpd
# in NS announcing on DEV as an access switch (LLDP-MED class 4), set up by FILE (lldpcli
# commands: the voice policy, the system name); with --cdp yes it forces CDP instead, as
# lldpd sends LLDP only while no other protocol is forced.  Its control socket and log are
# in DIR; it is stopped with the other background processes.
lab_lldpd() {
    local ns="" interface="" dir="" config="" name=lldpd cdp=no
    lab_opts "ns interface dir config name cdp" "$@"
    lab_need lab_lldpd ns interface dir config
    local logf=$dir/$name.log
    local -a protocols=(-M 4)
    [[ $cdp != yes ]] || protocols=(-cc)
    : >"$logf"
    ip netns exec "$ns" lldpd -d -I "$interface" -u "$dir/$name.socket" -O "$config" "${protocols[@]}" >"$logf" 2>&1 &
    LAB_PIDS+=("$!")
    lab_await_log --file "$logf" --pattern "lldpd should resume operations" --error "$name did not start"
}

# lab_silent_udp --ns NS --address A --port P --dir DIR : holds UDP port P on A in NS and
# never answers, as a server behind a filter that drops its replies would look (no ICMP
# "port unreachable" either, since the port is open).
lab_silent_udp() {
    local ns="" address="" port="" dir="" logf
    lab_opts "ns address port dir" "$@"
    lab_need lab_silent_udp ns address port dir
    logf=$dir/silent-udp-$port.log
    : >"$logf"
    ip netns exec "$ns" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
print("ready", flush=True)
while True:
    time.sleep(60)
' "$address" "$port" >"$logf" 2>&1 &
    LAB_PIDS+=("$!")
    lab_await_log --file "$logf" --pattern ready --error "could not hold UDP port $port on $address"
}

# lab_vsftpd --ns NS --address A --root ROOT --user USER --password PASSWORD
#            --pasv-ports LOW-HIGH --dir DIR :
# vsftpd on A:21 in NS, serving ROOT (fill it first) to the local account USER, chrooted
# there; passive mode on LOW-HIGH, active mode from port 20, uploads allowed, no anonymous
# login.  The account exists only for vsftpd: DIR/ftp-etc holds copies of the host's
# passwd and group (vsftpd needs "nobody"), each plus USER, and a shadow file holding USER
# alone (no host password hash is copied); they are bind-mounted over /etc/passwd,
# /etc/group and /etc/shadow inside vsftpd's own mount namespace, so the account never
# exists on the host.  The shell is one from /etc/shells: Debian's /etc/pam.d/vsftpd
# (pam_shells) refuses other accounts; vsftpd never runs it.
lab_vsftpd() {
    local ns="" address="" root="" user="" password="" pasv_ports="" dir=""
    lab_opts "ns address root user password pasv-ports dir" "$@"
    lab_need lab_vsftpd ns address root user password pasv_ports dir
    local conf=$dir/vsftpd.conf logf=$dir/vsftpd.log errf=$dir/vsftpd.err etc=$dir/ftp-etc uid=64000 hash
    # A uid and gid no host account or group has, so the private account owns nothing else.
    while getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null; do uid=$((uid + 1)); done
    rm -rf -- "$etc"
    mkdir -m 0755 "$etc"
    hash=$(openssl passwd -6 -salt phonebootrecord "$password") || lab_die "openssl passwd failed"
    { cat /etc/passwd; printf '%s:x:%s:%s:PhoneBoot lab FTP account:%s:/bin/sh\n' \
        "$user" "$uid" "$uid" "$root"; } >"$etc/passwd"
    { cat /etc/group; printf '%s:x:%s:\n' "$user" "$uid"; } >"$etc/group"
    (umask 077 && printf '%s:%s:19000:0:99999:7:::\n' "$user" "$hash" >"$etc/shadow")
    chmod 0644 "$etc/passwd" "$etc/group"
    # The FTP root is the account's chroot and must take the phone's upload.
    chown "$uid:$uid" "$root"
    # vsftpd chroots its unprivileged pre-login process into an empty, root-owned directory.
    rm -rf -- "$dir/vsftpd-empty"
    mkdir -m 0755 "$dir/vsftpd-empty"
    cat >"$conf" <<EOC
# vsftpd.conf written by lab.sh (vsftpd runs in the $ns namespace only).
listen=YES
listen_ipv6=NO
listen_address=$address
background=NO
# Local accounts only ($user), chrooted to the FTP root, which takes uploads.
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
local_root=$root
chroot_local_user=YES
allow_writeable_chroot=YES
pam_service_name=vsftpd
# Passive mode on a small fixed range; active mode connects from port 20, as usual.
pasv_enable=YES
pasv_min_port=${pasv_ports%-*}
pasv_max_port=${pasv_ports#*-}
port_enable=YES
connect_from_port_20=YES
# A fixed banner instead of "(vsFTPd <version>)", so re-recordings look alike.
ftpd_banner=PhoneBoot test FTP server
secure_chroot_dir=$dir/vsftpd-empty
# Keep every session process in this network and pid namespace: lab_remove finds (and
# stops) what runs in $ns, which a process in a namespace of its own would escape.
isolate=NO
isolate_network=NO
# Every command and reply in the log, for debugging.
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
    ip netns exec "$ns" sh -c '
        for f in passwd group shadow; do mount --bind "$0/$f" "/etc/$f" || exit 1; done
        exec "$@"' "$etc" vsftpd "$conf" 2>"$errf" &
    LAB_PIDS+=("$!")
    lab_wait_listen --ns "$ns" --port 21 || {
        cat "$errf" >&2
        lab_die "vsftpd did not start"
    }
}

# lab_http_server --ns NS --address A --port P --root ROOT --user USER --password PASSWORD
#                 --dir DIR [--tls-cert CERT --tls-key KEY] :
# captures/http-server.py on A:P in NS, serving ROOT (fill it first); /secure/ needs Basic
# USER:PASSWORD.  With a certificate and key it speaks TLS.  Its log: DIR/http-server.log.
lab_http_server() {
    local ns="" address="" port="" root="" user="" password="" dir="" tls_cert="" tls_key=""
    local server=$LAB_CAPTURES_DIR/http-server.py logf
    lab_opts "ns address port root user password dir tls-cert tls-key" "$@"
    lab_need lab_http_server ns address port root user password dir
    [[ -r $server ]] || lab_die "missing $server"
    local -a tls=()
    [[ -z $tls_cert ]] || tls=(--tls "$tls_cert" "$tls_key")
    logf=$dir/http-server.log
    : >"$logf"
    # Started directly so that $! is the server (see lab_dnsmasq).
    ip netns exec "$ns" python3 "$server" "$root" "$address" "$port" \
        --user "$user" --password "$password" "${tls[@]}" >"$logf" 2>&1 &
    LAB_PIDS+=("$!")
    lab_await_log --file "$logf" --pattern ready --error "http-server.py did not start"
}

# lab_tls_cert --dir DIR --name NAME : DIR/cert.pem and DIR/key.pem, a self-signed
# certificate for NAME (CN and subjectAltName) with a P-256 key (small: a capture holds it).
lab_tls_cert() {
    local dir="" name=""
    lab_opts "dir name" "$@"
    lab_need lab_tls_cert dir name
    rm -rf -- "$dir"
    mkdir -p "$dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
        -subj "/CN=$name" -addext "subjectAltName=DNS:$name" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>"$dir/openssl.err" || {
        cat "$dir/openssl.err" >&2
        lab_die "could not make the TLS certificate"
    }
}

# ---------------------------------------------------------------------------
# Capture
# ---------------------------------------------------------------------------

# lab_capture_start --ns NS --dev DEV --file FILE --filter FILTER --dir DIR : tcpdump on
# DEV in NS, full snaplen, classic pcap; its standard error in DIR/tcpdump.err.
lab_capture_start() {
    local ns="" dev="" file="" filter="" dir=""
    lab_opts "ns dev file filter dir" "$@"
    lab_need lab_capture_start ns dev file filter dir
    LAB_CAPTURE_ERR=$dir/tcpdump.err
    : >"$LAB_CAPTURE_ERR"
    # -Z root: write the file as root (tcpdump otherwise drops to its own user first).
    # --immediate-mode: each packet is handed to tcpdump at once; otherwise the kernel
    # holds packets in its ring buffer for up to a second, and the last ones of a capture
    # (a 530 that vsftpd sends after its one-second failed-login delay) would be counted
    # as "received by filter" but never written when tcpdump is stopped.
    ip netns exec "$ns" tcpdump -i "$dev" -w "$file" -U --immediate-mode -Z root "$filter" 2>"$LAB_CAPTURE_ERR" &
    LAB_CAPTURE_PID=$!
    lab_await_log --file "$LAB_CAPTURE_ERR" --pattern "listening on" --error "tcpdump did not start"
    sleep 0.5
}

# lab_capture_stop : lets the last packets arrive, stops tcpdump with SIGINT (it flushes
# and closes the file) and shows its statistics.
lab_capture_stop() {
    [[ -n $LAB_CAPTURE_PID ]] || return 0
    sleep 0.5
    lab_stop_pid --pid "$LAB_CAPTURE_PID" --signal INT
    LAB_CAPTURE_PID=""
    sed -n '/captured\|received\|dropped/p' "$LAB_CAPTURE_ERR" | sed 's/^/    tcpdump: /' >&2
}

# ---------------------------------------------------------------------------
# Phone side
# ---------------------------------------------------------------------------

# lab_dhclient --ns NS --dev DEV --dir DIR (--vendor-class-text TEXT | --vendor-class-hex HEX) :
# one dhclient lease in NS on DEV, sending option 60 (TEXT as a string, or HEX as binary
# data) and asking for options 66 and 160.  DIR takes dhclient.conf, the -sf hook (it only
# sets the leased address on DEV: never resolv.conf, never a route), dhclient.leases,
# dhclient.pid, dhclient.log and dhclient-lease.env (the hook's new_* variables).  Returns
# once the lease is bound (dhclient then daemonises: stop it through dhclient.pid, or let
# lab_remove do it); the status is dhclient's, non-zero with its log on standard error when
# it got no lease.
lab_dhclient() {
    local ns="" dev="" dir="" vendor_class_text="" vendor_class_hex="" vendor_class status=0
    lab_opts "ns dev dir vendor-class-text vendor-class-hex" "$@"
    lab_need lab_dhclient ns dev dir
    if [[ -n $vendor_class_hex ]]; then
        vendor_class=$(sed 's/../&:/g; s/:$//' <<<"$vendor_class_hex") # dhclient.conf's binary notation
    else
        lab_need lab_dhclient vendor_class_text
        vendor_class="\"$vendor_class_text\""
    fi
    cat >"$dir/dhclient.conf" <<EOF
# dhclient.conf written by lab.sh: a Polycom phone's DHCP request.
option polycom-boot-server code 160 = string;
timeout 20;
initial-interval 1;
send vendor-class-identifier $vendor_class;
also request tftp-server-name, polycom-boot-server;
EOF
    cat >"$dir/dhclient-hook.sh" <<EOF
#!/bin/sh
# dhclient -sf hook written by lab.sh (runs inside the $ns namespace only).
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
        env | grep '^new_' | sort > "$dir/dhclient-lease.env" ;;
    EXPIRE|FAIL|RELEASE|STOP)
        ip -4 addr flush dev "\$interface" ;;
esac
exit 0
EOF
    chmod 0755 "$dir/dhclient-hook.sh"
    rm -f "$dir/dhclient.leases" "$dir/dhclient.pid" "$dir/dhclient-lease.env"
    lab_log "dhclient on $dev"
    ip netns exec "$ns" timeout 40 dhclient -1 -v \
        -cf "$dir/dhclient.conf" -lf "$dir/dhclient.leases" \
        -pf "$dir/dhclient.pid" -sf "$dir/dhclient-hook.sh" \
        "$dev" 2>"$dir/dhclient.log" || status=$?
    if ((status != 0)); then
        cat "$dir/dhclient.log" >&2
        return "$status"
    fi
    grep -E 'DHCP(DISCOVER|OFFER|REQUEST|ACK)|bound to' "$dir/dhclient.log" | sed 's/^/    dhclient: /' >&2
    sed 's/^/    lease: /' "$dir/dhclient-lease.env" >&2
    # The hook should have set the address; make sure before anything is fetched.
    ip -n "$ns" -4 addr show dev "$dev" | grep -q 'inet 192\.0\.2\.' ||
        lab_die "the phone has no 192.0.2.x address after DHCP"
}

# lab_tftp_get --ns NS --server A --file NAME --expect ok|missing|noanswer --dir DIR
#              [--served PATH] [-- CURL_OPTION...] :
# fetches tftp://A/NAME with curl in NS (into DIR/download, removed afterwards).  ok: must
# succeed and equal PATH; missing: must fail (a TFTP error); noanswer: curl must give up
# after 12 s (exit 28): the server never answered.
lab_tftp_get() {
    local ns="" server="" file="" expect="" dir="" served="" status=0 max_time=60
    lab_opts "ns server file expect dir served" "$@"
    lab_need lab_tftp_get ns server file expect dir
    local -a options=("${LAB_REST[@]}")
    [[ $expect != noanswer ]] || max_time=12
    ip netns exec "$ns" curl --silent --show-error --noproxy '*' --max-time "$max_time" "${options[@]}" \
        -o "$dir/download" "tftp://$server/$file" 2>"$dir/curl.err" || status=$?
    case $expect in
        ok)
            ((status == 0)) || { cat "$dir/curl.err" >&2; lab_die "tftp get $file failed (curl exit $status)"; }
            lab_need lab_tftp_get served
            cmp -s "$dir/download" "$served" || lab_die "tftp get $file: downloaded file differs"
            lab_log "tftp get $file ${options[*]} -> ok ($(stat -c %s "$dir/download") bytes)"
            ;;
        noanswer)
            ((status == 28)) || lab_die "tftp get $file: expected a timeout (curl exit 28), got exit $status"
            lab_log "tftp get $file ${options[*]} -> no answer, as expected"
            ;;
        missing)
            ((status != 0)) || lab_die "tftp get $file succeeded but the file should be missing"
            lab_log "tftp get $file ${options[*]} -> failed as expected (curl exit $status: $(tr -d '\n' <"$dir/curl.err"))"
            ;;
        *) lab_die "lab_tftp_get: --expect is ok, missing or noanswer, not '$expect'" ;;
    esac
    rm -f "$dir/download"
}

# lab_arp_announce --ns NS --dev DEV --address A [--count N] [--interval SECONDS] : N ARP
# announcements of A from DEV in NS (RFC 5227 §2.3: a broadcast ARP request whose sender
# and target address are both A), SECONDS apart (default 2 of them, 2 s: ANNOUNCE_NUM and
# ANNOUNCE_INTERVAL), as a phone sends for the address DHCP has just given it.
lab_arp_announce() {
    local ns="" dev="" address="" count=2 interval=2
    lab_opts "ns dev address count interval" "$@"
    lab_need lab_arp_announce ns dev address
    ip netns exec "$ns" python3 -c '
import socket, struct, sys, time
dev, address, count, interval = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
mac = s.getsockname()[4]
ip = socket.inet_aton(address)
arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + ip + bytes(6) + ip
frame = (b"\xff" * 6 + mac + b"\x08\x06" + arp).ljust(60, b"\0")
for n in range(count):
    if n:
        time.sleep(interval)
    s.send(frame)
' "$dev" "$address" "$count" "$interval" || lab_die "could not send ARP announcements on $dev"
    lab_log "ARP announcement of $address on $dev ($count, ${interval} s apart)"
}

# lab_mask_password TEXT : TEXT with the password of every URL's user:password@ (and of
# curl's "-u user:password") replaced by "***", for the log.
lab_mask_password() {
    sed -E 's#(://[^:/@ ]*):[^@/ ]*@#\1:***@#g; s#(-u [^: ]*):[^ ]*#\1:***#g' <<<"$*"
}

# lab_curl --ns NS --url URL --exit N --code CODE --dir DIR [-- CURL_OPTION...] : one curl
# run (one TCP connection) in NS; a body received goes to DIR/download.  It must end with
# curl exit status N and CODE as the last HTTP or FTP reply code (curl's
# %{response_code}: 000 when no reply came, as after a failed TLS handshake).
lab_curl() {
    local ns="" url="" exit="" code="" dir="" status=0 got
    lab_opts "ns url exit code dir" "$@"
    lab_need lab_curl ns url exit code dir
    local -a options=("${LAB_REST[@]}")
    rm -f "$dir/download"
    got=$(ip netns exec "$ns" curl --silent --show-error --noproxy '*' --max-time 30 -w '%{response_code}' \
        -o "$dir/download" "${options[@]}" "$url" 2>"$dir/curl.err") || status=$?
    local what err
    what=$(lab_mask_password "curl${options[*]:+ ${options[*]}} $url")
    err=$(tr -d '\n' <"$dir/curl.err")
    if ((status != exit)) || [[ $got != "$code" ]]; then
        lab_die "$what: curl exit $status, reply $got${err:+ ($err)}; expected exit $exit, reply $code"
    fi
    lab_log "$what -> exit $status, reply $got${err:+ ($err)}"
}

# ---------------------------------------------------------------------------
# As a command
# ---------------------------------------------------------------------------

# bash lab.sh COMMAND --name value... : runs lab_COMMAND, for callers that are not bash
# (the Swift tests).  Background processes such a call starts outlive it: lab_remove stops
# them with their namespace.
lab_main() {
    local command=${1:-}
    [[ -n $command ]] || lab_die "usage: lab.sh COMMAND --name value... (COMMAND: a lab_ function without lab_)"
    shift
    declare -F "lab_$command" >/dev/null || lab_die "no such command: $command"
    "lab_$command" "$@"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    set -euo pipefail
    lab_main "$@"
fi
