#!/bin/bash
# make demo: the main job end to end, on the bundled 6.1 test kernel.
# A one-line fix to the uname syscall is turned into a patch module,
# then applied to the running kernel in QEMU and taken back out.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/tests/lib/kernel.sh"
work=$home/build/demo
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1/4 the kernel we will patch: Linux 6.1, built with make KSPLICE=1"
make -s -C "$home" test-kernel

step "2/4 the fix (tests/patches/uname.patch)"
cat "$home/tests/patches/uname.patch"

step "3/4 ksplice create: rebuild only what the fix touches, pick the changed functions"
rm -rf "$work"
mkdir -p "$work"
"$home/build/bin/ksplice" create --patch "$home/tests/patches/uname.patch" \
	--kdir "$kdir" --id uname-fix -o "$work"

step "4/4 in the running kernel (QEMU, 2 CPUs): before, apply, after, undo"
"$home/tests/vm/run" --modules "$work" -- '
echo "\$ uname -m                       # before"
uname -m
echo "\$ ksplice apply ksplice-uname-fix.ko"
ksplice apply /ksplice/modules/ksplice-uname-fix.ko
echo "\$ ksplice list"
ksplice list
echo "\$ uname -m                       # after: the new code runs, no reboot"
uname -m
echo "\$ ksplice undo uname-fix"
ksplice undo uname-fix
echo "\$ uname -m                       # after undo: the original code again"
uname -m
'
