// SPDX-License-Identifier: GPL-2.0
/*
 * The safety check: with every CPU held in stop_machine(), no task may be
 * executing, or be about to return into, code that is being replaced.
 *
 * Each task's frames are read with the kernel's unwinder where it is
 * reliable (ORC), so that only real return addresses and interrupted
 * instruction pointers count: words that user space can choose (its
 * saved registers, a poll() array copied onto the stack) cannot veto a
 * patch.  Where the unwinder is missing or not sure of a stack, the scan
 * is conservative: every word of the live kernel part of the stack is
 * compared against the ranges, which is correct on any unwinder; a stale
 * word costs a retry, never a crash.  What counts (measured on 6.1):
 *  - the stopper threads are skipped: they run this code and carry stale
 *    copies of the targets from earlier work;
 *  - the task that asked for the apply or undo is skipped: it is blocked
 *    in here, below the system call that asked (the write to sysfs, or
 *    rmmod), and returns through that call's frames once we are done.
 *    Old code stays where it was; new code is not freed until that task
 *    has left it (wait_unused() in ksplice_core.c);
 *  - a switched-out task is read from its saved stack pointer up, and
 *    the conservative scan stops below the user registers at the top;
 *  - return addresses that kretprobes and the function-graph tracer keep
 *    off the stack count as well;
 *  - each CPU's idle task is scanned too: it is not on the task list.
 * Offset 0 counts: a task preempted right at a function's entry is in it.
 */
#include "ksplice_internal.h"

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <asm/ptrace.h>

/*
 * Every stack word is looked up, so the ranges are sorted by start before
 * the machine stops: most words are rejected by the bounds, the others by
 * a binary search, whatever the number of functions.
 */
static int compare_starts(const void *a, const void *b)
{
	const struct ksplice_sorted_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int sort_ranges(struct ksplice_stop *stop)
{
	struct ksplice_sorted_range *s;
	unsigned int i, n = 0;

	s = kcalloc(stop->nr_ranges ?: 1, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < stop->nr_ranges; i++) {
		const struct ksplice_range *r = &stop->ranges[i];

		if (r->end <= r->start)
			continue;
		s[n].start = r->start;
		s[n].end = r->end;
		s[n].index = i;
		n++;
	}
	sort(s, n, sizeof(*s), compare_starts, NULL);
	for (i = 0; i < n; i++)
		s[i].max_end = i && s[i - 1].max_end > s[i].end ?
			       s[i - 1].max_end : s[i].end;
	stop->sorted = s;
	stop->nr_sorted = n;
	return 0;
}

static bool stack_word_hits(struct ksplice_stop *stop, unsigned long word)
{
	const struct ksplice_sorted_range *s = stop->sorted;
	unsigned int lo = 0, hi = stop->nr_sorted, mid, i;

	word = ksplice_arch_stack_word(word);
	if (!hi || word < s[0].start || word >= s[hi - 1].max_end)
		return false;
	/* The last range that starts at or below word... */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (s[mid].start <= word)
			lo = mid;
		else
			hi = mid;
	}
	/* ...and back while an earlier one may still reach past it. */
	for (i = lo + 1; i-- > 0 && s[i].max_end > word;) {
		if (word - s[i].start < s[i].end - s[i].start) {
			stop->busy_range = s[i].index;
			stop->busy_addr = word;
			return true;
		}
	}
	return false;
}

static bool word_hits(void *stop, unsigned long word)
{
	return stack_word_hits(stop, word);
}

static bool scan_words(struct ksplice_stop *stop, unsigned long from,
		       unsigned long to)
{
	const unsigned long *p = (const unsigned long *)ALIGN(from,
							      sizeof(long));
	const unsigned long *end = (const unsigned long *)to;

	/* Another task's stack: no KASAN check of what it left there. */
	for (; p < end; p++) {
		if (stack_word_hits(stop, READ_ONCE_NOCHECK(*p)))
			return true;
	}
	return false;
}

static bool is_stopper(const struct ksplice_stop *stop,
		       struct task_struct *task)
{
	unsigned int cpu = task_cpu(task);

