/*
 * Switches: a jump table (JUMP_TABLE_DATA insn) and a switch-conversion
 * table (CSWTCH.<N>, numbered across the unit).
 */
extern int f0(void), f1(void), f2(void), f3(void);
extern int f4(void), f5(void), f6(void), f7(void);

/* Cases 8 and 9 reuse the blocks of 1 and 2: swapping them changes
 * nothing but two jump-table entries. */
int dispatch(int x)
{
	switch (x) {
	case 0: return f0();
	case 1: return f1();
	case 2: return f2();
	case 3: return f3();
	case 4: return f4();
	case 5: return f5();
	case 6: return f6();
	case 7: return f7();
#ifdef SWAP_TARGETS
	case 8: return f2();
	case 9: return f1();
#else
	case 8: return f1();
	case 9: return f2();
#endif
	}
	return -1;
}

#ifndef LOOKUP_4
#define LOOKUP_4 977
#endif

#ifdef EXTRA_SWITCH
int early_lookup(int x)
{
	switch (x) {
	case 0: return 11;
	case 1: return 22;
	case 2: return 33;
	case 3: return 44;
	case 4: return 56;
	}
	return 0;
}
#endif

int lookup(int x)
{
	switch (x) {
	case 0: return 101;
	case 1: return 271;
	case 2: return 31;
	case 3: return 4096;
	case 4: return LOOKUP_4;
	}
	return 0;
}
