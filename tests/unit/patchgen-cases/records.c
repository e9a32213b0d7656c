/*
 * What the plugin records beyond code: a struct layout, a writable
 * variable's initial value, an inlined helper and constprop clones.
 * Variants are made with -D (tests/unit/patchgen); compiled with
 * -fipa-cp-clone.
 */
#ifndef SCALE
#define SCALE 3
#endif
#ifndef SETTING
#define SETTING 2
#endif
#ifndef WEIGHT
#define WEIGHT 1
#endif

struct stats {
	int hits;
#ifdef EXTRA_FIELD
	int inserted;
#endif
	int misses;
};

struct stats stats;
int settings[2] = { 1, SETTING };

static inline int scaled(int x)
{
	return x * SCALE;
}

int record(int x)
{
	stats.hits += scaled(x);
	return stats.misses;
}

static __attribute__((noinline)) int sum_to(const int *p, int n)
{
	int i, s = 0;

	for (i = 0; i < n; i++)
		s += p[i] * WEIGHT;
	return s;
}

#ifdef SEVEN_FIRST
int sum_seven(const int *p)
{
	return sum_to(p, 7) + 1;
}
#endif

int sum_three(const int *p)
{
	return sum_to(p, 3) + 1;
}

#ifdef SEVEN_LAST
int sum_seven(const int *p)
{
	return sum_to(p, 7) + 1;
}
#endif

#ifdef SEVEN_VARIABLE	/* the 7 clone disappears */
int sum_seven(const int *p)
{
	return sum_to(p, p[0]) + 1;
}
#endif

/* Same-named records: block-scope struct tags and statics. */
int blocks(int x)
{
	if (x) {
		struct local { int a; } l = { x };
		static int slot = 1;

		return l.a + slot++;
	} else {
		struct local { long a, b; } l = { x, 2 };
		static int slot = 2;

		return (int)(l.a + l.b) + slot++;
	}
}
