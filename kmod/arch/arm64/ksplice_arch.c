// SPDX-License-Identifier: GPL-2.0
/*
 * Everything in the ksplice core that depends on the architecture
 * (arm64): the branch at a replaced function's entry, text writes with
 * their cache maintenance, and task stacks.  What differs between kernel
 * versions is in ksplice_kernel.c.
 */
#include "ksplice_internal.h"

#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/vmalloc.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/barrier.h>
#include <asm/cacheflush.h>
#include <asm/debug-monitors.h>
#include <asm/insn.h>
#include <asm/memory.h>
#include <asm/pointer_auth.h>
#include <asm/ptrace.h>

/* B imm26: a direct branch, PC-relative, +-128 MB. */
#define B_OPCODE		0x14000000U
#define B_IMM26_MASK		0x03ffffffU
#define B_RANGE			(1L << 27)
/*
 * The veneer, where the new code lies beyond B's reach: "ldr x16, .+8;
 * br x16" and the target's address.  x16 is IP0, which the procedure
 * call standard lets any veneer clobber at a call.  BR x16 may land on
 * BTI c (and on PACIASP, an implicit BTI c), what a function compiled
 * for BTI begins with; the new code signs the return address itself, as
 * the old would have.
 */
#define LDR_X16_PC8_INSN	0x58000050U
#define BR_X16_INSN		0xd61f0200U
#define VENEER_SIZE		KSPLICE_SITE_MAX
/*
 * BRK with an immediate no kernel user claims (asm/brk-imm.h): the first
 * word of a veneer while its other three are written.
 */
#define KSPLICE_BRK_IMM		0x4b5
#define BRK_INSN		(0xd4200000U | (KSPLICE_BRK_IMM << 5))
/*
 * What a runtime constant's site holds (asm/runtime-const.h, 6.11): a
 * MOVZ and three MOVKs of a 64-bit register, or a 32-bit LSR, an alias
 * of UBFM.
 */
#define MOVW_X_MASK		0xff800000U
#define MOVZ_X_INSN		0xd2800000U
#define MOVK_X_INSN		0xf2800000U
#define UBFM_W_MASK		0xffc00000U
#define UBFM_W_INSN		0x53000000U
/* ADRP counts 4 KB pages whatever the kernel's page size. */
#define PAGE_MASK_4K		(~0xfffUL)

/*
 * Landing pads: what an indirect branch must find under BTI.  BTI c, j
 * and jc, and the PAC instructions that sign the return address, which
 * are implicit landing pads.
 */
#define BTI_MASK		0xffffff3fU
#define BTI_INSN		0xd503241fU
#define PACIASP_INSN		0xd503233fU
#define PACIBSP_INSN		0xd503237fU

/* The kernel image, mapped apart from the linear map on arm64. */
static unsigned long kimage_text, kimage_end;

/*
 * For tests: a veneer at every site, where a B would reach too (the test
 * kernels without KASLR load modules within its reach).
 */
static bool force_veneer;
module_param(force_veneer, bool, 0444);
MODULE_PARM_DESC(force_veneer, "enter replaced functions by a veneer even where a branch reaches (for tests)");

#ifdef KSPLICE_BREAK_HOOKS
/* A veneer is written in BRK steps. */
#define VENEER_IN_STEPS		true

/* register_kernel_break_hook() and its inverse: not exported. */
DEFINE_STATIC_CALL_NULL(ksplice_register_break, register_kernel_break_hook);
DEFINE_STATIC_CALL_NULL(ksplice_unregister_break, unregister_kernel_break_hook);

static int find_break_hooks(void)
{
	unsigned long reg, unreg;

	reg = ksplice_kernel_func("register_kernel_break_hook", true);
	unreg = ksplice_kernel_func("unregister_kernel_break_hook", true);
	if (!reg || !unreg)
		return -ENOENT;
	static_call_update(ksplice_register_break,
			   (typeof(&register_kernel_break_hook))reg);
	static_call_update(ksplice_unregister_break,
			   (typeof(&unregister_kernel_break_hook))unreg);
	return 0;
}
#else
/*
 * Without break hooks (6.16 dispatches BRK immediates by a fixed switch,
 * and Debian's 6.12 has that), an unknown BRK is an Oops: a veneer is
 * written whole, which is safe only where nothing runs while the machine
 * is stopped.  Pseudo-NMIs and SDEI events do: with either, a veneer is
 * refused (-EOPNOTSUPP), a B is not (one store).  SDEI counts as soon as
 * firmware offers it, as it may deliver events the kernel registered.
 */
