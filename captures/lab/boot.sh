#!/usr/bin/env bash
# boot.sh — the Polycom boot kit the scenarios in captures/scenarios/ are written with.
#
# Owns: the names and addresses of record.sh's lab (pb-phone, pb-server, 192.0.2.0/24), the
# files a phone fetches (master configuration, a deterministic application image, a boot
# log), a Polycom phone's binary vendor class, and short forms of lab.sh's functions with
# those names filled in: the network of one scenario, its dnsmasq, its phone's DHCP and
# fetches, its capture, and its end (stop, tear down, keep a verified capture).  Sources
# lab.sh and checks.sh; every function takes named arguments.
#
# record.sh sets, before running a scenario: WORK_DIR (a temporary directory, with srv/
# below it), OUT_DIR (where verified captures go) and SCENARIO (the scenario's name).

# shellcheck disable=SC2034,SC2128,SC2178
# (The settings below are read by the scenarios; boot_files' --file is an array, other
# functions' a string, and shellcheck does not tell the functions' locals apart.)

[[ -n ${BOOT_SH_LOADED:-} ]] && return 0
BOOT_SH_LOADED=1

BOOT_LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lab.sh
source "$BOOT_LAB_DIR/lab.sh"
# shellcheck source=SCRIPTDIR/checks.sh
source "$BOOT_LAB_DIR/checks.sh"

# ---------------------------------------------------------------------------
# Names and addresses
# ---------------------------------------------------------------------------

PHONE_NS=pb-phone
SERVER_NS=pb-server
PHONE_IF=pb-phone0            # veth end in the phone namespace
SERVER_IF=pb-server0          # veth end in the server namespace
SERVER_MAC=02:50:42:00:00:01  # locally administered, fixed so re-runs look alike
SERVER_IP=192.0.2.1
OTHER_SERVER_IP=192.0.2.2     # a second address: another boot server, or a second DHCP server
SECOND_SERVER_NS=pb-server2   # the second DHCP server of two-dhcp-servers
SECOND_SERVER_IF=pb-srv2
SECOND_SERVER_MAC=02:50:42:00:00:02
BRIDGE=pb-br0                 # joins the phone and both servers in two-dhcp-servers
PREFIX_LEN=24
DHCP_RANGE=192.0.2.100,192.0.2.150,255.255.255.0,1h

APP_IMAGE=3111-46162-001.sip.ld
APP_IMAGE_SIZE=300000         # bytes of deterministic pseudo-random data
HTTP_APP_IMAGE_SIZE=100000    # the HTTP capture's image is smaller than the TFTP/FTP one

# FTP, HTTP and HTTPS boot servers (all on $SERVER_IP).
FTP_USER=PlcmSpIp             # Polycom's factory default FTP account
FTP_PASSWORD=PlcmSpIp
FTP_PASV_PORTS=30000-30009    # fixed, so data connections land on predictable ports
POLYCOM_UA='FileTransport PolycomVVX-VVX_410-UA/5.9.5.0614 Type/Application'
TLS_NAME=prov.example.test    # the HTTPS server's name (certificate CN/SAN, SNI); no DNS

# Set by boot_network for the current scenario.
PHONE_DEV=""   # interface dhclient and curl use (the VLAN sub-interface if any)
SERVER_DEV=""  # interface dnsmasq serves on (the VLAN sub-interface or the bridge if any)

# ---------------------------------------------------------------------------
# Files the phone fetches
# ---------------------------------------------------------------------------

# boot_master_config --comment TEXT : a small Polycom master configuration file.
boot_master_config() {
    local comment=""
    lab_opts "comment" "$@"
    cat <<EOF
<?xml version="1.0" standalone="yes"?>
<!-- PhoneBoot test capture: $comment -->
<APPLICATION APP_FILE_PATH="$APP_IMAGE" CONFIG_FILES="phone1.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="" LICENSE_DIRECTORY="" USER_PROFILES_DIRECTORY="" CALL_LISTS_DIRECTORY=""/>
EOF
}

# boot_files --root DIR [--image-size BYTES] --file NAME... : a fresh server root DIR holding
# the named files (NAME may be in a subdirectory, as secure/x.cfg): master configuration
# files (*.cfg) and the application image, BYTES long (default $APP_IMAGE_SIZE).
boot_files() {
    local root="" image_size=$APP_IMAGE_SIZE name
    local -a file=()
    lab_opts "root image-size file+" "$@"
    lab_need boot_files root
    rm -rf -- "$root"
    mkdir -p "$root"
    for name in "${file[@]}"; do
        mkdir -p "$root/$(dirname "$name")"
        case $name in
            "$APP_IMAGE")
                # Deterministic pseudo-random bytes: AES-CTR keystream for a fixed
                # passphrase, so every run serves the same image (a smaller image is
                # the start of the larger one).
                head -c "$image_size" /dev/zero |
                    openssl enc -aes-128-ctr -md sha256 -nosalt -pass pass:phoneboot 2>/dev/null >"$root/$name"
                [[ $(stat -c %s "$root/$name") -eq $image_size ]] || lab_die "could not generate $name"
                ;;
            000000000000.cfg) boot_master_config --comment "default master configuration file" >"$root/$name" ;;
            *.cfg) boot_master_config --comment "master configuration file for $(basename "$name" .cfg)" >"$root/$name" ;;
            *) lab_die "boot_files: do not know how to make $name" ;;
        esac
    done
    # dnsmasq and vsftpd's sessions drop root privileges: everything must be
    # world-readable (directories 0755, files 0644).
    chmod -R u=rwX,go=rX "$root"
}

