#!/bin/bash
# bench/create-vs-make.sh [PATCH...]: how much `ksplice create` costs next
# to the floor, a plain incremental `make KSPLICE=1` of the same change in
# the same tree (DESIGN.md: kpatch-build's steady state was about 2-3x
# that floor, its first run about 20x). Both are timed in the same run,
# in turns, on the test kernel; the ratio of the medians is what to read,
# not the seconds (this machine is shared and noisy). The floor applies
# the fix, builds, then reverts it and builds again (untimed), so every
# round starts from the same tree; the core that create links against is
# built once beforehand, as it is for every fix after a tree's first.
# Writes bench/results/create-vs-make.json and prints a Markdown table.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
kdir=$home/build/linux-6.1
rounds=${ROUNDS:-3}
results=$home/bench/results/create-vs-make.json
[ $# -gt 0 ] || set -- "$home/tests/patches/uname.patch" "$home/tests/patches/loadavg-global.patch"
make -s -C "$home" test-kernel >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Untimed: the core's cached build, and a tree that needs no work.
"$home/build/bin/ksplice" create --patch "$1" --kdir "$kdir" --dry-run >/dev/null 2>&1
make -s -C "$kdir" KSPLICE=1 >/dev/null

rows=()
printf '| fix | functions | create (median) | incremental make (median) | ratio |\n| --- | --- | --- | --- | --- |\n'
for p in "$@"; do
	name=$(basename "$p" .patch)
	: > "$out/create.times"
	: > "$out/make.times"
	for _ in $(seq "$rounds"); do
		t0=$(now)
		"$home/build/bin/ksplice" create --patch "$p" --kdir "$kdir" -o "$out" --json >"$out/report.json" 2>/dev/null
		t1=$(now)
		patch -s -d "$kdir" -p1 < "$p"
		t2=$(now)
		make -s -C "$kdir" KSPLICE=1 >/dev/null 2>&1
		t3=$(now)
		patch -s -R -d "$kdir" -p1 < "$p"
		make -s -C "$kdir" KSPLICE=1 >/dev/null 2>&1
		echo "$t1 - $t0" | bc >> "$out/create.times"
		echo "$t3 - $t2" | bc >> "$out/make.times"
	done
	create=$(median < "$out/create.times")
	floor=$(median < "$out/make.times")
	ratio=$(echo "$create / $floor" | bc -l)
	functions=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["functions"]))' "$out/report.json")
	printf '| %s | %d | %.1f s | %.1f s | %.2f |\n' "$name" "$functions" "$create" "$floor" "$ratio"
	rows+=("$(printf '{"fix": "%s", "functions": %d, "create_s": [%s], "make_s": [%s], "create_median_s": %.2f, "make_median_s": %.2f, "ratio": %.3f}' \
		"$name" "$functions" "$(paste -sd, "$out/create.times")" "$(paste -sd, "$out/make.times")" \
		"$create" "$floor" "$ratio")")
done

mkdir -p "$(dirname "$results")"
{
	printf '{\n  "date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf '  "machine": {"cpu": "%s", "cores": %d},\n' \
		"$(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)" "$(nproc)"
	printf '  "kernel": "%s (tests/config/tiny-6.1.config)",\n' "$(cat "$kdir/include/config/kernel.release")"
	printf '  "rounds": %d,\n  "fixes": [\n    %s\n  ]\n}\n' "$rounds" "$(IFS=,; echo "${rows[*]}" | sed 's/},{/},\n    {/g')"
} > "$results"
echo "wrote ${results#$home/}" >&2
