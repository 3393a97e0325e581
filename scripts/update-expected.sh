#!/usr/bin/env bash
# Writes NAME.expected.json for every captures/NAME.pcap and every captures/malformed/NAME.pcap
# or NAME.pcapng from `phoneboot analyze`.
# Review the diff before committing: the expected files are what the tests hold the analyzer to,
# and the tshark-facts test checks them against tshark independently.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
swift build -q
report=$(mktemp)
trap 'rm -f "$report"' EXIT
for capture in captures/*.pcap captures/malformed/*.pcap captures/malformed/*.pcapng; do
    expected="${capture%.*}.expected.json"
    # Exit 2 is a file whose reading failed part-way: its report still comes, with its problem.
    status=0
    .build/debug/phoneboot analyze --all-devices --fail-on never --format json "$capture" >"$report" 2>/dev/null || status=$?
    if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
        echo "phoneboot analyze $capture exited $status" >&2
        exit 1
    fi
    # A reading problem names the file: by its name alone, as the tests compare it.
    python3 -c '
import json, os, sys
report = json.load(sys.stdin)["captures"][0]
if "problem" in report:
    report["problem"] = report["problem"].replace(sys.argv[1], os.path.basename(sys.argv[1]))
print(json.dumps(report, indent=2))' "$capture" <"$report" >"$expected"
    if [ "$status" -eq 2 ]; then
        echo "wrote $expected (exit 2: reading failed part-way)"
    else
        echo "wrote $expected"
    fi
done
