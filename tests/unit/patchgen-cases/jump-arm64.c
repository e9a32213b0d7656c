/*
 * An arm64 jump label (asm goto and a __jump_table entry, as
 * arch/arm64/include/asm/jump_label.h writes them) inside a function
 * (tests/unit/patchgen-arm64): its site is one instruction, a NOP or a
 * B, which the run-pre check leaves out; the instruction after it is
 * compared. FIX changes the function.
 */
struct static_key {
	int enabled;
};

struct static_key key_exported;
extern int printk(const char *fmt, ...);

static inline __attribute__((always_inline)) int key_on(struct static_key *key)
{
	asm goto("1:	nop\n\t"
		 ".pushsection __jump_table, \"aw\"\n\t"
		 ".align 3\n\t"
		 ".long 1b - ., %l[l_yes] - .\n\t"
		 ".quad %c0 - .\n\t"
		 ".popsection"
		 : : "i"(key) : : l_yes);
	return 0;
l_yes:
	return 1;
}

int traced(int x)
{
	x *= 3;
	if (key_on(&key_exported))
		printk("traced %d\n", x);
#ifdef FIX
	x += 1;
#endif
	return x + 7;
}
