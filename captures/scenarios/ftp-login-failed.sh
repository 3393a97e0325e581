# ftp-login-failed — option 160 carries a wrong password (ftp://PlcmSpIp:wrongpass@192.0.2.1):
# vsftpd answers PASS with 530, and the phone's curl gives up (exit 67) without fetching
# anything.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_ftp_login_failed() {
    local id=0004f2778899 root=$WORK_DIR/srv/ftp vendor_class
    local url=ftp://$FTP_USER:wrongpass@$SERVER_IP
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:77:88:99
    boot_files --root "$root" --file "$id.cfg"
    boot_dnsmasq --tftp no --dhcp-option "160,$url"
    lab_vsftpd --ns "$SERVER_NS" --address "$SERVER_IP" --root "$root" --user "$FTP_USER" \
        --password "$FTP_PASSWORD" --pasv-ports "$FTP_PASV_PORTS" --dir "$WORK_DIR"
    boot_capture --filter "udp or tcp"
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_curl --url "$url/$id.cfg" --exit 67 --code 530
    boot_stop
    check_tcp_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-160 "$url" --option-60 "$vendor_class" \
        --check "ftp-command 1 USER $FTP_USER" --check "ftp-command 1 PASS wrongpass" \
        --check "ftp-reply 1 530" --check "ftp-reply 0 230" \
        --check "ftp-command 0 RETR" --check "none ftp-data"
    boot_keep
}
