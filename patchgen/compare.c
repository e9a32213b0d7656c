// SPDX-License-Identifier: GPL-2.0
/*
 * What the plugin's records of one unit say before any code is copied:
 * whether the two builds can be compared at all (compiler, plugin,
 * code-generation flags), whether the fix changes something no live
 * patch can change (a struct layout, the initial value of writable
 * data), which pre function each post function is (clones are renamed
 * between builds), and why a function changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patch.h"

int compare_unit_builds(const struct unit *unit)
{
	const struct fingerprint_table *pre = &unit->pre_fp, *post = &unit->post_fp;
	const char *flags;

	if (strcmp(pre->compiler, post->compiler))
		return refuse("%s: pre and post were built by different compilers (%s, %s)",
			      unit->name, pre->compiler, post->compiler);
	if (strcmp(pre->plugin, post->plugin))
		return refuse("%s: pre and post were built with different ksplice plugins "
			      "(%s, %s); rebuild the kernel with make KSPLICE=1",
			      unit->name, pre->plugin, post->plugin);
	flags = fingerprint_flags_differ(pre, post);
	if (flags)
		return refuse("%s: pre and post were built with different code-generation "
			      "flags (%s)", unit->name, flags);
	return 0;
}

static int compare_hashes(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Several records may share a name: block-scope struct tags, statics of
 * the same name in two blocks of one function, __UNIQUE_ID_ objects
 * whose name ends in digits of its own.  Such a group is the same when
 * the sorted lists of hashes are; which record had which name is noise.
 */
struct hash_group {
	uint64_t *hashes;
	size_t count;
};

static void group_add(struct hash_group *group, uint64_t hash)
{
	group->hashes = xrealloc(group->hashes, (group->count + 1) * sizeof(uint64_t));
	group->hashes[group->count++] = hash;
}

static bool groups_equal(struct hash_group *a, struct hash_group *b)
{
	bool equal = a->count == b->count;

	qsort(a->hashes, a->count, sizeof(uint64_t), compare_hashes);
	qsort(b->hashes, b->count, sizeof(uint64_t), compare_hashes);
	for (size_t i = 0; equal && i < a->count; i++)
		equal = a->hashes[i] == b->hashes[i];
	free(a->hashes);
	free(b->hashes);
	return equal;
}

static struct hash_group type_group(const struct fingerprint_table *table,
				    const struct type_fingerprint *type)
{
	struct hash_group group = { 0 };

	for (size_t i = fingerprint_pair_first(&table->type_keys, type->kind, type->name);
	     i != NAME_NONE; i = name_index_next(&table->type_keys, i))
		group_add(&group, table->types[i].layout);
	return group;
}

int compare_unit_types(const struct unit *unit)
{
	for (size_t i = 0; i < unit->post_fp.nr_types; i++) {
		const struct type_fingerprint *type = &unit->post_fp.types[i];
		struct hash_group pre = type_group(&unit->pre_fp, type);
		struct hash_group post = type_group(&unit->post_fp, type);

		if (pre.count && !groups_equal(&pre, &post))
			return refuse("%s: the layout of %s %s changed; data already in "
				      "the running kernel keeps the old one", unit->name,
				      type->kind, type->name);
		if (!pre.count)
			free(post.hashes);
	}
	return 0;
}

static struct hash_group data_group(const struct fingerprint_table *table, const char *key)
{
	struct hash_group group = { 0 };

	for (size_t i = name_index_first(&table->var_keys, key); i != NAME_NONE;
	     i = name_index_next(&table->var_keys, i))
		group_add(&group, table->vars[i].noline);
	return group;
}

/*
 * Read-only data may change: new code gets its own copy.  Writable data
 * holds live state that the running kernel has already changed.
 */
