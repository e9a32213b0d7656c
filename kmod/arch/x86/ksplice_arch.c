// SPDX-License-Identifier: GPL-2.0
/*
 * Everything in the ksplice core that depends on the architecture (x86_64):
 * instruction encoding, text writes and task stacks.  What differs between
 * kernel versions is in ksplice_kernel.c.
 */
#include "ksplice_internal.h"

#include <linux/refcount.h>
#include <linux/rethook.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/asm.h>
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/sync_core.h>
#include <asm/unwind.h>

#define JMP_REL32_OPCODE	0xe9
#define ENDBR_SIZE		4

/* endbr64, and the 4-byte nop that sealing leaves in its place. */
static const u8 endbr64[ENDBR_SIZE] = { 0xf3, 0x0f, 0x1e, 0xfa };
static const u8 endbr64_poison[ENDBR_SIZE] = { 0x66, 0x0f, 0x1f, 0x00 };

static void *(*poke)(void *addr, const void *opcode, size_t len);
static void *(*poke_stopped)(void *addr, const void *opcode, size_t len);

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
	poke = (void *)addr;

	addr = ksplice_kernel_func("text_poke_kgdb", false);
	poke_stopped = addr ? (void *)addr : poke;
	return 0;
}

/*
 * With IBT enforced, an indirect call must land on endbr64, and objtool
 * seals the endbr64 of functions whose address is never taken.  Calling
 * such a function through a pointer would fault, so refuse it up front.
 */
bool ksplice_arch_can_call(unsigned long addr)
{
	u8 insn[ENDBR_SIZE];

	if (!cpu_feature_enabled(X86_FEATURE_IBT))
		return true;
	if (copy_from_kernel_nofault(insn, (void *)addr, sizeof(insn)))
		return false;
	return !memcmp(insn, endbr64, sizeof(insn));
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

/* Encodes "jmp to" at from; -ERANGE when rel32 cannot reach. */
int ksplice_arch_make_jump(u8 *insn, unsigned long from, unsigned long to)
{
	long rel = (long)(to - (from + KSPLICE_JUMP_SIZE));
	s32 rel32 = (s32)rel;

	if (rel != rel32)
		return -ERANGE;
	insn[0] = JMP_REL32_OPCODE;
	memcpy(&insn[1], &rel32, sizeof(rel32));
	return 0;
}

/* Writes read-only text or data; the caller holds text_mutex. */
void ksplice_arch_write_text(void *addr, const void *src, size_t len)
{
	poke(addr, src, len);
}

/* Writes text from inside stop_machine, every other CPU spinning. */
void ksplice_arch_write_text_stopped(void *addr, const void *src, size_t len)
{
	poke_stopped(addr, src, len);
}

/* Makes a CPU that spun during a text write fetch the new bytes. */
void ksplice_arch_sync_core(void)
{
	sync_core();
}

/* The stack pointer a switched-out task was left with by __switch_to. */
unsigned long ksplice_arch_task_sp(struct task_struct *task)
{
	return task->thread.sp;
}

/*
 * Bounds of a task's kernel stack; false when it has none any more (a
 * dead task whose stack was released).  Called with every CPU stopped,
 * so the reference count cannot change under us.
 */
bool ksplice_arch_task_stack(struct task_struct *task,
			     unsigned long *low, unsigned long *high)
{
	void *stack;

	if (!refcount_read(&task->stack_refcount))
		return false;
	stack = task_stack_page(task);
	if (!stack)
		return false;
	*low = (unsigned long)stack;
	*high = *low + THREAD_SIZE;
	return true;
}

/*
 * Where the kernel's part of a task's stack ends: below the user
 * registers that a system call or interrupt from user mode saved at the
 * top.  Those are the user's to choose, and must not make a task look
 * busy.  A kernel thread's top holds no user registers: all of it counts.
 */
unsigned long ksplice_arch_kernel_stack_top(struct task_struct *task,
					    unsigned long high)
{
	struct pt_regs *regs = task_pt_regs(task);

	if ((unsigned long)(regs + 1) > high)
		return high;
	return user_mode(regs) ? (unsigned long)regs : high;
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
