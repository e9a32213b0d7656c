// SPDX-License-Identifier: GPL-2.0
/*
 * Everything in the ksplice core that depends on the architecture (x86_64):
 * instruction encoding, text writes and task stacks.  What differs between
 * kernel versions is in ksplice_kernel.c.
 */
#include "ksplice_internal.h"

#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/rethook.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/kdebug.h>
#include <linux/notifier.h>
#include <linux/static_call.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/sync_core.h>
#include <asm/text-patching.h>
#include <asm/unwind.h>

#define CALL_REL32_OPCODE	0xe8
#define JMP_REL32_OPCODE	0xe9
#define INT3_OPCODE		0xcc
#define ENDBR_SIZE		4

/* endbr64, and the 4-byte nop that sealing leaves in its place. */
static const u8 endbr64[ENDBR_SIZE] = { 0xf3, 0x0f, 0x1e, 0xfa };
static const u8 endbr64_poison[ENDBR_SIZE] = { 0x66, 0x0f, 0x1f, 0x00 };

/* vmlinux's text, where functions may lack endbr64 (no_landing). */
static unsigned long kernel_stext, kernel_etext;

/* Called as static calls, never through a pointer (ksplice_internal.h). */
DEFINE_STATIC_CALL_NULL(ksplice_text_poke, text_poke);
DEFINE_STATIC_CALL_NULL(ksplice_text_poke_stopped, text_poke_kgdb);
/* callthunks_translate_call_dest()'s type: 6.1 does not declare it. */
void *ksplice_call_dest_type(void *dest);
DEFINE_STATIC_CALL_NULL(ksplice_call_dest, ksplice_call_dest_type);

int ksplice_arch_init(void)
{
	unsigned long addr;

	/* text_poke() asserts that the caller holds text_mutex: not inside
	 * stop_machine, where a stopper thread runs the write for us.
	 * text_poke_kgdb() is the same routine without that assertion.
	 */
	addr = ksplice_kernel_func("text_poke", true);
	if (!addr)
		return -ENOENT;
	static_call_update(ksplice_text_poke, (typeof(&text_poke))addr);

	kernel_stext = ksplice_kernel_data("_stext");
	kernel_etext = ksplice_kernel_data("_etext");

	addr = ksplice_kernel_func("text_poke_kgdb", false) ?: addr;
	static_call_update(ksplice_text_poke_stopped,
			   (typeof(&text_poke_kgdb))addr);

	/* Only on kernels built with call thunks (6.2 and later). */
	addr = ksplice_kernel_func("callthunks_translate_call_dest", false);
	if (addr)
		static_call_update(ksplice_call_dest,
				   (typeof(&ksplice_call_dest_type))addr);
	return 0;
}

/*
 * With call-depth tracking (retbleed=stuff), every direct call in the
 * kernel and its modules goes to an accounting thunk in the padding
 * before its target, and the return thunk counts the return: a call
 * that skips the thunk makes the count drift, and the RSB is refilled
 * at the wrong depth.  The module loader sends the patch module's own
 * calls through thunks; the calls the core links for it must go the
 * same way.  callthunks_translate_call_dest() gives the thunk, or the
 * target itself when thunks are off.  Called with text_mutex held.
 */
unsigned long ksplice_arch_call_dest(const struct ksplice_reloc *r,
				     unsigned long sym)
{
	u8 op;

	if (!static_call_query(ksplice_call_dest) ||
	    r->type != KSPLICE_RELOC_PC32 || r->addend != -4 ||
	    copy_from_kernel_nofault(&op, (u8 *)r->where - 1, sizeof(op)) ||
	    op != CALL_REL32_OPCODE)
		return sym;
	return (unsigned long)static_call(ksplice_call_dest)((void *)sym);
}

/*
 * patchgen puts the jump past an entry endbr64; a patch that did not
 * (one built by hand, with no jump_offset) would overwrite it, and
 * indirect calls would no longer land on one.
 */
bool ksplice_arch_can_jump_at(unsigned long site)
{
	u8 insn[ENDBR_SIZE];

	if (copy_from_kernel_nofault(insn, (void *)site, sizeof(insn)))
		return false;
	return memcmp(insn, endbr64, sizeof(insn)) &&
	       memcmp(insn, endbr64_poison, sizeof(insn));
}

