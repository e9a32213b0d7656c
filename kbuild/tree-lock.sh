# shellcheck shell=bash
# Sourced by create.sh and test-kernel.sh: one lock per kernel tree, held
# by whatever changes the tree for a while. create patches the sources,
# rebuilds and puts everything back; a build beside it (another create,
# or kbuild's pass over a cached test kernel) would compile the fix into
# the tree or read it half restored. The lock file lives in ksplice's
# cache, not in the tree, which create leaves exactly as it was.

# open_tree_lock KDIR: opens KDIR's lock as fd $tree_lock (not yet held).
open_tree_lock() {
	local cache=${KSPLICE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ksplice} key
	key=$(realpath -m "$1" | sha1sum | cut -c1-12)
	mkdir -p "$cache"
	# shellcheck disable=SC2034 # the caller's flock takes it
	exec {tree_lock}>"$cache/tree-$key.lock"
}
