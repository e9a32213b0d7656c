#!/bin/bash
# bench/create-vs-make.sh [PATCH...]: how much `ksplice create` costs next
# to the floor, a plain incremental `make KSPLICE=1` after touching the
# same files (DESIGN.md: kpatch-build's steady state was about 2-3x that
# floor, its first run about 20x). Both are timed in the same run, in
# turns, on the test kernel; the ratio is what to read, not the seconds
# (this machine is shared and noisy).
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
kdir=$home/build/linux-6.1
rounds=${ROUNDS:-3}
[ $# -gt 0 ] || set -- "$home/tests/patches/uname.patch" "$home/tests/patches/proc-version.patch"
make -s -C "$home" test-kernel >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

now() { date +%s.%N; }
for p in "$@"; do
	files=$(sed -n 's/^+++ b\/\([^\t ]*\).*/\1/p' "$p")
	create=0
	floor=0
	for _ in $(seq "$rounds"); do
		t0=$(now)
		"$home/build/bin/ksplice" create --patch "$p" --kdir "$kdir" -o "$out" >/dev/null 2>&1
		t1=$(now)
		# The floor: the same files touched, one incremental build, and
		# the tree put back the same way (timestamps only, untimed).
		for f in $files; do cp -p "$kdir/$f" "$out/$(basename "$f").keep"; touch "$kdir/$f"; done
		t2=$(now)
		make -s -C "$kdir" KSPLICE=1 >/dev/null 2>&1
		t3=$(now)
		for f in $files; do cp -p "$out/$(basename "$f").keep" "$kdir/$f"; done
		make -s -C "$kdir" KSPLICE=1 >/dev/null 2>&1
		create=$(echo "$create + $t1 - $t0" | bc)
		floor=$(echo "$floor + $t3 - $t2" | bc)
	done
	printf '%s: create %.1fs, incremental make %.1fs, ratio %.2f (mean of %d)\n' \
		"$(basename "$p")" "$(echo "$create / $rounds" | bc -l)" \
		"$(echo "$floor / $rounds" | bc -l)" "$(echo "$create / $floor" | bc -l)" "$rounds"
done
