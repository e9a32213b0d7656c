/*
 * A function shorter than the 5-byte jump: at -O2 the alignment filler
 * after it gives the room; at -Os there is none, and its callers are
 * replaced instead, unless something takes its address (TAKE_ADDRESS).
 * FIX_CALLER changes a caller instead.
 */
static __attribute__((noinline)) int tiny(int x)
{
#ifdef FIX
	return x + 1;
#else
	return x;
#endif
}

int use_tiny(int y)
{
#ifdef FIX_CALLER
	return tiny(y) * 5;
#else
	return tiny(y) * 3;
#endif
}

int use_tiny_too(int y)
{
	return tiny(y + 2) - 1;
}

#ifdef TAKE_ADDRESS
int (*tiny_ptr)(int) = tiny;
#endif
