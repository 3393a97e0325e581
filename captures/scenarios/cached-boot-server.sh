# cached-boot-server — DHCP names tftp://192.0.2.1, but the phone fetches from 192.0.2.2, a
# boot server it has cached (the same dnsmasq answers on both addresses); its <mac>.cfg is
# missing there, so it falls back to 000000000000.cfg.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_cached_boot_server() {
    boot_network --phone-mac 64:16:7f:33:44:55
    lab_address --ns "$SERVER_NS" --dev "$SERVER_DEV" --address "$OTHER_SERVER_IP/$PREFIX_LEN"
    boot_files --root "$WORK_DIR/srv/tftp" --file 000000000000.cfg
    boot_dnsmasq --dhcp-option "160,tftp://$SERVER_IP"
    boot_capture --filter udp
    boot_dhcp --vendor-class-text Polycom-VVX410
    boot_tftp_get --from "$OTHER_SERVER_IP" --file 64167f334455.cfg --expect missing
    boot_tftp_get --from "$OTHER_SERVER_IP" --file 000000000000.cfg --expect ok
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$(check_text_hex --text Polycom-VVX410)" \
        --option-160 "tftp://$SERVER_IP"
    boot_keep
}