	/* A stopper thread is bound to its CPU, so one slot to compare. */
	return cpu < nr_cpu_ids && stop->stoppers[cpu] == task;
}

static void note_busy_task(struct ksplice_stop *stop,
			   struct task_struct *task)
{
	stop->busy = true;
	stop->busy_pid = task_pid_nr(task);
	/* Not get_task_comm(): it takes a lock, and we are stopped. */
	memcpy(stop->busy_comm, task->comm, sizeof(stop->busy_comm));
	stop->busy_comm[sizeof(stop->busy_comm) - 1] = '\0';
}

/*
 * Bounds of a task's kernel stack; false when it has none any more (a
 * dead task whose stack was released).  Called with every CPU stopped,
 * so the reference count cannot change under us.
 */
static bool task_stack_bounds(struct task_struct *task,
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
 * registers that a system call, interrupt or exception from user mode
 * saved at the top.  Those are the user's to choose, and must not make a
 * task look busy.  A kernel thread's top holds no user registers: all of
 * it counts.
 */
static unsigned long kernel_stack_top(struct task_struct *task,
				      unsigned long high)
{
	struct pt_regs *regs = task_pt_regs(task);

	if ((unsigned long)(regs + 1) > high)
		return high;
	return user_mode(regs) ? (unsigned long)regs : high;
}

/*
 * The unwinder's frames where it vouches for them, else every word from
 * the saved stack pointer to the user registers.
 */
static bool stack_hits(struct ksplice_stop *stop, struct task_struct *task,
		       unsigned long low, unsigned long high)
{
	unsigned long sp;

	switch (ksplice_arch_walk_stack(task, word_hits, stop)) {
	case KSPLICE_WALK_HIT:
		return true;
	case KSPLICE_WALK_CLEAR:
		return false;
	case KSPLICE_WALK_UNRELIABLE:
		break;
	}
	high = kernel_stack_top(task, high);
	sp = ksplice_arch_task_sp(task);
	/* A pointer outside the stack is unexpected: scan all of it. */
	if (sp < low || sp >= high)
		sp = low;
	return scan_words(stop, sp, high);
}

/* Does anything the task would run hit the ranges? */
static bool task_hits(struct ksplice_stop *stop, struct task_struct *task)
{
	unsigned long low, high;

	if (!task_stack_bounds(task, &low, &high))
		return false;
	return ksplice_kernel_ret_addrs(task, word_hits, stop) ||
	       stack_hits(stop, task, low, high);
}

/*
 * Before the stop, each switched-out task is read while the scheduler
 * holds it still (task_call_func(): no wakeup, no schedule), and the
 * clear ones are remembered with their count of context switches.  A
 * task leaves the CPU only through __schedule(), which counts it, and
 * every task that was running when the machine stopped was switched out
 * for a stopper.  So in the stopped window, a remembered task whose
 * count has not moved has not run since it was read: its stack and its
 * lists of return addresses are as they were, and it is not read again.
 * The window then reads only the tasks that ran in between, not every
 * sleeping one, and grows little with their number.
 */
static unsigned long task_switches(const struct task_struct *task)
{
	return READ_ONCE(task->nvcsw) + READ_ONCE(task->nivcsw);
}

static struct ksplice_seen *seen_slot(struct ksplice_stop *stop,
				      const struct task_struct *task)
{
	unsigned int mask = (1U << stop->seen_bits) - 1;
	unsigned int i = hash_ptr(task, stop->seen_bits);

	/* Never full: at most half the slots are used. */
	while (stop->seen[i].task && stop->seen[i].task != task)
		i = (i + 1) & mask;
	return &stop->seen[i];
}

static bool seen_unchanged(struct ksplice_stop *stop,
			   const struct task_struct *task)
{
	const struct ksplice_seen *slot;

	if (!stop->seen)
		return false;
	slot = seen_slot(stop, task);
	return slot->task == task && slot->switches == task_switches(task);
}

static bool task_on_cpu(const struct task_struct *task)
{
#ifdef CONFIG_SMP
	/* Cleared only once the task is fully switched out. */
	return smp_load_acquire(&task->on_cpu);
#else
	return task == current;
#endif
}

/*
 * Called by task_call_func() with the task held still.  An exiting task
 * is left to the window: once it has switched out for the last time,
 * another CPU releases its stack (finish_task_switch()), which holding
 * the task does not prevent.  Until it exits, its stack stays.
 */
static int prescan_task(struct task_struct *task, void *data)
{
	struct ksplice_stop *stop = data;
	struct ksplice_seen *slot;

	if (task_on_cpu(task) || (READ_ONCE(task->flags) & PF_EXITING) ||
	    READ_ONCE(task->exit_state) || task_hits(stop, task))
		return 0;
	slot = seen_slot(stop, task);
	slot->task = task;
	slot->switches = task_switches(task);
	stop->nr_seen++;
	return 0;
}

static void prescan_tasks(struct ksplice_stop *stop)
{
	struct task_struct *g, *t;
	unsigned int n = 0;

	stop->seen = NULL;
	stop->nr_seen = 0;
	if (!static_call_query(ksplice_task_call_func))
		return;
	rcu_read_lock();
	for_each_process_thread(g, t)
		n++;
	rcu_read_unlock();
	stop->max_seen = n;
	stop->seen_bits = ilog2(roundup_pow_of_two(2 * n + 2));
	/* Without the memory every task is read stopped, as it was. */
	stop->seen = kvcalloc(1UL << stop->seen_bits, sizeof(*stop->seen),
			      GFP_KERNEL);
	if (!stop->seen)
		return;
	rcu_read_lock();
	for_each_process_thread(g, t) {
		/* Full (tasks came since the count): the rest are read stopped. */
		if (stop->nr_seen == stop->max_seen)
			break;
		if (t != stop->caller)
			static_call(ksplice_task_call_func)(t, prescan_task,
							    stop);
	}
	rcu_read_unlock();
}

/* The prescan's verdict first: it spares reading most tasks' CPU field. */
static bool scan_task(struct ksplice_stop *stop, struct task_struct *task)
{
	if (task == stop->caller || seen_unchanged(stop, task) ||
	    is_stopper(stop, task) || !task_hits(stop, task))
		return false;
	note_busy_task(stop, task);
	return true;
}

static bool scan_all_tasks(struct ksplice_stop *stop)
{
	struct task_struct *g, *t;
	bool busy = false;
	int cpu;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (scan_task(stop, t)) {
			busy = true;
			goto out;
		}
	}
	for_each_online_cpu(cpu) {
		if (scan_task(stop, static_call(ksplice_idle_task)(cpu))) {
			busy = true;
			goto out;
		}
	}
out:
	rcu_read_unlock();
	return busy;
}

