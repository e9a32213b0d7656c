# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the ksplice core, run inside the test VM (busybox sh): pass
# this file's text as the COMMANDS of tests/vm/run --modules DIR, with DIR
# from kmod/tests/build.sh (see docs/core.md).  The core comes from
# /usr/lib/ksplice/ksplice.ko, the test patches from /ksplice/modules.
# Prints what it sees; exits nonzero on the first unexpected result.

M=/ksplice/modules
D=/sys/kernel/ksplice
CORE=/usr/lib/ksplice/ksplice.ko
failed=0

fail() {
	echo "FAIL: $*"
	failed=1
}

# expect WANT CMD...: runs CMD, checks its exit status is WANT (0 or 1).
expect() {
	want=$1
	shift
	if "$@"; then got=0; else got=1; fi
	[ "$got" = "$want" ] || fail "$* exited $got, wanted $want"
}

stage() {
	echo "$2" > "$D/$1/stage"
}

show() {
	for f in stage abort_cause tries stop_ns; do
		echo "  $f: $(cat "$D/$1/$f")"
	done
}

echo "== CPUs online: $(cat /sys/devices/system/cpu/online)"
[ "$(cat /sys/devices/system/cpu/online)" = 0-1 ] || fail "want 2 CPUs"

echo "== core: load refusals, then load"
addr=$(grep ' kallsyms_lookup_name$' /proc/kallsyms | cut -d' ' -f1)
wrong=$(grep ' kallsyms_on_each_symbol$' /proc/kallsyms | cut -d' ' -f1)
expect 1 insmod $CORE
expect 1 insmod $CORE kallsyms_lookup_name_addr=0x$wrong
dmesg | grep 'ksplice:' | tail -2
expect 0 insmod $CORE kallsyms_lookup_name_addr=0x$addr
ls $D

echo "== refusals at registration"
expect 1 insmod $M/ksplice_test_bad.ko mode=release
expect 1 insmod $M/ksplice_test_bad.ko mode=build_id
dmesg | grep -q 'built for kernel build 0123456789abcdef0123456789abcdef01234567, running [0-9a-f]\{40\}' ||
	fail "no message naming both build ids"
expect 1 insmod $M/ksplice_test_bad.ko mode=abi
dmesg | grep 'ksplice:' | tail -2

echo "== refusals at apply"
before=$(cat /proc/version)
# mode:kind, each refusal checked by the kind the core names.
for pair in not_found:not_found mismatch:code_mismatch ambiguous:ambiguous \
	too_short:too_short reloc_missing:not_found reloc_range:reloc_range; do
	mode=${pair%%:*}
	kind=${pair#*:}
	expect 0 insmod $M/ksplice_test_bad.ko mode=$mode
	expect 1 stage test-bad apply
	echo "$mode: $(cat $D/test-bad/abort_cause) [stage $(cat $D/test-bad/stage), tries $(cat $D/test-bad/tries)]"
	[ "$(cat $D/test-bad/abort_kind)" = "$kind" ] ||
		fail "$mode: abort_kind $(cat $D/test-bad/abort_kind), wanted $kind"
	case "$(cat $D/test-bad/abort_cause)" in
	"$kind: "*) ;;
	*) fail "$mode: abort_cause does not start with $kind: " ;;
	esac
	[ "$(cat $D/test-bad/stage)" = loaded ] || fail "$mode: stage changed"
	expect 0 rmmod ksplice_test_bad
done
[ "$(cat /proc/version)" = "$before" ] || fail "/proc/version changed"

if [ "$(uname -m)" = aarch64 ]; then
	# Every arm64 function has room for the B: no traps, and an entry
	# shorter than it is refused.
	echo "== no traps on arm64: version_proc_show seen as 3 bytes long"
	expect 0 insmod $M/ksplice_test_bad.ko mode=trap
	expect 1 stage test-bad apply
	[ "$(cat $D/test-bad/abort_kind)" = too_short ] ||
		fail "trap on arm64: abort_kind $(cat $D/test-bad/abort_kind), wanted too_short"
	[ "$(cat /proc/version)" = "$before" ] || fail "trap on arm64: /proc/version changed"
	expect 0 rmmod ksplice_test_bad