/*
 * On a kernel built for IBT, does relocation r take the address of a
 * function at sym that an indirect call could not land on?  GCC gives no
 * endbr64 to a static function whose address the pre build never took,
 * and the kernel seals (removes) that of every other such function at
 * boot; new code that hands out the address (a callback, an ops table)
 * would have the call fault with #CP on a CPU with IBT.  A call or jump
 * (the opcode before a PC32 field) lands nowhere: it is fine.
 */
bool ksplice_arch_no_landing(const struct ksplice_reloc *r, unsigned long sym)
{
	u8 insn[ENDBR_SIZE], op[2];

	if (!IS_ENABLED(CONFIG_X86_KERNEL_IBT))
		return false;
	if (r->type == KSPLICE_RELOC_PC32) {
		/* Only a reference to the function's start, as lea or mov. */
		if (r->addend != -4 ||
		    copy_from_kernel_nofault(op, (u8 *)r->where - 2, sizeof(op)))
			return false;
		if (op[1] == 0xe8 || op[1] == JMP_REL32_OPCODE ||
		    (op[0] == 0x0f && (op[1] & 0xf0) == 0x80))
			return false;
	} else if (r->addend) {
		return false;
	}
	/* vmlinux's functions only: a module's text is not at hand here. */
	if (r->module || sym < kernel_stext || sym >= kernel_etext ||
	    copy_from_kernel_nofault(insn, (void *)sym, sizeof(insn)))
		return false;
	return memcmp(insn, endbr64, sizeof(insn)) != 0;
}

/*
 * Encodes "jmp to" at from and returns its size; -ERANGE when rel32
 * cannot reach.  The core has checked that room holds it.
 */
int ksplice_arch_make_jump(u8 *insn, unsigned long from, unsigned long to,
			   unsigned int room, unsigned int size)
{
	long rel = (long)(to - (from + KSPLICE_JUMP_SIZE));
	s32 rel32 = (s32)rel;

	if (rel != rel32)
		return -ERANGE;
	insn[0] = JMP_REL32_OPCODE;
	memcpy(&insn[1], &rel32, sizeof(rel32));
	return KSPLICE_JUMP_SIZE;
}

/* x86 has no relocation types beyond the generic ones. */
int ksplice_arch_reloc_value(const struct ksplice_reloc *r, unsigned long s_a,
			     u64 *value)
{
	return -EINVAL;
}

/* The one-byte trap of an entry too short for the jump (ksplice_traps.c). */
void ksplice_arch_make_trap(u8 *insn)
{
	insn[0] = INT3_OPCODE;
}

/* Writes read-only text or data; the caller holds text_mutex. */
void ksplice_arch_write_text(void *addr, const void *src, size_t len)
{
	static_call(ksplice_text_poke)(addr, src, len);
}

/* The page of kernel or module text at addr, as text_poke() finds it. */
struct page *ksplice_arch_text_page(unsigned long addr)
{
	if (addr >= kernel_stext && addr < kernel_etext)
		return virt_to_page((void *)addr);
	return vmalloc_to_page((void *)addr);
}

/*
 * Writes text with the machine stopped: through the view if it has it,
 * as one store where the bytes lie in one page of it (each store to a
 * page of code costs on some machines, QEMU's TCG for one).
 */
static void write_stopped(const struct ksplice_text_alias *alias,
			  unsigned long addr, const u8 *src, size_t len)
{
	u8 *to = alias ? ksplice_alias_of(alias, addr) : NULL;
	size_t i;

	if (to && ksplice_alias_of(alias, addr + len - 1) == to + len - 1) {
		/* A constant size: one 4-byte store, not a loop. */
		if (len == sizeof(u32))
			memcpy(to, src, sizeof(u32));
		else
			memcpy(to, src, len);
		return;
	}
	for (i = 0; to && i < len; i++) {
		to = ksplice_alias_of(alias, addr + i);
		if (!to)
			break;
		WRITE_ONCE(*to, src[i]);
	}
	if (i < len)
		static_call(ksplice_text_poke_stopped)((void *)(addr + i),
						       src + i, len - i);
}

/*
 * The aligned block of the view, 8 or 16 bytes, that holds all 5 bytes
 * at addr, for a write in one atomic store; NULL if there is none.  A
 * 16-byte block is written with cmpxchg16b, where the CPU has it.  Both
 * are single-copy atomic on x86 and lie in one cache line, so a CPU
 * that fetches the site meanwhile sees the old 5 bytes or the new ones,
 * not a mix.  (The SDM's cross-modifying-code rule asks more: that the
 * fetching CPU serialize.  The spinning CPUs do before they go on; an
 * NMI handler already inside the site when the store lands is the case
 * the int3 steps would cover, and the one this path trusts the cache
 * line for.)
 */
