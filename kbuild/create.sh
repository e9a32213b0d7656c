#!/bin/bash
# ksplice create (--patch FILE... | --git REV|A..B [--repo DIR]) --kdir KDIR
#                [--manifest FILE] [-o OUTDIR] [--id ID] [--description TEXT] [-j N]
#                [--dry-run] [--json] [--report FILE] [--keep-work]
#                [--sign-key KEY --sign-cert CERT | --no-sign]
#
# Builds ksplice-ID.ko from a fix against the tree KDIR, which must have
# been built with `make KSPLICE=1` (that build is the kernel that runs).
# The fix is one or more patch files (a series, in order), or a commit or
# range of commits of the git repository DIR (default: KDIR itself),
# applied to KDIR as it is. Only the objects the fix touches are
# recompiled; the tree, sources and objects, is put back exactly as it
# was afterwards, also on failure and on Ctrl-C. Prints the module's
# path as the last line on stdout.
#
# --manifest FILE takes the pre build from its manifest (ksplice manifest
# write; make KSPLICE=1 writes KDIR/vmlinux.ksplice) instead of from KDIR,
# which may then be a source tree of the same release that was never
# built: create copies in the manifest's .config (or checks KDIR's
# against it), runs `ksplice setup` and `make modules_prepare` there
# once, and compiles only the objects the fix touches. The module is the
# same as one made in the built tree.
#
# When the tree has CONFIG_MODULE_SIG,
# the module is signed with the tree's key (or KEY and CERT), as
# modules_install signs the tree's own.
#
# --dry-run stops before the module: it prints what would be replaced
# and why, the new symbols and any refusal. --json prints a report on
# stdout instead (docs/cli.md) and no progress lines; --report FILE
# writes the same report to FILE and keeps the usual output.
#
# Exit codes: 0 ok, 1 build failed, 2 bad input, 3 nothing to patch,
# 4 the fix cannot be applied live, 130 interrupted.
set -euo pipefail

home=${KSPLICE_HOME:?}
# Exit codes and section names, from kmod/include/ksplice_contract.h.
# Without it ksplice is not built: 2 is KSPLICE_EXIT_BAD_INPUT.
source "$home/build/kbuild/contract.sh" 2>/dev/null ||
	{ echo "ksplice create: ksplice is not built in $home: run make there" >&2; exit 2; }
patches=()
kdir=
out=.
id=
jobs=$(nproc)
keep=0
sign=1
git_spec=
repo=
description=
dry_run=0
json=0
report_file=
manifest=
git_commits=()
messages=()
work=

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
start_ms=$(now_ms)
# Progress lines; --json keeps them for the report instead.
say() {
	messages+=("$*")
	[ $json -eq 1 ] || echo "ksplice create: $*" >&2
}
# kbuild's record beside an object: kbuild_file dir/x.o cmd -> dir/.x.o.cmd
kbuild_file() { echo "$(dirname "$1")/.$(basename "$1").$2"; }
die() {
	local code=$1
	shift
	messages+=("$*")
	last_message=$*
	echo "ksplice create: $*" >&2
	exit "$code"
}
usage() { die "$KSPLICE_EXIT_BAD_INPUT" "usage: ksplice create (--patch FILE | --git REV) --kdir KDIR [--manifest FILE] [-o OUTDIR] [--id ID] [-j N] (--help for more)"; }

