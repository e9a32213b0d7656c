/*
 * The order of functions and data in a file is not code: REORDER emits
 * the same definitions the other way round (which renumbers labels,
 * string literals and statics).  ALT_REPLACEMENT changes only the
 * replacement instruction of an alternative-style asm, which lives in
 * another section.  OFFSET changes the offset of a symbol reference.
 */
#ifndef ALT_REPLACEMENT
#ifdef __aarch64__
#define ALT_REPLACEMENT "dsb nsh"
#else
#define ALT_REPLACEMENT "lfence"
#endif
#endif
#ifndef OFFSET
#define OFFSET 3
#endif

#define ALTERNATIVE(old, new)						\
	"661:\n\t" old "\n662:\n\t"					\
	".pushsection .altinstructions,\"a\"\n\t"			\
	".long 661b - .\n\t.long 663f - .\n\t"				\
	".byte 662b-661b\n\t.byte 664f-663f\n\t"			\
	".popsection\n\t"						\
	".pushsection .altinstr_replacement,\"ax\"\n"			\
	"663:\n\t" new "\n664:\n\t"					\
	".popsection\n"

extern int printf(const char *, ...);
extern int table[8];

#define FIRST								\
	int first(int x)						\
	{								\
		static int calls;					\
		if (x > 3)						\
			printf("first: %d\n", x);			\
		return ++calls;						\
	}

#define SECOND								\
	int second(int x)						\
	{								\
		static int calls;					\
		while (x-- > 0)						\
			printf("second: %d\n", x);			\
		return calls += 2;					\
	}

#define BARRIER								\
	void barrier_insn(void)						\
	{								\
		asm volatile(ALTERNATIVE("nop", ALT_REPLACEMENT));	\
	}

#define OFFSET_READER							\
	int offset_reader(void)						\
	{								\
		return table[OFFSET];					\
	}

#define DATA								\
	int first_data = 1;						\
	const char *second_data = "second data";

#ifdef REORDER
DATA
OFFSET_READER
BARRIER
SECOND
FIRST
#else
FIRST
SECOND
BARRIER
OFFSET_READER
DATA
#endif
