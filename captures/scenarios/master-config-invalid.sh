# master-config-invalid — a VVX 410 (binary vendor class) fetches its <mac>.cfg over TFTP,
# and the file is not well-formed XML: a bare '&' in CONFIG_FILES ("R&D.cfg"), a mistake
# made by hand-editing.  The phone then fetches its image.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_master_config_invalid() {
    local vendor_class root=$WORK_DIR/srv/tftp id=0004f2badc0f
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:ba:dc:0f
    boot_files --root "$root" --image-size 20000 --file "$APP_IMAGE"
    cat >"$root/$id.cfg" <<EOM
<?xml version="1.0" standalone="yes"?>
<!-- PhoneBoot test capture: a master configuration file that is not well-formed -->
<APPLICATION APP_FILE_PATH="$APP_IMAGE"
  CONFIG_FILES="site.cfg, R&D.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="">
</APPLICATION>
EOM
    chmod -R u=rwX,go=rX "$root"
    xmllint --noout "$root/$id.cfg" 2>/dev/null && lab_die "$id.cfg should not be well-formed"
    boot_dnsmasq --dhcp-option 160,tftp://192.0.2.1
    boot_capture --filter udp
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_tftp_get --file "$id.cfg" --expect ok
    boot_tftp_get --file "$APP_IMAGE" --expect ok
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" \
        --option-160 tftp://192.0.2.1 --not-found 0
    boot_keep
}
