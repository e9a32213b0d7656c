#!/bin/bash
# bench/stop-time.sh [ROUNDS]: how long the core stops the machine, for a
# patch of 1, 10 and 100 functions (a nop added to functions of
# fs/proc/base.c, then array.c and generic.c, bench/fix-n-functions.py),
# next to an empty stop_machine() measured in the same VM run, rounds
# interleaved.
#
# Per round: an empty stop_machine() (/sys/kernel/ksplice/empty_stop_ns),
# then apply and undo of each patch; after each apply, the core's
# stop_ns (the stopped window: stack scan and writes) and stop_call_ns
# (the whole stop_machine() call) and stop_scan_ns (the stack scan in
# the window). Medians and worst over ROUNDS (20).
# Then the task-count axis: the 100-function patch again, with the VM
# holding TASKS tasks in all (default "30 300 1000"; sleepers are added),
# ROUNDS rounds at each count, next to an empty stop_machine() there.
# Writes bench/results/stop-time.json and prints two Markdown tables.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/bench/lib.sh"
# make bench passes its own tree (bench/plugin-overhead.sh builds it).
[ -z "${KSPLICE_BENCH_KDIR:-}" ] || export KSPLICE_TEST_KDIR=$KSPLICE_BENCH_KDIR
source "$home/tests/lib/kernel.sh"
rounds=${1:-20}
sizes="1 10 100"
tasks=${TASKS:-30 300 1000}
work=$home/build/bench/stop-time
out=$home/bench/results/stop-time.json
rm -rf "$work"
mkdir -p "$work/modules" "$(dirname "$out")"

[ -n "${KSPLICE_BENCH_KDIR:-}" ] || make -s -C "$home" test-kernel >&2
for n in $sizes; do
	python3 "$home/bench/fix-n-functions.py" "$kdir" fs/proc/base.c,fs/proc/array.c,fs/proc/generic.c "$n" > "$work/fix-$n.patch"
	"$home/build/bin/ksplice" create --patch "$work/fix-$n.patch" --kdir "$kdir" --id "stop-$n" \
		-o "$work/modules" >"$work/create-$n.out" 2>"$work/create-$n.err" ||
		{ tail -5 "$work/create-$n.err" >&2; exit 1; }
	replaced=$(grep -c '^replace ' "$work/create-$n.err")
	[ "$replaced" -eq "$n" ] || { echo "stop-$n replaces $replaced functions, not $n" >&2; exit 1; }
done

