#!/bin/bash
# bench/plugin-overhead.sh: what `make KSPLICE=1` costs over a plain
# build of the whole test kernel (issue: at most 3%).
#
# A separate copy of the 6.1 source (build/bench/linux-6.1), configured
# like the test kernel, is built from clean in turns, plain, KSPLICE=1,
# KSPLICE=1, plain (ROUNDS times), so that drift on this shared machine
# hits both alike.  Reported: CPU time (user+sys of every compiler and
# tool make ran) and wall time, and their ratios, KSPLICE=1 over plain.
# CPU time is the number to read; wall time shows the noise.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
kdir=$home/build/bench/linux-6.1
rounds=${ROUNDS:-1}
jobs=${JOBS:-$(nproc)}

make -s -C "$home" all >&2
KSPLICE_TEST_KDIR=$kdir KSPLICE_TEST_CONFIGURE_ONLY=1 bash "$home/kbuild/test-kernel.sh" >&2

# build VARIANT: prints "wall cpu" for one build from clean.
build()
{
	local flag=
	[ "$1" = ksplice ] && flag=KSPLICE=1
	make -C "$kdir" -s clean
	local TIMEFORMAT='%R %U %S'
	{ time make -C "$kdir" -s -j"$jobs" $flag >/dev/null 2>"$kdir.err"; } 2>&1 |
		awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }'
}

declare -A wall=([plain]=0 [ksplice]=0) cpu=([plain]=0 [ksplice]=0)
for round in $(seq "$rounds"); do
	for variant in plain ksplice ksplice plain; do
		echo "bench: round $round: building $variant" >&2
		read -r w c < <(build "$variant")
		echo "bench: $variant: wall ${w}s, cpu ${c}s" >&2
		wall[$variant]=$(echo "${wall[$variant]} + $w" | bc)
		cpu[$variant]=$(echo "${cpu[$variant]} + $c" | bc)
	done
done
printf 'plain:     wall %.1fs cpu %.1fs (sum of %d builds)\n' "${wall[plain]}" "${cpu[plain]}" $((2 * rounds))
printf 'KSPLICE=1: wall %.1fs cpu %.1fs (sum of %d builds)\n' "${wall[ksplice]}" "${cpu[ksplice]}" $((2 * rounds))
printf 'overhead ratio (KSPLICE=1 / plain): cpu %.3f, wall %.3f\n' \
	"$(echo "${cpu[ksplice]} / ${cpu[plain]}" | bc -l)" \
	"$(echo "${wall[ksplice]} / ${wall[plain]}" | bc -l)"
