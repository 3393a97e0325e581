#!/usr/bin/env bash
# checks.sh — the tshark checks record.sh holds every capture to before keeping it.
#
# Owns: counting frames by display filter, reading DHCP options as sent on the wire,
# pairing FTP data connections with their transfer commands, and the two verdicts:
# check_boot_capture (DHCP, TFTP, 802.1Q, IP/UDP checksums) and check_tcp_capture (the
# same DHCP checks plus TCP, FTP, HTTP and TLS).  Each verdict appends its summary lines to
# the array SUMMARY, sets CAPTURE_OK to 1 or 0, and sets VERIFY_FAILED=1 on a failure.
# Sourced by captures/lab/boot.sh, after lab.sh (lab_opts, lab_need, lab_die); every
# function takes named arguments.

# shellcheck disable=SC2034 # SUMMARY, VERIFY_FAILED and CAPTURE_OK are read by record.sh

[[ -n ${CHECKS_SH_LOADED:-} ]] && return 0
CHECKS_SH_LOADED=1

SUMMARY=()      # lines record.sh prints at the end
VERIFY_FAILED=0 # 1 once a check of any capture has failed
CAPTURE_OK=0    # the verdict on the last capture checked

# check_count --file F --filter FILTER [-- TSHARK_OPTION...] : prints the number of frames
# in F matching the display filter.
check_count() {
    local file="" filter=""
    lab_opts "file filter" "$@"
    lab_need check_count file filter
    tshark -r "$file" "${LAB_REST[@]}" -Y "$filter" 2>/dev/null | wc -l
}

# check_dhcp_option_hex --file F --message TYPE --code CODE : the hex data of option CODE in
# the first DHCP message of TYPE (1 DISCOVER ... 5 ACK); empty when absent.  Read from
# tshark's raw option values, which also covers binary data such as Polycom's option 60
# (tshark shows that one as an empty string).  Options 0 and 255 carry no value field.
check_dhcp_option_hex() {
    local file="" message="" code=""
    lab_opts "file message code" "$@"
    lab_need check_dhcp_option_hex file message code
    tshark -r "$file" -Y "dhcp.option.dhcp == $message" -T fields -E occurrence=a -E aggregator=' ' \
        -e dhcp.option.type -e dhcp.option.value 2>/dev/null | head -1 |
        awk -F'\t' -v code="$code" '{
            n = split($1, types, " "); split($2, values, " "); v = 0
            for (i = 1; i <= n; i++) {
                if (types[i] == 0 || types[i] == 255) continue
                v++
                if (types[i] == code) { print values[v]; exit }
            }
        }'
}

# check_hex_text --hex HEX : the bytes as text, NULs dropped, other unprintable bytes as ".".
check_hex_text() {
    local hex=""
    lab_opts "hex" "$@"
    xxd -r -p <<<"$hex" | tr -d '\000' | LC_ALL=C tr -c '[:print:]' '.'
}

# check_text_hex --text TEXT : TEXT's bytes as plain hex (an ASCII option 60 as the checks
# compare it).
check_text_hex() {
    local text=""
    lab_opts "text" "$@"
    printf '%s' "$text" | od -An -tx1 -v | tr -d ' \n'
}

