/*
 * arm64's section anchors (tests/unit/patchgen-arm64): read_both reaches
 * both statics of .bss from one ADRP, and both tables of .rodata; the
 * second of each only by an offset in a later instruction. CHANGE edits
 * read_both, ADD_STATIC also adds a static to .bss, and the suite edits
 * a value of other for a changed read-only table.
 */
static int first, second;
static const int table[4] = { 1, 2, 3, 4 };
static const int other[4] = { 5, 6, 7, 8 };
#ifdef ADD_STATIC
static int third;
#endif

int read_both(int i)
{
#ifdef CHANGE
	i++;
#endif
#ifdef ADD_STATIC
	third++;
#endif
	first += i;
	second += 2 * i;
	return first + second + table[i & 3] + other[(i + 1) & 3];
}

int keep(int i)
{
	return first - i + other[i & 3];
}
