/* A unit like a kernel file: exported, global and static references. */
extern int printk(const char *fmt, ...);
extern int internal_helper(int x);

static int counter;
static int limit = 10;

__attribute__((section(".init.text"))) int setup_thing(void)
{
	return limit + 1;
}

static __attribute__((noinline)) int twice(int x)
{
	return 2 * x + counter;
}

int show(int x)
{
	counter++;
	printk("show %d\n", twice(x));
	return internal_helper(x) + limit;
}

int other(int x)
{
	limit = x;
	return x * 7;
}
