/*
 * Who inlined what.  innermost() is inlined into middle() early, and
 * middle() (with innermost() in it) into outer(); direct() inlines only
 * innermost().  The records must say so, transitively, and a change to
 * innermost() must change exactly the functions that inline it.
 */
#ifndef INNER_FACTOR
#define INNER_FACTOR 3
#endif

extern int sink(int);

static inline int innermost(int x)
{
	return x * INNER_FACTOR + 11;
}

static inline int middle(int x)
{
	return innermost(x) + sink(x);
}

int outer(int x)
{
	return middle(x) - 5;
}

int direct(int x)
{
	return innermost(x + 1);
}

int unrelated(int x)
{
	return sink(x * 9);
}
