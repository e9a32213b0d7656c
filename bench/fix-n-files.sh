#!/bin/bash
# bench/fix-n-files.sh KDIR N: print one fix that adds a nop to one
# function in each of N C files of the built tree KDIR (files of
# fs/proc, then fs, then kernel, in name order, whose objects are built),
# for benchmarks that need a fix spread over many files.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
kdir=${1:?usage: fix-n-files.sh KDIR N}
want=${2:?usage: fix-n-files.sh KDIR N}
found=0
echo "Subject: bench: a nop in one function of each of $want files"
echo
for src in $(cd "$kdir" && for dir in fs/proc fs kernel; do ls "$dir"/*.c; done); do
	[ -f "$kdir/${src%.c}.o" ] || continue
	fix=$(python3 "$home/bench/fix-n-functions.py" "$kdir" "$src" 1 2>/dev/null) || continue
	sed -n '/^--- /,$p' <<< "$fix"
	found=$((found + 1))
	[ "$found" -lt "$want" ] || exit 0
done
echo "fix-n-files.sh: only $found files found, $want wanted" >&2
exit 1