/*
 * Runs on every online CPU with interrupts off.  Every CPU checks in; the
 * last to arrive knows that all the others are spinning here, so every
 * other task is switched out and every stopper thread is known.  It scans
 * and, if nothing is busy, writes.  Nothing in here may print.
 */
static int ksplice_stop_cb(void *data)
{
	struct ksplice_stop *stop = data;
	bool busy;
	u64 start;

	stop->stoppers[smp_processor_id()] = current;
	/* Fully ordered: the last CPU sees every stoppers[] slot. */
	if (atomic_inc_return(&stop->arrived) != stop->nr_cpus) {
		unsigned int seen = 0, gen;

		/* Pairs with the release below: the writes are done. */
		while (!smp_load_acquire(&stop->done)) {
			/* A step of the write is done: fetch it anew. */
			gen = smp_load_acquire(&stop->sync_gen); /* sync_others() */
			if (gen != seen) {
				seen = gen;
				ksplice_arch_sync_core();
				atomic_inc(&stop->synced);
			}
			cpu_relax();
		}
		ksplice_arch_sync_core();
		return 0;
	}

	/*
	 * Not local_clock(): in a VM its per-CPU window can saturate with
	 * interrupts off and read the same value twice.
	 */
	start = ktime_get_mono_fast_ns();
	busy = scan_all_tasks(stop);
	stop->scan_ns = ktime_get_mono_fast_ns() - start;
	if (!busy && stop->write)
		stop->write_ret = stop->write(stop->arg);
	ksplice_arch_sync_core();
	stop->stop_ns = ktime_get_mono_fast_ns() - start;
	/* Releases the spinning CPUs after every write above. */
	smp_store_release(&stop->done, 1);
	return 0;
}

