# boot-server-quoted — option 66 reaches the phone as "192.0.2.1" with the quote characters
# in its bytes: dnsmasq's man page says to quote a dotted quad (66,"192.0.2.1") so that it is
# sent as a string, but dnsmasq removes quotes only in a configuration file; given on its
# command line, as here, the quotes go out as data.  The phone cannot use the value and
# fetches nothing.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_boot_server_quoted() {
    local vendor_class
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:ee:ff:01
    boot_files --root "$WORK_DIR/srv/tftp" --file 000000000000.cfg
    boot_dnsmasq --dhcp-option "66,\"$SERVER_IP\""
    boot_capture --filter udp
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" \
        --option-66 "\"$SERVER_IP\"" --not-found 0 --tftp none
    boot_keep
}