# boot_log_file --file FILE --mac MAC : the small boot log a phone uploads after booting.
boot_log_file() {
    local file="" mac=""
    lab_opts "file mac" "$@"
    lab_need boot_log_file file mac
    cat >"$file" <<EOB
0101000000|cfg   |4|00|Booting from $mac (PhoneBoot test capture)
0101000001|cfg   |4|00|Master config file loaded
0101000002|app   |4|00|Application image is current
EOB
}

# boot_same_file --got FILE --served FILE : a transferred file must equal the original.
boot_same_file() {
    local got="" served=""
    lab_opts "got served" "$@"
    cmp -s "$got" "$served" || lab_die "$(basename "$served"): transferred file differs from the original"
}

# boot_vendor_class [--model VVX-VVX_410] [--part 3111-46162-001] : a Polycom phone's binary
# vendor class (option 60) as plain hex: enterprise number 13885 (00 00 36 3d), a length
# byte for the rest, sub-options code/len/data, then ff.
boot_vendor_class() {
    local model=VVX-VVX_410 part=3111-46162-001
    lab_opts "model part" "$@"
    local -a subopts=(
        "Polycom"
        "$model"
        "$part,1"
        "SIP/5.9.5.0614/11-Feb-20 10:34"
        "UP/5.9.5.0614/11-Feb-20 10:20"
    )
    local body="" code=1 value length
    for value in "${subopts[@]}"; do
        ((${#value} < 256)) || lab_die "vendor sub-option too long"
        body+=$(printf '%02x%02x' "$code" "${#value}")
        body+=$(printf '%s' "$value" | od -An -tx1 -v | tr -d ' \n')
        code=$((code + 1))
    done
    body+=ff
    length=$((${#body} / 2))
    ((length < 256)) || lab_die "vendor class too long"
    printf '0000363d%02x%s' "$length" "$body"
}

# ---------------------------------------------------------------------------
# One scenario's lab
# ---------------------------------------------------------------------------

# boot_network --phone-mac MAC [--vlan ID] [--second-server yes] : the phone and server
# namespaces joined by a veth pair (IPv6 and offloads off, so the capture holds what a real
# wire would), the server at $SERVER_IP.  --vlan: both sides talk on 802.1Q VLAN ID
# (tcpdump still listens on the parent veth, so frames keep their tag).  --second-server
# yes: the server side becomes a bridge shared with a second namespace at $OTHER_SERVER_IP.
boot_network() {
    local phone_mac="" vlan="" second_server=no
    lab_opts "phone-mac vlan second-server" "$@"
    lab_need boot_network phone_mac
    boot_teardown
    local -a address=()
    [[ -n $vlan ]] || address=(--server-address "$SERVER_IP/$PREFIX_LEN")
    lab_pair --phone-ns "$PHONE_NS" --phone-if "$PHONE_IF" --phone-mac "$phone_mac" \
        --server-ns "$SERVER_NS" --server-if "$SERVER_IF" --server-mac "$SERVER_MAC" \
        --ipv6 off --offloads off "${address[@]}"
    PHONE_DEV=$PHONE_IF
    SERVER_DEV=$SERVER_IF
    if [[ -n $vlan ]]; then
        PHONE_DEV=$PHONE_IF.$vlan
        SERVER_DEV=$SERVER_IF.$vlan
        lab_vlan --ns "$PHONE_NS" --parent "$PHONE_IF" --name "$PHONE_DEV" --id "$vlan" --mac "$phone_mac" \
            --dir "$WORK_DIR" --mode "${PB_VLAN:-auto}"
        lab_vlan --ns "$SERVER_NS" --parent "$SERVER_IF" --name "$SERVER_DEV" --id "$vlan" --mac "$SERVER_MAC" \
            --dir "$WORK_DIR" --mode "${PB_VLAN:-auto}"
        lab_address --ns "$SERVER_NS" --dev "$SERVER_DEV" --address "$SERVER_IP/$PREFIX_LEN"
    fi
    if [[ $second_server == yes ]]; then
        lab_second_server --server-ns "$SERVER_NS" --server-if "$SERVER_IF" --bridge "$BRIDGE" \
            --bridge-mac "$SERVER_MAC" --server-address "$SERVER_IP/$PREFIX_LEN" \
            --ns "$SECOND_SERVER_NS" --dev "$SECOND_SERVER_IF" --mac "$SECOND_SERVER_MAC" \
            --address "$OTHER_SERVER_IP/$PREFIX_LEN" --ipv6 off --offloads off
        SERVER_DEV=$BRIDGE
    fi
}

# boot_dnsmasq [--tftp yes|no] [--dhcp-option CODE,VALUE]... [--dhcp-option-force CODE,VALUE]...
#              [--reply-delay SECONDS]
#              [--ns NS --interface DEV --range RANGE --name NAME] :
# dnsmasq for DHCP on the server side, and TFTP from $WORK_DIR/srv/tftp with --tftp yes
# (default), which dnsmasq names /srv/tftp in its errors (see lab_dnsmasq's --srv-mount).
# --ns, --interface, --range and --name: another dnsmasq elsewhere (the second server).
boot_dnsmasq() {
    local tftp=yes reply_delay="" ns=$SERVER_NS interface=$SERVER_DEV range=$DHCP_RANGE name=dnsmasq
    local -a dhcp_option=() dhcp_option_force=()
    lab_opts "tftp dhcp-option+ dhcp-option-force+ reply-delay ns interface range name" "$@"
    local -a more=()
    [[ $tftp != yes ]] || more+=(--tftp-root "$WORK_DIR/srv/tftp" --srv-mount yes)
    [[ -z $reply_delay ]] || more+=(--reply-delay "$reply_delay")
    local option
    for option in "${dhcp_option[@]}"; do more+=(--dhcp-option "$option"); done
    for option in "${dhcp_option_force[@]}"; do more+=(--dhcp-option-force "$option"); done
    lab_dnsmasq --ns "$ns" --interface "$interface" --range "$range" --dir "$WORK_DIR" --name "$name" "${more[@]}"
}

# boot_capture --filter FILTER : tcpdump on the phone-side veth into $WORK_DIR/$SCENARIO.pcap.
boot_capture() {
    local filter=""
    lab_opts "filter" "$@"
    lab_need boot_capture filter
    lab_capture_start --ns "$PHONE_NS" --dev "$PHONE_IF" --file "$WORK_DIR/$SCENARIO.pcap" \
        --filter "$filter" --dir "$WORK_DIR"
}

# boot_dhcp (--vendor-class-hex HEX | --vendor-class-text TEXT) : the phone's dhclient
# lease; no lease is an error.
boot_dhcp() {
    lab_dhclient --ns "$PHONE_NS" --dev "$PHONE_DEV" --dir "$WORK_DIR" "$@" || lab_die "dhclient got no lease"
}

# boot_tftp_get --file NAME --expect ok|missing|noanswer [--from ADDRESS] [-- CURL_OPTION...] :
# the phone fetches NAME from $SERVER_IP (or ADDRESS); ok compares it with the served file.
boot_tftp_get() {
    local file="" expect="" from=$SERVER_IP
    lab_opts "file expect from" "$@"
    lab_tftp_get --ns "$PHONE_NS" --server "$from" --file "$file" --expect "$expect" --dir "$WORK_DIR" \
        --served "$WORK_DIR/srv/tftp/$file" -- "${LAB_REST[@]}"
}

# boot_curl --url URL --exit N --code CODE [-- CURL_OPTION...] : one curl run by the phone
# (lab_curl); a body received is in $WORK_DIR/download.
boot_curl() {
    lab_curl --ns "$PHONE_NS" --dir "$WORK_DIR" "$@"
}

# boot_stop : the end of a scenario's traffic: stops the capture, every server and helper,
# the phone's dhclient, and removes the namespaces.
boot_stop() {
    lab_capture_stop
    lab_stop_all
    # dhclient daemonises after its lease: stop it through its pid file.
    if [[ -n ${WORK_DIR:-} && -s $WORK_DIR/dhclient.pid ]]; then
        kill -TERM "$(cat "$WORK_DIR/dhclient.pid")" 2>/dev/null || true
        rm -f "$WORK_DIR/dhclient.pid"
    fi
    boot_teardown
}

# boot_teardown : removes record.sh's namespaces and veth ends, with anything still running
# in them (also the leftovers of an aborted earlier run).
boot_teardown() {
    lab_remove --ns "$PHONE_NS" --ns "$SERVER_NS" --ns "$SECOND_SERVER_NS" --link "$PHONE_IF" --link "$SERVER_IF"
}

# boot_keep : moves the scenario's capture into $OUT_DIR if it passed its checks (one that
# failed stays behind, in the temporary directory).
boot_keep() {
    local pcap=$WORK_DIR/$SCENARIO.pcap
    if ((!CAPTURE_OK)); then
        lab_log "not keeping $(basename "$pcap"): verification failed"
    else
        mv -f "$pcap" "$OUT_DIR/"
    fi
}
