#!/bin/bash
# build-core.sh KDIR OUTDIR: build the ksplice core (ksplice.ko) against
# the kernel tree KDIR with kbuild, in OUTDIR (a copy of kmod/, so the
# source folder stays clean), signed when the tree signs its modules.
# Quiet when it is already current.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
kdir=$(cd "${1:?usage: build-core.sh KDIR OUTDIR}" && pwd)
out=${2:?usage: build-core.sh KDIR OUTDIR}

mkdir -p "$out"
# -c: only contents count, so an unchanged source keeps its object; no
# -t: a changed one is written now, newer than its object, whatever its
# own time (another checkout's kmod/ may be older than the build here).
changed=$(rsync -rlpci --exclude patch_template.c --exclude tests "$home/kmod/" "$out/")
# What the build depends on besides the sources: the tree's vmlinux, exports,
# configuration and release, and its signing key. Unchanged, and no
# source copied: the core built last time is current, and kbuild's
# module pass (a second and more on every create) is skipped.
stamp=$(stat -c '%n %s %Y' "$kdir/vmlinux" "$kdir/Module.symvers" "$kdir/.config" \
	"$kdir/include/config/kernel.release" "$kdir"/certs/signing_key.* 2>/dev/null || true)
if [ -z "$changed" ] && [ -f "$out/ksplice.ko" ] && [ -f "$out/.ksplice-stamp" ] &&
	[ "$(cat "$out/.ksplice-stamp")" = "$stamp" ]; then
	: # current
else
	rm -f "$out/.ksplice-stamp"
	make -s -C "$kdir" M="$(cd "$out" && pwd)" modules >&2
	test -f "$out/ksplice.ko"
	printf '%s\n' "$stamp" > "$out/.ksplice-stamp"
fi
# create --no-sign (a source tree has no key of its own): left unsigned
# until a create that signs; sign.sh leaves a signed module alone.
[ "${KSPLICE_NO_SIGN:-0}" = 1 ] || bash "$home/kbuild/sign.sh" "$kdir" "$out/ksplice.ko"
