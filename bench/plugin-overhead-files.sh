#!/bin/bash
# bench/plugin-overhead-files.sh [N]: the plugin's compile-time cost,
# measured finely.  Whole-build timings on this shared machine drift by
# several percent between two identical builds; here the same compiler
# command of each of N kernel objects (default 80, spread over the
# tree) runs plain and as KSPLICE=1 runs it (through ksplice-gcc, with
# the plugin's argument and -fno-ipa-ra) back to back, in alternating order, so drift hits both
# alike.  Reports summed CPU time (user+sys) and the ratio.  Needs the
# tree bench/plugin-overhead.sh builds (build/bench/linux-6.1); its
# commands are the KSPLICE=1 build's, from which the plain ones are made.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
kdir=$home/build/bench/linux-6.1
count=${1:-80}
plugin=$home/build/gcc-plugin/ksplice_plugin.so
hash=$(cat "$plugin.id")
extra="-fplugin-arg-ksplice_plugin-version=$hash -fno-ipa-ra"
wrapper=$home/build/bin/ksplice-gcc
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

[ -f "$kdir/vmlinux" ] || { echo "run bench/plugin-overhead.sh first" >&2; exit 1; }
# C files of vmlinux (KBUILD_CFLAGS has -mcmodel=kernel), not boot code or asm.
mapfile -t cmds < <(find "$kdir" -name '.*.o.cmd' -newer "$kdir/.config" | sort |
	xargs grep -lE '^cmd_.* := (ksplice-)?gcc .*-mcmodel=kernel.* [^ ]+\.c( *;|$)' | awk -v n="$count" '{ all[NR] = $0 }
	END { step = NR / n; for (i = 0; i < n && i * step < NR; i++) print all[int(i * step) + 1] }')

# cpu CMD...: user+sys seconds of one run.
cpu()
{
	local TIMEFORMAT='%U %S'
	{ time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ print $1 + $2 }'
}

plain=0
ksplice=0
n=0
for f in "${cmds[@]}"; do
	cmd=$(sed -n 's/^cmd_[^ ]* := //p' "$f" | cut -d';' -f1 |
		sed 's/-Wp,-MMD,[^ ]*//; s/ -o [^ ]*/ -o '"${out//\//\\/}"'\/x.o/' |
		sed -E 's/^ksplice-gcc /gcc /; s/ -fplugin-arg-ksplice_plugin-version=[^ ]*//; s/ -fno-ipa-ra//')
	n=$((n + 1))
	# Odd objects plain first, even ones KSPLICE=1 first.
	for turn in 0 1; do
		if [ $(((n + turn) % 2)) = 1 ]; then
			c=$(cd "$kdir" && cpu bash -c "$cmd")
			plain=$(echo "$plain + $c" | bc)
		else
			c=$(cd "$kdir" && cpu bash -c "$wrapper ${cmd#gcc } $extra")
			ksplice=$(echo "$ksplice + $c" | bc)
		fi
	done
done
printf 'compiles: %d objects, plain cpu %.1fs, KSPLICE=1 cpu %.1fs, ratio %.3f\n' \
	"$n" "$plain" "$ksplice" "$(echo "$ksplice / $plain" | bc -l)"
