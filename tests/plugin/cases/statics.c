/*
 * Function-local statics get assembler names "count.<N>" numbered across
 * the unit (GCC 12 counts from the last one in the file); the same
 * variable must hash the same whatever its number.
 */
int counter(void)
{
	static int count;

	return ++count;
}

int other_counter(void)
{
	static int total;

	return total += 2;
}

#ifdef EXTRA_STATIC
int last(void)
{
	static int count;

	return count++;
}
#endif