while [ $# -gt 0 ]; do
	case "$1" in
	--patch) [ $# -ge 2 ] || usage; patches+=("$(realpath "$2")"); shift 2 ;;
	--kdir) [ $# -ge 2 ] || usage; kdir=$2; shift 2 ;;
	--manifest) [ $# -ge 2 ] || usage; manifest=$(realpath "$2"); shift 2 ;;
	-o|--output) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	--id) [ $# -ge 2 ] || usage; id=$2; shift 2 ;;
	-j) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	--git) [ $# -ge 2 ] || usage; git_spec=$2; shift 2 ;;
	--repo) [ $# -ge 2 ] || usage; repo=$2; shift 2 ;;
	--description) [ $# -ge 2 ] || usage; description=$2; shift 2 ;;
	--dry-run) dry_run=1; shift ;;
	--json) json=1; shift ;;
	--report) [ $# -ge 2 ] || usage; report_file=$(realpath "$2"); shift 2 ;;
	--keep-work) keep=1; shift ;;
	# A pkcs11: URI (a key in a token) is passed on as it is.
	--sign-key) [ $# -ge 2 ] || usage
		case "$2" in pkcs11:*) KSPLICE_SIGN_KEY=$2 ;; *) KSPLICE_SIGN_KEY=$(realpath "$2") ;; esac
		export KSPLICE_SIGN_KEY; shift 2 ;;
	--sign-cert) [ $# -ge 2 ] || usage; export KSPLICE_SIGN_CERT=$(realpath "$2"); shift 2 ;;
	--no-sign) sign=0; shift ;;
	-h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) usage ;;
	esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ksplice-create.XXXXXX")
objs=()
inputs=()	# objects built only into an embedded image (the vDSO's)
new_files=()
absent=()	# what a source tree had not built: removed again
source "$home/kbuild/report.sh"
source "$home/kbuild/create-lib.sh"
source "$home/kbuild/tree-lock.sh"
source "$home/kbuild/progress.sh"
trap cleanup EXIT
trap 'say "interrupted; tree restored"; exit "$KSPLICE_EXIT_INTERRUPTED"' INT TERM HUP
# A reader that went away (create ... | head): the tree is put back all
# the same, without a word, as there is nobody to read it.
trap 'exit "$KSPLICE_EXIT_INTERRUPTED"' PIPE