int compare_unit_data(const struct unit *unit)
{
	for (size_t i = 0; i < unit->post_fp.nr_vars; i++) {
		const struct data_fingerprint *var = &unit->post_fp.vars[i];
		const struct symbol *sym = object_symbol(&unit->post, var->name), *pre_sym;
		const char *pre_name;
		enum image_change image;
		struct hash_group pre = data_group(&unit->pre_fp, var->key);
		struct hash_group post = data_group(&unit->post_fp, var->key);

		if (!pre.count) {
			free(post.hashes);
			continue;
		}
		if (groups_equal(&pre, &post))
			continue;
		if (sym && sym->sec && !section_is_writable(sym->sec))
			continue;
		pre_name = pre_data_name_of(unit, var->name);
		pre_sym = object_symbol(&unit->pre, pre_name ? pre_name : var->name);
		image = sym && pre_sym ? embedded_image_change(pre_sym, sym) : IMAGE_NONE;
		if (image == IMAGE_BUILD_ID_ONLY) {
			found("same", var->name, unit->name,
			      "an embedded ELF image whose build id alone changed");
			continue;
		}
		if (image == IMAGE_CHANGED)
			return refuse("%s: %s, an embedded ELF image (the vDSO, or another build "
				      "output), changed; code that runs outside the kernel cannot "
				      "change live", unit->name, var->name);
		return refuse("%s: the initial value of %s changed; existing data "
			      "cannot change live", unit->name, var->name);
	}
	return 0;
}

/*
 * The same code: equal strict hashes, or equal but for immediates equal to
 * a source line (noline).  The noline rule alone can see a change where
 * there is none: a struct offset that equals the line number of its
 * instruction in one build only (pde->flags at offset 170, on line 170).
 */
bool same_code(const struct fingerprint *a, const struct fingerprint *b)
{
	return a->strict == b->strict || a->noline == b->noline;
}

/* Clones in TABLE of CLONE's origin and kind; *SAME: one with its code. */
static size_t clone_group(const struct fingerprint_table *table,
			  const struct fingerprint *clone, const struct fingerprint **one,
			  const struct fingerprint **same)
{
	size_t count = 0;

	*one = *same = NULL;
	for (size_t i = fingerprint_pair_first(&table->clones, clone->origin, clone->clone_kind);
	     i != NAME_NONE; i = name_index_next(&table->clones, i)) {
		const struct fingerprint *fn = &table->fns[i];

		*one = fn;
		count++;
		if (same_code(fn, clone) &&
		    (!*same || !strcmp(fn->name, clone->name)))
			*same = fn;
	}
	return count;
}

/*
 * The pre function that POST replaces.  Functions pair by name.  Clones
 * do not: GCC numbers them per build ("scale.constprop.0" may be another
 * specialisation next time), so a clone pairs with the only clone of
 * the same source function and kind, or with one whose code is the same.
 * NULL for a new function; *AMBIGUOUS when some pre clone changed or
 * vanished and nothing says which post clone it became.
 */
const struct fingerprint *pre_function_of(const struct unit *unit,
					  const struct fingerprint *post, bool *ambiguous)
{
	const struct fingerprint *pre_one, *pre_same, *post_one, *unused;
	size_t nr_pre, nr_post;

	*ambiguous = false;
	if (!post->origin)
		return fingerprint_find(&unit->pre_fp, post->name);
	nr_pre = clone_group(&unit->pre_fp, post, &pre_one, &pre_same);
	nr_post = clone_group(&unit->post_fp, post, &post_one, &unused);
	if (nr_pre == 1 && nr_post == 1)
		return pre_one;
	if (pre_same)
		return pre_same;
	/* New, unless a pre clone lost its code and may have become this. */
	for (size_t i = fingerprint_pair_first(&unit->pre_fp.clones, post->origin, post->clone_kind);
	     i != NAME_NONE; i = name_index_next(&unit->pre_fp.clones, i)) {
		const struct fingerprint *pre = &unit->pre_fp.fns[i];
		const struct fingerprint *same;

		clone_group(&unit->post_fp, pre, &unused, &same);
		if (!same) {
			*ambiguous = true;
			return NULL;
		}
	}
	return NULL;
}

/* The pre name of the data object the post build calls POST_NAME. */
const char *pre_data_name_of(const struct unit *unit, const char *post_name)
{
	size_t post = name_index_first(&unit->post_fp.var_names, post_name), pre;

	if (post == NAME_NONE)
		return NULL;
	pre = name_index_first(&unit->pre_fp.var_keys, unit->post_fp.vars[post].key);
	if (pre == NAME_NONE || name_index_next(&unit->pre_fp.var_keys, pre) != NAME_NONE)
		return NULL;
	return unit->pre_fp.vars[pre].name;
}

static const struct data_fingerprint *data_record(const struct fingerprint_table *table,
						  const char *name)
{
	size_t i = name_index_first(&table->var_names, name);

	return i == NAME_NONE ? NULL : &table->vars[i];
}

/*
 * Whether the plugin's records say the data object PRE_NAME of the pre
 * build and POST_NAME of the post build hold the same initial value,
 * including what their pointers point to, which their bytes do not show.
 * *KNOWN is false when either has no record.
 */