else
	echo "== a trap entry: version_proc_show seen as 3 bytes long"
	expect 0 insmod $M/ksplice_test_bad.ko mode=trap
	expect 0 stage test-bad apply
	[ -z "$(cat /proc/version)" ] || fail "trap: the old version_proc_show still runs"
	[ "$(cat $D/test-bad/traps)" = "version_proc_show nowhere.o" ] ||
		fail "trap: traps says '$(cat $D/test-bad/traps)'"
	(while :; do cat /proc/version > /dev/null; done) &
	r1=$!
	i=0
	while [ $i -lt 20 ]; do
		stage test-bad undo || { fail "trap undo $i: $(cat $D/test-bad/abort_cause)"; break; }
		[ "$(cat /proc/version)" = "$before" ] || fail "trap: undo $i did not restore"
		stage test-bad apply || { fail "trap apply $i: $(cat $D/test-bad/abort_cause)"; break; }
		[ -z "$(cat /proc/version)" ] || fail "trap: apply $i did not take"
		i=$((i + 1))
	done
	kill $r1
	wait $r1 2> /dev/null
	echo "trap cycles with a reader: $i"
	echo "a trap stacked on a trap: the top patch's code, then the one below"
	expect 0 insmod $M/ksplice_test_version.ko pre_size=3
	expect 0 stage test-version apply
	grep -q 'ksplice-patched: pc32 ok, 64 ok' /proc/version || fail "stacked trap: the top patch does not run"
	expect 1 stage test-bad undo
	expect 0 stage test-version undo
	[ -z "$(cat /proc/version)" ] || fail "stacked trap: undo of the top did not give the one below"
	echo "a trap replacing a trap: the replacing patch's code, then the kernel's"
	expect 0 stage test-version replace
	grep -q 'ksplice-patched: pc32 ok, 64 ok' /proc/version || fail "trap replace: the new patch does not run"
	[ "$(cat $D/test-bad/stage)" = reversed ] || fail "trap replace: test-bad $(cat $D/test-bad/stage)"
	expect 0 stage test-version undo
	[ "$(cat /proc/version)" = "$before" ] || fail "trap replace: undo did not restore"
	[ -z "$(cat $D/test-version/traps)$(cat $D/test-bad/traps)" ] || fail "trap: traps not empty after undo"
	expect 0 rmmod ksplice_test_version
	expect 0 rmmod ksplice_test_bad
fi

echo "== apply and undo version_proc_show"
expect 0 insmod $M/ksplice_test_version.ko
P=test-version
echo "rmmod of the core while a patch module uses it:"
expect 1 rmmod ksplice
echo "who may apply: root without CAP_SYS_MODULE may not"
ksplice-probe without-cap-sys-module $D/$P/stage apply || fail "applied without CAP_SYS_MODULE"
[ "$(cat $D/$P/stage)" = loaded ] || fail "stage changed without CAP_SYS_MODULE"
echo "modes: stage 644, the rest 444, nothing world-writable"
[ "$(stat -c %a $D/$P/stage)" = 644 ] || fail "stage mode $(stat -c %a $D/$P/stage)"
for f in abort_kind abort_cause functions tries stop_ns; do
	[ "$(stat -c %a $D/$P/$f)" = 444 ] || fail "$f mode $(stat -c %a $D/$P/$f)"
done
show $P
[ "$(cat $D/$P/abort_kind)" = none ] || fail "abort_kind of a new patch: $(cat $D/$P/abort_kind)"
cat $D/$P/functions
cat /proc/version
expect 0 stage $P apply
cat /proc/version
grep -q 'ksplice-patched: pc32 ok, 64 ok' /proc/version || fail "not patched"
if [ "$(uname -m)" = aarch64 ]; then
	grep -qx 'arm64: adrp ok, ldst ok, bl ok' /proc/version ||
		fail "arm64: an instruction-field relocation was not written: $(grep arm64: /proc/version)"
fi
show $P
cat $D/$P/functions
echo "rmmod while applied:"
expect 1 rmmod ksplice_test_version
expect 1 stage $P apply
expect 1 stage $P bogus
ksplice-probe without-cap-sys-module $D/$P/stage undo || fail "undone without CAP_SYS_MODULE"
[ "$(cat $D/$P/stage)" = applied ] || fail "stage changed without CAP_SYS_MODULE"
expect 0 stage $P undo
cat /proc/version
[ "$(cat /proc/version)" = "$before" ] || fail "undo did not restore"
show $P
expect 1 stage $P undo
echo "apply again after undo:"
expect 0 stage $P apply
cat /proc/version
expect 0 stage $P undo

echo "== 50 apply/undo cycles with readers on both CPUs"
(while :; do cat /proc/version > /dev/null; done) &
r1=$!
(while :; do cat /proc/version > /dev/null; done) &
r2=$!
i=0
maxtries=0
while [ $i -lt 50 ]; do
	stage $P apply || { fail "apply $i: $(cat $D/$P/abort_cause)"; break; }
	t=$(cat $D/$P/tries)
	[ "$t" -gt "$maxtries" ] && maxtries=$t
	stage $P undo || { fail "undo $i: $(cat $D/$P/abort_cause)"; break; }
	t=$(cat $D/$P/tries)
	[ "$t" -gt "$maxtries" ] && maxtries=$t
	i=$((i + 1))
