# shellcheck shell=bash
# The test kernel a suite runs on, sourced by kbuild/test-kernel.sh and
# the suites; needs $home. KSPLICE_TEST_KERNEL names it:
#   tiny-6.1    tinyconfig plus tests/config/tiny.config (the default)
#   distro-6.1  that plus tests/config/distro-6.1.config (ftrace, IBT, ORC...)
#   tiny-6.12   6.12's tinyconfig plus tests/config/tiny.config and
#               tests/config/tiny-6.12.config (call-depth tracking)
#   distro-6.12 that plus tests/config/distro-6.12.config (as distro-6.1,
#               and call-depth tracking)
#   tiny-arm64-6.1  arm64's tinyconfig plus tests/config/tiny.config and
#               tests/config/tiny-arm64.config, cross-built with
#               aarch64-linux-gnu-gcc (issue 22)
#   distro-arm64-6.1  that plus tests/config/distro-arm64-6.1.config (BTI,
#               PAC, ftrace, jump labels, KASLR...)
#   tiny-arm64-6.12  tiny-arm64-6.1's configuration on Debian's 6.12
#               source, plus tests/config/tiny-arm64-6.12.config
#               (pseudo-NMIs): 6.12 has no break hooks (arm64's BRK
#               immediates are dispatched by a fixed switch, as upstream
#               since 6.16), which the core's veneers live without
#   debian-6.1  Debian's own 6.1 configuration plus
#               tests/config/debian-6.1.config; not in make check, as its
#               first build takes about 40 minutes here
#               (tests/debian-config/run)
#   debian-6.12 the same for 6.12 (linux-config-6.12): IBT, call-depth
#               tracking (tests/debian-config/run debian-6.12)
# Sets test_kernel, test_kernel_version, test_kernel_base (tinyconfig, or
# the configuration file to start from), test_kernel_fragments,
# test_kernel_targets (what its build makes) and kdir, and exports
# KSPLICE_TEST_KDIR=$kdir for tests/vm/run.
#
# The tree is built once per source and configuration, outside the
# clone, in KSPLICE_CACHE/test-kernels/NAME-KEY (KSPLICE_CACHE defaults to
# ~/.cache/ksplice), KEY naming the source tarball and the fragments: a
# fresh clone, or CI's, finds it built. It is built in place, never
# moved, because kbuild records absolute paths. KSPLICE_TEST_KDIR, when
# set, is used instead.

test_kernel=${KSPLICE_TEST_KERNEL:-tiny-6.1}
test_kernel_version=${test_kernel##*-}
test_kernel_tarball=/usr/src/linux-source-$test_kernel_version.tar.xz
test_kernel_base=tinyconfig
test_kernel_fragments=("$home/tests/config/tiny.config")
test_kernel_targets=()
# The kernel's architecture; another than the host's is cross-built, with
# ARCH and CROSS_COMPILE in the environment of every make of its tree,
# and booted by that architecture's QEMU (tests/vm/run).
test_kernel_arch=x86
case $test_kernel in
tiny-6.1) ;;
tiny-arm64-6.1 | distro-arm64-6.1 | tiny-arm64-6.12)
	test_kernel_arch=arm64
	test_kernel_fragments+=("$home/tests/config/tiny-arm64.config")
	[ "$test_kernel" != distro-arm64-6.1 ] ||
		test_kernel_fragments+=("$home/tests/config/distro-arm64-6.1.config")
	[ "$test_kernel" != tiny-arm64-6.12 ] ||
		test_kernel_fragments+=("$home/tests/config/tiny-arm64-6.12.config")
	;;
tiny-6.12) test_kernel_fragments+=("$home/tests/config/tiny-6.12.config") ;;
distro-6.1 | distro-6.12) test_kernel_fragments+=("$home/tests/config/$test_kernel.config") ;;
debian-6.1 | debian-6.12)
	test_kernel_base=/usr/src/linux-config-$test_kernel_version/config.amd64_none_amd64.xz
	test_kernel_fragments=("$home/tests/config/$test_kernel.config")
	# What fixes to the core kernel need, and the one module the corpus
	# patches; Debian's thousands of other modules are not built.
	# shellcheck disable=SC2034 # test-kernel.sh builds them
	test_kernel_targets=(vmlinux bzImage modules_prepare fs/binfmt_misc.ko)
	;;
*)
	echo "unknown test kernel '$test_kernel' (tiny-6.1, distro-6.1, tiny-6.12, distro-6.12, tiny-arm64-6.1, distro-arm64-6.1, tiny-arm64-6.12, debian-6.1, debian-6.12)" >&2
	exit 2
	;;
esac
if [ "$test_kernel_arch" = arm64 ]; then
	export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	test_kernel_image=arch/arm64/boot/Image
else
	test_kernel_image=arch/x86/boot/bzImage
fi

# test_kernel_config: what the configuration is made from, as bytes (the
# base file, unless tinyconfig, and the fragments).
test_kernel_config()
{
	[ "$test_kernel_base" = tinyconfig ] || cat "$test_kernel_base"
	cat "${test_kernel_fragments[@]}"
}

# test_kernel_key: what the built tree depends on besides kbuild's own
# tracking (the plugin is on every command line, so kbuild sees that).
test_kernel_key()
{
	{
		stat -c '%n %s %Y' "$test_kernel_tarball" 2>/dev/null || echo "no $test_kernel_tarball"
		test_kernel_config
	} | sha1sum | cut -c1-12
}

test_kernel_cache=${KSPLICE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ksplice}/test-kernels
kdir=${KSPLICE_TEST_KDIR:-$test_kernel_cache/$test_kernel-$(test_kernel_key)}
export KSPLICE_TEST_KDIR=$kdir

# test_patch NAME: the file of fix NAME for this kernel's version. A fix
# whose context moved between versions has a copy in
# tests/patches/linux-VERSION/; the others apply to every version.
test_patch()
{
	local versioned=$home/tests/patches/linux-$test_kernel_version/$1.patch

	if [ -f "$versioned" ]; then
		echo "$versioned"
	else
		echo "$home/tests/patches/$1.patch"
	fi
}

# tree_state DIR: every file of the kernel tree DIR but its git data,
# with its size and mtime, one per line: what create must leave exactly
# as it found it.
tree_state()
{
	(cd "$1" && find . -path ./.git -prune -o -type f -printf '%p %s %T@\n' | sort)
}

# same_tree DIR FILE: whether DIR is as the tree_state saved in FILE; if
# not, the first differences go to stderr, which run-all shows for a
# failed suite.
same_tree()
{
	tree_state "$1" > "$2.now"
	cmp -s "$2" "$2.now" && return 0
	echo "same_tree: $1 changed (< $2, > now):" >&2
	diff "$2" "$2.now" | grep '^[<>]' | head -20 >&2
	return 1
}

# expect_field FILE KEY: the values of every "KEY: value" line of a fix's
# .expect FILE, one per line; or, when FILE has "KEY@KERNEL: value" lines
# for this test kernel, those; else its "KEY@ARCH: value" lines for this
# kernel's architecture (KEY@arm64), if any.
expect_field()
{
	local key=$2

	if grep -qE "^$key@$test_kernel:( |$)" "$1"; then
		key=$key@$test_kernel
	elif grep -qE "^$key@$test_kernel_arch:( |$)" "$1"; then
		key=$key@$test_kernel_arch
	fi
	# An empty "KEY@KERNEL:" line says there is none on that kernel.
	sed -nE "s/^$key:( |$)//p" "$1" | sed '/^$/d'
}