/*
 * Called by the writing CPU between the steps of a write: every other
 * CPU, spinning in ksplice_stop_cb(), runs a serializing instruction and
 * says so.  A CPU that says so is not inside an NMI handler, so an NMI
 * that met an earlier step has returned by the time this does.
 */
static void sync_others(void *arg)
{
	struct ksplice_stop *stop = arg;

	ksplice_arch_sync_core();
	atomic_set(&stop->synced, 0);
	/* The step's writes and the reset above, before the new generation. */
	smp_store_release(&stop->sync_gen, stop->sync_gen + 1);
	while (atomic_read(&stop->synced) != stop->nr_cpus - 1)
		cpu_relax();
}

/* Writes the pokes from the stop callback, NMI-safely (arch says how). */
void ksplice_stop_poke(struct ksplice_stop *stop,
		       const struct ksplice_poke *pokes, unsigned int nr,
		       struct ksplice_traps **traps)
{
	ksplice_arch_poke_stopped(stop->alias, pokes, nr, traps, sync_others,
				  stop);
}

static void reset_results(struct ksplice_stop *stop)
{
	stop->busy = false;
	stop->busy_range = 0;
	stop->busy_addr = 0;
	stop->busy_pid = 0;
	stop->busy_comm[0] = '\0';
	stop->write_ret = 0;
	stop->stop_ns = 0;
	stop->scan_ns = 0;
	stop->call_ns = 0;
	atomic_set(&stop->arrived, 0);
	stop->done = 0;
	stop->sync_gen = 0;
	atomic_set(&stop->synced, 0);
}

/*
 * One attempt.  The lock order is fixed: taking text_mutex before a plain
 * stop_machine() is a lockdep cycle with cpu_hotplug_lock, so hotplug is
 * locked first and stop_machine_cpuslocked() used.  text_mutex keeps
 * every other text patcher (jump labels, static calls) out meanwhile.
 */
int ksplice_stop_once(struct ksplice_stop *stop)
{
	u64 start;
	int ret;

	stop->stoppers = kcalloc(nr_cpu_ids, sizeof(*stop->stoppers),
				 GFP_KERNEL);
	if (!stop->stoppers)
		return -ENOMEM;
	if (sort_ranges(stop)) {
		kfree(stop->stoppers);
		return -ENOMEM;
	}
	prescan_tasks(stop);
	/* After the prescan, whose hits are not results. */
	reset_results(stop);

	cpus_read_lock();
	mutex_lock(ksplice_kernel.text_mutex);
	stop->nr_cpus = num_online_cpus();
	start = ktime_get_ns();
	ret = static_call(ksplice_stop_machine_cpuslocked)(ksplice_stop_cb,
							   stop,
							   cpu_online_mask);
	stop->call_ns = ktime_get_ns() - start;
	mutex_unlock(ksplice_kernel.text_mutex);
	cpus_read_unlock();

	kfree(stop->stoppers);
	stop->stoppers = NULL;
	kfree(stop->sorted);
	stop->sorted = NULL;
	kvfree(stop->seen);
	stop->seen = NULL;
	return ret;
}

static int empty_cb(void *data)
{
	return 0;
}

/*
 * The cost of stopping the machine at all: one stop_machine() call with
 * an empty callback, under the same locks as ksplice_stop_once(), for
 * bench/ to set the core's own stopped windows against.
 */
int ksplice_empty_stop(u64 *call_ns)
{
	u64 start;
	int ret;

	cpus_read_lock();
	mutex_lock(ksplice_kernel.text_mutex);
	start = ktime_get_ns();
	ret = static_call(ksplice_stop_machine_cpuslocked)(empty_cb, NULL,
							   cpu_online_mask);
	*call_ns = ktime_get_ns() - start;
	mutex_unlock(ksplice_kernel.text_mutex);
	cpus_read_unlock();
	return ret;
}