done
kill $r1 $r2
wait $r1 $r2 2> /dev/null
echo "cycles: $i, most tries: $maxtries, last stop_ns: $(cat $D/$P/stop_ns)," \
	"tasks: $(ls /proc | grep -c '^[0-9]')"
[ "$(cat /proc/version)" = "$before" ] || fail "not restored after cycles"
expect 0 rmmod ksplice_test_version

echo "== busy: a task sleeping in do_nanosleep"
expect 0 insmod $M/ksplice_test_nanosleep.ko
P=test-nanosleep
sleep 100 &
s=$!
until grep -q '^State:.*sleeping' /proc/$s/status; do :; done
expect 1 stage $P apply
show $P
cat $D/$P/abort_cause | grep -q "^busy: do_nanosleep (pid $s comm sleep)$" ||
	fail "busy cause"
[ "$(cat $D/$P/abort_kind)" = busy ] || fail "busy kind"
kill $s
wait $s 2> /dev/null
expect 0 stage $P apply
show $P
t0=$(date +%s)
sleep 10
t1=$(date +%s)
echo "applied: sleep 10 took $((t1 - t0)) s"
[ $((t1 - t0)) -le 4 ] || fail "sleep not replaced"
echo "undo while a task sleeps in the new code:"
sleep 10 &
s=$!
# Not "sleep": it would wait 3 s in the new code too.
until grep -q '^State:.*sleeping' /proc/$s/status; do :; done
expect 1 stage $P undo
show $P
cat $D/$P/abort_cause | grep -q "^busy: .*do_nanosleep (pid $s comm sleep)$" ||
	fail "undo busy cause"
[ "$(cat $D/$P/abort_kind)" = busy ] || fail "undo busy kind"
wait $s
expect 0 stage $P undo
show $P
t0=$(date +%s)
sleep 5
t1=$(date +%s)
echo "undone: sleep 5 took $((t1 - t0)) s"
[ $((t1 - t0)) -ge 5 ] || fail "sleep does not sleep"
expect 0 rmmod ksplice_test_nanosleep

echo "== core unload"
expect 0 rmmod ksplice
[ -e $D ] && fail "$D still there"

if [ "$(uname -m)" = aarch64 ]; then
	# Modules lie within a B's reach here (no KASLR): force_veneer makes
	# the core write the veneer it writes where they do not.
	echo "== veneers: the core loaded with force_veneer=1"
	expect 0 insmod $CORE kallsyms_lookup_name_addr=0x$addr force_veneer=1
	P=test-version
	echo "a function too short for a veneer: version_proc_show seen as 12 bytes"
	expect 0 insmod $M/ksplice_test_version.ko pre_size=12
	expect 1 stage $P apply
	[ "$(cat $D/$P/abort_cause)" = "too_short: version_proc_show (beyond a branch's reach, and 12 bytes are too few for a veneer)" ] ||
		fail "veneer too short: $(cat $D/$P/abort_cause)"
	[ "$(cat /proc/version)" = "$before" ] || fail "veneer too short: /proc/version changed"
	expect 0 rmmod ksplice_test_version
	expect 0 insmod $M/ksplice_test_version.ko
	(while :; do cat /proc/version > /dev/null; done) &
	r1=$!
	(while :; do cat /proc/version > /dev/null; done) &
	r2=$!
	i=0
	while [ $i -lt 20 ]; do
		stage $P apply || { fail "veneer apply $i: $(cat $D/$P/abort_cause)"; break; }
		grep -q 'ksplice-patched: pc32 ok, 64 ok' /proc/version ||
			fail "veneer apply $i: not patched"
		[ "$(cat $D/$P/veneers)" = "version_proc_show fs/proc/version.o" ] ||
			fail "veneer apply $i: veneers says '$(cat $D/$P/veneers)'"
		stage $P undo || { fail "veneer undo $i: $(cat $D/$P/abort_cause)"; break; }
		[ "$(cat /proc/version)" = "$before" ] || fail "veneer undo $i did not restore"
		i=$((i + 1))
	done
	kill $r1 $r2
	wait $r1 $r2 2> /dev/null
	echo "veneer cycles with readers on both CPUs: $i"
	[ -z "$(cat $D/$P/veneers)" ] || fail "veneers not empty after undo"
	expect 0 rmmod ksplice_test_version
	expect 0 rmmod ksplice
fi
dmesg | grep -i -E 'warning|bug|oops|lockdep|ksplice' | grep -v 'ksplice_test' | tail -5
[ $failed = 0 ] && echo "SMOKE OK"
exit $failed
