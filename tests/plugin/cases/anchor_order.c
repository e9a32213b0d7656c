/*
 * Statics an anchor block holds in the order functions first use them
 * (gcc-plugin/anchor_order.c, arm64): walk() keeps the block's anchor in
 * a register around a loop, so it hashes the block's layout, and reset()
 * too. FIRST_USE adds peek(), which uses items first and so moves it to
 * the front of the block in a plain build; with the pre build's order
 * (anchor-order, as ksplice create passes it) the block lies as before,
 * and walk() and reset() hash as before.
 */
struct item {
	int v;
	struct item *next;
};

static struct item items[4];
static int total;
static int limit;

#ifdef FIRST_USE
int peek(void)
{
	return items[1].v;
}
#endif

int walk(int n)
{
	int i, sum = 0;

	for (i = 0; i < n && i < limit; i++)
		sum += items[i].v + total;
	total = sum;
	return sum;
}

void reset(void)
{
	items[0].v = 0;
	limit = 4;
}