# check_verdict --ok-line LINE --failure TEXT... : the end of a check: the failures (if any)
# into SUMMARY and on standard error, VERIFY_FAILED and CAPTURE_OK set; LINE ends the
# summary of a capture that passed.
check_verdict() {
    local ok_line="" f
    local -a failure=()
    lab_opts "ok-line failure+" "$@"
    if ((${#failure[@]})); then
        printf '  FAILED: %s\n' "${failure[@]}" >&2
        for f in "${failure[@]}"; do SUMMARY+=("  FAILED: $f"); done
        VERIFY_FAILED=1
        CAPTURE_OK=0
        return 0
    fi
    SUMMARY+=("$ok_line")
    CAPTURE_OK=1
}

# check_boot_capture --file F --option-60 HEX [--option-66 TEXT] [--option-160 TEXT]
#                    [--vlan ID] [--not-found N] [--tftp answered|unanswered|none] [--offers N] :
# checks one capture of a DHCP (+ TFTP) boot and adds its summary to SUMMARY.  The
# DISCOVER's option 60 must be HEX; the ACK's option 66 and 160 must be TEXT, and absent
# when not given; every frame must carry 802.1Q tag ID, or none carry a tag when --vlan is
# not given.  --not-found: the number of TFTP "file not found" errors (default 1); --tftp:
# "answered" (default), "unanswered" (RRQs and nothing else) or "none"; --offers: the number
# of DHCP OFFERs (default 1).  Also: a classic pcap under 1 MB, one ACK, a whole DORA, no
# bad IP or UDP checksum.
check_boot_capture() {
    local file="" option_60="" option_66="" option_160="" vlan="" not_found=1 tftp=answered offers=1
    lab_opts "file option-60 option-66 option-160 vlan not-found tftp offers" "$@"
    lab_need check_boot_capture file
    local name magic size total dhcp tftp_count errors vlan_count acks ack_fields offer_count rrq_count
    local hex60 hex66 hex160 text66 text160 oack rrqs bad_checksums
    local -a failures=()
    name=$(basename "$file" .pcap)

    magic=$(od -An -tx1 -N4 "$file" | tr -d ' \n')
    [[ $magic == d4c3b2a1 || $magic == a1b2c3d4 || $magic == 4d3cb2a1 || $magic == a1b23c4d ]] ||
        failures+=("not a classic pcap file (magic $magic)")
    size=$(stat -c %s "$file")
    ((size < 1048576)) || failures+=("capture is $size bytes (over 1 MB)")

    total=$(check_count --file "$file" --filter frame)
    dhcp=$(check_count --file "$file" --filter dhcp)
    tftp_count=$(check_count --file "$file" --filter tftp)
    errors=$(check_count --file "$file" --filter "tftp.error.code == 1")
    acks=$(check_count --file "$file" --filter "dhcp.option.dhcp == 5")
    ack_fields=$(tshark -r "$file" -Y 'dhcp.option.dhcp == 5' -T fields -E separator='|' \
        -e dhcp.option.tftp_server_name -e dhcp.option.captive_portal -e dhcp.option.vendor_class_id 2>/dev/null)
    offer_count=$(check_count --file "$file" --filter "dhcp.option.dhcp == 2")
    rrq_count=$(check_count --file "$file" --filter "tftp.opcode == 1")

    ((dhcp >= 4)) || failures+=("expected DISCOVER/OFFER/REQUEST/ACK, found $dhcp DHCP packets")
    ((acks == 1)) || failures+=("expected one DHCP ACK, found $acks")
    ((offer_count == offers)) || failures+=("expected $offers DHCP OFFERs, found $offer_count")
    case $tftp in
        answered) ((tftp_count > rrq_count)) || failures+=("no TFTP answers") ;;
        unanswered) ((rrq_count > 0 && tftp_count == rrq_count)) ||
            failures+=("expected only RRQs, found $tftp_count TFTP packets ($rrq_count RRQs)") ;;
        none) ((tftp_count == 0)) || failures+=("expected no TFTP, found $tftp_count packets") ;;
        *) lab_die "check_boot_capture: --tftp is answered, unanswered or none, not '$tftp'" ;;
    esac
    ((errors == not_found)) || failures+=("expected $not_found TFTP error code 1 (file not found), found $errors")

    # Options as sent on the wire (dnsmasq NUL-terminates option 66; that is kept in the
    # capture and ignored here).
    hex60=$(check_dhcp_option_hex --file "$file" --message 1 --code 60)
    hex66=$(check_dhcp_option_hex --file "$file" --message 5 --code 66)
    hex160=$(check_dhcp_option_hex --file "$file" --message 5 --code 160)
    text66=$(check_hex_text --hex "$hex66")
    text160=$(check_hex_text --hex "$hex160")
    [[ $hex60 == "$option_60" ]] || failures+=("DISCOVER option 60 is $hex60, expected $option_60")
    if [[ -n $option_66 ]]; then
        [[ $text66 == "$option_66" ]] || failures+=("ACK option 66 is '$text66', expected '$option_66'")
    else
        [[ -z $hex66 ]] || failures+=("ACK carries option 66 '$text66', expected none")
    fi
    if [[ -n $option_160 ]]; then
        [[ $text160 == "$option_160" ]] || failures+=("ACK option 160 is '$text160', expected '$option_160'")
    else
        [[ -z $hex160 ]] || failures+=("ACK carries option 160 '$text160', expected none")
    fi

    bad_checksums=$(check_count --file "$file" --filter 'udp.checksum.status == "Bad" || ip.checksum.status == "Bad"' \
        -- -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE)
    ((bad_checksums == 0)) || failures+=("$bad_checksums packets with a bad IP or UDP checksum")

    if [[ -n $vlan ]]; then
        vlan_count=$(check_count --file "$file" --filter "vlan.id == $vlan")
        ((vlan_count == total)) || failures+=("only $vlan_count of $total frames carry VLAN $vlan")
    else
        vlan_count=$(check_count --file "$file" --filter vlan)
        ((vlan_count == 0)) || failures+=("$vlan_count frames carry an 802.1Q tag")
    fi

    # TFTP requests, option acknowledgements and errors, in order.
    rrqs=$(tshark -r "$file" -Y 'tftp.opcode == 1 || tftp.opcode == 5 || tftp.opcode == 6' -T fields \
        -E occurrence=a -E aggregator=' ' -e frame.number -e tftp.opcode -e tftp.source_file \
        -e tftp.option.name -e tftp.option.value -e tftp.error.code -e tftp.error.message 2>/dev/null |
        awk -F'\t' '{
            n = split($4, names, " "); split($5, values, " "); opts = ""
            for (i = 1; i <= n; i++) opts = opts " " names[i] "=" values[i]
            if ($2 == 1) printf "  #%-5s RRQ   %s%s\n", $1, $3, opts
            else if ($2 == 6) printf "  #%-5s OACK %s\n", $1, opts
            else printf "  #%-5s ERROR code %s: %s\n", $1, $6, $7
        }')
    oack=$(check_count --file "$file" --filter "tftp.opcode == 6")

    SUMMARY+=(
        "$name.pcap: $size bytes, $total frames; dhcp: $dhcp, tftp: $tftp_count (OACK: $oack, error code 1: $errors), 802.1Q ${vlan:+VLAN $vlan }tagged: $vlan_count, bad checksums: $bad_checksums, offers: $offer_count"
        "  ACK (tshark -e dhcp.option.tftp_server_name -e dhcp.option.captive_portal -e dhcp.option.vendor_class_id): $ack_fields"
        "  ACK option 66: $text66 [$hex66]"
        "  ACK option 160: $([[ -n $hex160 ]] && printf '%s [%s]' "$text160" "$hex160" || printf '(absent)')"
        "  DISCOVER option 60: $(check_hex_text --hex "$hex60")"
        "                      [$hex60]"
    )
    mapfile -t -O "${#SUMMARY[@]}" SUMMARY <<<"$rrqs"

    local -a verdict=()
    local f
    for f in "${failures[@]}"; do verdict+=(--failure "$f"); done
    check_verdict --ok-line "  OK" "${verdict[@]}"
}

