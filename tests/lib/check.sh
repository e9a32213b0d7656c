# Shared by the host-side test suites: one PASS/FAIL line per check.
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1${2:+: $2}"; }
# check NAME CMD...: runs CMD, PASS when it succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "$*"; fi
}
