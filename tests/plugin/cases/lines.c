/*
 * Line numbers in code.  The test prepends lines to this file: functions
 * that use __LINE__ must keep their "noline" fingerprint and change their
 * "strict" one; every other function must keep both.
 */
extern void record_caller(const char *file, int line);

/* The trapping instruction of the kernel's BUG() on each architecture. */
#ifdef __aarch64__
#define BUG_INSN "brk 0x800"
#else
#define BUG_INSN "ud2"
#endif

/* Like the kernel's WARN_ON(): the line goes into __bug_table. */
#define WARN_LIKE(cond) ({						\
	int __warned = !!(cond);					\
	if (__warned)							\
		asm volatile("1: " BUG_INSN "\n"			\
			     ".pushsection __bug_table,\"aw\"\n"	\
			     ".long 1b - .\n"				\
			     ".short %c0\n"				\
			     ".popsection" :: "i" (__LINE__));		\
	__warned;							\
})

/* __LINE__ as an asm immediate in the function itself. */
int warns(int x)
{
	if (WARN_LIKE(x > 10000))
		return -1;
	return x * 2;
}

#define STRINGIFY_LINE_1(x) #x
#define STRINGIFY_LINE(x) STRINGIFY_LINE_1(x)

/*
 * Like arm64's WARN_ON(): __LINE__ stringified into the asm text of the
 * bug table entry, not an operand.
 */
#define WARN_IN_TEXT(cond) ({						\
	int __warned = !!(cond);					\
	if (__warned)							\
		asm volatile("1: " BUG_INSN "\n"			\
			     ".pushsection __bug_table,\"aw\"\n"	\
			     ".long 1b - .\n"				\
			     ".short " STRINGIFY_LINE(__LINE__) "\n"	\
			     ".popsection");				\
	__warned;							\
})

int warns_in_text(int x)
{
	if (WARN_IN_TEXT(x > 10000))
		return -1;
	return x * 3;
}

#define UNLIKELY(x) __builtin_expect(!!(x), 0)

/*
 * __LINE__ in a macro argument on the condition's second line: it is that
 * line, while the insn's line is where UNLIKELY() was expanded.
 */
int warns_in_condition(int x, int y)
{
	if (UNLIKELY(x > 20000 &&
		     WARN_LIKE(y > 30000)))
		return -2;
	return x + y;
}

/* __LINE__ as an asm immediate in an inlined callee (its own line). */
static inline int checked_div(int a, int b)
{
	if (WARN_LIKE(b == 0))
		return 0;
	return a / b;
}

int divides(int a, int b)
{
	return checked_div(a, b) + 1;
}

/* __LINE__ of the call site, used by an inlined callee's asm. */
static inline __attribute__((always_inline)) void mark_line(int line)
{
	asm volatile(".pushsection .discard.lines\n"
		     ".long %c0\n"
		     ".popsection" :: "i" (line));
}

int inline_site(int x)
{
	if (x > 5000)
		mark_line(__LINE__);
	return x - 1;
}

/* __LINE__ as a plain call argument, like might_sleep(). */
void sleeps(void)
{
	record_caller(__FILE__, __LINE__);
}

/* No line numbers anywhere below. */
struct wide {
	char pad[40];
	int field;
};

int reads_field(struct wide *w)
{
	return w->field;
}

int plain(int x)
{
	return x * 1009 + 4093;
}

static int helper_without_lines(int x)
{
	return x ^ 0x5a5a;
}

int calls_helper(int x)
{
	return helper_without_lines(x) + helper_without_lines(x + 2000);
}

/*
 * __LINE__ inside a string literal, as FORTIFY_SOURCE's "field ... at
 * FILE:LINE" warning has it: only that run of digits is a line.
 */
#define STRINGIFY_ARG(x) #x
#define STRINGIFY(x) STRINGIFY_ARG(x)
extern void report(const char *where);

void names_its_line(int x)
{
	if (x > 7000)
		report("limit at " __FILE__ ":" STRINGIFY(__LINE__));
	else
		report("port:8080");
}