# check_ftp_transfers --file F : one line per FTP data connection, tab-separated: its TCP
# stream, the control connection's stream, the transfer command ("RETR x", "STOR y"; empty
# if none used it), payload bytes, payload segments, first and last frame, the data port,
# and what tshark's own ftp-data.command says.
#
# The pairing is done here rather than trusting ftp-data.command: tshark 4.0 records there
# the first command after the EPSV/PASV reply that set the connection up, which for curl
# is "TYPE I", not the RETR or STOR; and a connection from port 20 announced by EPRT is
# only recognised by its port, with an empty ftp-data.command.  Here the port announced
# on a control connection (EPSV or PASV reply, EPRT or PORT request) names the data
# connection whose SYN goes to that port next, and that data connection belongs to the
# transfer command sent on the same control connection just before it opens (active mode:
# the server connects after RETR) or just after (passive mode: curl connects first).
check_ftp_transfers() {
    local file=""
    lab_opts "file" "$@"
    lab_need check_ftp_transfers file
    tshark -r "$file" -Y tcp -T fields -E occurrence=f -e frame.number -e tcp.stream -e tcp.dstport -e tcp.len \
        -e tcp.flags.syn -e tcp.flags.ack -e ftp.request.command -e ftp.request.arg -e ftp.epsv.port \
        -e ftp.eprt.port -e ftp.passive.port -e ftp.active.port -e ftp-data.command 2>/dev/null |
        awk -F'\t' '
        function flag(v) { return v == "1" || v == "True" }
        {
            frame = $1; s = $2
            port = $9 $10 $11 $12
            if (port != "") announced[s] = port
            if ($7 ~ /^(RETR|STOR|STOU|APPE|LIST|NLST|MLSD)$/) {
                cmd = $7 ($8 == "" ? "" : " " $8)
                if (open[s] != "") { label[open[s]] = cmd; open[s] = "" } else pending[s] = cmd
            }
            if (flag($5) && !flag($6)) {
                for (c in announced) if (announced[c] == $3) {
                    control[s] = c; port_of[s] = $3; first[s] = frame; order[++n] = s; delete announced[c]
                    if (pending[c] != "") { label[s] = pending[c]; pending[c] = "" } else open[c] = s
                    break
                }
            }
            if (s in control) {
                last[s] = frame
                if ($4 > 0) { bytes[s] += $4; segments[s]++ }
                if ($13 != "" && !(s in tshark_cmd)) tshark_cmd[s] = $13
            }
        }
        END {
            for (i = 1; i <= n; i++) { s = order[i]
                printf "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\t%s\n", s, control[s], label[s], bytes[s], segments[s],
                    first[s], last[s], port_of[s], tshark_cmd[s] }
        }'
}

