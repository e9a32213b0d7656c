# kbuild/progress.sh: progress lines while a long kbuild step runs, so a
# build of minutes is not minutes of silence. Sourced by create.sh and
# test-kernel.sh.
#
# progress_start LABEL DIR STAMP [TOTAL]: every $KSPLICE_PROGRESS_EVERY
# seconds (15) until progress_stop, print "LABEL: N[ of TOTAL] objects
# compiled (Ts)" on stderr, N being the objects under DIR newer than
# the file STAMP. Nothing is printed for a step shorter than that.

progress_pid=
progress_flag=

# The loop is told to stop through a file, never by a signal: a child
# signalled between its fork and its exec would run the caller's EXIT
# trap (create's cleanup, which puts the tree back).
progress_loop='
	label=$1 dir=$2 stamp=$3 total=$4 every=$5 flag=$6 ticks=0
	while [ -e "$flag" ]; do
		sleep 0.2
		ticks=$((ticks + 1))
		[ $((ticks % (every * 5))) -eq 0 ] && [ -e "$flag" ] || continue
		n=$(find "$dir" -name "*.o" -newer "$stamp" 2>/dev/null | wc -l)
		echo "$label: $n${total:+ of $total} objects compiled ($((ticks / 5))s)" >&2
	done'

progress_start() {
	progress_stop
	progress_flag=$(mktemp) || return 0
	bash -c "$progress_loop" progress "$1" "$2" "$3" "${4:-}" \
		"${KSPLICE_PROGRESS_EVERY:-15}" "$progress_flag" &
	progress_pid=$!
}

# Never fails: it runs in create's cleanup, under set -e, where the loop's
# status (killed by SIGPIPE when nobody reads stderr any more) would
# otherwise end the cleanup before the tree is put back.
progress_stop() {
	[ -n "$progress_pid" ] || return 0
	rm -f "$progress_flag"
	wait "$progress_pid" 2>/dev/null || true
	progress_pid= progress_flag=
}
