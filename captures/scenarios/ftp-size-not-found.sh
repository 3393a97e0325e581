# ftp-size-not-found — a VVX 410 (00:04:f2, binary option 60) boots from FTP with curl as
# curl runs by default: it asks SIZE before RETR.  Its <mac>.cfg is not on the server, so
# SIZE gets 550 and curl gives up on that file (exit 78) without a RETR; then SIZE of
# 000000000000.cfg gets 213 and its RETR 226.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_ftp_size_not_found() {
    local id=0004f2ddeeff root=$WORK_DIR/srv/ftp vendor_class
    local url=ftp://$FTP_USER:$FTP_PASSWORD@$SERVER_IP
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:dd:ee:ff
    boot_files --root "$root" --file 000000000000.cfg
    boot_dnsmasq --tftp no --dhcp-option "160,$url"
    lab_vsftpd --ns "$SERVER_NS" --address "$SERVER_IP" --root "$root" --user "$FTP_USER" \
        --password "$FTP_PASSWORD" --pasv-ports "$FTP_PASV_PORTS" --dir "$WORK_DIR"
    boot_capture --filter "udp or tcp"
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_curl --url "$url/$id.cfg" --exit 78 --code 550
    boot_curl --url "$url/000000000000.cfg" --exit 0 --code 226
    boot_same_file --got "$WORK_DIR/download" --served "$root/000000000000.cfg"
    boot_stop
    check_tcp_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-160 "$url" --option-60 "$vendor_class" \
        --check "ftp-command 2 USER $FTP_USER" --check "ftp-reply 2 230" \
        --check "ftp-command 1 SIZE $id.cfg" --check "ftp-command 1 SIZE 000000000000.cfg" \
        --check "ftp-command 0 RETR $id.cfg" --check "ftp-command 1 RETR 000000000000.cfg" \
        --check "ftp-reply 1 550" --check "ftp-reply 1 213" --check "ftp-reply 1 226" \
        --check "transfer $(stat -c %s "$root/000000000000.cfg") RETR 000000000000.cfg"
    boot_keep
}
