#!/usr/bin/env bash
# install.sh: build phoneboot for release with the Swift runtime linked in, and install it with
# its man pages, shell completions and systemd units, so that it runs on a machine with libpcap
# (and libxml2) but no Swift toolchain.
#
#   scripts/install.sh --prefix /usr/local          # as root for a system prefix
#   scripts/install.sh --prefix "$HOME/.local"
#
# Installs:
#   PREFIX/bin/phoneboot
#   PREFIX/share/man/man1/phoneboot.1, phoneboot.analyze.1, ...   (swift-argument-parser's
#                                                                  generate-manual plugin)
#   PREFIX/share/bash-completion/completions/phoneboot
#   PREFIX/share/zsh/site-functions/_phoneboot
#   PREFIX/share/fish/vendor_completions.d/phoneboot.fish
#   PREFIX/lib/systemd/system/phoneboot-proxy@.service, phoneboot-watch@.service
#                                   (from dist/systemd/, ExecStart pointing at PREFIX/bin)
#   PREFIX/share/doc/phoneboot/examples/proxy.env, watch.env
set -euo pipefail

usage() {
    cat <<EOF
Usage: $0 --prefix DIR

Builds phoneboot (release, --static-swift-stdlib) and installs it under DIR:
  DIR/bin/phoneboot, DIR/share/man/man1/*.1, bash/zsh/fish completions under DIR/share/,
  systemd units under DIR/lib/systemd/system/ and example settings under
  DIR/share/doc/phoneboot/examples/.
The installed binary needs only the system's libpcap and libxml2 at run time.

  --prefix DIR   where to install (created if missing); required
  -h, --help     this help
EOF
}

prefix=""
while (($# > 0)); do
    case "$1" in
        --prefix)
            [[ $# -ge 2 && -n "$2" ]] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }
            prefix=$2
            shift 2
            ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ -n "$prefix" ]] || { echo "install.sh: --prefix DIR is required (see --help)" >&2; exit 2; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

# Man pages: one per command, from the same help text as --help, written by
# swift-argument-parser's generate-manual plugin into the plugin's work directory. The plugin
# makes its own release build (with the Swift runtime as shared libraries), so it runs before
# the build of the binary that is installed.
rm -rf .build/plugins/GenerateManual/outputs/phoneboot
swift package generate-manual --multi-page --authors "The PhoneBoot developers" >&2
pages=(.build/plugins/GenerateManual/outputs/phoneboot/*.1)
[[ -e "${pages[0]}" ]] || { echo "install.sh: generate-manual wrote no man page" >&2; exit 1; }

echo "install.sh: building phoneboot (release, Swift runtime linked in)" >&2
swift build -c release --product phoneboot --static-swift-stdlib
binary=.build/release/phoneboot
[[ -x "$binary" ]] || { echo "install.sh: the build left no $binary" >&2; exit 1; }

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
    "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d" \
    "$prefix/lib/systemd/system" "$prefix/share/doc/phoneboot/examples"
install -m 0755 "$binary" "$prefix/bin/phoneboot"
install -m 0644 "${pages[@]}" "$prefix/share/man/man1/"

"$prefix/bin/phoneboot" --generate-completion-script bash >"$prefix/share/bash-completion/completions/phoneboot"
"$prefix/bin/phoneboot" --generate-completion-script zsh >"$prefix/share/zsh/site-functions/_phoneboot"
"$prefix/bin/phoneboot" --generate-completion-script fish >"$prefix/share/fish/vendor_completions.d/phoneboot.fish"

for unit in dist/systemd/*.service; do
    sed "s|/usr/local/bin/phoneboot|$prefix/bin/phoneboot|g" "$unit" >"$prefix/lib/systemd/system/$(basename "$unit")"
    chmod 0644 "$prefix/lib/systemd/system/$(basename "$unit")"
done
install -m 0644 dist/systemd/*.env "$prefix/share/doc/phoneboot/examples/"

echo "install.sh: installed $("$prefix/bin/phoneboot" --version) in $prefix" >&2
