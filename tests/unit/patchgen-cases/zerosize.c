/*
 * A zero-size static (lockdep's __key without CONFIG_LOCKDEP) shares its
 * .bss address with a real variable in the booted build, which has no
 * per-variable sections.  FIX changes the function that uses both.
 */
struct lock_class_key { };
extern void register_key(const char *name, struct lock_class_key *key, int *hits);

static int hits;

int count_up(void)
{
	static struct lock_class_key __key;
	static int counter;

	register_key("count", &__key, &hits);
#ifdef FIX
	return counter += 2;
#else
	return ++counter;
#endif
}
