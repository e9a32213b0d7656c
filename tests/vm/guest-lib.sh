# Sourced inside the guest: the same PASS/FAIL lines, from busybox sh.
check() {
	name=$1
	shift
	if "$@"; then echo "PASS: $name"; else echo "FAIL: $name"; fi
}
