/*
 * Code changes.  The test compiles this file with -D options that change
 * one thing at a time and checks that exactly the affected functions get
 * new fingerprints.
 */
#ifndef OTHER_FACTOR
#define OTHER_FACTOR 3001
#endif
#ifndef SUBJECT_CONSTANT
#define SUBJECT_CONSTANT 1000
#endif
#ifndef CALLEE
#define CALLEE bar
#endif
#ifndef GLOBAL
#define GLOBAL x
#endif
#ifndef HELPER_FACTOR
#define HELPER_FACTOR 7001
#endif

extern int bar(int), baz(int);
extern int x, y;

int other(int a)
{
	return a * OTHER_FACTOR + 1;
}

#ifdef NOTRACE_SUBJECT
#ifdef __aarch64__
__attribute__((patchable_function_entry(0, 0)))	/* arm64's notrace */
#else
__attribute__((no_instrument_function))
#endif
#endif
int subject(int a)
{
	return a + SUBJECT_CONSTANT;
}

int calls(int a)
{
	return CALLEE(a) + 1;
}

int reads(void)
{
	return GLOBAL + 2;
}

static inline int helper(int a)
{
	return a * HELPER_FACTOR;
}

int inliner_one(int a)
{
	return helper(a) + 1;
}

int inliner_two(int a)
{
	return helper(a + 1) - 2;
}

int unrelated(int a)
{
	return a - 2;
}
