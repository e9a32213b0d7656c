/*
 * Clones: GCC names them "scale.constprop.<N>", "get_a.isra.<N>" with
 * counters that move when another clone of the same function appears.
 * Compiled with -fipa-cp-clone.  USER_K changes the constant user()'s
 * clone is specialised for, which shows in no instruction of user().
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

#ifndef USER_K
#define USER_K 3
#endif

int user(const int *p)
{
	return scale(p, USER_K) + 2;
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