static void *one_store_block(const struct ksplice_text_alias *alias,
			     unsigned long addr, unsigned int *size)
{
	unsigned int off = offset_in_page(addr);

	if (!alias)
		return NULL;
	if (off % 8 <= 8 - KSPLICE_JUMP_SIZE)
		*size = 8;
	else if (off % 16 <= 16 - KSPLICE_JUMP_SIZE &&
		 boot_cpu_has(X86_FEATURE_CX16))
		*size = 16;
	else
		return NULL;
	return ksplice_alias_of(alias, ALIGN_DOWN(addr, *size));
}

/* A jump written in int3 steps: neither a trap nor in one store block. */
static bool stepped_site(const struct ksplice_text_alias *alias,
			 const struct ksplice_poke *poke)
{
	unsigned int size;

	return poke->size == KSPLICE_JUMP_SIZE &&
	       !one_store_block(alias, poke->addr, &size);
}

struct ksplice_block16 {
	u64 lo, hi;
} __aligned(16);

static bool cmpxchg16(struct ksplice_block16 *block,
		      struct ksplice_block16 old, struct ksplice_block16 new)
{
	bool done;

	asm volatile("lock cmpxchg16b %[block]"
		     CC_SET(z)
		     : CC_OUT(z) (done), [block] "+m" (*block),
		       "+a" (old.lo), "+d" (old.hi)
		     : "b" (new.lo), "c" (new.hi)
		     : "memory");
	return done;
}

static void write_one_store(void *block, unsigned int size,
			    unsigned long addr, const u8 *bytes)
{
	struct ksplice_block16 old, new;
	u64 word;

	if (size == 8) {
		word = READ_ONCE(*(u64 *)block);
		memcpy((u8 *)&word + addr % 8, bytes, KSPLICE_JUMP_SIZE);
		WRITE_ONCE(*(u64 *)block, word);
		return;
	}
	/* Nothing else writes here (text_mutex, the machine stopped). */
	do {
		old.lo = READ_ONCE(((struct ksplice_block16 *)block)->lo);
		old.hi = READ_ONCE(((struct ksplice_block16 *)block)->hi);
		new = old;
		memcpy((u8 *)&new + addr % 16, bytes, KSPLICE_JUMP_SIZE);
	} while (!cmpxchg16(block, old, new));
}

/*
 * An int3 at one of our sites: one met by an NMI (or a machine check)
 * while the machine is stopped, or the trap of an entry too short for
 * the jump.  Go where the site leads, the new code, as the kernel's own
 * text_poke_bp() emulates the instruction it writes.  Called in the
 * trap's context, which may be an NMI: no locks.
 */
static int ksplice_int3_notify(struct notifier_block *nb, unsigned long val,
			       void *data)
{
	struct die_args *args = data;
	unsigned long target;

	if (val != DIE_INT3 || !args->regs || user_mode(args->regs))
		return NOTIFY_DONE;
	target = ksplice_redirect_target(args->regs->ip - 1);
	if (!target)
		return NOTIFY_DONE;
	args->regs->ip = target;
	return NOTIFY_STOP;
}

static struct notifier_block ksplice_int3_nb = {
	.notifier_call = ksplice_int3_notify,
};

int ksplice_arch_start(void)
{
	return register_die_notifier(&ksplice_int3_nb);
}

void ksplice_arch_stop(void)
{
	unregister_die_notifier(&ksplice_int3_nb);
}

/*
 * Writes the 5 bytes of each site from inside stop_machine, every other
 * CPU spinning with interrupts off, and NMI-safely: an NMI (perf, the
 * watchdog, a backtrace request) may run a site on any CPU meanwhile, and
 * must never fetch a half-written instruction.  A site inside one
 * aligned 8- or 16-byte block is written with one store
 * (one_store_block()).
 * The others as text_poke_bp() does: an int3 goes first (one byte, which
 * any fetch sees whole), then the last four bytes, then the first;
 * between the steps every CPU runs a serializing instruction (sync,
 * which the spinning CPUs answer).  An NMI that meets the int3 is sent
 * to the new code by the notifier above.  After the last sync no NMI
 * that met an int3 is still in its handler: each CPU answered it from
 * outside any NMI.  A trap site (one byte) is one store.
 *
 * *traps, the table of trap sites as the writes leave them, is published
 * while the redirect covers every site being written; *traps becomes the
 * table it replaced.
 */