bool same_data_records(const struct unit *unit, const char *pre_name, const char *post_name,
		       bool *known)
{
	const struct data_fingerprint *pre = data_record(&unit->pre_fp, pre_name);
	const struct data_fingerprint *post = data_record(&unit->post_fp, post_name);

	*known = pre && post;
	return *known && pre->noline == post->noline;
}

static bool inlines(const struct fingerprint *fn, const char *callee)
{
	for (size_t j = 0; j < fn->nr_inlines; j++)
		if (!strcmp(fn->inlines[j], callee))
			return true;
	return false;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every function that some function the fix leaves alone inlines, sorted. */
static const char **bystanders_of(const struct unit *units, size_t nr_units, size_t *count)
{
	const char **names = NULL;

	*count = 0;
	for (size_t u = 0; u < nr_units; u++) {
		const struct unit *unit = &units[u];

		for (size_t i = 0; i < unit->post_fp.nr_fns; i++) {
			const struct fingerprint *fn = &unit->post_fp.fns[i];
			const struct fingerprint *pre;
			bool ambiguous;

			pre = pre_function_of(unit, fn, &ambiguous);
			if (!pre || !same_code(pre, fn) || !fn->nr_inlines)
				continue;
			names = xrealloc(names, (*count + fn->nr_inlines) * sizeof(*names));
			for (size_t j = 0; j < fn->nr_inlines; j++)
				names[(*count)++] = fn->inlines[j];
		}
	}
	if (*count)
		qsort(names, *count, sizeof(*names), compare_names);
	return names;
}

struct suspect {
	const char *name;
	bool bystander;		/* an unchanged function inlines it too */
	size_t changed_users;	/* replaced functions that inline it */
};

static int compare_suspects(const void *a, const void *b)
{
	const struct suspect *x = a, *y = b;

	if (x->bystander != y->bystander)
		return x->bystander - y->bystander;
	if (x->changed_users != y->changed_users)
		return x->changed_users > y->changed_users ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * "its code changed; it is GCC's constprop clone of f; it inlines a, b and
 * 3 more".  The inlined functions most likely to hold the fix come first:
 * those that no unchanged function inlines, then those that more replaced
 * functions inline (a header inline that changed is in every function the
 * fix replaces).
 */
static char *explain(const struct patch *patch, const char **bystanders,
		     size_t nr_bystanders, const struct fingerprint *post, const char *reads)
{
	enum { SHOWN = 4 };
	size_t n = post->nr_inlines, size = 0;
	struct suspect *suspects = xcalloc(n ? n : 1, sizeof(*suspects));
	char *why = NULL;
	FILE *f;

	for (size_t i = 0; i < n; i++) {
		suspects[i].name = post->inlines[i];
		suspects[i].bystander = nr_bystanders &&
			bsearch(&post->inlines[i], bystanders, nr_bystanders,
				sizeof(*bystanders), compare_names);
		for (size_t j = 0; j < patch->nr_funcs; j++)
			if (patch->funcs[j].post_fp && inlines(patch->funcs[j].post_fp,
							      post->inlines[i]))
				suspects[i].changed_users++;
	}
	qsort(suspects, n, sizeof(*suspects), compare_suspects);
	f = open_memstream(&why, &size);
	if (!f) {
		perror("patchgen");
		exit(EXIT_FAILED);
	}
	if (reads) {
		fprintf(f, "it reads %s, whose value changed", reads);
		n = 0;
	} else {
		fputs("its code changed", f);
	}
	if (post->origin)
		fprintf(f, "; it is GCC's %s clone of %s", post->clone_kind, post->origin);
	for (size_t i = 0; i < n && i < SHOWN; i++)
		fprintf(f, "%s%s", i ? ", " : "; it inlines ", suspects[i].name);
	if (n > SHOWN)
		fprintf(f, " and %zu more", n - SHOWN);
	fclose(f);
	free(suspects);
	return why;
}

void explain_changes(struct patch *patch, const struct unit *units, size_t nr_units)
{
	size_t nr_bystanders;
	const char **bystanders = bystanders_of(units, nr_units, &nr_bystanders);

	for (size_t i = 0; i < patch->nr_funcs; i++)
		if (patch->funcs[i].post_fp && !patch->funcs[i].calls_short)
			patch->funcs[i].why = explain(patch, bystanders, nr_bystanders,
						      patch->funcs[i].post_fp,
						      patch->funcs[i].reads);
	free(bystanders);
}
