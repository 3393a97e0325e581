#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer: scripts/fuzz.sh [--time SECONDS] [TARGET...]
#
# Targets (Fuzz/*Target.swift; README "Fuzzing" says what each checks):
#   dhcp      DHCP decoder, summary and encoder
#   decoders  frame dissection over every link type, TFTP, FTP, HTTP, TLS, option 60
#   analyzer  classifier + analyzer fed a frame stream, then the JSON and table renderers
#   proxy     the INFORM responder's and the relay agent's decisions
#
# The library modules are built by SwiftPM with -sanitize=fuzzer,address into .build-fuzz;
# each target is then compiled and linked here with swiftc, so that libFuzzer's main is the
# program's main (SwiftPM links executables with --defsym main=..., which would clash).
# Seeds come from captures/ and the shared reference captures (../shared/captures-ref beside the
# package or the repository it was cloned from, or $PHONEBOOT_REFERENCE_CAPTURES). Each target
# runs SECONDS (default 60); the corpus it grows is kept in .build-fuzz/corpus/TARGET for the
# next run. A crash or broken invariant leaves
# its input in .build-fuzz/crashes/TARGET/ and makes the script exit 1 (after all targets ran).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
targets=()
while (($#)); do
    case "$1" in
    --time) seconds="$2"; shift 2 ;;
    --time=*) seconds="${1#--time=}"; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    dhcp | decoders | analyzer | proxy) targets+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1' (targets: dhcp decoders analyzer proxy; --time SECONDS)" >&2; exit 2 ;;
    esac
done
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: --time takes whole seconds, not '$seconds'" >&2; exit 2; }
((${#targets[@]})) || targets=(dhcp decoders analyzer proxy)

started=$SECONDS
scratch=.build-fuzz
sanitize=(-sanitize=fuzzer,address)

# 1. The library modules, instrumented. One target at a time: --target takes one.
for module in WireFormats BootAnalysis BootProxy PacketCapture; do
    swift build --scratch-path "$scratch" -c release -q -Xswiftc "${sanitize[0]}" --target "$module"
done
build="$scratch/release"
modules="$build/Modules"
[[ -d "$modules" ]] || modules="$build"

# Every library object (not the executables' or the tests'), and every C module map, so
# that a target can import any module and link whatever it reaches. Swift objects are taken
# from SwiftPM's output file maps, so that objects of sources since removed are left out.
objects=()
while IFS= read -r object; do objects+=("$object"); done < <(
    python3 - "$build" <<'PYTHON'
import glob, json, os, sys
skip = ("phoneboot.build", "dhcp_load.build", "PhoneBootTestSupport.build")
for folder in sorted(glob.glob(os.path.join(sys.argv[1], "*.build"))):
    name = os.path.basename(folder)
    if name in skip or name.endswith("Tests.build"):
        continue
    output_map = os.path.join(folder, "output-file-map.json")
    if os.path.exists(output_map):
        with open(output_map) as handle:
            entries = json.load(handle)
        paths = [entry["object"] for source, entry in entries.items() if source and "object" in entry]
    else:
        paths = glob.glob(os.path.join(folder, "**", "*.o"), recursive=True)
    for path in sorted(paths):
        if os.path.exists(path):
            print(path)
PYTHON
)
module_maps=(-Xcc "-fmodule-map-file=$PWD/CLibpcap/module.modulemap" -Xcc "-fmodule-map-file=$PWD/CLibxml2/module.modulemap")
# CLibxml2's headers live under libxml2/ (SwiftPM asks pkg-config for the same flags).
for flag in $(pkg-config --cflags-only-I libxml-2.0); do module_maps+=(-Xcc "$flag"); done
while IFS= read -r -d '' map; do module_maps+=(-Xcc "-fmodule-map-file=$map"); done < <(
    find "$scratch/checkouts" -path '*/Sources/*/include/module.modulemap' -print0 2>/dev/null
)
while IFS= read -r -d '' map; do module_maps+=(-Xcc "-fmodule-map-file=$map"); done < <(
    find -H "$build" -maxdepth 2 -name module.modulemap -print0
)

# 2. The fuzz targets, libFuzzer's main linked in by -sanitize=fuzzer.
mkdir -p "$scratch/fuzz" "$scratch/logs"
swift_settings=(
    -swift-version 6 -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
    -enable-upcoming-feature InternalImportsByDefault
)
# The renderers live in the phoneboot executable; the analyzer target compiles the files
# they need (not the @main file) into itself.
renderers=(
    Sources/phoneboot/Rendering/ReportJSON.swift Sources/phoneboot/Rendering/ReportTable.swift
    Sources/phoneboot/Rendering/ReportJSON+Files.swift Sources/phoneboot/Rendering/ReportTable+Files.swift
    Sources/phoneboot/Rendering/TimeFormat.swift Sources/phoneboot/Pipeline/CaptureSummary.swift
    Sources/phoneboot/Pipeline/CaptureProblem.swift Sources/phoneboot/Output/JSONValue.swift
    Sources/phoneboot/Output/JSONObjectWriter.swift Sources/phoneboot/Output/OutputBuffer.swift
    Sources/phoneboot/Rendering/ReportRenderer.swift Sources/phoneboot/Rendering/JUnitRenderer.swift
    Sources/phoneboot/Rendering/ReportJSON+Plan.swift Sources/phoneboot/Rendering/ReportTable+Plan.swift
    Sources/phoneboot/Output/JSONWriter.swift Sources/phoneboot/Output/OrderedRendering.swift
)
for target in "${targets[@]}"; do
    case "$target" in
    dhcp) sources=(Fuzz/DHCPTarget.swift) ;;
    decoders) sources=(Fuzz/DecodersTarget.swift) ;;
    analyzer) sources=(Fuzz/AnalyzerTarget.swift "${renderers[@]}") ;;
    proxy) sources=(Fuzz/ProxyTarget.swift) ;;
    esac
    swiftc -O -g -parse-as-library "${sanitize[@]}" "${swift_settings[@]}" -module-name "Fuzz_$target" \
        -I "$modules" "${module_maps[@]}" -module-cache-path "$scratch/module-cache" \
        Fuzz/FuzzSupport.swift "${sources[@]}" "${objects[@]}" -o "$scratch/fuzz/$target" >"$scratch/logs/link-$target.log" 2>&1 ||
        { cat "$scratch/logs/link-$target.log" >&2; exit 1; }