#define VENEER_IN_STEPS		false
static bool veneer_unguarded;

static bool sdei_offered(void)
{
	unsigned long call;

	if (!IS_ENABLED(CONFIG_ARM_SDE_INTERFACE))
		return false;
	call = ksplice_kernel_data("sdei_firmware_call");
	/* Unknown (no kallsyms for data): assume it is offered. */
	return !call || READ_ONCE(*(void **)call);
}

static int find_break_hooks(void)
{
	veneer_unguarded = system_uses_irq_prio_masking() || sdei_offered();
	return 0;
}
#endif

int ksplice_arch_init(void)
{
	kimage_text = ksplice_kernel_data("_text");
	kimage_end = ksplice_kernel_data("_end");
	if (!kimage_text || !kimage_end)
		return -ENOENT;
	return find_break_hooks();
}

/* No call thunks on arm64: a call goes to its target. */
unsigned long ksplice_arch_call_dest(const struct ksplice_reloc *r,
				     unsigned long sym)
{
	return sym;
}

static bool read_insn(unsigned long addr, u32 *insn)
{
	__le32 le;

	if (copy_from_kernel_nofault(&le, (void *)addr, sizeof(le)))
		return false;
	*insn = le32_to_cpu(le);
	return true;
}

/*
 * A BTI, and under the kernel's own BTI the PAC instructions that sign
 * the return address, which then are implicit landing pads too.
 */
static bool is_landing_pad(u32 insn)
{
	if ((insn & BTI_MASK) == BTI_INSN)
		return true;
	return IS_ENABLED(CONFIG_ARM64_BTI_KERNEL) &&
	       (insn == PACIASP_INSN || insn == PACIBSP_INSN);
}

/*
 * The branch must not replace a landing pad: an indirect call into the
 * old function would then meet a B where BTI wants a pad.  patchgen puts
 * the site past a BTI and past ftrace's NOPs, which may leave it on the
 * PACIASP that signs the return address: the B replaces it, and the new
 * copy signs with its own (the old one never ran).  Without the kernel's
 * BTI (6.1 built by GCC has none) nothing lands there indirectly.
 */
bool ksplice_arch_can_jump_at(unsigned long site)
{
	u32 insn;

	return IS_ALIGNED(site, AARCH64_INSN_SIZE) && read_insn(site, &insn) &&
	       !is_landing_pad(insn);
}

/*
 * On a kernel built for BTI, does relocation r take the address of a
 * function at sym with no landing pad, that an indirect call would fault
 * on?  Not decided yet on arm64, where it matters more than on x86: the
 * call stubs patchgen writes reach every kernel function the new code
 * calls by BR x16 through an address the core links here, and GCC gives
 * a static function called only directly no BTI c.  6.1 and 6.12 have
 * kernel BTI only when built by clang (ARM64_BTI_KERNEL depends on
 * !CC_IS_GCC), which ksplice's plugin is not: this says no.
 */
bool ksplice_arch_no_landing(const struct ksplice_reloc *r, unsigned long sym)
{
	return false;
}

static void put_insn(u8 *at, u32 insn)
{
	__le32 le = cpu_to_le32(insn);

	memcpy(at, &le, sizeof(le));
}

/*
 * Encodes the way from a site at from to the new code at to, in at most
 * room bytes, and returns its size: a B where imm26 reaches, else the
 * veneer (-ENOSPC without room for it, -EOPNOTSUPP where it cannot be
 * written safely).  A site stacked on another
 * patch's must be entered by the same size (size, else 0): -ERANGE
 * when that cannot be.
 */
