# master-config-plan — a VVX 410 (binary vendor class) boots over TFTP from a master file,
# <mac>.cfg, that names its image per model (APP_FILE_PATH="sip.ld", overridden by
# APPLICATION_VVX410's APP_FILE_PATH_VVX410="3111-46162-001.sip.ld") and three
# CONFIG_FILES, the second written with [PHONE_MAC_ADDRESS] and absent from the server.  The
# phone fetches the master file and the image (updater), the master file again
# (application), then the three files in order: the absent one gets TFTP error 1.  Run by
# captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_master_config_plan() {
    local vendor_class root=$WORK_DIR/srv/tftp id=0004f210410a
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:10:41:0a
    boot_files --root "$root" --image-size 20000 --file "$APP_IMAGE"
    cat >"$root/$id.cfg" <<EOM
<?xml version="1.0" standalone="yes"?>
<!-- PhoneBoot test capture: master configuration file for $id, image per model -->
<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="site.cfg, [PHONE_MAC_ADDRESS]-lines.cfg, features.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="logs" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="" LICENSE_DIRECTORY="" USER_PROFILES_DIRECTORY="" CALL_LISTS_DIRECTORY="">
  <APPLICATION_SPIP550 APP_FILE_PATH_SPIP550="2345-12500-001.sip.ld" CONFIG_FILES_SPIP550="legacy.cfg"/>
  <APPLICATION_VVX410 APP_FILE_PATH_VVX410="$APP_IMAGE"/>
</APPLICATION>
EOM
    printf '<?xml version="1.0" standalone="yes"?>\n<PHONE_CONFIG><ALL voIpProt.server.1.address="192.0.2.1"/></PHONE_CONFIG>\n' >"$root/site.cfg"
    printf '<?xml version="1.0" standalone="yes"?>\n<PHONE_CONFIG><ALL feature.presence.enabled="1"/></PHONE_CONFIG>\n' >"$root/features.cfg"
    chmod -R u=rwX,go=rX "$root"
    boot_dnsmasq --dhcp-option 160,tftp://192.0.2.1
    boot_capture --filter udp
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_tftp_get --file "$id.cfg" --expect ok
    boot_tftp_get --file "$APP_IMAGE" --expect ok
    boot_tftp_get --file "$id.cfg" --expect ok
    boot_tftp_get --file site.cfg --expect ok
    boot_tftp_get --file "$id-lines.cfg" --expect missing
    boot_tftp_get --file features.cfg --expect ok
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" \
        --option-160 tftp://192.0.2.1 --not-found 1
    boot_keep
}
