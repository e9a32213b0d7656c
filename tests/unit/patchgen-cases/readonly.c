/*
 * Read-only data whose contents a fix changes, and where its readers are.
 * FIX_DIGITS, FIX_NAMES, FIX_LABELS and FIX_OPS each change one table.
 */
extern int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* as the kernel declares it */
extern void register_table(const char (*table)[8]);

#ifdef FIX_DIGITS
const char digits[] = "0123456789ABCDEF";	/* global: other objects read it */
#else
const char digits[] = "0123456789abcdef";
#endif

#ifdef FIX_NAMES
static const char names[3][8] = { "zero", "uno", "two" };	/* only this code reads it */
#else
static const char names[3][8] = { "zero", "one", "two" };
#endif

#ifdef FIX_LABELS
static const char labels[2][8] = { "alpha", "gamma" };
#else
static const char labels[2][8] = { "alpha", "beta" };
#endif

#ifdef FIX_OPS
static const char ops[2][8] = { "open", "shut" };
#else
static const char ops[2][8] = { "open", "close" };
#endif

/* Writable data that stays holds the address of labels. */
struct holder {
	const char (*labels)[8];
	int count;
};
struct holder holder = { labels, 2 };

int show_digit(int i)
{
	return printk("%c\n", digits[i & 15]);
}

int show_name(int i)
{
	return printk("%s\n", names[i % 3]);
}

int show_label(int i)
{
	return printk("%s\n", holder.labels[i & 1]);
}

/* Hands the address of ops out: the register call may keep it. */
void register_ops(void)
{
	register_table(ops);
}
