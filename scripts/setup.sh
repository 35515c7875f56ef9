#!/usr/bin/env bash
# One-time machine setup for k7sim, safe to run again: installs the Debian packages that are
# missing, then fetches and verifies the lwIP 2.1.3 source into third_party/ (never committed).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
third="$root/third_party"

# Debian packages the project needs (pkg-config finds Unicorn; it is not on a fresh image; tcpdump
# reads the pcap files in a test, as an independent check of our pcap writer).
packages=(libunicorn-dev verilator gcc-arm-none-eabi libnewlib-arm-none-eabi googletest libgtest-dev
          libcxxopts-dev libyaml-cpp-dev cmake g++ make pkg-config dpkg-dev xz-utils python3 tcpdump)

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (run as root, or install sudo)"; fi
}

apt_updated=0
apt_update() {
  if [[ $apt_updated -eq 0 ]]; then
    say "apt-get update"
    as_root apt-get update -qq || die "apt-get update failed"
    apt_updated=1
  fi
}

if [[ ${#missing[@]} -gt 0 ]]; then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install these packages by hand: ${missing[*]}"
  apt_update
  say "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || die "apt-get install failed for: ${missing[*]}"
fi

# --- lwIP 2.1.3 from Debian's source package -------------------------------------------------
# Checksums of the upstream tarball inside the Debian source package (lwip_2.1.3+dfsg1.orig.tar.xz)
# and of the unpacked tree's marker file; a mismatch stops the build.
lwip_version="2.1.3+dfsg1"
lwip_orig="lwip_${lwip_version}.orig.tar.xz"
lwip_orig_sha256=$(awk '{print $1}' "$root/scripts/lwip.sha256")
lwip_dir="$third/lwip"

if [[ -f "$lwip_dir/.k7sim-verified" ]]; then
  exit 0
fi

mkdir -p "$third/download"
if [[ ! -f "$third/download/$lwip_orig" ]]; then
  # Enable deb-src for the Debian archive only if no deb-src entry exists yet. Other apt
  # configuration is left alone: we add one file of our own.
  if ! grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    say "enabling deb-src for Debian's archive (/etc/apt/sources.list.d/k7sim-deb-src.sources)"
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    as_root tee /etc/apt/sources.list.d/k7sim-deb-src.sources >/dev/null <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: ${codename}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt_updated=0
  fi
  apt_update
  say "fetching lwIP source package (apt-get source --download-only lwip=${lwip_version}-2)"
  (cd "$third/download" && apt-get source --download-only -qq "lwip=${lwip_version}-2" >/dev/null 2>&1) \
    || (cd "$third/download" && apt-get source --download-only -qq lwip) \
    || die "could not fetch the lwIP source package (is deb-src reachable?)"
fi

got=$(sha256sum "$third/download/$lwip_orig" | awk '{print $1}')
[[ "$got" == "$lwip_orig_sha256" ]] || die "checksum mismatch for $lwip_orig: got $got, expected $lwip_orig_sha256"

rm -rf "$lwip_dir" "$third/lwip.tmp"
mkdir -p "$third/lwip.tmp"
tar -xJf "$third/download/$lwip_orig" -C "$third/lwip.tmp"
src=$(find "$third/lwip.tmp" -maxdepth 2 -name src -type d | head -n1)
[[ -n "$src" && -f "$src/core/tcp.c" ]] || die "unexpected layout in $lwip_orig"
mv "$(dirname "$src")" "$lwip_dir"
rm -rf "$third/lwip.tmp"
touch "$lwip_dir/.k7sim-verified"
say "lwIP ${lwip_version} ready in third_party/lwip"
