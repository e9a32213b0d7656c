/*
 * Inline asm: the kernel builds local labels from __COUNTER__ (objtool
 * annotations), so their numbers move when code earlier in the unit
 * changes; the template itself is code.
 */
#define __stringify_1(x) #x
#define __stringify(x) __stringify_1(x)
#define ANNOTATE_(n)							\
	".Lannotate_" #n ":\n\t"					\
	".pushsection .discard.annotate\n\t"				\
	".long .Lannotate_" #n " - .\n\t"				\
	".popsection\n\t"
#define ANNOTATE(n) ANNOTATE_(n)

#ifndef INSN
#define INSN "nop"
#endif

#ifdef EXTRA_COUNTER
void early(void)
{
	asm volatile(ANNOTATE(__COUNTER__) "nop");
}
#endif

void annotated(void)
{
	asm volatile(ANNOTATE(__COUNTER__) INSN);
}

#ifdef __aarch64__
void numeric_labels(int *p)
{
	asm volatile("1: ldr w16, %0\n\t"
		     "cbz w16, 1b\n\t"
		     "b 2f\n"
		     "2:" : "+m" (*p) : : "x16");
}
#else
void numeric_labels(int *p)
{
	asm volatile("1: incl %0\n\t"
		     "jz 1b\n\t"
		     "jmp 2f\n"
		     "2:" : "+m" (*p));
}
#endif
