#!/usr/bin/env bash
# record.sh — record small, real Polycom-style boot captures for PhoneBoot's tests.
#
# A driver: the lab itself (namespaces, veth pairs, servers, the phone's clients, tcpdump)
# is captures/lab/lab.sh, the same code the Swift tests' NetworkLab runs; the tshark checks
# every capture must pass are captures/lab/checks.sh; each scenario is a short file in
# captures/scenarios/, written with captures/lab/boot.sh.  Each scenario builds two private
# network namespaces joined by a veth pair:
#
#   pb-phone  (dhclient + curl, MAC with a Polycom OUI)  <== veth ==>  pb-server  (dnsmasq DHCP + TFTP)
#
# and records, with tcpdump on the phone-side veth, the traffic of one boot: DHCP, then
# TFTP, FTP (vsftpd), HTTP or HTTPS (http-server.py) fetches.  Only 192.0.2.0/24
# (TEST-NET-1) is used; the namespaces have no default route and no link to the host's
# network.  Everything started runs inside those namespaces and is stopped, and the
# namespaces and temporary directory are deleted, on exit (also on failure or Ctrl-C).
# Nothing is installed by the script: it reports missing packages.
#
# Usage: sudo captures/record.sh [-h] [-l] [--out DIR] [scenario...]   (default: all scenarios)
# Output: DIR/<scenario>.pcap (default DIR: captures/), classic pcap, plus a tshark summary
# on stdout.  A pcap is only moved into DIR once its capture has been verified.

set -euo pipefail

CAPTURES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034 # read by lab_die
LAB_NAME=record.sh
# shellcheck source=SCRIPTDIR/lab/boot.sh
source "$CAPTURES_DIR/lab/boot.sh"

SCENARIOS=(polycom-tftp-boot polycom-ascii-vlan no-boot-server boot-server-conflict cached-boot-server
           tftp-no-answer two-dhcp-servers
           ftp-boot ftp-login-failed ftp-config-missing http-boot http-auth-failed https-untrusted
           capture-ends-after-ack ftp-size-not-found boot-server-quoted
           master-config-plan master-config-mismatch master-config-invalid boot-loop
           lldp-vlan-conflict vlan-loop voice-vlan-silent)
TMP_PREFIX=phoneboot-record
LOCK_FILE=/run/phoneboot-record.lock
OUT_DIR=$CAPTURES_DIR
WORK_DIR=""
SCENARIO=""

usage() {
    cat <<EOF
Usage: sudo $0 [-h] [-l] [--out DIR] [scenario...]

Records real boot captures between dhclient/curl (the "phone") and dnsmasq (the "server")
in private network namespaces, writing DIR/<scenario>.pcap (DIR: $CAPTURES_DIR unless
--out names another).  The ftp-* scenarios use vsftpd, the http-* and https-* scenarios
http-server.py, as the boot server instead of TFTP.  Each scenario is
captures/scenarios/<scenario>.sh.

The FTP account $FTP_USER (password $FTP_PASSWORD) exists only for vsftpd: it runs with
private copies of /etc/passwd, /etc/group and /etc/shadow bind-mounted in its own mount
namespace, so the host's account files are never changed and the account is gone when
vsftpd stops.  The HTTPS scenario's self-signed certificate ($TLS_NAME) is made with
openssl at run time and deleted with the rest.

Scenarios (default: all): ${SCENARIOS[*]}
  --out DIR    write the captures to DIR (created if missing) instead of $CAPTURES_DIR
  -l, --list   list scenarios
  -h, --help   this help

Environment: PB_KEEP_WORK=1 keeps the temporary directory (dnsmasq/dhclient logs,
captures that failed verification) for debugging; the next run removes it.
PB_VLAN=kernel|shim forces kernel VLAN interfaces or the userspace vlan-shim.py
(default: kernel, falling back to the shim when the kernel has no 802.1Q support).
EOF
}

