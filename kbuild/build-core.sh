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
rsync -rlpc --exclude patch_template.c --exclude tests "$home/kmod/" "$out/"
make -s -C "$kdir" M="$(cd "$out" && pwd)" modules >&2
test -f "$out/ksplice.ko"
bash "$home/kbuild/sign.sh" "$kdir" "$out/ksplice.ko"
