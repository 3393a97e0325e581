# ftp-boot — a VVX 410 boots from FTP with Polycom's default account: option 160 is
# ftp://PlcmSpIp:PlcmSpIp@192.0.2.1 (no option 66).  Three FTP sessions (one curl each):
# <mac>.cfg in active mode (EPRT; vsftpd connects from port 20), the 300 000-byte image in
# passive mode (EPSV, curl's default), and the upload of <mac>-boot.log (STOR, passive).
# Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_ftp_boot() {
    local mac=00:04:f2:66:77:88 id=0004f2667788 root=$WORK_DIR/srv/ftp log=$WORK_DIR/boot.log vendor_class
    local url=ftp://$FTP_USER:$FTP_PASSWORD@$SERVER_IP
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac "$mac"
    boot_files --root "$root" --file "$id.cfg" --file "$APP_IMAGE"
    boot_dnsmasq --tftp no --dhcp-option "160,$url"
    lab_vsftpd --ns "$SERVER_NS" --address "$SERVER_IP" --root "$root" --user "$FTP_USER" \
        --password "$FTP_PASSWORD" --pasv-ports "$FTP_PASV_PORTS" --dir "$WORK_DIR"
    boot_log_file --file "$log" --mac "$mac"
    boot_capture --filter "udp or tcp"
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_curl --url "$url/$id.cfg" --exit 0 --code 226 -- --ftp-port -
    boot_same_file --got "$WORK_DIR/download" --served "$root/$id.cfg"
    boot_curl --url "$url/$APP_IMAGE" --exit 0 --code 226
    boot_same_file --got "$WORK_DIR/download" --served "$root/$APP_IMAGE"
    boot_curl --url "$url/$id-boot.log" --exit 0 --code 226 -- -T "$log"
    boot_same_file --got "$root/$id-boot.log" --served "$log"
    boot_stop
    check_tcp_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-160 "$url" --option-60 "$vendor_class" \
        --check "ftp-command 3 USER $FTP_USER" --check "ftp-command 3 PASS $FTP_PASSWORD" \
        --check "ftp-reply 3 230" --check "none ftp.response.code >= 400" \
        --check "ftp-command 1 EPRT" --check "ftp-command 2 EPSV" \
        --check "ftp-command 1 RETR $id.cfg" --check "ftp-command 1 RETR $APP_IMAGE" \
        --check "ftp-command 1 STOR $id-boot.log" --check "ftp-reply 3 226" \
        --check "transfer $(stat -c %s "$root/$id.cfg") RETR $id.cfg" \
        --check "transfer $APP_IMAGE_SIZE RETR $APP_IMAGE" \
        --check "transfer $(stat -c %s "$log") STOR $id-boot.log" \
        --check "has tcp.srcport == 20 && tcp.flags.syn == 1 && tcp.flags.ack == 0"
    boot_keep
}
