# Sourced by create.sh: the --json report of one `ksplice create`, built
# from what create recorded and from patchgen's records (--report: one
# JSON object per line, {"kind", "name", "object", "text"}), which pass
# into the report as they are.

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

# json_records FILE KIND...: the records of FILE of those kinds (all
# when none is named), as a JSON array. patchgen starts every record
# with {"kind": "KIND", .
json_records() {
	local file=$1 kind pattern=()
	shift
	for kind in "$@"; do
		pattern+=(-e "{\"kind\": \"$kind\", ")
	done
	[ ${#pattern[@]} -gt 0 ] || pattern=(-e '{')
	printf '['
	[ ! -f "$file" ] || grep -F "${pattern[@]}" "$file" | paste -sd ',' | tr -d '\n'
	printf ']'
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
	local rc=$1 records=$work/patchgen.records ko= refusals module=null
	[ -z "${module_path:-}" ] || ko=$module_path
	if [ -n "$ko" ] && [ -f "$ko" ]; then
		module=$(printf '{"path": %s, "size": %s, "sha256": "%s", "signed": %s}' \
			"$(json_string "$ko")" "$(stat -c %s "$ko")" \
			"$(sha256sum "$ko" | cut -d' ' -f1)" \
			"$(tail -c 28 "$ko" | cmp -s - <(printf '~Module signature appended~\n') && echo true || echo false)")
	fi
	refusals=$(json_records "$records" refusal)
	# create's own refusal (a Makefile change) or its summary of patchgen's.
	if [ "$rc" -eq "$KSPLICE_EXIT_REFUSED" ] && [ -n "${last_message:-}" ]; then
		refusals="${refusals%]}$([ "$refusals" = '[]' ] || echo ', ')"
		refusals+="{\"kind\": \"refusal\", \"name\": null, \"object\": null, \"text\": $(json_string "$last_message")}]"
	fi
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
	printf '  "functions": %s,\n' "$(json_records "$records" replace)"
	printf '  "new_symbols": %s,\n' "$(json_records "$records" new)"
	printf '  "hooks": %s,\n' "$(json_records "$records" hook)"
	printf '  "links": %s,\n' "$(json_records "$records" link)"
	printf '  "notes": %s,\n' "$(json_records "$records" note redirect trap same tracepoint)"
	printf '  "refusals": %s,\n' "$refusals"
	printf '  "patchgen": %s,\n' "$(json_records "$records")"
	printf '  "module": %s,\n' "$module"
	printf '  "timings_ms": {"rebuild": %d, "compare": %d, "module": %d, "total": %d},\n' \
		"${ms_rebuild:-0}" "${ms_compare:-0}" "${ms_module:-0}" "$(( $(now_ms) - start_ms ))"
	printf '  "messages": %s\n' "$(json_strings ${messages[@]+"${messages[@]}"})"
	printf '}\n'
}
