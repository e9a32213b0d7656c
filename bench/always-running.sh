#!/bin/bash
# bench/always-running.sh [ROUNDS]: how often a patch to a function that
# is nearly always running applies, under load. For each of
# run_timer_softirq, n_tty_write, do_exit, copy_process and __queue_work
# (a nop added, bench/fix-n-functions.py), ROUNDS (20) applies and undos
# while the VM runs a fork-and-exit loop on each CPU, a writer to a tty,
# a sync loop (work items) and a timer-heavy sleeper. Each apply is the
# core's own: up to 5 stop_machine() tries, waiting longer after each
# busy one (docs/core.md); each undo is repeated, 1 s apart, until it
# goes through or for 30 s. Reports per function: applies that
# succeeded, median and worst tries of those, what the failed ones were
# busy with, and the undos that needed repeating. Writes bench/results/always-running.json and prints a Markdown
# table.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
source "$home/bench/lib.sh"
[ -z "${KSPLICE_BENCH_KDIR:-}" ] || export KSPLICE_TEST_KDIR=$KSPLICE_BENCH_KDIR
source "$home/tests/lib/kernel.sh"
rounds=${1:-20}
targets="kernel/time/timer.c:run_timer_softirq drivers/tty/n_tty.c:n_tty_write
kernel/exit.c:do_exit kernel/fork.c:copy_process kernel/workqueue.c:__queue_work"
work=$home/build/bench/always-running
out=$home/bench/results/always-running.json
rm -rf "$work"
mkdir -p "$work/modules" "$(dirname "$out")"

[ -n "${KSPLICE_BENCH_KDIR:-}" ] || make -s -C "$home" test-kernel >&2
names=
for t in $targets; do
	src=${t%%:*} fn=${t#*:}
	python3 "$home/bench/fix-n-functions.py" "$kdir" "$src" 1 "$fn" > "$work/$fn.patch"
	"$home/build/bin/ksplice" create --patch "$work/$fn.patch" --kdir "$kdir" --id "busy$fn" \
		-o "$work/modules" >"$work/$fn.out" 2>"$work/$fn.err" ||
		{ tail -5 "$work/$fn.err" >&2; exit 1; }
	grep -q "^replace $fn " "$work/$fn.err" || { echo "busy$fn does not replace $fn" >&2; exit 1; }
	names+=" $fn"
done

"$home/tests/vm/run" --modules "$work/modules" -- "
D=/sys/kernel/ksplice
for m in /ksplice/modules/*.ko; do ksplice apply \$m >/dev/null && echo undo > \$D/\$(basename \$m .ko | sed s/^ksplice-//)/stage; done
tty=/dev/tty1; [ -c \$tty ] || tty=/dev/ttyS1
for c in 1 2; do (while :; do /bin/true; done) & done
(while :; do echo 0123456789abcdef; done > \$tty) 2>/dev/null &
(while :; do sync; done) &
(while :; do usleep 1000; done) &
sleep 2
echo \"load: \$(ls /proc | grep -c '^[0-9]') tasks, writer on \$tty\"
for i in \$(seq $rounds); do
	for fn in $names; do
		p=busy\$fn
		if echo apply > \$D/\$p/stage 2>/dev/null; then
			echo \"row \$fn ok \$(cat \$D/\$p/tries)\"
		else
			echo \"row \$fn busy \$(cat \$D/\$p/tries) \$(cat \$D/\$p/abort_cause | tr ' ' _)\"
		fi
		# Undo, as an operator would, until it goes through (or 30 s).
		n=0
		while [ \"\$(cat \$D/\$p/stage)\" = applied ] && [ \$n -lt 30 ]; do
			echo undo > \$D/\$p/stage 2>/dev/null || { n=\$((n + 1)); sleep 1; }
		done
		echo \"undo \$fn \$n \$(cat \$D/\$p/stage)\"
	done
done
" > "$work/vm.out"
stop_on_vm_failure "$work/vm.out"

load=$(sed -n 's/^load: //p' "$work/vm.out")
cpu=$(cpu_model)
kernel_label=tests/config/tiny.config
[ -z "${KSPLICE_BENCH_KDIR:-}" ] || kernel_label="$(basename "$kdir"), run with KSPLICE_BENCH_KDIR"
json=
rows=
for fn in $names; do
	ok=$(awk -v f="$fn" '$1 == "row" && $2 == f && $3 == "ok"' "$work/vm.out" | wc -l)
	all=$(awk -v f="$fn" '$1 == "row" && $2 == f' "$work/vm.out" | wc -l)
	[ "$all" -eq "$rounds" ] || { echo "$fn: $all of $rounds rounds" >&2; exit 1; }
	read -r tries worst _ < <(awk -v f="$fn" '$1 == "row" && $2 == f && $3 == "ok" { print "ok", $4 }' \
		"$work/vm.out" | row_stats /dev/stdin ok 2)
	busy=$(awk -v f="$fn" '$1 == "row" && $2 == f && $3 == "busy" { print $5 }' "$work/vm.out" |
		sed -E 's/^busy:_(.*)_\(pid_[0-9]+_comm_(.*)\)$/\1 (\2)/' | sort | uniq -c |
		sed 's/^ *//' | paste -sd';')
	# undos that needed more than one try of 5 stops, and the most
	undo_retried=$(awk -v f="$fn" '$1 == "undo" && $2 == f && $3 > 0' "$work/vm.out" | wc -l)
	undo_worst=$(awk -v f="$fn" '$1 == "undo" && $2 == f { if ($3 > m) m = $3 } END { print m + 0 }' "$work/vm.out")
	stuck=$(awk -v f="$fn" '$1 == "undo" && $2 == f && $4 == "applied"' "$work/vm.out" | wc -l)
	json+="${json:+,
}  \"$fn\": {\"applied\": $ok, \"rounds\": $all, \"tries_median\": ${tries:-null}, \"tries_worst\": ${worst:-null}, \"busy\": \"$busy\", \"undos_retried\": $undo_retried, \"undo_retries_worst\": $undo_worst, \"undos_stuck\": $stuck}"
	rows+="| \`$fn\` | $ok / $all | ${tries:--} / ${worst:--} | ${busy:--} | $undo_retried (worst $undo_worst), $stuck stuck |
"
done

cat > "$out" <<EOF
{
  "machine": {"cpu": "$cpu", "cores": $(nproc), "qemu": "TCG, 2 vCPUs"},
  "kernel": "$(cat "$kdir/include/config/kernel.release") ($kernel_label)",
  "load": "$load",
  "functions": {
$json
  }
}
EOF
cat <<EOF
Patches to functions that are nearly always running, applied under load ($load: a fork-and-exit loop per CPU, a tty writer, a sync loop, a 1 ms sleeper), $rounds applies each, every apply the core's up to 5 stops:

| function | applied | tries (median / worst) | failed applies: busy in | undos retried (worst: extra undos, 1 s apart), stuck after 30 |
| --- | --- | --- | --- | --- |
$rows
EOF
