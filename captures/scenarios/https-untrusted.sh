# https-untrusted — option 160 is https://prov.example.test/ (curl --resolve maps the name
# to 192.0.2.1, so the ClientHello carries SNI prov.example.test with no DNS).  The server's
# certificate is self-signed: without the CA the phone's curl rejects it (exit 60) and sends
# a fatal "unknown_ca" alert; with --cacert the same fetch gets 200.  Run by
# captures/record.sh.
#
# TLS 1.2 is forced (--tlsv1.2 --tls-max 1.2), so that the whole failed handshake is
# plaintext: ServerHello, Certificate (the self-signed certificate itself), and the
# client's Alert record (content type 21, level 2 fatal, description 48 unknown_ca).  Under
# TLS 1.3 (tried with curl 7.88/OpenSSL 3.0 against openssl s_server on loopback)
# everything after the ServerHello is encrypted, certificate included (records of type
# 23), but the client's unknown_ca alert still goes out as a plaintext 2-byte Alert record:
# the client only switches its own writes to the handshake keys once it has accepted the
# server's Finished.  The second connection is decrypted for the checks only, with the key
# log curl writes (SSLKEYLOGFILE); the key log is not kept.
# shellcheck shell=bash source=SCRIPTDIR/../lab/boot.sh disable=SC2119
source "$(dirname "${BASH_SOURCE[0]}")/../lab/boot.sh"

scenario_https_untrusted() {
    local root=$WORK_DIR/srv/http tls=$WORK_DIR/tls vendor_class
    local url=https://$TLS_NAME/
    local -a tls_options=(--resolve "$TLS_NAME:443:$SERVER_IP" --tlsv1.2 --tls-max 1.2 -A "$POLYCOM_UA")
    vendor_class=$(boot_vendor_class)
    boot_network --phone-mac 00:04:f2:bb:cc:dd
    lab_tls_cert --dir "$tls" --name "$TLS_NAME"
    boot_files --root "$root" --image-size "$HTTP_APP_IMAGE_SIZE" --file 000000000000.cfg
    boot_dnsmasq --tftp no --dhcp-option "160,$url"
    lab_http_server --ns "$SERVER_NS" --address "$SERVER_IP" --port 443 --root "$root" \
        --user "$FTP_USER" --password "$FTP_PASSWORD" --dir "$WORK_DIR" \
        --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem"
    boot_capture --filter "udp or tcp"
    boot_dhcp --vendor-class-hex "$vendor_class"
    boot_curl --url "${url}000000000000.cfg" --exit 60 --code 000 -- "${tls_options[@]}"
    SSLKEYLOGFILE=$tls/keylog boot_curl --url "${url}000000000000.cfg" --exit 0 --code 200 -- \
        "${tls_options[@]}" --cacert "$tls/cert.pem"
    boot_same_file --got "$WORK_DIR/download" --served "$root/000000000000.cfg"
    boot_stop
    check_tcp_capture --file "$WORK_DIR/$SCENARIO.pcap" --option-160 "$url" --option-60 "$vendor_class" \
        --user-agent "$POLYCOM_UA" \
        --check "count 2 tls.handshake.type == 1 && tls.handshake.extensions_server_name == \"$TLS_NAME\"" \
        --check "count 2 tls.handshake.type == 2 && tls.handshake.version == 0x0303" \
        --check "count 2 tls.handshake.type == 11" \
        --check "count 1 tls.record.content_type == 21 && tls.alert_message.level == 2 && tls.alert_message.desc == 48 && ip.src != $SERVER_IP" \
        --check "none http" \
        --check "keylog $tls/keylog" \
        --check "http-request 1 GET /000000000000.cfg" --check "http-response 1 200"
    boot_keep
}
