# tftp-no-answer — DHCP names tftp://192.0.2.1, but nothing there answers TFTP: the port is
# held open and silent, so the phone's RRQs go unanswered until it gives up.  Run by
# captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_tftp_no_answer() {
    local vendor_class
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:44:55:66
    boot_dnsmasq --tftp no --dhcp-option "160,tftp://$SERVER_IP"
    lab_silent_udp --ns "$SERVER_NS" --address "$SERVER_IP" --port 69 --dir "$WORK_DIR"
    boot_capture --filter udp
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_tftp_get --file 0004f2445566.cfg --expect noanswer
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" \
        --option-160 "tftp://$SERVER_IP" --not-found 0 --tftp unanswered
    boot_keep
}
