# voice-vlan-silent — the switch side (lldpd) announces voice VLAN 120, tagged, priority 5,
# DSCP 46 by LLDP-MED; the VVX 410 (00:04:f2) follows it and asks DHCP on 802.1Q VLAN 120,
# where nothing answers (the only DHCP server is on the untagged VLAN): dhclient's 20 s of
# DISCOVERs go unanswered.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_voice_vlan_silent() {
    local vendor_class config file
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:12:01:21
    lab_vlan --ns "$PHONE_NS" --parent "$PHONE_IF" --name "$PHONE_IF.120" --id 120 --mac 00:04:f2:12:01:21 \
        --dir "$WORK_DIR" --mode "${PB_VLAN:-auto}"
    config=$WORK_DIR/lldpd.conf
    printf '%s\n' 'configure lldp tx-interval 1' 'configure system hostname access-sw2' \
        'configure med policy application voice tagged vlan 120 priority voice dscp 46' >"$config"
    boot_dnsmasq --tftp no --dhcp-option "160,tftp://$SERVER_IP"
    # tcpdump listens on the parent veth, so the VLAN 120 frames keep their tag.
    # "vlan" moves the later offsets by the tag: the untagged LLDP test comes first.
    boot_capture --filter "ether proto 0x88cc or udp or (vlan and udp)"
    lab_lldpd --ns "$SERVER_NS" --interface "$SERVER_DEV" --dir "$WORK_DIR" --config "$config"
    sleep 2.5
    if lab_dhclient --ns "$PHONE_NS" --dev "$PHONE_IF.120" --dir "$WORK_DIR" --vendor-class-hex "$vendor_class" \
        2>/dev/null; then
        lab_die "a lease on VLAN 120, where no server should answer"
    fi
    boot_stop
    file=$WORK_DIR/$SCENARIO.pcap
    local -a failures=() verdict=()
    (($(check_count --file "$file" --filter "lldp.media.vlan_id == 120") >= 2)) || failures+=("no LLDP-MED VLAN 120")
    (($(check_count --file "$file" --filter "vlan.id == 120 and dhcp.option.dhcp == 1") >= 3)) ||
        failures+=("expected DISCOVERs on VLAN 120")
    (($(check_count --file "$file" --filter "dhcp.option.dhcp == 2") == 0)) || failures+=("an OFFER")
    for file in "${failures[@]}"; do verdict+=(--failure "$file"); done
    check_verdict --ok-line "$SCENARIO.pcap: LLDP-MED voice VLAN 120, unanswered DISCOVERs on VLAN 120" "${verdict[@]}"
    boot_keep
}
