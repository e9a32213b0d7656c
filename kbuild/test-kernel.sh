#!/bin/bash
# make test-kernel: extract Debian's kernel source, configure it as the
# test kernel KSPLICE_TEST_KERNEL names (tests/lib/kernel.sh: tiny-6.1 by
# default, distro-6.1, tiny-6.12) and build it with `make KSPLICE=1`.
# Every step is skipped when its output is current, and the kernel build
# itself is kbuild's incremental one, so a second run compiles nothing.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/tests/lib/kernel.sh"
source "$home/kbuild/tree-lock.sh"
source "$home/kbuild/progress.sh"
jobs=${JOBS:-$(nproc)}

step() { echo "test-kernel ($test_kernel): $*"; }

# The cache keeps one tree per kernel: drop those of an older source or
# configuration (1.5 GB and more each).
if [ "${kdir%/*}" = "$test_kernel_cache" ]; then
	for old in "$test_kernel_cache/$test_kernel"-*; do
		[ "$old" = "$kdir" ] || [ ! -d "$old" ] || { step "removing the outdated $old"; rm -rf "$old"; }
	done
fi

if [ "$test_kernel_arch" = arm64 ]; then
	bash "$home/scripts/deps.sh" --arm64
	make -s -C "$home" arm64
fi

lock_tree "$kdir" step

# A killed kbuild leaves its try-run folders (.tmp_<pid>) behind, and a
# later try-run shell of the same pid removes its namesake in the middle
# of whatever test watches the tree: they go first.
for d in "$kdir"/.tmp_[0-9]*; do
	[ ! -d "$d" ] || rm -rf "$d"
done

if [ ! -f "$kdir/Makefile" ]; then
	[ -f "$test_kernel_tarball" ] || {
		echo "test-kernel: $test_kernel_tarball missing (apt-get install linux-source-$test_kernel_version)" >&2
		exit 1
	}
	step "extracting $test_kernel_tarball into $kdir"
	rm -rf "$kdir.tmp"
	mkdir -p "$kdir.tmp"
	tar -xf "$test_kernel_tarball" -C "$kdir.tmp" --strip-components=1
	mv "$kdir.tmp" "$kdir"
fi

KSPLICE_HOME=$home bash "$home/kbuild/setup.sh" "$kdir" >/dev/null

# The configuration's checksum lives next to .config, so editing a
# fragment reconfigures and nothing else does.
sum=$(test_kernel_config | sha1sum | cut -d' ' -f1)
if [ ! -f "$kdir/.config" ] || [ "$(cat "$kdir/.ksplice-config.sha1" 2>/dev/null)" != "$sum" ]; then
	step "configuring from ${test_kernel_base#/usr/src/} and ${test_kernel_fragments[*]#"$home"/}"
	if [ "$test_kernel_base" = tinyconfig ]; then
		make -C "$kdir" -s tinyconfig >/dev/null
	else
		[ -f "$test_kernel_base" ] || {
			echo "test-kernel: $test_kernel_base missing (apt-get install linux-config-$test_kernel_version)" >&2
			exit 1
		}
		xzcat "$test_kernel_base" > "$kdir/.config"
	fi
	(cd "$kdir" && scripts/kconfig/merge_config.sh -m .config "${test_kernel_fragments[@]}" >/dev/null)
	make -C "$kdir" -s olddefconfig
	# The last fragment to set an option decides it.
	missing=$(cat "${test_kernel_fragments[@]}" | grep -E '^CONFIG_.*=|^# CONFIG_.* is not set' |
		sed -E 's/^# (CONFIG_[^ ]*) is not set/\1=n/' |
		awk -F= '{ v[$1] = $0 } END { for (k in v) if (v[k] ~ /=y$/) print v[k] }' | sort |
		while read -r l; do grep -qx "$l" "$kdir/.config" || echo "$l"; done)
	if [ -n "$missing" ]; then
		echo "test-kernel: config options did not stick: $missing" >&2
		exit 1
	fi
	echo "$sum" > "$kdir/.ksplice-config.sha1"
fi

# bench/plugin-overhead.sh times the builds itself.
[ -z "${KSPLICE_TEST_CONFIGURE_ONLY:-}" ] || exit 0

step "building ${test_kernel_targets[*]:-everything} with KSPLICE=1 (-j$jobs)"
start=$(date +%s)
# A first build takes minutes: say how far it is (a rebuild, seconds: nothing).
stamp=$(mktemp)
trap 'progress_stop; rm -f "$stamp"' EXIT
progress_start "test-kernel ($test_kernel)" "$kdir" "$stamp"
make -C "$kdir" -s -j"$jobs" KSPLICE=1 ${test_kernel_targets[@]+"${test_kernel_targets[@]}"}
progress_stop
step "done in $(( $(date +%s) - start ))s: $kdir/$test_kernel_image"
