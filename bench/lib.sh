# shellcheck shell=bash
# Shared by the bench scripts (sourced).

# cpu_model: the CPU as /proc/cpuinfo names it, recorded with each figure.
cpu_model() {
	sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1
}

# stop_on_vm_failure FILE: a VM run whose output names a failed step
# measured something else; say what and stop.
stop_on_vm_failure() {
	if grep -q failed "$1"; then
		grep failed "$1" >&2
		exit 1
	fi
}

# row_stats FILE NAME COL: "median worst count" of the integers in
# column COL of FILE's rows whose first word is NAME.
row_stats() {
	awk -v name="$2" -v col="$3" '$1 == name { print $col }' "$1" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) printf "%d %d %d\n", v[int((NR + 1) / 2)], v[NR], NR }'
}
