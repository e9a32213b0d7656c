/*
 * String literals live in .LC<N> labels numbered across the unit: users
 * must change with the content, not with the numbering.
 */
#ifndef GREETING
#define GREETING "hello, world"
#endif

extern int puts(const char *);

#ifdef EXTRA_STRING
void extra(void)
{
	puts("an unrelated string that takes .LC0");
}
#endif

void greet(void)
{
	puts(GREETING);
}

void farewell(void)
{
	puts("goodbye");
}

const char *pick(int which)
{
	return which ? "left" : "right";
}
