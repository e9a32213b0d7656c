/*
 * Data objects.  INITIAL changes one initial value; EXTRA_STATIC adds a
 * second function-local static named count, renumbering counter()'s
 * (GCC 12 counts from the last one in the file); EXTRA_UNIQUE takes a __COUNTER__ value before unique_user()'s
 * variable, renaming it.  described() has a descriptor that records its
 * own line, like the kernel's pr_debug (__dyndbg).
 */
#ifndef INITIAL
#define INITIAL 4
#endif

#define PASTE_(a, b) a##b
#define PASTE(a, b) PASTE_(a, b)
#define UNIQUE_ID(prefix) PASTE(PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

struct descriptor {
	const char *function;
	unsigned int line:18;
	unsigned int flags:14;
};

#define DESCRIBE(name) \
	static struct descriptor name \
	__attribute__((used, section("__described"))) = { __func__, __LINE__, 1 }

int settings[4] = { 1, 2, 3, INITIAL };
int untouched[2] = { 5, 6 };
const char *greeting = "hello";
static int private_state = 7;

void set_private(int v)
{
	private_state = v;
}

int counter(void)
{
	static int count = 10;

	return ++count + private_state;
}

#ifdef EXTRA_UNIQUE
static int UNIQUE_ID(early) __attribute__((used)) = 1;
#endif

/* The name is made once and used twice, as kernel macros do. */
#define DEFINE_COUNTED(name)		\
	static int name = 42;		\
	int unique_user(void)		\
	{				\
		return ++name;		\
	}
DEFINE_COUNTED(UNIQUE_ID(value))

int described(void)
{
	DESCRIBE(desc);

	return desc.flags;
}

#ifdef EXTRA_STATIC
int last(void)
{
	static int count;

	return count++;
}
#endif
