#!/bin/bash
# bench/create-vs-make.sh [PATCH...]: how much `ksplice create` costs next
# to the floor, a plain incremental `make KSPLICE=1` of the same change in
# the same tree (DESIGN.md: kpatch-build's steady state was about 2-3x
# that floor, its first run about 20x). Both are timed in the same run,
# in turns, on the test kernel; the ratio of the medians is what to read,
# not the seconds (this machine is shared and noisy). The floor applies
# the fix and builds, then reverts it and builds again, so every round
# starts from the same tree; both builds recompile the same files and
# relink, so both are floor samples; the core that create links against is
# built once beforehand, as it is for every fix after a tree's first.
# Writes bench/results/create-vs-make.json and prints a Markdown table.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/bench/lib.sh"
# make bench passes its own tree (bench/plugin-overhead.sh builds it).
[ -z "${KSPLICE_BENCH_KDIR:-}" ] || export KSPLICE_TEST_KDIR=$KSPLICE_BENCH_KDIR
source "$home/tests/lib/kernel.sh"
rounds=${ROUNDS:-3}
results=$home/bench/results/create-vs-make.json
[ -n "${KSPLICE_BENCH_KDIR:-}" ] || make -s -C "$home" test-kernel >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# By default: one function, an inline function of a header (its callers
# in several files are replaced), and one function in each of 20 files.
if [ $# -eq 0 ]; then
	mkdir -p "$out/fixes"
	bash "$home/bench/fix-n-files.sh" "$kdir" 20 > "$out/fixes/20-files.patch"
	set -- "$home/tests/patches/uname.patch" "$home/tests/patches/header-inline.patch" \
		"$out/fixes/20-files.patch"
fi

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Untimed: the core's cached build, and a tree that needs no work.
"$home/build/bin/ksplice" create --patch "$1" --kdir "$kdir" --dry-run >/dev/null 2>&1
make -s -C "$kdir" KSPLICE=1 >/dev/null

rows=()
echo "Create time: ksplice create next to an incremental make of the same change, in the same tree ($rounds round(s); each gives one create and two makes, with and without the fix; medians):"
echo
printf '| fix | files | functions | create (median) | incremental make (median) | ratio |\n| --- | --- | --- | --- | --- | --- |\n'
for p in "$@"; do
	name=$(basename "$p" .patch)
	: > "$out/create.times"
	: > "$out/make.times"
	for _ in $(seq "$rounds"); do
		t0=$(now)
		"$home/build/bin/ksplice" create --patch "$p" --kdir "$kdir" -o "$out" --json >"$out/report.json" 2>"$out/create.err" ||
			{ echo "create of $name failed:" >&2; tail -5 "$out/create.err" "$out/report.json" >&2; exit 1; }
		t1=$(now)
		patch -s -d "$kdir" -p1 < "$p"
		t2=$(now)
		make -s -C "$kdir" KSPLICE=1 >/dev/null 2>&1
		t3=$(now)
		patch -s -R -d "$kdir" -p1 < "$p"
		t4=$(now)
		make -s -C "$kdir" KSPLICE=1 >/dev/null 2>&1
		t5=$(now)
		echo "$t1 - $t0" | bc >> "$out/create.times"
		echo "$t3 - $t2" | bc >> "$out/make.times"
		echo "$t5 - $t4" | bc >> "$out/make.times"
	done
	create=$(median < "$out/create.times")
	floor=$(median < "$out/make.times")
	ratio=$(echo "$create / $floor" | bc -l)
	functions=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["functions"]))' "$out/report.json")
	files=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["files"]))' "$out/report.json")
	printf '| %s | %d | %d | %.1f s | %.1f s | %.2f |\n' "$name" "$files" "$functions" "$create" "$floor" "$ratio"
	rows+=("$(printf '{"fix": "%s", "files": %d, "functions": %d, "create_s": [%s], "make_s": [%s], "create_median_s": %.2f, "make_median_s": %.2f, "ratio": %.3f}' \
		"$name" "$files" "$functions" "$(paste -sd, "$out/create.times")" "$(paste -sd, "$out/make.times")" \
		"$create" "$floor" "$ratio")")
done

mkdir -p "$(dirname "$results")"
{
	printf '{\n  "date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf '  "machine": {"cpu": "%s", "cores": %d},\n' \
		"$(cpu_model)" "$(nproc)"
	printf '  "kernel": "%s (tests/config/tiny.config)",\n' "$(cat "$kdir/include/config/kernel.release")"
	printf '  "rounds": %d,\n  "fixes": [\n    %s\n  ]\n}\n' "$rounds" "$(IFS=,; echo "${rows[*]}" | sed 's/},{/},\n    {/g')"
} > "$results"
echo "wrote ${results#$home/}" >&2
