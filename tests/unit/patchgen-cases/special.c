/*
 * Code with patch-site tables and split functions, like kernel code:
 * jump labels (asm goto + __jump_table) on an exported key and on one
 * that only the running kernel knows; a function with a cold part; one
 * that GCC splits into a header, inlined into its callers, and a .part.
 * A WARN-like __bug_table entry names its file through a label (.LCn),
 * which both builds have under the same name.
 * Sites that objtool and paravirt record: static calls and paravirt
 * calls need nothing in the patch; retpolines, returns and call-depth
 * tracking's calls are carried.
 * -DFIX_ENTRY, -DFIX_EXPORTED, -DFIX_INTERNAL, -DFIX_COLD, -DFIX_PART,
 * -DFIX_WARN, -DFIX_SITES, -DFIX_TRACE, -DFIX_ALT, -DFIX_ORC change one
 * function each.
 * An alternative's .altinstructions entry is laid out as on 6.1, or as
 * on 6.12 with -DALT_6_12, or broken (one reference) with -DALT_BROKEN.
 * ORC unwind entries as objtool writes them, or broken with -DORC_BROKEN.
 */
struct static_key { int enabled; };
extern struct static_key key_exported, key_internal;
extern int printk(const char *fmt, ...);

#define BRANCH(key, label)						\
	asm goto("1: .byte 0x0f,0x1f,0x44,0x00,0x00\n"			\
		 ".pushsection __jump_table, \"aw\"\n"			\
		 ".balign 8\n"						\
		 ".long 1b - ., %l[" #label "] - .\n"			\
		 ".quad %c0 - .\n"					\
		 ".popsection\n" : : "i" (&(key)) : : label)

/* The branch at the entry: no room for the core's jump. */
int entry_branch(int x)
{
	BRANCH(key_exported, yes);
#ifdef FIX_ENTRY
	return x + 2;
#else
	return x + 1;
#endif
yes:
	return printk("exported key on\n");
}

int uses_exported_key(int x)
{
	x = printk("x %d\n", x);
	BRANCH(key_exported, yes);
#ifdef FIX_EXPORTED
	return x + 2;
#else
	return x + 1;
#endif
yes:
	return printk("exported key on\n");
}

int uses_internal_key(int x)
{
	x = printk("x %d\n", x);
	BRANCH(key_internal, yes);
#ifdef FIX_INTERNAL
	return x * 3;
#else
	return x * 2;
#endif
yes:
	return printk("internal key on\n");
}

__attribute__((noinline, cold)) void report(const char *what, int x)
{
	printk(what, x);
}

int checked(int x)
{
	if (__builtin_expect(x < 0, 0)) {
#ifdef FIX_COLD
		report("checked: %d is negative (fixed)\n", x);
		printk("checked: again\n");
		return -22;
#else
		report("checked: %d is negative\n", x);
		printk("checked: again\n");
		return -1;
#endif
	}
	return x * x + 3 * x;
}

struct item { int key, value; struct item *next; };

int lookup(struct item *head, int key)
{
	int seen = 0;

	if (__builtin_expect(!head, 1))
		return -1;
	for (; head; head = head->next) {
		seen++;
		if (head->key == key) {
			printk("found %d after %d\n", key, seen);
			printk("value %d\n", head->value);
			printk("next %p\n", head->next);
			return head->value * 3 + key;
		}
		printk("skip %d\n", head->key);
		printk("skip value %d\n", head->value);
		printk("skip next %p\n", head->next);
	}
#ifdef FIX_PART
	printk("missing %d after %d (fixed)\n", key, seen);
#else
	printk("missing %d after %d\n", key, seen);
#endif
	printk("missing again %d\n", key);
	return -2;
}

int find_a(struct item *head)
{
	return lookup(head, 1) + 1;
}

int find_b(struct item *head)
{
	return lookup(head, 2) + 2;
}

