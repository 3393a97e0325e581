# capture-ends-after-ack — a VVX 410 gets option 160 tftp://192.0.2.1 (the server is up and
# holds its files), announces its new address with two ARP announcements 2 s apart (RFC 5227
# §2.3), and the capture stops there, about 2 s after the ACK: too soon for any fetch.  Run
# by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_capture_ends_after_ack() {
    local vendor_class address
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:cc:dd:ee
    boot_files --root "$WORK_DIR/srv/tftp" --file 0004f2ccddee.cfg --file 000000000000.cfg
    boot_dnsmasq --dhcp-option "160,tftp://$SERVER_IP"
    boot_capture --filter "udp or arp"
    boot_dhcp --vendor-class-hex "$vendor_class"
    address=$(sed -n 's/^new_ip_address=//p' "$WORK_DIR/dhclient-lease.env")
    lab_arp_announce --ns "$PHONE_NS" --dev "$PHONE_DEV" --address "$address"
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" \
        --option-160 "tftp://$SERVER_IP" --not-found 0 --tftp none
    boot_keep
}
