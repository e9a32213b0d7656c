// SPDX-License-Identifier: GPL-2.0
/*
 * inline_graph.c - the "clone" and "inline" records: which source
 * function each output function was cloned from, and every function
 * inlined into it, early inlining included.
 *
 * GCC's -fdump-ipa-clones stream is the one complete record of this
 * (early and IPA inlining, constprop, isra and part clones); the cgraph
 * left at the end of IPA has lost early inlining and the BLOCK tree
 * misses folded code.  The plugin points the stream at memory when the
 * unit starts (keeping a user's own dump, if asked for) and replays it
 * at the end.  The replay follows the stream's order, so a function
 * inherits exactly what its callee had inlined at the moment it was
 * inlined or cloned, not what the callee inlines later.
 */
#include "ksplice_plugin.h"

#define INLINE_EVENT "inlining to"

struct graph_node {
	const char *origin;	/* source-level function it was cloned from */
	char *kind;		/* "constprop", "isra.constprop", ...; or NULL */
	struct string_list inlined;	/* source-level names, unsorted */
};

static hash_map<nofree_string_hash, graph_node *> *nodes;
static char *stream_text;
static size_t stream_size;
static FILE *stream;
static FILE *user_dump;	/* -fdump-ipa-clones, if the user asked for it */

static ssize_t tee_write(void *cookie, const char *buf, size_t size)
{
	fwrite(buf, 1, size, stream);
	fwrite(buf, 1, size, user_dump);
	return size;
}

/* PLUGIN_START_UNIT: symtab exists, no function has been analysed yet. */
static void capture_clone_stream(void *gcc_data, void *user_data)
{
	static cookie_io_functions_t tee = { NULL, tee_write, NULL, NULL };

	stream = open_memstream(&stream_text, &stream_size);
	if (!stream) {
		error("ksplice: cannot capture the ipa-clones stream: %m");
		return;
	}
	user_dump = symtab->ipa_clones_dump_file;
	symtab->ipa_clones_dump_file = user_dump ? fopencookie(NULL, "w", tee) : stream;
}

static graph_node *node_of(const char *name)
{
	bool existed;
	graph_node **node = &nodes->get_or_insert(name, &existed);

	if (!existed) {
		*node = XCNEW(graph_node);
		(*node)->origin = name;
	}
	return *node;
}

static void add_unique(struct string_list *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->nr; i++)
		if (!strcmp(list->items[i], name))
			return;
	string_list_add(list, xstrdup(name));
}

/* CALLEE was inlined into INTO: INTO now holds it and all it held. */
static void replay_inline(const char *callee, const char *into)
{
	graph_node *from = node_of(callee), *to = node_of(into);
	size_t i;

	add_unique(&to->inlined, from->origin);
	for (i = 0; i < from->inlined.nr; i++)
		add_unique(&to->inlined, from->inlined.items[i]);
}

/* CLONE was made from ORIGINAL (constprop, isra, part, ...). */
static void replay_clone(const char *original, const char *clone,
			 const char *suffix)
{
	graph_node *from = node_of(original), *to = node_of(clone);
	size_t i;

	to->origin = from->origin;
	to->kind = from->kind ? xasprintf("%s.%s", from->kind, suffix) : xstrdup(suffix);
	for (i = 0; i < from->inlined.nr; i++)
		add_unique(&to->inlined, from->inlined.items[i]);
}

/*
 * "Callgraph clone;<orig>;<order>;<file>;<line>;<col>;<clone>;<order>;
 * <file>;<line>;<col>;<suffix>"; for inlining, <orig> is the callee and
 * <clone> the function it went into.  Other lines (removals) say nothing
 * about what is in the code.
 */
static void replay_line(char *line)
{
	char *field[12];
	int n = 0;
	char *p = line;

	if (strncmp(line, "Callgraph clone;", 16))
		return;
	while (n < 12 && p) {
		field[n++] = p;
		p = strchr(p, ';');
		if (p)
			*p++ = '\0';
	}
	if (n != 12 || p)
		return;	/* a file name with ';' in it: cannot be split */
	if (!strcmp(field[11], INLINE_EVENT))
		replay_inline(xstrdup(field[1]), xstrdup(field[6]));
	else
		replay_clone(xstrdup(field[1]), xstrdup(field[6]), field[11]);
}

static char *join_sorted(struct string_list *list)
{
	size_t i, len = 0;
	char *out, *end;

	string_list_sort(list);
	for (i = 0; i < list->nr; i++)
		len += strlen(list->items[i]) + 1;
	out = end = XNEWVEC(char, len + 1);
	for (i = 0; i < list->nr; i++)
		end += sprintf(end, " %s", list->items[i]);
	*end = '\0';
	return out;
}

void emit_inline_graph_records(void)
{
	struct string_list records = {};
	char *line, *save = NULL;
	size_t i;

	if (!stream)
		return;
	if (user_dump) {
		fclose(symtab->ipa_clones_dump_file);
		symtab->ipa_clones_dump_file = user_dump;
	} else {
		symtab->ipa_clones_dump_file = NULL;
	}
	fclose(stream);
	stream = NULL;

	nodes = new hash_map<nofree_string_hash, graph_node *>;
	for (line = strtok_r(stream_text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		replay_line(line);

	for (hash_map<nofree_string_hash, graph_node *>::iterator it = nodes->begin();
	     it != nodes->end(); ++it) {
		const char *name = (*it).first;
		graph_node *node = (*it).second;

		if (!is_fingerprinted_function(name))
			continue;
		if (node->kind)
			string_list_add(&records, xasprintf("clone %s %s %s", name,
							    node->origin, node->kind));
		if (node->inlined.nr) {
			char *callees = join_sorted(&node->inlined);

			string_list_add(&records, xasprintf("inline %s%s", name, callees));
			free(callees);
		}
	}
	/* "clone" sorts before "inline": one sort orders both kinds. */
	string_list_sort(&records);
	for (i = 0; i < records.nr; i++)
		emit_section_line("%s", records.items[i]);
	string_list_free(&records);
}

void inline_graph_init(const char *plugin_name)
{
	register_callback(plugin_name, PLUGIN_START_UNIT, capture_clone_stream, NULL);
}