[ -n "$kdir" ] || usage
[ ${#patches[@]} -gt 0 ] || [ -n "$git_spec" ] || usage
[ -z "$git_spec" ] || [ ${#patches[@]} -eq 0 ] || die "$KSPLICE_EXIT_BAD_INPUT" "give the fix as --patch files or as --git, not both"
[ -n "$git_spec" ] || [ -z "$repo" ] || die "$KSPLICE_EXIT_BAD_INPUT" "--repo goes with --git"
for p in "${patches[@]}"; do
	[ -r "$p" ] || die "$KSPLICE_EXIT_BAD_INPUT" "cannot read $p"
done
[ -d "$kdir" ] || die "$KSPLICE_EXIT_BAD_INPUT" "no kernel tree at $kdir"
kdir=$(cd "$kdir" && pwd)
check_tools
# Held until create exits, restored tree and all.
lock_tree "$kdir" say
mkdir -p "$tree_journal"
# $pre holds the pre build's records: the tree itself, or what the
# manifest has of it.
declare -A pre_kind=()
if [ -n "$manifest" ]; then
	pre=$work/manifest
	read_manifest
else
	pre=$kdir
	check_built_tree
fi
cc=$(tree_cc)
[ -n "$cc" ] || die "$KSPLICE_EXIT_BAD_INPUT" "$pre/init/.main.o.cmd does not say how init/main.o was compiled: is the build complete?"
use_tree_arch
if [ -n "$git_spec" ]; then
	git_fix "${repo:-$kdir}" "$git_spec" "$work/git.patch"
	patches=("$work/git.patch")
fi
[ -n "$id" ] || id=$(cat "${patches[@]}" | sha1sum | cut -c1-8)
[[ "$id" =~ ^[A-Za-z0-9_-]{1,48}$ ]] || die "$KSPLICE_EXIT_BAD_INPUT" "bad id '$id': use letters, digits, _ and -"
mkdir -p "$out"
out=$(cd "$out" && pwd)
release=$(cat "$pre/include/config/kernel.release")
# The booted build, not just its release: the core refuses any other.
if [ -n "$manifest" ]; then
	build_id=$(cat "$pre/.ksplice/build-id")
	prepare_source_tree
else
	build_id=$(vmlinux_build_id "$kdir/vmlinux")
fi

# The files the fix touches, as paths inside the tree (-p1).
mapfile -t files < <(sed -n 's/^+++ \([^\t ]*\).*/\1/p; s/^--- \([^\t ]*\).*/\1/p' "${patches[@]}" |
	grep -v '^/dev/null$' | cut -d/ -f2- | sort -u)
[ ${#files[@]} -gt 0 ] || die "$KSPLICE_EXIT_BAD_INPUT" "no file names found in ${patches[*]}: is it a unified diff?"
for f in "${files[@]}"; do
	case "$f" in
	*.c|*.h) ;;
	*) die "$KSPLICE_EXIT_REFUSED" "$f: only changes to C sources and headers can be applied live" ;;
	esac
done

# Objects that depend on a touched file, from kbuild's own dependency
# records (.cmd files): exactly what an incremental make would rebuild.
regex=$(printf '%s\n' "${files[@]}" | sed 's/[.+]/\\&/g' | paste -sd'|')
mapfile -t cmds < <(cd "$pre" && find . -name '.*.o.cmd' -not -name '*.mod.o.cmd' -print0 |
	xargs -0 -r grep -lE "(^|[ =])($regex)( |$)" | sed 's|^\./||' | sort)
# What the running kernel is made of (linked_objects). An object in none
# of them (the vDSO's own code) reaches the kernel only through the
# object that embeds its output (vdso-image-64.o), which patchgen compares.
declare -A linked=()
while IFS= read -r m; do
	linked[$m]=1
done < <(if [ -n "$manifest" ]; then cat "$pre/.ksplice/linked"; else linked_objects "$kdir"; fi)
for c in "${cmds[@]}"; do
	o=$(kbuild_target "$c")
	case $(pre_object "$o") in
	none) continue ;;
	plain) say "skipping $o: not built with the ksplice plugin (boot or vDSO code)"
		continue ;;
	esac
	# init/version*.o hold the build's number and time (UTS_VERSION),
	# which kbuild regenerates, and bumps .version for, on every build:
	# rebuilt, their data would differ from the running kernel's for no
	# reason of the fix's. What the fix does to their own source is
	# refused instead.
	if grep -qE '(^|[ /])(include/generated/utsversion\.h|init/utsversion-tmp\.h)( |$)' "$pre/$c"; then
		src=$(sed -n 's/^source_[^ ]* := //p' "$pre/$c")
		grep -qxF "$src" < <(printf '%s\n' "${files[@]}") &&
			die "$KSPLICE_EXIT_REFUSED" "$src holds the build's version and time; ksplice cannot rebuild it to the running kernel's"
		say "skipping $o: it holds the build's version and time, not code of the fix"
		continue
	fi
	if [ ${#linked[@]} -gt 0 ] && [ -z "${linked[$o]:-}" ]; then
		inputs+=("$o")
		continue
	fi
	objs+=("$o")
done
# An object linked into neither (the vDSO's code) reaches the kernel as
# an image that an object of its directory embeds, built from a C file
# that kbuild generates (vdso-image-64.c): that object is rebuilt and
# compared instead, and the object itself is only put back.
for o in ${inputs[@]+"${inputs[@]}"}; do
	d=$(dirname "$o")
	embedders=()
	for g in "$pre/$d"/.*.c.cmd; do
		[ -f "$g" ] || continue
		e=$(basename "$g" .c.cmd)
		e=$d/${e#.}.o
		[ -n "${linked[$e]:-}" ] && [ "$(pre_object "$e")" = fingerprints ] || continue
		embedders+=("$e")
		# (Not printf | grep -q: under pipefail, printf killed by
		# SIGPIPE once grep has its match would add it twice.)
		[[ " ${objs[*]} " == *" $e "* ]] || objs+=("$e")
	done
	# arm64 embeds its vDSO image from assembly (vdso-wrap.S), which
	# has no records to compare: a change there would go unseen.
	[ ${#embedders[@]} -gt 0 ] || [ "$ARCH" != arm64 ] ||
		die "$KSPLICE_EXIT_REFUSED" "$o is not linked into vmlinux or a module: it is the vDSO's code, which arm64 builds into an image that assembly embeds, and it cannot change live"
	say "not comparing $o: not linked into vmlinux or a module${embedders[0]:+ (it is built into the image that ${embedders[*]} embeds, which is compared)}"
done
# kbuild also rebuilds the image's other objects from the same source
# (vdso32/vgetcpu.o, vgetcpu-x32.o): every object of those directories
# is put back too.
if [ ${#inputs[@]} -gt 0 ]; then
	mapfile -t inputs < <(for o in "${inputs[@]}"; do echo "$o"
		(cd "$kdir" && find "$(dirname "$o")" -name '*.o' -type f); done | sort -u)
fi
# Objects of loadable modules: kbuild's NAME.mod lists the objects of
# NAME.ko. patchgen needs the .ko for the module's name and symbols.
module_args=()
if [ ${#objs[@]} -gt 0 ]; then
	mapfile -t mods < <(cd "$pre" && find . -name '*.mod' -printf '%P\n')
	for o in "${objs[@]}"; do
		for m in "${mods[@]}"; do
			grep -qxF "$o" "$pre/$m" || continue
			ko=${m%.mod}.ko
			[ -z "$manifest" ] || [ "$(pre_object "$ko")" = none ] || manifest_extract "$ko"
			[ -f "$pre/$ko" ] || die "$KSPLICE_EXIT_BAD_INPUT" "$o belongs to $ko, which ${manifest:-$kdir} has not built"
			module_args+=(--module "$o=$pre/$ko")
			say "$o is part of module $(basename "$ko" .ko)"
		done
	done
fi

# Keep what the rebuild overwrites, then apply the fix.
for f in "${files[@]}"; do
	if [ -e "$kdir/$f" ]; then
		mkdir -p "$tree_journal/src/$(dirname "$f")"
		cp -p "$kdir/$f" "$tree_journal/src/$f"
	else
		new_files+=("$f")	# the fix creates it
	fi
done
for o in "${objs[@]}" ${inputs[@]+"${inputs[@]}"}; do
	c=$(kbuild_file "$o" cmd)
	d=$(kbuild_file "$o" d)
	# A source tree has not built it: what the build writes goes again.
	if [ ! -e "$kdir/$o" ]; then
		absent+=("$o" "$c" "$d")
		continue
	fi
	mkdir -p "$tree_journal/pre/$(dirname "$o")"
	cp -p "$kdir/$o" "$tree_journal/pre/$o"
	[ ! -e "$kdir/$c" ] || cp -p "$kdir/$c" "$tree_journal/pre/$c"
	[ ! -e "$kdir/$d" ] || cp -p "$kdir/$d" "$tree_journal/pre/$d"
done
# kbuild's prepare stage rewrites this dependency file on every make.
mkdir -p "$tree_journal/pre"
ls -d "$kdir"/.tmp_* > "$tree_journal/tmp-dirs" 2>/dev/null || true
[ ! -f "$kdir/.missing-syscalls.d" ] || cp -p "$kdir/.missing-syscalls.d" "$tree_journal/pre/"
kbuild_generated_files | (cd "$kdir" && xargs -r -d '\n' cp -p --parents -t "$tree_journal/pre/")
# Put back even if kbuild rewrote them: the release (see pin_release),
# and the configuration, which kbuild regenerates when the compiler's
# version text changes (a distcc that renames gcc, for one).
for f in include/config/kernel.release include/generated/utsrelease.h .config \
	include/config/auto.conf include/config/auto.conf.cmd include/config/CC_VERSION_TEXT \
	include/generated/autoconf.h include/generated/rustc_cfg include/generated/compile.h; do
	[ ! -f "$kdir/$f" ] || { mkdir -p "$tree_journal/pre/$(dirname "$f")"; cp -p "$kdir/$f" "$tree_journal/pre/$f"; }
done
mapfile -t deps < <(for o in ${objs[@]+"${objs[@]}"} ${inputs[@]+"${inputs[@]}"}; do kbuild_file "$o" d; done)
journal_complete ${deps[@]+"${deps[@]}"}
pin_release
say "applying ${#patches[@]} fix file(s) to $kdir"
for p in "${patches[@]}"; do
	what=$p
	[ -z "$git_spec" ] || what="--git $git_spec"
	if ! patch -p1 -d "$kdir" -s -f -N --no-backup-if-mismatch -r - < "$p" >"$work/patch.log" 2>&1; then
		# patch -N may have applied some files before it stopped.
		restore
		if patch -p1 -d "$kdir" -R --dry-run -s -f < "$p" >/dev/null 2>&1; then
			die "$KSPLICE_EXIT_BAD_INPUT" "$kdir already has $what: its sources must be those of the running kernel, without the fix"
		fi
		[ $json -eq 1 ] || cat "$work/patch.log" >&2
		die "$KSPLICE_EXIT_BAD_INPUT" "$what does not apply to $kdir"
	fi
done
if [ ${#objs[@]} -eq 0 ]; then
	die "$KSPLICE_EXIT_NOTHING" "nothing to patch: no object of this configuration uses ${files[*]}"
fi

# The pre objects patchgen compares: their copies from before the build,
# or the manifest's.
if [ -n "$manifest" ]; then
	prein=$pre
	manifest_extract "${objs[@]}"
else
	prein=$tree_journal/pre
fi

say "rebuilding ${#objs[@]} object(s) with the plugin: ${objs[*]}"
start_ms_rebuild=$(now_ms)
touch "$work/stamp"
# post_build FLAGS: the fix's objects built with FLAGS added, for exactly
# these targets: CFLAGS_KERNEL given on the command line reaches every
# sub-make unexpanded, so $@ is the object being compiled. Flags for
# everything would rebuild kbuild's own prepare-stage files (asm-offsets,
# scripts/mod) too. The fix may use the hooks and shadow variables of
# ksplice_hooks.h.
post_build()
{
	local sections='$(if $(filter $(KSPLICE_SECTIONS_OBJS),$@),'"$1"' -I$(KSPLICE_HOOKS_INCLUDE))'

	[ $json -eq 1 ] || progress_start "ksplice create" "$kdir" "$work/stamp" "${#objs[@]}"
	if ! make -C "$kdir" -s -j"$jobs" CC="$cc" KSPLICE=1 KSPLICE_SECTIONS_OBJS="${objs[*]}" \
		KSPLICE_HOOKS_INCLUDE="$home/kmod/include" \
		CFLAGS_KERNEL="$sections" CFLAGS_MODULE="$sections" "${objs[@]}" >"$work/build.log" 2>&1; then
		progress_stop
		tail -30 "$work/build.log" >&2
		die "$KSPLICE_EXIT_FAILED" "the fixed source does not build"
	fi
	progress_stop
}
# anchor_order_of OBJECT: its data objects by section and offset (16 hex
# digits: they sort as text); empty ones are left out, as GCC puts them
# before or after the next one at its offset (gcc-plugin/anchor_order.c).
anchor_order_of() {
	"${CROSS_COMPILE:-}readelf" -sW "$1" |
		awk '$4 == "OBJECT" && $3 != 0 && $7 ~ /^[0-9]+$/ && $8 !~ /^[$.]/ {
			print $7, $2, NR, $8 }' |
		sort -k1,1n -k2,2 -k3,3n | cut -d' ' -f4
}
# On arm64, the build whose fingerprints are compared keeps the pre
# build's data sections: GCC reaches static data there from section
# anchors, one per data section, and with a section per object the code
# of every function that reads two statics would differ from the pre
# build's. The code patchgen copies comes from a second build without
# anchors (below).
#
# GCC fills an anchor's block in the order the file's functions first
# use its objects: a fix that uses one earlier moves the others, and a
# function that reaches them from the anchor around a loop would look
# changed. The plugin lays each block out as the pre object lists its
# data (gcc-plugin/anchor_order.c), by the source name kbuild compiles.
if [ "$ARCH" = arm64 ]; then
	anchor_order=$work/anchor-order
	for o in "${objs[@]}"; do
		src=$(sed -n 's/^source_[^ ]* := //p' "$prein/$(kbuild_file "$o" cmd)" 2>/dev/null)
		[ -n "$src" ] && [ -f "$prein/$o" ] || continue
		mkdir -p "$anchor_order/$(dirname "$src")"
		anchor_order_of "$prein/$o" > "$anchor_order/$src.anchors"
	done
	post_build "-ffunction-sections -fplugin-arg-ksplice_plugin-anchor-order=$anchor_order"
else
	post_build "-ffunction-sections -fdata-sections"
fi
cmp -s "$kdir/include/config/auto.conf" "$tree_journal/pre/include/config/auto.conf" ||
	die "$KSPLICE_EXIT_FAILED" "kbuild reconfigured $kdir during the post build: the compiler now gives another version text or configuration ($(grep -h '^CONFIG_CC_VERSION_TEXT' "$kdir/.config")); use the compiler command the tree was built with"
new_release=$(cat "$kdir/include/config/kernel.release")
[ "$new_release" = "$release" ] ||
	die "$KSPLICE_EXIT_FAILED" "kbuild changed the kernel release from $release to $new_release; a patch module of that release would not load"
# What kbuild wrote: the objects it compiled are the evidence that only
# the fix's were; anything not put back below is reported.
mapfile -t compiled < <(changed_since_stamp | grep '\.o$' || true)
mkdir -p "$work/post"
for o in "${objs[@]}"; do
	c=$(kbuild_file "$o" cmd)
	mkdir -p "$work/post/$(dirname "$o")"
	cp "$kdir/$o" "$work/post/$o"
	cp "$kdir/$c" "$work/post/$c"
done
# arm64: the code again, with a section per data object and no anchors,
# so that each reference names the object it reaches and the new code
# finds the running statics wherever the fix puts its own (a reference
# from an anchor reaches every static of the section by its offset,
# which a new static moves). GCC's choice of functions and clones is
# made before either flag matters; the fingerprints compared stay the
# first build's, put into these objects.
unanchored=
if [ "$ARCH" = arm64 ]; then
	post_build "-ffunction-sections -fdata-sections -fno-section-anchors"
	unanchored=1
	for o in "${objs[@]}"; do
		"${CROSS_COMPILE:-}objcopy" --dump-section .discard.ksplice.fingerprints="$work/fingerprints" "$work/post/$o" &&
			"${CROSS_COMPILE:-}objcopy" --update-section .discard.ksplice.fingerprints="$work/fingerprints" \
				"$kdir/$o" "$work/post/$o" ||
			die "$KSPLICE_EXIT_FAILED" "cannot carry the fingerprints of $o into its build without section anchors"
	done
fi
restore
mapfile -t left_changed < <(changed_since_stamp)
# In a source tree, what the build made besides them (the vDSO's image,
# a directory's built-in.a) was not there before: it goes.
if [ -n "$manifest" ] && [ ! -e "$kdir/vmlinux" ] && [ ${#left_changed[@]} -gt 0 ]; then
	(cd "$kdir" && rm -f -- "${left_changed[@]}")
	left_changed=()
fi
[ ${#left_changed[@]} -eq 0 ] ||
	say "warning: kbuild also rewrote ${left_changed[*]}, which create does not put back"
ms_rebuild=$(( $(now_ms) - start_ms_rebuild ))
say "rebuilt in $(( ms_rebuild / 1000 ))s; tree restored"

# With CONFIG_MODVERSIONS kbuild records each exported symbol's CRC (a
# hash of its C type) in the object's .cmd file. A changed CRC means
# modules built against the fixed tree would not load on the patched
# kernel, and loaded ones were built for the old type: refuse.
crc_changed=0
for o in "${objs[@]}"; do
	c=$(kbuild_file "$o" cmd)
	while read -r sym; do
		say "$o: the CRC of exported symbol $sym changed (its type changed); modules built for either side would not work with the other"
		crc_changed=1
	done < <(awk '$1 == "#SYMVER" && FNR == NR { pre[$2] = $3; next }
		$1 == "#SYMVER" && ($2 in pre) && pre[$2] != $3 { print $2 }' \
		"$prein/$c" "$work/post/$c")
done
[ $crc_changed -eq 0 ] || die "$KSPLICE_EXIT_REFUSED" "refused: the fix changes the type of an exported symbol"

# The core's Module.symvers: what a fix may call in it (shadow variables).
# Built once per tree and kept (kbuild rebuilds it when the tree changes);
# the lock serialises creates against one tree.
core=${KSPLICE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ksplice}/core-$(printf '%s' "$kdir" | sha1sum | cut -c1-12)
mkdir -p "$(dirname "$core")"
KSPLICE_NO_SIGN=$(( sign == 0 || dry_run == 1 )) flock "$core.lock" bash "$home/kbuild/build-core.sh" "$kdir" "$core" 2>"$work/core.log" ||
	{ cat "$work/core.log" >&2; die "$KSPLICE_EXIT_FAILED" "cannot build the ksplice core against $kdir"; }

mkdir -p "$work/module"
units=()
for o in "${objs[@]}"; do
	units+=("$o" "$prein/$o" "$work/post/$o")
done
say "comparing fingerprints"
rc=0
t=$(now_ms)
"$home/build/bin/ksplice-patchgen" --id "$id" --release "$release" --out "$work/module" \
	--symvers "$pre/Module.symvers" --symvers "$core/Module.symvers" \
	--system-map "$pre/System.map" \
	${build_id:+--build-id "$build_id"} ${description:+--description "$description"} \
	--report "$work/patchgen.records" ${unanchored:+--unanchored} \
	${module_args[@]+"${module_args[@]}"} "${units[@]}" >"$work/patchgen.log" 2>&1 || rc=$?
ms_compare=$(( $(now_ms) - t ))
# What it found is the answer of a dry run; otherwise progress.
if [ $json -eq 0 ]; then
	if [ $dry_run -eq 1 ]; then
		grep -v '^patchgen: ' "$work/patchgen.log" || true
		grep '^patchgen: ' "$work/patchgen.log" >&2 || true
	else
		cat "$work/patchgen.log" >&2
	fi
fi
case $rc in
"$KSPLICE_EXIT_OK") ;;
"$KSPLICE_EXIT_NOTHING") die "$KSPLICE_EXIT_NOTHING" "nothing to patch: the fix changes no function's code" ;;
"$KSPLICE_EXIT_REFUSED") die "$KSPLICE_EXIT_REFUSED" "refused: the fix cannot be applied live (see above)" ;;
"$KSPLICE_EXIT_BAD_INPUT") die "$KSPLICE_EXIT_BAD_INPUT" "bad input objects" ;;
*) die "$KSPLICE_EXIT_FAILED" "patchgen failed" ;;
esac
if [ $dry_run -eq 1 ]; then
	say "dry run: no module built"
	exit "$KSPLICE_EXIT_OK"
fi

say "building ksplice-$id.ko"
t=$(now_ms)
cp "$home/kmod/patch_template.c" "$home/kmod/ksplice_patch.h" \
	"$home/kmod/include/ksplice_hook_kinds.h" "$work/module/"
mv "$work/module/patch.o" "$work/module/ksplice_code.o"
# modpost reads each object's .cmd file for the CRCs of what it exports
# (CONFIG_MODVERSIONS); the patch code exports nothing.
: > "$work/module/.ksplice_code.o.cmd"
mv "$work/module/meta.c" "$work/module/ksplice_meta.c"
cat > "$work/module/Kbuild" <<EOK
obj-m := ksplice-$id.o
ksplice-$id-y := patch_template.o ksplice_meta.o ksplice_code.o
ccflags-y := -I\$(src)
EOK
if ! make -C "$kdir" -s CC="$cc" M="$work/module" KBUILD_EXTRA_SYMBOLS="$core/Module.symvers" \
	modules >"$work/module.log" 2>&1; then
	cat "$work/module.log" >&2
	die "$KSPLICE_EXIT_FAILED" "kbuild could not link the patch module"
fi
if [ $sign -eq 1 ]; then
	bash "$home/kbuild/sign.sh" "$kdir" "$work/module/ksplice-$id.ko" ||
		die "$KSPLICE_EXIT_BAD_INPUT" "could not sign ksplice-$id.ko (see above; --no-sign leaves it unsigned)"
fi
cp "$work/module/ksplice-$id.ko" "$out/ksplice-$id.ko"
module_path=$out/ksplice-$id.ko
ms_module=$(( $(now_ms) - t ))
[ $json -eq 1 ] || echo "$module_path"
