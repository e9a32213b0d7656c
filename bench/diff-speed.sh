#!/bin/bash
# bench/diff-speed.sh [UNITSxFUNCTIONS ...]: patchgen's comparison at the
# size of a distro kernel, 60,000 functions, cut three ways (default:
# 240x250 60x1000 15x4000): the same total in units of 250, 1,000 and
# 4,000 functions, so that the rows show whether the work grows with the
# functions alone (linear) or with the square of a unit's size. A fix
# that touches every object (a header everything includes) is patchgen's
# worst case. The units are synthesised (bench/synth-units.py) and
# compiled with the plugin, pre as the booted kernel's objects, post as
# create rebuilds them (-ffunction-sections -fdata-sections) with one
# function changed; patchgen reads all pairs, compares every function and
# writes the patch (the changed function and its inliners). Wall time
# (median of ROUNDS, 3) and peak memory per point; writes
# bench/results/diff-speed.json and prints a Markdown table.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/bench/lib.sh"
points=("$@")
[ ${#points[@]} -gt 0 ] || points=(240x250 60x1000 15x4000)
rounds=${ROUNDS:-3}
plugin=$home/build/gcc-plugin/ksplice_plugin.so
work=$home/build/bench/diff-speed
out=$home/bench/results/diff-speed.json
flags="-O2 -c -mcmodel=kernel -fno-pic -mno-red-zone -fno-asynchronous-unwind-tables -fplugin=$plugin"
cpu=$(cpu_model)
mkdir -p "$(dirname "$out")"
make -s -C "$home" all >&2

# compile_units DIR [FLAGS...]: every unit_*.c of DIR to its .o
compile_units() {
	local dir=$1
	shift
	printf '%s\n' "$dir"/unit_*.c | xargs -P "$(nproc)" -I{} sh -c 'gcc "$@" -o "${0%.c}.o" "$0"' {} \
		$flags "$@"
}

# One patchgen run over the point in $dir: "WALL_MS MAXRSS_KB", its output in $dir/run.
run_once() {
	rm -rf "$dir/run"
	python3 - "$dir/run" "$home/build/bin/ksplice-patchgen" --id diff --release bench \
		--out "$dir/run" --system-map "$dir/System.map" "${args[@]}" <<'PY'
import os, resource, subprocess, sys, time
os.makedirs(sys.argv[1])
with open(os.path.join(sys.argv[1], "out"), "w") as log:
    start = time.monotonic()
    rc = subprocess.run(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT).returncode
    ms = (time.monotonic() - start) * 1000
if rc != 0:
    sys.exit(f"patchgen exited {rc}: see {sys.argv[1]}/out")
print(f"{ms:.0f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
}

# measure: ROUNDS runs of the point in $dir; walls (ms), their median
# and rss, the peak (KB).
measure() {
	walls=()
	rss=0
	for _ in $(seq "$rounds"); do
		read -r ms kb < <(run_once)
		walls+=("$ms")
		[ "$kb" -le "$rss" ] || rss=$kb
	done
	median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
}

# add_row LABEL FUNCTIONS: the table's row for what measure found.
add_row() {
	rows+=("| $1 | $2 | $median ms | $(awk -v m="$median" -v n="$2" 'BEGIN { printf "%.1f", m * 1000 / n }') us | $((rss / 1024)) MiB |")
}

rows=()
json_rows=()
for point in "${points[@]}"; do
	units=${point%x*}
	functions=${point#*x}
	dir=$work/$point
	rm -rf "$dir"
	mkdir -p "$dir/pre" "$dir/post"
	python3 "$home/bench/synth-units.py" "$dir/pre" "$units" "$functions"
	python3 "$home/bench/synth-units.py" "$dir/post" "$units" "$functions" --changed
	echo "diff-speed: compiling $((2 * units)) units of $functions functions" >&2
	compile_units "$dir/pre"
	compile_units "$dir/post" -ffunction-sections -fdata-sections
	nm "$dir"/pre/*.o | awk '$2 ~ /^[TtDdBbRr]$/ { print "0000000000000000", $2, $3 }' > "$dir/System.map"
	args=()
	for o in "$dir"/pre/unit_*.o; do
		u=$(basename "$o")
		args+=("$u" "$o" "$dir/post/$u")
	done
	measure
	replaced=$(grep -c '^replace ' "$dir/run/out" || true)
	[ "$replaced" -ge 1 ] || { echo "diff-speed: patchgen replaced nothing" >&2; exit 1; }
	total=$((units * functions))
	add_row "$units x $functions" "$total"
	json_rows+=("{\"units\": $units, \"functions_per_unit\": $functions, \"functions\": $total, \"replaced\": $replaced, \"wall_ms\": {\"median\": $median, \"all\": [$(IFS=,; echo "${walls[*]}")]}, \"peak_rss_kb\": $rss}")
done

# One real object with every special section a distro kernel has:
# kernel/sched/core.o of the distro-6.1 test kernel (built if it is not
# cached), one function changed by a nop (bench/fix-n-functions.py), the
# pre/post pair as create leaves it. Its ORC tables: with IBT, 6.1's
# objtool writes them into vmlinux.o, not into each object, so the
# tree's own objtool adds them to both, as kbuild does for each object
# of a kernel without IBT (Debian's 6.1); the row counts the object's
# .orc_unwind sections.
real=${KSPLICE_BENCH_REAL_OBJECT:-kernel/sched/core.o}
if [ "$real" != none ]; then
	real_kdir=$(KSPLICE_TEST_KERNEL=distro-6.1 bash -c 'home=$1; source "$home/tests/lib/kernel.sh"; echo "$kdir"' _ "$home")
	KSPLICE_TEST_KERNEL=distro-6.1 make -s -C "$home" test-kernel >&2
	dir=$work/real
	rm -rf "$dir"
	mkdir -p "$dir"
	python3 "$home/bench/fix-n-functions.py" "$real_kdir" "${real%.o}.c" 1 > "$dir/fix.patch"
	"$home/build/bin/ksplice" create --patch "$dir/fix.patch" --kdir "$real_kdir" --dry-run --keep-work \
		>/dev/null 2>"$dir/create.err"
	kept=$(sed -n 's/^ksplice create: work files kept in //p' "$dir/create.err" | tail -1)
	[ -f "$kept/post/$real" ] || { echo "diff-speed: create kept no $real:" >&2; tail -5 "$dir/create.err" >&2; exit 1; }
	cp "$kept/pre/$real" "$dir/pre.o"
	cp "$kept/post/$real" "$dir/post.o"
	rm -rf "$kept"
	objtool=$real_kdir/tools/objtool/objtool
	if ! readelf -SW "$dir/pre.o" | grep -q '\.orc_unwind' && [ -x "$objtool" ]; then
		for o in pre post; do
			"$objtool" --hacks=jump_label --hacks=noinstr --orc --retpoline --rethunk \
				--sls --static-call --uaccess "$dir/$o.o" >&2
		done
	fi
	cp "$real_kdir/System.map" "$dir/System.map"
	args=(--symvers "$real_kdir/Module.symvers" "$real" "$dir/pre.o" "$dir/post.o")
	measure
	replaced=$(grep -c '^replace ' "$dir/run/out" || true)
	total=$("$home/build/bin/ksplice" fingerprints --json "$dir/pre.o" |
		python3 -c 'import json, sys; print(len(json.load(sys.stdin)["functions"]))')
	orc=$(readelf -SW "$dir/pre.o" | grep -c '\.orc_unwind' || true)
	add_row "1 real: $real (distro-6.1, $orc .orc_unwind sections)" "$total"
	json_rows+=("{\"real\": \"$real\", \"functions\": $total, \"replaced\": $replaced, \"orc_sections\": $orc, \"wall_ms\": {\"median\": $median, \"all\": [$(IFS=,; echo "${walls[*]}")]}, \"peak_rss_kb\": $rss}")
fi

{
	echo "{"
	echo "  \"machine\": {\"cpu\": \"$cpu\", \"cores\": $(nproc)},"
	echo "  \"rounds\": $rounds,"
	echo "  \"points\": ["
	for i in "${!json_rows[@]}"; do
		sep=,
		[ "$i" -lt $((${#json_rows[@]} - 1)) ] || sep=
		echo "    ${json_rows[$i]}$sep"
	done
	echo "  ]"
	echo "}"
} > "$out"
cat <<EOT
Diff speed: patchgen on synthetic pre/post object pairs, one function changed (replaced with its inliners; median of $rounds; $cpu):

| units x functions | functions compared | wall (median) | per function | peak memory |
| --- | --- | --- | --- | --- |
$(printf '%s\n' "${rows[@]}")
EOT