#define WARN_HERE()							\
	asm volatile("1: ud2\n"						\
		     ".pushsection __bug_table, \"aw\"\n"			\
		     "2: .long 1b - .\n"					\
		     ".long %c0 - .\n"						\
		     ".word %c1, 0\n"						\
		     ".org 2b + 12\n"						\
		     ".popsection" : : "i" ("special.c"), "i" (__LINE__))

int warns(int x)
{
	if (x > 100)
		WARN_HERE();
#ifdef FIX_WARN
	return x * 5;
#else
	return x * 4;
#endif
}

#define SITE(table, entry)						\
	".pushsection " table ", \"a\"\n" entry "\n.popsection\n"

int with_sites(int x)
{
	x = printk("with_sites %d\n", x);
	asm volatile("1: .byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n"
		     SITE(".static_call_sites", ".long 1b - ., 0")
		     SITE(".retpoline_sites", ".long 1b - .")
		     SITE(".return_sites", ".long 1b - .")
		     SITE(".call_sites", ".long 1b - .")
		     SITE(".parainstructions", ".balign 8\n.quad 1b\n.byte 0, 5\n.balign 8"));
#ifdef FIX_SITES
	return x + 9;
#else
	return x + 8;
#endif
}

/* A tracepoint: its key vmlinux does not export; the entry is left out. */
struct tracepoint { const char *name; struct static_key key; };
extern struct tracepoint __tracepoint_demo_event;

int traced_work(int x)
{
	x = printk("traced_work %d\n", x);
	BRANCH(__tracepoint_demo_event.key, trace);
#ifdef FIX_TRACE
	return x + 3;
#else
	return x + 2;
#endif
trace:
	return printk("demo_event\n");
}

/*
 * An alternative: a 6-byte nop that CPUs with feature 5 get replaced by
 * lfence at boot. 6.12's entry has a 32-bit word where 6.1's has the
 * 16-bit cpuid (the flags joined it): 14 bytes, not 12.
 */
#if defined(ALT_6_12)
#define ALT_ENTRY ".long 661b - ., 6641f - .\n.long 5\n"
#elif defined(ALT_BROKEN)
#define ALT_ENTRY ".long 661b - ., 0\n.word 5\n"
#else
#define ALT_ENTRY ".long 661b - ., 6641f - .\n.word 5\n"
#endif

int with_alternative(int x)
{
	x = printk("with_alternative %d\n", x);
	asm volatile("661: .byte 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00\n662:\n"
		     ".pushsection .altinstructions, \"a\"\n"
		     ALT_ENTRY
		     ".byte 662b - 661b, 6642f - 6641f\n"
		     ".popsection\n"
		     ".pushsection .altinstr_replacement, \"ax\"\n"
		     "6641: lfence\n6642:\n"
		     ".popsection\n");
#ifdef FIX_ALT
	return x + 7;
#else
	return x + 6;
#endif
}

/*
 * ORC, as objtool writes it per object on a kernel without IBT: where
 * each unwind state starts (.orc_unwind_ip) and, entry for entry, the
 * state (.orc_unwind, 6 bytes; here a marker per entry). -DORC_BROKEN
 * leaves the states two bytes longer than the entries allow.
 */
#define ORC_ENTRY(ip, state)						\
	SITE(".orc_unwind_ip", ".long " ip " - .")			\
	SITE(".orc_unwind", ".short " state)

int with_orc(int x)
{
	x = printk("with_orc %d\n", x);
	asm volatile(ORC_ENTRY("with_orc", "0x0a01, 0x0a02, 0x0a03")
		     "1: nop\n"
		     ORC_ENTRY("1b", "0x0b01, 0x0b02, 0x0b03"));
#ifdef FIX_ORC
	return x + 11;
#else
	return x + 10;
#endif
}

int orc_neighbour(int x)
{
	x = printk("orc_neighbour %d\n", x);
	asm volatile(ORC_ENTRY("orc_neighbour", "0x0c01, 0x0c02, 0x0c03")
#ifdef ORC_BROKEN
		     SITE(".orc_unwind", ".short 0")
#endif
		     );
	return x + 12;
}