int ksplice_arch_make_jump(u8 *insn, unsigned long from, unsigned long to,
			   unsigned int room, unsigned int size)
{
	bool veneer = size ? size == VENEER_SIZE : force_veneer;
	long rel = (long)(to - from);

	if (!IS_ALIGNED(to, AARCH64_INSN_SIZE) || (size && size != VENEER_SIZE &&
						   size != KSPLICE_JUMP_SIZE))
		return -ERANGE;
	if (!veneer && rel >= -B_RANGE && rel < B_RANGE) {
		put_insn(insn, B_OPCODE | ((u32)(rel >> 2) & B_IMM26_MASK));
		return KSPLICE_JUMP_SIZE;
	}
	if (size == KSPLICE_JUMP_SIZE)
		return -ERANGE;
	if (room < VENEER_SIZE)
		return -ENOSPC;
#ifndef KSPLICE_BREAK_HOOKS
	if (veneer_unguarded)
		return -EOPNOTSUPP;
#endif
	put_insn(insn, LDR_X16_PC8_INSN);
	put_insn(insn + 4, BR_X16_INSN);
	/* Data, in the kernel's byte order (instructions are little-endian). */
	memcpy(insn + 8, &to, sizeof(to));
	return VENEER_SIZE;
}

/* imm into bits [lsb, lsb + width) of insn. */
static u32 set_field(u32 insn, unsigned int lsb, unsigned int width, u64 imm)
{
	u32 mask = (u32)GENMASK(lsb + width - 1, lsb);

	return (insn & ~mask) | (((u32)imm << lsb) & mask);
}

/*
 * The instruction at r->where with its field for S + A filled in, as the
 * AArch64 ELF relocation of the same name would leave it (a runtime
 * constant's: with the value at S + A); -ERANGE when the field cannot
 * hold it.
 */
int ksplice_arch_reloc_value(const struct ksplice_reloc *r, unsigned long s_a,
			     u64 *value)
{
	unsigned long p = (unsigned long)r->where;
	unsigned int scale;
	long rel;
	u32 insn;
	u64 val;
	u8 shift;

	if (!read_insn(p, &insn))
		return -EFAULT;
	switch (r->type) {
	case KSPLICE_RELOC_ARM64_ADR_PREL_PG_HI21:
		rel = (long)((s_a & PAGE_MASK_4K) - (p & PAGE_MASK_4K)) >> 12;
		if (rel < -(1L << 20) || rel >= (1L << 20))
			return -ERANGE;
		insn = set_field(insn, 29, 2, rel & 3);
		insn = set_field(insn, 5, 19, rel >> 2);
		break;
	case KSPLICE_RELOC_ARM64_ADD_ABS_LO12:
		insn = set_field(insn, 10, 12, s_a & 0xfff);
		break;
	case KSPLICE_RELOC_ARM64_LDST8_ABS_LO12 ... KSPLICE_RELOC_ARM64_LDST128_ABS_LO12:
		scale = r->type - KSPLICE_RELOC_ARM64_LDST8_ABS_LO12;
		if (!IS_ALIGNED(s_a, 1UL << scale))
			return -ERANGE;
		insn = set_field(insn, 10, 12, (s_a & 0xfff) >> scale);
		break;
	case KSPLICE_RELOC_ARM64_CALL26:
		rel = (long)(s_a - p);
		if (rel < -B_RANGE || rel >= B_RANGE ||
		    !IS_ALIGNED(rel, AARCH64_INSN_SIZE))
			return -ERANGE;
		insn = set_field(insn, 0, 26, rel >> 2);
		break;
	case KSPLICE_RELOC_ARM64_VALUE_MOVW:
		if ((insn & MOVW_X_MASK) != MOVZ_X_INSN &&
		    (insn & MOVW_X_MASK) != MOVK_X_INSN)
			return -EINVAL;
		if (copy_from_kernel_nofault(&val, (void *)s_a, sizeof(val)))
			return -EFAULT;
		/* hw: which 16 bits of the value this one holds. */
		insn = set_field(insn, 5, 16, val >> (16 * ((insn >> 21) & 3)));
		break;
	case KSPLICE_RELOC_ARM64_VALUE_LSR:
		if ((insn & UBFM_W_MASK) != UBFM_W_INSN)
			return -EINVAL;
		if (copy_from_kernel_nofault(&shift, (void *)s_a, sizeof(shift)))
			return -EFAULT;
		insn = set_field(insn, 16, 6, shift);	/* immr */
		break;
	default:
		return -EINVAL;
	}
	/* Instructions are little-endian whatever the data are. */
	*value = (__force u32)cpu_to_le32(insn);
	return 0;
}

