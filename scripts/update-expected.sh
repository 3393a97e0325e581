#!/usr/bin/env bash
# Writes NAME.expected.json for every captures/NAME.pcap and every captures/malformed/NAME.pcap
# or NAME.pcapng from `phoneboot analyze`.
# Review the diff before committing: the expected files are what the tests hold the analyzer to,
# and the tshark-facts test checks them against tshark independently.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
swift build -q
for capture in captures/*.pcap captures/malformed/*.pcap captures/malformed/*.pcapng; do
    expected="${capture%.*}.expected.json"
    .build/debug/phoneboot analyze --all-devices --fail-on never --format json "$capture" 2>/dev/null |
        python3 -c 'import json,sys; doc=json.load(sys.stdin); print(json.dumps(doc["captures"][0], indent=2))' >"$expected"
    echo "wrote $expected"
done