"$home/tests/vm/run" --modules "$work/modules" -- "
D=/sys/kernel/ksplice
# window, whole call and scan of patch \$1's last apply, in ns
stopped() { echo \"\$(cat \$D/\$1/stop_ns) \$(cat \$D/\$1/stop_call_ns) \$(cat \$D/\$1/stop_scan_ns)\"; }
for n in $sizes; do
	ksplice apply /ksplice/modules/ksplice-stop-\$n.ko >/dev/null && echo undo > \$D/stop-\$n/stage
done
echo \"tasks \$(ls /proc | grep -c '^[0-9]') cpus \$(cat /sys/devices/system/cpu/online)\"
for i in \$(seq $rounds); do
	echo \"empty 0 \$(cat \$D/empty_stop_ns)\"
	for n in $sizes; do
		echo apply > \$D/stop-\$n/stage || echo \"apply stop-\$n failed: \$(cat \$D/stop-\$n/abort_cause)\"
		echo \"stop-\$n \$(stopped stop-\$n)\"
		echo undo > \$D/stop-\$n/stage
	done
done
for want in $tasks; do
	while [ \$(ls /proc | grep -c '^[0-9]') -lt \$want ]; do sleep 3600 & done
	have=\$(ls /proc | grep -c '^[0-9]')
	for i in \$(seq $rounds); do
		echo \"tasks-\$want-empty \$have \$(cat \$D/empty_stop_ns)\"
		echo apply > \$D/stop-100/stage || echo \"apply stop-100 failed: \$(cat \$D/stop-100/abort_cause)\"
		echo \"tasks-\$want \$(stopped stop-100) \$have\"
		echo undo > \$D/stop-100/stage
	done
done
" > "$work/vm.out"
stop_on_vm_failure "$work/vm.out"

# median, worst and count of column COL (2: window, 3: call) of rows NAME
stat() { row_stats "$work/vm.out" "$1" "$2"; }
read -r e_call e_worst e_n < <(stat empty 3)
vm=$(sed -n 's/^tasks \([0-9]*\) cpus \(.*\)$/\1 tasks, CPUs \2/p' "$work/vm.out")
cpu=$(cpu_model)
cores=$(nproc)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# every value of column COL of rows named NAME, comma-separated
samples() { awk -v name="$1" -v col="$2" '$1 == name { print $col }' "$work/vm.out" | paste -sd,; }

# read_row NAME: window (w, w_worst, n_w), whole call (c, c_worst) and
# scan (sc) of the rows NAME, which must number ROUNDS; row_json: those
# as JSON fields.
read_row() {
	read -r w w_worst n_w < <(stat "$1" 2)
	read -r c c_worst _ < <(stat "$1" 3)
	read -r sc _ _ < <(stat "$1" 4)
	[ "${n_w:-0}" -eq "$rounds" ] || { echo "$1: ${n_w:-0} of $rounds rounds" >&2; exit 1; }
}
row_json() {
	echo "\"window_ns\": {\"median\": $w, \"worst\": $w_worst}, \"call_ns\": {\"median\": $c, \"worst\": $c_worst}, \"scan_ns_median\": $sc"
}

# The tree's own name where KSPLICE_BENCH_KDIR chose it.
kernel_label=tests/config/tiny.config
[ -z "${KSPLICE_BENCH_KDIR:-}" ] || kernel_label="$(basename "$kdir"), run with KSPLICE_BENCH_KDIR"

json_sizes=
rows=
for n in $sizes; do
	read_row "stop-$n"
	json_sizes+=",
  \"functions_$n\": {$(row_json), \"n\": $n_w, \"window_samples_ns\": [$(samples "stop-$n" 2)]}"
	rows+="| $n function$([ "$n" = 1 ] || echo s) | $w / $w_worst ns | $sc ns | $c / $c_worst ns | $(ratio "$c" "$e_call") |
"
done

json_tasks=
task_rows=
for want in $tasks; do
	read_row "tasks-$want"
	read -r te _ _ < <(stat "tasks-$want-empty" 3)
	have=$(awk -v name="tasks-$want" '$1 == name { print $5; exit }' "$work/vm.out")
	json_tasks+="${json_tasks:+, }\"$have\": {$(row_json), \"empty_call_ns\": $te, \"n\": $n_w}"
	task_rows+="| $have | $w / $w_worst ns | $sc ns | $c / $c_worst ns | $te ns | $(ratio "$w" "$te") | $(ratio "$c" "$te") |
"
done

cat > "$out" <<EOF
{
  "machine": {"cpu": "$cpu", "cores": $cores, "qemu": "TCG, 2 vCPUs"},
  "kernel": "$(cat "$kdir/include/config/kernel.release") ($kernel_label)",
  "vm": "$vm",
  "rounds": $rounds,
  "empty_stop_machine_ns": {"median": $e_call, "worst": $e_worst, "n": $e_n, "samples": [$(samples empty 3)]}$json_sizes,
  "by_tasks_100_functions": {$json_tasks}
}
EOF
cat <<EOF
Stop time, $rounds rounds interleaved in one VM run ($vm; $cpu, $cores cores; QEMU TCG):

| | stopped window (median / worst) | of which stack scan (median) | whole stop_machine() call (median / worst) | call / empty call |
| --- | --- | --- | --- | --- |
| empty stop_machine() | - | - | $e_call / $e_worst ns | 1.00 |
$rows
EOF
cat <<EOF

**Stop time of the 100-function patch by the number of tasks in the VM ($rounds rounds at each count):**

| tasks | stopped window (median / worst) | of which stack scan (median) | whole call (median / worst) | empty call (median) | window / empty call | call / empty call |
| --- | --- | --- | --- | --- | --- | --- |
$task_rows
EOF
