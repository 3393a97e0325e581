# boot-loop — a VVX 410 (binary vendor class) that keeps rebooting: three times it runs DHCP
# (a fresh DISCOVER each time), fetches its <mac>.cfg and the image over TFTP, and starts
# again.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_boot_loop() {
    local vendor_class root=$WORK_DIR/srv/tftp id=0004f2100b00 boot file
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:10:0b:00
    boot_files --root "$root" --image-size 20000 --file "$id.cfg" --file "$APP_IMAGE"
    boot_dnsmasq --dhcp-option 160,tftp://192.0.2.1
    boot_capture --filter udp
    for boot in 1 2 3; do
        lab_log "boot $boot of 3"
        boot_dhcp --vendor-class-hex "$vendor_class"
        boot_tftp_get --file "$id.cfg" --expect ok
        boot_tftp_get --file "$APP_IMAGE" --expect ok
        # The phone restarts: dhclient goes without releasing its lease, and the next boot
        # starts from a DISCOVER (lab_dhclient starts each run with no lease file).
        kill -TERM "$(cat "$WORK_DIR/dhclient.pid")"
        rm -f "$WORK_DIR/dhclient.pid"
        sleep 1
    done
    boot_stop
    local pcap=$WORK_DIR/$SCENARIO.pcap discovers acks rrqs errors
    local -a failures=()
    discovers=$(check_count --file "$pcap" --filter "dhcp.option.dhcp == 1")
    acks=$(check_count --file "$pcap" --filter "dhcp.option.dhcp == 5")
    rrqs=$(check_count --file "$pcap" --filter "tftp.opcode == 1")
    errors=$(check_count --file "$pcap" --filter "tftp.opcode == 5")
    ((discovers == 3)) || failures+=(--failure "expected 3 DHCP DISCOVERs, found $discovers")
    ((acks == 3)) || failures+=(--failure "expected 3 DHCP ACKs, found $acks")
    ((rrqs == 6)) || failures+=(--failure "expected 6 TFTP read requests, found $rrqs")
    ((errors == 0)) || failures+=(--failure "expected no TFTP error, found $errors")
    for file in "$id.cfg" "$APP_IMAGE"; do
        [[ $(check_count --file "$pcap" --filter "tftp.source_file == \"$file\"") -eq 3 ]] ||
            failures+=(--failure "expected 3 requests for $file")
    done
    SUMMARY+=("$SCENARIO.pcap: $(stat -c %s "$pcap") bytes; DISCOVERs: $discovers, ACKs: $acks, RRQs: $rrqs, errors: $errors")
    check_verdict --ok-line "  OK" "${failures[@]}"
    boot_keep
}
