# Shared by the host-side test suites: one PASS/FAIL line per check.
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+: $2}"; }
# check NAME CMD...: runs CMD, PASS when it succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}
# expect NAME CODE CMD...: PASS when CMD exits with CODE; its output is
# left in $t/out and $t/err.
expect() {
	local name=$1 code=$2
	shift 2
	"$@" >"$t/out" 2>"$t/err"
	local rc=$?
	if [ $rc -eq "$code" ]; then pass "$name"; else fail "$name" "exit $rc, wanted $code: $(head -1 "$t/err")"; fi
}
