/*
 * Clones: GCC names them "scale.constprop.<N>", "get_a.isra.<N>" with
 * counters that move when another clone of the same function appears.
 * Compiled with -fipa-cp-clone.
 */
struct pair {
	int a, b, c, d;
};

static __attribute__((noinline)) int scale(const int *p, int k)
{
	int i, sum = 0;

	for (i = 0; i < k; i++)
		sum += p[i] * k;
	return sum;
}

int user(const int *p)
{
	return scale(p, 3) + 2;
}

static __attribute__((noinline)) int get_a(struct pair *p)
{
	return p->a * 3 + p->d;
}

int isra_user(struct pair *p)
{
	return get_a(p) + 1;
}

#ifdef EXTRA_CLONE
int late(const int *p)
{
	return scale(p, 7) + 1;
}
#endif
