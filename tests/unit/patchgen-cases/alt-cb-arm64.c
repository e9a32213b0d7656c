/*
 * arm64 alternatives (tests/unit/patchgen-arm64), as
 * arch/arm64/include/asm/alternative-macros.h writes them: one with a
 * replacement in .altinstr_replacement, and one whose entry names a
 * callback instead (ALTERNATIVE_CB, the form 6.12's
 * alternative_has_cap_unlikely() takes: CALLBACK, exported or not).
 * FIX changes the function.
 */
#ifndef CALLBACK
#define CALLBACK alt_cb_patch_nops
#endif
#define STR2(x) #x
#define STR(x) STR2(x)

int patched(int x)
{
	asm volatile("661:	nop\n"
		     "662:\n"
		     ".pushsection .altinstructions, \"a\"\n"
		     ".word 661b - ., 663f - .\n"
		     ".hword 5\n"
		     ".byte 662b - 661b, 664f - 663f\n"
		     ".popsection\n"
		     ".pushsection .altinstr_replacement, \"ax\"\n"
		     "663:	dmb ish\n"
		     "664:\n"
		     ".popsection\n");
	asm volatile("671:	nop\n"
		     "672:\n"
		     ".pushsection .altinstructions, \"a\"\n"
		     ".word 671b - ., " STR(CALLBACK) " - .\n"
		     ".hword 0x8000 | 7\n"
		     ".byte 672b - 671b, 672b - 671b\n"
		     ".popsection\n");
#ifdef FIX
	x += 1;
#endif
	return x * 5;
}
