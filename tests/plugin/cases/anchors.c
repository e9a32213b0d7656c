/*
 * Statics that arm64 code reaches from one section anchor's address in a
 * register (gcc-plugin/anchors.c): bye() hands on two objects as the
 * anchor plus an offset, hello() too, keeping the address over a branch. EARLY_STATIC places a new static before them
 * (the offsets move, the objects are the same); OTHER_OBJECT hands on
 * spare_thing instead of second_thing, which then takes second_thing's
 * place in the block: the same instructions, another object.
 */
struct thing {
	int a, b;
	void *p;
};

extern void unregister_thing(struct thing *t);
extern int register_thing(struct thing *t);

#ifdef EARLY_STATIC
static int early_counter = 5;

int early(void)
{
	return ++early_counter;
}
#endif

static struct thing first_thing = { 1, 2, 0 };
static struct thing second_thing = { 3, 4, 0 };
static struct thing spare_thing = { 5, 6, 0 };

int use_first(void)
{
	return first_thing.a;
}

void bye(void)
{
	unregister_thing(&first_thing);
#ifdef OTHER_OBJECT
	unregister_thing(&spare_thing);
#else
	unregister_thing(&second_thing);
#endif
}

/* The anchor's address is kept over a branch, read only on one side. */
int hello(void)
{
	int err = register_thing(&second_thing);

	if (err)
		return err;
	return register_thing(&first_thing);
}

int use_second(void)
{
	return ++second_thing.b;
}

int use_spare(void)
{
	return ++spare_thing.b;
}
