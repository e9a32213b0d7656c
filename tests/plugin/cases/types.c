/*
 * Struct layouts.  EXTRA_FIELD inserts a field into struct inner; struct
 * outer embeds struct inner, so both layouts change; struct linked only
 * points to struct inner and keeps its layout.  point_t is an unnamed
 * struct known by its typedef.  struct only_sizeof never reaches code.
 */
struct inner {
	int a;
#ifdef EXTRA_FIELD
	int inserted;
#endif
	char b;
};

struct outer {
	struct inner in;
	long c;
};

struct linked {
	struct inner *target;
	struct linked *next;
};

typedef struct {
	int x, y;
} point_t;

struct only_sizeof {
	char bytes[12];
};

int inner_b(struct inner *i)
{
	return i->b;
}

long outer_c(struct outer *o)
{
	return o->c;
}

struct linked *next_of(struct linked *l)
{
	return l->next;
}

int point_x(point_t *p)
{
	return p->x;
}

unsigned long size_only(void)
{
	return sizeof(struct only_sizeof);
}
