#!/bin/bash
# bench/plugin-overhead.sh: what `make KSPLICE=1` costs over a plain
# build of the whole test kernel.
#
# A separate copy of the 6.1 source (build/bench/linux-6.1), configured
# like the test kernel, is built from clean, plain then KSPLICE=1, ROUNDS
# times (1), so that both builds see the same machine in the same run,
# and is left built with KSPLICE=1: make bench runs its other figures on
# it. Reported: CPU time (user+sys of every compiler and tool make ran)
# and wall time, and their ratios, KSPLICE=1 over plain. CPU time is the
# number to read; wall time shows the noise. Writes
# bench/results/plugin-overhead.json.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/bench/lib.sh"
kdir=$home/build/bench/linux-6.1
rounds=${ROUNDS:-1}
jobs=${JOBS:-$(nproc)}
results=$home/bench/results/plugin-overhead.json

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

declare -A wall=([plain]=0 [ksplice]=0) cpu=([plain]=0 [ksplice]=0) each=([plain]="" [ksplice]="")
for round in $(seq "$rounds"); do
	for variant in plain ksplice; do
		echo "bench: round $round: building $variant from clean" >&2
		read -r w c < <(build "$variant")
		echo "bench: $variant: wall ${w}s, cpu ${c}s" >&2
		wall[$variant]=$(echo "${wall[$variant]} + $w" | bc)
		cpu[$variant]=$(echo "${cpu[$variant]} + $c" | bc)
		each[$variant]+="${each[$variant]:+, }{\"wall_s\": $w, \"cpu_s\": $c}"
	done
done
cpu_ratio=$(echo "${cpu[ksplice]} / ${cpu[plain]}" | bc -l)
wall_ratio=$(echo "${wall[ksplice]} / ${wall[plain]}" | bc -l)
mkdir -p "$(dirname "$results")"
cat > "$results" <<EOT
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine": {"cpu": "$(cpu_model)", "cores": $(nproc)},
  "kernel": "$(cat "$kdir/include/config/kernel.release") (tests/config/tiny.config)",
  "jobs": $jobs,
  "plain": [${each[plain]}],
  "ksplice": [${each[ksplice]}],
  "cpu_ratio": $(printf '%.3f' "$cpu_ratio"),
  "wall_ratio": $(printf '%.3f' "$wall_ratio")
}
EOT
cat <<EOT
Plugin overhead: the test kernel built from clean, plain then KSPLICE=1 ($rounds round(s), -j$jobs):

| build | CPU (user+sys) | wall |
| --- | --- | --- |
| plain | $(printf '%.1f' "${cpu[plain]}") s | $(printf '%.1f' "${wall[plain]}") s |
| KSPLICE=1 | $(printf '%.1f' "${cpu[ksplice]}") s | $(printf '%.1f' "${wall[ksplice]}") s |
| ratio | $(printf '%.3f' "$cpu_ratio") | $(printf '%.3f' "$wall_ratio") |
EOT
