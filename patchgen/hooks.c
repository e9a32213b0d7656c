// SPDX-License-Identifier: GPL-2.0
/*
 * The fix's hooks (kmod/include/ksplice_hooks.h): each entry of a post
 * object's .ksplice.hooks section is a kind and a function.  The function
 * is copied into the patch; the core gets the kind and where it went.
 */
#include <stdio.h>
#include <string.h>

#include "ksplice_contract.h"
#include "ksplice_hook_kinds.h"
#include "patch.h"

int carry_hooks(struct patch *patch, struct unit *unit, bool *added)
{
	struct section *sec = object_section(&unit->post, KSPLICE_HOOKS_SECTION);

	*added = false;
	if (!sec)
		return 0;
	if (!sec->bytes || sec->sh.sh_size % KSPLICE_HOOK_ENTRY_SIZE)
		return error("%s: .ksplice.hooks is not a table of hooks", unit->name);
	for (unsigned long e = 0; e < sec->sh.sh_size; e += KSPLICE_HOOK_ENTRY_SIZE) {
		const struct reloc *r = section_reloc_at(sec, e + KSPLICE_HOOK_ENTRY_FN);
		struct symbol *fn;
		unsigned long kind;
		long delta;

		memcpy(&kind, sec->bytes + e + KSPLICE_HOOK_ENTRY_KIND, sizeof(kind));
		fn = r ? reloc_target(unit, r, &delta) : NULL;
		if (!ksplice_hook_kind_name(kind) || !fn || fn->type != STT_FUNC ||
		    !fn->sec || !section_is_text(fn->sec))
			return error("%s: hook %lu of .ksplice.hooks is not a kind and a function "
				     "of this object", unit->name, e / KSPLICE_HOOK_ENTRY_SIZE);
		if (copy_section(patch, unit, fn->sec))
			return -1;
		patch->hooks = xrealloc(patch->hooks, (patch->nr_hooks + 1) * sizeof(*patch->hooks));
		patch->hooks[patch->nr_hooks++] = (struct hook_out){
			.kind = (unsigned int)kind,
			.section = fn->sec->out,
			.offset = fn->sym.st_value + delta,
			.name = fn->name,
		};
		found("hook", fn->name, unit->name, "%s", ksplice_hook_kind_name(kind));
		*added = true;
	}
	return 0;
}