# Every command the lab and the checks need, with the Debian package that provides it.
check_requirements() {
    local -A packages=(
        [ip]=iproute2 [dnsmasq]=dnsmasq-base [dhclient]=isc-dhcp-client [curl]=curl
        [tcpdump]=tcpdump [tshark]=tshark [openssl]=openssl [flock]=util-linux
        [timeout]=coreutils [od]=coreutils [cmp]=diffutils [sysctl]=procps [xxd]=xxd [mount]=mount [ethtool]=ethtool
        [vsftpd]=vsftpd [python3]=python3 [ss]=iproute2 [getent]=libc-bin
    )
    local cmd protocol
    local -a missing=()
    for cmd in "${!packages[@]}"; do
        if ! command -v "$cmd" >/dev/null 2>&1; then
            printf 'record.sh: missing command %s (apt package: %s)\n' "$cmd" "${packages[$cmd]}" >&2
            missing+=("${packages[$cmd]}")
        fi
    done
    if ((${#missing[@]})); then
        lab_die "install with: apt-get install -y $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
    fi
    for protocol in tftp ftp http https; do
        curl --version | grep -i '^protocols:' | grep -qw "$protocol" ||
            lab_die "this curl was built without $protocol:// support (apt package: curl)"
    done
}

# Stops what the run started, removes the namespaces and (unless PB_KEEP_WORK=1) the
# temporary directory; keeps the exit status.
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    boot_stop
    if [[ -n $WORK_DIR && -d $WORK_DIR ]]; then
        if [[ ${PB_KEEP_WORK:-0} == 1 ]]; then
            lab_log "PB_KEEP_WORK=1: leaving $WORK_DIR (logs, failed captures)"
        else
            rm -rf -- "$WORK_DIR"
        fi
    fi
    if ((status != 0)); then
        lab_log "failed (exit $status); namespaces and temporary files removed"
    fi
    exit "$status"
}

# Leftovers of an aborted earlier run: namespaces, veths and temporary directories.
clean_leftovers() {
    local dir
    boot_teardown
    for dir in "${TMPDIR:-/tmp}/$TMP_PREFIX".*; do
        [[ -d $dir ]] && rm -rf -- "$dir"
    done
    return 0
}

main() {
    local -a selected=() arguments=("$@")
    local s known
    while (($#)); do
        case $1 in
            -h | --help) usage; exit 0 ;;
            -l | --list) printf '%s\n' "${SCENARIOS[@]}"; exit 0 ;;
            --out) (($# >= 2)) || lab_die "--out needs a directory"; OUT_DIR=$2; shift ;;
            --out=*) OUT_DIR=${1#--out=} ;;
            -*) usage >&2; exit 2 ;;
            *)
                known=no
                for s in "${SCENARIOS[@]}"; do
                    if [[ $s == "$1" ]]; then known=yes; fi
                done
                [[ $known == yes ]] || lab_die "unknown scenario '$1' (known: ${SCENARIOS[*]})"
                selected+=("$1")
                ;;
        esac
        shift
    done
    ((${#selected[@]})) || selected=("${SCENARIOS[@]}")

    ((EUID == 0)) || lab_die "needs root for network namespaces: sudo $0 ${arguments[*]}"
    check_requirements
    mkdir -p -- "$OUT_DIR"
    OUT_DIR=$(cd "$OUT_DIR" && pwd)

    # One run at a time: the namespace names are fixed.
    exec 9>"$LOCK_FILE"
    flock -n 9 || lab_die "another record.sh is running"

    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    clean_leftovers
    WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/$TMP_PREFIX.XXXXXX")
    chmod 0755 "$WORK_DIR" # dnsmasq (unprivileged) reads the TFTP root below it
    mkdir -m 0755 "$WORK_DIR/srv"

    for s in "${selected[@]}"; do
        lab_log "scenario $s"
        SCENARIO=$s
        # shellcheck source=/dev/null # one of captures/scenarios/*.sh
        source "$CAPTURES_DIR/scenarios/$s.sh"
        # A failing check is reported in the summary; any other error aborts the run.
        "scenario_${s//-/_}"
    done

    printf '\nSummary (%s)\n' "$(tshark --version 2>/dev/null | head -1)"
    printf '%s\n' "${SUMMARY[@]}"
    ((VERIFY_FAILED == 0)) || lab_die "verification failed"
    printf 'Wrote: %s\n' "$(for s in "${selected[@]}"; do printf '%s ' "$OUT_DIR/$s.pcap"; done)"
}

main "$@"
