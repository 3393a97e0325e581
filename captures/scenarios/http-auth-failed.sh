# http-auth-failed — option 160 names a protected directory
# (http://PlcmSpIp:wrong@192.0.2.1/secure/); the phone's Basic credentials are wrong, so the
# server answers 401 with 'WWW-Authenticate: Basic realm="phones"' (the file itself is
# there).  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_http_auth_failed() {
    local id=0004f2aabbcc root=$WORK_DIR/srv/http vendor_class
    local url=http://$FTP_USER:wrong@$SERVER_IP/secure/
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:aa:bb:cc
    boot_files --root "$root" --image-size "$HTTP_APP_IMAGE_SIZE" --file "secure/$id.cfg"
    boot_dnsmasq --tftp no --dhcp-option "160,$url"
    lab_http_server --ns "$SERVER_NS" --address "$SERVER_IP" --port 80 --root "$root" \
        --user "$FTP_USER" --password "$FTP_PASSWORD" --dir "$WORK_DIR"
    boot_capture --filter "udp or tcp"
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_curl --url "http://$SERVER_IP/secure/$id.cfg" --exit 0 --code 401 -- -A "$POLYCOM_UA" -u "$FTP_USER:wrong"
    boot_stop
    check_tcp_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-160 "$url" --option-60 "$vendor_class" \
        --user-agent "$POLYCOM_UA" \
        --check "http-request 1 GET /secure/$id.cfg" --check "count 1 http.authbasic == \"$FTP_USER:wrong\"" \
        --check "http-response 1 401" --check "count 1 http.www_authenticate == \"Basic realm=\\\"phones\\\"\"" \
        --check "http-response 0 200"
    boot_keep
}