done
build_seconds=$((SECONDS - started))

# 3. Seeds, cut fresh from the captures every run. The reference captures are looked for as
# the tests look for them: $PHONEBOOT_REFERENCE_CAPTURES, else shared/captures-ref beside the
# package, else beside the local repository it was cloned from (a clean clone made elsewhere).
references="${PHONEBOOT_REFERENCE_CAPTURES:-../shared/captures-ref}"
if [[ ! -d $references && -z ${PHONEBOOT_REFERENCE_CAPTURES:-} ]]; then
    origin=$(git config --get remote.origin.url 2>/dev/null || true)
    origin=${origin#file://}
    if [[ $origin == /* ]]; then references="$(dirname "$(realpath -m "$origin")")/shared/captures-ref"; fi
fi
capture_sources=(captures)
[[ -d "$references" ]] && capture_sources+=("$references")
rm -rf "$scratch/seeds"
python3 Fuzz/make-corpus.py "$scratch/seeds" "${capture_sources[@]}" >/dev/null

# 4. Run each target.
declare -A max_len=([dhcp]=4096 [decoders]=8192 [analyzer]=40000 [proxy]=16384)
failed=0
summary=()
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    crashes="$scratch/crashes/$target"
    seeds="$scratch/seeds/$target"
    mkdir -p "$corpus" "$crashes" "$seeds"
    log="$scratch/logs/$target.log"
    echo "fuzz.sh: $target for ${seconds}s ($(find "$seeds" -type f | wc -l) seeds, $(find "$corpus" -type f | wc -l) in the kept corpus)"
    status=0
    # Swift's own backtracer would race ASan's report of the same crash.
    SWIFT_BACKTRACE=enable=no \
        "$scratch/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 -max_len="${max_len[$target]}" \
        -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes/" "$corpus" "$seeds" >"$log" 2>&1 || status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    if ((status != 0)); then
        failed=1
        echo "fuzz.sh: $target FAILED (exit $status); input kept in $crashes/, log in $log:" >&2
        grep -E 'Fatal error|fuzz invariant|ERROR: |SUMMARY: |Test unit written' "$log" | head -n 20 >&2 || tail -n 30 "$log" >&2
        summary+=("$(printf '%-9s %12s executions %8s/s  FAILED: see %s' "$target" "${executions:-?}" "${rate:-?}" "$crashes/")")
    else
        summary+=("$(printf '%-9s %12s executions %8s/s  ok' "$target" "${executions:-?}" "${rate:-?}")")
    fi
done

echo "fuzz.sh: build ${build_seconds}s, total $((SECONDS - started))s, ${seconds}s per target"
printf '%s\n' "${summary[@]}"
exit "$failed"
