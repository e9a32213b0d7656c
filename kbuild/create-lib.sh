# Sourced by create.sh: the checks made before the tree is touched, the
# fix from git, the kernel-release pin, and putting the tree back.

# Everything create runs, checked before anything is touched.
check_tools() {
	local t missing=()
	for t in make patch readelf ar find xargs sha1sum rsync flock; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	[ -z "$git_spec" ] || command -v git >/dev/null || missing+=(git)
	[ -z "$manifest" ] || command -v tar >/dev/null || missing+=(tar)
	[ ${#missing[@]} -eq 0 ] || die "$KSPLICE_EXIT_BAD_INPUT" "missing tools: ${missing[*]} (install them first)"
	[ -x "$home/build/bin/ksplice-patchgen" ] && [ -f "$home/build/gcc-plugin/ksplice_plugin.so" ] ||
		die "$KSPLICE_EXIT_BAD_INPUT" "ksplice is not built in $home: run make there"
}

# Whether OBJECT was compiled with the plugin. (No grep -q: under
# pipefail, readelf killed by SIGPIPE once grep has its match would make
# the answer no.)
has_fingerprints() {
	readelf -S -W "$1" 2>/dev/null | grep -F "$KSPLICE_FINGERPRINT_SECTION" >/dev/null
}

# The object a .cmd record is for: dir/.x.o.cmd -> dir/x.o
kbuild_target() {
	local d=${1%/*} b=${1##*/}
	[ "$d" != "$1" ] || d=.
	b=${b%.cmd}
	b=${b#.}
	d=$d/$b
	echo "${d#./}"
}

# The GNU build id of a vmlinux: which build the core accepts.
vmlinux_build_id() {
	{ readelf -n "$1" 2>/dev/null || true; } |
		sed -n 's/^ *Build ID: \([0-9a-f]*\)$/\1/p; T; q'
}

# What the running kernel is made of: vmlinux.a, the lib.a archives the
# link picks from, and the modules' objects (their NAME.mod lists).
linked_objects() {
	[ -f "$1/vmlinux.a" ] || return 0
	(cd "$1" && { ar t vmlinux.a; find . -name lib.a -printf '%P\n' | xargs -r -n1 ar t;
		find . -name '*.mod' -printf '%P\0' | xargs -0 -r cat; })
}

# The tree must be the running kernel's build, made with the plugin.
check_built_tree() {
	local f
	for f in .ksplice.mk vmlinux System.map Module.symvers include/config/kernel.release; do
		[ -e "$kdir/$f" ] || die "$KSPLICE_EXIT_BAD_INPUT" "$kdir has no $f: run 'ksplice setup $kdir' and 'make KSPLICE=1' there first"
	done
	# init/main.o is in every configuration.
	has_fingerprints "$kdir/init/main.o" ||
		die "$KSPLICE_EXIT_BAD_INPUT" "$kdir was not built with 'make KSPLICE=1': its objects have no fingerprints (build it so; that build is the kernel to patch)"
}

# The compiler command that built the tree ("gcc", "ccache gcc", "distcc
# gcc"...), from kbuild's record of init/main.o, less the "ksplice-" of
# the wrapper that KSPLICE=1 puts in front of the compiler's name: the
# post build must use the same one, or kbuild would see changed commands
# (and Kconfig another CC) and rebuild its prepare-stage files too.
tree_cc() {
	# (savedcmd_ since 6.3)
	sed -nE 's|^(saved)?cmd_init/main\.o := (.*) -Wp,-MMD,.*|\2|p' "${pre:-$kdir}/init/.main.o.cmd" 2>/dev/null |
		sed -E 's/(^| )ksplice-([^ ]*)$/\1\2/'
}

# tree_arch: the kernel architecture (make's ARCH) the pre build's
# configuration is for; empty for one ksplice does not know, or none.
tree_arch() {
	if grep -q '^CONFIG_ARM64=y$' "$pre/.config" 2>/dev/null; then
		echo arm64
	elif grep -q '^CONFIG_X86_64=y$' "$pre/.config" 2>/dev/null; then
		echo x86
	fi
}

# use_tree_arch: every make of the tree runs for the architecture it was
# configured for, and a cross-built tree with its own tools: kbuild run
# with the host's ARCH would configure the tree anew for the host.
# ARCH and CROSS_COMPILE from the environment are kept when they agree
# (ARCH=x86_64 for an x86 tree built with the default ARCH=x86 makes
# kbuild reconfigure it, which the post build notices and undoes);
# CROSS_COMPILE otherwise comes from the compiler that built the tree
# (aarch64-linux-gnu-gcc: aarch64-linux-gnu-).
use_tree_arch() {
	local arch compiler
	arch=$(tree_arch)
	# Another architecture: patchgen names the objects it cannot read.
	[ -n "$arch" ] || return 0
	case $arch:${ARCH:-$arch} in
	x86:x86 | x86:x86_64 | arm64:arm64) ;;
	*) die "$KSPLICE_EXIT_BAD_INPUT" "ARCH=$ARCH, but $kdir is configured for $arch" ;;
	esac
	export ARCH=${ARCH:-$arch}
	if [ -z "${CROSS_COMPILE+set}" ]; then
		compiler=${cc##* }
		case $compiler in
		*-gcc | *-gcc-[0-9]*) export CROSS_COMPILE=${compiler%gcc*} ;;
		esac
	fi
}

# What kbuild may write besides the objects asked for, while it builds
# them: its prepare stage (asm-offsets.s, bounds.s, include/generated and
# the like, when the fix changes a header they include) and the generated
# inputs of objects that embed build outputs (the vDSO image from
# vdso64.so, rmpiggy.o from realmode.bin). These are the targets kbuild
# keeps a .cmd record for, other than objects, modules and what linking
# the kernel makes (over 1 MB), with their records, and the generated
# headers, which have none. One pass over the tree's .cmd files.
kbuild_generated_files() {
	(cd "$kdir" && {
		find . -path ./.git -prune -o -type f -name '.*.cmd' -print |
			sed -E 's|/\.([^/]*)\.cmd$|/\1|' |
			grep -vE '\.(o|ko|mod|a)$|/modules\.(order|builtin.*)$' |
			xargs -r -d '\n' stat -c '%s %n' 2>/dev/null |
			awk '$1 <= 1048576 { t = $2; print t; sub(/[^\/]*$/, ".&.cmd", t); print t }'
		find include/generated arch/*/include/generated -type f 2>/dev/null
	}) | sed 's|^\./||' | sort -u
}

# Files of the tree written since the post build started.
changed_since_stamp() {
	(cd "$kdir" && find . -path ./.git -prune -o -type f -newer "$work/stamp" -print) |
		sed 's|^\./||' | sort
}

# git_fix REPO REV|A..B PATCH: the fix as one diff, from REV's parent to
# REV or from A to B; records the commits and, unless given, takes the
# description from their subjects.
git_fix() {
	local repo=$1 spec=$2 patch=$3 from to from_sha to_sha
	git -C "$repo" rev-parse --git-dir >/dev/null 2>&1 ||
		die "$KSPLICE_EXIT_BAD_INPUT" "--git $spec: $repo is not a git repository (name one with --repo DIR)"
	case "$spec" in
	*...*) die "$KSPLICE_EXIT_BAD_INPUT" "--git $spec: give a range as A..B" ;;
	*..*) from=${spec%%..*}; to=${spec#*..} ;;
	*) from=$spec^; to=$spec ;;
	esac
	from_sha=$(git -C "$repo" rev-parse -q --verify "${from:-HEAD}^{commit}") ||
		die "$KSPLICE_EXIT_BAD_INPUT" "--git $spec: $repo has no commit ${from:-HEAD}"
	to_sha=$(git -C "$repo" rev-parse -q --verify "${to:-HEAD}^{commit}") ||
		die "$KSPLICE_EXIT_BAD_INPUT" "--git $spec: $repo has no commit ${to:-HEAD}"
	mapfile -t git_commits < <(git -C "$repo" rev-list --reverse "$from_sha..$to_sha")
	[ ${#git_commits[@]} -gt 0 ] || die "$KSPLICE_EXIT_BAD_INPUT" "--git $spec: no commits in that range"
	# Plain a/ b/ paths whatever the user's git configuration says.
	git -C "$repo" -c core.quotePath=false diff --no-color --no-ext-diff --no-textconv \
		--no-renames --src-prefix=a/ --dst-prefix=b/ "$from_sha" "$to_sha" > "$patch" ||
		die "$KSPLICE_EXIT_BAD_INPUT" "--git $spec: git diff failed"
	[ -s "$patch" ] || die "$KSPLICE_EXIT_NOTHING" "nothing to patch: --git $spec changes no file"
	if [ -z "$description" ]; then
		description=$(git -C "$repo" log --format=%s -1 "$to_sha")
		[ ${#git_commits[@]} -eq 1 ] ||
			description="${#git_commits[@]} commits, the last: $description"
	fi
	say "fix from git: ${#git_commits[@]} commit(s), $(git -C "$repo" rev-parse --short "$from_sha")..$(git -C "$repo" rev-parse --short "$to_sha")"
}

# kbuild rewrites include/config/kernel.release at every make, and its
# version-control part with it (scripts/setlocalversion): a "+" for a git
# tree not at a tag, "-dirty" for one with edits under
# CONFIG_LOCALVERSION_AUTO. Both can differ between the build that runs
# and the post build (the fix is an edit; the tree may have become a git
# tree since), and a patch module of another release does not load. So
# the post build gets the running release's version-control part pinned
# in .scmversion, which 6.1's setlocalversion reads first.
pin_release() {
	local prefix version
	version=$(make -s -C "$kdir" kernelversion)
	# 6.3 and later read no .scmversion, and their setlocalversion prints
	# the whole release: a post build that would change it is refused.
	if ! grep -q scmversion "$kdir/scripts/setlocalversion"; then
		prefix=$(cd "$kdir" && KERNELVERSION=$version scripts/setlocalversion)
		[ "$prefix" = "$release" ] ||
			die "$KSPLICE_EXIT_BAD_INPUT" "$kdir would now build kernel release $prefix, but its kernel is $release: the configuration, localversion or version control state changed since that build"
		return 0
	fi
	[ ! -e "$kdir/.scmversion" ] || return 0	# its owner pinned it
	: > "$tree_journal/pinned"
	: > "$kdir/.scmversion"
	prefix=$version$(cd "$kdir" && scripts/setlocalversion)
	case "$release" in
	"$prefix"*) printf '%s\n' "${release#"$prefix"}" > "$kdir/.scmversion" ;;
	*) die "$KSPLICE_EXIT_BAD_INPUT" "$kdir would now build kernel release $prefix..., but its kernel is $release: the configuration or localversion changed since that build" ;;
	esac
}

# The manifest's records under $pre: kbuild's .cmd and .mod files, the
# tree files, and which objects it holds (pre_kind).
read_manifest() {
	local ksplice=$home/build/bin/ksplice kind size stored name
	[ -r "$manifest" ] || die "$KSPLICE_EXIT_BAD_INPUT" "cannot read the manifest $manifest"
	"$ksplice" manifest extract "$manifest" "$pre" --files >&2 ||
		die "$KSPLICE_EXIT_BAD_INPUT" "$manifest: cannot read the manifest"
	tar -xf "$pre/.ksplice/kbuild.tar" -C "$pre" ||
		die "$KSPLICE_EXIT_BAD_INPUT" "$manifest: its kbuild records are damaged"
	while read -r kind size stored name; do
		pre_kind[$name]=$kind
	done < <("$ksplice" manifest show --list "$manifest")
}

# manifest_extract NAME...: the manifest's copies of these objects, in $pre.
manifest_extract() {
	"$home/build/bin/ksplice" manifest extract "$manifest" "$pre" "$@" >&2 ||
		die "$KSPLICE_EXIT_BAD_INPUT" "$manifest: cannot extract $*"
}

# pre_object OBJECT: whether the pre build has it, and with fingerprints:
# fingerprints, plain or none.
pre_object() {
	if [ -n "$manifest" ]; then
		case ${pre_kind[$1]:-} in
		o) echo fingerprints ;;
		p) echo plain ;;
		*) echo none ;;
		esac
	elif [ ! -f "$kdir/$1" ]; then
		echo none
	elif has_fingerprints "$kdir/$1"; then
		echo fingerprints
	else
		echo plain
	fi
}

# With --manifest, KDIR may be a source tree that was never built: give
# it the manifest's configuration, make KSPLICE=1, and what compiling
# single objects and linking a module need (modules_prepare, the pre
# build's Module.symvers). Done once; a prepared or built tree is left
# as it is.
prepare_source_tree() {
	local marker=$kdir/.ksplice-prepared want
	want="$release $build_id"
	if [ ! -f "$kdir/.config" ]; then
		say "configuring $kdir as the manifest's build"
		cp "$pre/.config" "$kdir/.config"
	elif ! cmp -s "$kdir/.config" "$pre/.config"; then
		die "$KSPLICE_EXIT_BAD_INPUT" "$kdir/.config is not the configuration $manifest was built with (remove it to take the manifest's)"
	fi
	[ -e "$kdir/vmlinux" ] && return 0
	[ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ] && return 0
	[ -f "$kdir/.ksplice.mk" ] || bash "$home/kbuild/setup.sh" "$kdir" >&2 ||
		die "$KSPLICE_EXIT_BAD_INPUT" "cannot set up $kdir for make KSPLICE=1"
	# setlocalversion (pin_release) reads the configuration kbuild derives.
	make -C "$kdir" -s CC="$cc" KSPLICE=1 olddefconfig >"$work/prepare.log" 2>&1 ||
		{ cat "$work/prepare.log" >&2; die "$KSPLICE_EXIT_FAILED" "make olddefconfig failed in $kdir"; }
	cmp -s "$kdir/.config" "$pre/.config" ||
		die "$KSPLICE_EXIT_BAD_INPUT" "make olddefconfig changed the manifest's configuration in $kdir: another compiler ($(grep -h '^CONFIG_CC_VERSION_TEXT' "$kdir/.config")) or another source tree than the build's"
	pin_release
	say "preparing $kdir to compile single objects (make modules_prepare)"
	if ! make -C "$kdir" -s -j"$jobs" CC="$cc" KSPLICE=1 modules_prepare >"$work/prepare.log" 2>&1; then
		tail -30 "$work/prepare.log" >&2
		die "$KSPLICE_EXIT_FAILED" "make modules_prepare failed in $kdir"
	fi
	[ ! -e "$tree_journal/pinned" ] || rm -f "$kdir/.scmversion" "$tree_journal/pinned"
	[ "$(cat "$kdir/include/config/kernel.release")" = "$release" ] ||
		die "$KSPLICE_EXIT_BAD_INPUT" "$kdir builds kernel release $(cat "$kdir/include/config/kernel.release"), but the manifest's is $release"
	cp "$pre/Module.symvers" "$kdir/Module.symvers"
	printf '%s\n' "$want" > "$marker"
}

restore() {
	[ -z "${tree_journal:-}" ] || restore_tree "$kdir" "$tree_journal"
}
cleanup() {
	local rc=$?
	progress_stop
	restore
	[ $json -eq 0 ] || write_report "$rc"
	[ -z "$report_file" ] || write_report "$rc" > "$report_file" ||
		echo "ksplice create: cannot write the report to $report_file" >&2
	# Kept when something could not be put back: the next create or
	# build of the tree tries again.
	if [ -n "${tree_journal:-}" ] && [ ! -e "$tree_journal/complete" ]; then
		# --keep-work keeps the pre build's objects too, as work/pre.
		[ $keep -eq 0 ] || [ ! -d "$tree_journal/pre" ] || mv "$tree_journal/pre" "$work/pre"
		rm -rf "$tree_journal"
	fi
	if [ $keep -eq 1 ]; then say "work files kept in $work"; else rm -rf "$work"; fi
	exit $rc
}
