# Sourced by create.sh: the --json report of one `ksplice create`, built
# from what create recorded and from patchgen's output lines:
#   replace NAME (OBJECT): WHY      new NAME (OBJECT): function|data
#   hook NAME (OBJECT): KIND        link NAME (OBJECT): HOW
#   patchgen: MESSAGE               (errors and refusals)

json_string() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\"/\\\"}
	s=${s//$'\t'/\\t}
	s=${s//$'\n'/\\n}
	s=${s//$'\r'/\\r}
	printf '"%s"' "$s"
}

# json_strings VALUE...: a JSON array of strings.
json_strings() {
	local sep= v
	printf '['
	for v in "$@"; do
		printf '%s' "$sep"
		json_string "$v"
		sep=', '
	done
	printf ']'
}

# json_named KIND KEY FILE: the "KIND NAME (OBJECT): VALUE" lines of FILE
# as [{"name", "object", KEY: VALUE}].
json_named() {
	local kind=$1 key=$2 file=$3 sep= name object value
	printf '['
	if [ -f "$file" ]; then
		while IFS=$'\t' read -r name object value; do
			printf '%s{"name": %s, "object": %s, "%s": %s}' "$sep" \
				"$(json_string "$name")" "$(json_string "$object")" "$key" \
				"$(json_string "$value")"
			sep=', '
		done < <(sed -n "s/^$kind \([^ ]*\) (\([^)]*\)): \(.*\)$/\1\t\2\t\3/p" "$file")
	fi
	printf ']'
}

# The lines of FILE that start with PREFIX, without it.
lines_after() {
	[ -f "$2" ] || return 0
	sed -n "s/^$1//p" "$2"
}

outcome_of() {
	case $1 in
	"$KSPLICE_EXIT_OK") echo ok ;;
	"$KSPLICE_EXIT_FAILED") echo build-failed ;;
	"$KSPLICE_EXIT_BAD_INPUT") echo bad-input ;;
	"$KSPLICE_EXIT_NOTHING") echo nothing-to-patch ;;
	"$KSPLICE_EXIT_REFUSED") echo refused ;;
	"$KSPLICE_EXIT_INTERRUPTED") echo interrupted ;;
	*) echo failed ;;
	esac
}

# write_report EXIT_CODE: the report on stdout.
write_report() {
	local rc=$1 pg=$work/patchgen.log ko= links=() refusals=() module=null
	[ -z "${module_path:-}" ] || ko=$module_path
	if [ -n "$ko" ] && [ -f "$ko" ]; then
		module=$(printf '{"path": %s, "size": %s, "sha256": "%s", "signed": %s}' \
			"$(json_string "$ko")" "$(stat -c %s "$ko")" \
			"$(sha256sum "$ko" | cut -d' ' -f1)" \
			"$(tail -c 28 "$ko" | cmp -s - <(printf '~Module signature appended~\n') && echo true || echo false)")
	fi
	mapfile -t links < <(lines_after 'link ' "$pg")
	mapfile -t refusals < <(lines_after 'patchgen: ' "$pg")
	[ "$rc" -ne 4 ] || [ -z "${last_message:-}" ] || refusals+=("$last_message")
	printf '{\n'
	printf '  "id": %s,\n' "$(json_string "${id:-}")"
	printf '  "description": %s,\n' "$(json_string "${description:-}")"
	printf '  "exit_code": %d,\n' "$rc"
	printf '  "outcome": "%s",\n' "$(outcome_of "$rc")"
	printf '  "dry_run": %s,\n' "$([ "$dry_run" -eq 1 ] && echo true || echo false)"
	printf '  "kdir": %s,\n' "$(json_string "${kdir:-}")"
	printf '  "release": %s,\n' "$(json_string "${release:-}")"
	printf '  "build_id": %s,\n' "$(json_string "${build_id:-}")"
	printf '  "git": %s,\n' "$(json_strings ${git_commits[@]+"${git_commits[@]}"})"
	printf '  "files": %s,\n' "$(json_strings ${files[@]+"${files[@]}"})"
	printf '  "objects": %s,\n' "$(json_strings ${objs[@]+"${objs[@]}"})"
	printf '  "compiled": %s,\n' "$(json_strings ${compiled[@]+"${compiled[@]}"})"
	printf '  "left_changed": %s,\n' "$(json_strings ${left_changed[@]+"${left_changed[@]}"})"
	printf '  "functions": %s,\n' "$(json_named replace why "$pg")"
	printf '  "new_symbols": %s,\n' "$(json_named new kind "$pg")"
	printf '  "hooks": %s,\n' "$(json_named hook kind "$pg")"
	printf '  "links": %s,\n' "$(json_strings ${links[@]+"${links[@]}"})"
	printf '  "refusals": %s,\n' "$(json_strings ${refusals[@]+"${refusals[@]}"})"
	printf '  "module": %s,\n' "$module"
	printf '  "timings_ms": {"rebuild": %d, "compare": %d, "module": %d, "total": %d},\n' \
		"${ms_rebuild:-0}" "${ms_compare:-0}" "${ms_module:-0}" "$(( $(now_ms) - start_ms ))"
	printf '  "messages": %s\n' "$(json_strings ${messages[@]+"${messages[@]}"})"
	printf '}\n'
}