/* Never called: KSPLICE_TRAP_SIZE is the jump's, so no site is a trap. */
void ksplice_arch_make_trap(u8 *insn)
{
	WARN_ON_ONCE(1);
}

/* The page of kernel image, module or linear-map memory at addr. */
struct page *ksplice_arch_text_page(unsigned long addr)
{
	if (addr >= kimage_text && addr < kimage_end)
		return phys_to_page(__pa_symbol(addr));
	if (virt_addr_valid((void *)addr))
		return virt_to_page((void *)addr);
	return vmalloc_to_page((void *)addr);
}

/*
 * Makes every CPU's instruction fetch see what was written at
 * [addr, addr + len): clean the data cache and invalidate the
 * instruction cache to the point of unification (broadcast to the inner
 * shareable domain); each CPU then needs a context synchronization
 * event (an ISB, or an exception return) before it runs the new bytes.
 */
static void flush_text(unsigned long addr, size_t len)
{
	caches_clean_inval_pou(addr, addr + len);
}

/*
 * Writes read-only text or data, the caller holding text_mutex: through
 * a writable mapping of each page, as the kernel's own instruction
 * patching does.  The CPUs meet an ISB (the IPIs of kick_all_cpus_sync)
 * before this returns.
 */
void ksplice_arch_write_text(void *addr, const void *src, size_t len)
{
	unsigned long at = (unsigned long)addr;
	const u8 *from = src;
	size_t left = len, n;
	struct page *page;
	void *map;

	while (left) {
		n = min_t(size_t, left, PAGE_SIZE - offset_in_page(at));
		page = ksplice_arch_text_page(at);
		map = page ? vmap(&page, 1, VM_MAP, PAGE_KERNEL) : NULL;
		if (WARN_ON_ONCE(!map))
			return;
		memcpy((u8 *)map + offset_in_page(at), from, n);
		vunmap(map);
		at += n;
		from += n;
		left -= n;
	}
	flush_text((unsigned long)addr, len);
	kick_all_cpus_sync();
}

#ifdef KSPLICE_BREAK_HOOKS
/*
 * Our BRK, at the first word of a veneer being written, met by a
 * pseudo-NMI handler (perf, the hard lockup detector) or an SDEI event
 * while the machine is stopped: go where the site leads, the new code,
 * as the kernel's own text_poke_bp() does on x86.  Called in the
 * exception's context, which may be an NMI: no locks.
 */
static int ksplice_brk_handler(struct pt_regs *regs, unsigned long esr)
{
	unsigned long target;

	target = ksplice_redirect_target(instruction_pointer(regs));
	if (!target)
		return DBG_HOOK_ERROR;
	instruction_pointer_set(regs, target);
	return DBG_HOOK_HANDLED;
}

static struct break_hook ksplice_brk_hook = {
	.fn = ksplice_brk_handler,
	.imm = KSPLICE_BRK_IMM,
};

int ksplice_arch_start(void)
{
	static_call(ksplice_register_break)(&ksplice_brk_hook);
	return 0;
}

void ksplice_arch_stop(void)
{
	static_call(ksplice_unregister_break)(&ksplice_brk_hook);
}
#else
int ksplice_arch_start(void)
{
	return 0;
}

void ksplice_arch_stop(void)
{
}
#endif

/* The word at addr of a site, through the view; false if not in it. */
static bool poke_word(const struct ksplice_text_alias *alias,
		      unsigned long addr, const u8 *bytes)
{
	__le32 *to = alias ? ksplice_alias_of(alias, addr) : NULL;
	__le32 insn;

	if (!to || !IS_ALIGNED(addr, sizeof(insn))) {
		WARN_ONCE(1, "ksplice: site %pS not in the text view",
			  (void *)addr);
		return false;
	}
	memcpy(&insn, bytes, sizeof(insn));
	WRITE_ONCE(*to, insn);
	flush_text(addr, sizeof(insn));
	return true;
}

/* Every CPU fetches what was written: this one, then the others (sync). */
static void sync_all(void (*sync)(void *arg), void *arg)
{
	dsb(ish);
	isb();
	sync(arg);
}

