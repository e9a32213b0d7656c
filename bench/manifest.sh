#!/bin/bash
# bench/manifest.sh [PATCH]: what the manifest saves and what making a
# fix from a source tree costs (docs/manifest.md), in one run on the
# test kernel (or KSPLICE_BENCH_KDIR):
#   - the manifest's size against the built tree's (du), and the time
#     to write it;
#   - create --manifest in a source tree never built (Debian's tarball,
#     unpacked, not timed), first fix: it prepares the tree; then the
#     same fix again, prepared;
#   - create in the built tree, and how much of it is not compiling the
#     touched objects (its report's rebuild time);
#   - the floor: an incremental make of the same fix in the built tree
#     (apply, make, revert, make; the median of the two makes).
# Ratios are what to read. Writes bench/results/manifest.json and prints
# a Markdown table.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/bench/lib.sh"
[ -z "${KSPLICE_BENCH_KDIR:-}" ] || export KSPLICE_TEST_KDIR=$KSPLICE_BENCH_KDIR
source "$home/tests/lib/kernel.sh"
results=$home/bench/results/manifest.json
fix=${1:-$home/tests/patches/uname.patch}
ksplice=$home/build/bin/ksplice
[ -n "${KSPLICE_BENCH_KDIR:-}" ] || make -s -C "$home" test-kernel >&2
out=$(mktemp -d "$home/build/bench-manifest.XXXXXX")
trap 'rm -rf "$out"' EXIT

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

t0=$(now)
"$ksplice" manifest write --kdir "$kdir" -o "$out/vmlinux.ksplice" >/dev/null
t1=$(now)
write_s=$(secs "$t0" "$t1")
manifest_bytes=$(stat -c %s "$out/vmlinux.ksplice")
tree_bytes=$(du -sb --exclude=vmlinux.ksplice "$kdir" | cut -f1)

mkdir -p "$out/src"
tar -xf "$test_kernel_tarball" -C "$out/src" --strip-components=1
sign=(--sign-key "$kdir/certs/signing_key.pem" --sign-cert "$kdir/certs/signing_key.x509")
source_create() {
	"$ksplice" create --manifest "$out/vmlinux.ksplice" --kdir "$out/src" --patch "$fix" \
		-o "$out" --id bench "${sign[@]}" --json > "$out/source.json" 2>"$out/source.err" ||
		{ tail -5 "$out/source.err" >&2; exit 1; }
}
t0=$(now); source_create; t1=$(now)
first_s=$(secs "$t0" "$t1")
t0=$(now); source_create; t1=$(now)
again_s=$(secs "$t0" "$t1")

# The core's build is cached per tree, as for every fix after a tree's first.
"$ksplice" create --patch "$fix" --kdir "$kdir" --dry-run >/dev/null 2>&1
t0=$(now)
"$ksplice" create --patch "$fix" --kdir "$kdir" -o "$out" --id bench --json >"$out/built.json" 2>"$out/built.err" ||
	{ tail -5 "$out/built.err" >&2; exit 1; }
t1=$(now)
built_s=$(secs "$t0" "$t1")
rebuild_s=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["timings_ms"]["rebuild"] / 1000)' "$out/built.json")
overhead_s=$(echo "$built_s - $rebuild_s" | bc)

make -s -C "$kdir" KSPLICE=1 >/dev/null 2>&1
patch -s -d "$kdir" -p1 < "$fix"
t0=$(now); make -s -C "$kdir" KSPLICE=1 >/dev/null 2>&1; t1=$(now)
patch -s -R -d "$kdir" -p1 < "$fix"
t2=$(now); make -s -C "$kdir" KSPLICE=1 >/dev/null 2>&1; t3=$(now)
floor_s=$(echo "($(secs "$t0" "$t1") + $(secs "$t2" "$t3")) / 2" | bc -l)

name=$(basename "$fix" .patch)
ratio() { echo "$1 / $2" | bc -l; }
echo "Manifest: the pre build in one file, and a fix made from a source tree with it ($name, $(cat "$kdir/include/config/kernel.release")):"
echo
printf '| | size or time | ratio |\n| --- | --- | --- |\n'
printf '| built tree | %.1f MB | 1 |\n' "$(ratio "$tree_bytes" 1000000)"
printf '| manifest (written in %.1f s) | %.1f MB | %.4f |\n' "$write_s" "$(ratio "$manifest_bytes" 1000000)" \
	"$(ratio "$manifest_bytes" "$tree_bytes")"
printf '| incremental make of the fix, built tree | %.1f s | 1 |\n' "$floor_s"
printf '| create, source tree, first fix (prepares it) | %.1f s | %.2f |\n' "$first_s" "$(ratio "$first_s" "$floor_s")"
printf '| create, source tree, prepared | %.1f s | %.2f |\n' "$again_s" "$(ratio "$again_s" "$floor_s")"
printf '| create, built tree | %.1f s | %.2f |\n' "$built_s" "$(ratio "$built_s" "$floor_s")"
printf '| ... of which compiling the touched objects | %.1f s | |\n' "$rebuild_s"
printf '| ... the rest (selection, patchgen, module link, signing) | %.1f s | |\n' "$overhead_s"

mkdir -p "$(dirname "$results")"
{
	printf '{\n  "date": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf '  "machine": {"cpu": "%s", "cores": %d},\n' "$(cpu_model)" "$(nproc)"
	printf '  "kernel": "%s", "fix": "%s",\n' "$(cat "$kdir/include/config/kernel.release")" "$name"
	printf '  "tree_bytes": %d, "manifest_bytes": %d, "manifest_write_s": %.2f,\n' \
		"$tree_bytes" "$manifest_bytes" "$write_s"
	printf '  "make_floor_s": %.2f, "source_first_s": %.2f, "source_again_s": %.2f,\n' \
		"$floor_s" "$first_s" "$again_s"
	printf '  "built_s": %.2f, "built_rebuild_s": %.2f, "built_overhead_s": %.2f\n}\n' \
		"$built_s" "$rebuild_s" "$overhead_s"
} > "$results"
