#!/bin/bash
# make bench: every figure of bench/ in one run, on one tree, so that the
# ratios are taken on the same machine at the same time. The tree is
# build/bench/linux-6.1, built from clean plain and then with KSPLICE=1
# by the plugin-overhead figure; the other figures use it as built.
# Each script writes bench/results/NAME.json; this one collects their
# tables into bench/results/summary.md and the README's performance
# section, and draws the plots (bench/plot.py).
#
# bench/run-all.sh [FIRST]: start at figure FIRST, keeping the tables of
# the figures before it from an earlier run (after one failed); FIRST
# "summary" reruns no figure, only the plots, summary and README.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/bench/lib.sh"
results=$home/bench/results
summary=$results/summary.md
export KSPLICE_BENCH_KDIR=$home/build/bench/linux-6.1
mkdir -p "$results" "$home/build/bench"
start=$(date +%s)
say() { echo "bench: [$(( ($(date +%s) - start) / 60 ))m] $*" >&2; }

tables=$home/build/bench/tables
first=${1:-}
[ -n "$first" ] || rm -rf "$tables"
mkdir -p "$tables"
# figure NAME SCRIPT [ARGS...]: run one figure, keep its table.
figure() {
	local name=$1
	shift
	if [ -n "$first" ] && [ "$name" != "$first" ]; then
		[ -s "$tables/$name.md" ] || { echo "bench: no table of $name from an earlier run" >&2; exit 1; }
		say "$name: kept from the earlier run"
		return
	fi
	first=
	say "$name"
	"$@" > "$tables/$name.md"
	cat "$tables/$name.md"
}

# Rounds chosen to fit about 40 minutes here; the scripts alone take more.
figure plugin-overhead env ROUNDS=1 bash "$home/bench/plugin-overhead.sh"
figure create-vs-make env ROUNDS=1 bash "$home/bench/create-vs-make.sh"
figure stop-time bash "$home/bench/stop-time.sh" 10
figure always-running bash "$home/bench/always-running.sh" 20
figure call-overhead bash "$home/bench/call-overhead.sh" 10
figure diff-speed env ROUNDS=3 bash "$home/bench/diff-speed.sh"
figure manifest bash "$home/bench/manifest.sh"
say "plots"
/usr/bin/python3 "$home/bench/plot.py" "$results" >&2

cpu=$(cpu_model)
{
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d): $cpu, $(nproc) cores,"
	echo "$(cat "$KSPLICE_BENCH_KDIR/include/config/kernel.release") with tests/config/tiny.config, VM figures under QEMU TCG."
	echo "Ratios are the figures to read; seconds depend on this shared machine."
	for name in create-vs-make plugin-overhead stop-time always-running call-overhead diff-speed; do
		echo
		echo "**$(head -1 "$tables/$name.md")**"
		echo
		tail -n +2 "$tables/$name.md" | sed '/^$/d'
		[ ! -f "$results/$name.png" ] || printf '\n![%s](bench/results/%s.png)\n' "$name" "$name"
	done
} > "$summary"

# The README shows the latest table, between its two markers.
readme=$home/README.md
if grep -q '^<!-- bench:start -->$' "$readme" && grep -q '^<!-- bench:end -->$' "$readme"; then
	awk -v f="$summary" '
		/^<!-- bench:end -->$/ { while ((getline l < f) > 0) print l; skip = 0 }
		!skip { print }
		/^<!-- bench:start -->$/ { skip = 1 }' "$readme" > "$readme.tmp"
	mv "$readme.tmp" "$readme"
fi
say "done: $summary, README.md"
