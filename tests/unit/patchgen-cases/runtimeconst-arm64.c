/*
 * 6.12's runtime constants on arm64, as
 * arch/arm64/include/asm/runtime-const.h writes them: a MOVZ and three
 * MOVKs whose immediates the kernel fills in at boot, and an LSR whose
 * shift it fills in, each listed in the table named after the symbol.
 * FIX changes the function that uses them.
 */
struct bucket { struct bucket *next; };

static struct bucket *buckets;
static unsigned int bucket_shift;
extern unsigned long ADDR_LIMIT;

#define runtime_const_ptr(sym) ({					\
	typeof(sym) __ret;						\
	asm("1:\tmovz %0, #0xcdef\n\t"					\
	    "movk %0, #0x89ab, lsl #16\n\t"				\
	    "movk %0, #0x4567, lsl #32\n\t"				\
	    "movk %0, #0x0123, lsl #48\n\t"				\
	    ".pushsection runtime_ptr_" #sym ",\"a\"\n\t"		\
	    ".long 1b - .\n\t"						\
	    ".popsection"						\
	    : "=r" (__ret));						\
	__ret; })

#define runtime_const_shift_right_32(val, sym) ({			\
	unsigned long __ret;						\
	asm("1:\tlsr %w0,%w1,#12\n\t"					\
	    ".pushsection runtime_shift_" #sym ",\"a\"\n\t"		\
	    ".long 1b - .\n\t"						\
	    ".popsection"						\
	    : "=r" (__ret) : "r" (0u + (val)));				\
	__ret; })

struct bucket *lookup(unsigned int hash, unsigned long addr)
{
	if (addr > runtime_const_ptr(ADDR_LIMIT))
		return 0;
#ifdef FIX
	hash ^= 1;
#endif
	return runtime_const_ptr(buckets) + runtime_const_shift_right_32(hash, bucket_shift);
}

/* Set up once at boot, as the kernel's are. */
void table_init(struct bucket *t, unsigned int shift)
{
	buckets = t;
	bucket_shift = shift;
}
