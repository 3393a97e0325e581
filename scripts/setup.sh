#!/usr/bin/env bash
# Installs the Debian packages PhoneBoot needs to build and test, when they are missing:
#   libpcap-dev, pkg-config  the only way packets come in (CLibpcap)
#   libxml2, libxml2-dev     the parser of master configuration files (CLibxml2): the library
#                            and, to build, its headers and pkg-config file
#   libcurl4-openssl-dev     probe --fetch's HTTPS client (CLibcurl): libcurl and its headers
#   tshark                   the decoding oracle of the tests
#   iproute2, dnsmasq-base, isc-dhcp-client, dhcpcd-base, curl, python3
#                            the live tests (namespaces, DHCP+TFTP server, phone); they run as root
#   lldpd, tcpdump           the LLDP lab test's switch (LLDP-MED, CDP) and its recorder
#   vsftpd, openssl          the probe --fetch test's FTP server and its account's password hash
# Uses sudo when not run as root. Prints what it installs.
set -euo pipefail

# check-jsonschema and junitparser (PyPI): the schema tests' validator and the JUnit consumer.
if ! python3 -m check_jsonschema --version >/dev/null 2>&1 || ! python3 -c "import junitparser" 2>/dev/null; then
    echo "setup: installing check-jsonschema and junitparser (pip)" >&2
    python3 -m pip install --quiet --disable-pip-version-check check-jsonschema junitparser \
        || echo "setup: could not install check-jsonschema or junitparser; the tests that need them will say so" >&2
fi

packages=(libpcap-dev pkg-config libxml2 libxml2-dev libcurl4-openssl-dev tshark iproute2 dnsmasq-base isc-dhcp-client dhcpcd-base curl python3 lldpd tcpdump vsftpd openssl)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
        echo "setup: need root to install ${missing[*]} (run as root, or install sudo)" >&2
        exit 2
    fi
    sudo=(sudo)
fi

echo "setup: installing ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