void ksplice_arch_poke_stopped(const struct ksplice_text_alias *alias,
			       const struct ksplice_poke *pokes,
			       unsigned int nr, struct ksplice_traps **traps,
			       void (*sync)(void *arg), void *arg)
{
	static const u8 int3 = INT3_OPCODE;
	struct ksplice_redirect r;
	unsigned int i, size, stepped = 0;
	void *block;

	ksplice_redirect_start(&r, pokes, nr);
	*traps = ksplice_traps_swap(*traps);
	for (i = 0; i < nr; i++) {
		if (pokes[i].size < KSPLICE_JUMP_SIZE) {
			write_stopped(alias, pokes[i].addr, pokes[i].bytes,
				      pokes[i].size);
			continue;
		}
		block = one_store_block(alias, pokes[i].addr, &size);
		if (block) {
			write_one_store(block, size, pokes[i].addr,
					pokes[i].bytes);
			continue;
		}
		write_stopped(alias, pokes[i].addr, &int3, 1);
		stepped++;
	}
	if (stepped) {
		sync(arg);
		for (i = 0; i < nr; i++)
			if (stepped_site(alias, &pokes[i]))
				write_stopped(alias, pokes[i].addr + 1,
					      pokes[i].bytes + 1,
					      KSPLICE_JUMP_SIZE - 1);
		sync(arg);
		for (i = 0; i < nr; i++)
			if (stepped_site(alias, &pokes[i]))
				write_stopped(alias, pokes[i].addr,
					      pokes[i].bytes, 1);
	}
	sync(arg);
	ksplice_redirect_end();
}

/* Makes a CPU that spun during a text write fetch the new bytes. */
void ksplice_arch_sync_core(void)
{
	sync_core();
}

/* A stack word is an address as it is on x86. */
unsigned long ksplice_arch_stack_word(unsigned long word)
{
	return word;
}

/* The stack pointer a switched-out task was left with by __switch_to. */
unsigned long ksplice_arch_task_sp(struct task_struct *task)
{
	return task->thread.sp;
}

#ifdef CONFIG_UNWINDER_ORC
/*
 * rethook_find_ret_addr(), which the unwinder calls at a kretprobe's
 * trampoline, warns about a task that is runnable (preempted), as every
 * task but a stopper may be here: such a task is left to the
 * conservative scan.
 */
static bool unwinder_may_warn(struct task_struct *task)
{
#ifdef CONFIG_RETHOOK
	return READ_ONCE(task->rethooks.first) && task_is_running(task);
#else
	return false;
#endif
}

/*
 * The return addresses of a switched-out task, and the interrupted
 * instruction pointer of every in-kernel exception or interrupt frame,
 * as the ORC unwinder reads them; the unwinder itself puts back the
 * addresses that kretprobes and the function-graph tracer replaced.
 * Its verdict is taken only when it reads every frame down to the user
 * registers or the end of a kernel thread, as for reliable stack traces
 * (livepatch's consistency model rests on the same).
 */
enum ksplice_walk ksplice_arch_walk_stack(struct task_struct *task,
					  ksplice_word_fn fn, void *data)
{
	struct unwind_state state;
	struct pt_regs *regs;
	unsigned long addr;

	if (unwinder_may_warn(task))
		return KSPLICE_WALK_UNRELIABLE;
	for (unwind_start(&state, task, NULL, NULL);
	     !unwind_done(&state) && !unwind_error(&state);
	     unwind_next_frame(&state)) {
		regs = unwind_get_entry_regs(&state, NULL);
		if (regs && user_mode(regs))
			return KSPLICE_WALK_CLEAR;
		addr = unwind_get_return_address(&state);
		/* Code the kernel does not know as text (a JIT, say). */
		if (!addr)
			return KSPLICE_WALK_UNRELIABLE;
		if (fn(data, addr))
			return KSPLICE_WALK_HIT;
	}
	return unwind_error(&state) ? KSPLICE_WALK_UNRELIABLE :
				      KSPLICE_WALK_CLEAR;
}
#else
/* Frame pointers or guesses: the conservative scan does better. */
enum ksplice_walk ksplice_arch_walk_stack(struct task_struct *task,
					  ksplice_word_fn fn, void *data)
{
	return KSPLICE_WALK_UNRELIABLE;
}
#endif
