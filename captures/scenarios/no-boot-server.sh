# no-boot-server — a VVX 311 whose DHCP server gives no boot server at all (neither 66 nor
# 160): the phone has nothing to fetch from.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_no_boot_server() {
    local vendor_class
    vendor_class=$(boot_vendor_class --model VVX-VVX_311 --part 3111-48350-001)
    boot_network --phone-mac 00:04:f2:11:22:33
    boot_files --root "$WORK_DIR/srv/tftp" --file 000000000000.cfg
    boot_dnsmasq
    boot_capture --filter udp
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" --not-found 0 --tftp none
    boot_keep
}
