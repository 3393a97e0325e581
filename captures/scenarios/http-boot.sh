# http-boot — a VVX 410 boots from HTTP (option 160 http://192.0.2.1/), one TCP connection
# per request: its <mac>.cfg is missing (404), 000000000000.cfg and a 100 000-byte image are
# fetched (200), and it uploads <mac>-boot.log with PUT (201, without "Expect:
# 100-continue").  Run by captures/record.sh.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_http_boot() {
    local mac=00:04:f2:99:aa:bb id=0004f299aabb root=$WORK_DIR/srv/http log=$WORK_DIR/boot.log vendor_class
    local url=http://$SERVER_IP/
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac "$mac"
    boot_files --root "$root" --image-size "$HTTP_APP_IMAGE_SIZE" --file 000000000000.cfg --file "$APP_IMAGE"
    boot_dnsmasq --tftp no --dhcp-option "160,$url"
    lab_http_server --ns "$SERVER_NS" --address "$SERVER_IP" --port 80 --root "$root" \
        --user "$FTP_USER" --password "$FTP_PASSWORD" --dir "$WORK_DIR"
    boot_log_file --file "$log" --mac "$mac"
    boot_capture --filter "udp or tcp"
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_curl --url "$url$id.cfg" --exit 0 --code 404 -- -A "$POLYCOM_UA"
    boot_curl --url "${url}000000000000.cfg" --exit 0 --code 200 -- -A "$POLYCOM_UA"
    boot_same_file --got "$WORK_DIR/download" --served "$root/000000000000.cfg"
    boot_curl --url "$url$APP_IMAGE" --exit 0 --code 200 -- -A "$POLYCOM_UA"
    boot_same_file --got "$WORK_DIR/download" --served "$root/$APP_IMAGE"
    # -H Expect: : no "Expect: 100-continue" (curl's default for uploads), so no interim
    # "100 Continue" either: the PUT goes out whole and is answered 201.
    boot_curl --url "$url$id-boot.log" --exit 0 --code 201 -- -A "$POLYCOM_UA" -H 'Expect:' -T "$log"
    boot_same_file --got "$root/$id-boot.log" --served "$log"
    boot_stop
    check_tcp_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-160 "$url" --option-60 "$vendor_class" \
        --user-agent "$POLYCOM_UA" \
        --check "count 4 http.request" --check "count 4 tcp.flags.syn == 1 && tcp.flags.ack == 0" \
        --check "http-request 1 GET /$id.cfg" --check "http-response 1 404" \
        --check "http-request 1 GET /000000000000.cfg" --check "http-request 1 GET /$APP_IMAGE" \
        --check "http-response 2 200" \
        --check "count 1 http.response.code == 200 && http.content_length == $HTTP_APP_IMAGE_SIZE" \
        --check "http-request 1 PUT /$id-boot.log" --check "http-response 1 201" \
        --check "none http.response.code < 200"
    boot_keep
}
