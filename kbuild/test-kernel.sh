#!/bin/bash
# make test-kernel: extract Debian's 6.1 source into build/linux-6.1,
# configure it from tests/config/tiny-6.1.config and build it with
# `make KSPLICE=1`. Every step is skipped when its output is current, and
# the kernel build itself is kbuild's incremental one, so a second run
# compiles nothing.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
kver=${KSPLICE_TEST_KVER:-6.1}
kdir=${KSPLICE_TEST_KDIR:-$home/build/linux-$kver}
tarball=/usr/src/linux-source-$kver.tar.xz
fragment=$home/tests/config/tiny-$kver.config
jobs=${JOBS:-$(nproc)}

step() { echo "test-kernel: $*"; }

if [ ! -f "$kdir/Makefile" ]; then
	[ -f "$tarball" ] || { echo "test-kernel: $tarball missing (apt-get install linux-source-$kver)" >&2; exit 1; }
	step "extracting $tarball"
	mkdir -p "$kdir.tmp"
	tar -xf "$tarball" -C "$kdir.tmp" --strip-components=1
	mv "$kdir.tmp" "$kdir"
fi

KSPLICE_HOME=$home bash "$home/kbuild/setup.sh" "$kdir" >/dev/null

# The fragment's checksum lives next to .config, so editing the fragment
# reconfigures and nothing else does.
sum=$(sha1sum "$fragment" | cut -d' ' -f1)
if [ ! -f "$kdir/.config" ] || [ "$(cat "$kdir/.ksplice-config.sha1" 2>/dev/null)" != "$sum" ]; then
	step "configuring from ${fragment#$home/}"
	make -C "$kdir" -s tinyconfig >/dev/null
	(cd "$kdir" && scripts/kconfig/merge_config.sh -m .config "$fragment" >/dev/null)
	make -C "$kdir" -s olddefconfig
	missing=$(grep '^CONFIG_.*=y' "$fragment" | while read -r l; do grep -qx "$l" "$kdir/.config" || echo "$l"; done)
	if [ -n "$missing" ]; then
		echo "test-kernel: config options did not stick: $missing" >&2
		exit 1
	fi
	echo "$sum" > "$kdir/.ksplice-config.sha1"
fi

# bench/plugin-overhead.sh times the builds itself.
[ -z "${KSPLICE_TEST_CONFIGURE_ONLY:-}" ] || exit 0

step "building $(basename "$kdir") with KSPLICE=1 (-j$jobs)"
start=$(date +%s)
make -C "$kdir" -s -j"$jobs" KSPLICE=1
step "done in $(( $(date +%s) - start ))s: $kdir/arch/x86/boot/bzImage"
