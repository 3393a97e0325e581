# lldp-vlan-conflict — the switch side (lldpd) announces voice VLAN 120, tagged, priority 5,
# DSCP 46 by LLDP-MED, then by CDP; the untagged DHCP server answers with option 160 and
# option 144 "VLAN-A=130;".  The phone follows LLDP/CDP (polycom-boot.md §6), so the DHCP
# value is ignored: vlan-conflict.  The phone then fetches its <mac>.cfg.  Run by
# captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_lldp_vlan_conflict() {
    local vendor_class config
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:14:14:14
    boot_files --root "$WORK_DIR/srv/tftp" --file 0004f2141414.cfg
    config=$WORK_DIR/lldpd.conf
    printf '%s\n' 'configure lldp tx-interval 1' 'configure system hostname access-sw1' \
        'configure med policy application voice tagged vlan 120 priority voice dscp 46' \
        'configure med policy application voice-signaling tagged vlan 120 priority excellent-effort dscp 24' \
        >"$config"
    boot_capture --filter "udp or ether proto 0x88cc or ether dst 01:00:0c:cc:cc:cc"
    lab_lldpd --ns "$SERVER_NS" --interface "$SERVER_DEV" --dir "$WORK_DIR" --config "$config"
    sleep 2.5
    lab_stop_pid --pid "${LAB_PIDS[-1]}"
    lab_lldpd --ns "$SERVER_NS" --interface "$SERVER_DEV" --dir "$WORK_DIR" --config "$config" --name lldpd-cdp --cdp yes
    sleep 2.5
    lab_stop_pid --pid "${LAB_PIDS[-1]}"
    boot_dnsmasq --dhcp-option "160,tftp://$SERVER_IP" --dhcp-option-force '144,VLAN-A=130;'
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_tftp_get --file 0004f2141414.cfg --expect ok
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" \
        --option-160 "tftp://$SERVER_IP" --not-found 0
    boot_keep
}