/* The words of a site after its first. */
static void poke_tail(const struct ksplice_text_alias *alias,
		      const struct ksplice_poke *poke)
{
	unsigned int off;

	for (off = AARCH64_INSN_SIZE; off < poke->size; off += AARCH64_INSN_SIZE)
		poke_word(alias, poke->addr + off, poke->bytes + off);
}

/*
 * Writes each site from inside stop_machine, every other CPU spinning
 * with interrupts off.  A B is one aligned 32-bit store, single-copy
 * atomic, so a CPU that fetches the site sees the old instruction or
 * the B, never a mix.  (The architecture promises more only where both
 * are among B, BL, NOP, BRK and a few others, a site on ftrace's NOP:
 * elsewhere a CPU that runs the site while it changes, a pseudo-NMI
 * handler, the one thing that can run here, may see either.)
 *
 * A veneer is four words, which no store writes at once: in steps, as
 * x86 writes its int3 sites.  A BRK goes first, which any fetch sees
 * whole and sends to the new code (the hook above); then the other three
 * words; then the first.  Between the steps every CPU meets an ISB
 * (sync, which the spinning CPUs answer from outside any NMI), so after
 * the last no NMI that met a BRK is still in its handler.  Undo writes
 * the old bytes back the same way, an NMI meanwhile still going to the
 * new code (loaded until the write is long done).  Without break hooks
 * a veneer was made only where nothing can run it meanwhile
 * (ksplice_arch_make_jump()): written whole.
 */
void ksplice_arch_poke_stopped(const struct ksplice_text_alias *alias,
			       const struct ksplice_poke *pokes,
			       unsigned int nr, struct ksplice_traps **traps,
			       void (*sync)(void *arg), void *arg)
{
	struct ksplice_redirect r;
	unsigned int i, veneers = 0;
	u8 brk[AARCH64_INSN_SIZE];

	put_insn(brk, BRK_INSN);
	ksplice_redirect_start(&r, pokes, nr);
	*traps = ksplice_traps_swap(*traps);
	for (i = 0; i < nr; i++) {
		if (pokes[i].size == KSPLICE_JUMP_SIZE ||
		    !VENEER_IN_STEPS) {
			poke_tail(alias, &pokes[i]);
			poke_word(alias, pokes[i].addr, pokes[i].bytes);
		} else if (poke_word(alias, pokes[i].addr, brk)) {
			veneers++;
		}
	}
	if (veneers) {
		sync_all(sync, arg);
		for (i = 0; i < nr; i++)
			if (pokes[i].size != KSPLICE_JUMP_SIZE)
				poke_tail(alias, &pokes[i]);
		sync_all(sync, arg);
		for (i = 0; i < nr; i++)
			if (pokes[i].size != KSPLICE_JUMP_SIZE)
				poke_word(alias, pokes[i].addr, pokes[i].bytes);
	}
	sync_all(sync, arg);
	/* No CPU is in the hook now: each answered the sync outside it. */
	ksplice_redirect_end();
}

/* Makes a CPU that spun during a text write fetch the new instructions. */
void ksplice_arch_sync_core(void)
{
	isb();
}

/*
 * A stack word as an address: with pointer authentication in the kernel
 * (PAC, as Debian's arm64 kernels have), a return address saved on the
 * stack carries its signature in the top bits, which no range of ours
 * holds; strip it, as the kernel's unwinder does.  Other words may
 * become addresses too, which only makes the scan more careful.
 */
unsigned long ksplice_arch_stack_word(unsigned long word)
{
#ifdef ptrauth_strip_kernel_insn_pac	/* 6.4's name, asm/compiler.h */
	return ptrauth_strip_kernel_insn_pac(word);
#else
	return ptrauth_strip_insn_pac(word);
#endif
}

/* The stack pointer a switched-out task was left with by cpu_switch_to. */
unsigned long ksplice_arch_task_sp(struct task_struct *task)
{
	return task->thread.cpu_context.sp;
}

/*
 * 6.1 and 6.12 have no reliable unwinder on arm64 (no
 * HAVE_RELIABLE_STACKTRACE): the conservative scan of every stack word,
 * which also reads the link registers that exceptions saved, decides.
 */
enum ksplice_walk ksplice_arch_walk_stack(struct task_struct *task,
					  ksplice_word_fn fn, void *data)
{
	return KSPLICE_WALK_UNRELIABLE;
}
