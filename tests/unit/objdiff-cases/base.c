/*
 * tests/unit/objdiff: the pre source. change.sed makes the post source:
 * scale() (inlined into inlines_a and inlines_b), the cold part of
 * cold_changed, the string of string_changed, removed -> added. Every
 * other function must compare equal although the post object has one
 * section per function and data object.
 */
extern int printk(const char *fmt, ...);
extern void report(const char *msg, int x) __attribute__((cold));
extern int ext(int x);

static int counter;
static const int table[4] = { 3, 1, 4, 1 };

static inline int scale(int x)
{
	return x * 3;
}

static __attribute__((noinline)) int helper(int x)
{
	return ext(x) + 1;
}

int inlines_a(int x)
{
	return scale(x) + helper(x);
}

int inlines_b(int x)
{
	if (x > 100)
		return scale(x) - 1;
	return x;
}

/* A call the assembler resolves in pre (same .text), not in post. */
int same_call(int x)
{
	counter++;
	return helper(x) * 2;
}

/* A tail call: a 2-byte jmp in pre, a 5-byte one in post. */
int same_tail(int x)
{
	if (x)
		return helper(x);
	return 0;
}

int same_string(int x)
{
	printk("value %d\n", x);
	return x + table[x & 3];
}

int same_address(int x)
{
	return x ? (long)&helper : (long)&counter;
}

int same_cold(int x)
{
	int i, s = 0;

	for (i = 0; i < x; i++)
		s += ext(i);
	if (s == 42) {
		report("same", x);
		s = ext(s) + ext(x);
	}
	return s + 1;
}

int cold_changed(int x)
{
	int i, s = 0;

	for (i = 0; i < x; i++)
		s += ext(i);
	if (s == 7) {
		report("old", x);
		s = ext(s) + ext(x);
	}
	return s + 2;
}

int string_changed(int x)
{
	printk("old %d\n", x);
	return x;
}

int removed(int x)
{
	return ext(x) - 3;
}
