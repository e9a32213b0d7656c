#!/bin/bash
# bench/call-overhead.sh [ROUNDS]: what a caller pays for calling a
# replaced function. bench/call-overhead/bench_call.ko times a loop of a
# million calls to int_sqrt() when it loads; in one VM run, each of
# ROUNDS (10) rounds loads it with int_sqrt() as built and again with
# int_sqrt() replaced (a patch that adds a nop to it, so the new code is
# the old code plus one nop, and the jump at the old entry is the
# difference). The same for acpi_bus_private_data_handler(), a bare ret:
# too short for the jump, it is entered through a trap at its entry.
# Medians per call and their ratios; writes
# bench/results/call-overhead.json and prints a Markdown table.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/bench/lib.sh"
# make bench passes its own tree (bench/plugin-overhead.sh builds it).
[ -z "${KSPLICE_BENCH_KDIR:-}" ] || export KSPLICE_TEST_KDIR=$KSPLICE_BENCH_KDIR
source "$home/tests/lib/kernel.sh"
rounds=${1:-10}
loops=1000000
work=$home/build/bench/call-overhead
out=$home/bench/results/call-overhead.json
rm -rf "$work"
mkdir -p "$work/modules" "$work/module" "$(dirname "$out")"

[ -n "${KSPLICE_BENCH_KDIR:-}" ] || make -s -C "$home" test-kernel >&2
python3 "$home/bench/fix-n-functions.py" "$kdir" lib/math/int_sqrt.c 1 int_sqrt > "$work/fix.patch"
"$home/build/bin/ksplice" create --patch "$work/fix.patch" --kdir "$kdir" --id call \
	-o "$work/modules" >"$work/create.out" 2>"$work/create.err" ||
	{ tail -5 "$work/create.err" >&2; exit 1; }
grep -q '^replace int_sqrt ' "$work/create.err" ||
	{ echo "the patch does not replace int_sqrt" >&2; exit 1; }
cat > "$work/trap.patch" <<'EOF'
Subject: ACPI: bus: a nop in acpi_bus_private_data_handler()

--- a/drivers/acpi/bus.c
+++ b/drivers/acpi/bus.c
@@ -129,6 +129,7 @@
 void acpi_bus_private_data_handler(acpi_handle handle,
 				   void *context)
 {
+	asm volatile("nop");
 	return;
 }
 EXPORT_SYMBOL(acpi_bus_private_data_handler);
EOF
"$home/build/bin/ksplice" create --patch "$work/trap.patch" --kdir "$kdir" --id trap \
	-o "$work/modules" >"$work/create-trap.out" 2>"$work/create-trap.err" ||
	{ tail -5 "$work/create-trap.err" >&2; exit 1; }
grep -q '^trap acpi_bus_private_data_handler ' "$work/create-trap.err" ||
	{ echo "the patch does not enter acpi_bus_private_data_handler by a trap" >&2; exit 1; }
cp "$home/bench/call-overhead/"* "$work/module/"
make -s -C "$kdir" M="$work/module" modules >&2
bash "$home/kbuild/sign.sh" "$kdir" "$work/module/bench_call.ko"
cp "$work/module/bench_call.ko" "$work/modules/"

"$home/tests/vm/run" --modules "$work/modules" -- "
M=/ksplice/modules
P=/sys/module/bench_call/parameters
D=/sys/kernel/ksplice
for id in call trap; do
	ksplice apply \$M/ksplice-\$id.ko >/dev/null && echo undo > \$D/\$id/stage || echo 'apply failed'
done
for i in \$(seq $rounds); do
	insmod \$M/bench_call.ko loops=$loops && echo \"built \$(cat \$P/loop_ns) \$(cat \$P/trap_loop_ns)\" && rmmod bench_call
	for id in call trap; do
		echo apply > \$D/\$id/stage || echo \"apply failed: \$(cat \$D/\$id/abort_cause)\"
	done
	insmod \$M/bench_call.ko loops=$loops && echo \"replaced \$(cat \$P/loop_ns) \$(cat \$P/trap_loop_ns)\" && rmmod bench_call
	for id in call trap; do echo undo > \$D/\$id/stage; done
done
" > "$work/vm.out"
stop_on_vm_failure "$work/vm.out"

read -r built _ n_built < <(row_stats "$work/vm.out" built 2)
read -r replaced _ n_replaced < <(row_stats "$work/vm.out" replaced 2)
read -r trap_built _ < <(row_stats "$work/vm.out" built 3)
read -r trapped _ < <(row_stats "$work/vm.out" replaced 3)
[ "${n_built:-0}" -eq "$rounds" ] && [ "${n_replaced:-0}" -eq "$rounds" ] ||
	{ echo "call-overhead: the VM run did not finish its rounds:" >&2; cat "$work/vm.out" >&2; exit 1; }
per_call() { awk -v t="$1" -v n="$loops" 'BEGIN { printf "%.1f", t / n }'; }
ratio=$(awk -v a="$replaced" -v b="$built" 'BEGIN { printf "%.3f", a / b }')
trap_ratio=$(awk -v a="$trapped" -v b="$trap_built" 'BEGIN { printf "%.1f", a / b }')
cpu=$(cpu_model)

cat > "$out" <<EOT
{
  "machine": {"cpu": "$cpu", "cores": $(nproc), "qemu": "TCG, 2 vCPUs"},
  "kernel": "$(cat "$kdir/include/config/kernel.release") (tests/config/tiny.config)",
  "function": "int_sqrt",
  "rounds": $rounds,
  "calls_per_round": $loops,
  "as_built_ns_per_call": $(per_call "$built"),
  "replaced_ns_per_call": $(per_call "$replaced"),
  "ratio": $ratio,
  "trap_function": "acpi_bus_private_data_handler",
  "trap_as_built_ns_per_call": $(per_call "$trap_built"),
  "trap_replaced_ns_per_call": $(per_call "$trapped"),
  "trap_ratio": $trap_ratio
}
EOT
cat <<EOT
Call overhead: $loops calls of int_sqrt() per round, medians of $rounds rounds in one VM run ($cpu; QEMU TCG):

| int_sqrt() | ns per call | ratio |
| --- | --- | --- |
| as built | $(per_call "$built") | 1.000 |
| replaced by ksplice | $(per_call "$replaced") | $ratio |

The same for acpi_bus_private_data_handler(), a bare ret (too short for the jump: entered through a trap):

| acpi_bus_private_data_handler() | ns per call | ratio |
| --- | --- | --- |
| as built | $(per_call "$trap_built") | 1.0 |
| replaced by ksplice (trap) | $(per_call "$trapped") | $trap_ratio |
EOT
