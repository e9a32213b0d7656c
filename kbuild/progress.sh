# kbuild/progress.sh: progress lines while a long kbuild step runs, so a
# build of minutes is not minutes of silence. Sourced by create.sh and
# test-kernel.sh.
#
# progress_start LABEL DIR STAMP [TOTAL]: every $KSPLICE_PROGRESS_EVERY
# seconds (15) until progress_stop, print "LABEL: N[ of TOTAL] objects
# compiled (Ts)" on stderr, N being the objects under DIR newer than
# the file STAMP. Nothing is printed for a step shorter than that.

progress_pid=

progress_start() {
	local label=$1 dir=$2 stamp=$3 total=${4:-}
	local every=${KSPLICE_PROGRESS_EVERY:-15}

	progress_stop
	(
		ticks=0
		# One-second sleeps: a stop is never kept waiting for a long one.
		while sleep 1; do
			ticks=$((ticks + 1))
			[ $((ticks % every)) -eq 0 ] || continue
			n=$(find "$dir" -name '*.o' -newer "$stamp" 2>/dev/null | wc -l)
			echo "$label: $n${total:+ of $total} objects compiled (${ticks}s)" >&2
		done
	) &
	progress_pid=$!
}

progress_stop() {
	[ -n "$progress_pid" ] || return 0
	kill "$progress_pid" 2>/dev/null
	wait "$progress_pid" 2>/dev/null
	progress_pid=
}
