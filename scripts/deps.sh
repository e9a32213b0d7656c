#!/bin/bash
# Install the Debian packages the build, the test kernel and the VM tests
# need, but only when one is missing, so a ready machine pays nothing.
# --bench: also what make bench needs (matplotlib for its plots).
# --debian: also Debian's kernel configurations (tests/debian-config/run).
# --arm64: also the arm64 cross compiler and its plugin headers.
set -euo pipefail

packages=(
	gcc g++ libc6-dev make gcc-12-plugin-dev libelf-dev zlib1g-dev libzstd-dev
	linux-source-6.1 linux-source-6.12 flex bison bc cpio kmod libssl-dev openssl rsync patch git
	qemu-system-x86 busybox-static xz-utils python3 clang libclang-rt-14-dev ccache distcc
	systemd build-essential debhelper dh-dkms dkms lintian fakeroot
)
[ "${1:-}" != --bench ] || packages+=(python3-matplotlib)
[ "${1:-}" != --debian ] || packages+=(linux-config-6.1 linux-config-6.12)
[ "${1:-}" != --arm64 ] || packages+=(gcc-12-aarch64-linux-gnu gcc-12-plugin-dev-aarch64-linux-gnu)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; install these packages first: ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Without recommends: dkms would bring this machine's kernel headers, and
# every package here names what it needs. A line per package set up: on
# a fresh machine this takes minutes.
apt-get install -y -q --no-install-recommends "${missing[@]}" |
	sed -n 's/^Setting up \([^ ]*\) .*/deps: set up \1/p'
