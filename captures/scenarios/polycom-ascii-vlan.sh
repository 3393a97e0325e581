# polycom-ascii-vlan — a VVX 410 (64:16:7f OUI) with an ASCII vendor class on 802.1Q VLAN
# 20; only option 66 (a tftp:// URL); its <mac>.cfg is missing, so it falls back to
# 000000000000.cfg; the image comes with blksize 1428.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_polycom_ascii_vlan() {
    boot_network --phone-mac 64:16:7f:0a:0b:0c --vlan 20
    boot_files --root "$WORK_DIR/srv/tftp" --file 000000000000.cfg --file "$APP_IMAGE"
    boot_dnsmasq --dhcp-option 66,tftp://192.0.2.1
    # tcpdump listens on the parent veth, so the frames keep their 802.1Q tag.
    boot_capture --filter "vlan 20 and udp"
    boot_dhcp --vendor-class-text Polycom-VVX410
    boot_tftp_get --file 64167f0a0b0c.cfg --expect missing
    boot_tftp_get --file 000000000000.cfg --expect ok
    boot_tftp_get --file "$APP_IMAGE" --expect ok -- --tftp-blksize 1428
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$(check_text_hex --text Polycom-VVX410)" \
        --option-66 tftp://192.0.2.1 --vlan 20
    boot_keep
}
