# shellcheck shell=bash
# Sourced by create.sh and test-kernel.sh: one lock per kernel tree, held
# by whatever changes the tree for a while. create patches the sources,
# rebuilds and puts everything back; a build beside it (another create,
# or kbuild's pass over a cached test kernel) would compile the fix into
# the tree or read it half restored. The lock file lives in ksplice's
# cache, not in the tree, which create leaves exactly as it was.

# lock_tree KDIR SAY: holds KDIR's lock until this shell exits; SAY (a
# command) tells that it waits when another holds it.
lock_tree() {
	local cache=${KSPLICE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ksplice} key lock
	key=$(realpath -m "$1" | sha1sum | cut -c1-12)
	mkdir -p "$cache"
	exec {lock}>"$cache/tree-$key.lock"
	flock -n "$lock" && return 0
	"$2" "waiting for another create or build on $1"
	flock "$lock"
}
