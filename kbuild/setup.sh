#!/bin/bash
# ksplice setup KDIR / ksplice setup --undo KDIR
#
# Teaches a kernel tree `make KSPLICE=1`. The only tracked file touched is
# the top Makefile, which gets one marked line at its end; the rest lives
# in KDIR/.ksplice.mk, which the kernel's .gitignore already ignores.
set -euo pipefail

home=${KSPLICE_HOME:?}
source "$home/build/kbuild/contract.sh" 2>/dev/null ||
	{ echo "ksplice setup: ksplice is not built in $home: run make there" >&2; exit 2; }
undo=0
if [ "${1:-}" = "--undo" ]; then
	undo=1
	shift
fi
kdir=${1:?usage: ksplice setup [--undo] KDIR}
kdir=$(cd "$kdir" && pwd)
mk="$kdir/Makefile"
marker='# ksplice: make KSPLICE=1'
line="-include \$(srctree)/.ksplice.mk $marker"

if [ ! -f "$mk" ] || ! grep -q '^KERNELRELEASE\|^VERSION = ' "$mk"; then
	echo "ksplice setup: $kdir is not a kernel source tree" >&2
	exit "$KSPLICE_EXIT_BAD_INPUT"
fi

if [ $undo -eq 1 ]; then
	if grep -qF "$marker" "$mk"; then
		tmp=$(mktemp "$kdir/.Makefile.XXXXXX")
		grep -vF "$marker" "$mk" > "$tmp"
		chmod --reference="$mk" "$tmp"
		mv "$tmp" "$mk"
	fi
	rm -f "$kdir/.ksplice.mk"
	echo "ksplice setup: removed from $kdir"
	exit 0
fi

cat > "$kdir/.ksplice.mk.tmp" <<EOT
# Written by 'ksplice setup'; 'ksplice setup --undo $kdir' removes it.
KSPLICE_PLUGIN ?= $home/build/gcc-plugin/ksplice_plugin.so
include $home/kbuild/Makefile.ksplice
EOT
if cmp -s "$kdir/.ksplice.mk.tmp" "$kdir/.ksplice.mk" 2>/dev/null; then
	rm "$kdir/.ksplice.mk.tmp"
else
	mv "$kdir/.ksplice.mk.tmp" "$kdir/.ksplice.mk"
fi

if ! grep -qF "$marker" "$mk"; then
	printf '%s\n' "$line" >> "$mk"
fi
echo "ksplice setup: $kdir accepts make KSPLICE=1"
