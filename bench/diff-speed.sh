#!/bin/bash
# bench/diff-speed.sh [UNITS] [FUNCTIONS]: patchgen's comparison at the
# size of a distro kernel (60 units of 1000 functions: 60,000, default).
# ksplice keeps no whole-tree manifest: patchgen compares the fingerprint
# tables of the objects a fix touches, so its worst case is a fix that
# touches every object (a header everything includes). The units are
# synthesised (bench/synth-units.py) and compiled with the plugin, pre
# as the booted kernel's objects, post as create rebuilds them
# (-ffunction-sections -fdata-sections) with one function changed;
# patchgen reads all pairs, compares every function and writes the
# patch (the changed function and its inliners). Wall time (median of
# ROUNDS, 3) and peak memory; writes bench/results/diff-speed.json and
# prints a Markdown table.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/bench/lib.sh"
units=${1:-60}
functions=${2:-1000}
rounds=${ROUNDS:-3}
plugin=$home/build/gcc-plugin/ksplice_plugin.so
work=$home/build/bench/diff-speed
out=$home/bench/results/diff-speed.json
rm -rf "$work"
mkdir -p "$work/pre" "$work/post" "$(dirname "$out")"

make -s -C "$home" all >&2
python3 "$home/bench/synth-units.py" "$work/pre" "$units" "$functions"
python3 "$home/bench/synth-units.py" "$work/post" "$units" "$functions" --changed
flags="-O2 -c -mcmodel=kernel -fno-pic -mno-red-zone -fno-asynchronous-unwind-tables -fplugin=$plugin"
echo "diff-speed: compiling $((2 * units)) units of $functions functions" >&2
# compile_units DIR [FLAGS...]: every unit_*.c of DIR to its .o
compile_units() {
	local dir=$1
	shift
	printf '%s\n' "$dir"/unit_*.c | xargs -P "$(nproc)" -I{} sh -c 'gcc "$@" -o "${0%.c}.o" "$0"' {} \
		$flags "$@"
}
compile_units "$work/pre"
compile_units "$work/post" -ffunction-sections -fdata-sections
nm "$work"/pre/*.o | awk '$2 ~ /^[TtDdBbRr]$/ { print "0000000000000000", $2, $3 }' > "$work/System.map"
total=$(cat "$work"/pre/*.o | wc -c)
args=()
for o in "$work"/pre/unit_*.o; do
	u=$(basename "$o")
	args+=("$u" "$o" "$work/post/$u")
done

# One patchgen run: "WALL_MS MAXRSS_KB", its output kept in $work/run.
run_once() {
	rm -rf "$work/run"
	python3 - "$work/run" "$home/build/bin/ksplice-patchgen" --id diff --release bench \
		--out "$work/run" --system-map "$work/System.map" "${args[@]}" <<'PY'
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
walls=()
rss=0
for _ in $(seq "$rounds"); do
	read -r ms kb < <(run_once)
	walls+=("$ms")
	[ "$kb" -le "$rss" ] || rss=$kb
done
replaced=$(grep -c '^replace ' "$work/run/out" || true)
[ "$replaced" -ge 1 ] || { echo "diff-speed: patchgen replaced nothing" >&2; exit 1; }
compared=$(cat "$work"/pre/*.o | strings | grep -c '^fn ' || true)
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
cpu=$(cpu_model)

cat > "$out" <<EOT
{
  "machine": {"cpu": "$cpu", "cores": $(nproc)},
  "units": $units,
  "functions": $((units * functions)),
  "fingerprint_records": $compared,
  "pre_objects_bytes": $total,
  "replaced": $replaced,
  "rounds": $rounds,
  "wall_ms": {"median": $median, "all": [$(IFS=,; echo "${walls[*]}")]},
  "peak_rss_kb": $rss
}
EOT
cat <<EOT
Diff speed: patchgen on $units pre/post object pairs, $((units * functions)) functions, one changed ($replaced replaced, with its inliners; median of $rounds; $cpu):

| functions compared | wall (median) | peak memory |
| --- | --- | --- |
| $((units * functions)) | $median ms | $((rss / 1024)) MiB |
EOT
