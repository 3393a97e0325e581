# two-dhcp-servers — two DHCP servers on the segment: the voice server (192.0.2.1, option
# 160) answers 2 s late, a stray one (192.0.2.2, no boot options) answers at once, and the
# phone takes the first offer, so it boots with no boot server.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_two_dhcp_servers() {
    local vendor_class
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:55:66:77 --second-server yes
    boot_files --root "$WORK_DIR/srv/tftp" --file 000000000000.cfg
    boot_dnsmasq --reply-delay 2 --dhcp-option "160,tftp://$SERVER_IP"
    boot_dnsmasq --tftp no --name dnsmasq-stray --ns "$SECOND_SERVER_NS" --interface "$SECOND_SERVER_IF" \
        --range 192.0.2.200,192.0.2.220,255.255.255.0,1h
    boot_capture --filter udp
    boot_dhcp --vendor-class-hex "$vendor_class"
    sleep 3 # the voice server's late OFFER
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" \
        --not-found 0 --tftp none --offers 2
    boot_keep
}
