# master-config-mismatch — a VVX 410 (binary vendor class) whose own <mac>.cfg is absent
# (TFTP error 1) reads 000000000000.cfg, which names the VVX 410's image in
# APPLICATION_VVX410 and two CONFIG_FILES; the phone fetches another image (sip.ld), the
# master file again, the first of the two files, then its directory (absent, error 1): the
# second file is never asked for.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_master_config_mismatch() {
    local vendor_class root=$WORK_DIR/srv/tftp id=0004f2410b0b
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:41:0b:0b
    boot_files --root "$root" --image-size 20000 --file "$APP_IMAGE"
    cat >"$root/000000000000.cfg" <<EOM
<?xml version="1.0" standalone="yes"?>
<!-- PhoneBoot test capture: default master configuration file, image per model -->
<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="site.cfg, features.cfg" MISC_FILES="" LOG_FILE_DIRECTORY="" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="" LICENSE_DIRECTORY="" USER_PROFILES_DIRECTORY="" CALL_LISTS_DIRECTORY="">
  <APPLICATION_VVX410 APP_FILE_PATH_VVX410="$APP_IMAGE"/>
</APPLICATION>
EOM
    # An older combined image, as a site upgrading from sip.ld would still have.
    head -c 12000 /dev/zero | openssl enc -aes-128-ctr -md sha256 -nosalt -pass pass:phoneboot-old 2>/dev/null \
        >"$root/sip.ld"
    [[ $(stat -c %s "$root/sip.ld") -eq 12000 ]] || lab_die "could not generate sip.ld"
    printf '<?xml version="1.0" standalone="yes"?>\n<PHONE_CONFIG><ALL voIpProt.server.1.address="192.0.2.1"/></PHONE_CONFIG>\n' >"$root/site.cfg"
    printf '<?xml version="1.0" standalone="yes"?>\n<PHONE_CONFIG><ALL feature.presence.enabled="1"/></PHONE_CONFIG>\n' >"$root/features.cfg"
    chmod -R u=rwX,go=rX "$root"
    boot_dnsmasq --dhcp-option 160,tftp://192.0.2.1
    boot_capture --filter udp
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_tftp_get --file "$id.cfg" --expect missing
    boot_tftp_get --file 000000000000.cfg --expect ok
    boot_tftp_get --file sip.ld --expect ok
    boot_tftp_get --file 000000000000.cfg --expect ok
    boot_tftp_get --file site.cfg --expect ok
    boot_tftp_get --file "$id-directory.xml" --expect missing
    boot_stop
    check_boot_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-60 "$vendor_class" \
        --option-160 tftp://192.0.2.1 --not-found 2
    boot_keep
}
