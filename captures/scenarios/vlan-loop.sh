# vlan-loop — the VLAN discovery loop of polycom-boot.md §7: the untagged DHCP server answers a
# VVX 410 (00:04:f2) with option 144 "VLAN-A=120;"; the phone's DHCP on 802.1Q VLAN 120, where
# no server answers, times out (dhclient's 20 s of DISCOVERs); it comes back untagged, gets
# its lease again and fetches its <mac>.cfg.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

# vlan_loop_stop_dhclient : stops the daemon a lease left behind, through its pid file.
vlan_loop_stop_dhclient() {
    if [[ -s $WORK_DIR/dhclient.pid ]]; then
        kill -TERM "$(cat "$WORK_DIR/dhclient.pid")" 2>/dev/null || true
        rm -f "$WORK_DIR/dhclient.pid"
    fi
    sleep 0.5
}

scenario_vlan_loop() {
    local vendor_class file
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:12:01:20
    # The phone's VLAN 120 sub-interface; nothing on the server side serves VLAN 120.
    lab_vlan --ns "$PHONE_NS" --parent "$PHONE_IF" --name "$PHONE_IF.120" --id 120 --mac 00:04:f2:12:01:20 \
        --dir "$WORK_DIR" --mode "${PB_VLAN:-auto}"
    boot_files --root "$WORK_DIR/srv/tftp" --file 0004f2120120.cfg
    boot_dnsmasq --dhcp-option "160,tftp://$SERVER_IP" --dhcp-option-force '144,VLAN-A=120;'
    # tcpdump listens on the parent veth, so the VLAN 120 frames keep their tag.
    boot_capture --filter "udp or (vlan and udp)"
    boot_dhcp --vendor-class-hex "$vendor_class"
    vlan_loop_stop_dhclient
    rm -f "$WORK_DIR/dhclient.leases"
    if lab_dhclient --ns "$PHONE_NS" --dev "$PHONE_IF.120" --dir "$WORK_DIR" --vendor-class-hex "$vendor_class" \
        2>/dev/null; then
        lab_die "a lease on VLAN 120, where no server should answer"
    fi
    vlan_loop_stop_dhclient
    rm -f "$WORK_DIR/dhclient.leases"
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_tftp_get --file 0004f2120120.cfg --expect ok
    boot_stop
    file=$WORK_DIR/$SCENARIO.pcap
    local -a failures=()
    (($(check_count --file "$file" --filter "dhcp.option.dhcp == 5") == 2)) || failures+=("expected two ACKs")
    (($(check_count --file "$file" --filter "vlan.id == 120 and dhcp.option.dhcp == 1") >= 3)) ||
        failures+=("expected DISCOVERs on VLAN 120")
    (($(check_count --file "$file" --filter "vlan.id == 120 and dhcp.option.dhcp == 2") == 0)) ||
        failures+=("an OFFER on VLAN 120")
    (($(check_count --file "$file" --filter 'dhcp.option.dhcp == 5 and frame contains "VLAN-A=120;"') == 2)) ||
        failures+=("the ACKs lack VLAN-A=120;")
    local -a verdict=()
    for file in "${failures[@]}"; do verdict+=(--failure "$file"); done
    check_verdict --ok-line "$SCENARIO.pcap: VLAN-A=120; untagged, unanswered DISCOVERs on VLAN 120, back untagged" \
        "${verdict[@]}"
    boot_keep
}