# check_tcp_capture --file F --option-160 URL --option-60 HEX [--user-agent UA] [--check CHECK]... :
# checks a capture of a boot from an FTP, HTTP or HTTPS server and adds its summary to
# SUMMARY.  First check_boot_capture's DHCP checks (ACK option 160 URL, no option 66,
# DISCOVER option 60 HEX, no TFTP, no 802.1Q tag, no bad IP/UDP checksum), then the TCP
# part: no bad TCP checksum, no frame over 1514 bytes (segmentation and receive offloads
# really were off), no segment missing from the capture, and each CHECK: a word saying what
# to expect, then its arguments:
#   "has FILTER"               at least one frame matches the display filter
#   "none FILTER"              no frame matches
#   "count N FILTER"           exactly N frames match
#   "bytes N FILTER"           the TCP payloads of the matching frames add up to N bytes
#   "transfer N COMMAND ARG"   the FTP data connection(s) of "COMMAND ARG" (e.g. "RETR x.cfg")
#                              carried N bytes, as check_ftp_transfers pairs them
#   "ftp-command N COMMAND [ARG]"  exactly N FTP requests COMMAND (with argument ARG)
#   "ftp-reply N CODE"         exactly N FTP replies CODE
#   "http-request N METHOD URI"    exactly N HTTP requests METHOD URI with User-Agent UA
#   "http-response N CODE"     exactly N HTTP responses CODE
#   "keylog FILE"              decrypt TLS with FILE (SSLKEYLOGFILE format) in the checks
#                              after it and in the summary
# The summary lists, with frame numbers and TCP stream indexes, the FTP commands and
# replies, the FTP data connections, the HTTP requests and responses, and the TLS records.
check_tcp_capture() {
    local file="" option_160="" option_60="" user_agent=""
    local -a check=()
    lab_opts "file option-160 option-60 user-agent check+" "$@"
    lab_need check_tcp_capture file option_160 option_60
    check_boot_capture --file "$file" --option-160 "$option_160" --option-60 "$option_60" --not-found 0 --tftp none
    # check_boot_capture's summary ends with its verdict; the TCP verdict follows it.
    local dhcp_ok=$CAPTURE_OK one word rest n filter got errf
    local streams bad_tcp oversize lost retransmissions listing transfers
    local -a failures=() tshark_opts=()
    errf=$(dirname "$file")/tshark.err

    # tcp_matches FILTER : prints the number of frames matching FILTER (dies on a filter
    # tshark rejects, so that a typo cannot pass as "no frame matches").
    tcp_matches() {
        tshark -r "$file" "${tshark_opts[@]}" -Y "$1" 2>"$errf" | wc -l ||
            lab_die "tshark rejects the filter '$1': $(head -1 "$errf")"
    }

    streams=$(tshark -r "$file" -Y tcp -T fields -e tcp.stream 2>/dev/null | sort -u | grep -c . || true)
    bad_tcp=$(check_count --file "$file" --filter 'tcp.checksum.status == "Bad"' -- -o tcp.check_checksum:TRUE)
    oversize=$(tcp_matches 'frame.len > 1514')
    lost=$(tcp_matches 'tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment')
    retransmissions=$(tcp_matches 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission')
    ((streams > 0)) || failures+=("no TCP")
    ((bad_tcp == 0)) || failures+=("$bad_tcp packets with a bad TCP checksum")
    ((oversize == 0)) || failures+=("$oversize frames longer than 1514 bytes (offloads on?)")
    ((lost == 0)) || failures+=("$lost frames follow a TCP segment missing from the capture")

    transfers=$(check_ftp_transfers --file "$file")
    for one in "${check[@]}"; do
        word=${one%% *}
        rest=${one#* }
        # The short FTP and HTTP forms, as the general ones.
        local -a w
        read -r -a w <<<"$rest"
        case $word in
            ftp-command)
                word=count
                rest="${w[0]} ftp.request.command == \"${w[1]}\"${w[2]:+ && ftp.request.arg == \"${w[2]}\"}"
                ;;
            ftp-reply)
                word=count
                rest="${w[0]} ftp.response.code == ${w[1]}"
                ;;
            http-request)
                lab_need check_tcp_capture user_agent
                word=count
                rest="${w[0]} http.request.method == \"${w[1]}\" && http.request.uri == \"${w[2]}\" && http.user_agent == \"$user_agent\""
                ;;
            http-response)
                word=count
                rest="${w[0]} http.response.code == ${w[1]}"
                ;;
        esac
        case $word in
            transfer)
                n=${rest%% *}
                filter=${rest#* }
                got=$(awk -F'\t' -v t="$filter" '$3 == t { s += $4; c++ } END { print (c ? s : "none") }' <<<"$transfers")
                [[ $got == "$n" ]] || failures+=("FTP data connection of '$filter': $got bytes, expected $n")
                ;;
            has)
                got=$(tcp_matches "$rest")
                ((got >= 1)) || failures+=("no frame matches: $rest")
                ;;
            none)
                got=$(tcp_matches "$rest")
                ((got == 0)) || failures+=("$got frames match, expected none: $rest")
                ;;
            count)
                n=${rest%% *}
                filter=${rest#* }
                got=$(tcp_matches "$filter")
                ((got == n)) || failures+=("$got frames match, expected $n: $filter")
                ;;
            bytes)
                n=${rest%% *}
                filter=${rest#* }
                tcp_matches "$filter" >/dev/null
                got=$(tshark -r "$file" "${tshark_opts[@]}" -Y "$filter" -T fields -e tcp.len 2>/dev/null |
                    awk '{ s += $1 } END { print s + 0 }')
                ((got == n)) || failures+=("$got TCP payload bytes, expected $n: $filter")
                ;;
            keylog)
                [[ -s $rest ]] || failures+=("TLS key log $rest is empty")
                tshark_opts=(-o "tls.keylog_file:$rest")
                ;;
            *) lab_die "check_tcp_capture: bad check '$one'" ;;
        esac
    done

    local decrypted=""
    ((${#tshark_opts[@]} == 0)) || decrypted=" (TLS decrypted with the key log of the run)"
    SUMMARY+=("  tcp: $streams connections, bad TCP checksums: $bad_tcp, frames over 1514 bytes: $oversize, retransmissions: $retransmissions$decrypted")

    # FTP control connections: one line per command or reply.
    listing=$(tshark -r "$file" "${tshark_opts[@]}" -Y ftp -T fields -E occurrence=f -e frame.number \
        -e tcp.stream -e ftp.request.command -e ftp.request.arg -e ftp.response.code -e ftp.response.arg 2>/dev/null |
        awk -F'\t' '{
            if ($3 != "") printf "  #%-5s tcp %-2s > %s%s\n", $1, $2, $3, ($4 == "" ? "" : " " $4)
            else printf "  #%-5s tcp %-2s <   %s %s\n", $1, $2, $5, $6
        }')
    [[ -z $listing ]] || mapfile -t -O "${#SUMMARY[@]}" SUMMARY <<<"$listing"
    # FTP data connections, each with the transfer command it carried (see check_ftp_transfers).
    listing=$([[ -z $transfers ]] || awk -F'\t' '{
            printf "  #%s-#%s tcp %s (port %s, for control tcp %s): %s: %d bytes in %d segments; tshark ftp-data.command: \"%s\"\n",
                $6, $7, $1, $8, $2, ($3 == "" ? "(no transfer command)" : $3), $4, $5, $9
        }' <<<"$transfers")
    [[ -z $listing ]] || mapfile -t -O "${#SUMMARY[@]}" SUMMARY <<<"$listing"
    # TLS: every frame with TLS records, by record content type; handshake messages by name.
    listing=$(tshark -r "$file" "${tshark_opts[@]}" -Y tls -T fields -E occurrence=a -E aggregator=' ' \
        -e frame.number -e tcp.stream -e tls.record.version -e tls.record.content_type -e tls.handshake.type \
        -e tls.handshake.extensions_server_name -e tls.alert_message.level -e tls.alert_message.desc 2>/dev/null |
        awk -F'\t' '
        BEGIN {
            split("20 ChangeCipherSpec 21 Alert 22 Handshake 23 ApplicationData", a, " ")
            for (i = 1; i < 8; i += 2) ctype[a[i]] = a[i + 1]
            split("1 ClientHello 2 ServerHello 4 NewSessionTicket 8 EncryptedExtensions 11 Certificate " \
                  "12 ServerKeyExchange 13 CertificateRequest 14 ServerHelloDone 15 CertificateVerify " \
                  "16 ClientKeyExchange 20 Finished", h, " ")
            for (i = 1; i < 22; i += 2) htype[h[i]] = h[i + 1]
            alert[0] = "close_notify"; alert[40] = "handshake_failure"; alert[42] = "bad_certificate"
            alert[46] = "certificate_unknown"; alert[48] = "unknown_ca"; alert[80] = "internal_error"
        }
        {
            line = ""
            n = split($4, types, " ")
            for (i = 1; i <= n; i++) line = line (i > 1 ? ", " : "") (types[i] in ctype ? ctype[types[i]] : "type " types[i])
            m = split($5, hs, " ")
            if (m) {
                line = line ":"
                for (i = 1; i <= m; i++) line = line " " (hs[i] in htype ? htype[hs[i]] : hs[i])
            }
            if ($6 != "") line = line " (SNI " $6 ")"
            if ($8 != "") line = line " (level " $7 ", description " $8 " " ($8 in alert ? alert[$8] : "") ")"
            nv = split($3, versions, " "); v = ""; delete seen
            for (i = 1; i <= nv; i++) if (!(versions[i] in seen)) { seen[versions[i]]; v = v (v == "" ? "" : "/") versions[i] }
            printf "  #%-5s tcp %-2s TLS record version %s: %s\n", $1, $2, v, line
        }')
    [[ -z $listing ]] || mapfile -t -O "${#SUMMARY[@]}" SUMMARY <<<"$listing"

    # HTTP requests and responses (frame: where tshark completes the reassembled message).
    listing=$(tshark -r "$file" "${tshark_opts[@]}" -Y http -T fields -E occurrence=f -e frame.number \
        -e tcp.stream -e http.request.method -e http.request.uri -e http.user_agent -e http.authbasic \
        -e http.response.code -e http.response.phrase -e http.content_length_header -e http.www_authenticate \
        2>/dev/null |
        awk -F'\t' '{
            if ($3 != "") {
                printf "  #%-5s tcp %-2s > %s %s (User-Agent: %s%s)\n", $1, $2, $3, $4,
                    ($5 == "" ? "none" : $5), ($6 == "" ? "" : "; Basic credentials: " $6)
            } else {
                printf "  #%-5s tcp %-2s <   %s %s (Content-Length: %s%s)\n", $1, $2, $7, $8, $9,
                    ($10 == "" ? "" : "; WWW-Authenticate: " $10)
            }
        }')
    [[ -z $listing ]] || mapfile -t -O "${#SUMMARY[@]}" SUMMARY <<<"$listing"

    local -a verdict=()
    local f
    for f in "${failures[@]}"; do verdict+=(--failure "$f"); done
    check_verdict --ok-line "  OK (tcp)" "${verdict[@]}"
    ((dhcp_ok)) || CAPTURE_OK=0
}
