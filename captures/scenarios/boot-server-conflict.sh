# boot-server-conflict — option 160 (tftp://192.0.2.1) and option 66 (192.0.2.2) name
# different servers; the phone follows 160 and fetches its own <mac>.cfg and the image with
# blksize 1024.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_boot_server_conflict() {
    local vendor_class
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:22:33:44
    boot_files --root "$WORK_DIR/srv/tftp" --file 0004f2223344.cfg --file "$APP_IMAGE"
    boot_dnsmasq --dhcp-option "66,$OTHER_SERVER_IP" --dhcp-option "160,tftp://$SERVER_IP"
    boot_capture --filter udp
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_tftp_get --file 0004f2223344.cfg --expect ok
    boot_tftp_get --file "$APP_IMAGE" --expect ok -- --tftp-blksize 1024
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" \
        --option-66 "$OTHER_SERVER_IP" --option-160 "tftp://$SERVER_IP" --not-found 0
    boot_keep
}
