// SPDX-License-Identifier: GPL-2.0
/*
 * Not a patch: a source of pseudo-NMIs for tests/vm/veneer-nmi (arm64,
 * a kernel booted with irqchip.gicv3_pseudo_nmi=1 on a GICv3).  The EL1
 * physical timer, which Linux leaves to the virtual one, fires every
 * period_us on each CPU as an NMI, and each NMI calls the function at
 * show (version_proc_show) into a buffer of its own, as /proc/version
 * would: while the core writes a veneer there, some NMIs meet its BRK.
 * Counts, as read-only parameters: ticks, old_runs (the kernel's text),
 * new_runs (test_version's), brk_seen (NMIs that found the veneer's BRK
 * at the site before the call, whose call the core's break hook then
 * sent to the new code).  The NMI API is not exported: its functions
 * are found through kallsyms_lookup_name, whose address the loader
 * gives, as the core's.
 */
#include <linux/atomic.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nsproxy.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/barrier.h>
#include <asm/sysreg.h>

#define BUF_SIZE		256
#define KSPLICE_BRK_INSN	0xd42096a0U	/* BRK #0x4b5, the core's */
#define TIMER_ENABLE		1UL
#define NS_TIMER_INDEX		1	/* the timer node's non-secure physical PPI */

static unsigned long kallsyms_lookup_name_addr;
module_param(kallsyms_lookup_name_addr, ulong, 0400);
static unsigned long show;
module_param(show, ulong, 0400);
static unsigned int period_us = 50;
module_param(period_us, uint, 0400);

static atomic_t ticks, old_runs, new_runs, brk_seen;
module_param_named(ticks, ticks.counter, int, 0444);
module_param_named(old_runs, old_runs.counter, int, 0444);
module_param_named(new_runs, new_runs.counter, int, 0444);
module_param_named(brk_seen, brk_seen.counter, int, 0444);

static int (*request_nmi_fn)(unsigned int irq, irq_handler_t handler,
			     const char *name, void __percpu *dev_id);
static int (*prepare_nmi_fn)(unsigned int irq);
static void (*enable_nmi_fn)(unsigned int irq, unsigned int type);
static void (*disable_nmi_fn)(unsigned int irq);
static void (*teardown_nmi_fn)(unsigned int irq);
static void (*free_nmi_fn)(unsigned int irq, void __percpu *dev_id);

static unsigned int virq;
static u64 period_ticks;
static DEFINE_PER_CPU(char [BUF_SIZE], bufs);
static DEFINE_PER_CPU(int, cookie);

static void arm_timer(void)
{
	write_sysreg(period_ticks, cntp_tval_el0);
	write_sysreg(TIMER_ENABLE, cntp_ctl_el0);
	isb();
}

static bool site_holds_brk(void)
{
	const u32 *word = (const u32 *)show;
	int i;

	for (i = 0; i < 4; i++)
		if (le32_to_cpu(READ_ONCE(word[i])) == KSPLICE_BRK_INSN)
			return true;
	return false;
}

static irqreturn_t nmi_tick(int irq, void *dev_id)
{
	int (*fn)(struct seq_file *m, void *v) = (void *)show;
	struct seq_file m = { .buf = *this_cpu_ptr(&bufs), .size = BUF_SIZE };

	arm_timer();
	atomic_inc(&ticks);
	/* utsname() reads current's namespaces, which an exiting task drops. */
	if (!READ_ONCE(current->nsproxy))
		return IRQ_HANDLED;
	if (site_holds_brk())
		atomic_inc(&brk_seen);
	fn(&m, NULL);
	if (m.count && !strncmp(m.buf, "ksplice-patched", 15))
		atomic_inc(&new_runs);
	else if (m.count && !strncmp(m.buf, "Linux version", 13))
		atomic_inc(&old_runs);
	return IRQ_HANDLED;
}

static void start_cpu(void *unused)
{
	if (prepare_nmi_fn(virq))
		return;
	enable_nmi_fn(virq, IRQ_TYPE_NONE);
	arm_timer();
}

static void stop_cpu(void *unused)
{
	write_sysreg(0, cntp_ctl_el0);
	isb();
	disable_nmi_fn(virq);
	teardown_nmi_fn(virq);
}

static int find_nmi_api(void)
{
	unsigned long (*lookup)(const char *name) = (void *)kallsyms_lookup_name_addr;

	if (!lookup || !show)
		return -EINVAL;
	request_nmi_fn = (void *)lookup("request_percpu_nmi");
	prepare_nmi_fn = (void *)lookup("prepare_percpu_nmi");
	enable_nmi_fn = (void *)lookup("enable_percpu_nmi");
	disable_nmi_fn = (void *)lookup("disable_percpu_nmi");
	teardown_nmi_fn = (void *)lookup("teardown_percpu_nmi");
	free_nmi_fn = (void *)lookup("free_percpu_nmi");
	if (!request_nmi_fn || !prepare_nmi_fn || !enable_nmi_fn ||
	    !disable_nmi_fn || !teardown_nmi_fn || !free_nmi_fn)
		return -ENOENT;
	return 0;
}

static int __init test_nmi_init(void)
{
	struct device_node *timer;
	int ret;

	ret = find_nmi_api();
	if (ret)
		return ret;
	timer = of_find_compatible_node(NULL, NULL, "arm,armv8-timer");
	if (!timer)
		return -ENODEV;
	virq = irq_of_parse_and_map(timer, NS_TIMER_INDEX);
	of_node_put(timer);
	if (!virq)
		return -ENODEV;
	period_ticks = (u64)read_sysreg(cntfrq_el0) * period_us / USEC_PER_SEC;
	ret = request_nmi_fn(virq, nmi_tick, "ksplice-test-nmi", &cookie);
	if (ret) {
		pr_err("ksplice_test_nmi: no NMI on irq %u: %d\n", virq, ret);
		return ret;
	}
	on_each_cpu(start_cpu, NULL, 1);
	pr_info("ksplice_test_nmi: an NMI every %u us on each CPU (irq %u)\n",
		period_us, virq);
	return 0;
}

static void __exit test_nmi_exit(void)
{
	on_each_cpu(stop_cpu, NULL, 1);
	free_nmi_fn(virq, &cookie);
}

module_init(test_nmi_init);
module_exit(test_nmi_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice test: pseudo-NMIs that run a function while the core writes it");
