#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh KDIR OUTDIR: build the core and the test patch modules against
# the kernel tree KDIR (which must have vmlinux) in OUTDIR, leaving the
# source folder clean.  OUTDIR gets ksplice.ko and ksplice_test_*.ko.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kmod=$(dirname "$here")
kdir=$(cd "${1:?usage: build.sh KDIR OUTDIR}" && pwd)
out=${2:?usage: build.sh KDIR OUTDIR}

mkdir -p "$out/core" "$out/tests"
out=$(cd "$out" && pwd)
# Contents, not times, decide what is copied; what is copied is newer
# than its object (kbuild/build-core.sh says why).
rsync -rlpc --delete --exclude tests --exclude patch_template.c \
	"$kmod/" "$out/core/"
make -s -C "$kdir" M="$out/core" modules

rsync -rlpc --delete --exclude '*.sh' "$here/" "$out/tests/"
cp "$kmod/ksplice_patch.h" "$kmod/include/ksplice_hook_kinds.h" "$out/tests/"
for name in version nanosleep bad; do
	cp "$kmod/patch_template.c" "$out/tests/tmpl_$name.c"
done
for func in version_proc_show do_nanosleep; do
	"$here/gen_pre.sh" "$kdir/vmlinux" "$func" > "$out/tests/pre_$func.h"
done
# The test modules use the core's exports.
make -s -C "$kdir" M="$out/tests" \
	KBUILD_EXTRA_SYMBOLS="$out/core/Module.symvers" modules

cp "$out/core/ksplice.ko" "$out/tests/"*.ko "$out/"
bash "$kmod/../kbuild/sign.sh" "$kdir" "$out/"*.ko
