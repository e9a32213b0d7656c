#!/bin/bash
# ksplice manifest write --kdir KDIR [-o FILE]
#
# Records what `ksplice create` needs of the pre build KDIR (built with
# make KSPLICE=1) in one file, KDIR/vmlinux.ksplice unless -o says
# otherwise (docs/manifest.md): every object with fingerprints, its debug
# information emptied; the names of the others; every kbuild .cmd record
# (compile commands, dependencies, exported symbols' CRCs); the modules'
# .mod lists and .ko files; Module.symvers, System.map, the configuration,
# the release and vmlinux's build id. make KSPLICE=1 runs it after the
# build. With it, create needs only a source tree of the same release:
# ksplice create --manifest FILE --kdir SRC.
#
# Exit codes: 0 written, 1 failed, 2 bad input.
set -euo pipefail

home=${KSPLICE_HOME:?}
source "$home/build/kbuild/contract.sh" 2>/dev/null ||
	{ echo "ksplice manifest: ksplice is not built in $home: run make there" >&2; exit 2; }
source "$home/kbuild/create-lib.sh"

kdir=
out=
die() {
	local code=$1
	shift
	echo "ksplice manifest: $*" >&2
	exit "$code"
}
usage() { die "$KSPLICE_EXIT_BAD_INPUT" "usage: ksplice manifest write --kdir KDIR [-o FILE]"; }
while [ $# -gt 0 ]; do
	case "$1" in
	--kdir) [ $# -ge 2 ] || usage; kdir=$2; shift 2 ;;
	-o|--output) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	-h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) usage ;;
	esac
done
[ -n "$kdir" ] || usage
[ -d "$kdir" ] || die "$KSPLICE_EXIT_BAD_INPUT" "no kernel tree at $kdir"
kdir=$(cd "$kdir" && pwd)
# What create asks of a built tree, and the configuration it records.
check_built_tree
[ -f "$kdir/.config" ] || die "$KSPLICE_EXIT_BAD_INPUT" "$kdir has no .config"
out=${out:-$kdir/$KSPLICE_MANIFEST_NAME}

work=$(mktemp -d "${TMPDIR:-/tmp}/ksplice-manifest.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.ksplice"
vmlinux_build_id "$kdir/vmlinux" > "$work/.ksplice/build-id"
linked_objects "$kdir" > "$work/.ksplice/linked"

# kbuild's records, in one entry: compressed together, the dependency
# lists they share cost a twentieth of what they cost one by one.
(cd "$kdir" && find . -path ./.git -prune -o -type f \( -name '.*.cmd' -o -name '*.mod' \) -print |
	sed 's|^\./||' | LC_ALL=C sort) > "$work/records"
tar -cf "$work/kbuild.tar" -C "$kdir" --owner=0 --group=0 --numeric-owner --mtime=@0 \
	--no-recursion --verbatim-files-from -T "$work/records"

# Compile units: a .cmd with a source_ line. (Not the links: vmlinux.o,
# a module's objects linked into one.)
(cd "$kdir" && find . -path ./.git -prune -o -type f -name '.*.o.cmd' ! -name '*.mod.o.cmd' -print0 |
	xargs -0 -r grep -l '^source_' | sed 's|^\./||' | sort) > "$work/units"

# KIND<TAB>NAME<TAB>PATH, for ksplice manifest pack: f a file, k a
# module, o an object (stored by name only when it has no fingerprints).
{
	printf 'f\t%s\t%s\n' .ksplice/build-id "$work/.ksplice/build-id" \
		.ksplice/linked "$work/.ksplice/linked"
	for f in System.map Module.symvers .config include/config/kernel.release \
		include/config/auto.conf; do
		printf 'f\t%s\t%s\n' "$f" "$kdir/$f"
	done
	printf 'f\t%s\t%s\n' .ksplice/kbuild.tar "$work/kbuild.tar"
	while IFS= read -r c; do
		o=$(kbuild_target "$c")
		[ ! -f "$kdir/$o" ] || printf 'o\t%s\t%s\n' "$o" "$kdir/$o"
	done < "$work/units"
	(cd "$kdir" && find . -path ./.git -prune -o -type f -name '*.ko' -print) |
		sed 's|^\./||' | sort | while IFS= read -r ko; do
		printf 'k\t%s\t%s\n' "$ko" "$kdir/$ko"
	done
} > "$work/list"
"$home/build/bin/ksplice" manifest pack "$out" < "$work/list"
echo "ksplice manifest: $out: $(stat -c %s "$out") bytes, $(grep -c '^o' "$work/list") objects and $(grep -c '^k' "$work/list") modules"
