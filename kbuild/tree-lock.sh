# shellcheck shell=bash
# Sourced by create.sh and test-kernel.sh: one lock per kernel tree, held
# by whatever changes the tree for a while, and the journal that puts the
# tree back after a create that could not (killed, or the machine went
# down). create patches the sources, rebuilds and puts everything back; a
# build beside it (another create, or kbuild's pass over a cached test
# kernel) would compile the fix into the tree or read it half restored.
# The lock and the journal live in ksplice's cache, not in the tree,
# which create leaves exactly as it was.

# lock_tree KDIR SAY: holds KDIR's lock until this shell exits; SAY (a
# command) tells that it waits when another holds it, and that it puts
# the tree back from a journal left behind. Sets tree_journal.
lock_tree() {
	local cache=${KSPLICE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ksplice} key lock
	key=$(realpath -m "$1" | sha1sum | cut -c1-12)
	mkdir -p "$cache"
	exec {lock}>"$cache/tree-$key.lock"
	if ! flock -n "$lock"; then
		"$2" "waiting for another create or build on $1"
		flock "$lock"
	fi
	# Only now: the journal is the holder's.
	tree_journal=$cache/tree-$key.journal
	[ -d "$tree_journal" ] || return 0
	if [ -e "$tree_journal/complete" ] || [ -e "$tree_journal/pinned" ]; then
		"$2" "a create on $1 stopped before it put the tree back (killed?): putting it back from $tree_journal"
	fi
	restore_tree "$1" "$tree_journal"
	rm -rf "$tree_journal"
}

# The journal, a folder that only the lock's holder touches:
#   pinned    create wrote the tree's .scmversion (pin_release)
#   src/      the fix's files as they were
#   pre/      the build outputs the post build rewrites, as they were
#   state     which files: declare -p of files, new_files, absent, deps
#   tmp-dirs  kbuild's try-run folders that were there before
#   complete  all of the above is written: the tree may differ from here
# journal_complete: the backup is whole; the tree may now change.
# Its arguments are the dependency files (.x.o.d) of the objects the
# post build compiles.
journal_complete() {
	local -a deps=("$@")
	declare -p files new_files absent deps > "$tree_journal/state"
	: > "$tree_journal/complete"
}

# restore_tree KDIR JOURNAL: puts back what JOURNAL kept of KDIR. Doing
# it twice does no harm.
restore_tree() {
	local kdir=$1 j=$2 f d
	local -a files=() new_files=() absent=() deps=()
	[ ! -e "$j/pinned" ] || rm -f "$kdir/.scmversion" "$j/pinned"
	[ -e "$j/complete" ] || return 0
	# shellcheck source=/dev/null
	source "$j/state"
	for f in ${files[@]+"${files[@]}"}; do
		[ ! -e "$j/src/$f" ] || cp -p "$j/src/$f" "$kdir/$f"
	done
	for f in ${new_files[@]+"${new_files[@]}"} ${absent[@]+"${absent[@]}"}; do
		rm -f "$kdir/$f"
	done
	# One cp for all (hundreds of prepare-stage files): times kept, and
	# the directories' own left as they are.
	if [ -d "$j/pre" ]; then
		(cd "$j/pre" && find . -type f -print0 | xargs -0 -r cp -p --parents -t "$kdir")
	fi
	# A compile that fails or is interrupted leaves gcc's dependency file,
	# and an interrupted kbuild its try-run folders (.tmp_<pid>).
	for d in ${deps[@]+"${deps[@]}"}; do
		[ -e "$j/pre/$d" ] || rm -f "$kdir/$d"
	done
	for d in "$kdir"/.tmp_*; do
		[ ! -e "$d" ] || grep -qxF "$d" "$j/tmp-dirs" || rm -rf "$d"
	done
	rm -f "$j/complete"
}
