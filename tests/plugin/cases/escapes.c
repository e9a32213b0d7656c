/*
 * Which functions hand out the address of static read-only data
 * ("escape" records): a register call, a store into memory, a return,
 * and a value merged in a PHI do; a load, an index, a walk by pointer,
 * a comparison, memcpy's source, a printf-like callee's arguments and a
 * callee in this unit that only reads (GCC's modref summary) do not.  A call into another unit is not
 * known and counts.  Global data is refused by patchgen anyway and has
 * no record.
 */
struct ops { int (*show)(int); int flags; };
struct holder { const struct ops *ops; };

extern void register_ops(const struct ops *ops);
extern void print_text(const char *text);
extern int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern struct holder the_holder;
const struct ops *last_ops;

static int show_one(int x) { return x + 1; }
static int show_two(int x) { return x + 2; }

static const struct ops registered_ops = { show_one, 1 };
static const struct ops stored_ops = { show_two, 2 };
static const struct ops returned_ops = { show_one, 3 };
static const struct ops phi_ops_a = { show_one, 4 };
static const struct ops phi_ops_b = { show_two, 5 };
static const struct ops compared_ops = { show_two, 6 };
static const int loop_table[] = { 1, 2, 3, 4, 5, 6, 7, 8, 0 };
static const int indexed_table[] = { 10, 20, 30, 40 };
static const char banner[] = "hello";
static const char copied[] = "copied text";
static const char printed[3][8] = { "zero", "one", "two" };
static const char format[] = "%s\n";
static const int local_sum_table[] = { 3, 1, 4, 1, 5 };
const struct ops global_ops = { show_one, 7 };

void do_register(void) { register_ops(&registered_ops); }
void do_store(void) { the_holder.ops = &stored_ops; last_ops = &stored_ops; }
const struct ops *do_return(void) { return &returned_ops; }
void do_phi(int c) { register_ops(c ? &phi_ops_a : &phi_ops_b); }
int do_compare(const struct ops *o) { return o == &compared_ops; }
int do_loop(void) { int s = 0; for (const int *p = loop_table; *p; p++) s += *p * s; return s; }
int do_index(int i) { return indexed_table[i & 3]; }
/* print_text may keep it, for all this unit knows. */
void do_extern_reader(void) { print_text(banner); }
/* printk only formats its arguments, the format included. */
int do_printk(int i) { return printk(format, printed[i % 3]); }
void do_memcpy(char *dst) { __builtin_memcpy(dst, copied, sizeof(copied)); }

static __attribute__((noinline)) int sum(const int *t, int n)
{
	int s = 0;

	for (int i = 0; i < n; i++)
		s = s * 3 + t[i];
	return s;
}

int do_local_call(void) { return sum(local_sum_table, 5); }

const struct ops *do_local_static(void)
{
	static const struct ops local_ops = { show_two, 8 };

	return &local_ops;
}

void do_global(void) { register_ops(&global_ops); }
