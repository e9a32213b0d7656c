#!/bin/bash
# Install the Debian packages the build, the test kernel and the VM tests
# need, but only when one is missing, so a ready machine pays nothing.
# --bench: also what make bench needs (matplotlib for its plots).
# --debian: also Debian's kernel configurations (tests/debian-config/run).
# --arm64: also the arm64 cross compiler and its plugin headers, QEMU for
# arm64, the arm64 libraries the static ksplice command links for arm64
# guests (Debian multiarch), and an arm64 busybox for their initramfs,
# unpacked under build/arm64/ (the package itself would replace the
# host's busybox-static).
set -euo pipefail

packages=(
	gcc g++ libc6-dev make gcc-12-plugin-dev libelf-dev zlib1g-dev libzstd-dev
	linux-source-6.1 linux-source-6.12 flex bison bc cpio kmod libssl-dev openssl rsync patch git
	qemu-system-x86 busybox-static xz-utils python3 clang libclang-rt-14-dev ccache distcc
	systemd build-essential debhelper dh-dkms dkms lintian fakeroot
)
[ "${1:-}" != --bench ] || packages+=(python3-matplotlib)
[ "${1:-}" != --debian ] || packages+=(linux-config-6.1 linux-config-6.12)
arm64_busybox=$(cd "$(dirname "$0")/.." && pwd)/build/arm64/busybox
if [ "${1:-}" = --arm64 ]; then
	packages+=(gcc-12-aarch64-linux-gnu gcc-12-plugin-dev-aarch64-linux-gnu gcc-aarch64-linux-gnu
		qemu-system-arm libelf-dev:arm64 zlib1g-dev:arm64 libzstd-dev:arm64)
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		[ "$(id -u)" -eq 0 ] || { echo "deps: not root; run 'dpkg --add-architecture arm64' first" >&2; exit 1; }
		echo "deps: adding the arm64 architecture to dpkg (multiarch)"
		dpkg --add-architecture arm64
		arm64_update=1
	fi
fi

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
# fetch_arm64_busybox: Debian's static arm64 busybox, unpacked.
fetch_arm64_busybox()
{
	local tmp

	[ "${1:-}" = --arm64 ] && [ ! -x "$arm64_busybox" ] || return 0
	tmp=$(mktemp -d)
	# apt fetches as the _apt user, into the current directory.
	chown _apt "$tmp" 2>/dev/null || chmod 0777 "$tmp"
	(cd "$tmp" && apt-get download -q busybox-static:arm64 >/dev/null) &&
		dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$tmp/root" &&
		mkdir -p "${arm64_busybox%/*}" &&
		cp "$tmp/root/bin/busybox" "$arm64_busybox.tmp" && mv "$arm64_busybox.tmp" "$arm64_busybox"
	local rc=$?
	rm -rf "$tmp"
	[ $rc -eq 0 ] || { echo "deps: could not fetch busybox-static:arm64" >&2; exit 1; }
	echo "deps: unpacked busybox-static:arm64 into $arm64_busybox"
}

if [ ${#missing[@]} -eq 0 ] && [ -z "${arm64_update:-}" ]; then
	fetch_arm64_busybox "${1:-}"
	exit 0
fi

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
if [ ${#missing[@]} -gt 0 ]; then
	apt-get install -y -q --no-install-recommends "${missing[@]}" |
		sed -n 's/^Setting up \([^ ]*\) .*/deps: set up \1/p'
fi
fetch_arm64_busybox "${1:-}"
