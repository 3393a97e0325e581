# polycom-tftp-boot — a VVX 410 with its binary vendor class, untagged; options 66 and 160
# offered; default TFTP blocksize (512); one missing file.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_polycom_tftp_boot() {
    local vendor_class
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:a1:b2:c3
    boot_files --root "$WORK_DIR/srv/tftp" --file 0004f2a1b2c3.cfg --file 000000000000.cfg --file "$APP_IMAGE"
    boot_dnsmasq --dhcp-option 66,192.0.2.1 --dhcp-option 160,tftp://192.0.2.1
    boot_capture --filter udp
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_tftp_get --file 0004f2a1b2c3.cfg --expect ok
    boot_tftp_get --file 000000000000.cfg --expect ok
    boot_tftp_get --file "$APP_IMAGE" --expect ok
    boot_tftp_get --file 0004f2a1b2c3-directory.xml --expect missing
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" \
        --option-66 192.0.2.1 --option-160 tftp://192.0.2.1
    boot_keep
}
