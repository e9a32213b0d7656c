/*
 * 6.12's runtime constants, as arch/x86/include/asm/runtime-const.h
 * writes them: an immediate the kernel fills in at boot from the table
 * named after the symbol. FIX changes the function that uses them.
 */
struct bucket { struct bucket *next; };

static struct bucket *table;
static unsigned int table_shift;
extern unsigned long LIMIT;

#define runtime_const_ptr(sym) ({					\
	typeof(sym) __ret;						\
	asm("mov %1,%0\n1:\n"						\
	    ".pushsection runtime_ptr_" #sym ",\"a\"\n\t"		\
	    ".long 1b - %c2 - .\n"					\
	    ".popsection"						\
	    : "=r" (__ret)						\
	    : "i" ((unsigned long)0x0123456789abcdefull),		\
	      "i" (sizeof(long)));					\
	__ret; })

#define runtime_const_shift_right_32(val, sym) ({			\
	typeof(0u + (val)) __ret = (val);				\
	asm("shrl $12,%k0\n1:\n"					\
	    ".pushsection runtime_shift_" #sym ",\"a\"\n\t"		\
	    ".long 1b - 1 - .\n"					\
	    ".popsection"						\
	    : "+r" (__ret));						\
	__ret; })

struct bucket *lookup(unsigned int hash, unsigned long addr)
{
	if (addr > runtime_const_ptr(LIMIT))
		return 0;
#ifdef FIX
	hash ^= 1;
#endif
	return runtime_const_ptr(table) + runtime_const_shift_right_32(hash, table_shift);
}

/* Set up once at boot, as the kernel's are. */
void table_init(struct bucket *t, unsigned int shift)
{
	table = t;
	table_shift = shift;
}
