# ftp-config-missing — a VVX 410 (64:16:7f, ASCII option 60) logs in, but its <mac>.cfg is
# not on the server: RETR gets 550 (curl exit 78); it falls back to 000000000000.cfg.  curl
# runs with --ignore-content-length, which leaves out its SIZE command: otherwise curl stops
# at SIZE's 550 and never sends the RETR.  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_ftp_config_missing() {
    local id=64167f8899aa root=$WORK_DIR/srv/ftp
    local url=ftp://$FTP_USER:$FTP_PASSWORD@$SERVER_IP
    boot_network --phone-mac 64:16:7f:88:99:aa
    boot_files --root "$root" --file 000000000000.cfg
    boot_dnsmasq --tftp no --dhcp-option "160,$url"
    lab_vsftpd --ns "$SERVER_NS" --address "$SERVER_IP" --root "$root" --user "$FTP_USER" \
        --password "$FTP_PASSWORD" --pasv-ports "$FTP_PASV_PORTS" --dir "$WORK_DIR"
    boot_capture --filter "udp or tcp"
    boot_dhcp --vendor-class-text Polycom-VVX410
    boot_curl --url "$url/$id.cfg" --exit 78 --code 550 -- --ignore-content-length
    boot_curl --url "$url/000000000000.cfg" --exit 0 --code 226 -- --ignore-content-length
    boot_same_file --got "$WORK_DIR/download" --served "$root/000000000000.cfg"
    boot_stop
    check_tcp_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-160 "$url" \
        --option-60 "$(check_text_hex --text Polycom-VVX410)" \
        --check "ftp-command 2 USER $FTP_USER" --check "ftp-reply 2 230" \
        --check "ftp-command 1 RETR $id.cfg" --check "ftp-command 1 RETR 000000000000.cfg" \
        --check "ftp-command 0 SIZE" --check "ftp-reply 1 550" --check "ftp-reply 1 226" \
        --check "transfer 0 RETR $id.cfg" \
        --check "transfer $(stat -c %s "$root/000000000000.cfg") RETR 000000000000.cfg"
    boot_keep
}
